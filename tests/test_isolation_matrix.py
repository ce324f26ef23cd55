"""The isolation matrix: generated from app.url_map, so every route any
later feature adds is classified and checked against every kind of outsider automatically."""

from __future__ import annotations

from dataclasses import dataclass

import plotly
import pytest
from sqlalchemy import func, select

from app.blueprints import ACCESS_CLASSES
from app.demo import EXAMPLE_IMPORT
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.indicator import IndicatorValue
from app.models.user import Invitation, Role, RoleGrant
from app.security.permissions import ROLE_ACTIONS, Action, required_actions
from app.services import imports, project
from app.services.access import invite
from app.services.convention import contract_record
from app.services.prevention import prevention_actions
from app.services.territory import territory_of
from app.tenants.context import tenant_bound
from app.tenants.models import Tenant
from tests.factories import (
    AGDE,
    BESANCON,
    NARBONNE,
    add_members,
    make_contract,
    make_tenant,
    make_user,
)

SAFE = {"GET"}
IGNORED_METHODS = {"HEAD", "OPTIONS"}
READ_ONLY = {Action.READ, Action.READ_PEOPLE, Action.EXPORT, Action.AUDIT}

# What each role may do to a CPTS it covers, written here independently of the code's table:
# a change to the code's table that is not a change to this one fails the matrix.
EXPECTED = {
    "admin": set(Action),
    "ars_76": {
        Action.READ,
        Action.REATTACH,
        Action.REVIEW,
        Action.REOPEN,
        Action.EXPORT,
        Action.AUDIT,
    },
    "cpam_11": {Action.READ, Action.REVIEW, Action.EXPORT},
    "president_a": {
        Action.READ,
        Action.READ_PEOPLE,
        Action.WRITE,
        Action.MANAGE_USERS,
        Action.EXPORT,
        Action.AUDIT,
    },
    "coordinator_a": {Action.READ, Action.READ_PEOPLE, Action.WRITE, Action.EXPORT},
    "viewer_a": {Action.READ, Action.READ_PEOPLE},
}
# Reviewers (ARS, CPAM) write review records and nothing else: no other write is theirs.
REVIEWER_WRITES = {Action.REVIEW, Action.REOPEN}


def route_class(app, rule) -> str | None:
    if rule.endpoint == "static":
        return "public"
    blueprint = rule.endpoint.rpartition(".")[0]
    return getattr(app.blueprints.get(blueprint), "access", None)


def test_every_route_is_classified(app):
    unclassified = [
        r.rule for r in app.url_map.iter_rules() if route_class(app, r) not in ACCESS_CLASSES
    ]
    assert unclassified == [], (
        f"classify these routes (scoped_blueprint access=...): {unclassified}"
    )


def test_every_tenant_route_declares_its_action(app):
    undeclared, read_writes = [], []
    for rule in app.url_map.iter_rules():
        if route_class(app, rule) not in ("tenant", "api"):
            continue
        actions = set(required_actions(app.view_functions[rule.endpoint]))
        if not actions:
            undeclared.append(rule.rule)
        elif actions <= READ_ONLY and rule.methods - SAFE - IGNORED_METHODS:
            read_writes.append(rule.rule)
    assert undeclared == [], f"declare @require(Action...) on {undeclared}"
    assert read_writes == [], f"a route that changes data cannot need only READ: {read_writes}"


def test_the_table_of_the_code_is_the_expected_one():
    roles = {"admin": Role.ADMIN, "ars_76": Role.ARS, "cpam_11": Role.CPAM}
    roles |= {"president_a": Role.PRESIDENT, "coordinator_a": Role.COORDINATOR}
    roles |= {"viewer_a": Role.VIEWER}
    assert {name: set(ROLE_ACTIONS[role]) for name, role in roles.items()} == EXPECTED
    for reviewer in ("ars_76", "cpam_11"):
        assert EXPECTED[reviewer] - READ_ONLY - {Action.REATTACH} <= REVIEWER_WRITES


@dataclass
class World:
    tenant_a: object
    grant_a: object
    invitation_id: int
    member_id: int
    import_id: int
    users: dict[str, str]
    contract_ids: dict[str, int]


