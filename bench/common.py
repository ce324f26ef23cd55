"""Shared set-up for benchmarks: a fresh, migrated database (SQLite file, or BENCH_DATABASE_URL)."""

from __future__ import annotations

import os
import socket
import tempfile
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import event

from app import create_app
from app.extensions import db


def fresh_app(**overrides):
    url = os.environ.get("BENCH_DATABASE_URL")
    if url is None:
        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    application = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "MIGRATION_DATABASE_URL": os.environ.get("BENCH_MIGRATION_DATABASE_URL", url),
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "REDIS_URL": None,
            **overrides,
        }
    )
    with application.app_context():
        upgrade()
    return application


class StatementCounter:
    def __init__(self):
        self.count = 0

    def __enter__(self):
        event.listen(db.engine, "before_cursor_execute", self._hit)
        return self

    def __exit__(self, *exc):
        event.remove(db.engine, "before_cursor_execute", self._hit)

    def _hit(self, *_args):
        self.count += 1


def postgres_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=2).close()
    except OSError:
        return False
    return True
