"""Login, logout, password change and invitation acceptance."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from app.blueprints.auth.blueprint import bp
from app.blueprints.auth.forms import AcceptInvitationForm, LoginForm, PasswordChangeForm
from app.blueprints.forms import render_form, show_errors
from app.domain import DomainError
from app.extensions import db
from app.observability import redact
from app.security import throttle
from app.security.passwords import verify_password
from app.security.redirects import local_path
from app.services import access, audit, users
from app.sessions import end_session, start_session


def _safe_next(target: str | None) -> str:
    return local_path(target, url_for("main.index"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if not form.validate_on_submit():
        return render_form("auth/login.html", form)
    email = form.email.data.strip().lower()
    user = users.find_user(email)
    outcome, upgraded = _attempt(email, user, form.password.data)
    if outcome != "ok":
        form.form_errors.append(
            gettext("Trop de tentatives : réessayez dans quelques minutes.")
            if outcome == "throttled"
            else gettext("Adresse e-mail ou mot de passe incorrect.")
        )
        return render_template("auth/login.html", form=form), 429 if outcome == "throttled" else 401
    if upgraded:
        user.password_hash = upgraded
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
            _prove_password(user, form.current_password.data)
            users.set_password(user, form.new_password.data)
        except DomainError as error:
            show_errors(form, error)
        else:
            start_session(user)  # this session goes on; every other one has ended
            db.session.commit()
            flash(gettext("Mot de passe modifié. Vos autres sessions ont été fermées."), "success")
            return redirect(url_for("main.index"))
    return render_form("auth/password.html", form)


def _attempt(email: str, user, password: str) -> tuple[str, str | None]:
    """One password attempt, counted before it is checked, throttled and audited: returns
    ("ok" | "failed" | "throttled", the upgraded hash when the stored one is outdated)."""
    address = request.remote_addr or "-"
    ticket = throttle.password_attempt(email, address)
    if not ticket.allowed:
        audit.record_now(
            "login_throttled", outcome="denied", details={"email": email}, status_code=429
        )
        return "throttled", None
    # An unknown address costs the same hash as a known one: timing tells nothing.
    ok, upgraded = verify_password(user.password_hash if user else None, password)
    if ok and user.active:
        throttle.succeeded(ticket, email, address)
        return "ok", upgraded
    audit.record("login_failed", outcome="failure", actor=user, details={"email": email})
    db.session.commit()
    return "failed", None


def _prove_password(user, password: str) -> None:
    """Re-entering the current password counts as a login attempt, so it cannot be used to
    guess one."""
    outcome, _upgraded = _attempt(user.email, user, password)
    if outcome == "throttled":
        abort(429)
    if outcome == "failed":
        raise DomainError.on("current_password", _l("Le mot de passe actuel est incorrect."))


def _invitation_or_404(token: str):
    """The invitation behind a link, the link counted per address before it is looked up: a
    wrong, used, revoked or expired link is audited like any other denial."""
    ticket = throttle.token_attempt(request.remote_addr or "-")
    if not ticket.allowed:
        audit.record_now("invitation_throttled", outcome="denied", status_code=429)
        abort(429)
    invitation = access.open_invitation(token)
    if invitation is None:
        g.denial_recorded = True
        audit.record_now(
            "invitation_link_refused",
            outcome="denied",
            details={"path": redact(request.path)},
            status_code=404,
        )
        abort(404)
    throttle.succeeded(ticket)
    return invitation


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    """The page says no more than it must: the same form whether or not the address has an
    account; a signed-in invitee confirms with one click, anyone else signed in is turned away."""
    invitation = _invitation_or_404(token)
    signed_in = current_user._get_current_object() if current_user.is_authenticated else None
    if signed_in is not None and signed_in.email != invitation.email:
        return render_template("auth/invitation.html", invitation=invitation, form=None), 403
    form = FlaskForm() if signed_in is not None else AcceptInvitationForm()
    if form.validate_on_submit():
        credentials = (
            {}
            if signed_in is not None
            else {"password": form.password.data, "full_name": form.full_name.data or ""}
        )
        try:
            user = access.accept_invitation(invitation, user=signed_in, **credentials)
        except DomainError as error:
            show_errors(form, error)
        else:
            if signed_in is None:
                start_session(user)
            db.session.commit()
            flash(gettext("Bienvenue ! Votre accès à la CPTS est actif."), "success")
            return redirect(url_for("workspace.home", tenant=invitation.tenant.slug))
    return render_form("auth/invitation.html", form, invitation=invitation)
