"""Personal access tokens: created by their user (or by an operator for them), shown once,
stored hashed, scoped read or write, at most a year long, revocable; each use is counted (the
last one is shown, and more than REQUESTS_PER_MINUTE in a minute is refused)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, select, update

from app.columns import utcnow
from app.domain import DomainError
from app.extensions import db
from app.models.token import ApiToken, TokenScope
from app.models.user import User
from app.services import audit

PREFIX = "cpts_"
MAX_DAYS = 365


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(user: User, name: str, scope: str, days: int) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with the secret, which is never shown again."""
    errors: dict[str, list] = {}
    name = (name or "").strip()
    if not 1 <= len(name) <= 100:
        errors["name"] = [_l("Donnez un nom au jeton (100 caractères au plus).")]
    if scope not in TokenScope._value2member_map_:
        errors["scope"] = [_l("Portée inconnue : read ou write.")]
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        errors["days"] = [_l("Durée de validité : de 1 à %(max)s jours.", max=MAX_DAYS)]
    if errors:
        raise DomainError(errors)
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=_hash(raw),
        prefix=raw[: len(PREFIX) + 4],
        scope=TokenScope(scope),
        expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(token)
    db.session.flush()
    audit.record(
        "token_created",
        obj=token,
        actor=user,
        details={"scope": scope, "days": days, "owner": user.email},
    )
    return token, raw


def user_tokens(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
        )
    )


def own_token(user: User, token_id: int) -> ApiToken | None:
    return db.session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id)
    )


def revoke_token(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record("token_revoked", obj=token)


def find_valid(raw: str) -> ApiToken | None:
    """The token behind a secret, if it may still be used: not revoked, not expired, its user
    active (a deactivated user's tokens stop at once)."""
    if not raw.startswith(PREFIX):
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash(raw)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    expires = (
        token.expires_at
        if token.expires_at.tzinfo
        else token.expires_at.replace(tzinfo=utcnow().tzinfo)
    )
    return token if expires > utcnow() else None


def count_use(token: ApiToken) -> bool:
    """Count this request in the token's current minute, atomically, and note the last use;
    False when the token is over its limit. Committed at once: a refused request still counts."""
    now = utcnow()
    fresh = (ApiToken.window_start.is_(None)) | (ApiToken.window_start < now - timedelta(minutes=1))
    count = db.session.scalar(
        update(ApiToken)
        .where(ApiToken.id == token.id)
        .values(
            window_count=case((fresh, 1), else_=ApiToken.window_count + 1),
            window_start=case((fresh, now), else_=ApiToken.window_start),
            last_used_at=now,
        )
        .returning(ApiToken.window_count)
    )
    db.session.commit()
    return (count or 0) <= current_app.config["API_REQUESTS_PER_MINUTE"]
