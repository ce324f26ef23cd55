"""PostgreSQL row-level security, the second wall behind the ORM guard."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.extensions import db
from app.tenants.postgres import role_problems
from app.tenants.scoped import TenantScoped
from tests.factories import AGDE, add_members, make_tenant

pytestmark = pytest.mark.postgres


def tenant_tables() -> set[str]:
    return {
        mapper.local_table.name
        for mapper in db.Model.registry.mappers
        if issubclass(mapper.class_, TenantScoped)
    }


def test_application_role_cannot_bypass_rls(app):
    with db.engine.connect() as connection:
        assert role_problems(connection) == []


def test_rls_is_enabled_and_forced_on_every_tenant_table(app):
    rows = db.session.execute(
        text(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = ANY(:t)"
        ),
        {"t": sorted(tenant_tables())},
    ).all()
    assert {r.relname for r in rows} == tenant_tables()
    assert all(r.relrowsecurity and r.relforcerowsecurity for r in rows)


@pytest.fixture
def populated(app):
    a, b = make_tenant("cpts-a"), make_tenant("cpts-b", (AGDE,))
    add_members(a, 3)
    add_members(b, 2)
    return a, b


def raw(sql: str, tenant: int | str = "", unscoped: str = "", **params):
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "SELECT set_config('app.tenant_id', :t, true), set_config('app.unscoped', :u, true)"
            ),
            {"t": str(tenant), "u": unscoped},
        )
        result = connection.execute(text(sql), params)
        return result.all() if result.returns_rows else result.rowcount


def test_raw_select_without_tenant_returns_nothing(populated):
    assert raw("SELECT * FROM member") == []
    assert raw("SELECT * FROM territory_commune") == []


def test_raw_select_sees_only_the_set_tenant(populated):
    a, b = populated
    assert {row.tenant_id for row in raw("SELECT tenant_id FROM member", tenant=a.id)} == {a.id}
    assert len(raw("SELECT * FROM member", tenant=b.id)) == 2


def test_raw_write_into_another_tenant_is_rejected(populated):
    a, b = populated
    with pytest.raises(DBAPIError):
        raw(
            "INSERT INTO member (tenant_id, first_name, last_name, profession, joined_on, created_at) "
            "VALUES (:b, 'X', 'Y', 'infirmier', '2024-01-01', now())",
            tenant=a.id,
            b=b.id,
        )
    assert raw("DELETE FROM member WHERE tenant_id = :b", tenant=a.id, b=b.id) == 0
    assert raw("UPDATE member SET last_name = 'Z'", unscoped="on") == 0


def test_unscoped_setting_reads_across_tenants(populated):
    assert len(raw("SELECT * FROM member", unscoped="on")) == 5


def test_tenant_setting_does_not_outlive_its_transaction(populated):
    a, _ = populated
    raw("SELECT 1", tenant=a.id)
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT * FROM member")).all() == []


def test_healthz_reports_rls_enforced_for_the_app_role(app, client):
    assert client.get("/healthz").get_json()["row_level_security"] == "enforced"


def test_healthz_fails_when_the_app_connects_as_the_owner(app, database, extra_app):
    owner_app = extra_app(SQLALCHEMY_DATABASE_URI=database.owner_url)
    response = owner_app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["row_level_security"] == "bypassed"  # details go to the log only


def _database_settings() -> tuple:
    return db.session.execute(
        text("SELECT current_setting('app.tenant_id', true), current_setting('app.unscoped', true)")
    ).one()


def test_settings_follow_the_binding_after_a_savepoint_rollback(populated):
    from app.tenants.context import tenant_bound, unscoped

    a, _ = populated
    with tenant_bound(a.id):
        with unscoped("aggregate"):
            db.session.execute(text("SELECT 1"))
            savepoint = db.session.begin_nested()
        savepoint.rollback()  # would revert app.unscoped to 'on' in the database
        assert tuple(_database_settings()) == (str(a.id), "")
        assert set(db.session.scalars(text("SELECT DISTINCT tenant_id FROM member"))) == {a.id}
        db.session.rollback()


def test_a_failed_statement_keeps_its_own_error(populated):
    from sqlalchemy.exc import DataError

    from app.tenants.context import tenant_bound

    a, _ = populated
    with pytest.raises(DataError, match="division by zero"), tenant_bound(a.id):
        db.session.execute(text("SELECT 1/0"))
    db.session.rollback()


def test_a_server_side_cursor_after_a_savepoint_rollback_keeps_the_tenant(populated):
    from sqlalchemy import select

    from app.models.member import Member
    from app.tenants.context import tenant_bound

    a, _ = populated
    with tenant_bound(a.id):
        db.session.execute(text("SELECT 1"))
        db.session.begin_nested().rollback()  # the settings are re-sent before the next statement
        streamed = db.session.execute(select(Member.id), execution_options={"yield_per": 1}).all()
        assert len(streamed) == 3
        assert len(db.session.execute(select(Member.id)).all()) == 3
        db.session.rollback()


def test_a_failed_flush_inside_a_binding_keeps_its_integrity_error(populated):
    from datetime import date

    from sqlalchemy.exc import IntegrityError

    from app.models.member import Member, Profession
    from app.tenants.context import tenant_bound

    a, _ = populated

    def member():
        return Member(
            first_name="A",
            last_name="B",
            profession=Profession.GP,
            joined_on=date(2024, 1, 1),
            rpps="10000000009",
        )

    with pytest.raises(IntegrityError), tenant_bound(a.id):
        db.session.add_all([member(), member()])
        db.session.flush()
    db.session.rollback()
