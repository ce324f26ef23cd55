"""The REST API: personal tokens (shown once, hashed, scoped, revocable, throttled), one envelope,
pagination with totals and links, 422 naming the fields, 401 without a token, 404 across CPTS,
writes audited; its OpenAPI description and documentation page served locally."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.columns import utcnow
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.member import Member
from app.models.token import ApiToken
from app.models.user import Role
from app.services import tokens
from app.tenants.context import tenant_bound
from tests.conftest import api_token
from tests.factories import AGDE, add_members, make_tenant, make_user

MEMBER = {
    "last_name": "Lefèvre",
    "first_name": "Hélène",
    "profession": "infirmier",
    "rpps": "10003456789",
    "joined_on": "2024-03-01",
}


@pytest.fixture
def tenant(app):
    return make_tenant("cpts-a")


@pytest.fixture
def president(tenant):
    return make_user("president@test.fr", Role.PRESIDENT, tenant=tenant)


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_a_token_is_shown_once_and_stored_hashed(client, president, auth):
    auth.login(president.email)
    page = client.post(
        "/compte/jetons", data={"name": "Tableau de bord", "scope": "read", "days": "30"}
    )
    secret = re.search(r"cpts_[A-Za-z0-9_-]{20,}", page.get_data(as_text=True)).group(0)

    token = db.session.scalar(select(ApiToken).where(ApiToken.name == "Tableau de bord"))
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in client.get("/compte/jetons").get_data(as_text=True)  # never again
    assert client.get("/api/v1/t/cpts-a/", headers=bearer(secret)).status_code == 200
    assert "dernière utilisation" in client.get("/compte/jetons").get_data(as_text=True)


@pytest.mark.parametrize("days", ["0", "366", "abc"])
def test_a_token_lasts_a_year_at_most(client, president, auth, days):
    auth.login(president.email)
    response = client.post("/compte/jetons", data={"name": "x", "scope": "read", "days": days})
    assert response.status_code == 400
    assert db.session.scalar(select(ApiToken).where(ApiToken.name == "x")) is None


def test_the_command_line_prints_a_token_once(runner, president):
    result = runner.invoke(
        args=["tokens", "create", "--email", president.email, "--scope", "read", "--days", "7"]
    )
    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    assert secret.startswith("cpts_")
    refused = runner.invoke(
        args=["tokens", "create", "--email", president.email, "--scope", "read", "--days", "400"]
    )
    assert refused.exit_code != 0 and "--days" in refused.output


def test_without_a_valid_token_the_api_answers_401_and_counts_the_guesses(client, president):
    assert client.get("/api/v1/t/cpts-a/").status_code == 401
    answer = client.get("/api/v1/t/cpts-a/", headers=bearer("cpts_wrong"))
    assert answer.status_code == 401 and answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert answer.get_json()["error"]["status"] == 401
    statuses = [
        client.get("/api/v1/tenants", headers=bearer(f"cpts_guess{i}")).status_code
        for i in range(12)
    ]
    assert statuses[-1] == 429 and statuses.count(401) == 9
    assert len(events("api_token_refused")) == 13  # every wrong token, 401 or 429


def test_a_session_cookie_does_not_open_the_api(client, president, auth):
    auth.login(president.email)
    client.api_token = None
    assert client.get("/api/v1/t/cpts-a/").status_code == 401


def test_a_read_token_cannot_write(client, tenant, president):
    read = api_token(president.email, scope="read")
    response = client.post("/api/v1/t/cpts-a/members", json=MEMBER, headers=bearer(read))
    assert response.status_code == 403
    with tenant_bound(tenant.id):
        assert db.session.scalars(select(Member)).all() == []


def test_revoked_expired_and_deactivated_tokens_stop_at_once(client, tenant, president):
    secret = api_token(president.email)
    assert client.get("/api/v1/t/cpts-a/", headers=bearer(secret)).status_code == 200
    token = db.session.scalar(select(ApiToken))
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get("/api/v1/t/cpts-a/", headers=bearer(secret)).status_code == 401

    second = api_token(president.email)
    president.active = False
    db.session.commit()
    assert client.get("/api/v1/t/cpts-a/", headers=bearer(second)).status_code == 401

    president.active = True
    third = api_token(president.email)
    tokens.revoke_token(tokens.find_valid(third))
    db.session.commit()
    assert client.get("/api/v1/t/cpts-a/", headers=bearer(third)).status_code == 401


def test_a_token_never_grants_more_than_its_user_has(client, tenant, president):
    viewer = make_user("viewer@test.fr", Role.VIEWER, tenant=tenant)
    secret = api_token(viewer.email, scope="write")
    response = client.post("/api/v1/t/cpts-a/members", json=MEMBER, headers=bearer(secret))
    assert response.status_code == 403


def test_each_token_is_throttled(app, extra_app, president):
    limited = extra_app(API_REQUESTS_PER_MINUTE=3)
    client = limited.test_client()
    secret = api_token(president.email)
    statuses = [
        client.get("/api/v1/t/cpts-a/", headers=bearer(secret)).status_code for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


def test_members_are_created_read_and_changed_through_the_api_and_writes_are_audited(
    client, tenant, president
):
    secret = api_token(president.email)

    created = client.post(
        "/api/v1/t/cpts-a/members", json={**MEMBER, "rpps": "10003456788"}, headers=bearer(secret)
    )

    assert created.status_code == 201
    data = created.get_json()["data"]
    assert data["last_name"] == "Lefèvre" and data["active"] is True
    assert data["warnings"] == {
        "rpps": ["Clé de contrôle du RPPS incorrecte : vérifiez le numéro."]
    }
    url = f"/api/v1/t/cpts-a/members/{data['id']}"
    assert client.get(url, headers=bearer(secret)).get_json()["data"]["rpps"] == "10003456788"
    changed = client.patch(url, json={"left_on": "2025-01-31"}, headers=bearer(secret))
    assert changed.status_code == 200 and changed.get_json()["data"]["active"] is False
    writes = events("api_write")
    assert [(e.details["method"], e.status_code) for e in writes] == [("POST", 201), ("PATCH", 200)]
    assert all(e.actor_email == president.email and e.tenant_id == tenant.id for e in writes)


@pytest.mark.parametrize(
    "body, field, message",
    [
        ({**MEMBER, "rpps": "123"}, "rpps", "Le RPPS comporte exactement 11 chiffres."),
        (
            {k: v for k, v in MEMBER.items() if k != "last_name"},
            "last_name",
            "Ce champ est obligatoire.",
        ),
        ({**MEMBER, "profession": "boulanger"}, "profession", "Valeur inconnue pour ce champ."),
        (
            {**MEMBER, "joined_on": "01/03/2024"},
            "joined_on",
            "Date invalide : attendue au format AAAA-MM-JJ.",
        ),
        ({**MEMBER, "tenant_id": 99}, "tenant_id", "Champ inconnu."),
    ],
)
def test_bad_input_gets_422_naming_the_field_and_writes_nothing(
    client, tenant, president, body, field, message
):
    response = client.post(
        "/api/v1/t/cpts-a/members", json=body, headers=bearer(api_token(president.email))
    )

    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["message"] == "Données invalides." and error["fields"][field] == [message]
    with tenant_bound(tenant.id):
        assert db.session.scalars(select(Member)).all() == []


def test_lists_are_paginated_with_totals_and_links(client, tenant, president):
    add_members(tenant, 7)
    secret = api_token(president.email)

    page = client.get(
        "/api/v1/t/cpts-a/members?per_page=3&page=2&sort=-name", headers=bearer(secret)
    )

    body = page.get_json()
    assert [m["last_name"] for m in body["data"]] == ["Nom3", "Nom2", "Nom1"]
    meta = body["meta"]
    assert (meta["total"], meta["page"], meta["pages"]) == (7, 2, 3)
    assert "page=3" in meta["links"]["next"] and "sort=-name" in meta["links"]["next"]
    assert meta["links"]["prev"] is not None and meta["links"]["first"].count("page=1") == 1
    filtered = client.get("/api/v1/t/cpts-a/members?q=nom5", headers=bearer(secret)).get_json()
    assert [m["last_name"] for m in filtered["data"]] == ["Nom5"]


def test_growth_counts_by_month_and_profession(client, tenant, president):
    add_members(tenant, 4, joined_on=date(2024, 1, 15))
    secret = api_token(president.email)
    growth = client.get(
        "/api/v1/t/cpts-a/members/growth?from=2024-01-01&to=2024-02-29", headers=bearer(secret)
    ).get_json()["data"]
    assert growth == [
        {"month": "2024-01-01", "profession": "infirmier", "members": 4},
        {"month": "2024-02-01", "profession": "infirmier", "members": 4},
    ]
    refused = client.get(
        "/api/v1/t/cpts-a/members/growth?from=2024-03-01&to=2024-01-01", headers=bearer(secret)
    )
    assert refused.status_code == 422 and "to" in refused.get_json()["error"]["fields"]


def test_a_token_of_cpts_b_gets_404_on_every_member_of_a(client, tenant, president):
    ids = [m for m in add_members(tenant, 5)]
    with tenant_bound(tenant.id):
        ids = [m.id for m in ids]
    other = make_user("president.b@test.fr", Role.PRESIDENT, tenant=make_tenant("cpts-b", (AGDE,)))
    secret = api_token(other.email)
    for member_id in ids:
        for method, path in (
            ("GET", f"/api/v1/t/cpts-a/members/{member_id}"),
            ("GET", f"/api/v1/t/cpts-b/members/{member_id}"),
            ("PATCH", f"/api/v1/t/cpts-b/members/{member_id}"),
        ):
            response = client.open(
                path, method=method, json={"email": "x@y.fr"}, headers=bearer(secret)
            )
            assert response.status_code == 404, (method, path)
    assert client.get("/api/v1/t/cpts-a/members", headers=bearer(secret)).status_code == 404
    listed = client.get("/api/v1/tenants", headers=bearer(secret)).get_json()["data"]
    assert [t["slug"] for t in listed] == ["cpts-b"]


def test_funders_see_counts_not_names(client, tenant):
    ars = make_user("ars@test.fr", Role.ARS, region="76")
    secret = api_token(ars.email)
    assert client.get("/api/v1/t/cpts-a/members", headers=bearer(secret)).status_code == 403
    assert client.get("/api/v1/t/cpts-a/members/growth", headers=bearer(secret)).status_code == 200


def test_the_description_and_its_documentation_are_served_locally(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/t/{tenant}/members" in spec["paths"]
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    docs = client.get("/api/v1/docs").get_data(as_text=True)
    assert re.findall(r'(?:src|href)="(?:https?:)?//', docs) == []
    for asset in re.findall(r'(?:src|href)="(/api/v1/docs/assets/[^"]+)"', docs):
        with client.get(asset) as response:
            assert response.status_code == 200
