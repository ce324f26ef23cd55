"""The CPTS workspace under /t/<slug>/: key facts of the CPTS and, for its president, its users."""

from __future__ import annotations

from functools import wraps

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.blueprints import scoped_blueprint
from app.blueprints.workspace.forms import ROLE_LABELS, InviteForm
from app.extensions import db
from app.models.user import Role
from app.reports.tenant import tenant_facts
from app.security.access import can_manage_users, can_write_tenant
from app.services import users
from app.tenants.resolver import current_tenant

bp = scoped_blueprint("workspace", __name__, "tenant", url_prefix="/t/<tenant>")


def president_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not can_manage_users(current_user, current_tenant):
            abort(403)
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
        _invitation, link = users.invite(
            current_tenant, form.email.data, Role(form.role.data), current_user._get_current_object()
        )
    except users.UserError as error:
        getattr(form, error.field).errors.append(str(error))
        return _users_page(form, 400)
    db.session.commit()
    flash(f"Invitation créée pour {form.email.data}. Lien valable 7 jours : {link}", "success")
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
    flash(f"L'accès de {grant.user.email} à la CPTS est désactivé.", "success")
    return redirect(url_for("workspace.user_list"))
