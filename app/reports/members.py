"""Member counts, derived from join and leave dates (no counter to drift)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select

from app.extensions import db
from app.models.member import Member
from app.tenants.context import unscoped
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


def _active_on(day: date):
    return (Member.joined_on <= day) & or_(Member.left_on.is_(None), Member.left_on > day)


def active_member_count(day: date | None = None) -> int:
    """Members of the bound tenant on a day (today by default)."""
    return db.session.scalar(select(func.count(Member.id)).where(_active_on(day or date.today())))


def active_member_counts_by_tenant(
    tenant_ids: list[int], day: date | None = None
) -> dict[int, int]:
    """Members per tenant, for aggregates: one grouped query through the escape hatch."""
    if not tenant_ids:
        return {}
    with unscoped("member counts for a regional or CPAM aggregate"):
        rows = db.session.execute(
            select(Member.tenant_id, func.count(Member.id))
            .where(Member.tenant_id.in_(tenant_ids), _active_on(day or date.today()))
            .group_by(Member.tenant_id)
        ).all()
    return {tenant_id: count for tenant_id, count in rows}
