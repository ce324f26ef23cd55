"""PostgreSQL row-level security: the per-transaction tenant setting and the role checks.

The ORM guard filters every tenant-scoped read; RLS is the second wall, catching what the ORM
cannot see (raw SQL, Core statements). The tenant is set with set_config(..., true), so it lives
exactly as long as the transaction and never leaks to the next user of a pooled connection.
"""

from __future__ import annotations

import logging

from flask import has_app_context
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from app.extensions import db
from app.tenants.context import bound_tenant_id, on_change, unscoped_reason

log = logging.getLogger("app.tenancy")

SET_TENANT = text(
    "SELECT set_config('app.tenant_id', :tenant, true), set_config('app.unscoped', :unscoped, true)"
)


def _settings() -> dict[str, str]:
    tenant_id = bound_tenant_id()
    return {
        "tenant": "" if tenant_id is None else str(tenant_id),
        "unscoped": "on" if unscoped_reason() is not None else "",
    }


_APPLIED = "app_tenancy_settings"
_CLEAN = {"tenant": "", "unscoped": ""}
_STALE = {"tenant": None, "unscoped": None}  # unknown: a savepoint rollback may have reverted them
_SET_TENANT_DBAPI = (
    "SELECT set_config('app.tenant_id', %(tenant)s, true), "
    "set_config('app.unscoped', %(unscoped)s, true)"
)


def _apply(connection: Connection, new_transaction: bool = False) -> None:
    """Send the settings only when they differ from what this transaction already has."""
    if connection.dialect.name != "postgresql":
        return
    if new_transaction:
        connection.info[_APPLIED] = _CLEAN  # SET LOCAL values died with the last transaction
    settings = _settings()
    if connection.info.get(_APPLIED) != settings:
        # Recorded first: the statement setting them must not be preceded by a second one
        # bringing a pending (lazily closed) state up to date (_reapply_if_stale).
        connection.info[_APPLIED] = settings
        connection.execute(SET_TENANT, settings)


def _after_begin(_session: Session, _transaction, connection: Connection) -> None:
    _apply(connection, new_transaction=True)


def _failed(connection: Connection) -> bool:
    status = getattr(
        getattr(connection.connection.dbapi_connection, "info", None), "transaction_status", None
    )
    return getattr(status, "name", "") == "INERROR"


def _sync_open_transaction() -> None:
    """The binding changed mid-transaction (e.g. after the tenant lookup): update the setting."""
    if not has_app_context():
        return
    session = db.session()
    transaction = session.get_transaction()
    if transaction is None or not transaction.is_active:
        return  # no transaction, or one that must be rolled back: its error is the one to see
    if session.get_bind().dialect.name != "postgresql":
        return
    connection = session.connection()
    if _failed(connection):
        # Nothing more can run in this transaction; don't hide its error behind ours.
        connection.info[_APPLIED] = _STALE
        return
    if _narrows(connection.info.get(_APPLIED), _settings()):
        return  # sent before the next statement (_reapply_if_stale): a hatch closed and
        # reopened between two batches of a stream costs no statement
    _apply(connection)


def _narrows(applied: dict | None, settings: dict) -> bool:
    """Only the escape hatch closes: until the next statement, the server may stay open (the
    ORM guard still filters every read; nothing is sent in between but fetches of cursors
    opened with the hatch)."""
    return (
        applied is not None
        and applied is not _STALE
        and applied["tenant"] == settings["tenant"]
        and applied["unscoped"] == "on"
        and settings["unscoped"] == ""
    )


def _savepoint_rolled_back(connection: Connection, _name, _context) -> None:
    if connection.dialect.name == "postgresql":
        connection.info[_APPLIED] = _STALE


def _reapply_if_stale(connection: Connection, cursor, statement, _params, _context, _many) -> None:
    """After a savepoint rollback, or a hatch closed since the last statement, bring the
    settings up to date before the next statement runs."""
    if statement.lstrip()[:9].upper() in ("ROLLBACK ", "RELEASE S", "SAVEPOINT"):
        return  # the savepoint command itself (marked stale just before it runs)
    applied = connection.info.get(_APPLIED)
    if applied is None or not connection.in_transaction():
        return
    settings = _settings()
    if applied is _STALE or applied != settings:
        connection.info[_APPLIED] = settings  # first: this statement passes here too
        # A cursor of its own (the statement's may be a server-side one), seen by the
        # statement counters like any other.
        connection.exec_driver_sql(_SET_TENANT_DBAPI, settings)


def install(session_class: type[Session] = Session) -> None:
    if not event.contains(session_class, "after_begin", _after_begin):
        event.listen(session_class, "after_begin", _after_begin)
        event.listen(Engine, "rollback_savepoint", _savepoint_rolled_back)
        event.listen(Engine, "before_cursor_execute", _reapply_if_stale)
        on_change(_sync_open_transaction)


_CURRENT_TENANT = "NULLIF(current_setting('app.tenant_id', true), '')::integer"


def enable_rls(table: str) -> list[str]:
    """DDL putting one tenant table under forced row-level security (used by migrations).

    Reads and writes must match the transaction's tenant; the escape hatch may only read.
    """
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY tenant_rw ON {table} USING (tenant_id = {_CURRENT_TENANT}) "
        f"WITH CHECK (tenant_id = {_CURRENT_TENANT})",
        f"CREATE POLICY tenant_unscoped_read ON {table} FOR SELECT "
        "USING (current_setting('app.unscoped', true) = 'on')",
    ]


def disable_rls(table: str) -> list[str]:
    return [
        f"DROP POLICY IF EXISTS tenant_unscoped_read ON {table}",
        f"DROP POLICY IF EXISTS tenant_rw ON {table}",
        f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY",
    ]


def role_problems(connection: Connection) -> list[str]:
    """Why the connected role could bypass row-level security (empty when it cannot)."""
    row = connection.execute(
        text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
    ).one()
    owned = connection.execute(
        text(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user"
        )
    ).scalar_one()
    problems = []
    if row.rolsuper:
        problems.append("superuser")
    if row.rolbypassrls:
        problems.append("bypassrls")
    if owned:
        problems.append(f"owns {owned} tables")
    return problems


def rls_state(connection: Connection) -> str:
    """For /healthz: "enforced", "bypassed: <why>", or "n/a" on SQLite."""
    if connection.dialect.name != "postgresql":
        return "n/a"
    problems = role_problems(connection)
    if problems:
        log.error(
            "row-level security is bypassed by the application's role: %s", ", ".join(problems)
        )
        return "bypassed: " + ", ".join(problems)
    return "enforced"


# Tables the application only reads (the referential is loaded by the owner, like migrations;
# the accounts' version is moved by the owner's triggers), and the audit trail and amendments,
# to which it may only append.
READ_ONLY_TABLES = ("region", "department", "epci", "commune", "alembic_version", "account_version")
APPEND_ONLY_TABLES = ("audit_event", "amendment", "amendment_change")


def grant_app_role(connection: Connection, role: str) -> None:
    """Give the application role data access (never ownership) after a migration."""
    quoted = connection.dialect.identifier_preparer.quote(role)
    connection.execute(text(f"GRANT USAGE ON SCHEMA public TO {quoted}"))
    connection.execute(
        text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}")
    )
    connection.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}"))
    existing = set(
        connection.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
    )
    for privileges, tables in (
        ("INSERT, UPDATE, DELETE", READ_ONLY_TABLES),
        ("UPDATE, DELETE", APPEND_ONLY_TABLES),
    ):
        if present := [t for t in tables if t in existing]:
            connection.execute(text(f"REVOKE {privileges} ON {', '.join(present)} FROM {quoted}"))
