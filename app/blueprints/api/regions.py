"""The regional figures through the API (GET /api/v1/regions/<code>/...), for ARS tooling: the
region's ARS and the platform admin only (another region answers 404, like its pages)."""

from __future__ import annotations

from datetime import date

from flask import g
from flask_smorest import Blueprint as ApiBlueprint
from marshmallow import RAISE

from app.blueprints import scoped_blueprint
from app.blueprints.api.auth import authenticate
from app.reports import trends
from app.reports.overview import medians, overview_rows
from app.rollups.regional import freshness
from app.schemas.envelope import envelope
from app.schemas.regional import (
    ConventionsSchema,
    GrowthSchema,
    OutcomesArgsSchema,
    OutcomesSchema,
    OverviewSchema,
)
from app.tenants.models import Tenant

region_api: ApiBlueprint = scoped_blueprint(
    "api_region",
    __name__,
    "regional",
    url_prefix="/api/v1/regions/<region>",
    blueprint_class=ApiBlueprint,
    authenticate=authenticate,
    description="Les chiffres d'une région, tirés des agrégats mensuels : pour l'ARS de la "
    "région (et l'administration de la plateforme).",
)

REGION_PARAMETER = {
    "in": "path",
    "name": "region",
    "required": True,
    "schema": {"type": "string", "pattern": "^[0-9]{2}$"},
    "description": "code INSEE de la région (par exemple 76 pour l'Occitanie)",
}


def _head() -> dict:
    return {"region": g.region.code, "data_as_of": freshness(g.region.code).updated_at}


def _rows():
    return overview_rows(Tenant.region_code == g.region.code, date.today())


@region_api.route("/overview", methods=["GET"])
@region_api.response(200, envelope(OverviewSchema))
def overview():
    """Every CPTS of the region with its figures this month, and the regional medians."""
    rows = _rows()
    return {"data": {**_head(), "medians": medians(rows), "cptss": rows}}


@region_api.route("/growth", methods=["GET"])
@region_api.response(200, envelope(GrowthSchema))
def growth():
    """Members month by month over five years, for the region and each CPTS."""
    rows = _rows()
    found = trends.growth(rows, date.today())
    series = [{"slug": r.tenant.slug, "members": found.cpts[r.tenant.id]} for r in rows]
    totals = [row[-2] for row in found.region.rows]
    return {"data": {**_head(), "months": found.months, "region_members": totals,
                     "cptss": series}}  # fmt: skip


@region_api.route("/conventions", methods=["GET"])
@region_api.response(200, envelope(ConventionsSchema))
def conventions():
    """Convention status today, signatures and amendments by year, money by year (cents)."""
    rows = _rows()
    found = trends.conventions(rows, date.today())
    statuses: dict[str, int] = {}
    for row in rows:
        status = row.current.convention or "sans_convention"
        statuses[status] = statuses.get(status, 0) + 1
    keys = ("year", "signatures", "cumulative", "amendments")
    money = ("year", "planned_cents", "due_cents", "paid_cents")
    return {"data": {**_head(), "statuses": statuses,
                     "years": [dict(zip(keys, r, strict=True)) for r in found.years.rows],
                     "money": [dict(zip(money, r, strict=True)) for r in found.money.rows]}}  # fmt: skip


@region_api.route("/outcomes", methods=["GET"])
@region_api.arguments(OutcomesArgsSchema, location="query", as_kwargs=True, unknown=RAISE)
@region_api.response(200, envelope(OutcomesSchema))
def outcomes(template: str | None):
    """A catalogue template's values per CPTS over twelve months (small counts masked: null)."""
    found = trends.outcomes(_rows(), date.today(), template)
    shown = found.template
    return {"data": {
        **_head(), "template": shown.code if shown else None,
        "unit": shown.unit.value if shown else None,
        "templates": [t.code for t in found.templates], "median": found.median,
        "cptss": [o for o in found.results if o.value is not None or o.masked],
    }}  # fmt: skip
