"""The health project: lifecycle dates make the stage (everywhere it is shown), priorities and
actions refuse patient details, mission progress dates, prevention actions."""

from __future__ import annotations

from datetime import date, timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.prevention import PreventionAction
from app.models.project import HealthProject, MissionAction, ProjectPriority
from app.models.user import Role
from app.services import project
from app.services.convention import contract_of
from app.tenants.context import tenant_bound, unscoped
from app.tenants.models import Stage
from tests.factories import make_tenant, make_user


@pytest.fixture
def tenant(app):
    return make_tenant("cpts-a", declared_stage="projet_valide")


@pytest.fixture
def president(tenant, auth):
    user = make_user("president@test.fr", Role.PRESIDENT, tenant=tenant)
    auth.login(user.email)
    return user


def rows(model) -> int:
    with unscoped("test: rows written"):
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_the_stage_follows_the_dates_on_every_page_and_in_the_api(client, tenant, president, auth):
    make_user("ars@test.fr", Role.ARS, region="76")
    assert "Projet de santé validé" in client.get("/t/cpts-a/").get_data(as_text=True)  # by hand
    response = client.post(
        "/t/cpts-a/projet/etapes",
        data={
            "letter_submitted_on": "2024-01-10",
            "project_submitted_on": date.today().isoformat(),
        },
    )
    assert response.status_code == 302
    for path in ("/t/cpts-a/", "/t/cpts-a/projet/"):
        assert "Projet de santé déposé" in client.get(path).get_data(as_text=True), path
    assert client.get("/api/v1/t/cpts-a/").get_json()["data"]["stage"] == "projet_soumis"
    auth.logout()
    auth.login("ars@test.fr")
    assert "Projet de santé déposé" in client.get("/region/76/").get_data(as_text=True)
    listed = client.get("/api/v1/tenants").get_json()["data"]
    assert [(t["slug"], t["stage"]) for t in listed] == [("cpts-a", "projet_soumis")]


def test_a_project_without_objection_is_deemed_validated_two_months_after(
    client, tenant, president
):
    submitted = date.today() - timedelta(days=70)
    client.post("/t/cpts-a/projet/etapes", data={"project_submitted_on": submitted.isoformat()})
    page = client.get("/t/cpts-a/projet/").get_data(as_text=True)
    assert "réputé validé" in page and "Projet de santé validé" in page
    client.post(
        "/t/cpts-a/projet/etapes",
        data={"project_submitted_on": submitted.isoformat(),
              "project_objection_on": (submitted + timedelta(days=20)).isoformat()},
    )  # fmt: skip
    with tenant_bound(tenant.id):
        assert contract_of(tenant).stage is Stage.PROJECT_SUBMITTED


@pytest.mark.parametrize(
    ("data", "field_text"),
    [
        (
            {"letter_submitted_on": "2024-05-01", "letter_validated_on": "2024-04-01"},
            "ne peut précéder",
        ),
        ({"project_submitted_on": (date.today() + timedelta(days=3)).isoformat()}, "futur"),
        ({"association_registered_on": "31/12/2023"}, "AAAA-MM-JJ"),
    ],
)
def test_bad_dates_are_refused_on_their_field(client, tenant, president, data, field_text):
    response = client.post("/t/cpts-a/projet/etapes", data=data)
    assert response.status_code == 400 and field_text in response.get_data(as_text=True)
    assert rows(HealthProject) == 0


def test_priorities_refuse_patient_details(client, tenant, president):
    client.post("/t/cpts-a/projet/priorites", data={"text": "Un médecin traitant pour chacun"})
    refused = client.post(
        "/t/cpts-a/projet/priorites", data={"text": "Suivre M. X, 1 85 05 78 006 084 36"}
    )
    assert refused.status_code == 400 and "données de patient" in refused.get_data(as_text=True)
    with tenant_bound(tenant.id):
        assert [p.text for p in project.priorities(tenant)] == ["Un médecin traitant pour chacun"]
        priority_id = project.priorities(tenant)[0].id
    assert client.post(f"/t/cpts-a/projet/priorites/{priority_id}/retirer").status_code == 302
    assert rows(ProjectPriority) == 0


def test_a_mission_records_its_progress_and_its_actions(client, tenant, president):
    page = "/t/cpts-a/projet/missions/parcours"
    assert client.get(page).status_code == 200
    assert client.get("/t/cpts-a/projet/missions/inconnue").status_code == 404
    client.post(page + "/avancement", data={"started_on": "2024-05-02"})
    refused = client.post(page + "/avancement", data={"deployed_on": "2024-05-01"})
    assert refused.status_code == 400 and "démarr" in refused.get_data(as_text=True)
    created = client.post(
        page + "/actions",
        data={"title": "Sortie d'hôpital accompagnée", "professions": ["infirmier", "pharmacien"],
              "due_on": "2025-06-30", "status": "en_cours"},
    )  # fmt: skip
    assert created.status_code == 302
    with tenant_bound(tenant.id):
        action = db.session.scalar(select(MissionAction))
        assert (action.mission.value, action.professions) == (
            "parcours",
            ["infirmier", "pharmacien"],
        )
        assert project.progress_of(tenant, action.mission).started_on == date(2024, 5, 2)
    shown = unescape(client.get(page).get_data(as_text=True))
    assert "Sortie d'hôpital accompagnée" in shown and "Infirmier·ère, Pharmacien·ne" in shown
    edited = client.post(
        f"/t/cpts-a/projet/actions/{action.id}",
        data={"title": "Sortie d'hôpital", "status": "realisee", "professions": []},
    )
    assert edited.status_code == 302
    assert client.post(f"/t/cpts-a/projet/actions/{action.id}/supprimer").status_code == 302
    assert rows(MissionAction) == 0


def test_prevention_actions_are_listed_with_totals_by_theme(client, tenant, president):
    new = "/t/cpts-a/prevention/nouvelle"
    for held, theme, reached in (("2024-10-15", "depistage_cancers", "320"), ("2024-11-05", "tabac", "85"),
                                 ("2025-10-10", "depistage_cancers", "1 200")):  # fmt: skip
        response = client.post(
            new,
            data={"held_on": held, "theme": theme, "mission": "prevention",
                  "description": "Stand d'information", "people_reached": reached},
        )  # fmt: skip
        assert response.status_code == 302
    page = client.get("/t/cpts-a/prevention/").get_data(as_text=True)
    assert "1\u202f520 personnes touchées" in page and "85 personnes touchées" in page
    filtered = unescape(client.get("/t/cpts-a/prevention/?theme=tabac").get_data(as_text=True))
    assert filtered.count("Stand d'information") == 1


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ({"theme": ""}, "Ce champ est obligatoire"),
        ({"people_reached": "-3"}, "Nombre positif"),
        ({"people_reached": "beaucoup"}, "Nombre entier"),
        ({"held_on": "2010-01-01"}, "2015"),
        ({"description": "Dépistage de Mme Y, née le 2 mai 1960"}, "données de patient"),
    ],
)
def test_bad_prevention_actions_are_refused_and_nothing_is_written(
    client, tenant, president, data, text
):
    form = {"held_on": "2024-10-15", "theme": "tabac", "mission": "prevention",
            "description": "Mois sans tabac", **data}  # fmt: skip
    response = client.post("/t/cpts-a/prevention/nouvelle", data=form)
    assert response.status_code == 400 and text in response.get_data(as_text=True)
    assert rows(PreventionAction) == 0
