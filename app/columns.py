"""Column helpers shared by every model: UTC timestamps, and enums stored as their values."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum
from sqlalchemy.orm import Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def enum_column(enum_class: type[enum.Enum], length: int) -> Enum:
    """An enum stored as its values in a VARCHAR (readable in SQL, portable, no native type)."""
    return Enum(
        enum_class,
        native_enum=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
    )
