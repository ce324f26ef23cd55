"""The CPTS workspace under /t/<slug>/: key facts of the CPTS and, for its president, its users."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.blueprints import scoped_blueprint
from app.blueprints.workspace.forms import (
    ROLE_LABELS,
    IdentityForm,
    InviteForm,
    ReattachForm,
    TerritoryAddForm,
)
from app.extensions import db
from app.models.user import Role
from app.reports.tenant import department_shares, tenant_facts, territory_view
from app.security.permissions import Action, can, require
from app.services import audit, users
from app.templating import number
from app.tenants.resolver import current_tenant
from app.tenants.schemas import STAGE_LABELS
from app.tenants.services import EDITABLE, TenantDataError, update_tenant
from app.tenants.services import reattach as reattach_tenant
from app.tenants.territory import (
    TerritoryError,
    change_territory,
    communes_by_code,
    communes_of_epcis,
    split_codes,
    territory_of,
)

bp = scoped_blueprint("workspace", __name__, "tenant", url_prefix="/t/<tenant>")


def may(action: Action) -> bool:
    return can(current_user, action, current_tenant)


@bp.get("/")
@require(Action.READ)
def home():
    return render_template(
        "workspace/home.html",
        tenant=current_tenant,
        facts=tenant_facts(current_tenant),
        can_write=may(Action.WRITE),
        can_manage=may(Action.MANAGE_USERS),
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
@require(Action.MANAGE_USERS)
def user_list():
    return _users_page(InviteForm())


@bp.post("/utilisateurs")
@require(Action.MANAGE_USERS)
def invite_user():
    form = InviteForm()
    if not form.validate_on_submit():
        return _users_page(form, 400)
    try:
        invitation, token = users.invite(
            current_tenant,
            form.email.data,
            Role(form.role.data),
            current_user._get_current_object(),
        )
    except users.UserError as error:
        getattr(form, error.field).errors.append(str(error))
        return _users_page(form, 400)
    db.session.commit()
    link = users.deliver_invitation(invitation, token)
    db.session.commit()
    if link is not None:
        flash(
            gettext(
                "Invitation créée pour %(email)s. Transmettez-lui ce lien, valable 7 jours : "
                "%(link)s. Le compte créé depuis ce lien restera « non vérifié » tant que sa "
                "titulaire n'aura pas prouvé détenir l'adresse.",
                email=invitation.email,
                link=link,
            ),
            "success",
        )
    elif invitation.revoked_at is not None:
        flash(
            gettext(
                "L'e-mail d'invitation à %(email)s n'a pas pu être envoyé : l'invitation est "
                "annulée. Réessayez plus tard.",
                email=invitation.email,
            ),
            "error",
        )
    else:
        flash(
            gettext(
                "Invitation envoyée à %(email)s (lien valable 7 jours).", email=invitation.email
            ),
            "success",
        )
    return redirect(url_for("workspace.user_list"))


@bp.post("/invitations/<int:invitation_id>/revoquer")
@require(Action.MANAGE_USERS)
def revoke_invitation(invitation_id: int):
    invitation = users.tenant_invitation(current_tenant, invitation_id)
    if invitation is None:
        abort(404)
    users.revoke_invitation(invitation, current_user._get_current_object(), "revoked_by_user")
    db.session.commit()
    flash(gettext("L'invitation de %(email)s est annulée.", email=invitation.email), "success")
    return redirect(url_for("workspace.user_list"))


@bp.post("/utilisateurs/<int:grant_id>/desactiver")
@require(Action.MANAGE_USERS)
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


def _reattach_form(departments) -> ReattachForm:
    form = ReattachForm()
    form.department_code.choices = [
        SelectChoice(d.code, f"{d.name} ({d.code})") for d in departments
    ]
    if not form.is_submitted():
        form.department_code.data = current_tenant.department_code
    return form


def _territory_page(form: TerritoryAddForm, status: int = 200, reattach_form=None):
    view = territory_view(current_tenant)
    departments = department_shares(view.communes)
    return render_template(
        "workspace/territory.html",
        tenant=current_tenant,
        territory=view,
        departments=departments,
        form=form,
        reattach_form=reattach_form or _reattach_form(departments),
        can_write=may(Action.WRITE),
        can_reattach=may(Action.REATTACH),
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
@require(Action.READ)
def territory():
    return _territory_page(TerritoryAddForm())


@bp.post("/territoire")
@require(Action.WRITE)
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
        _apply_territory_change(add=added)
    except TerritoryError as error:
        db.session.rollback()
        field = form.epci if "EPCI" in str(error) else form.communes
        field.errors.append(str(error))
        return _territory_page(form, 400)
    return redirect(url_for("workspace.territory"))


@bp.post("/territoire/<commune_code>/retirer")
@require(Action.WRITE)
def remove_from_territory(commune_code: str):
    try:
        _apply_territory_change(remove=[commune_code])
    except TerritoryError as error:
        db.session.rollback()
        flash(str(error), "error")
    return redirect(url_for("workspace.territory"))


@bp.post("/territoire/rattachement")
@require(Action.REATTACH)
def reattach():
    form = _reattach_form(department_shares(territory_of(current_tenant)))
    if not form.validate_on_submit():
        return _territory_page(TerritoryAddForm(), 400, form)
    try:
        change = reattach_tenant(current_tenant, form.department_code.data)
    except TenantDataError as error:
        form.department_code.errors.extend(error.errors.get("department_code", []))
        return _territory_page(TerritoryAddForm(), 400, form)
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
@require(Action.WRITE)
def identity():
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
