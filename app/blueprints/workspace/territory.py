"""The CPTS's territory page: its communes and overlaps, adding and removing communes, and the
department of attachment (changed by the ARS or an admin only)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext
from wtforms.fields.choices import SelectChoice

from app.blueprints.forms import show_errors
from app.blueprints.workspace.blueprint import bp, may
from app.blueprints.workspace.forms import ReattachForm, TerritoryAddForm
from app.domain import DomainError
from app.extensions import db
from app.reports.tenant import DepartmentShare, department_shares, territory_view
from app.security.permissions import Action, require
from app.services import audit
from app.services.tenants import reattach as reattach_tenant
from app.services.territory import (
    change_territory,
    communes_by_code,
    communes_of_epcis,
    split_codes,
    territory_of,
)
from app.templating import number
from app.tenants.resolver import current_tenant


def _reattach_form(departments: list[DepartmentShare]) -> ReattachForm:
    form = ReattachForm()
    form.department_code.choices = [
        SelectChoice(d.code, f"{d.name} ({d.code})") for d in departments
    ]
    if not form.is_submitted():
        form.department_code.data = current_tenant.department_code
    return form


def _page(form: TerritoryAddForm, reattach_form: ReattachForm | None = None):
    view = territory_view(current_tenant)
    departments = department_shares(view.communes)
    refused = form.is_submitted() or (reattach_form is not None and reattach_form.is_submitted())
    return render_template(
        "workspace/territory.html",
        tenant=current_tenant,
        territory=view,
        departments=departments,
        form=form,
        reattach_form=reattach_form or _reattach_form(departments),
        can_write=may(Action.WRITE),
        can_reattach=may(Action.REATTACH),
    ), 400 if refused else 200


def _apply(**change) -> None:
    result = change_territory(current_tenant, **change)
    audit.record("territory_changed", obj=current_tenant, details=result)
    db.session.commit()
    flash(
        gettext(
            "Territoire mis à jour : %(added)s commune(s) ajoutée(s), %(removed)s retirée(s). "
            "Population : %(population)s habitants (%(size)s).",
            added=len(result["added"]),
            removed=len(result["removed"]),
            population=number(current_tenant.population),
            size=current_tenant.size_class,
        ),
        "success",
    )


@bp.get("/territoire")
@require(Action.READ)
def territory():
    return _page(TerritoryAddForm())


@bp.post("/territoire")
@require(Action.WRITE)
def add_to_territory():
    form = TerritoryAddForm()
    if not form.validate_on_submit():
        return _page(form)
    communes, epci = split_codes(form.communes.data), split_codes(form.epci.data)
    if not (communes or epci):
        form.communes.errors.append(gettext("Indiquez au moins un code INSEE ou un SIREN d'EPCI."))
        return _page(form)
    try:
        added = (communes_by_code(communes) if communes else []) + (
            communes_of_epcis(epci) if epci else []
        )
        _apply(add=added)
    except DomainError as error:
        db.session.rollback()
        show_errors(form, error)
        return _page(form)
    return redirect(url_for("workspace.territory"))


@bp.post("/territoire/<commune_code>/retirer")
@require(Action.WRITE)
def remove_from_territory(commune_code: str):
    try:
        _apply(remove=[commune_code])
    except DomainError as error:
        db.session.rollback()
        flash(error.summary(), "error")
    return redirect(url_for("workspace.territory"))


@bp.post("/territoire/rattachement")
@require(Action.REATTACH)
def reattach():
    form = _reattach_form(department_shares(territory_of(current_tenant)))
    if not form.validate_on_submit():
        return _page(TerritoryAddForm(formdata=None), form)
    try:
        change = reattach_tenant(current_tenant, form.department_code.data)
    except DomainError as error:
        show_errors(form, error)
        return _page(TerritoryAddForm(formdata=None), form)
    db.session.commit()
    if change:
        flash(
            gettext(
                "La CPTS est rattachée au département %(code)s : la CPAM de ce département la suit.",
                code=current_tenant.department_code,
            ),
            "success",
        )
    return redirect(url_for("workspace.territory"))
