"""Property-based requests over the whole API, generated from its own OpenAPI description
(schemathesis, driven by hypothesis here: its pytest plugin does not run on pytest 9): no answer
is a server error, and every answer matches what the description says (status code, content
type, body, headers); invalid input is refused; a missing or wrong token gets 401.

Left out: the check that every schema-valid body is accepted. The description cannot say that a
commune must exist in the referential or that an RPPS is unique in its CPTS; those bodies get a
422 naming the field, as they should.

Runs on PostgreSQL only, the production engine and the stricter one (an integer beyond 2**31 is
an error there): it is the slowest test, and the SQLite pass already carries the browser and
LibreOffice tests (CI runs both passes side by side, within ten minutes)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

from app.models.user import Role
from tests.conftest import api_token
from tests.factories import add_members, make_contract, make_tenant, make_user

pytestmark = pytest.mark.postgres

EXAMPLES = {GenerationMode.POSITIVE: 8, GenerationMode.NEGATIVE: 6}  # per operation (25 of them)


@pytest.fixture
def caller(app, monkeypatch) -> dict:
    # Each example also sends a wrong token (to check it is refused): not a guesser to slow.
    monkeypatch.setitem(app.config, "TOKEN_MAX_FAILURES_PER_ADDRESS", 10_000)
    tenant = make_tenant("cpts-a")
    add_members(tenant, 3)
    make_contract(tenant)  # amendments and payments reach the convention's own rules
    president = make_user("president@test.fr", Role.PRESIDENT, tenant=tenant)
    return {"Authorization": f"Bearer {api_token(president.email)}"}


def operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("mode", list(EXAMPLES))
def test_the_api_keeps_its_description(app, caller, mode):
    checked = []
    for operation in operations(app):
        overrides = {"tenant": "cpts-a"} if "{tenant}" in operation.path else None
        strategy = operation.as_strategy(mode, path_parameters=overrides)

        @given(case=strategy)
        @settings(
            max_examples=EXAMPLES[mode],
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case):
            case.call_and_validate(headers=caller, excluded_checks=[positive_data_acceptance])

        call()
        checked.append(operation.label)
    assert len(checked) >= 11, checked
