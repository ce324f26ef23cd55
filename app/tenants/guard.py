"""Automatic tenant filtering of ORM reads and stamping of writes, failing closed.

Known limits, by design backed up by PostgreSQL row-level security: raw SQL, Core statements on
tables, and `Session.get()` answered from the identity map do not pass through here.
"""

from __future__ import annotations

from sqlalchemy import event, false, inspect
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from app.tenants.context import TenancyError, bound_tenant_id, unscoped_reason
from app.tenants.models import TenantScoped


def _scoped_mappers(state: ORMExecuteState) -> list[str]:
    return [m.class_.__name__ for m in state.all_mappers if issubclass(m.class_, TenantScoped)]


def _filter_reads(state: ORMExecuteState) -> None:
    if state.is_column_load or not (state.is_select or state.is_update or state.is_delete):
        if state.is_insert and _scoped_mappers(state) and bound_tenant_id() is None:
            raise TenancyError(f"insert into {_scoped_mappers(state)} with no tenant bound")
        return
    if unscoped_reason() is not None and state.is_select:
        return
    tenant_id = bound_tenant_id()
    if tenant_id is None:
        if _scoped_mappers(state):
            raise TenancyError(f"query of {_scoped_mappers(state)} with no tenant bound")
        # Joined or nested tenant-scoped entities not seen at the top level get nothing.
        criteria = with_loader_criteria(TenantScoped, lambda cls: false(), include_aliases=True)
    else:
        criteria = with_loader_criteria(
            TenantScoped, lambda cls: cls.tenant_id == tenant_id, include_aliases=True
        )
    state.statement = state.statement.options(criteria)


def _check_row(obj: TenantScoped, tenant_id: int | None, verb: str) -> None:
    if tenant_id is None:
        raise TenancyError(f"{verb} of {type(obj).__name__} with no tenant bound")
    if obj.tenant_id != tenant_id:
        raise TenancyError(
            f"{verb} of {type(obj).__name__} of tenant {obj.tenant_id} refused "
            f"(bound tenant: {tenant_id})"
        )


def _stamp_writes(session: Session, _flush_context, _instances) -> None:
    tenant_id = bound_tenant_id()
    for obj in session.new:
        if isinstance(obj, TenantScoped):
            if obj.tenant_id is None and tenant_id is not None:
                obj.tenant_id = tenant_id
            _check_row(obj, tenant_id, "insert")
    for obj in session.dirty:
        if isinstance(obj, TenantScoped) and session.is_modified(obj):
            _check_row(obj, tenant_id, "update")
            if inspect(obj).attrs.tenant_id.history.deleted:
                raise TenancyError("a row cannot move to another tenant")
    for obj in session.deleted:
        if isinstance(obj, TenantScoped):
            _check_row(obj, tenant_id, "delete")


def install(session_class: type[Session] = Session) -> None:
    """Attach the guard to every ORM session (idempotent)."""
    if not event.contains(session_class, "do_orm_execute", _filter_reads):
        event.listen(session_class, "do_orm_execute", _filter_reads)
        event.listen(session_class, "before_flush", _stamp_writes)
