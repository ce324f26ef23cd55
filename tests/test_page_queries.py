"""SQL statements per page: a fixed ceiling, whatever the number of tenants or members."""

from __future__ import annotations

from datetime import date

import pytest

from app.extensions import db
from app.models.indicator import PeriodKind
from app.models.user import Role
from app.services import (
    catalogue,
    convention,
    indicators,
    pathways,
    prevention,
    project,
    reporting,
)
from app.tenants.context import tenant_bound
from tests.factories import (
    AGDE,
    BESANCON,
    NARBONNE,
    NIMES,
    add_members,
    make_contract,
    make_tenant,
    make_user,
    warm_referential,
)

CEILINGS = {
    # membership growth (2), the contract (5), the territory and its overlaps, the dashboard's
    # variable part (3), pathways (2 to 4) and reporting calendar (1)
    "/t/cpts-0/": 18,
    "/t/cpts-0/utilisateurs": 6,
    "/region/76/": 10,
    "/admin/": 7,
    "/cpam/": 10,
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
    warm_referential("76")
    small = _statements(auth, path, count_sql)
    _grow(2, 6, members=20)
    large = _statements(auth, path, count_sql)
    assert small == large, f"{path}: {small} statements with 2 CPTS, {large} with 8"
    assert large <= CEILINGS[path], f"{path}: {large} statements (ceiling {CEILINGS[path]})"


MEMBER_CEILINGS = {
    "/t/cpts-0/": 17,
    "/t/cpts-0/membres/": 7,
    "/t/cpts-0/membres/?statut=all&tri=-joined_on&q=nom&hors_territoire=1": 6,
    "/t/cpts-0/membres/{member}": 6,
    "/t/cpts-0/journal/": 7,
    # The API adds the token's check and its counted use (an UPDATE) to every request.
    "/api/v1/tenants": 9,
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


CONTRACT_CEILINGS = {
    "/t/cpts-0/": 21,
    "/t/cpts-0/projet/": 12,
    "/t/cpts-0/projet/missions/parcours": 12,
    "/t/cpts-0/convention/": 12,
    "/t/cpts-0/convention/avenants/": 11,
    "/t/cpts-0/convention/avenants/nouveau": 11,
    "/t/cpts-0/convention/termes": 11,
    "/t/cpts-0/prevention/": 7,
    "/cpam/": 13,
    "/cpam/conventions/export?format=csv": 13,
    "/cpam/conventions/export?format=xlsx": 13,
    "/cpam/conventions/export?format=json": 13,
    "/region/76/": 10,
    "/region/76/conventions/": 13,
    "/region/76/conventions/export?format=csv": 14,
    "/api/v1/tenants": 10,
    "/api/v1/conventions": 12,
    "/api/v1/t/cpts-0/convention": 14,
    "/t/cpts-0/comparaison": 12,
    "/region/76/couverture/": 10,
    "/national/": 12,
}


def _contracts(start: int, count: int) -> None:
    for i in range(start, start + count):
        make_contract(make_tenant(f"cpts-{i}", (COMMUNES[i % 3],)))


def _more_of_everything(tenant) -> None:
    """More amendments, payments, actions and prevention actions for the measured CPTS."""
    with tenant_bound(tenant.id):
        for year in (3, 4, 5):
            changes = {f"running:{year}": 9_000_000, f"fixed:parcours:{year}": 100 * year}
            data = {"signed_on": "2024-09-02", "effective_on": "2024-10-01", "reason": "Révision"}
            convention.record_amendment(tenant, {**data, "changes": changes})
        for day in range(2, 22):
            data = {"received_on": f"2024-04-{day:02d}", "amount_cents": 100 + day}
            convention.record_payment(tenant, data)
        for n in range(10):
            project.save_action(tenant, {"mission": "parcours", "title": f"Action {n}"})
            action = {"held_on": "2024-10-10", "theme": "tabac", "description": f"Action {n}"}
            prevention.save_prevention_action(tenant, action)
        db.session.commit()


def test_contract_pages_exports_and_api_are_flat(app, auth, count_sql):
    """Whatever the number of CPTS, missions, payments and amendments."""
    tenant = make_tenant("cpts-0", (NARBONNE,))
    make_contract(tenant)
    _contracts(1, 1)
    admin = make_user("admin@test.fr", Role.ADMIN)
    make_user(admin.email, Role.ARS, region="76")
    auth.login(admin.email)
    warm_referential("76")
    small = {path: _statements(auth, path, count_sql) for path in CONTRACT_CEILINGS}
    _contracts(2, 6)
    _more_of_everything(tenant)
    large = {path: _statements(auth, path, count_sql) for path in CONTRACT_CEILINGS}
    changed = {p: (small[p], large[p]) for p in small if small[p] != large[p]}
    assert changed == {}, f"statements changed with more CPTS, payments, amendments: {changed}"
    over = {path: n for path, n in large.items() if n > CONTRACT_CEILINGS[path]}
    assert over == {}, f"over their ceiling: {over}"


INDICATOR_CEILINGS = {
    "/t/cpts-0/indicateurs/": 15,
    "/t/cpts-0/indicateurs/periodes/1": 9,
    "/t/cpts-0/": 21,
    "/t/cpts-0/parcours/": 4,
    "/t/cpts-0/parcours/1": 7,
    "/t/cpts-0/tableau-de-bord/parcours.csv": 20,
}


def test_indicator_pages_are_flat(app, auth, count_sql):
    """Whatever the number of indicators, periods, values and tiers."""
    catalogue.load_catalogue()
    tenant = make_tenant("cpts-0", (NARBONNE,))
    make_contract(tenant)  # one yearly indicator, its 2024 period submitted (id 1), a pathway
    make_user("admin@test.fr", Role.ADMIN)
    auth.login("admin@test.fr")
    small = {path: _statements(auth, path, count_sql) for path in INDICATOR_CEILINGS}
    with tenant_bound(tenant.id):
        added = [
            indicators.add_indicator(tenant, {
                "code": f"local_{n}", "name": f"Indicateur {n}", "mission": "prevention",
                "unit": "percent", "direction": "higher", "period": "quarter",
                "aggregation": "sum",
            })
            for n in range(8)
        ]  # fmt: skip
        for kind in ("insuffisance_cardiaque", "diabete_type2", "vaccination"):
            pathways.add_pathway(tenant, {"kind": kind})
        for indicator in added[:3]:
            indicators.set_tiers(tenant, indicator, 1, [("10", "100"), ("20", "200")],
                                 {"signed_on": "2024-10-01", "effective_on": "2024-10-01",
                                  "reason": "Paliers"})  # fmt: skip
        for month in (1, 4, 7, 10):
            period = reporting.open_period(tenant, PeriodKind.QUARTER, date(2024, month, 1))
            reporting.enter_values(tenant, period, {
                i.id: {"numerator": 15, "denominator": 100} for i in reporting.indicators_of(period)
            })  # fmt: skip
            reporting.submit(tenant, period)
            reporting.validate(tenant, period)
        db.session.commit()
    large = {path: _statements(auth, path, count_sql) for path in INDICATOR_CEILINGS}
    assert small == large, "statements changed with more indicators, periods, values"
    over = {path: n for path, n in large.items() if n > INDICATOR_CEILINGS[path]}
    assert over == {}, f"over their ceiling: {over}"
