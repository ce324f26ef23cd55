"""A CPTS among its region's others, anonymised (issue: a president's view of their peers): no
name, no slug, no population, no member count; only the fair figure (members per 10,000
inhabitants), the size class and the stage, in an order that says nothing of who is who. A peer
with 1 to 10 members has its figure masked (app.privacy)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date

from app import privacy
from app.reports.overview import overview_rows
from app.tenants.models import Stage, Tenant


@dataclass(frozen=True)
class Peer:
    own: bool
    size_class: str
    stage: Stage
    per_10k: float | None  # None: masked (a small count) or no population
    growth: float | None  # members per 10,000 gained over twelve months


@dataclass(frozen=True)
class Peers:
    rows: list[Peer]  # the CPTS itself among them, ordered by the figure
    median_per_10k: float | None
    median_growth: float | None


def _per_10k(count: int, population: int) -> float | None:
    if privacy.count(count) is None or not population:
        return None
    return round(count * 10_000 / population, 1)


def peers_of(tenant: Tenant, today: date | None = None) -> Peers:
    today = today or date.today()
    rows = overview_rows(Tenant.region_code == tenant.region_code, today)
    peers = []
    for row in rows:
        population = row.tenant.population or 0
        now, then = row.members, row.current.members_year_ago or 0
        growth = None
        if population and privacy.count(now) is not None and privacy.count(then) is not None:
            growth = round((now - then) * 10_000 / population, 1)
        peers.append(Peer(row.tenant.id == tenant.id, row.tenant.size_class, row.stage,
                          _per_10k(now, population), growth))  # fmt: skip
    peers.sort(key=lambda p: (p.per_10k is None, -(p.per_10k or 0), p.size_class))
    figures = [p.per_10k for p in peers if p.per_10k is not None]
    growths = [p.growth for p in peers if p.growth is not None]
    return Peers(
        peers,
        round(statistics.median(figures), 1) if figures else None,
        round(statistics.median(growths), 1) if growths else None,
    )
