"""Rows for the regional and CPAM lists of CPTS, and the region's coverage figures."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.extensions import db
from app.models.referential import Commune
from app.reports.members import TenantRow, active_member_counts_by_tenant
from app.tenants.context import unscoped
from app.tenants.models import Tenant, TerritoryCommune


def tenant_rows(tenants: list[Tenant]) -> list[TenantRow]:
    counts = active_member_counts_by_tenant([t.id for t in tenants])
    return [TenantRow(t, counts.get(t.id, 0)) for t in tenants]


def tenants_where(*criteria) -> list[Tenant]:
    return list(db.session.scalars(select(Tenant).where(*criteria).order_by(Tenant.name)))


@dataclass(frozen=True)
class Coverage:
    population: int
    covered: int

    @property
    def share(self) -> float:
        return 0.0 if not self.population else self.covered / self.population


def region_coverage(region_code: str) -> Coverage:
    """Population of the region living in a commune that at least one of its CPTS covers."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(Commune.population), 0)).where(
            Commune.region_code == region_code
        )
    )
    with unscoped("coverage of a region's territory"):
        covered_codes = (
            select(TerritoryCommune.commune_code)
            .join(Tenant, Tenant.id == TerritoryCommune.tenant_id)
            .where(Tenant.region_code == region_code)
        )
        covered = db.session.scalar(
            select(func.coalesce(func.sum(Commune.population), 0)).where(
                Commune.code.in_(covered_codes)
            )
        )
    return Coverage(population=int(total), covered=int(covered))


@dataclass(frozen=True)
class SharedCommune:
    commune: Commune
    tenant_names: list[str]


def region_overlaps(region_code: str) -> list[SharedCommune]:
    """Communes claimed by several CPTS of the region: conflicts the ARS has to settle."""
    with unscoped("territory overlaps within a region"):
        in_region = (
            select(TerritoryCommune.commune_code)
            .join(Tenant, Tenant.id == TerritoryCommune.tenant_id)
            .where(Tenant.region_code == region_code)
        )
        shared = in_region.group_by(TerritoryCommune.commune_code).having(func.count() > 1)
        rows = db.session.execute(
            select(Commune, Tenant.name)
            .select_from(TerritoryCommune)
            .join(Commune, Commune.code == TerritoryCommune.commune_code)
            .join(Tenant, Tenant.id == TerritoryCommune.tenant_id)
            .where(Tenant.region_code == region_code, TerritoryCommune.commune_code.in_(shared))
            .order_by(Commune.name, Tenant.name)
        ).all()
    grouped: dict[str, SharedCommune] = {}
    for commune, name in rows:
        grouped.setdefault(commune.code, SharedCommune(commune, [])).tenant_names.append(name)
    return list(grouped.values())
