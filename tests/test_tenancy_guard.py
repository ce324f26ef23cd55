"""The ORM tenancy guard: reads filtered, writes stamped, and no tenant means an error."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, update

from app.extensions import db
from app.models.member import Member, Profession
from app.tenants.context import TenancyError, tenant_bound, unscoped
from app.tenants.models import TerritoryCommune
from tests.factories import AGDE, add_members, make_tenant


@pytest.fixture
def two_tenants(app):
    a = make_tenant("cpts-a")
    b = make_tenant("cpts-b", (AGDE,))
    add_members(a, 3)
    add_members(b, 2)
    return a, b


def _member(**fields) -> Member:
    return Member(
        first_name="Claire",
        last_name="Martin",
        profession=Profession.GP,
        joined_on=date(2024, 3, 1),
        **fields,
    )


def test_query_without_tenant_raises(two_tenants):
    with pytest.raises(TenancyError):
        db.session.scalars(select(Member)).all()
    with pytest.raises(TenancyError):
        db.session.scalar(select(func.count(Member.id)))


def test_reads_only_see_the_bound_tenant(two_tenants):
    a, b = two_tenants
    with tenant_bound(a.id):
        assert {m.tenant_id for m in db.session.scalars(select(Member))} == {a.id}
        assert db.session.scalar(select(func.count(Member.id))) == 3
        # The filter also applies to entities reached through a join.
        joined = db.session.scalars(
            select(TerritoryCommune).join(Member, Member.tenant_id == TerritoryCommune.tenant_id)
        ).all()
        assert {row.tenant_id for row in joined} == {a.id}
    with tenant_bound(b.id):
        assert db.session.scalar(select(func.count(Member.id))) == 2


def test_writes_are_stamped_with_the_bound_tenant(two_tenants):
    a, _ = two_tenants
    with tenant_bound(a.id):
        member = _member()
        db.session.add(member)
        db.session.commit()
        assert member.tenant_id == a.id


def test_write_for_another_tenant_is_refused(two_tenants):
    a, b = two_tenants
    with tenant_bound(a.id), pytest.raises(TenancyError):
        db.session.add(_member(tenant_id=b.id))
        db.session.flush()
    db.session.rollback()
    with pytest.raises(TenancyError):
        db.session.add(_member())
        db.session.flush()
    db.session.rollback()


def test_a_row_cannot_move_to_another_tenant(two_tenants):
    a, b = two_tenants
    with tenant_bound(a.id):
        member = db.session.scalars(select(Member)).first()
        member.tenant_id = b.id
        with pytest.raises(TenancyError):
            db.session.flush()
    db.session.rollback()


def test_bulk_update_touches_only_the_bound_tenant(two_tenants):
    a, b = two_tenants
    with tenant_bound(a.id):
        db.session.execute(update(Member).values(last_name="Changé"))
        db.session.commit()
    with tenant_bound(b.id):
        assert {m.last_name for m in db.session.scalars(select(Member))} != {"Changé"}


def test_escape_hatch_reads_across_tenants_but_cannot_write(two_tenants, caplog):
    with unscoped("test aggregate"):
        assert db.session.scalar(select(func.count(Member.id))) == 5
        with pytest.raises(TenancyError):
            db.session.add(_member())
            db.session.flush()
    db.session.rollback()
    assert "escape hatch opened: test aggregate" in caplog.text
    with pytest.raises(TenancyError):
        with unscoped(""):
            pass
