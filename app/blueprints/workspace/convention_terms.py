"""The convention's terms: entered as signed (and corrected until the first amendment), then
changed only by amendments, whose history shows each term before and after."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext

from app.blueprints.forms import render_form, show_errors
from app.blueprints.workspace.blueprint import bp, may
from app.blueprints.workspace.contract_forms import AmendmentForm, ConventionForm
from app.blueprints.workspace.terms_grid import grid_rows, grid_values, read_grid
from app.domain import DomainError
from app.extensions import db
from app.models.aci import (
    MAX_YEARS,
    OPTIONAL,
    TermKind,
    Terms,
    default_running_budget,
    term_kind,
)
from app.models.contract import Contract, default_end
from app.reports.convention import term_label, term_value
from app.security.permissions import Action, require
from app.services import convention as service
from app.tenants.resolver import current_tenant


def _default_terms() -> Terms:
    """A new convention's grid: the running budget of the CPTS's size class, the rest empty."""
    size = current_tenant.size_class
    return Terms({f"running:{y}": str(default_running_budget(size, None, y)) for y in range(1, 6)})


def _form_page(template: str, form, contract: Contract, terms: Terms, years: int, **context):
    rows = grid_rows(years)
    values = request.form.to_dict() if form.is_submitted() else grid_values(terms, rows)
    return render_form(
        template,
        form,
        tenant=current_tenant,
        contract=contract,
        rows=rows,
        years=years,
        values=values,
        optional=OPTIONAL,
        **context,
    )


def _refused(form, error: DomainError) -> None:
    """Messages of grid cells stay on the cells; the others go on their field, or on top."""
    grid = {k: v for k, v in error.messages().items() if term_kind(k) is not None}
    show_errors(form, DomainError({k: v for k, v in error.errors.items() if k not in grid}))
    form.grid_errors = grid
    if grid:
        form.form_errors.append(gettext("Certaines cases du tableau sont à corriger (en rouge)."))


def _tiers(terms: Terms) -> dict:
    return {k: terms.get(k) for k in terms.values if term_kind(k) is TermKind.TIER}


def _text(form, name: str) -> str | None:
    return (getattr(form, name).data or "").strip() or None


@bp.route("/convention/termes", methods=["GET", "POST"])
@require(Action.WRITE)
def convention_terms():
    contract = service.contract_of(current_tenant)
    form = ConventionForm()
    if not form.is_submitted() and contract.record.has_convention:
        record = contract.record
        form.reference.data = record.reference
        form.signed_on.data = record.signed_on.isoformat() if record.signed_on else ""
        form.starts_on.data = record.starts_on.isoformat() if record.starts_on else ""
    years = len(contract.years) or 5
    if form.validate_on_submit():
        try:
            data = {
                "reference": _text(form, "reference"),
                "signed_on": _text(form, "signed_on"),
                "starts_on": _text(form, "starts_on") or _text(form, "signed_on"),
                # The grid holds the money and the missions; the indicators' tiers are set on
                # the indicators page and kept here.
                "terms": {**_tiers(contract.original), **read_grid(request.form, grid_rows(years))},
            }
            service.save_convention(current_tenant, data)
        except DomainError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(gettext("Termes de la convention enregistrés."), "success")
            return redirect(url_for("workspace.convention"))
    terms = contract.original if contract.record.has_convention else _default_terms()
    if not terms.end_on and contract.starts_on:
        terms = terms.applied({"end_on": default_end(contract.starts_on).isoformat()})
    locked = bool(contract.record.amendments)  # shown, no longer changed
    return _form_page(
        "workspace/convention_terms.html", form, contract, terms, years, locked=locked
    )


@bp.route("/convention/avenants/nouveau", methods=["GET", "POST"])
@require(Action.WRITE)
def new_amendment():
    contract = service.contract_of(current_tenant)
    numbers = [a.number for a in contract.amendments()]
    form = AmendmentForm()
    if not form.is_submitted():
        form.number.data = max(numbers, default=0) + 1
        form.signed_on.data = form.effective_on.data = date.today().isoformat()
    years = min(len(contract.years) + 1, MAX_YEARS)
    if form.validate_on_submit():
        try:
            data = {
                "number": form.number.data,
                "signed_on": _text(form, "signed_on"),
                "effective_on": _text(form, "effective_on"),
                "reason": _text(form, "reason"),
                "changes": read_grid(request.form, grid_rows(years)),
            }
            amendment = service.record_amendment(current_tenant, data)
        except DomainError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(
                gettext("Avenant n° %(n)s enregistré : %(count)s terme(s) modifié(s).",
                        n=amendment.number, count=len(amendment.changes)),
                "success",
            )  # fmt: skip
            return redirect(url_for("workspace.amendments"))
    latest = contract.terms_on(date.max)  # every amendment applied, even those ahead
    if latest.end_on is None and contract.end_on is not None:
        latest = latest.applied({"end_on": contract.end_on.isoformat()})
    return _form_page("workspace/amendment_new.html", form, contract, latest, years)


@bp.get("/convention/avenants/")
@require(Action.READ)
def amendments():
    contract = service.contract_of(current_tenant)
    return render_template(
        "workspace/amendments.html",
        tenant=current_tenant,
        contract=contract,
        history=contract.history(),
        term_label=term_label,
        term_value=term_value,
        can_write=may(Action.WRITE),
    )
