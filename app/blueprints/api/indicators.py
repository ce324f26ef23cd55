"""Indicators, reporting periods and pathways through the API: read them; open a period, enter
values and submit with a write token of the CPTS; validate, send back with comments, reopen with a
reviewer's write token (ARS of the region, CPAM of the department; reopening is the ARS's)."""

from __future__ import annotations

from datetime import date

from flask import abort
from flask_login import current_user

from app import privacy
from app.blueprints.api.blueprint import tenant_api
from app.extensions import db
from app.models.indicator import ReportingPeriod
from app.schemas.envelope import envelope
from app.schemas.indicator import (
    EarningSchema,
    IndicatorSchema,
    PathwayDetailSchema,
    PathwaySchema,
    PeriodInputSchema,
    ReopenInputSchema,
    ReportingPeriodDetailSchema,
    ReportingPeriodSchema,
    SendBackInputSchema,
    ValuesInputSchema,
)
from app.security.permissions import Action, can, require
from app.services import catalogue, pathways, reporting
from app.services import indicators as service
from app.services.convention import contract_of
from app.services.earnings import earnings
from app.tenants.resolver import current_tenant


def _outside() -> bool:
    """A reader outside the CPTS (ARS, CPAM): small counts are masked for them (app.privacy)."""
    return not can(current_user, Action.READ_PEOPLE, current_tenant)


@tenant_api.route("/indicators", methods=["GET"])
@require(Action.READ)
@tenant_api.response(200, envelope(IndicatorSchema, many=True))
def indicators():
    """The indicators of the convention, with their tiers for the current contract year."""
    contract = contract_of(current_tenant)
    year = contract.year_of(date.today())
    terms = contract.terms_on(date.today())
    templates = {t.id: t.code for t in catalogue.templates()}
    return {
        "data": [
            {
                **vars_of(i),
                "template": templates.get(i.template_id),
                "tiers": terms.tiers(i.code, year.number) if year else [],
            }
            for i in service.indicators(current_tenant)
        ]  # fmt: skip
    }


def vars_of(row) -> dict:
    return {c: getattr(row, c) for c in row.__mapper__.columns.keys()}


@tenant_api.route("/indicators/earnings", methods=["GET"])
@require(Action.READ)
@tenant_api.response(200, envelope(EarningSchema, many=True))
def variable_part():
    """The variable part earned per indicator and contract year, from the validated periods,
    and how: the tier reached, the next one and what it would add. Read from outside the CPTS
    (ARS, CPAM), small counts are masked (`measure.masked`)."""
    rows = earnings(contract_of(current_tenant))
    outside = _outside()
    return {
        "data": [
            {
                "indicator": r.indicator.code,
                "year": r.year.number,
                "measure": privacy.measure(r.measure) if outside else r.measure,
                "status": r.earning.status,
                "amount_cents": r.earning.amount_cents,
                "reached": r.earning.reached,
                "next_tier": r.earning.next_tier,
                "more_cents": r.earning.more_cents,
            }
            for r in rows
        ]  # fmt: skip
    }


def _period(period: ReportingPeriod) -> dict:
    return {**vars_of(period), "timeliness": period.timeliness(date.today())}


def _detail(period: ReportingPeriod) -> dict:
    return {
        **_period(period),
        "values": [vars_of(v) for v in reporting.values_of(period).values()],
        "events": reporting.trail(period),
        "changes": reporting.changes_since_review(period),
    }


def _period_or_404(period_id: int) -> ReportingPeriod:
    return reporting.get_period(current_tenant, period_id) or abort(404)


@tenant_api.route("/periods", methods=["GET"])
@require(Action.READ)
@tenant_api.response(200, envelope(ReportingPeriodSchema, many=True))
def periods():
    """The reporting periods, newest first."""
    return {"data": [_period(p) for p in reporting.periods(current_tenant)]}


@tenant_api.route("/periods", methods=["POST"])
@require(Action.WRITE)
@tenant_api.arguments(PeriodInputSchema, location="json")
@tenant_api.response(201, envelope(ReportingPeriodDetailSchema))
def open_period(data: dict):
    """Open a period (a calendar month, quarter or year, from its first day); an open one is
    returned as it is."""
    period = reporting.open_period(current_tenant, data["kind"], data["starts_on"])
    db.session.commit()
    return {"data": _detail(period)}


