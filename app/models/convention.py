"""The ACI convention of a CPTS: its original terms, its amendments (immutable: the database
refuses to change or delete one), and the payments the CPTS received.

The terms in force are never stored: they are the original terms with the amendments applied
in order (app.models.contract).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.columns import TimestampMixin, enum_column
from app.extensions import Model
from app.models.aci import Mission
from app.tenants.scoped import TenantScoped

IMMUTABLE_TABLES = ("amendment", "amendment_change")


class Convention(TenantScoped, TimestampMixin, Model):
    """One per CPTS. A convention without a signature date is a draft."""

    __tablename__ = "convention"
    __table_args__ = (
        TenantScoped.tenant_unique("id"),
        TenantScoped.tenant_unique(),  # one convention per CPTS
        CheckConstraint("starts_on IS NULL OR signed_on IS NOT NULL", name="start_after_signing"),
        CheckConstraint("starts_on IS NULL OR starts_on >= signed_on", name="starts_after_signed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str | None] = mapped_column(String(60))
    signed_on: Mapped[date | None] = mapped_column(Date)
    starts_on: Mapped[date | None] = mapped_column(Date)

    terms: Mapped[list[ConventionTerm]] = relationship(
        primaryjoin="and_(ConventionTerm.convention_id == Convention.id, "
        "ConventionTerm.tenant_id == Convention.tenant_id)",
        foreign_keys="[ConventionTerm.convention_id, ConventionTerm.tenant_id]",
        cascade="all, delete-orphan",
        lazy="selectin",
    )


class ConventionTerm(TenantScoped, Model):
    """One original term (see app.models.aci for the keys); amendments change them."""

    __tablename__ = "convention_term"
    __table_args__ = (
        TenantScoped.child_of("convention", "convention_id"),
        TenantScoped.tenant_unique("convention_id", "key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    convention_id: Mapped[int] = mapped_column(Integer, index=True)
    key: Mapped[str] = mapped_column(String(60))
    value: Mapped[str] = mapped_column(String(30))


class Amendment(TenantScoped, TimestampMixin, Model):
    """An avenant (or the termination): written once, never changed."""

    __tablename__ = "amendment"
    __table_args__ = (
        TenantScoped.tenant_unique("id"),
        TenantScoped.tenant_unique("convention_id", "number"),
        TenantScoped.child_of("convention", "convention_id"),
        CheckConstraint("number >= 1", name="positive_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    convention_id: Mapped[int] = mapped_column(Integer, index=True)
    number: Mapped[int] = mapped_column(Integer)
    termination: Mapped[bool] = mapped_column(default=False)
    signed_on: Mapped[date] = mapped_column(Date)
    effective_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(1000))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_by_email: Mapped[str | None] = mapped_column(String(254))

    changes: Mapped[list[AmendmentChange]] = relationship(
        primaryjoin="and_(AmendmentChange.amendment_id == Amendment.id, "
        "AmendmentChange.tenant_id == Amendment.tenant_id)",
        foreign_keys="[AmendmentChange.amendment_id, AmendmentChange.tenant_id]",
        lazy="selectin",
        passive_deletes="all",
    )


class AmendmentChange(TenantScoped, Model):
    """A term an amendment sets, and its new value (the value before is the terms' history)."""

    __tablename__ = "amendment_change"
    __table_args__ = (
        TenantScoped.child_of("amendment", "amendment_id"),
        TenantScoped.tenant_unique("amendment_id", "key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    amendment_id: Mapped[int] = mapped_column(Integer, index=True)
    key: Mapped[str] = mapped_column(String(60))
    value: Mapped[str] = mapped_column(String(30))


class ReceivedPayment(TenantScoped, TimestampMixin, Model):
    """Money the CPTS received, as it recorded it; `due_key` names the due payment it settles."""

    __tablename__ = "received_payment"
    __table_args__ = (
        TenantScoped.child_of("convention", "convention_id"),
        CheckConstraint("amount_cents > 0", name="positive_amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    convention_id: Mapped[int] = mapped_column(Integer, index=True)
    received_on: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(Integer)
    due_key: Mapped[str | None] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class VariableEarned(TenantScoped, Model):
    """A mission's variable part for a contract year, once the year's validated values settle
    it (app.services.earnings): what the schedule makes due at the year's anniversary."""

    __tablename__ = "variable_earned"
    __table_args__ = (TenantScoped.tenant_unique("mission", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mission: Mapped[Mission] = mapped_column(enum_column(Mission, 40))
    year: Mapped[int] = mapped_column(Integer)
    amount_cents: Mapped[int] = mapped_column(Integer)


class ImmutableError(RuntimeError):
    """Something tried to change or delete an amendment."""


@event.listens_for(Amendment, "before_update")
@event.listens_for(AmendmentChange, "before_update")
@event.listens_for(Amendment, "before_delete")
@event.listens_for(AmendmentChange, "before_delete")
def _refuse(_mapper, _connection, target) -> None:
    raise ImmutableError(f"{type(target).__name__} rows are never changed or deleted")
