"""The isolation matrix (quality bar 1, 3, 6): generated from app.url_map, so every route any
later feature adds is classified and checked against every kind of outsider automatically."""

from __future__ import annotations

from dataclasses import dataclass

import plotly
import pytest
from sqlalchemy import func, select

from app.blueprints import ACCESS_CLASSES
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.user import Invitation, Role, RoleGrant
from app.tenants.models import Tenant
from app.tenants.territory import territory_of
from tests.factories import AGDE, BESANCON, NARBONNE, add_members, make_tenant, make_user

SAFE = {"GET"}
IGNORED_METHODS = {"HEAD", "OPTIONS"}


def route_class(app, rule) -> str | None:
    if rule.endpoint == "static":
        return "public"
    blueprint = rule.endpoint.rpartition(".")[0]
    return getattr(app.blueprints.get(blueprint), "access", None)


def test_every_route_is_classified(app):
    unclassified = [
        r.rule for r in app.url_map.iter_rules() if route_class(app, r) not in ACCESS_CLASSES
    ]
    assert unclassified == [], (
        f"classify these routes (scoped_blueprint access=...): {unclassified}"
    )


@dataclass
class World:
    tenant_a: object
    grant_a: object
    users: dict[str, str]


@pytest.fixture
def world(app) -> World:
    tenant_a = make_tenant("cpts-a", (NARBONNE,))  # Occitanie (76), Aude (11)
    tenant_b = make_tenant("cpts-b", (AGDE,))  # Occitanie (76), Hérault (34)
    make_tenant("cpts-c", (BESANCON,))  # Bourgogne-Franche-Comté (27), Doubs (25)
    add_members(tenant_a, 3)
    president_a = make_user("president.a@test.fr", Role.PRESIDENT, tenant=tenant_a)
    make_user("viewer.a@test.fr", Role.VIEWER, tenant=tenant_a)
    users = {
        "president_a": president_a.email,
        "president_b": make_user("president.b@test.fr", Role.PRESIDENT, tenant=tenant_b).email,
        "ars_76": make_user("ars.76@test.fr", Role.ARS, region="76").email,
        "ars_27": make_user("ars.27@test.fr", Role.ARS, region="27").email,
        "cpam_11": make_user("cpam.11@test.fr", Role.CPAM, departments=("11",)).email,
        "cpam_25": make_user("cpam.25@test.fr", Role.CPAM, departments=("25", "34")).email,
        "admin": make_user("admin@test.fr", Role.ADMIN).email,
    }
    grant_a = db.session.scalar(select(RoleGrant).where(RoleGrant.user_id == president_a.id))
    viewer_grant = db.session.scalar(
        select(RoleGrant).join(RoleGrant.user).where(RoleGrant.role == Role.VIEWER)
    )
    return World(tenant_a, viewer_grant or grant_a, users)


def sample_values(world: World) -> dict:
    return {
        "tenant": world.tenant_a.slug,
        "region": "76",
        "grant_id": world.grant_a.id,
        "version": plotly.__version__,
        "token": "not-a-real-token",
        "filename": "css/app.css",
        "commune_code": NARBONNE,
    }


def routes(app, world, *classes):
    values = sample_values(world)
    for rule in app.url_map.iter_rules():
        if route_class(app, rule) not in classes:
            continue
        missing = set(rule.arguments) - set(values)
        assert not missing, f"add a sample value for {missing} of {rule.rule} in sample_values()"
        path = rule.build({k: values[k] for k in rule.arguments})[1]
        for method in sorted(rule.methods - IGNORED_METHODS):
            yield path, method


def tenant_state() -> tuple:
    """Everything a write to tenant A could change."""
    tenant_a = db.session.scalar(select(Tenant).where(Tenant.slug == "cpts-a"))
    return (
        tuple(c.code for c in territory_of(tenant_a)),
        tenant_a.population,
        db.session.scalar(select(func.count()).select_from(RoleGrant).where(RoleGrant.active)),
        db.session.scalar(select(func.count()).select_from(Invitation)),
    )


def call(client, method, path):
    data = {"email": "intruder@test.fr", "role": "president", "tenant_id": 1, "communes": AGDE}
    return client.open(path, method=method, data=data if method != "GET" else None)


