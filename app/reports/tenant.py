"""Key facts of one CPTS, for its home page and its API answer."""

from __future__ import annotations

from dataclasses import dataclass

from app.models.referential import Commune
from app.reports.members import active_member_count
from app.tenants.models import Tenant
from app.tenants.territory import Overlap, overlaps_for_codes, territory_of


@dataclass(frozen=True)
class TenantFacts:
    communes: list[Commune]
    member_count: int
    overlaps: list[Overlap]

    @property
    def members_per_10k(self) -> float | None:
        return (
            None if not self.population else round(self.member_count * 10_000 / self.population, 1)
        )

    @property
    def population(self) -> int:
        return sum(c.population or 0 for c in self.communes)


def tenant_facts(tenant: Tenant) -> TenantFacts:
    communes = territory_of(tenant)
    return TenantFacts(
        communes=communes,
        member_count=active_member_count(),
        overlaps=overlaps_for_codes({c.code for c in communes}, exclude_tenant_id=tenant.id),
    )
