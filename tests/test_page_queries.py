"""SQL statements per page: a fixed ceiling, whatever the number of tenants or members."""

from __future__ import annotations

from datetime import date

import pytest

from app.models.user import Role
from app.tenants.context import tenant_bound
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


MEMBER_CEILINGS = {
    "/t/cpts-0/": 8,
    "/t/cpts-0/membres/": 7,
    "/t/cpts-0/membres/?statut=all&tri=-joined_on&q=nom&hors_territoire=1": 6,
    "/t/cpts-0/membres/{member}": 6,
    "/t/cpts-0/journal/": 7,
    # The API adds the token's check and its counted use (an UPDATE) to every request.
    "/api/v1/tenants": 7,
    "/api/v1/t/cpts-0/members": 10,
    "/api/v1/t/cpts-0/members/{member}": 9,
    "/api/v1/t/cpts-0/members/growth": 8,
}


def test_member_pages_and_api_are_flat_from_10_to_5000_members(app, auth, count_sql):
    tenant = make_tenant("cpts-0", (NARBONNE,))
    first = add_members(tenant, 10)
    with tenant_bound(tenant.id):
        urls = {path: path.format(member=first[0].id) for path in MEMBER_CEILINGS}
    make_user("president@test.fr", Role.PRESIDENT, tenant=tenant)
    auth.login("president@test.fr")
    small = {path: _statements(auth, url, count_sql) for path, url in urls.items()}
    add_members(tenant, 4990, joined_on=date(2021, 6, 1))
    large = {path: _statements(auth, url, count_sql) for path, url in urls.items()}
    assert small == large, "statements per page changed between 10 and 5,000 members"
    over = {path: n for path, n in large.items() if n > MEMBER_CEILINGS[path]}
    assert over == {}, f"over their ceiling: {over}"
