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
    user = users.find_user(email)
    outcome, upgraded = _attempt(email, user, form.password.data)
    if outcome != "ok":
        form.form_errors.append(
            "Trop de tentatives : réessayez dans quelques minutes."
            if outcome == "throttled"
            else "Adresse e-mail ou mot de passe incorrect."
        )
        return render_template("auth/login.html", form=form), 429 if outcome == "throttled" else 401
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


def _attempt(email: str, user, password: str) -> tuple[str, str | None]:
    """One password attempt, throttled per account and address and audited: returns
    ("ok" | "failed" | "throttled", the upgraded hash when the stored one is outdated)."""
    address = request.remote_addr or "-"
    if throttle.is_throttled(email, address):
        audit.record_now(
            "login_throttled", outcome="denied", details={"email": email}, status_code=429
        )
        return "throttled", None
    # An unknown address costs the same hash as a known one: timing tells nothing.
    ok, upgraded = verify_password(user.password_hash if user else None, password)
    if ok and user.active:
        return "ok", upgraded
    throttle.record_failure(email, address)
    audit.record("login_failed", outcome="failure", actor=user, details={"email": email})
    db.session.commit()
    return "failed", None


def _prove_password(user, password: str, field: str, message: str) -> None:
    """Re-entering a password (password change, invitation for an existing account) counts as
    a login attempt, so it cannot be used to guess one."""
    outcome, _upgraded = _attempt(user.email, user, password)
    if outcome == "throttled":
        abort(429)
    if outcome == "failed":
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
