"""Editing the CPTS's registry data (name, stage, FINESS, SIREN, seat, contact) from its workspace."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.audit import AuditEvent
from app.models.user import Role
from app.tenants.models import Stage, Tenant
from tests.factories import AGDE, make_tenant, make_user

BESSAN = "34031"
VALID = {
    "name": "CPTS Agde Méditerranée",
    "declared_stage": "aci_signe",
    "finess": "340012345",
    "siren": "732829320",
    "seat_commune_code": BESSAN,
    "contact_email": "contact@cpts-agde.example",
    "contact_phone": "04 67 00 00 00",
}


@pytest.fixture
def president(app, auth):
    tenant = make_tenant("cpts-a", (AGDE, BESSAN), name="CPTS Agde")
    make_tenant("cpts-b", ("11262",), siren="552100554")
    make_user("president@test.fr", Role.PRESIDENT, tenant=tenant)
    auth.login("president@test.fr")
    return tenant


def reload(tenant: Tenant) -> Tenant:
    db.session.expire_all()
    return db.session.get(Tenant, tenant.id)


def test_president_updates_the_registry_data_and_it_is_audited(president, client):
    page = client.get("/t/cpts-a/identite").get_data(as_text=True)
    assert 'value="CPTS Agde"' in page and "Bessan (34031)" in page
    response = client.post("/t/cpts-a/identite", data=VALID)
    assert response.status_code == 302
    tenant = reload(president)
    assert (tenant.name, tenant.declared_stage, tenant.siren, tenant.seat_commune_code) == (
        "CPTS Agde Méditerranée",
        Stage.ACI_SIGNED,
        "732829320",
        BESSAN,
    )
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "tenant_updated"))
    assert event.details["name"] == ["CPTS Agde", "CPTS Agde Méditerranée"]
    assert event.details["declared_stage"] == ["emergence", "aci_signe"]
    assert "Fiche mise à jour (7 champ(s) modifié(s))" in client.get("/t/cpts-a/").get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("siren", "732829321", "Le SIREN est invalide"),
        ("siren", "552100554", "Ce SIREN est déjà utilisé par une autre CPTS."),
        ("finess", "ABC", "Le numéro FINESS doit comporter 9 caractères"),
        ("name", "", "Ce champ est obligatoire."),
        ("seat_commune_code", "11262", "choix"),
        ("contact_email", "pas-une-adresse", "Adresse e-mail invalide."),
    ],
)
def test_bad_registry_data_is_refused_by_field_and_nothing_changes(
    president, client, field, value, message
):
    response = client.post("/t/cpts-a/identite", data={**VALID, field: value})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and f'id="{field}-error"' in page
    assert reload(president).name == "CPTS Agde"


def test_readers_cannot_open_or_post_the_registry_form(president, client, auth):
    make_user("viewer@test.fr", Role.VIEWER, tenant=president)
    auth.logout()
    auth.login("viewer@test.fr")
    assert client.get("/t/cpts-a/identite").status_code == 403
    assert client.post("/t/cpts-a/identite", data=VALID).status_code == 403
    assert "/identite" not in client.get("/t/cpts-a/").get_data(as_text=True)
    assert reload(president).name == "CPTS Agde"
