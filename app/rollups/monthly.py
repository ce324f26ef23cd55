"""The monthly rollups kept current: a write to any source of the regional figures marks its CPTS;
before the transaction commits, that CPTS's months are computed again from its own data (bound
to it, like any of its pages: no escape hatch) and rewritten, and its region's version moves on.
A regional page therefore shows a write as soon as it is committed, and never a stale figure.

`rebuild()` does the same for every CPTS (or one) from scratch: after a bulk load, and each
night, since statuses derived from dates (a mission late, a stage reached) move with the days.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from itertools import chain

from sqlalchemy import delete, event, insert, select, true, update
from sqlalchemy.orm import ORMExecuteState, Session

from app.columns import utcnow
from app.extensions import db
from app.models.convention import (
    Amendment,
    AmendmentChange,
    Convention,
    ConventionTerm,
    ReceivedPayment,
    VariableEarned,
)
from app.models.indicator import Indicator, IndicatorValue, ReportingPeriod
from app.models.member import Member, MemberPeriod
from app.models.project import HealthProject, MissionProgress
from app.models.rollup import FIGURES, CptsMonth, RollupVersion
from app.models.territory import TerritoryCommune
from app.rollups.figures import month_figures
from app.rollups.regional import forget
from app.tenants.context import bound_tenant_id, tenant_bound, without_tenant
from app.tenants.models import Tenant

# What the monthly figures are computed from: a write to any of these marks its CPTS.
SOURCES: tuple[type, ...] = (
    Tenant, TerritoryCommune, Member, MemberPeriod, HealthProject, MissionProgress,
    Convention, ConventionTerm, Amendment, AmendmentChange, ReceivedPayment, VariableEarned,
    Indicator, ReportingPeriod, IndicatorValue,
)  # fmt: skip
_MARKED = "rollups_marked"
_BUMPED = "rollups_bumped"


def mark(session: Session, tenant_id: int | None) -> None:
    if tenant_id is not None:
        session.info.setdefault(_MARKED, set()).add(tenant_id)


def _after_flush(session: Session, _context) -> None:
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, SOURCES):
            mark(session, obj.id if isinstance(obj, Tenant) else obj.tenant_id)  # type: ignore[attr-defined]


def _bulk_write(state: ORMExecuteState) -> None:
    """ORM bulk INSERT/UPDATE/DELETE (imports, the national data set) mark the bound CPTS."""
    if state.is_insert or state.is_update or state.is_delete:
        mapper = state.bind_mapper
        if mapper is not None and issubclass(mapper.class_, SOURCES[1:]):
            mark(state.session, bound_tenant_id())


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint: the transaction's own commit refreshes
        return
    session.flush()
    marked = session.info.pop(_MARKED, None)
    for tenant_id in sorted(marked or ()):
        refresh(tenant_id)


def _forget(session: Session, *_args) -> None:
    if session.in_nested_transaction():  # a savepoint rolled back: what it marked is refreshed
        return  # for nothing, which is harmless; what was marked before it still must be
    session.info.pop(_MARKED, None)
    session.info.pop(_BUMPED, None)


def _committed(session: Session) -> None:
    """This process reads the new version at once (others within VERSION_SECONDS); not at a
    savepoint (SQLAlchemy signals those too), before the transaction is committed."""
    if session.in_nested_transaction():
        return
    bumped = session.info.pop(_BUMPED, None)
    if bumped:
        forget(None if None in bumped else bumped)


def install(session_class: type[Session] = Session) -> None:
    """Attach the hooks to the application's sessions (idempotent)."""
    if not event.contains(session_class, "before_commit", _before_commit):
        event.listen(session_class, "after_flush", _after_flush)
        event.listen(session_class, "do_orm_execute", _bulk_write)
        event.listen(session_class, "before_commit", _before_commit)
        event.listen(session_class, "after_rollback", _forget)
        event.listen(session_class, "after_commit", _committed)


# -- computing and writing


def refresh(tenant_id: int, today: date | None = None) -> None:
    """Compute a CPTS's months again and rewrite them, in the current transaction."""
    tenant = db.session.get(Tenant, tenant_id)
    if tenant is None:  # deleted: its rows went with it
        return
    if bound_tenant_id() == tenant_id:
        _rewrite(tenant, today or date.today())
    else:
        with without_tenant(), tenant_bound(tenant_id):
            _rewrite(tenant, today or date.today())
    bump(tenant.region_code)


_FIGURE_COLUMNS = [getattr(CptsMonth, name) for name in FIGURES]


def _rewrite(tenant: Tenant, today: date) -> None:
    """Rewrite the months whose figures changed, and only those (a member joining changes the
    current month: one row rewritten, not five years of them)."""
    months = month_figures(tenant, today)
    stored = {  # the guard keeps each statement here to the bound CPTS
        month: (row_id, figures) for row_id, month, *figures in db.session.execute(
            select(CptsMonth.id, CptsMonth.month, *_FIGURE_COLUMNS))
    }  # fmt: skip
    written = {
        month: figures for month, figures in months.items()
        if month not in stored or stored[month][1] != [figures[f] for f in FIGURES]
    }  # fmt: skip
    stale = [row_id for month, (row_id, _f) in stored.items()
             if month in written or month not in months]  # fmt: skip
    if stale:
        db.session.execute(delete(CptsMonth).where(CptsMonth.id.in_(stale)))
    if written:
        now = utcnow()
        db.session.execute(insert(CptsMonth), [
            {"month": month, "computed_at": now, **figures} for month, figures in written.items()
        ])  # fmt: skip
    db.session.flush()


def bump(region_code: str | None = None) -> None:
    """Move the region's version on (every region's with None: a change of the catalogue, which
    their pages show): cached regional pages of the older one are never served."""
    db.session.info.setdefault(_BUMPED, set()).add(region_code)
    moved = db.session.execute(
        update(RollupVersion)
        .where(true() if region_code is None else RollupVersion.region_code == region_code)
        .values(version=RollupVersion.version + 1, updated_at=utcnow())
    )
    if region_code is not None and not moved.rowcount:  # type: ignore[attr-defined]
        db.session.add(RollupVersion(region_code=region_code, version=1, updated_at=utcnow()))
        db.session.flush()


def rebuild(tenant_ids: Iterable[int] | None = None, today: date | None = None) -> int:
    """Recompute the rollups of the given CPTS (all by default), committing every 50."""
    ids = list(tenant_ids) if tenant_ids is not None else list(
        db.session.scalars(select(Tenant.id).order_by(Tenant.id))
    )  # fmt: skip
    for number, tenant_id in enumerate(ids, start=1):
        refresh(tenant_id, today)
        if number % 50 == 0:
            db.session.commit()
    db.session.commit()
    return len(ids)
