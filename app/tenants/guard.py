"""Automatic tenant filtering of ORM reads and stamping of writes, failing closed.

- Every ORM statement touching a TenantScoped model (selects, lazy and column loads, bulk
  UPDATE/DELETE) gets `tenant_id = <bound tenant>`; with no tenant bound it raises.
- A new object is stamped with the bound tenant when it is added to the session, and checked
  again at flush: a row of another tenant, or one moving between tenants, is refused.
- ORM bulk INSERT/UPDATE statements are checked value by value; the legacy bulk_* methods are
  refused for tenant tables (app.tenants.session.TenantSession).
- Objects read through the escape hatch leave the session when it closes, so `Session.get()`
  cannot hand them out afterwards from the identity map.

Raw SQL and Core statements on tables do not pass through here: PostgreSQL row-level security
backs the guard up for those.
"""

from __future__ import annotations

from flask import has_app_context
from sqlalchemy import event, false, inspect
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from app.tenants.context import (
    TenancyError,
    bound_tenant_id,
    on_unscoped_exit,
    unscoped_reason,
)
from app.tenants.models import TenantScoped


def _scoped_mappers(state: ORMExecuteState) -> list[str]:
    return [m.class_.__name__ for m in state.all_mappers if issubclass(m.class_, TenantScoped)]


def _parameter_rows(state: ORMExecuteState) -> list[dict]:
    params = state.parameters
    return (
        [params] if isinstance(params, dict) else [p for p in params or () if isinstance(p, dict)]
    )


def _statement_rows(statement) -> list[dict]:
    """The .values(...) of an INSERT or UPDATE (no public accessor in SQLAlchemy 2)."""
    batches = [[statement._values]] if getattr(statement, "_values", None) else []
    batches += list(getattr(statement, "_multi_values", None) or ())
    return [
        {getattr(k, "key", k): getattr(v, "value", v) for k, v in row.items()}
        for batch in batches
        for row in batch
        if isinstance(row, dict)
    ]


def _guard_bulk_write(state: ORMExecuteState, tenant_id: int) -> None:
    if state.is_update and isinstance(state.parameters, list):
        raise TenancyError("bulk UPDATE by primary key is refused on tenant tables")
    if state.is_insert:
        for row in _parameter_rows(state):
            row.setdefault("tenant_id", tenant_id)
    for row in _parameter_rows(state) + _statement_rows(state.statement):
        if state.is_update and "tenant_id" in row:
            raise TenancyError("a row cannot move to another tenant")
        if state.is_insert and row.get("tenant_id", tenant_id) != tenant_id:
            raise TenancyError(f"insert for tenant {row['tenant_id']} refused (bound: {tenant_id})")


def _filter_statement(state: ORMExecuteState) -> None:
    scoped = _scoped_mappers(state)
    tenant_id = bound_tenant_id()
    if state.is_insert or state.is_update:
        if scoped and tenant_id is None:
            raise TenancyError(f"write to {scoped} with no tenant bound")
        if scoped:
            _guard_bulk_write(state, tenant_id)
        if state.is_insert:
            return
    if unscoped_reason() is not None and state.is_select:
        return
    if tenant_id is None:
        if scoped:
            raise TenancyError(f"query of {scoped} with no tenant bound")
        # Joined or nested tenant-scoped entities not seen at the top level get nothing.
        criteria = with_loader_criteria(TenantScoped, lambda cls: false(), include_aliases=True)
    else:
        criteria = with_loader_criteria(
            TenantScoped, lambda cls: cls.tenant_id == tenant_id, include_aliases=True
        )
    state.statement = state.statement.options(criteria)


def _stamp_on_add(_session: Session, instance: object) -> None:
    if isinstance(instance, TenantScoped) and instance.tenant_id is None:
        instance.tenant_id = bound_tenant_id()  # None when nothing is bound: flush refuses it


def _check_row(obj: TenantScoped, tenant_id: int | None, verb: str) -> None:
    if tenant_id is None:
        raise TenancyError(f"{verb} of {type(obj).__name__} with no tenant bound")
    if obj.tenant_id != tenant_id:
        raise TenancyError(
            f"{verb} of {type(obj).__name__} of tenant {obj.tenant_id} refused "
            f"(bound tenant: {tenant_id})"
        )


def _check_flush(session: Session, _flush_context, _instances) -> None:
    tenant_id = bound_tenant_id()
    for obj in session.new:
        if isinstance(obj, TenantScoped):
            _check_row(obj, tenant_id, "insert")
    for obj in session.dirty:
        if isinstance(obj, TenantScoped) and session.is_modified(obj):
            _check_row(obj, tenant_id, "update")
            if inspect(obj).attrs.tenant_id.history.deleted:
                raise TenancyError("a row cannot move to another tenant")
    for obj in session.deleted:
        if isinstance(obj, TenantScoped):
            _check_row(obj, tenant_id, "delete")


def _forget_foreign_objects() -> None:
    """After the escape hatch: drop other tenants' objects from the identity map."""
    if not has_app_context():
        return
    from app.extensions import db

    session, tenant_id = db.session(), bound_tenant_id()
    for obj in list(session.identity_map.values()):
        if isinstance(obj, TenantScoped) and obj.tenant_id != tenant_id:
            session.expunge(obj)


def install(session_class: type[Session] = Session) -> None:
    """Attach the guard to every ORM session (idempotent)."""
    if not event.contains(session_class, "do_orm_execute", _filter_statement):
        event.listen(session_class, "do_orm_execute", _filter_statement)
        event.listen(session_class, "transient_to_pending", _stamp_on_add)
        event.listen(session_class, "before_flush", _check_flush)
        on_unscoped_exit(_forget_foreign_objects)
