"""What one CPTS's pages show: its territory (with overlaps) and its key facts."""

from __future__ import annotations

from dataclasses import dataclass

from app.models.referential import Commune
from app.reports.members import TenantRow, active_member_count
from app.tenants.models import Tenant
from app.tenants.territory import Overlap, overlaps_for_codes, territory_of


@dataclass(frozen=True)
class TerritoryView:
    tenant: Tenant
    communes: list[Commune]
    overlaps: list[Overlap]


@dataclass(frozen=True)
class TenantFacts(TenantRow):
    territory: TerritoryView


def territory_view(tenant: Tenant) -> TerritoryView:
    communes = territory_of(tenant)
    overlaps = overlaps_for_codes({c.code for c in communes}, exclude_tenant_id=tenant.id)
    return TerritoryView(tenant, communes, overlaps)


def tenant_facts(tenant: Tenant) -> TenantFacts:
    return TenantFacts(tenant, active_member_count(), territory_view(tenant))
