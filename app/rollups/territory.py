"""Territories seen across CPTS: the communes of a region and the CPTS covering each, communes
claimed by several (overlaps)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from app.extensions import db
from app.models.referential import Commune, CommuneRef
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


@for_tenant
def overlaps(tenant: Tenant) -> list[Overlap]:
    """Communes of this CPTS's territory that another CPTS also claims."""
    return overlaps_for_codes(territory_codes(tenant), exclude_tenant_id=tenant.id)


@dataclass(frozen=True)
class Coverage:
    population: int
    covered: int

    @property
    def share(self) -> float:
        return 0.0 if not self.population else self.covered / self.population


def region_coverage(region_code: str) -> Coverage:
    """Population of the region living in a commune that at least one of its CPTS covers (one
    statement: the overview's figure; the coverage page has the details, app.reports.coverage)."""
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


# The referential does not change while the application runs (its role only reads it): each
# process reads the communes once, as it does the regions and departments (app.blueprints).
_communes: dict[str, list[CommuneRef]] = {}


def communes_of(region_code: str) -> list[CommuneRef]:
    """The communes of a region, by code; read once per process."""
    return _by_region().get(region_code, [])


def region_populations() -> dict[str, int]:
    """Each region's population, from the communes read once per process."""
    return {code: sum(c.population for c in communes) for code, communes in _by_region().items()}


def _by_region() -> dict[str, list[CommuneRef]]:
    if not _communes:
        found: dict[str, list[CommuneRef]] = {}
        for row in db.session.execute(
            select(Commune.code, Commune.name, Commune.department_code, Commune.region_code,
                   Commune.population).order_by(Commune.code)
        ):  # fmt: skip
            found.setdefault(row.region_code, []).append(CommuneRef(*row))
        _communes.update(found)  # nothing kept before the referential is loaded
    return _communes


def region_links(region_code: str) -> dict[str, list[int]]:
    """For each commune code, the CPTS of the region whose territory includes it."""
    with unscoped("coverage of a region's territory"):
        rows = db.session.execute(
            select(TerritoryCommune.commune_code, TerritoryCommune.tenant_id)
            .join(Tenant, Tenant.id == TerritoryCommune.tenant_id)
            .where(Tenant.region_code == region_code)
            .order_by(TerritoryCommune.commune_code, TerritoryCommune.tenant_id)
        ).all()
    covering: dict[str, list[int]] = {}
    for code, tenant_id in rows:
        covering.setdefault(code, []).append(tenant_id)
    return covering


def covered_by_region(signed: set[int]) -> list[tuple[str, int, int]]:
    """(region code, inhabitants some CPTS covers, inhabitants a CPTS in `signed` covers), each
    commune counted once however many CPTS claim it: one statement for the whole country."""
    with unscoped("coverage of every region (national view)"):
        claimed = (
            select(TerritoryCommune.commune_code.label("code"),
                   func.max(case((TerritoryCommune.tenant_id.in_(sorted(signed)), 1), else_=0))
                   .label("signed"))
            .group_by(TerritoryCommune.commune_code)
            .subquery()
        )  # fmt: skip
        signed_population = case((claimed.c.signed == 1, Commune.population), else_=0)
        return [
            (region, int(covered or 0), int(covered_signed or 0))
            for region, covered, covered_signed in db.session.execute(
                select(Commune.region_code, func.sum(Commune.population),
                       func.sum(signed_population))
                .join(claimed, claimed.c.code == Commune.code)
                .group_by(Commune.region_code)
            )
        ]  # fmt: skip


def territory_links() -> list[tuple[str, int]]:
    """Every (commune code, CPTS id) of every territory: the communes the national data set
    leaves alone."""
    with unscoped("coverage of every region (national view)"):
        found = select(TerritoryCommune.commune_code, TerritoryCommune.tenant_id)
        return [(code, tenant_id) for code, tenant_id in db.session.execute(found)]
