"""Reporting across CPTS, for reviewers: the periods waiting for review (oldest first) and what
each CPTS still owes (periods late, missing or sent back and not resubmitted). Two queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, case, func, select

from app.extensions import db
from app.models.indicator import PeriodKind, PeriodStatus, ReportingPeriod
from app.tenants.context import unscoped
from app.tenants.models import Tenant

REASON = "reporting periods of the CPTS a reviewer follows"


@dataclass(frozen=True)
class Waiting:
    tenant_name: str
    tenant_slug: str
    period_id: int
    kind: PeriodKind
    starts_on: date
    submitted_at: datetime | None


@dataclass(frozen=True)
class Owed:
    tenant_name: str
    tenant_slug: str
    sent_back: int
    missing: int  # opened, due date passed, never submitted
    late: int  # submitted after the due date


def review_queue(criteria: ColumnElement[bool], today: date) -> tuple[list[Waiting], list[Owed]]:
    period = ReportingPeriod
    with unscoped(REASON):
        waiting = db.session.execute(
            select(Tenant.name, Tenant.slug, period.id, period.kind, period.starts_on,
                   period.submitted_at)
            .join(period, period.tenant_id == Tenant.id)
            .where(criteria, period.status == PeriodStatus.SUBMITTED)
            .order_by(period.submitted_at, Tenant.name)
        ).all()  # fmt: skip
        count = lambda condition: func.sum(case((condition, 1), else_=0))  # noqa: E731
        owed = db.session.execute(
            select(
                Tenant.name,
                Tenant.slug,
                count(period.status == PeriodStatus.SENT_BACK),
                count(period.submitted_at.is_(None) & (period.due_on < today)),
                count(func.date(period.submitted_at) > period.due_on),
            )
            .join(period, period.tenant_id == Tenant.id)
            .where(criteria)
            .group_by(Tenant.id, Tenant.name, Tenant.slug)
            .order_by(Tenant.name)
        ).all()
    return (
        [Waiting(*row) for row in waiting],
        [Owed(*row) for row in owed if any(row[2:])],
    )
