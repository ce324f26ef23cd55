"""Login, logout, password change and invitation acceptance."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from app.blueprints import scoped_blueprint
from app.blueprints.auth.forms import (
    AcceptInvitationForm,
    ExistingAccountForm,
    LoginForm,
    PasswordChangeForm,
)
from app.extensions import db
from app.security import throttle
from app.security.passwords import verify_password
from app.security.redirects import local_path
from app.services import audit, users
from app.sessions import end_session, start_session

bp = scoped_blueprint("auth", __name__, "public")


def _safe_next(target: str | None) -> str:
    return local_path(target, url_for("main.index"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template(
            "auth/login.html", form=form
        ), 400 if request.method == "POST" else 200
    email = form.email.data.strip().lower()
    address = request.remote_addr or "-"
    if throttle.is_throttled(email, address):
        audit.record_now(
            "login_throttled", outcome="denied", details={"email": email}, status_code=429
        )
        form.form_errors.append("Trop de tentatives : réessayez dans quelques minutes.")
        return render_template("auth/login.html", form=form), 429
    user = users.find_user(email)
    # An unknown address costs the same hash as a known one: timing tells nothing.
    ok, upgraded = verify_password(user.password_hash if user else None, form.password.data)
    if not ok or not user.active:
        throttle.record_failure(email, address)
        audit.record("login_failed", outcome="failure", actor=user, details={"email": email})
        db.session.commit()
        form.form_errors.append("Adresse e-mail ou mot de passe incorrect.")
        return render_template("auth/login.html", form=form), 401
    if upgraded:
        user.password_hash = upgraded
    throttle.clear_failures(email)
    start_session(user)
    audit.record("login", obj=user, actor=user)
    db.session.commit()
    return redirect(_safe_next(request.args.get("next")))


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        audit.record("logout", obj=current_user._get_current_object())
    end_session()
    flash(gettext("Vous êtes déconnecté·e."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/compte/mot-de-passe", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            _prove_password(
                user,
                form.current_password.data,
                "current_password",
                "Le mot de passe actuel est incorrect.",
            )
            users.set_password(user, form.new_password.data)
        except users.UserError as error:
            getattr(form, error.field).errors.append(str(error))
        else:
            start_session(user)  # this session goes on; every other one has ended
            db.session.commit()
            flash(gettext("Mot de passe modifié. Vos autres sessions ont été fermées."), "success")
            return redirect(url_for("main.index"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/password.html", form=form), status


def _prove_password(user, password: str, field: str, message: str) -> None:
    """Re-entering a password (password change, invitation for an existing account) is throttled
    and audited like a login, so it cannot be used to guess one."""
    address = request.remote_addr or "-"
    if throttle.is_throttled(user.email, address):
        audit.record_now(
            "login_throttled", outcome="denied", details={"email": user.email}, status_code=429
        )
        abort(429)
    if not verify_password(user.password_hash, password)[0]:
        throttle.record_failure(user.email, address)
        audit.record("login_failed", outcome="failure", actor=user, details={"email": user.email})
        db.session.commit()
        raise users.UserError(field, message)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    invitation = users.open_invitation(token)
    if invitation is None:
        abort(404)
    existing = users.find_user(invitation.email)
    form = ExistingAccountForm() if existing else AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            if existing is not None:
                _prove_password(
                    existing,
                    form.password.data,
                    "password",
                    "Mot de passe incorrect pour ce compte existant.",
                )
            full_name = "" if existing else form.full_name.data or ""
            user = users.accept_invitation(invitation, form.password.data, full_name)
        except users.UserError as error:
            getattr(form, error.field, form.password).errors.append(str(error))
        else:
            start_session(user)
            db.session.commit()
            flash(gettext("Bienvenue ! Votre accès à la CPTS est actif."), "success")
            return redirect(url_for("main.index"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "auth/invitation.html", form=form, invitation=invitation, existing=existing
    ), status
