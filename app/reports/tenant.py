"""Key facts of one CPTS, for its home page and its API answer."""

from __future__ import annotations

from dataclasses import dataclass

from app.models.referential import Commune
from app.reports.members import TenantRow, active_member_count
from app.tenants.models import Tenant
from app.tenants.territory import Overlap, overlaps_for_codes, territory_of


@dataclass(frozen=True)
class TenantFacts(TenantRow):
    communes: list[Commune]
    overlaps: list[Overlap]


def tenant_facts(tenant: Tenant) -> TenantFacts:
    communes = territory_of(tenant)
    return TenantFacts(
        tenant=tenant,
        member_count=active_member_count(),
        communes=communes,
        overlaps=overlaps_for_codes({c.code for c in communes}, exclude_tenant_id=tenant.id),
    )
