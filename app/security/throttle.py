"""Login throttling per account and per address (quality bar 11), stored in the database."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, or_, select

from app.extensions import db
from app.models.base import utcnow
from app.models.user import LoginAttempt


def is_throttled(email: str, address: str) -> bool:
    since = utcnow() - current_app.config["LOGIN_THROTTLE_WINDOW"]
    per_account, per_address = db.session.execute(
        select(
            func.count().filter(LoginAttempt.email == email),
            func.count().filter(LoginAttempt.address == address),
        ).where(
            LoginAttempt.at >= since,
            or_(LoginAttempt.email == email, LoginAttempt.address == address),
        )
    ).one()
    return (
        per_account >= current_app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
        or per_address >= current_app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    )


def record_failure(email: str, address: str) -> None:
    db.session.add(LoginAttempt(email=email, address=address, at=utcnow()))


def clear_failures(email: str) -> None:
    """A successful login forgets the account's failures; old rows of everyone expire too."""
    horizon = utcnow() - timedelta(days=1)
    db.session.execute(
        delete(LoginAttempt).where(or_(LoginAttempt.email == email, LoginAttempt.at < horizon))
    )
