"""The national view for the platform admin: the regional figures, region by region (six
queries whatever the number of CPTS and members, the CPTS's figures from the rollups)."""

from __future__ import annotations

import statistics
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, true

from app.extensions import db
from app.models.referential import Region
from app.reports.overview import overview_rows
from app.rollups.territory import communes_of, territory_links
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
    communes = {commune.code: commune for commune in communes_of()}
    for commune in communes.values():
        rows[commune.region_code].population += commune.population
    found = overview_rows(true(), date.today())
    tenants = [row.tenant for row in found]
    stages = {row.tenant.id: row.stage for row in found}
    counts = {row.tenant.id: row.members for row in found}
    for tenant in tenants:
        row = rows[tenant.region_code]
        row.cptss += 1
        row.signed += stages[tenant.id] is Stage.ACI_SIGNED
        row.members += counts.get(tenant.id, 0)
        if tenant.population:
            row.per_10k = [
                *(row.per_10k or []),
                counts.get(tenant.id, 0) * 10_000 / tenant.population,
            ]
    covering: dict[str, set[int]] = defaultdict(set)
    for code, tenant_id in territory_links():
        covering[code].add(tenant_id)
    for code, ids_ in covering.items():
        commune = communes[code]
        row = rows[commune.region_code]
        row.covered += commune.population
        if any(stages.get(i) is Stage.ACI_SIGNED for i in ids_):
            row.covered_signed += commune.population
    return sorted((r for r in rows.values() if r.population), key=lambda r: _plain(r.region.name))


def _plain(name: str) -> str:
    """Île-de-France among the I, not after the Z."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


def total(rows: list[RegionRow]) -> dict[str, int]:
    return {name: sum(getattr(r, name) for r in rows)
            for name in ("population", "cptss", "signed", "covered", "covered_signed", "members")}  # fmt: skip
