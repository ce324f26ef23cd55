"""Rows for the regional, CPAM and admin lists of CPTS."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.reports.members import TenantRow
from app.rollups.conventions import stages_of
from app.rollups.members import active_member_counts_by_tenant
from app.tenants.models import Tenant


def tenant_rows(tenants: list[Tenant]) -> list[TenantRow]:
    ids = [t.id for t in tenants]
    counts, stages = active_member_counts_by_tenant(ids), stages_of(ids)
    return [TenantRow(t, counts.get(t.id, 0), stages[t.id]) for t in tenants]


def tenants_where(*criteria) -> list[Tenant]:
    return list(db.session.scalars(select(Tenant).where(*criteria).order_by(Tenant.name)))
