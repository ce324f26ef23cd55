"""Conventions through the API: the status list scoped to the caller, one CPTS's convention, and
amendments and payments written with a write token of the CPTS only (CPAM and ARS read)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.audit import AuditEvent
from app.models.convention import Amendment, ReceivedPayment
from app.models.user import Role
from app.tenants.context import unscoped
from tests.conftest import api_token
from tests.factories import AGDE, NIMES, make_contract, make_tenant, make_user

AMENDMENT = {
    "signed_on": "2025-01-15",
    "effective_on": "2025-02-01",
    "reason": "Hausse du budget de l'année 3",
    "changes": {"running:3": 9_000_000, "included:qualite_pertinence": True},
}


@pytest.fixture
def world(app):
    tenant = make_tenant("cpts-a")
    other = make_tenant("cpts-b", (AGDE,))
    make_contract(tenant)
    make_contract(other)
    make_tenant("cpts-gard", (NIMES,))
    make_user("president@test.fr", Role.PRESIDENT, tenant=tenant)
    make_user("president.b@test.fr", Role.PRESIDENT, tenant=other)
    make_user("cpam@test.fr", Role.CPAM, departments=("11",))
    make_user("ars@test.fr", Role.ARS, region="76")
    return tenant


def bearer(email: str, scope: str = "write") -> dict:
    return {"Authorization": f"Bearer {api_token(email, scope)}"}


def count(model) -> int:
    with unscoped("test: rows written"):
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_the_status_list_is_scoped_to_the_caller(client, world):
    def slugs(email: str, **query) -> list[str]:
        body = client.get("/api/v1/conventions", headers=bearer(email, "read"), query_string=query)
        return sorted(r["slug"] for r in body.get_json()["data"])

    assert slugs("cpam@test.fr") == ["cpts-a"]
    assert slugs("ars@test.fr") == ["cpts-a", "cpts-b", "cpts-gard"]
    assert slugs("president@test.fr") == ["cpts-a"]
    assert slugs("ars@test.fr", status="sans_convention") == ["cpts-gard"]
    assert slugs("ars@test.fr", alert="late", department="34") == ["cpts-b"]
    body = client.get("/api/v1/conventions?status=draft", headers=bearer("ars@test.fr", "read"))
    assert body.status_code == 422 and "status" in body.get_json()["error"]["fields"]


def test_one_convention_with_its_terms_missions_money_and_amendments(client, world):
    body = client.get("/api/v1/t/cpts-a/convention", headers=bearer("cpam@test.fr", "read"))
    data = body.get_json()["data"]
    assert data["status"] == "avenantee" and data["terms"]["running:2"] == "8000000"
    assert data["parties"]["cpam"].endswith("Aude (11)")
    access = next(m for m in data["missions"] if m["mission"] == "acces_soins")
    assert (access["start_due"], access["started_on"]) == ("2024-09-01", "2024-06-01")
    assert data["money"][-1]["year"] == 0 and data["money"][0]["received_cents"] == 7_500_000
    assert data["amendments"][0]["changes"] == [
        {"key": "running:2", "before": "7500000", "after": "8000000"}
    ]
    assert {d["key"] for d in data["schedule"]} >= {"running:1", "advance:acces_soins:1"}


def test_a_write_token_of_the_cpts_records_an_amendment_and_a_payment(client, world):
    headers = bearer("president@test.fr")
    response = client.post(
        "/api/v1/t/cpts-a/convention/amendments", json=AMENDMENT, headers=headers
    )
    assert response.status_code == 201
    created = response.get_json()["data"]
    assert created["number"] == 2 and created["changes"] == [
        {"key": "included:qualite_pertinence", "before": None, "after": "true"},
        {"key": "running:3", "before": "7500000", "after": "9000000"},
    ]
    payment = client.post(
        "/api/v1/t/cpts-a/convention/payments",
        json={
            "received_on": "2024-07-01",
            "amount_cents": 1_500_000,
            "due_key": "advance:acces_soins:1",
        },
        headers=headers,
    )
    assert payment.status_code == 201 and payment.get_json()["data"]["amount_cents"] == 1_500_000
    writes = db.session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.action.in_(("amendment_recorded", "payment_recorded"))
        )
    ).all()
    assert writes.count("amendment_recorded") == 3  # the factory's two, and this one


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("amendments", {**AMENDMENT, "changes": {"running:3": "90000"}}, "running:3"),
        ("amendments", {**AMENDMENT, "signed_on": "15/01/2025"}, "signed_on"),
        ("amendments", {**AMENDMENT, "tenant_id": 2}, "tenant_id"),
        ("payments", {"received_on": "2024-07-01", "amount_cents": -5}, "amount_cents"),
        ("payments", {"received_on": "2024-07-01", "amount_cents": 12.5}, "amount_cents"),
        ("payments", {"received_on": "2023-07-01", "amount_cents": 500}, "received_on"),
    ],
)
def test_bad_input_gets_422_naming_the_field_and_writes_nothing(client, world, path, body, field):
    before = (count(Amendment), count(ReceivedPayment))
    response = client.post(
        f"/api/v1/t/cpts-a/convention/{path}", json=body, headers=bearer("president@test.fr")
    )
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert (count(Amendment), count(ReceivedPayment)) == before


@pytest.mark.parametrize(
    ("email", "scope", "status"),
    [
        ("cpam@test.fr", "write", 403),  # funders read, never write
        ("ars@test.fr", "write", 403),
        ("president@test.fr", "read", 403),  # a read token never writes
        ("president.b@test.fr", "write", 404),  # another CPTS's convention does not exist
    ],
)
def test_only_a_write_token_of_the_cpts_writes(client, world, email, scope, status):
    response = client.post(
        "/api/v1/t/cpts-a/convention/amendments", json=AMENDMENT, headers=bearer(email, scope)
    )
    assert response.status_code == status
    assert count(Amendment) == 2  # one per CPTS, from the factory
