"""Background jobs of the tenancy layer. Each takes ids and runs with its tenant bound."""

from __future__ import annotations

from app.extensions import db
from app.tenants.context import TenancyError, bound_tenant_id
from app.tenants.models import Tenant
from app.tenants.territory import refresh_figures


def refresh_tenant_figures(tenant_id: int) -> dict:
    """Recompute population, size class and main department from the territory."""
    if bound_tenant_id() != tenant_id:
        raise TenancyError(f"job for tenant {tenant_id} run with tenant {bound_tenant_id()} bound")
    tenant = db.session.get(Tenant, tenant_id)
    refresh_figures(tenant)
    db.session.commit()
    return {"population": tenant.population, "size_class": tenant.size_class}
