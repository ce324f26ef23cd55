"""Editing a CPTS's territory from its workspace: by INSEE code or whole EPCI, refused cleanly."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.audit import AuditEvent
from app.models.territory import TerritoryCommune
from app.models.user import Role
from app.services.territory import territory_of
from app.tenants.context import tenant_bound
from app.tenants.models import Tenant
from tests.factories import AGDE, NARBONNE, make_tenant, make_user

BESSAN = "34031"


@pytest.fixture
def president(app, auth):
    tenant = make_tenant("cpts-a", (AGDE,), seat_commune_code=AGDE)
    make_tenant("cpts-b", (NARBONNE,))
    make_user("president@test.fr", Role.PRESIDENT, tenant=tenant)
    auth.login("president@test.fr")
    return tenant


def codes(tenant: Tenant) -> list[str]:
    db.session.expire_all()
    return sorted(c.code for c in territory_of(tenant))


def test_add_communes_by_insee_code_updates_population(president, client):
    before = president.population
    response = client.post("/t/cpts-a/territoire", data={"communes": f"{BESSAN}; 34101"})
    assert response.status_code == 302
    assert codes(president) == [AGDE, BESSAN, "34101"]
    assert db.session.get(Tenant, president.id).population > before
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "territory_changed"))


def test_add_a_whole_epci(president, client):
    client.post("/t/cpts-a/territoire", data={"epci": "241100593"})
    assert len(codes(president)) == 38
    page = client.get("/t/cpts-a/territoire").get_data(as_text=True)
    assert "Chevauchements de territoire" in page and "une autre CPTS" in page
    assert "CPTS cpts-b" not in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({"communes": "99999"}, "Code(s) INSEE inconnu(s) : 99999"),
        ({"epci": "123456789"}, "SIREN d&#39;EPCI inconnu(s) : 123456789"),
        ({"communes": "", "epci": ""}, "Indiquez au moins un code INSEE"),
        ({"communes": f"{BESSAN}, 99999"}, "99999"),
    ],
)
def test_bad_codes_are_refused_and_nothing_is_written(president, client, data, message):
    response = client.post("/t/cpts-a/territoire", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert codes(president) == [AGDE]


def test_a_tenant_id_in_the_form_is_ignored(president, client):
    other = db.session.scalar(select(Tenant).where(Tenant.slug == "cpts-b"))
    client.post("/t/cpts-a/territoire", data={"communes": BESSAN, "tenant_id": other.id})
    with tenant_bound(president.id):
        row = db.session.scalar(
            select(TerritoryCommune).where(TerritoryCommune.commune_code == BESSAN)
        )
    assert row.tenant_id == president.id
    assert codes(other) == [NARBONNE]


def test_remove_a_commune_but_never_the_seat_or_the_last_one(president, client):
    client.post("/t/cpts-a/territoire", data={"communes": BESSAN})
    client.post(f"/t/cpts-a/territoire/{BESSAN}/retirer")
    assert codes(president) == [AGDE]
    response = client.post(f"/t/cpts-a/territoire/{AGDE}/retirer", follow_redirects=True)
    assert "La commune du siège ne peut pas être retirée" in response.get_data(as_text=True)
    assert codes(president) == [AGDE]


def test_viewer_reads_the_territory_but_cannot_change_it(president, client, auth):
    make_user("viewer@test.fr", Role.VIEWER, tenant=president)
    auth.logout()
    auth.login("viewer@test.fr")
    page = client.get("/t/cpts-a/territoire")
    assert page.status_code == 200 and "Ajouter des communes" not in page.get_data(as_text=True)
    assert client.post("/t/cpts-a/territoire", data={"communes": BESSAN}).status_code == 403
    assert codes(president) == [AGDE]


def test_region_page_lists_communes_claimed_by_several_cpts(president, client, auth):
    client.post("/t/cpts-a/territoire", data={"communes": NARBONNE})
    make_user("ars@test.fr", Role.ARS, region="76")
    auth.logout()
    auth.login("ars@test.fr")
    page = client.get("/region/76/couverture/").get_data(as_text=True)
    section = page[page.index("Communes revendiquées par plusieurs CPTS") :]
    assert "Narbonne" in section and "CPTS cpts-a ; CPTS cpts-b" in section
    assert "Agde" not in section.split("</table>")[0]
