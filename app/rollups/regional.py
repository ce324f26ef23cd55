"""The regional figures, read from the monthly rollups across the CPTS a reader may see (one
statement each, whatever the number of CPTS, members and values)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from threading import Event

from sqlalchemy import ColumnElement, case, func, select

from app.extensions import db
from app.kept import Recent
from app.models.contract import add_months
from app.models.rollup import CptsMonth, RollupVersion
from app.rollups.figures import month_of
from app.tenants.context import unscoped
from app.tenants.models import Stage, Tenant

REASON = "regional figures from the monthly rollups"


@dataclass(frozen=True)
class Freshness:
    """What a regional page is a function of: the rollups' version, and when they last moved."""

    version: int
    updated_at: datetime | None
    regions: tuple[str, ...] = ()  # whose rollups (none: every region's)


# A version read is kept this long by each process: another process's write shows within it
# (the freshness target is one second); this process's own writes show at once (forget()).
VERSION_SECONDS = 0.5
_versions = Recent(VERSION_SECONDS)  # region codes -> Freshness
# Set when this process commits new rollups: what waits for versions to move looks at once.
moved = Event()


def freshness(*region_codes: str) -> Freshness:
    """The version of the rollups of some regions (all of them with none given): one statement,
    at most every VERSION_SECONDS per process."""

    def read() -> Freshness:
        query = select(func.coalesce(func.sum(RollupVersion.version), 0),
                       func.max(RollupVersion.updated_at))  # fmt: skip
        if region_codes:
            query = query.where(RollupVersion.region_code.in_(region_codes))
        version, updated_at = db.session.execute(query).one()
        return Freshness(int(version), updated_at, region_codes)

    return _versions.get(region_codes, read)


def versions() -> dict[str, int]:
    """The version of each region's rollups (one statement)."""
    query = select(RollupVersion.region_code, RollupVersion.version)
    return {code: version for code, version in db.session.execute(query)}


def forget(region_codes: set[str] | None = None, wake: bool = True) -> None:
    """After this process committed new rollups for these regions (None: any), read their
    version again (and wake what waits for versions to move, unless it is the one asking)."""

    def moved_here(key) -> bool:  # key: the region codes of a freshness() call (none: every region)
        return region_codes is None or not key or bool(region_codes & set(key))

    _versions.forget(moved_here)
    if wake:
        moved.set()


@dataclass(frozen=True)
class TenantFacts:
    """What the regional figures say of a CPTS besides its numbers: plain values, which a page
    may keep (cached) beyond the request that read them."""

    id: int
    slug: str
    name: str
    region_code: str
    department_code: str | None
    population: int
    size_class: str
    fictitious: bool
    declared_stage: Stage


FACTS = (Tenant.id, Tenant.slug, Tenant.name, Tenant.region_code, Tenant.department_code,
         Tenant.population, Tenant.size_class, Tenant.fictitious, Tenant.declared_stage)  # fmt: skip


@dataclass(frozen=True)
class CurrentRow:
    """A CPTS with its figures this month, a year ago, and over the last twelve months."""

    tenant: TenantFacts
    members: int
    members_year_ago: int | None
    stage: str | None
    convention: str | None
    signed_on: date | None
    missions_late: int
    missions_at_risk: int
    periods_due: int  # over the last twelve months
    periods_submitted: int
    periods_on_time: int


def current_rows(criteria: ColumnElement[bool], today: date) -> list[CurrentRow]:
    """Every CPTS matching `criteria` (on Tenant), by name, with this month's figures."""
    now = month_of(today)
    then = add_months(now, -12)
    m = CptsMonth

    def this_month(column):
        return func.max(case((m.month == now, column)))

    def last_year(column):
        return func.coalesce(func.sum(case((m.month > then, column), else_=0)), 0)

    query = (
        select(
            *FACTS,
            func.coalesce(this_month(m.members), 0),
            func.max(case((m.month == then, m.members))),
            this_month(m.stage),
            this_month(m.convention),
            this_month(m.signed_on),
            func.coalesce(this_month(m.missions_late), 0),
            func.coalesce(this_month(m.missions_at_risk), 0),
            last_year(m.periods_due),
            last_year(m.periods_submitted),
            last_year(m.periods_on_time),
        )
        .outerjoin(m, (m.tenant_id == Tenant.id) & (m.month >= then) & (m.month <= now))
        .where(criteria)
        .group_by(*FACTS)
        .order_by(Tenant.name)
    )
    with unscoped(REASON):
        rows = db.session.execute(query).all()
    facts = len(FACTS)
    return [CurrentRow(TenantFacts(*row[:facts]), *row[facts:]) for row in rows]


def month_series(criteria: ColumnElement[bool], since: date, until: date, *columns) -> list:
    """(tenant id, month, *columns) of the CPTS matching `criteria`, month by month."""
    m = CptsMonth
    query = (
        select(m.tenant_id, m.month, *columns)
        .join(Tenant, Tenant.id == m.tenant_id)
        .where(criteria, m.month >= since, m.month <= until)
        .order_by(m.tenant_id, m.month)
    )
    with unscoped(REASON):
        return list(db.session.execute(query))
