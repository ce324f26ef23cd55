"""The ORM tenancy guard: reads filtered, writes stamped, and no tenant means an error."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, insert, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.models.member import Member, Profession
from app.models.territory import TerritoryCommune
from app.models.user import Invitation, Role
from app.rollups.regional import current_rows
from app.tenants.context import TenancyError, tenant_bound, unscoped
from app.tenants.models import Tenant
from tests.factories import AGDE, add_members, make_tenant, make_user


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


def _row(tenant_id: int | None = None) -> dict:
    row = {
        "first_name": "X",
        "last_name": "Y",
        "profession": Profession.GP,
        "joined_on": date(2024, 1, 1),
    }
    return row if tenant_id is None else {**row, "tenant_id": tenant_id}


def _count(tenant) -> int:
    with tenant_bound(tenant.id):
        return db.session.scalar(select(func.count(Member.id)))


def test_another_tenant_cannot_be_bound_inside_a_binding(two_tenants):
    a, b = two_tenants
    with tenant_bound(a.id):
        member = _member()
        db.session.add(member)
        assert member.tenant_id == a.id  # stamped when added, not when flushed
        with pytest.raises(TenancyError), tenant_bound(b.id):
            pass
        with tenant_bound(a.id):  # the same tenant nests
            db.session.commit()
    assert _count(a) == 4 and _count(b) == 2


def test_orm_bulk_insert_is_stamped_and_checked(two_tenants):
    a, b = two_tenants
    with tenant_bound(a.id):
        db.session.execute(insert(Member), [_row(), _row()])
        db.session.commit()
        for statement, params in (
            (insert(Member), [_row(b.id)]),
            (insert(Member).values(**_row(b.id)), None),
            (insert(Member).values([_row(a.id), _row(b.id)]), None),
        ):
            with pytest.raises(TenancyError):
                db.session.execute(statement, params)
            db.session.rollback()
    assert _count(a) == 5 and _count(b) == 2


def test_orm_bulk_update_cannot_move_rows_or_update_by_primary_key(two_tenants):
    a, b = two_tenants
    with tenant_bound(b.id):
        b_ids = list(db.session.scalars(select(Member.id)))
    with tenant_bound(a.id):
        with pytest.raises(TenancyError):
            db.session.execute(update(Member).values(tenant_id=b.id))
        db.session.rollback()
        with pytest.raises(TenancyError):
            db.session.execute(update(Member), [{"id": b_ids[0], "last_name": "Volé"}])
        db.session.rollback()
    assert _count(a) == 3 and _count(b) == 2


def test_legacy_bulk_methods_are_refused_on_tenant_tables(two_tenants):
    a, b = two_tenants
    for call in (
        lambda: db.session.bulk_save_objects([Member(**_row(b.id))]),
        lambda: db.session.bulk_insert_mappings(Member, [_row(b.id)]),
        lambda: db.session.bulk_update_mappings(Member, [{"id": 1, "last_name": "Z"}]),
    ):
        with pytest.raises(TenancyError):
            call()
    assert _count(b) == 2


def test_objects_read_through_the_hatch_are_forgotten_when_it_closes(two_tenants):
    a, b = two_tenants
    with tenant_bound(a.id):
        with unscoped("test"):
            other = db.session.scalars(select(Member).where(Member.tenant_id == b.id)).first()
        assert other not in db.session
        assert db.session.get(Member, other.id) is None


def _counts() -> dict[int, int]:
    with unscoped("test counts"):
        rows = db.session.execute(select(Member.tenant_id, func.count()).group_by(Member.tenant_id))
        return dict(rows.all())


def test_a_tenant_relationship_cannot_place_or_move_a_row_elsewhere(two_tenants):
    a, b = two_tenants
    president = make_user("p@test.fr", Role.PRESIDENT, tenant=a)
    invitation = {
        "email": "e@test.fr",
        "role": Role.VIEWER,
        "invited_by_id": president.id,
        "expires_at": datetime(2030, 1, 1, tzinfo=UTC),
    }
    with tenant_bound(a.id):
        other = db.session.get(Tenant, b.id)
        db.session.add(Invitation(tenant=other, token_hash="1" * 64, **invitation))
        with pytest.raises(TenancyError):
            db.session.flush()
        db.session.rollback()
        mine = Invitation(token_hash="2" * 64, **invitation)
        db.session.add(mine)
        db.session.commit()
        mine.tenant = db.session.get(Tenant, b.id)
        with pytest.raises(TenancyError):
            db.session.flush()
        db.session.rollback()


def test_insert_forms_that_could_reach_another_tenant_are_refused(two_tenants):
    a, b = two_tenants
    columns = [c.name for c in Member.__table__.columns]
    positional = tuple({"created_at": datetime(2024, 1, 1), **_row(b.id)}.get(c) for c in columns)
    copy = insert(Member).from_select(
        ["first_name", "last_name", "profession", "joined_on", "tenant_id", "created_at"],
        select(
            Member.first_name,
            Member.last_name,
            Member.profession,
            Member.joined_on,
            literal(a.id),
            Member.created_at,
        ).where(Member.tenant_id == b.id),
    )
    dialect_insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
    upsert = (
        dialect_insert(Member)
        .values(id=1, **_row(a.id))
        .on_conflict_do_update(index_elements=["id"], set_={"last_name": "Écrasé"})
    )
    with tenant_bound(a.id):
        for statement in (insert(Member).values([positional]), copy, upsert):
            with pytest.raises(TenancyError):
                db.session.execute(statement)
            db.session.rollback()
    assert _counts() == {a.id: 3, b.id: 2}


def test_closing_the_hatch_keeps_expired_objects_harmless_and_outer_reads(two_tenants):
    a, b = two_tenants
    with tenant_bound(a.id):
        mine = db.session.scalars(select(Member)).first()
        db.session.commit()  # expired, still referenced
        with unscoped("outer"):
            others = db.session.scalars(select(Member).where(Member.tenant_id == b.id)).all()
            with unscoped("inner"):
                pass
            assert all(other in db.session for other in others)  # the outer hatch is still open
        assert mine.last_name.startswith("Nom")
        assert not any(other in db.session for other in others)
    rows = current_rows(Tenant.id.in_([a.id, b.id]), date.today())
    assert {r.tenant.id: r.members for r in rows} == {a.id: 3, b.id: 2}
