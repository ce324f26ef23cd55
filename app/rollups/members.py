"""Member counts across CPTS, derived from join and leave dates (no counter to drift)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.models.member import active_on, membership_periods
from app.tenants.context import unscoped


def active_member_counts_by_tenant(
    tenant_ids: list[int], day: date | None = None
) -> dict[int, int]:
    """Members per tenant on a day (today by default): one grouped query."""
    if not tenant_ids:
        return {}
    with unscoped("member counts for a regional or CPAM aggregate"):
        periods = membership_periods()
        rows = db.session.execute(
            select(periods.c.tenant_id, func.count())
            .where(periods.c.tenant_id.in_(tenant_ids), active_on(periods, day or date.today()))
            .group_by(periods.c.tenant_id)
        ).all()
    return {tenant_id: count for tenant_id, count in rows}
