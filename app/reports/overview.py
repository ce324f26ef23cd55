"""The regional overview: every CPTS of a region with its figures compared fairly (per 10,000
inhabitants, growth over twelve months, reporting over the last twelve months), the regional
median beside each figure, filters, sorts and the export cells."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from werkzeug.datastructures import MultiDict

from app.exports import Cell
from app.i18n import N_, gettext
from app.models.contract import ConventionStatus
from app.rollups.regional import CurrentRow, TenantFacts, current_rows
from app.schemas.convention import STATUS_LABELS
from app.tenants.models import Stage

SIZE_CLASSES = ("T1", "T2", "T3", "T4")


def per_10k(count: int, population: int) -> float | None:
    """A count per 10,000 inhabitants, to one decimal (None without a population)."""
    return round(count * 10_000 / population, 1) if population else None


@dataclass(frozen=True)
class OverviewRow:
    current: CurrentRow

    @property
    def tenant(self) -> TenantFacts:
        return self.current.tenant

    @property
    def stage(self) -> Stage:
        found = self.current.stage
        return Stage(found) if found else self.tenant.declared_stage

    @property
    def members(self) -> int:
        return self.current.members

    @property
    def per_10k(self) -> float | None:
        return per_10k(self.members, self.tenant.population)

    @property
    def growth(self) -> float | None:
        """Members now against a year ago, in percent (None when there was nobody)."""
        before = self.current.members_year_ago
        return round((self.members - before) * 100 / before, 1) if before else None

    @property
    def missions_late(self) -> int:
        return self.current.missions_late

    @property
    def missions_at_risk(self) -> int:
        return self.current.missions_at_risk

    @property
    def completeness(self) -> float | None:
        """Periods submitted out of those due over the last twelve months, in percent."""
        due = self.current.periods_due
        return round(self.current.periods_submitted * 100 / due, 1) if due else None

    @property
    def timeliness(self) -> float | None:
        """Periods submitted by their due date out of those due, in percent."""
        due = self.current.periods_due
        return round(self.current.periods_on_time * 100 / due, 1) if due else None


# Figures with a regional median, in the order of the table
MEDIAN_OF = ("population", "members", "per_10k", "growth", "missions_late", "completeness",
             "timeliness")  # fmt: skip
SORTS: dict[str, Callable[[OverviewRow], Any]] = {
    "nom": lambda r: r.tenant.name.lower(),
    "population": lambda r: -r.tenant.population,
    "membres": lambda r: -r.members,
    "densite": lambda r: -(r.per_10k or -1),
    "croissance": lambda r: -(r.growth if r.growth is not None else -1e9),
    "retards": lambda r: -(r.missions_late * 100 + r.missions_at_risk),
    "completude": lambda r: r.completeness if r.completeness is not None else 1e9,
}


SORT_LABELS = (
    ("nom", N_("Nom de la CPTS")), ("population", N_("Population")), ("membres", N_("Membres")),
    ("densite", N_("Membres pour 10 000 habitants")), ("croissance", N_("Croissance sur 12 mois")),
    ("retards", N_("Missions en retard")), ("completude", N_("Complétude (la plus faible d'abord)")),
)  # fmt: skip


def value_of(row: OverviewRow, name: str) -> float | None:
    return row.tenant.population if name == "population" else getattr(row, name)


def median_of(values: Iterable[float | None]) -> float | None:
    """The median of the known values, to one decimal (None when there is none)."""
    known = [v for v in values if v is not None]
    return round(statistics.median(known), 1) if known else None


def medians(rows: Iterable[OverviewRow]) -> dict[str, float | None]:
    rows = list(rows)
    return {name: median_of(value_of(r, name) for r in rows) for name in MEDIAN_OF}


@dataclass(frozen=True)
class OverviewFilters:
    department: str | None = None
    stage: Stage | None = None
    size_class: str | None = None
    sort: str = "nom"

    def keeps(self, row: OverviewRow) -> bool:
        tenant = row.tenant
        return (
            (self.department is None or tenant.department_code == self.department)
            and (self.stage is None or row.stage is self.stage)
            and (self.size_class is None or tenant.size_class == self.size_class)
        )

    def described(self) -> dict:
        return {"department": self.department, "size_class": self.size_class,
                "stage": self.stage.value if self.stage else None}  # fmt: skip


def filters_from(args: MultiDict) -> OverviewFilters:
    """The filters from the query string; a value that is not one is ignored."""
    stage = args.get("stade", "")
    return OverviewFilters(
        department=args.get("departement", "")[:3] or None,
        stage=Stage(stage) if stage in Stage._value2member_map_ else None,
        size_class=args.get("taille") if args.get("taille") in SIZE_CLASSES else None,
        sort=str(args.get("tri")) if args.get("tri") in SORTS else "nom",
    )


def overview_rows(criteria, today: date) -> list[OverviewRow]:
    return [OverviewRow(row) for row in current_rows(criteria, today)]


def kept_rows(rows: list[OverviewRow], filters: OverviewFilters) -> list[OverviewRow]:
    return sorted((r for r in rows if filters.keeps(r)), key=SORTS[filters.sort])


def export_header() -> list[str]:
    return [gettext("CPTS"), gettext("Département"), gettext("Stade"), gettext("Population"),
            gettext("Taille"), gettext("Membres"), gettext("Membres pour 10 000 habitants"),
            gettext("Croissance sur 12 mois (%)"), gettext("Convention"),
            gettext("Missions en retard"), gettext("Missions à risque"),
            gettext("Complétude des remises sur 12 mois (%)"),
            gettext("Remises à l'heure sur 12 mois (%)")]  # fmt: skip


def export_cells(row: OverviewRow, stage_labels: dict) -> list[Cell]:
    convention = row.current.convention
    return [
        row.tenant.name, row.tenant.department_code, stage_labels[row.stage],
        row.tenant.population, row.tenant.size_class, row.members, row.per_10k, row.growth,
        gettext(STATUS_LABELS[ConventionStatus(convention)]) if convention else "",
        row.missions_late, row.missions_at_risk, row.completeness, row.timeliness,
    ]  # fmt: skip
