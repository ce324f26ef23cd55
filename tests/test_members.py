"""The member registry: add and edit with clear refusals, warnings that never block, departures
and returns that keep history, GDPR erasure, search and filters, and growth from the dates."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models.audit import AuditEvent
from app.models.member import Member, MemberPeriod, Profession
from app.models.user import Role
from app.reports.members import active_member_count, membership_growth
from app.services import members as registry
from app.tenants.context import tenant_bound
from tests.factories import AGDE, add_members, make_tenant, make_user

NEW = "/t/cpts-a/membres/nouveau"
VALID = {
    "last_name": "Lefèvre",
    "first_name": "Hélène",
    "profession": "infirmier",
    "rpps": "10003456789",
    "exercise_mode": "liberal",
    "place": "msp",
    "practice_commune_code": "11262",
    "email": "helene.lefevre@example.org",
    "board_role": "",
    "joined_on": "2024-03-01",
    "left_on": "",
}


@pytest.fixture
def tenant(app):
    return make_tenant("cpts-a")  # Narbonne (11262)


@pytest.fixture
def client(app, tenant, auth):
    make_user("coord@test.fr", Role.COORDINATOR, tenant=tenant)
    auth.login("coord@test.fr")
    return auth.client


def text(response) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def field_error(response, field: str) -> str:
    match = re.search(
        rf'<p class="error-message" id="{field}-error">([^<]*)</p>', response.get_data(as_text=True)
    )
    return unescape(match.group(1)) if match else ""


def registered(tenant) -> list[Member]:
    db.session.expire_all()
    with tenant_bound(tenant.id):
        return list(db.session.scalars(select(Member).order_by(Member.id)))


def only(tenant) -> Member:
    [member] = registered(tenant)
    return member


def test_a_member_is_added_with_every_field(client, tenant):
    response = client.post(NEW, data=VALID)

    assert response.status_code == 302
    member = only(tenant)
    assert (member.last_name, member.profession, member.rpps) == (
        "Lefèvre",
        Profession.NURSE,
        "10003456789",
    )
    assert (member.exercise_mode.value, member.place.value, member.joined_on) == (
        "liberal",
        "msp",
        date(2024, 3, 1),
    )
    assert "Lefèvre" in text(client.get("/t/cpts-a/membres/"))


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"rpps": "1000345678"}, "rpps", "Le RPPS comporte exactement 11 chiffres."),
        ({"rpps": "1000345678A"}, "rpps", "Le RPPS comporte exactement 11 chiffres."),
        ({"last_name": ""}, "last_name", "Ce champ est obligatoire."),
        ({"profession": ""}, "profession", "Ce champ est obligatoire."),
        ({"joined_on": "31/02/2024"}, "joined_on", "Date invalide"),
        ({"left_on": "2024-01-01"}, "left_on", "La date de départ précède la date d'adhésion."),
        ({"practice_commune_code": "99999"}, "practice_commune_code", "Code INSEE inconnu."),
        ({"email": "pas une adresse"}, "email", "Adresse e-mail invalide."),
    ],
)
def test_bad_input_names_the_field_in_french_and_writes_nothing(
    client, tenant, change, field, message
):
    audit_before = db.session.scalar(select(func.count()).select_from(AuditEvent))

    response = client.post(NEW, data={**VALID, **change})

    assert response.status_code == 400
    assert message in field_error(response, field)
    assert registered(tenant) == []
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == audit_before


def test_a_failed_rpps_key_and_a_commune_outside_are_warnings_not_refusals(client, tenant):
    client.post(NEW, data={**VALID, "rpps": "10003456788", "practice_commune_code": "34003"})

    member = only(tenant)
    page = text(client.get(f"/t/cpts-a/membres/{member.id}"))
    assert "Clé de contrôle du RPPS incorrecte" in page
    assert "Commune hors du territoire de la CPTS." in page
    listed = text(client.get("/t/cpts-a/membres/?hors_territoire=1"))
    assert "Lefèvre" in listed


def test_two_active_members_cannot_share_an_rpps(client, tenant):
    client.post(NEW, data=VALID)
    response = client.post(NEW, data={**VALID, "last_name": "Autre"})
    assert response.status_code == 400
    assert field_error(response, "rpps") == "Un autre membre de la CPTS a déjà ce RPPS."
    assert len(registered(tenant)) == 1


def test_the_database_refuses_a_second_member_with_the_same_rpps(app, tenant):
    other = make_tenant("cpts-b", (AGDE,))
    row = {"first_name": "A", "last_name": "B", "profession": "infirmier", "rpps": "10003456789"}
    for owner in (tenant, other):  # the same RPPS in two CPTS is fine
        with tenant_bound(owner.id):
            db.session.execute(insert(Member), [{**row, "joined_on": date(2024, 1, 1)}])
            db.session.commit()
    with tenant_bound(tenant.id), pytest.raises(IntegrityError):
        db.session.execute(insert(Member), [{**row, "joined_on": date(2024, 2, 1)}])
        db.session.flush()
    db.session.rollback()


def test_departure_then_return_keeps_both_periods_and_counts_them(client, tenant):
    client.post(NEW, data={**VALID, "joined_on": "2023-01-10"})
    member = only(tenant)
    url = f"/t/cpts-a/membres/{member.id}"

    assert client.post(f"{url}/depart", data={"day": "2023-06-30"}).status_code == 302
    refused = client.post(f"{url}/retour", data={"day": "2023-06-01"})
    assert refused.status_code == 400 and "Le retour doit suivre le départ" in text(refused)
    assert client.post(f"{url}/retour", data={"day": "2024-01-15"}).status_code == 302

    member = only(tenant)
    assert (member.joined_on, member.left_on) == (date(2024, 1, 15), None)
    assert [(p.joined_on, p.left_on) for p in member.earlier_periods] == [
        (date(2023, 1, 10), date(2023, 6, 30))
    ]
    assert "du 10/01/2023 au 30/06/2023" in text(client.get(url))
    counts = {
        point.month: point.members
        for point in membership_growth(tenant, date(2023, 1, 1), date(2024, 2, 29))
    }
    assert counts[date(2023, 3, 1)] == 1
    assert date(2023, 8, 1) not in counts  # gone between the two periods
    assert counts[date(2024, 1, 1)] == 1
    assert active_member_count(tenant, date(2023, 3, 1)) == 1


def test_erasure_removes_the_person_and_keeps_the_count(client, tenant):
    client.post(NEW, data=VALID)
    member = only(tenant)

    refused = client.post(f"/t/cpts-a/membres/{member.id}/effacer", data={})
    assert refused.status_code == 400 and only(tenant).last_name == "Lefèvre"
    client.post(f"/t/cpts-a/membres/{member.id}/effacer", data={"confirm": "y"})

    erased = only(tenant)
    assert (erased.last_name, erased.first_name, erased.rpps, erased.email) == ("", "", None, None)
    assert erased.practice_commune_code is None and erased.erased_at is not None
    assert client.get(f"/t/cpts-a/membres/{member.id}").status_code == 404
    assert "Lefèvre" not in text(client.get("/t/cpts-a/membres/?statut=all"))
    assert active_member_count(tenant) == 1  # still counted, anonymously
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "Member"))
    trail = " ".join(str(e.details) for e in events)
    assert "member_erased" in {e.action for e in db.session.scalars(select(AuditEvent))}
    for personal in ("Lefèvre", "Hélène", "10003456789", "helene.lefevre", "11262"):
        assert personal not in trail


def test_an_edit_records_before_and_after_but_no_personal_value(client, tenant):
    client.post(NEW, data=VALID)
    member = only(tenant)

    client.post(
        f"/t/cpts-a/membres/{member.id}",
        data={
            **VALID,
            "last_name": "Lefèvre-Durand",
            "place": "cabinet",
            "board_role": "tresorier",
        },
    )

    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "member_updated"))
    assert event.details == {
        "board_role": [None, "tresorier"],
        "place": ["msp", "cabinet"],
        "personal_fields_changed": ["last_name"],
    }


def test_search_filters_sort_and_pages(app, tenant):
    with tenant_bound(tenant.id):
        for i in range(120):
            db.session.add(
                Member(
                    first_name=f"Prénom{i:03d}",
                    last_name=f"Nom{i:03d}",
                    profession=Profession.GP if i % 3 == 0 else Profession.NURSE,
                    rpps=f"1000{i:07d}",
                    joined_on=date(2020, 1, 1),
                    left_on=date(2022, 1, 1) if i % 10 == 0 else None,
                )
            )
        db.session.commit()
    find = registry.find_members
    active = find(tenant, registry.MemberFilters(), 1, 50)
    assert (active.total, len(active.members), active.pages) == (108, 50, 3)
    assert active.members[0].last_name == "Nom001"
    assert find(tenant, registry.MemberFilters(status="left")).total == 12
    assert (
        find(tenant, registry.MemberFilters(status="all"), 3, 50).members[-1].last_name == "Nom119"
    )
    gps = find(tenant, registry.MemberFilters(profession=Profession.GP, status="all"))
    assert gps.total == 40
    assert [m.last_name for m in find(tenant, registry.MemberFilters(text="nom042")).members] == [
        "Nom042"
    ]
    assert find(tenant, registry.MemberFilters(text="10000000043")).members[0].last_name == "Nom043"
    backwards = find(tenant, registry.MemberFilters(sort="-name"))
    assert backwards.members[0].last_name == "Nom119"


def test_growth_is_one_query_and_only_counts_this_cpts(app, tenant, count_sql):
    add_members(tenant, 3, joined_on=date(2024, 1, 15))
    add_members(make_tenant("cpts-b", (AGDE,)), 7, joined_on=date(2024, 1, 15))
    db.session.refresh(tenant)  # loaded, as in a request, so that only the growth is counted
    with count_sql() as counter:
        points = membership_growth(tenant, date(2023, 12, 1), date(2024, 3, 31))
    assert counter.count == 1
    assert [(p.month, p.members) for p in points] == [
        (date(2024, 1, 1), 3),
        (date(2024, 2, 1), 3),
        (date(2024, 3, 1), 3),
    ]


def test_growth_is_on_the_home_page_with_its_figures_and_a_csv(client, tenant):
    add_members(tenant, 3, joined_on=date(2024, 1, 15))
    home = client.get("/t/cpts-a/")
    assert 'id="figure-croissance"' in home.get_data(as_text=True)
    assert "Voir les chiffres du graphique" in text(home)
    csv = client.get("/t/cpts-a/membres/croissance.csv").get_data(as_text=True)
    assert csv.startswith("\ufeffMois;Profession;Membres actifs en fin de mois")
    assert "01/2024;Infirmier·ère;3" in csv


def test_a_member_period_of_another_tenant_cannot_be_attached(app, tenant):
    other = make_tenant("cpts-b", (AGDE,))
    [member] = add_members(tenant, 1)
    with tenant_bound(tenant.id):
        member_id = member.id
    with tenant_bound(other.id), pytest.raises(IntegrityError):
        db.session.add(
            MemberPeriod(member_id=member_id, joined_on=date(2020, 1, 1), left_on=date(2021, 1, 1))
        )
        db.session.flush()
    db.session.rollback()
