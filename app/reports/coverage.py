"""Coverage of a region's territory: the share of its population living in a commune a CPTS
covers, at each stage of the lifecycle (a commune counts at the most advanced stage of the CPTS
covering it), overall and by department; the communes no CPTS covers (white zones) and those
several claim (overlaps)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext

from app.models.referential import Commune, RegionRef
from app.reports.dashboard import Table
from app.rollups.territory import region_communes
from app.tenants.models import Stage

# The thresholds shown, from the most advanced (each includes those beyond it)
LEVELS = (Stage.ACI_SIGNED, Stage.PROJECT_VALIDATED, Stage.LETTER_OF_INTENT)
ORDER = list(Stage)


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
class Coverage:
    region: Area
    departments: list[Area]
    white_zones: list[Commune]  # largest population first


def _reaches(stage: Stage, level: Stage) -> bool:
    return stage is not Stage.TERMINATED and ORDER.index(stage) >= ORDER.index(level)


def coverage(region_code: str, region_name: str, departments: list[RegionRef],
             stages: dict[int, Stage]) -> Coverage:  # fmt: skip
    """`stages`: the stage of each CPTS of the region (from the rollups)."""
    communes, covering = region_communes(region_code)
    region = Area(None, region_name)
    areas = {d.code: Area(d.code, d.name) for d in departments}
    white = []
    for commune in communes:
        ids = covering.get(commune.code, [])
        best = max((stages[i] for i in ids), key=ORDER.index, default=None)
        for area in (region, areas.setdefault(commune.department_code,
                                              Area(commune.department_code, ""))):  # fmt: skip
            area.population += commune.population
            if ids:
                area.covered += commune.population
            for level in LEVELS:
                if best is not None and _reaches(best, level):
                    area.at_least[level] += commune.population
        if not ids:
            white.append(commune)
    white.sort(key=lambda c: (-c.population, c.name))
    return Coverage(region, sorted(areas.values(), key=lambda a: a.code or ""), white)


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
