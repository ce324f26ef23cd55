"""Member counts and membership growth, derived from join and leave dates (no counter to drift)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Date, func, literal, select, union_all

from app.extensions import db
from app.models.member import Profession, active_on, membership_periods
from app.tenants.context import for_tenant
from app.tenants.models import Tenant

MAX_MONTHS = 240  # twenty years: any range asked for is cut to this


@dataclass(frozen=True)
class TenantRow:
    """A CPTS with its member count, compared fairly: members per 10,000 inhabitants."""

    tenant: Tenant
    member_count: int

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


def _counted_on(month: date, today: date) -> date:
    end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return min(end, today)


@for_tenant
def membership_growth(
    tenant: Tenant, first: date, last: date, today: date | None = None
) -> list[GrowthPoint]:
    """Active members per month and profession over any range: one query."""
    today = today or date.today()
    months = month_starts(first, min(last, today))
    if not months:
        return []
    calendar = union_all(
        *(
            select(
                literal(month, Date).label("month"),
                literal(_counted_on(month, today), Date).label("day"),
            )
            for month in months
        )
    ).subquery("calendar")
    periods = membership_periods()
    rows = db.session.execute(
        select(calendar.c.month, periods.c.profession, func.count())
        .select_from(calendar)
        .join(periods, active_on(periods, calendar.c.day))
        .group_by(calendar.c.month, periods.c.profession)
        .order_by(calendar.c.month, periods.c.profession)
    ).all()
    return [
        GrowthPoint(_as_date(month), Profession(profession), count)
        for month, profession, count in rows
    ]


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


@for_tenant
def first_join(tenant: Tenant) -> date | None:
    periods = membership_periods()
    return db.session.scalar(select(func.min(periods.c.joined_on)))
