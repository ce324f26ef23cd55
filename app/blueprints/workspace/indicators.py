"""Indicators of the convention: the list with this year's tiers, the variable part earned
(how each euro was earned), the reporting periods; adding an indicator, setting its tiers,
opening a period."""

from __future__ import annotations

import re
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from app.blueprints.workspace.blueprint import bp, may
from app.domain import DomainError
from app.extensions import db
from app.models.aci import MAX_TIERS
from app.models.indicator import DEFINITION_LABELS, PeriodKind
from app.models.targets import DIRECTION_LABELS
from app.security.permissions import Action, require
from app.services import catalogue, reporting
from app.services import indicators as service
from app.services.convention import contract_of
from app.services.earnings import earnings
from app.tenants.resolver import current_tenant

# Messages shown beside their input; the others go in the notice on top.
INLINE = re.compile(r"baseline|code|name|mission|unit|direction|period|aggregation|starts_on|kind")
TIER_INLINE = re.compile(r"threshold_\d|amount_\d|signed_on|effective_on|reason|year")


def _page(errors: dict | None = None, status: int = 200):
    today = date.today()
    contract = contract_of(current_tenant, today)
    year = contract.year_of(today)
    terms = contract.terms_on(today)
    indicators = service.indicators(current_tenant)
    used = {i.template_id for i in indicators}
    rows = earnings(contract)
    years = sorted({r.year.number for r in rows})
    totals = {y: sum(r.earning.amount_cents for r in rows if r.year.number == y) for y in years}
    return render_template(
        "workspace/indicators.html",
        tenant=current_tenant,
        contract=contract,
        year=year,
        indicators=indicators,
        tiers={i.id: terms.tiers(i.code, year.number) if year else [] for i in indicators},
        earnings=rows,
        years=years,
        totals=totals,
        periods=reporting.periods(current_tenant),
        today=today,
        templates=[t for t in catalogue.templates() if t.id not in used],
        labels=DEFINITION_LABELS,
        errors=errors or {},
        notice=[m for k, ms in (errors or {}).items() if not INLINE.fullmatch(k) for m in ms],
        form=request.form if errors else {},
        can_write=may(Action.WRITE),
        outside=not may(Action.READ_PEOPLE),  # small counts masked (app.privacy)
    ), status  # fmt: skip


@bp.get("/indicateurs/")
@require(Action.READ)
def indicators():
    return _page()


@bp.post("/indicateurs/")
@require(Action.WRITE)
def add_indicator():
    data = request.form.to_dict()
    if data.get("source") != "local":
        data = {"template": data.get("template"), "baseline": data.get("baseline")}
    try:
        indicator = service.add_indicator(current_tenant, data)
    except DomainError as error:
        return _page(error.messages(), 400)
    db.session.commit()
    flash(gettext("Indicateur « %(name)s » ajouté.", name=indicator.name), "success")
    return redirect(url_for("workspace.indicators"))


@bp.route("/indicateurs/<id:indicator_id>/paliers", methods=["GET", "POST"])
@require(Action.WRITE)
def set_tiers(indicator_id: int):
    """One contract year's tiers of one indicator (by amendment once the convention has one)."""
    indicator = service.get_indicator(current_tenant, indicator_id) or abort(404)
    contract = contract_of(current_tenant)
    current = contract.year_of(date.today())
    form = request.form
    errors: dict = {}
    if request.method == "POST":
        rows = [(form.get(f"threshold_{n}", ""), form.get(f"amount_{n}", ""))
                for n in range(1, MAX_TIERS + 1)]  # fmt: skip
        amendment = {k: form.get(k) or None for k in ("signed_on", "effective_on", "reason")}
        year = int(form["year"]) if form.get("year", "").isdigit() else 0
        try:
            service.set_tiers(current_tenant, indicator, year, rows, amendment)
        except DomainError as error:
            errors = error.messages()
        else:
            db.session.commit()
            flash(gettext("Paliers enregistrés."), "success")
            return redirect(url_for("workspace.indicators"))
    year = current.number if current else 1
    return render_template(
        "workspace/indicator_tiers.html",
        tenant=current_tenant,
        indicator=indicator,
        direction_label=DIRECTION_LABELS[indicator.direction],
        year=year,
        tiers=contract.terms_on(date.today()).tiers(indicator.code, year),
        amendment=bool(contract.record.amendments),
        errors=errors,
        notice=[m for k, ms in errors.items() if not TIER_INLINE.fullmatch(k) for m in ms],
        form=form if errors else {},
        max_tiers=MAX_TIERS,
    ), 400 if errors else 200  # fmt: skip


@bp.post("/indicateurs/periodes")
@require(Action.WRITE)
def open_period():
    kind = request.form.get("kind", "")
    try:
        starts_on = date.fromisoformat(request.form.get("starts_on", "") + "-01")
    except ValueError:
        return _page({"starts_on": [gettext("Mois de début attendu (AAAA-MM).")]}, 400)
    if kind not in PeriodKind._value2member_map_:
        return _page({"kind": [gettext("Choix invalide.")]}, 400)
    try:
        period = reporting.open_period(current_tenant, PeriodKind(kind), starts_on)
    except DomainError as error:
        return _page(error.messages(), 400)
    db.session.commit()
    return redirect(url_for("workspace.period", period_id=period.id))
