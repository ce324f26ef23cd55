"""Login sessions: loading the user, starting and ending sessions, idle and absolute timeouts.

A session is bound to the user's `session_version`: logout, password change and deactivation
bump it, so every other session of that user stops working at its next request (in another
process, within the half second app.principals keeps a user).
"""

from __future__ import annotations

import time

from flask import Flask, current_app, flash, g, request, session
from flask_babel import gettext
from flask_login import current_user, login_user, logout_user

from app import principals
from app.columns import utcnow
from app.extensions import db, login_manager
from app.models.user import User

API_PREFIX = "/api/"
# The last activity is written down to the minute: the idle timeout holds to a minute, and the
# session cookie is not rewritten (signed, sent) on every answer.
SEEN_EVERY = 60


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    if request.path.startswith(API_PREFIX):
        return None  # the API knows bearer tokens only: a cookie there could be forged
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit():
        return None
    # The user with their grants (each grant's CPTS only when a page asks): kept by the process
    # until an account or a grant changes, else in one statement.
    user = principals.load(int(user_id))
    if user is None or not user.active or str(user.session_version) != version:
        return None
    return user


@login_manager.request_loader
def load_user_from_token(_request) -> User | None:
    """The API's caller, once its bearer token is checked (app.blueprints.api.auth)."""
    return g.get("api_user")


def start_session(user: User) -> None:
    language = session.get("lang")
    session.clear()  # a fresh session at login: nothing carried over but the chosen language
    if language:
        session["lang"] = language
    session.permanent = True
    login_user(user)
    now = int(time.time())
    session["auth_at"] = now
    session["seen_at"] = now
    user.last_login_at = utcnow()


def end_all_sessions(user: User) -> None:
    """Counted by the database: the user at hand may be a process's copy, half a second old."""
    user.session_version = User.session_version + 1
    db.session.flush()  # read again when next asked for


def end_session() -> None:
    if current_user.is_authenticated:
        end_all_sessions(current_user)
        db.session.commit()
    logout_user()
    session.clear()


def _enforce_timeouts() -> None:
    if "_user_id" not in session:
        return
    now = int(time.time())
    idle = current_app.config["SESSION_IDLE_TIMEOUT"].total_seconds()
    absolute = current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    if now - session.get("seen_at", 0) > idle or now - session.get("auth_at", 0) > absolute:
        logout_user()
        session.clear()
        flash(gettext("Votre session a expiré : veuillez vous reconnecter."), "info")
        return
    if now - session.get("seen_at", 0) >= SEEN_EVERY:
        session["seen_at"] = now


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Veuillez vous connecter pour accéder à cette page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = None  # sessions are versioned instead (see module doc)
    app.before_request(_enforce_timeouts)