@pytest.fixture
def world(app) -> World:
    tenant_a = make_tenant("cpts-a", (NARBONNE,))  # Occitanie (76), Aude (11)
    tenant_b = make_tenant("cpts-b", (AGDE,))  # Occitanie (76), Hérault (34)
    make_tenant("cpts-c", (BESANCON,))  # Bourgogne-Franche-Comté (27), Doubs (25)
    members = add_members(tenant_a, 3)
    with tenant_bound(tenant_a.id):
        member_id = members[0].id
    president_a = make_user("president.a@test.fr", Role.PRESIDENT, tenant=tenant_a)
    make_user("viewer.a@test.fr", Role.VIEWER, tenant=tenant_a)
    users = {
        "president_a": president_a.email,
        "coordinator_a": make_user("coord.a@test.fr", Role.COORDINATOR, tenant=tenant_a).email,
        "viewer_a": "viewer.a@test.fr",
        "president_b": make_user("president.b@test.fr", Role.PRESIDENT, tenant=tenant_b).email,
        "ars_76": make_user("ars.76@test.fr", Role.ARS, region="76").email,
        "ars_27": make_user("ars.27@test.fr", Role.ARS, region="27").email,
        "cpam_11": make_user("cpam.11@test.fr", Role.CPAM, departments=("11",)).email,
        "cpam_25": make_user("cpam.25@test.fr", Role.CPAM, departments=("25", "34")).email,
        "admin": make_user("admin@test.fr", Role.ADMIN).email,
    }
    viewer_grant = db.session.scalar(
        select(RoleGrant).join(RoleGrant.user).where(RoleGrant.role == Role.VIEWER)
    )
    invitation, _token = invite(tenant_a, "invited@test.fr", Role.VIEWER, president_a)
    invitation_id = invitation.id
    db.session.commit()
    record = imports.start(tenant_a, EXAMPLE_IMPORT.read_bytes(), "exemple.csv", president_a.id)
    import_id = record.id
    db.session.commit()
    contract_ids = make_contract(tenant_a)
    return World(tenant_a, viewer_grant, invitation_id, member_id, import_id, users, contract_ids)


def sample_values(world: World) -> dict:
    return {
        "tenant": world.tenant_a.slug,
        "region": "76",
        "grant_id": world.grant_a.id,
        "invitation_id": world.invitation_id,
        "member_id": world.member_id,
        "import_id": world.import_id,
        "kind": "csv",
        "version": plotly.__version__,
        "token": "not-a-real-token",
        "filename": "css/app.css",
        "commune_code": NARBONNE,
        "mission": "acces_soins",
        "name": "parcours",  # a table of the dashboard, as CSV
        "template_id": 1,
        "table": "signatures",  # a chart of the regional pages, as CSV
        **world.contract_ids,
    }


def routes(app, world, *classes):
    values = sample_values(world)
    for rule in app.url_map.iter_rules():
        if route_class(app, rule) not in classes:
            continue
        missing = set(rule.arguments) - set(values)
        assert not missing, f"add a sample value for {missing} of {rule.rule} in sample_values()"
        path = rule.build({k: values[k] for k in rule.arguments})[1]
        actions = set(required_actions(app.view_functions[rule.endpoint]))
        for method in sorted(rule.methods - IGNORED_METHODS):
            yield path, method, actions


def tenant_state() -> tuple:
    """Everything a write to tenant A could change."""
    db.session.expire_all()
    tenant_a = db.session.scalar(select(Tenant).where(Tenant.slug == "cpts-a"))
    with tenant_bound(tenant_a.id):
        invitations = db.session.scalars(select(Invitation.revoked_at)).all()
        contract = contract_record(tenant_a)
        priorities = len(project.priorities(tenant_a))
        actions = len(project.actions(tenant_a))
        prevention = len(prevention_actions(tenant_a))
        # Reviewers change a period's state (their review records), never its values.
        values = sorted(
            db.session.execute(select(IndicatorValue.indicator_id, IndicatorValue.numerator)).all()
        )
    return (
        tuple(c.code for c in territory_of(tenant_a)),
        tenant_a.population,
        tenant_a.department_code,
        db.session.scalar(select(func.count()).select_from(RoleGrant).where(RoleGrant.active)),
        tuple(invitations),
        contract,
        (priorities, actions, prevention),
        values,
    )


def call(client, method, path):
    data = {"email": "intruder@test.fr", "role": "president", "tenant_id": 1, "communes": AGDE}
    return client.open(path, method=method, data=data if method != "GET" else None)


