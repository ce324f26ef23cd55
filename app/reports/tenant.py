"""What one CPTS's pages show: its territory (with overlaps) and its key facts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.models.referential import Commune, Department
from app.reports.members import TenantRow, active_member_count
from app.rollups.territory import Overlap, overlaps_for_codes
from app.services.territory import population_by_department, territory_of
from app.tenants.models import Stage, Tenant


@dataclass(frozen=True)
class TerritoryView:
    tenant: Tenant
    communes: list[Commune]
    overlaps: list[Overlap]


@dataclass(frozen=True)
class DepartmentShare:
    """A department of the territory and the population the CPTS covers in it."""

    code: str
    name: str
    population: int


@dataclass(frozen=True)
class TenantFacts(TenantRow):
    territory: TerritoryView


def territory_view(tenant: Tenant) -> TerritoryView:
    communes = territory_of(tenant)
    overlaps = overlaps_for_codes({c.code for c in communes}, exclude_tenant_id=tenant.id)
    return TerritoryView(tenant, communes, overlaps)


def department_shares(communes: list[Commune]) -> list[DepartmentShare]:
    """The departments of a territory with the population covered in each, most populated first
    (the first one is where most of the CPTS's population lives)."""
    shares = population_by_department(communes)
    names = dict(
        db.session.execute(
            select(Department.code, Department.name).where(
                Department.code.in_([code for code, _ in shares])
            )
        ).all()
    )
    return [DepartmentShare(code, names.get(code, code), pop) for code, pop in shares]


def tenant_facts(tenant: Tenant, stage: Stage) -> TenantFacts:
    return TenantFacts(tenant, active_member_count(tenant), stage, territory_view(tenant))
