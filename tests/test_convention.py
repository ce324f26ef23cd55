"""The convention of a CPTS: terms entered as signed, amendments written once and never changed
(by any route, by the ORM, by SQL, on either engine), payments received, the termination."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from app.domain import DomainError
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.contract import ConventionStatus
from app.models.convention import (
    Amendment,
    AmendmentChange,
    Convention,
    ConventionTerm,
    ImmutableError,
    ReceivedPayment,
)
from app.models.user import Role
from app.services import convention as service
from app.tenants.context import tenant_bound, unscoped
from tests.factories import make_contract, make_tenant, make_user

TERMS = "/t/cpts-a/convention/termes"
NEW_AMENDMENT = "/t/cpts-a/convention/avenants/nouveau"


@pytest.fixture
def tenant(app):
    return make_tenant("cpts-a")


@pytest.fixture
def president(tenant, auth):
    user = make_user("president@test.fr", Role.PRESIDENT, tenant=tenant)
    auth.login(user.email)
    return user


def counts() -> tuple[int, ...]:
    models = (Convention, Amendment, AmendmentChange, ReceivedPayment)
    with unscoped("test: rows written"):
        return tuple(db.session.scalar(select(func.count()).select_from(m)) or 0 for m in models)


def stored(tenant):
    with tenant_bound(tenant.id):
        return service.contract_record(tenant)


def test_the_terms_are_entered_as_a_grid_of_years_in_euros(client, tenant, president):
    page = client.get(TERMS).get_data(as_text=True)
    assert 'name="running:1" value="60000"' in page  # Narbonne alone: T2's default budget
    response = client.post(
        TERMS,
        data={
            "reference": "ACI-11-2024-001",
            "signed_on": "2024-03-01",
            "running:1": "75 000",
            "fixed:parcours:2": "35 000,50",
            "included:qualite_pertinence": "on",
            "start_months:qualite_pertinence": "9",
            "deploy_months:qualite_pertinence": "30",
        },
    )
    assert response.status_code == 302
    record = stored(tenant)
    assert (record.reference, record.signed_on, record.starts_on) == (
        "ACI-11-2024-001",
        date(2024, 3, 1),
        date(2024, 3, 1),
    )
    assert dict(record.original) == {
        "end_on": "2029-02-28",
        "running:1": "7500000",
        "fixed:parcours:2": "3500050",
        "included:qualite_pertinence": "true",
        "start_months:qualite_pertinence": "9",
        "deploy_months:qualite_pertinence": "30",
    }
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "convention_created"))
    assert event.details["changed"]["running:1"] == [None, "7500000"]


def test_the_terms_are_corrected_in_place_and_keep_the_indicator_tiers(client, tenant, president):
    """Saving the grid again with the same keys once failed on the unique (convention, key)."""
    grid = {"reference": "ACI-1", "signed_on": "2024-03-01", "running:1": "75 000"}
    assert client.post(TERMS, data=grid).status_code == 302
    contract_terms = {"tier:mt_ald:1:1": "50=900000"}
    with tenant_bound(tenant.id):
        convention = service.get_convention(tenant)
        convention.terms.append(ConventionTerm(key="tier:mt_ald:1:1", value="50=900000"))
        db.session.commit()
    assert client.post(TERMS, data={**grid, "running:1": "80 000"}).status_code == 302
    original = dict(stored(tenant).original)
    assert original["running:1"] == "8000000"
    assert {k: original[k] for k in contract_terms} == contract_terms


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"running:2": "douze"}, "running:2", "Montant invalide"),
        ({"running:2": "-5"}, "running:2", "Montant invalide"),
        ({"starts_on": "2024-02-01"}, "starts_on", "Le début ne peut précéder la signature"),
        ({"end_on": "2024-01-01"}, "end_on", "La fin doit suivre le début"),
        ({"start_months:qualite_pertinence": "99"}, "start_months:qualite_pertinence", "mois"),
        ({"signed_on": "01/03/2024"}, "signed_on", "AAAA-MM-JJ"),
    ],
)
def test_bad_terms_are_refused_on_their_field_and_nothing_is_written(
    client, tenant, president, data, field, message
):
    response = client.post(TERMS, data={"signed_on": "2024-03-01", **data})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert counts() == (0, 0, 0, 0)


def test_the_original_terms_are_locked_by_the_first_amendment(client, tenant, president):
    make_contract(tenant)
    page = client.get(TERMS).get_data(as_text=True)
    assert "les termes d'origine ne changent plus" in page and "disabled" in page
    with tenant_bound(tenant.id), pytest.raises(DomainError) as refused:
        service.save_convention(tenant, {"signed_on": "2024-03-01", "terms": {"running:1": 1}})
    assert "terms" in refused.value.errors


def test_an_amendment_records_only_the_terms_it_changes_and_the_history_shows_them(
    client, tenant, president
):
    make_contract(tenant)  # amendment 1 already raised running:2 from 75,000 to 80,000 euros
    page = client.get(NEW_AMENDMENT).get_data(as_text=True)
    assert (
        'name="running:2" value="80000"' in page and 'name="number" type="number" value="2"' in page
    )
    form = {
        "number": "2",
        "signed_on": "2025-01-15",
        "effective_on": "2025-02-01",
        "reason": "Prolongation de six mois",
        "end_on": "2029-08-31",
        "running:1": "75000",  # unchanged: not recorded
        "running:2": "80000",
        "running:3": "90000",
    }
    assert client.post(NEW_AMENDMENT, data=form).status_code == 302
    record = stored(tenant)
    second = next(a for a in record.amendments if a.number == 2)
    # Every cell left empty reads zero: fixed:acces_soins:1 and :2 (20,000 euros) drop to zero.
    assert second.changes == {
        "end_on": "2029-08-31",
        "running:3": "9000000",
        "running:4": "0",
        "running:5": "0",
        "fixed:acces_soins:1": "0",
        "fixed:acces_soins:2": "0",
        "variable:acces_soins:1": "0",
    }
    history = client.get("/t/cpts-a/convention/avenants/").get_data(as_text=True)
    assert "Avenant n° 2" in history and "Prolongation de six mois" in history
    assert "75\u202f000,00\u00a0€" in history and "90\u202f000,00\u00a0€" in history
    assert "president@test.fr" in history


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"signed_on": "2024-01-01"}, "signed_on"),  # before the convention
        ({"effective_on": "2023-12-31"}, "effective_on"),
        ({"reason": "Patient né le 3 mars 1950"}, "reason"),
        ({"reason": ""}, "reason"),
        ({"changes": {}}, "changes"),  # nothing changes
        ({"changes": {"running:2": 8_000_000}}, "changes"),  # the value it already has
        ({"changes": {"running:7": 100}}, "running:7"),  # beyond the contract's last year
        ({"changes": {"included:acces_soins": False}}, "included:acces_soins"),  # core
        ({"changes": {"fixed:parcours:1": 1.5}}, "fixed:parcours:1"),  # cents are integers
        ({"number": 1}, "number"),  # taken
    ],
)
def test_bad_amendments_are_refused_naming_the_field(tenant, change, field):
    make_contract(tenant)
    before = counts()
    data = {
        "signed_on": "2025-01-15",
        "effective_on": "2025-02-01",
        "reason": "Révision",
        "changes": {"running:3": 9_000_000},
        **change,
    }
    with tenant_bound(tenant.id), pytest.raises(DomainError) as refused:
        service.record_amendment(tenant, data)
    assert field in refused.value.errors
    db.session.rollback()
    assert counts() == before


def test_no_route_changes_or_deletes_an_amendment(app):
    """Amendments are created, read, never edited: no route under them takes another method,
    and the only POSTs create one (or the termination)."""
    creating = {"workspace.new_amendment", "workspace.terminate", "api.record_amendment"}
    for rule in app.url_map.iter_rules():
        if "avenant" in rule.rule or "amendment" in rule.rule or "resiliation" in rule.rule:
            assert rule.methods - {"HEAD", "OPTIONS"} <= {"GET", "POST"}, rule.rule
            if "POST" in rule.methods:
                assert rule.endpoint in creating, rule.rule


def test_the_orm_refuses_to_change_or_delete_an_amendment(tenant):
    make_contract(tenant)
    with tenant_bound(tenant.id):
        amendment = db.session.scalar(select(Amendment))
        amendment.reason = "Réécrit"
        with pytest.raises(ImmutableError):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.scalar(select(AmendmentChange)))
        with pytest.raises(ImmutableError):
            db.session.flush()
        db.session.rollback()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE amendment SET reason = 'Réécrit'",
        "UPDATE amendment_change SET value = '1'",
        "DELETE FROM amendment_change",
        "DELETE FROM amendment",
    ],
)
def test_the_database_refuses_to_change_or_delete_an_amendment(tenant, statement):
    make_contract(tenant)
    with tenant_bound(tenant.id):
        with pytest.raises(DBAPIError):
            db.session.execute(text(statement))
        db.session.rollback()
        assert db.session.scalar(select(Amendment.reason)) == "Hausse du budget de l'année 2"


def test_payments_received_are_recorded_in_euros_and_counted_per_year(client, tenant, president):
    make_contract(tenant)
    response = client.post(
        "/t/cpts-a/convention/versements",
        data={
            "received_on": "2024-07-01",
            "amount": "15 000,50",
            "due_key": "advance:acces_soins:1",
        },
    )
    assert response.status_code == 302
    with tenant_bound(tenant.id):
        contract = service.contract_of(tenant)
    assert contract.money[0].received == 7_500_000 + 1_500_050
    page = client.get("/t/cpts-a/convention/").get_data(as_text=True)
    assert "Avance sur la part fixe (75 %) · Accès aux soins · année 1" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"received_on": "2024-02-01"}, "received_on", "Aucun versement ne peut précéder"),
        ({"received_on": (date.today() + timedelta(days=1)).isoformat()}, "received_on", "futur"),
        ({"amount": "0"}, "amount", "Montant"),
        ({"amount": "-10"}, "amount", "Montant invalide"),
        ({"amount": "dix euros"}, "amount", "Montant invalide"),
        ({"due_key": "running:9"}, "due_key", ""),
    ],
)
def test_bad_payments_are_refused_and_nothing_is_written(
    client, tenant, president, data, field, message
):
    make_contract(tenant)
    before = counts()
    form = {"received_on": "2024-07-01", "amount": "100", **data}
    response = client.post("/t/cpts-a/convention/versements", data=form)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert counts() == before


def test_a_payment_recorded_by_mistake_is_taken_back_and_the_journal_keeps_it(
    client, tenant, president
):
    ids = make_contract(tenant)
    response = client.post(f"/t/cpts-a/convention/versements/{ids['payment_id']}/supprimer")
    assert response.status_code == 302
    assert counts()[3] == 0
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "payment_deleted"))
    assert event.details == {"received_on": "2024-03-20", "amount_cents": 7_500_000}


def test_a_termination_stops_the_payments_and_shows_the_repayment(client, tenant, president):
    make_contract(tenant)
    response = client.post(
        "/t/cpts-a/convention/resiliation",
        data={
            "signed_on": "2024-12-10",
            "effective_on": "2025-01-01",
            "reason": "Missions non tenues",
        },
    )
    assert response.status_code == 302
    with tenant_bound(tenant.id):
        contract = service.contract_of(tenant)
    assert contract.status is ConventionStatus.TERMINATED
    assert all(d.due_on < date(2025, 1, 1) for d in contract.schedule)
    repayment = contract.repayment  # year 1 runs from 2024-03-01 to 2025-02-28
    assert repayment.year == 1 and repayment.received == 7_500_000
    assert 0 < repayment.amount == 7_500_000 - repayment.earned
    page = client.get("/t/cpts-a/convention/").get_data(as_text=True)
    assert "À rembourser" in page and "Résiliée" in page
    # Nothing is added to a terminated convention.
    again = client.post(
        NEW_AMENDMENT,
        data={"signed_on": "2025-04-01", "effective_on": "2025-04-01", "reason": "Après coup",
              "running:1": "1"},
    )  # fmt: skip
    assert again.status_code == 400 and "résiliée" in again.get_data(as_text=True)


def test_readers_see_the_convention_and_only_the_cptss_users_write_it(client, tenant, auth):
    make_contract(tenant)
    make_user("cpam@test.fr", Role.CPAM, departments=("11",))
    auth.login("cpam@test.fr")
    page = client.get("/t/cpts-a/convention/").get_data(as_text=True)
    assert "ACI-TEST-1" in page and "Enregistrer un avenant" not in page
    assert client.get(NEW_AMENDMENT).status_code == 403