@tenant_api.route("/periods/<id:period_id>", methods=["GET"])
@require(Action.READ)
@tenant_api.response(200, envelope(ReportingPeriodDetailSchema))
def period(period_id: int):
    """A period with its values, its trail and what changed since the last review."""
    return {"data": _detail(_period_or_404(period_id))}


@tenant_api.route("/periods/<id:period_id>/values", methods=["PUT"])
@require(Action.WRITE)
@tenant_api.arguments(ValuesInputSchema, location="json")
@tenant_api.response(200, envelope(ReportingPeriodDetailSchema))
def enter_values(data: dict, period_id: int):
    """Enter values (numbers, or a reason they are missing) and, with `submit`, submit."""
    period = _period_or_404(period_id)
    entries = {v["indicator_id"]: v for v in data["values"]}
    reporting.enter_values(current_tenant, period, entries)
    if data["submit"]:
        reporting.submit(current_tenant, period)
    db.session.commit()
    return {"data": _detail(period)}


@tenant_api.route("/periods/<id:period_id>/submit", methods=["POST"])
@require(Action.WRITE)
@tenant_api.response(200, envelope(ReportingPeriodDetailSchema))
def submit(period_id: int):
    """Submit the period to its reviewers (every value given, or missing with its reason)."""
    period = _period_or_404(period_id)
    reporting.submit(current_tenant, period)
    db.session.commit()
    return {"data": _detail(period)}


@tenant_api.route("/periods/<id:period_id>/validate", methods=["POST"])
@require(Action.REVIEW)
@tenant_api.response(200, envelope(ReportingPeriodDetailSchema))
def validate(period_id: int):
    """Validate a submitted period: it is locked."""
    period = _period_or_404(period_id)
    reporting.validate(current_tenant, period)
    db.session.commit()
    return {"data": _detail(period)}


@tenant_api.route("/periods/<id:period_id>/send-back", methods=["POST"])
@require(Action.REVIEW)
@tenant_api.arguments(SendBackInputSchema, location="json")
@tenant_api.response(200, envelope(ReportingPeriodDetailSchema))
def send_back(data: dict, period_id: int):
    """Send a submitted period back with a comment on each value to look at again."""
    period = _period_or_404(period_id)
    comments = {c["indicator_id"]: c["comment"] for c in data["comments"]}
    reporting.send_back(current_tenant, period, comments)
    db.session.commit()
    return {"data": _detail(period)}


@tenant_api.route("/periods/<id:period_id>/reopen", methods=["POST"])
@require(Action.REOPEN)
@tenant_api.arguments(ReopenInputSchema, location="json")
@tenant_api.response(200, envelope(ReportingPeriodDetailSchema))
def reopen(data: dict, period_id: int):
    """Reopen a validated period for correction, with the reason (the ARS's decision)."""
    period = _period_or_404(period_id)
    reporting.reopen(current_tenant, period, data["reason"])
    db.session.commit()
    return {"data": _detail(period)}


def _pathway(pathway, outcomes) -> dict:
    return {**vars_of(pathway), "outcomes": [i.code for i in outcomes]}


@tenant_api.route("/pathways", methods=["GET"])
@require(Action.READ)
@tenant_api.response(200, envelope(PathwaySchema, many=True))
def pathway_list():
    """The CPTS's care pathways and the codes of their outcome indicators."""
    outcomes = pathways.all_outcomes(current_tenant)
    return {
        "data": [
            _pathway(p, [i for i in outcomes if i.pathway_id == p.id])
            for p in pathways.pathways(current_tenant)
        ]
    }


@tenant_api.route("/pathways/<id:pathway_id>", methods=["GET"])
@require(Action.READ)
@tenant_api.response(200, envelope(PathwayDetailSchema))
def pathway_detail(pathway_id: int):
    """A pathway and its outcomes period by period (small counts masked from outside)."""
    found = pathways.get_pathway(current_tenant, pathway_id) or abort(404)
    outcomes = pathways.outcomes(current_tenant, found)
    outside = _outside()
    periods = [
        {"period_id": row.period.id, "kind": row.period.kind, "starts_on": row.period.starts_on,
         "status": row.period.status,
         "values": [{"indicator": i.code,
                     "measure": privacy.measure(m) if outside else m}
                    for i in outcomes if (m := row.measures.get(i.id)) is not None]}
        for row in pathways.outcome_rows(current_tenant, outcomes)
    ]  # fmt: skip
    return {"data": {**_pathway(found, outcomes), "periods": periods}}
