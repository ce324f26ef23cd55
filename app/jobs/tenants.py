"""Jobs on one CPTS. The runner binds the CPTS of the job record and hands it over."""

from __future__ import annotations

from app.services.territory import refresh_figures
from app.tenants.models import Tenant


def refresh_tenant_figures(tenant: Tenant) -> dict:
    """Recompute the population and size class from the territory."""
    refresh_figures(tenant)
    return {"population": tenant.population, "size_class": tenant.size_class}
