"""Member counts, derived from join and leave dates (no counter to drift)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.models.member import Member, active_on
from app.tenants.context import for_tenant
from app.tenants.models import Tenant


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
    count = db.session.scalar(select(func.count(Member.id)).where(active_on(day or date.today())))
    return int(count or 0)