@pytest.mark.parametrize("outsider", ["president_b", "ars_27", "cpam_25"])
def test_outsiders_get_404_on_every_tenant_route(app, world, auth, outsider):
    auth.login(world.users[outsider])
    before = tenant_state()
    checked = 0
    for path, method, _action in routes(app, world, "tenant", "api"):
        response = call(auth.client, method, path)
        assert response.status_code == 404, f"{outsider} {method} {path} -> {response.status_code}"
        checked += 1
    assert checked >= 5
    assert tenant_state() == before
    denied = db.session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "cross_tenant_attempt")
    )
    assert denied == checked


@pytest.mark.parametrize("insider", sorted(EXPECTED))
def test_insiders_may_do_exactly_what_their_role_allows(app, world, auth, insider):
    """Every route and method, for every role covering CPTS A: allowed actions go through (200
    for a page, anything but 403/404 for a write), the others get 403, audited, and write
    nothing."""
    auth.login(world.users[insider])
    allowed = EXPECTED[insider]
    refused = 0
    for path, method, actions in routes(app, world, "tenant", "api"):
        status = call(auth.client, method, path).status_code
        if actions <= allowed:
            expected = (200,) if method in SAFE else (200, 201, 302, 400, 422)
            assert status in expected, f"{insider} {method} {path} ({actions}) -> {status}"
        else:
            assert status == 403, f"{insider} {method} {path} ({actions}) -> {status}"
            refused += 1
    refusals = db.session.scalars(
        select(AuditEvent.tenant_id).where(AuditEvent.action == "action_denied")
    ).all()
    assert len(refusals) == refused and set(refusals) <= {world.tenant_a.id}


def test_reviewers_and_viewers_change_nothing(app, world, auth):
    for user in ("cpam_11", "viewer_a", "ars_76"):
        auth.login(world.users[user])
        before = tenant_state()
        for path, method, _action in routes(app, world, "tenant", "api"):
            call(auth.client, method, path)
        assert tenant_state() == before, user
        auth.logout()


@pytest.mark.parametrize("outsider", ["ars_27", "president_a", "cpam_11"])
def test_regional_routes_are_404_outside_the_region(app, world, auth, outsider):
    auth.login(world.users[outsider])
    for path, method, _action in routes(app, world, "regional"):
        assert call(auth.client, method, path).status_code == 404, f"{outsider} {method} {path}"


def test_regional_routes_open_to_the_region(app, world, auth):
    auth.login(world.users["ars_76"])
    for path, method, _action in routes(app, world, "regional"):
        if method in SAFE:
            assert call(auth.client, method, path).status_code == 200, path


@pytest.mark.parametrize("outsider", ["president_a", "ars_76", "cpam_11"])
def test_admin_routes_are_404_for_everyone_else(app, world, auth, outsider):
    auth.login(world.users[outsider])
    for path, method, _action in routes(app, world, "admin"):
        assert call(auth.client, method, path).status_code == 404, f"{outsider} {method} {path}"


@pytest.mark.parametrize("outsider", ["president_a", "ars_76"])
def test_cpam_routes_are_404_for_non_cpam(app, world, auth, outsider):
    auth.login(world.users[outsider])
    for path, method, _action in routes(app, world, "cpam"):
        assert call(auth.client, method, path).status_code == 404, f"{outsider} {method} {path}"


def test_anonymous_users_are_sent_to_login_or_refused(app, world, client):
    for path, method, _action in routes(app, world, "tenant", "regional", "cpam", "admin", "api"):
        response = call(client, method, path)
        assert response.status_code in (302, 401), f"{method} {path} -> {response.status_code}"
        if response.status_code == 302:
            assert "/login" in response.location


def test_pages_and_api_of_b_contain_nothing_of_a(app, world, auth):
    """B's lists and API answers hold no row of A (commune, count, name)."""
    auth.login(world.users["president_b"])
    tenant_b = db.session.scalar(select(Tenant).where(Tenant.slug == "cpts-b"))
    for path in (
        "/t/cpts-b/",
        "/t/cpts-b/territoire",
        "/api/v1/t/cpts-b/",
        "/t/cpts-b/utilisateurs",
    ):
        body = auth.client.get(path).get_data(as_text=True)
        assert "Narbonne" not in body and "11262" not in body, path
        assert "president.a@test.fr" not in body and "viewer.a@test.fr" not in body, path
    data = auth.client.get("/api/v1/t/cpts-b/").get_json()["data"]
    assert data["slug"] == "cpts-b" and data["member_count"] == 0
    assert [c["code"] for c in data["communes"]] == [c.code for c in territory_of(tenant_b)]