@pytest.mark.parametrize("outsider", ["president_b", "ars_27", "cpam_25"])
def test_outsiders_get_404_on_every_tenant_route(app, world, auth, outsider):
    auth.login(world.users[outsider])
    before = tenant_state()
    checked = 0
    for path, method in routes(app, world, "tenant", "api"):
        response = call(auth.client, method, path)
        assert response.status_code == 404, f"{outsider} {method} {path} -> {response.status_code}"
        checked += 1
    assert checked >= 5
    assert tenant_state() == before
    denied = db.session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "cross_tenant_attempt")
    )
    assert denied == checked


def test_cpam_of_the_department_reads_but_never_writes(app, world, auth):
    auth.login(world.users["cpam_11"])
    before = tenant_state()
    for path, method in routes(app, world, "tenant", "api"):
        response = call(auth.client, method, path)
        if method in SAFE:
            assert response.status_code in (200, 403), f"{method} {path}"
        else:
            assert response.status_code == 403, f"cpam wrote with {method} {path}"
    assert auth.client.get(f"/t/{world.tenant_a.slug}/").status_code == 200
    assert tenant_state() == before
    refusals = db.session.scalars(
        select(AuditEvent.tenant_id).where(AuditEvent.action == "action_denied")
    ).all()
    assert refusals and set(refusals) == {world.tenant_a.id}


def test_president_and_admin_read_every_tenant_page(app, world, auth):
    for user in ("president_a", "admin"):
        auth.login(world.users[user])
        for path, method in routes(app, world, "tenant", "api"):
            if method in SAFE:
                assert call(auth.client, method, path).status_code == 200, f"{user} {path}"
        auth.logout()


def test_ars_of_the_region_reads_the_tenant_but_manages_nothing(app, world, auth):
    auth.login(world.users["ars_76"])
    before = tenant_state()
    for path, method in routes(app, world, "tenant", "api"):
        expected = (200, 403) if method in SAFE else (403,)
        assert call(auth.client, method, path).status_code in expected, f"{method} {path}"
    assert auth.client.get(f"/t/{world.tenant_a.slug}/").status_code == 200
    assert tenant_state() == before


@pytest.mark.parametrize("outsider", ["ars_27", "president_a", "cpam_11"])
def test_regional_routes_are_404_outside_the_region(app, world, auth, outsider):
    auth.login(world.users[outsider])
    for path, method in routes(app, world, "regional"):
        assert call(auth.client, method, path).status_code == 404, f"{outsider} {method} {path}"


def test_regional_routes_open_to_the_region(app, world, auth):
    auth.login(world.users["ars_76"])
    for path, method in routes(app, world, "regional"):
        if method in SAFE:
            assert call(auth.client, method, path).status_code == 200, path


@pytest.mark.parametrize("outsider", ["president_a", "ars_76", "cpam_11"])
def test_admin_routes_are_404_for_everyone_else(app, world, auth, outsider):
    auth.login(world.users[outsider])
    for path, method in routes(app, world, "admin"):
        assert call(auth.client, method, path).status_code == 404, f"{outsider} {method} {path}"


@pytest.mark.parametrize("outsider", ["president_a", "ars_76"])
def test_cpam_routes_are_404_for_non_cpam(app, world, auth, outsider):
    auth.login(world.users[outsider])
    for path, method in routes(app, world, "cpam"):
        assert call(auth.client, method, path).status_code == 404, f"{outsider} {method} {path}"


def test_anonymous_users_are_sent_to_login_or_refused(app, world, client):
    for path, method in routes(app, world, "tenant", "regional", "cpam", "admin", "api"):
        response = call(client, method, path)
        assert response.status_code in (302, 401), f"{method} {path} -> {response.status_code}"
        if response.status_code == 302:
            assert "/login" in response.location


def test_pages_and_api_of_b_contain_nothing_of_a(app, world, auth):
    """Quality bar 2: B's lists and API answers hold no row of A (commune, count, name)."""
    auth.login(world.users["president_b"])
    tenant_b = db.session.scalar(select(Tenant).where(Tenant.slug == "cpts-b"))
    for path in (
        "/t/cpts-b/",
        "/t/cpts-b/territoire",
        "/api/v1/t/cpts-b/",
        "/t/cpts-b/utilisateurs",
    ):
        body = auth.client.get(path).get_data(as_text=True)
        assert "Narbonne" not in body and "11262" not in body, path
        assert "president.a@test.fr" not in body and "viewer.a@test.fr" not in body, path
    data = auth.client.get("/api/v1/t/cpts-b/").get_json()["data"]
    assert data["slug"] == "cpts-b" and data["member_count"] == 0
    assert [c["code"] for c in data["communes"]] == [c.code for c in territory_of(tenant_b)]
