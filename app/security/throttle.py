"""Throttling of password and invitation-link attempts, stored in the database.

An attempt is recorded and committed *before* anything is checked, then the attempts already
recorded are counted: of N parallel attempts, the k-th to commit sees at least k, so no more than
the limit are ever checked, whatever the timing (counting first and recording after let 15 to
19 of 30 parallel guesses through a limit of 5).

Passwords are counted per account and address (OWASP: wrong passwords from one address must not
lock the account's owner out elsewhere) and per address; beyond an account-wide ceiling, the
addresses the account never signed in from share one attempt per interval, which slows a guess
spread over many addresses without locking anyone out. Invitation links are counted per address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, exists, func, or_, select

from app.columns import utcnow
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.user import LoginAttempt

PASSWORD, TOKEN, API_TOKEN = "password", "token", "api_token"


@dataclass(frozen=True)
class Ticket:
    """A recorded attempt: `allowed` says whether it may be checked at all."""

    attempt_id: int
    allowed: bool


def _record(kind: str, subject: str, address: str) -> LoginAttempt:
    attempt = LoginAttempt(kind=kind, email=subject, address=address, at=utcnow())
    db.session.add(attempt)
    db.session.commit()  # counted before it is checked: see the module's docstring
    return attempt


def _known_address(email: str, address: str) -> bool:
    """Has the account signed in from this address before (within 90 days)?"""
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    AuditEvent.action == "login",
                    AuditEvent.actor_email == email,
                    AuditEvent.address == address,
                    AuditEvent.at >= utcnow() - timedelta(days=90),
                )
            )
        )
    )


def password_attempt(email: str, address: str) -> Ticket:
    config = current_app.config
    attempt = _record(PASSWORD, email, address)
    since = utcnow() - config["LOGIN_THROTTLE_WINDOW"]
    pair, per_address, per_account = db.session.execute(
        select(
            func.count().filter(LoginAttempt.email == email, LoginAttempt.address == address),
            func.count().filter(LoginAttempt.address == address),
            func.count().filter(LoginAttempt.email == email),
        ).where(
            LoginAttempt.kind == PASSWORD,
            LoginAttempt.at >= since,
            or_(LoginAttempt.email == email, LoginAttempt.address == address),
        )
    ).one()
    allowed = (
        pair <= config["LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS"]
        and per_address <= config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    )
    if allowed and per_account > config["LOGIN_ACCOUNT_CEILING"]:
        allowed = _known_address(email, address) or not _recent_other(attempt, config)
    return Ticket(attempt.id, allowed)


def _recent_other(attempt: LoginAttempt, config) -> bool:
    """Another attempt on the same account within the slow-down interval."""
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    LoginAttempt.kind == PASSWORD,
                    LoginAttempt.email == attempt.email,
                    LoginAttempt.id != attempt.id,
                    LoginAttempt.at >= attempt.at - config["LOGIN_SLOW_INTERVAL"],
                )
            )
        )
    )


def token_attempt(address: str) -> Ticket:
    """A link with a secret in it (an invitation) is opened: count it per address."""
    config = current_app.config
    attempt = _record(TOKEN, "", address)
    failures = db.session.scalar(
        select(func.count()).where(
            LoginAttempt.kind == TOKEN,
            LoginAttempt.address == address,
            LoginAttempt.at >= utcnow() - config["LOGIN_THROTTLE_WINDOW"],
        )
    )
    return Ticket(attempt.id, failures <= config["TOKEN_MAX_FAILURES_PER_ADDRESS"])


def succeeded(ticket: Ticket, email: str = "", address: str = "") -> None:
    """The attempt was right: it no longer counts, nor do the earlier failures of this account
    from this address; attempts older than a day are dropped for everyone."""
    horizon = utcnow() - timedelta(days=1)
    forgotten = [LoginAttempt.id == ticket.attempt_id, LoginAttempt.at < horizon]
    if email:
        forgotten.append((LoginAttempt.email == email) & (LoginAttempt.address == address))
    db.session.execute(delete(LoginAttempt).where(or_(*forgotten)))


def token_failures_exceeded(address: str) -> bool:
    """Too many wrong API tokens from this address lately."""
    config = current_app.config
    failures = db.session.scalar(
        select(func.count()).where(
            LoginAttempt.kind == API_TOKEN,
            LoginAttempt.address == address,
            LoginAttempt.at >= utcnow() - config["LOGIN_THROTTLE_WINDOW"],
        )
    )
    return (failures or 0) > config["TOKEN_MAX_FAILURES_PER_ADDRESS"]


def record_token_failure(address: str) -> None:
    _record(API_TOKEN, "", address)
