"""Platform tables that carry a tenant_id without being tenant data (role grants, audit events,
job records: they are read before a tenant is bound, or across tenants by the platform). When a
page shows one CPTS's rows of them, it reads them here, relative to the bound tenant."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, select

from app.tenants.context import TenancyError, bound_tenant_id

T = TypeVar("T")


def of_bound_tenant(model: type[T], *columns: Any) -> Select:
    """SELECT the bound tenant's rows of a platform table (or some of their columns); fails
    closed when no tenant is bound."""
    tenant_id = bound_tenant_id()
    if tenant_id is None:
        raise TenancyError(f"reading {model.__name__} of a tenant with no tenant bound")
    return select(*(columns or (model,))).where(model.tenant_id == tenant_id)  # type: ignore[attr-defined]
