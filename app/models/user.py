"""People who log in, the roles they hold in their scopes, and invitations to a CPTS."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.columns import TimestampMixin, enum_column
from app.extensions import Model
from app.tenants.scoped import TenantScoped

if TYPE_CHECKING:
    from app.tenants.models import Tenant


class Role(enum.StrEnum):
    ADMIN = "admin"
    ARS = "ars"
    CPAM = "cpam"
    PRESIDENT = "president"
    COORDINATOR = "coordinator"
    VIEWER = "viewer"


TENANT_ROLES = (Role.PRESIDENT, Role.COORDINATOR, Role.VIEWER)


class AccountOrigin(enum.StrEnum):
    """How an account came to exist: an operator's command, the demo, or an invitation link that
    was e-mailed to the address (its owner opened it) or shown on screen to the inviter."""

    CLI = "cli"
    DEMO = "demo"
    INVITATION_MAILED = "invitation_mailed"
    INVITATION_SHOWN = "invitation_shown"


class Delivery(enum.StrEnum):
    """How an invitation link reached its invitee."""

    PENDING = "pending"
    MAILED = "mailed"
    SHOWN = "shown"


ROLE_ENUM = enum_column(Role, 20)


class User(TimestampMixin, Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped by logout, password change and deactivation: every older session stops working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    locale: Mapped[str | None] = mapped_column(String(5))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Who created the account, how, and whether its owner has proved the address: an account
    # created from a link shown to an inviter is not proved to belong to the address's owner.
    created_via: Mapped[str] = mapped_column(String(20), default=AccountOrigin.CLI.value)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", lazy="selectin", cascade="all, delete-orphan"
    )

    # Flask-Login protocol
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def active_grants(self) -> list[RoleGrant]:
        return [g for g in self.grants if g.active]

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class RoleGrant(TimestampMixin, Model):
    """One role held by a user in one scope: the platform, a region, a department or a CPTS.

    Access control data, not tenant data: it is read at every request to decide what the
    user may see, before any tenant is bound.
    """

    __tablename__ = "role_grant"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role] = mapped_column(ROLE_ENUM)
    region_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"))
    department_code: Mapped[str | None] = mapped_column(ForeignKey("department.code"))
    tenant_id: Mapped[int | None] = mapped_column(
        ForeignKey("tenant.id", ondelete="CASCADE"), index=True
    )
    active: Mapped[bool] = mapped_column(default=True)

    user: Mapped[User] = relationship(back_populates="grants")
    tenant: Mapped[Tenant | None] = relationship(lazy="joined")


class AccountVersion(Model):
    """One row whose version moves, in the same transaction, with every change of an account or
    a role grant (database triggers, migration 0012): what a process's kept copy of a signed-in
    user is checked against (app.principals)."""

    __tablename__ = "account_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=1)


class Invitation(TenantScoped, TimestampMixin, Model):
    """A time-limited invitation to join a CPTS; only the token's hash is stored."""

    __tablename__ = "invitation"
    __table_args__ = (TenantScoped.tenant_unique("token_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[Role] = mapped_column(ROLE_ENUM)
    token_hash: Mapped[str] = mapped_column(String(64), index=True)
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    delivery: Mapped[str] = mapped_column(String(10), default=Delivery.PENDING.value)

    tenant: Mapped[Tenant] = relationship(lazy="joined")
    invited_by: Mapped[User] = relationship(foreign_keys=[invited_by_id], lazy="joined")


class LoginAttempt(Model):
    """Password and invitation-link attempts, counted before they are checked (throttling)."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), default="password")
    email: Mapped[str] = mapped_column(String(254), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
