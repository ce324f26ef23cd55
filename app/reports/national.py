"""The national view for the platform admin: the regional figures, region by region (six
queries whatever the number of CPTS and members, the CPTS's figures from the rollups)."""

from __future__ import annotations

import statistics
import unicodedata
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, true

from app.extensions import db
from app.models.referential import Region
from app.reports.overview import overview_rows
from app.rollups.territory import covered_by_region, region_populations
from app.tenants.models import Stage


@dataclass
class RegionRow:
    region: Region
    population: int = 0
    cptss: int = 0
    signed: int = 0  # CPTS that signed the ACI
    covered: int = 0  # inhabitants in a commune some CPTS covers
    covered_signed: int = 0  # ... that a CPTS having signed the ACI covers
    members: int = 0
    per_10k: list[float] | None = None

    def share(self, part: int) -> float:
        return part / self.population if self.population else 0.0

    @property
    def median_per_10k(self) -> float | None:
        return round(statistics.median(self.per_10k), 1) if self.per_10k else None


def national_rows() -> list[RegionRow]:
    rows = {r.code: RegionRow(r) for r in db.session.scalars(select(Region).order_by(Region.name))}
    for code, population in region_populations().items():
        rows[code].population = population
    signed: set[int] = set()
    for found in overview_rows(true(), date.today()):
        tenant = found.tenant
        row = rows[tenant.region_code]
        row.cptss += 1
        row.members += found.members
        if found.stage is Stage.ACI_SIGNED:
            row.signed += 1
            signed.add(tenant.id)
        if tenant.population:
            row.per_10k = row.per_10k if row.per_10k is not None else []
            row.per_10k.append(found.members * 10_000 / tenant.population)
    for code, covered, covered_signed in covered_by_region(signed):
        rows[code].covered, rows[code].covered_signed = covered, covered_signed
    return sorted((r for r in rows.values() if r.population), key=lambda r: _plain(r.region.name))


def _plain(name: str) -> str:
    """Île-de-France among the I, not after the Z."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


def total(rows: list[RegionRow]) -> dict[str, int]:
    return {name: sum(getattr(r, name) for r in rows)
            for name in ("population", "cptss", "signed", "covered", "covered_signed", "members")}  # fmt: skip
