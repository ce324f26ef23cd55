"""Fixtures: one migrated database per run (SQLite by default, PostgreSQL with TEST_DATABASE=postgresql),
the referential loaded once, and every table but the referential emptied after each test."""

from __future__ import annotations

import contextvars
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event

from app import create_app, principals
from app.blueprints import page_cache
from app.extensions import db
from app.rollups import regional
from app.services.tokens import create_token
from app.services.users import find_user
from app.tenants import context
from tests import databases
from tests.factories import PASSWORD

ENGINE = os.environ.get("TEST_DATABASE", "sqlite")
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
UPLOADS = Path(tempfile.mkdtemp(prefix="cpts-test-imports-"))
# Kept between tests: the referential, and the accounts' version (its single row; the tests'
# processes forget what they kept under it, below).
REFERENTIAL_TABLES = {
    "region",
    "department",
    "epci",
    "commune",
    "alembic_version",
    "account_version",
}


def pytest_report_header(config):
    return f"database engine: {ENGINE}"


def pytest_collection_modifyitems(config, items):
    """Tests needing a server or a browser that is not here are skipped, with the reason, except
    in CI, where they run and fail if what they need is missing."""
    in_ci = bool(os.environ.get("CI"))
    absent = {
        "postgres": ENGINE != "postgresql"
        and "PostgreSQL-only: run with TEST_DATABASE=postgresql (make test does)",
        "redis": not os.environ.get("TEST_REDIS_URL")
        and not in_ci
        and "no Redis server (set TEST_REDIS_URL): RQ worker test not run",
        "browser": not Path(CHROMIUM).exists()
        and not in_ci
        and f"Chromium not found at {CHROMIUM} (apt-get install chromium)",
        "libreoffice": not shutil.which("soffice")
        and not in_ci
        and "LibreOffice not found (apt-get install libreoffice-calc-nogui)",
    }
    for item in items:
        for marker, reason in absent.items():
            if reason and marker in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def database(tmp_path_factory):
    if ENGINE != "postgresql":
        yield databases.sqlite_database(tmp_path_factory.mktemp("db"))
        return
    name = f"cpts_test_{os.getpid()}"  # one per run: parallel runs never share a database
    yield databases.postgres_database(name)
    databases.drop_postgres_database(name)


def make_app(database: databases.TestDatabase, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database.app_url,
        "MIGRATION_DATABASE_URL": database.owner_url,
        "WTF_CSRF_ENABLED": False,
        "REDIS_URL": None,
        "PAGES_AHEAD": False,  # tests build ahead when they say so (ahead.build_ahead)
        "MAIL_SERVER": None,
        "SERVER_NAME": "localhost",
        "BASE_URL": "http://localhost",
        "IMPORT_FOLDER": str(UPLOADS),
        "EVIDENCE_FOLDER": str(UPLOADS / "evidence"),
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def migrated_app(database):
    from flask_migrate import upgrade

    from app.referential import load_referential

    application = make_app(database)
    application.test_client_class = RequestIsolatingClient
    with application.app_context():
        upgrade()
        load_referential()
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def extra_app(database, migrated_app):
    """Build more apps on the test database (other settings); their connections are closed after."""
    created = []

    def build(**overrides):
        created.append(make_app(database, **overrides))
        return created[-1]

    yield build
    for application in created:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()
        if application.extensions.get("redis") is not None:
            application.extensions["redis"].close()


def _empty_tables(database: databases.TestDatabase) -> None:
    tables = [
        t.name for t in reversed(db.metadata.sorted_tables) if t.name not in REFERENTIAL_TABLES
    ]
    databases.empty_tables(database, tables)


@pytest.fixture
def app(migrated_app, database):
    context.clear()
    with migrated_app.app_context():
        yield migrated_app
        db.session.remove()
    context.clear()
    _empty_tables(database)
    # The tables start again from nothing: so do the versions and pages kept in this process.
    regional.forget()
    page_cache.clear()
    principals.clear()


@pytest.fixture
def server_process(app, database):
    """The application served by gunicorn in a process of its own, on the test database, as in
    production (several workers and threads): for what the test client cannot show, such as
    requests racing each other."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DATABASE_URL": database.app_url,
        "MIGRATION_DATABASE_URL": database.owner_url,
        "SECRET_KEY": "test-secret",
        "BASE_URL": f"http://127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    command = [sys.executable, "-m", "gunicorn", "--workers", "2", "--worker-class", "gthread"]
    command += ["--threads", "16", "--bind", f"127.0.0.1:{port}", "wsgi:app"]
    process = subprocess.Popen(command, env=env, cwd=Path(__file__).resolve().parent.parent)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/login", timeout=2).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("the application server did not start")
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=10)


class RequestIsolatingClient(FlaskClient):
    """Each request runs as in production: in its own app context, database session and tenant
    binding, never in the test's own (which would share the identity map across requests)."""

    api_token: str | None = None  # sent as a bearer token to /api/ (see Auth.login)

    def open(self, *args, **kwargs):
        # The body is read inside the request's own context too (a streamed download would
        # otherwise run its generator in the test's context).
        kwargs.setdefault("buffered", True)
        path = args[0] if args and isinstance(args[0], str) else kwargs.get("path", "")
        if self.api_token and path.startswith("/api/"):
            headers = dict(kwargs.pop("headers", None) or {})
            headers.setdefault("Authorization", f"Bearer {self.api_token}")
            kwargs["headers"] = headers
        response = contextvars.Context().run(super().open, *args, **kwargs)
        response.request.input_stream.close()  # a large upload is spooled to a temporary file
        return response


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


ASIDE = ("SELECT SET_CONFIG", "SAVEPOINT", "RELEASE", "SELECT ACCOUNT_VERSION.VERSION")


class SqlCounter:
    """Counts the SQL statements the application sends, the signed-in user's always included
    (nothing kept of them by the process); the accounts' version, which a process reads at most
    twice a second whatever its traffic, is not a page's statement."""

    def __init__(self, engine):
        self.engine, self.statements = engine, []

    def __enter__(self):
        principals.clear()
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, _conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(ASIDE):
            self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_sql(app):
    return lambda: SqlCounter(db.engine)


class Auth:
    """Signs a test browser in, and gives it the user's API token too (write scope), so one
    login reaches both the pages and the API as that user."""

    def __init__(self, client):
        self.client = client

    def login(self, email: str, password: str = PASSWORD):
        response = self.client.post("/login", data={"email": email, "password": password})
        if response.status_code == 302:
            self.client.api_token = api_token(email)
        return response

    def logout(self):
        self.client.api_token = None
        return self.client.post("/logout")


def api_token(email: str, scope: str = "write") -> str:
    _token, secret = create_token(find_user(email), "tests", scope, 30)
    db.session.commit()
    return secret


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def redis_url():
    """The Redis server for RQ tests: required in CI, skipped with a reason elsewhere."""
    url = os.environ.get("TEST_REDIS_URL")
    if not url:  # only reached in CI (elsewhere the redis tests are skipped at collection)
        pytest.fail("CI: TEST_REDIS_URL is not set (Redis must be reachable)")
    from redis import Redis

    connection = Redis.from_url(url)
    connection.flushdb()
    yield url
    connection.flushdb()
    connection.close()
