"""SQLite, the embedded database of `make run`, enforces foreign keys only when asked, per
connection: without this, a row of one tenant could point at another's (composite keys)."""

from __future__ import annotations

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine


def _enforce_foreign_keys(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def install() -> None:
    if not event.contains(Engine, "connect", _enforce_foreign_keys):
        event.listen(Engine, "connect", _enforce_foreign_keys)
