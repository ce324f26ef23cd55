"""SQL statements per page: a fixed ceiling, whatever the number of tenants or members."""

from __future__ import annotations

import pytest

from app.models.user import Role
from tests.factories import AGDE, BESANCON, NARBONNE, NIMES, add_members, make_tenant, make_user

CEILINGS = {
    "/t/cpts-0/": 9,  # with the membership growth: its first month, then one query
    "/t/cpts-0/utilisateurs": 6,
    "/region/76/": 9,
    "/admin/": 5,
    "/cpam/": 5,
    "/api/v1/t/cpts-0/": 9,  # with the token's check and its counted use
}
COMMUNES = (NARBONNE, AGDE, NIMES, BESANCON)


def _grow(start: int, count: int, members: int) -> None:
    for i in range(start, start + count):
        tenant = make_tenant(f"cpts-{i}", (COMMUNES[i % len(COMMUNES)],))
        add_members(tenant, members)


def _statements(auth, path: str, count_sql) -> int:
    with count_sql() as counter:
        response = auth.client.get(path)
    assert response.status_code == 200, path
    return counter.count


@pytest.mark.parametrize("path", sorted(CEILINGS))
def test_page_statement_count_is_bounded_and_flat(app, auth, count_sql, path):
    _grow(0, 2, members=3)
    admin = make_user("admin@test.fr", Role.ADMIN)
    make_user(admin.email, Role.ARS, region="76")
    make_user(admin.email, Role.CPAM, departments=("11", "34"))
    auth.login(admin.email)
    small = _statements(auth, path, count_sql)
    _grow(2, 6, members=20)
    large = _statements(auth, path, count_sql)
    assert small == large, f"{path}: {small} statements with 2 CPTS, {large} with 8"
    assert large <= CEILINGS[path], f"{path}: {large} statements (ceiling {CEILINGS[path]})"
