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

from app.extensions import db
from app.tenants.context import (
    TenancyError,
    bound_tenant_id,
    on_unbind_flush,
    on_unscoped_exit,
    unscoped_reason,
)
from app.tenants.scoped import TenantScoped
from app.tenants.session import TenantSession


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
    statement = state.statement
    if state.is_update and isinstance(state.parameters, list):
        raise TenancyError("bulk UPDATE by primary key is refused on tenant tables")
    if getattr(statement, "select", None) is not None:
        raise TenancyError("INSERT ... FROM SELECT is refused on tenant tables")
    if getattr(statement, "_post_values_clause", None) is not None:
        raise TenancyError("INSERT ... ON CONFLICT is refused on tenant tables")
    for batch in getattr(statement, "_multi_values", None) or ():
        if not all(isinstance(row, dict) for row in batch):
            raise TenancyError("positional multi-row VALUES are refused on tenant tables")
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
        if scoped:
            if tenant_id is None:
                raise TenancyError(f"write to {scoped} with no tenant bound")
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


def _check_insert(_mapper, _connection, target: TenantScoped) -> None:
    # Mapper events see tenant_id after the flush copied it from a `tenant` relationship.
    _check_row(target, bound_tenant_id(), "insert")


def _check_update(_mapper, _connection, target: TenantScoped) -> None:
    _check_row(target, bound_tenant_id(), "update")
    if inspect(target).attrs.tenant_id.history.deleted:
        raise TenancyError("a row cannot move to another tenant")


def _check_delete(_mapper, _connection, target: TenantScoped) -> None:
    _check_row(target, bound_tenant_id(), "delete")


_HATCH_LOADS = "tenancy_hatch_loads"


def _remember_hatch_load(session: Session, instance: object) -> None:
    if unscoped_reason() is not None and isinstance(instance, TenantScoped):
        session.info.setdefault(_HATCH_LOADS, []).append(instance)


def _forget_foreign_objects() -> None:
    """When the outermost escape hatch closes, the tenant-owned objects it loaded for other
    tenants leave the session: `Session.get()` cannot hand them out from the identity map."""
    if not has_app_context() or unscoped_reason() is not None:
        return
    session, tenant_id = db.session(), bound_tenant_id()
    for obj in session.info.pop(_HATCH_LOADS, []):
        # Read without loading: an expired one is dropped rather than refreshed unscoped.
        if obj in session and inspect(obj).dict.get("tenant_id") != tenant_id:
            session.expunge(obj)


def _flush_if_in_app() -> None:
    if has_app_context():
        db.session.flush()


def install(session_class: type[Session] = Session) -> None:
    """Attach the guard to every ORM session (idempotent), and make the application's sessions
    TenantSessions, which refuse the legacy bulk methods on tenant tables."""
    db.session.session_factory.class_ = TenantSession
    if not event.contains(session_class, "do_orm_execute", _filter_statement):
        event.listen(session_class, "do_orm_execute", _filter_statement)
        event.listen(session_class, "transient_to_pending", _stamp_on_add)
        event.listen(TenantScoped, "before_insert", _check_insert, propagate=True)
        event.listen(TenantScoped, "before_update", _check_update, propagate=True)
        event.listen(TenantScoped, "before_delete", _check_delete, propagate=True)
        event.listen(session_class, "loaded_as_persistent", _remember_hatch_load)
        on_unscoped_exit(_forget_foreign_objects)
        on_unbind_flush(_flush_if_in_app)
