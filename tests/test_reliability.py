"""Reliability: after PostgreSQL drops every connection, the next requests work
without restarting the application."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from app.models.user import Role
from tests.databases import APP_ROLE, PG_SERVER
from tests.factories import make_tenant, make_user

pytestmark = pytest.mark.postgres


def _drop_app_connections() -> int:
    server = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        killed = connection.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = :r"
            ),
            {"r": APP_ROLE},
        ).scalar_one()
    server.dispose()
    return killed


def test_requests_succeed_after_the_database_dropped_all_connections(app, client, auth):
    tenant = make_tenant("cpts-a")
    make_user("p@test.fr", Role.PRESIDENT, tenant=tenant)
    auth.login("p@test.fr")
    assert client.get("/t/cpts-a/").status_code == 200
    assert _drop_app_connections() >= 1
    assert client.get("/t/cpts-a/").status_code == 200
    assert client.get("/healthz").get_json()["database"] == "ok"
