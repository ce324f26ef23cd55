"""The CPTS's users page: accounts, pending invitations, inviting and deactivating."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user

from app.blueprints.forms import show_errors
from app.blueprints.workspace.blueprint import bp
from app.blueprints.workspace.forms import ROLE_LABELS, InviteForm
from app.domain import DomainError
from app.extensions import db
from app.models.user import Invitation, Role
from app.security.permissions import Action, require
from app.services import access, users
from app.tenants.resolver import current_tenant


def _page(form: InviteForm, status: int = 200):
    return render_template(
        "workspace/users.html",
        tenant=current_tenant,
        grants=users.tenant_grants(current_tenant),
        invitations=access.pending_invitations(current_tenant),
        form=form,
        role_labels=ROLE_LABELS,
    ), status


@bp.get("/utilisateurs")
@require(Action.MANAGE_USERS)
def user_list():
    return _page(InviteForm())


@bp.post("/utilisateurs")
@require(Action.MANAGE_USERS)
def invite_user():
    form = InviteForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    try:
        invitation, token = access.invite(
            current_tenant, form.email.data, Role(form.role.data), current_user
        )
    except DomainError as error:
        show_errors(form, error)
        return _page(form, 400)
    db.session.commit()
    link = access.deliver_invitation(invitation, token)
    db.session.commit()
    flash(*_delivery_notice(invitation, link))
    return redirect(url_for("workspace.user_list"))


def _delivery_notice(invitation: Invitation, link: str | None) -> tuple[str, str]:
    if link is not None:
        return gettext(
            "Invitation créée pour %(email)s. Transmettez-lui ce lien, valable 7 jours : "
            "%(link)s. Le compte créé depuis ce lien restera « non vérifié » tant que sa "
            "titulaire n'aura pas prouvé détenir l'adresse.",
            email=invitation.email,
            link=link,
        ), "success"
    if invitation.revoked_at is not None:
        return gettext(
            "L'e-mail d'invitation à %(email)s n'a pas pu être envoyé : l'invitation est "
            "annulée. Réessayez plus tard.",
            email=invitation.email,
        ), "error"
    return gettext(
        "Invitation envoyée à %(email)s (lien valable 7 jours).", email=invitation.email
    ), "success"


@bp.post("/invitations/<id:invitation_id>/revoquer")
@require(Action.MANAGE_USERS)
def revoke_invitation(invitation_id: int):
    invitation = access.tenant_invitation(current_tenant, invitation_id) or abort(404)
    access.revoke_invitation(invitation, current_user, "revoked_by_user")
    db.session.commit()
    flash(gettext("L'invitation de %(email)s est annulée.", email=invitation.email), "success")
    return redirect(url_for("workspace.user_list"))


@bp.post("/utilisateurs/<id:grant_id>/desactiver")
@require(Action.MANAGE_USERS)
def deactivate_user(grant_id: int):
    grant = users.tenant_grant(current_tenant, grant_id) or abort(404)
    try:
        access.deactivate_grant(grant, current_user)
    except DomainError as error:
        flash(error.summary(), "error")
        return redirect(url_for("workspace.user_list"))
    db.session.commit()
    flash(
        gettext("L'accès de %(email)s à la CPTS est désactivé.", email=grant.user.email), "success"
    )
    return redirect(url_for("workspace.user_list"))
