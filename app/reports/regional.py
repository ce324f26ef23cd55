"""Rows for the regional, CPAM and admin lists of CPTS."""

from __future__ import annotations

from datetime import date

from app.reports.members import TenantRow
from app.rollups.regional import current_rows
from app.tenants.models import Stage, Tenant


def tenant_rows(tenants: list[Tenant]) -> list[TenantRow]:
    """The CPTS with their members and stage this month, from the rollups (one statement)."""
    found = {r.tenant.id: r for r in current_rows(Tenant.id.in_([t.id for t in tenants]),
                                                    date.today())}  # fmt: skip
    return [
        TenantRow(t, found[t.id].members, Stage(found[t.id].stage or t.declared_stage))
        for t in tenants
    ]
