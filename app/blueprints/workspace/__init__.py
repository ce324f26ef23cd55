"""The CPTS workspace under /t/<slug>/: key facts of the CPTS and, for its president, its users."""

from __future__ import annotations

from functools import wraps

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.blueprints import scoped_blueprint
from app.blueprints.workspace.forms import ROLE_LABELS, IdentityForm, InviteForm, TerritoryAddForm
from app.extensions import db
from app.models.user import Role
from app.reports.tenant import tenant_facts, territory_view
from app.security.access import can_manage_users, can_write_tenant
from app.services import audit, users
from app.templating import number
from app.tenants.resolver import current_tenant, forbid
from app.tenants.schemas import STAGE_LABELS
from app.tenants.services import EDITABLE, TenantDataError, update_tenant
from app.tenants.territory import (
    TerritoryError,
    change_territory,
    communes_by_code,
    communes_of_epcis,
    split_codes,
    territory_of,
)

bp = scoped_blueprint("workspace", __name__, "tenant", url_prefix="/t/<tenant>")


def president_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not can_manage_users(current_user, current_tenant):
            forbid()
        return view(*args, **kwargs)

    return wrapped


@bp.get("/")
def home():
    return render_template(
        "workspace/home.html",
        tenant=current_tenant,
        facts=tenant_facts(current_tenant),
        can_write=can_write_tenant(current_user, current_tenant),
        can_manage=can_manage_users(current_user, current_tenant),
    )


def _users_page(form: InviteForm, status: int = 200):
    return render_template(
        "workspace/users.html",
        tenant=current_tenant,
        grants=users.tenant_grants(current_tenant),
        invitations=users.pending_invitations(current_tenant),
        form=form,
        role_labels=ROLE_LABELS,
    ), status


@bp.get("/utilisateurs")
@president_required
def user_list():
    return _users_page(InviteForm())


@bp.post("/utilisateurs")
@president_required
def invite_user():
    form = InviteForm()
    if not form.validate_on_submit():
        return _users_page(form, 400)
    try:
        invitation, link = users.invite(
            current_tenant,
            form.email.data,
            Role(form.role.data),
            current_user._get_current_object(),
        )
    except users.UserError as error:
        getattr(form, error.field).errors.append(str(error))
        return _users_page(form, 400)
    db.session.commit()
    if users.deliver_invitation(invitation, link):
        message = gettext(
            "Invitation envoyée à %(email)s (lien valable 7 jours).", email=invitation.email
        )
    else:
        message = gettext(
            "Invitation créée pour %(email)s. Transmettez-lui ce lien, valable 7 jours : %(link)s",
            email=invitation.email,
            link=link,
        )
    flash(message, "success")
    return redirect(url_for("workspace.user_list"))


@bp.post("/utilisateurs/<int:grant_id>/desactiver")
@president_required
def deactivate_user(grant_id: int):
    grant = users.tenant_grant(current_tenant, grant_id)
    if grant is None:
        abort(404)
    try:
        users.deactivate_grant(grant, current_user._get_current_object())
    except users.UserError as error:
        flash(str(error), "error")
        return redirect(url_for("workspace.user_list"))
    db.session.commit()
    flash(
        gettext("L'accès de %(email)s à la CPTS est désactivé.", email=grant.user.email), "success"
    )
    return redirect(url_for("workspace.user_list"))


def _territory_page(form: TerritoryAddForm, status: int = 200):
    return render_template(
        "workspace/territory.html",
        tenant=current_tenant,
        territory=territory_view(current_tenant),
        form=form,
        can_write=can_write_tenant(current_user, current_tenant),
    ), status


def _apply_territory_change(**change) -> None:
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
def territory():
    return _territory_page(TerritoryAddForm())


@bp.post("/territoire")
def add_to_territory():
    form = TerritoryAddForm()
    if not form.validate_on_submit():
        return _territory_page(form, 400)
    communes, epci = split_codes(form.communes.data), split_codes(form.epci.data)
    if not (communes or epci):
        form.communes.errors.append("Indiquez au moins un code INSEE ou un SIREN d'EPCI.")
        return _territory_page(form, 400)
    try:
        added = (communes_by_code(communes) if communes else []) + (
            communes_of_epcis(epci) if epci else []
        )
    except TerritoryError as error:
        field = form.epci if "EPCI" in str(error) else form.communes
        field.errors.append(str(error))
        return _territory_page(form, 400)
    _apply_territory_change(add=added)
    return redirect(url_for("workspace.territory"))


@bp.post("/territoire/<commune_code>/retirer")
def remove_from_territory(commune_code: str):
    try:
        _apply_territory_change(remove=[commune_code])
    except TerritoryError as error:
        db.session.rollback()
        flash(str(error), "error")
    return redirect(url_for("workspace.territory"))


def _identity_form(communes) -> IdentityForm:
    form = IdentityForm(obj=current_tenant)
    form.stage.choices = [
        SelectChoice(stage.value, gettext(label)) for stage, label in STAGE_LABELS.items()
    ]
    form.seat_commune_code.choices = [SelectChoice("", gettext("— non renseignée —"))] + [
        SelectChoice(c.code, f"{c.name} ({c.code})") for c in communes
    ]
    if not form.is_submitted():
        form.stage.data = current_tenant.stage.value
    return form


@bp.route("/identite", methods=["GET", "POST"])
def identity():
    if not can_write_tenant(current_user, current_tenant):
        forbid()
    communes = territory_of(current_tenant)
    form = _identity_form(communes)
    if form.validate_on_submit():
        data = {field: (getattr(form, field).data or "").strip() or None for field in EDITABLE}
        try:
            changes = update_tenant(current_tenant, data, {c.code for c in communes})
        except TenantDataError as error:
            for field, messages in error.errors.items():
                getattr(form, field).errors.extend(messages)
        else:
            db.session.commit()
            flash(
                gettext("Fiche mise à jour (%(n)s champ(s) modifié(s)).", n=len(changes)), "success"
            )
            return redirect(url_for("workspace.home"))
    status = 400 if form.is_submitted() else 200
    return render_template("workspace/identity.html", tenant=current_tenant, form=form), status
