"""Territories seen across CPTS: communes claimed by several (overlaps), population covered."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from app.extensions import db
from app.models.referential import Commune
from app.models.territory import TerritoryCommune
from app.services.territory import territory_codes
from app.tenants.context import for_tenant, unscoped
from app.tenants.models import Tenant


@dataclass(frozen=True)
class Overlap:
    """A commune of one CPTS's territory that another CPTS also claims."""

    commune: Commune
    other: Tenant


def overlaps_for_codes(codes: set[str], exclude_tenant_id: int | None = None) -> list[Overlap]:
    if not codes:
        return []
    with unscoped("territory overlap detection"):
        rows = db.session.execute(
            select(Commune, Tenant)
            .select_from(TerritoryCommune)
            .join(Commune, Commune.code == TerritoryCommune.commune_code)
            .join(Tenant, Tenant.id == TerritoryCommune.tenant_id)
            .where(TerritoryCommune.commune_code.in_(sorted(codes)))
            .where(Tenant.id != exclude_tenant_id)
            .order_by(Commune.name, Tenant.name)
        ).all()
    return [Overlap(commune, other) for commune, other in rows]


@dataclass(frozen=True)
class Coverage:
    population: int
    covered: int

    @property
    def share(self) -> float:
        return 0.0 if not self.population else self.covered / self.population


def region_coverage(region_code: str) -> Coverage:
    """Population of the region living in a commune that at least one of its CPTS covers (one
    statement)."""
    with unscoped("coverage of a region's territory"):
        covered_codes = (
            select(TerritoryCommune.commune_code)
            .join(Tenant, Tenant.id == TerritoryCommune.tenant_id)
            .where(Tenant.region_code == region_code)
        )
        covered = case((Commune.code.in_(covered_codes), Commune.population), else_=0)
        total, covered_total = db.session.execute(
            select(func.coalesce(func.sum(Commune.population), 0),
                   func.coalesce(func.sum(covered), 0))
            .where(Commune.region_code == region_code)
        ).one()  # fmt: skip
    return Coverage(population=int(total or 0), covered=int(covered_total or 0))


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


@for_tenant
def overlaps(tenant: Tenant) -> list[Overlap]:
    """Communes of this CPTS's territory that another CPTS also claims."""
    return overlaps_for_codes(territory_codes(tenant), exclude_tenant_id=tenant.id)


def region_communes(region_code: str) -> tuple[list[Commune], dict[str, list[int]]]:
    """The region's communes, and for each commune code the CPTS of the region covering it."""
    communes = list(db.session.scalars(
        select(Commune).where(Commune.region_code == region_code).order_by(Commune.code)
    ))  # fmt: skip
    with unscoped("coverage of a region's territory"):
        rows = db.session.execute(
            select(TerritoryCommune.commune_code, TerritoryCommune.tenant_id)
            .join(Tenant, Tenant.id == TerritoryCommune.tenant_id)
            .where(Tenant.region_code == region_code)
        ).all()
    covering: dict[str, list[int]] = {}
    for code, tenant_id in rows:
        covering.setdefault(code, []).append(tenant_id)
    return communes, covering


def territory_links() -> list[tuple[str, int]]:
    """Every (commune code, CPTS id) of every territory: the national view's coverage, the
    communes the national data set leaves alone."""
    with unscoped("coverage of every region (national view)"):
        return [
            (code, tenant_id)
            for code, tenant_id in db.session.execute(
                select(TerritoryCommune.commune_code, TerritoryCommune.tenant_id)
            )
        ]
