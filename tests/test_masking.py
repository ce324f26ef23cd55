"""Small counts from outside the CPTS: every page, export and API answer an ARS or CPAM user
can open about a CPTS (and the regional and CPAM pages) is walked, and none shows a count from
1 to 10, or a rate with such a term, that the CPTS reported. The one exception, on purpose:
the period under review (/periodes/<id>), where the reviewer validates the figures themselves.
The CPTS's own users see everything."""

from __future__ import annotations

from datetime import date

import pytest

from app.extensions import db
from app.models.indicator import PeriodKind
from app.models.user import Role
from app.services import catalogue, pathways, reporting
from app.services.indicators import add_indicator
from app.tenants.context import tenant_bound
from tests.factories import make_contract, make_tenant, make_user

REVIEW_ACT = ("/periodes/<", "/periods/<")  # the figures under review, for the reviewer
SMALL_RATE = ("77,8", "7 / 9", "77.8")  # 7 out of 9
SMALL_COUNT = (";7;", ";7\r\n")  # 7 patients included, in a CSV


@pytest.fixture
def world(app):
    catalogue.load_catalogue()
    tenant = make_tenant("cpts-a")
    make_contract(tenant)  # signed 1 March 2024: Q4 2025 closes contract year 2 (earnings)
    with tenant_bound(tenant.id):
        share = add_indicator(tenant, {"template": "mt_16"})
        pathway = pathways.add_pathway(tenant, {"kind": "insuffisance_cardiaque"})
        period = reporting.open_period(tenant, PeriodKind.QUARTER, date(2025, 10, 1))
        values = {i.id: {"numerator": 7, "denominator": 9} for i in reporting.indicators_of(period)}
        for outcome in pathways.outcomes(tenant, pathway):
            if outcome.unit == "count":
                values[outcome.id] = {"numerator": 7}
        values[share.id] = {"numerator": 7, "denominator": 9}
        reporting.enter_values(tenant, period, values)
        reporting.submit(tenant, period)
        reporting.validate(tenant, period)
        ids = {"pathway_id": pathway.id, "period_id": period.id, "indicator_id": share.id}
        db.session.commit()
    make_user("president@test.fr", Role.PRESIDENT, tenant=tenant)
    make_user("ars@test.fr", Role.ARS, region="76")
    make_user("cpam@test.fr", Role.CPAM, departments=("11",))
    return ids


def outside_views(app, ids):
    values = {"tenant": "cpts-a", "region": "76", "name": "parcours", **ids}
    for rule in app.url_map.iter_rules():
        blueprint = rule.endpoint.rpartition(".")[0]
        if "GET" not in rule.methods or blueprint not in ("workspace", "api", "regional", "cpam"):
            continue
        if set(rule.arguments) - set(values) or any(part in rule.rule for part in REVIEW_ACT):
            continue
        yield rule.build({k: values[k] for k in rule.arguments})[1]


@pytest.mark.parametrize("reader", ["ars@test.fr", "cpam@test.fr"])
def test_no_outside_view_shows_a_small_count(app, auth, world, reader):
    auth.login(reader)
    walked = 0
    for path in outside_views(app, world):
        response = auth.client.get(path)
        if response.status_code != 200:
            continue
        body = response.get_data(as_text=True)
        assert not any(text in body for text in SMALL_RATE + SMALL_COUNT), path
        assert '"numerator": 7' not in body and '"numerator":7' not in body, path
        walked += 1
    assert walked >= 15
    earned = auth.client.get("/api/v1/t/cpts-a/indicators/earnings").get_json()["data"]
    share = next(r for r in earned if r["indicator"] == "mt_16" and r["year"] == 2)
    assert share["measure"]["masked"] and share["measure"]["numerator"] is None
    page = auth.client.get(f"/t/cpts-a/parcours/{world['pathway_id']}").get_data(as_text=True)
    assert "moins de 11 (masqué)" in page


def test_the_cptss_own_users_see_their_figures(auth, world):
    auth.login("president@test.fr")
    page = auth.client.get(f"/t/cpts-a/parcours/{world['pathway_id']}").get_data(as_text=True)
    assert "7 / 9" in page and "masqué" not in page
    earned = auth.client.get("/api/v1/t/cpts-a/indicators/earnings").get_json()["data"]
    share = next(r for r in earned if r["indicator"] == "mt_16" and r["year"] == 2)
    assert share["measure"] == {"numerator": 7, "denominator": 9, "missing_reason": None,
                                "masked": False}  # fmt: skip


def test_the_walk_would_see_the_figures_if_they_were_not_masked(app, auth, world):
    """The same walk as the CPTS's president finds them: the outside test can fail."""
    auth.login("president@test.fr")
    bodies = [auth.client.get(path).get_data(as_text=True) for path in outside_views(app, world)]
    assert any(text in body for body in bodies for text in SMALL_RATE)
    assert any(text in body for body in bodies for text in SMALL_COUNT)  # the pathways' CSV
