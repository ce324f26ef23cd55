"""Alembic helpers for tenant tables: a tenant table is created with its row-level security
policy, enabled and forced, in one call (PostgreSQL; SQLite has no RLS, the ORM guard is its
wall). A test reads the migrations for these calls: a tenant table without one fails the suite."""

from __future__ import annotations

from alembic import op
from sqlalchemy import Column

from app.tenants.postgres import disable_rls, enable_rls


def create_tenant_table(name: str, *elements, **kwargs) -> None:
    """op.create_table for a table owned by a tenant (it must have a tenant_id column)."""
    if not any(isinstance(e, Column) and e.name == "tenant_id" for e in elements):
        raise ValueError(f"tenant table {name} needs a tenant_id column")
    op.create_table(name, *elements, **kwargs)
    enable_tenant_rls(name)


def enable_tenant_rls(name: str) -> None:
    """Put an existing table under forced row-level security."""
    if op.get_bind().dialect.name == "postgresql":
        for statement in enable_rls(name):
            op.execute(statement)


def disable_tenant_rls(name: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in disable_rls(name):
            op.execute(statement)


def drop_tenant_table(name: str) -> None:
    disable_tenant_rls(name)
    op.drop_table(name)
