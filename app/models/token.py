"""Personal access tokens for the API: a user's own, scoped read or write, stored hashed."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.columns import TimestampMixin, enum_column
from app.extensions import Model
from app.models.user import User


class TokenScope(enum.StrEnum):
    READ = "read"  # GET only
    WRITE = "write"  # GET, POST, PATCH


class ApiToken(TimestampMixin, Model):
    """Shown once at creation; only its SHA-256 is kept. It acts as its user, never beyond."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # shown in lists to tell tokens apart
    scope: Mapped[TokenScope] = mapped_column(enum_column(TokenScope, 10))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Requests counted in the current minute (throttling), updated atomically.
    window_start: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    window_count: Mapped[int] = mapped_column(Integer, default=0)

    user: Mapped[User] = relationship(lazy="joined")
