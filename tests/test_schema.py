"""Schema rules for tenant tables: uniques and foreign keys include tenant_id."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKeyConstraint, UniqueConstraint

from app.extensions import db
from app.models.member import Member, Profession
from app.tenants.context import tenant_bound
from app.tenants.scoped import TenantScoped
from tests.factories import AGDE, make_tenant


def tenant_tables():
    return [m.local_table for m in db.Model.registry.mappers if issubclass(m.class_, TenantScoped)]


def test_uniques_of_tenant_tables_include_tenant_id(app):
    for table in tenant_tables():
        for constraint in table.constraints:
            if isinstance(constraint, UniqueConstraint):
                assert "tenant_id" in constraint.columns, f"{constraint.name} of {table.name}"
        assert "tenant_id" in table.primary_key.columns or table.primary_key.columns.keys() == [
            "id"
        ]


def test_foreign_keys_between_tenant_tables_include_tenant_id(app):
    names = {t.name for t in tenant_tables()}
    for table in tenant_tables():
        for fk in table.constraints:
            if isinstance(fk, ForeignKeyConstraint) and fk.referred_table.name in names:
                assert "tenant_id" in fk.columns, f"{fk.name} of {table.name}"


def test_same_rpps_may_exist_in_two_tenants(app):
    a, b = make_tenant("cpts-a"), make_tenant("cpts-b", (AGDE,))
    for tenant in (a, b):
        with tenant_bound(tenant.id):
            db.session.add(
                Member(
                    first_name="Léa",
                    last_name="Roux",
                    profession=Profession.MIDWIFE,
                    rpps="10003456789",
                    joined_on=date(2024, 1, 1),
                )
            )
            db.session.commit()


# Tables that carry a tenant_id yet are platform data, each for a stated reason.
PLATFORM_TABLES_WITH_TENANT_ID = {
    "tenant": "the tenant registry itself",
    "role_grant": "access control: read at every request, before any tenant is bound",
    "audit_event": "written for denied and cross-tenant attempts too; read by administrators",
    "job_record": "the queue's ledger; a job re-binds its tenant from it",
}


def test_every_table_with_a_tenant_id_is_under_the_tenancy_layer(app):
    scoped = {t.name for t in tenant_tables()}
    for table in db.metadata.sorted_tables:
        if "tenant_id" in table.columns and table.name not in PLATFORM_TABLES_WITH_TENANT_ID:
            assert table.name in scoped, f"{table.name} has tenant_id but is not TenantScoped"
