"""Indicators and the review of their periods: the catalogue, indicators from a template or
from scratch, tiers as amendable contract terms, and the workflow's refusals."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from app.domain import DomainError
from app.extensions import db
from app.models.aci import Terms
from app.models.convention import ImmutableError
from app.models.indicator import (
    IndicatorValue,
    PeriodAction,
    PeriodEvent,
    PeriodKind,
    PeriodStatus,
)
from app.models.targets import Measure, Tier
from app.models.user import Role
from app.rollups.reporting import review_queue
from app.services import catalogue, convention, reporting
from app.services.indicators import add_indicator, set_tiers
from app.tenants.context import tenant_bound
from app.tenants.models import Tenant
from tests.factories import BESANCON, make_contract, make_tenant, make_user, without_tokens

Q1 = date(2025, 1, 1)


@pytest.fixture
def cpts(app):
    catalogue.load_catalogue()
    tenant = make_tenant("cpts-a")
    with tenant_bound(tenant.id):
        ald = add_indicator(tenant, {"template": "mt_ald"})
        share = add_indicator(tenant, {"template": "mt_16", "baseline": "71,5"})
        db.session.commit()
        yield tenant, ald, share


def test_the_catalogue_ships_the_common_lines_once(app):
    assert catalogue.load_catalogue() >= 12
    assert catalogue.load_catalogue() == 0
    codes = {t.code for t in catalogue.templates()}
    assert {"mt_ald", "mt_70", "mt_c2s_ald", "mt_16", "snp_sas", "rehospit_30j"} <= codes


def test_an_indicator_from_a_template_shares_its_definition(cpts):
    tenant, ald, share = cpts
    assert (ald.code, ald.unit, ald.direction, ald.period) == (
        "mt_ald",
        "count",
        "lower",
        "quarter",
    )
    assert ald.template_id is not None
    assert str(share.baseline) == "71.500"


def test_a_local_indicator_and_its_refusals_name_the_fields(cpts):
    tenant, *_ = cpts
    with tenant_bound(tenant.id):
        local = add_indicator(tenant, {
            "code": "ateliers_ado", "name": "Ateliers santé des adolescents",
            "mission": "prevention", "unit": "count", "direction": "higher",
            "period": "year", "aggregation": "sum",
        })  # fmt: skip
        assert local.template_id is None
        with pytest.raises(DomainError) as refused:
            add_indicator(tenant, {"code": "Mauvais code!", "name": "", "unit": "litres",
                                   "baseline": "-3"})  # fmt: skip
        assert {"code", "name", "unit", "mission", "baseline"} <= set(refused.value.errors)
        with pytest.raises(DomainError) as twice:
            add_indicator(tenant, {"template": "mt_ald"})
        assert set(twice.value.errors) == {"code"}


def test_tiers_are_contract_terms_changed_by_amendment(cpts):
    tenant, ald, _ = cpts
    make_contract(tenant)
    with tenant_bound(tenant.id):
        convention.record_amendment(tenant, {
            "signed_on": "2024-10-01", "effective_on": "2024-10-01",
            "reason": "Paliers de l'indicateur ALD",
            "changes": {"tier:mt_ald:2:1": "50=900000", "tier:mt_ald:2:2": "100=600000"},
        })  # fmt: skip
        terms = convention.contract_of(tenant).terms_on(date.today())
        assert [t.amount_cents for t in terms.tiers("mt_ald", 2)] == [900_000, 600_000]
        with pytest.raises(DomainError) as refused:
            convention.record_amendment(tenant, {
                "signed_on": "2024-10-02", "effective_on": "2024-10-02", "reason": "Erreur",
                "changes": {"tier:mt_ald:2:1": "cinquante"},
            })  # fmt: skip
        assert set(refused.value.errors) == {"tier:mt_ald:2:1"}
    assert Terms({"tier:mt_ald:99:1": "1=1"}).tiers("mt_ald", 99) == []  # beyond the grammar


def _enter(tenant, period, **entries):
    reporting.enter_values(tenant, period, entries)


def test_the_workflow_from_draft_to_locked(cpts):
    tenant, ald, share = cpts
    with tenant_bound(tenant.id):
        period = reporting.open_period(tenant, PeriodKind.QUARTER, Q1)
        assert (period.ends_on, period.due_on) == (date(2025, 3, 31), date(2025, 4, 30))
        reporting.enter_values(tenant, period, {ald.id: {"numerator": "212"}})
        with pytest.raises(DomainError) as lacking:  # no submission with a value missing
            reporting.submit(tenant, period)
        assert set(lacking.value.errors) == {"mt_16"}
        reporting.enter_values(
            tenant, period, {share.id: {"numerator": 7100, "denominator": 10000}}
        )
        reporting.submit(tenant, period)
        with pytest.raises(DomainError):  # submitted: locked for the CPTS
            reporting.enter_values(tenant, period, {ald.id: {"numerator": "1"}})

        with pytest.raises(DomainError) as silent:
            reporting.send_back(tenant, period, {})
        assert set(silent.value.errors) == {"comments"}
        reporting.send_back(tenant, period, {ald.id: "212 paraît élevé : vérifier la requête"})
        assert period.status is PeriodStatus.SENT_BACK
        reporting.enter_values(tenant, period, {ald.id: {"numerator": "198"}})
        reporting.submit(tenant, period)
        changes = reporting.changes_since_review(period)
        assert [(c.indicator_id, c.before, c.after) for c in changes] == [
            (ald.id, Measure(212), Measure(198))
        ]
        reporting.validate(tenant, period)
        assert period.status is PeriodStatus.VALIDATED
        with pytest.raises(DomainError):
            reporting.enter_values(tenant, period, {ald.id: {"numerator": "1"}})
        with pytest.raises(DomainError):
            reporting.submit(tenant, period)
        with pytest.raises(DomainError) as no_reason:
            reporting.reopen(tenant, period, "  ")
        assert set(no_reason.value.errors) == {"reason"}
        reporting.reopen(tenant, period, "Erreur de requête CPAM signalée")
        assert period.status is PeriodStatus.SENT_BACK
        actions = [e.action for e in reporting.trail(period)]
        assert actions == [PeriodAction.SUBMIT, PeriodAction.SEND_BACK, PeriodAction.SUBMIT,
                           PeriodAction.VALIDATE, PeriodAction.REOPEN]  # fmt: skip
        assert period.timeliness(date(2025, 6, 1)) == "late"  # submitted today, due 2025
        db.session.commit()


def test_values_are_numbers_or_missing_with_a_reason_and_nothing_is_written_on_error(cpts):
    tenant, ald, share = cpts
    with tenant_bound(tenant.id):
        period = reporting.open_period(tenant, PeriodKind.QUARTER, Q1)
        with pytest.raises(DomainError) as refused:
            reporting.enter_values(tenant, period, {
                ald.id: {"numerator": "N/A"},
                share.id: {"numerator": "80", "denominator": "40"},
            })  # fmt: skip
        assert set(refused.value.errors) == {"mt_ald.numerator", "mt_16.numerator"}
        with pytest.raises(DomainError) as both:
            reporting.enter_values(tenant, period, {ald.id: {"numerator": "3",
                                                             "missing_reason": "panne"}})  # fmt: skip
        assert set(both.value.errors) == {"mt_ald.missing_reason"}
        with pytest.raises(DomainError) as no_denominator:
            reporting.enter_values(tenant, period, {share.id: {"numerator": "3"}})
        assert set(no_denominator.value.errors) == {"mt_16.denominator"}
        assert db.session.scalar(select(func.count()).select_from(IndicatorValue)) == 0
        reporting.enter_values(tenant, period, {
            ald.id: {"missing_reason": "Requête CPAM non reçue"},
            share.id: {"numerator": "7 100", "denominator": "10000"},
        })  # fmt: skip
        reporting.submit(tenant, period)  # a missing value with its reason may be submitted
        assert reporting.snapshot(period)[str(ald.id)] == [None, None, "Requête CPAM non reçue"]


def test_periods_follow_the_calendar_and_their_due_dates(cpts):
    tenant, *_ = cpts
    with tenant_bound(tenant.id):
        with pytest.raises(DomainError):
            reporting.open_period(tenant, PeriodKind.QUARTER, date(2025, 2, 1))
        month = reporting.open_period(tenant, PeriodKind.MONTH, date(2024, 2, 1))
        assert month.ends_on == date(2024, 2, 29)
        assert reporting.open_period(tenant, PeriodKind.MONTH, date(2024, 2, 1)) is month
        assert month.timeliness(date(2024, 3, 30)) == "upcoming"
        assert month.timeliness(date(2024, 3, 31)) == "missing"


def test_the_trail_is_written_once_on_either_engine(cpts):
    tenant, ald, share = cpts
    with tenant_bound(tenant.id):
        period = reporting.open_period(tenant, PeriodKind.QUARTER, Q1)
        reporting.enter_values(tenant, period, {ald.id: {"numerator": "5"},
                                                share.id: {"numerator": 1, "denominator": 2}})  # fmt: skip
        event = reporting.submit(tenant, period)
        db.session.commit()
        event.reason = "réécrit"
        with pytest.raises(ImmutableError):
            db.session.flush()
        db.session.rollback()
        with pytest.raises(Exception, match="never changed"):
            db.session.execute(text("UPDATE period_event SET reason = 'x'"))
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(PeriodEvent)) == 1


def test_the_variable_part_earned_against_hand_computation(cpts):
    """Signed 1 March 2024: contract year 1 runs to 28 February 2025; its quarters are those of
    2024. ALD patients without a médecin traitant (a stock: the last quarter counts) were 80 at
    the end of 2024: tier "≤ 100" → €6,000, and 30 fewer would have reached "≤ 50" (+€3,000)."""
    from app.services.earnings import earnings

    tenant, ald, share = cpts
    make_contract(tenant)
    with tenant_bound(tenant.id):
        convention.record_amendment(tenant, {
            "signed_on": "2024-10-01", "effective_on": "2024-10-01", "reason": "Paliers",
            "changes": {"tier:mt_ald:1:1": "50=900000", "tier:mt_ald:1:2": "100=600000",
                        "tier:mt_ald:1:3": "219=300000"},
        })  # fmt: skip
        first, q4 = (
            reporting.open_period(tenant, PeriodKind.QUARTER, date(2024, m, 1)) for m in (1, 10)
        )
        for period, patients in ((first, 140), (q4, 80)):
            others = {  # the pathway's outcome that make_contract adds: not measured
                i.id: {"missing_reason": "Parcours pas encore démarré"}
                for i in reporting.indicators_of(period)
            }
            reporting.enter_values(tenant, period, {
                **others,
                ald.id: {"numerator": patients},
                share.id: {"numerator": 7000, "denominator": 10000},
            })  # fmt: skip
            reporting.submit(tenant, period)
        contract = convention.contract_of(tenant)
        year_1 = {(r.indicator.code, r.year.number): r for r in earnings(contract)}
        assert year_1["mt_ald", 1].earning.status == "pending"  # submitted is not validated
        reporting.validate(tenant, first)
        reporting.validate(tenant, q4)
        rows = {(r.indicator.code, r.year.number): r for r in earnings(contract)}
        ald_1 = rows["mt_ald", 1]
        assert [m.numerator if m else None for m in ald_1.measures] == [140, None, None, 80]
        assert ald_1.earning.amount_cents == 600_000
        assert (ald_1.earning.gap, ald_1.earning.more_cents) == (30, 300_000)
        assert rows["mt_16", 1].earning.status == "no_target"
        assert rows["mt_ald", 2].earning.status == "no_target"  # no tier for year 2

        # The year's values are all there: the access mission's variable part for year 1 is
        # settled at €6,000 and the schedule makes it due at the anniversary.
        due = {d.key: d.amount for d in convention.contract_of(tenant).schedule}
        assert due["variable:acces_soins:1"] == 600_000
        assert due["variable:acces_soins:2"] is None  # still waiting for its yearly review
        reporting.reopen(tenant, q4, "Erreur de requête")
        due = {d.key: d.amount for d in convention.contract_of(tenant).schedule}
        assert due["variable:acces_soins:1"] is None  # no longer settled


def test_the_referential_command_adds_the_catalogue(app):
    result = app.test_cli_runner().invoke(args=["referential", "load"])
    assert result.exit_code == 0, result.output
    assert f"{len(catalogue.CATALOGUE)} modèle(s) d'indicateur ajouté(s)" in result.output
    assert len(catalogue.templates()) == len(catalogue.CATALOGUE)


def test_tiers_typed_in_a_form_go_to_the_terms_then_by_amendment(cpts):
    tenant, ald, share = cpts
    with tenant_bound(tenant.id):
        convention.save_convention(tenant, {"reference": "ACI-1", "signed_on": "2024-03-01",
                                            "starts_on": "2024-03-01",
                                            "terms": {"running:1": 7_500_000}})  # fmt: skip
        rows = [("219", "3 000"), ("50", "9000"), ("100", "6 000,00 €")]
        set_tiers(tenant, ald, 1, rows)
        terms = convention.contract_of(tenant).terms_on(date(2024, 3, 1))
        assert terms.get("tier:mt_ald:1:1") == Tier(Decimal(219), 300_000)  # easiest first
        assert terms.get("tier:mt_ald:1:3") == Tier(Decimal(50), 900_000)
        assert terms.running(1) == 7_500_000  # the other terms are kept

        with pytest.raises(DomainError) as refused:
            set_tiers(tenant, share, 1, [("69.7", "1000"), ("72,4", "2500"), ("abc", "-1")])
        assert set(refused.value.errors) == {"threshold_3", "amount_3"}
        with pytest.raises(DomainError) as upside_down:
            set_tiers(tenant, share, 1, [("72,4", "2500"), ("69.7", "3500")])
        assert set(upside_down.value.errors) == {"tiers"}

        convention.record_amendment(tenant, {"signed_on": "2024-09-01",
                                             "effective_on": "2024-09-01", "reason": "Budget",
                                             "changes": {"running:1": 8_000_000}})  # fmt: skip
        with pytest.raises(DomainError) as needs_amendment:
            set_tiers(tenant, ald, 1, [("100", "6000"), ("219", "3000")])
        assert set(needs_amendment.value.errors) == {"tiers"}  # an amendment removes no tier
        set_tiers(tenant, ald, 1, [("60", "9000"), ("100", "6000"), ("219", "3000")],
                  {"signed_on": "2024-10-01", "effective_on": "2024-10-01",
                   "reason": "Palier le plus exigeant assoupli"})  # fmt: skip
        contract = convention.contract_of(tenant)
        assert contract.terms_on(date(2024, 9, 30)).tiers("mt_ald", 1)[2].threshold == 50
        assert contract.terms_on(date(2024, 10, 1)).tiers("mt_ald", 1)[2].threshold == 60
        assert len(contract.amendments()) == 2


def test_the_review_queue_lists_what_waits_oldest_first_within_the_reviewers_scope(
    app, auth, count_sql
):
    """Grand Narbonne (Aude, Occitanie) has a period waiting; a CPTS of the Doubs has one too:
    the ARS of Occitanie and the CPAM of the Aude see only the first."""
    narbonne = make_tenant("cpts-a")
    doubs = make_tenant("cpts-c", (BESANCON,))
    make_contract(narbonne)  # its 2024 period is submitted
    make_contract(doubs)
    with tenant_bound(narbonne.id):
        reporting.open_period(narbonne, PeriodKind.YEAR, date(2023, 1, 1))  # never submitted
        db.session.commit()
    make_user("ars@test.fr", Role.ARS, region="76")
    make_user("cpam@test.fr", Role.CPAM, departments=("11",))
    for email, url in (("ars@test.fr", "/region/76/revue/"), ("cpam@test.fr", "/cpam/revue/")):
        auth.login(email)
        with count_sql() as counter:
            page = auth.client.get(url).get_data(as_text=True)
        assert "/t/cpts-a/indicateurs/periodes/" in page and "cpts-c" not in page
        assert counter.count <= 9, counter.statements
        if url.startswith("/region/"):  # the ARS's queue is kept under the region's version
            with count_sql() as again:
                same = auth.client.get(url).get_data(as_text=True)
            assert without_tokens(same) == without_tokens(page)
            assert again.count < counter.count, again.statements
        auth.logout()
    waiting, owed = review_queue(Tenant.region_code == "76", date.today())
    assert [w.tenant_slug for w in waiting] == ["cpts-a"]
    assert [(o.tenant_slug, o.missing) for o in owed] == [("cpts-a", 1)]


def test_the_pages_refuse_bad_input_in_french_naming_the_field_and_write_nothing(cpts, auth):
    tenant, ald, share = cpts
    make_contract(tenant)
    make_user("president@test.fr", Role.PRESIDENT, tenant=tenant)
    auth.login("president@test.fr")
    client = auth.client
    refused = client.post("/t/cpts-a/indicateurs/", data={"source": "local", "code": "X!"})
    assert refused.status_code == 400
    assert "Code de 2 à 30 caractères" in refused.get_data(as_text=True)

    url = f"/t/cpts-a/indicateurs/{ald.id}/paliers"
    bad = client.post(url, data={"year": "1", "threshold_1": "cinquante", "amount_1": "9000"})
    assert bad.status_code == 400 and "Un nombre positif est attendu" in bad.get_data(as_text=True)
    page = client.get(url).get_data(as_text=True)
    assert "Avenant signé le" in page  # the convention has an amendment: tiers go by amendment
    good = client.post(url, data={
        "year": "1", "threshold_1": "100", "amount_1": "6 000", "threshold_2": "50",
        "amount_2": "9 000", "signed_on": "2024-10-01", "effective_on": "2024-10-01",
        "reason": "Paliers de l'indicateur ALD",
    })  # fmt: skip
    assert good.status_code == 302
    with tenant_bound(tenant.id):
        terms = convention.contract_of(tenant).terms_on(date(2024, 10, 1))
        assert [t.amount_cents for t in terms.tiers("mt_ald", 1)] == [600_000, 900_000]

    period = client.post("/t/cpts-a/indicateurs/periodes", data={"kind": "quarter",
                                                                  "starts_on": "2025-02"})  # fmt: skip
    assert period.status_code == 400
    assert "Une période commence le premier jour" in period.get_data(as_text=True)
    opened = client.post("/t/cpts-a/indicateurs/periodes", data={"kind": "quarter",
                                                                  "starts_on": "2025-01"})  # fmt: skip
    assert opened.status_code == 302
    values = client.post(opened.location + "/valeurs", data={f"{ald.id}.numerator": "N/A"})
    assert values.status_code == 400
    assert "Un nombre entier positif ou nul est attendu" in values.get_data(as_text=True)
    with tenant_bound(tenant.id):
        assert db.session.scalar(select(func.count()).select_from(IndicatorValue)) == 1  # 2024's


def test_the_ars_sets_its_regions_reporting_delay(cpts, auth):
    tenant, *_ = cpts
    make_user("ars@test.fr", Role.ARS, region="76")
    make_user("ars.bfc@test.fr", Role.ARS, region="27")
    auth.login("ars.bfc@test.fr")
    assert auth.client.post("/region/76/revue/delai", data={"delay": "5"}).status_code == 404
    auth.logout()
    auth.login("ars@test.fr")
    refused = auth.client.post("/region/76/revue/delai", data={"delay": "365"},
                               follow_redirects=True)  # fmt: skip
    assert "entre 1 et 120" in refused.get_data(as_text=True)
    assert "dues 30 jours après sa fin" in auth.client.get("/region/76/revue/").get_data(
        as_text=True
    )  # kept by the page cache: the change below must move the region's version
    assert auth.client.post("/region/76/revue/delai", data={"delay": "45"}).status_code == 302
    for _ in range(2):  # with its message, then from the cache
        page = auth.client.get("/region/76/revue/").get_data(as_text=True)
        assert "dues 45 jours après sa fin" in page and "dues 30 jours" not in page
    assert "<title>Revue des indicateurs · Occitanie · Observatoire CPTS</title>" in page
    with tenant_bound(tenant.id):
        period = reporting.open_period(tenant, PeriodKind.QUARTER, date(2025, 1, 1))
        assert period.due_on == date(2025, 3, 31) + timedelta(days=45)


def test_the_platform_admin_keeps_the_catalogue(app, auth):
    catalogue.load_catalogue()
    make_user("admin@test.fr", Role.ADMIN)
    make_user("ars@test.fr", Role.ARS, region="76")
    auth.login("ars@test.fr")
    assert auth.client.get("/admin/indicateurs/").status_code in (403, 404)
    auth.logout()
    auth.login("admin@test.fr")
    assert "Patients en ALD sans médecin traitant" in auth.client.get(
        "/admin/indicateurs/").get_data(as_text=True)  # fmt: skip
    data = {"code": "soins_palliatifs", "name": "Patients en soins palliatifs à domicile",
            "mission": "parcours", "unit": "count", "direction": "higher", "period": "quarter",
            "aggregation": "sum", "definition": "Patients suivis à domicile", "evidence": ""}  # fmt: skip
    assert auth.client.post("/admin/indicateurs/", data=data).status_code == 302
    twice = auth.client.post("/admin/indicateurs/", data=data)
    assert twice.status_code == 400 and "déjà celui d" in twice.get_data(as_text=True)
    template = next(t for t in catalogue.templates() if t.code == "soins_palliatifs")
    url = f"/admin/indicateurs/{template.id}"
    changed = auth.client.post(url, data={**data, "code": "autre_code", "unit": "percent"})
    assert changed.status_code == 302
    db.session.expire_all()
    template = next(t for t in catalogue.templates() if t.name.startswith("Patients en soins"))
    assert (template.code, template.unit) == ("soins_palliatifs", "percent")  # the code stays
    form = auth.client.get(url).get_data(as_text=True)
    assert '<label for="f-unit">Unité</label>' in form  # the field named, not its key
    bad = auth.client.post(url, data={**data, "unit": "litres"})
    assert bad.status_code == 400 and "Choix invalide" in bad.get_data(as_text=True)
