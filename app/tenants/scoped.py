"""The mixin that marks a model as owned by one tenant (kept free of app imports)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, ForeignKeyConstraint, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


class TenantScoped:
    """Mixin for every model owned by one tenant.

    Reads are filtered and writes stamped by app.tenants.guard; on PostgreSQL, row-level
    security backs that up. The (tenant_id, id) unique lets child tables reference a parent
    through a composite foreign key that includes tenant_id, so a row of A cannot point at B.
    """

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), index=True)

    @classmethod
    def tenant_unique(cls, *columns: str) -> UniqueConstraint:
        return UniqueConstraint("tenant_id", *columns)

    @classmethod
    def child_of(cls, table: str, column: str) -> ForeignKeyConstraint:
        """A composite foreign key through tenant_id: a row of A never points at a row of B."""
        return ForeignKeyConstraint(
            ["tenant_id", column], [f"{table}.tenant_id", f"{table}.id"], ondelete="CASCADE"
        )
