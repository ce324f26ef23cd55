"""Member counts and membership growth, derived from join and leave dates (no counter to drift)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import String, cast, func, literal, select, union_all

from app.extensions import db
from app.models.member import Profession, active_on, membership_periods
from app.tenants.context import for_tenant
from app.tenants.models import Stage, Tenant

MAX_MONTHS = 240  # twenty years: any range asked for is cut to this


@dataclass(frozen=True)
class TenantRow:
    """A CPTS with its lifecycle stage (derived from its dates) and its member count, compared
    fairly: members per 10,000 inhabitants."""

    tenant: Tenant
    member_count: int
    stage: Stage

    @property
    def members_per_10k(self) -> float | None:
        population = self.tenant.population
        return None if not population else round(self.member_count * 10_000 / population, 1)


@for_tenant
def active_member_count(tenant: Tenant, day: date | None = None) -> int:
    """Members of the CPTS on a day (today by default)."""
    periods = membership_periods()
    count = db.session.scalar(
        select(func.count()).select_from(periods).where(active_on(periods, day or date.today()))
    )
    return int(count or 0)


@dataclass(frozen=True)
class GrowthPoint:
    month: date  # its first day
    profession: Profession
    members: int  # active at the end of the month (today, for the current month)


def month_starts(first: date, last: date) -> list[date]:
    """The first day of every month from `first`'s to `last`'s, at most MAX_MONTHS of them."""
    months: list[date] = []
    month = first.replace(day=1)
    while month <= last and len(months) < MAX_MONTHS:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


@for_tenant
def membership_growth(
    tenant: Tenant, first: date, last: date, today: date | None = None
) -> list[GrowthPoint]:
    """Active members at the end of each month (today, for the current month), by profession,
    over any range: one query.

    Active on a day = joined on or before it, minus left on or before it; the query counts the
    joins and the departures by month and profession, and running sums give every month."""
    today = today or date.today()
    months = month_starts(first, min(last, today))
    if not months:
        return []
    periods = membership_periods()

    def by_month(day, kind: str):
        month = func.substr(cast(day, String), 1, 7)  # "2024-03", on both engines
        return (
            select(
                literal(kind).label("kind"),
                month.label("month"),
                periods.c.profession,
                func.count(),
            )
            .where(day.is_not(None), day <= today)
            .group_by(month, periods.c.profession)
        )

    events = union_all(
        by_month(periods.c.joined_on, "joined"), by_month(periods.c.left_on, "left")
    ).subquery("events")
    rows = db.session.execute(select(events).order_by(events.c.month)).all()
    return _running_counts(rows, months)


def _running_counts(rows, months: list[date]) -> list[GrowthPoint]:
    active: dict[str, int] = {}
    points: list[GrowthPoint] = []
    position = 0
    for month in months:
        key = month.strftime("%Y-%m")
        while position < len(rows) and rows[position].month <= key:
            kind, _month, profession, count = rows[position]
            active[profession] = active.get(profession, 0) + (count if kind == "joined" else -count)
            position += 1
        points += [
            GrowthPoint(month, Profession(profession), count)
            for profession, count in sorted(active.items())
            if count
        ]
    return points


@for_tenant
def first_join(tenant: Tenant) -> date | None:
    periods = membership_periods()
    return db.session.scalar(select(func.min(periods.c.joined_on)))
