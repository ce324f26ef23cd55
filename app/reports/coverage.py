"""Coverage of a region's territory: the share of its population living in a commune a CPTS
covers, at each stage of the lifecycle (a commune counts at the most advanced stage of the CPTS
covering it), overall and by department; the communes no CPTS covers (white zones) and those
several claim (overlaps)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from app.i18n import gettext
from app.models.referential import CommuneRef, RegionRef
from app.reports.dashboard import Table
from app.reports.overview import OverviewRow
from app.rollups.territory import communes_of, region_links
from app.tenants.models import Stage

# The thresholds shown, from the most advanced (each includes those beyond it)
LEVELS = (Stage.ACI_SIGNED, Stage.PROJECT_VALIDATED, Stage.LETTER_OF_INTENT)
RANK = {stage: rank for rank, stage in enumerate(Stage)}  # in the lifecycle's order


@dataclass
class Area:
    """A department, or the whole region (code None)."""

    code: str | None
    name: str
    population: int = 0
    at_least: dict[Stage, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    covered: int = 0

    def share(self, level: Stage | None = None) -> float:
        part = self.covered if level is None else self.at_least[level]
        return part / self.population if self.population else 0.0


@dataclass(frozen=True)
class SharedCommune:
    """A commune several CPTS of the region claim: a conflict the ARS has to settle."""

    commune: CommuneRef
    tenant_names: list[str]


@dataclass(frozen=True)
class Coverage:
    region: Area
    departments: list[Area]
    white_zones: list[CommuneRef]  # largest population first
    overlaps: list[SharedCommune]  # by commune name


def _reached(stage: Stage) -> tuple[Stage, ...]:
    """The levels a commune covered by a CPTS at this stage counts in."""
    if stage is Stage.TERMINATED:
        return ()
    return tuple(level for level in LEVELS if RANK[stage] >= RANK[level])


def coverage(region_code: str, region_name: str, departments: list[RegionRef],
             rows: Iterable[OverviewRow]) -> Coverage:  # fmt: skip
    """`rows`: the CPTS of the region with their stage (from the rollups)."""
    tenants = {row.tenant.id: row for row in rows}
    best = {tenant_id: (RANK[row.stage], _reached(row.stage)) for tenant_id, row in tenants.items()}
    covering = region_links(region_code)
    region = Area(None, region_name)
    areas = {d.code: Area(d.code, d.name) for d in departments}
    white, shared = [], []
    for commune in communes_of(region_code):
        ids = covering.get(commune.code)
        department = areas.get(commune.department_code)
        if department is None:
            department = areas[commune.department_code] = Area(commune.department_code, "")
        people = commune.population
        region.population += people
        department.population += people
        if not ids:
            white.append(commune)
            continue
        region.covered += people
        department.covered += people
        for level in max(best[i] for i in ids)[1]:
            region.at_least[level] += people
            department.at_least[level] += people
        if len(ids) > 1:
            shared.append(SharedCommune(commune, sorted(tenants[i].tenant.name for i in ids)))
    white.sort(key=lambda c: (-c.population, c.name))
    shared.sort(key=lambda s: s.commune.name)
    departments_found = sorted(areas.values(), key=lambda a: a.code or "")
    return Coverage(region, departments_found, white, shared)


def coverage_table(found: Coverage) -> Table:
    """The population covered at each stage, for the region then each department (the chart's
    figures, as the page's table and its CSV)."""
    table = Table([gettext("Territoire"), gettext("Population"), gettext("Couverte (%)"),
                   gettext("Lettre d'intention ou plus (%)"), gettext("Projet validé ou plus (%)"),
                   gettext("ACI signé (%)")])  # fmt: skip
    for area in (found.region, *found.departments):
        name = gettext("Région") if area.code is None else f"{area.name} ({area.code})"
        shares = [area.share(), *(area.share(level) for level in reversed(LEVELS))]
        table.rows.append([name, area.population, *(round(s * 100, 1) for s in shares)])
    return table
