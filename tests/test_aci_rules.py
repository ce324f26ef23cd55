"""The ACI's rules, computed from the recorded facts: deadlines and mission statuses, convention
status, lifecycle stage, current terms and their history, payments due, repayment."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.models.aci import Mission, Terms, default_running_budget, term_kind
from app.models.contract import (
    AmendmentRecord,
    Contract,
    ContractRecord,
    ConventionStatus,
    DueKind,
    MissionStatus,
    ProjectDates,
    Receipt,
    add_months,
)
from app.tenants.models import Stage

SIGNED = date(2024, 1, 1)  # 2024 is a leap year: contract year 1 has 366 days
TERMS = {
    "end_on": "2028-12-31",
    **{f"running:{y}": "7500000" for y in range(1, 6)},
    "fixed:acces_soins:1": "2000000",
    "fixed:acces_soins:2": "2000000",
    "variable:acces_soins:1": "1000000",
}


def contract(today: date, **changes) -> Contract:
    record = ContractRecord(
        tenant_id=1,
        has_convention=True,
        signed_on=SIGNED,
        starts_on=SIGNED,
        original=TERMS,
    )
    return Contract(ContractRecord(**{**vars(record), **changes}), today)


def test_months_are_added_as_people_count_them():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert add_months(date(2024, 11, 15), 18) == date(2026, 5, 15)


@pytest.mark.parametrize(
    ("key", "valid"),
    [
        ("end_on", True),
        ("running:5", True),
        ("fixed:parcours:3", True),
        ("variable:crise_sanitaire:1", True),
        ("conditional:2", True),
        ("included:qualite_pertinence", True),
        ("start_months:accompagnement_professionnels", True),
        ("included:acces_soins", False),  # a core mission is always in the contract
        ("running:11", False),
        ("running:0", False),
        ("fixed:unknown:1", False),
        ("end_on:1", False),
        ("", False),
    ],
)
def test_term_keys_name_only_what_a_contract_holds(key, valid):
    assert (term_kind(key) is not None) is valid


def test_default_running_budgets_follow_the_size_class_and_early_signers():
    assert default_running_budget("T3", date(2024, 1, 1), 1) == 75_000_00
    assert default_running_budget("T3", date(2021, 6, 1), 1) == 131_250_00
    assert default_running_budget("T3", date(2021, 6, 1), 3) == 75_000_00


def test_deadlines_are_counted_from_the_signature():
    states = {s.mission: s for s in contract(date(2024, 2, 1)).missions}
    assert (states[Mission.ACCESS].start_due, states[Mission.ACCESS].deploy_due) == (
        date(2024, 7, 1),
        date(2025, 7, 1),
    )
    assert states[Mission.PATHWAYS].start_due == date(2025, 1, 1)
    assert states[Mission.CRISIS].deploy_due == date(2025, 7, 1)
    assert states[Mission.QUALITY].status is MissionStatus.NOT_INCLUDED


def test_optional_missions_take_the_deadlines_of_their_contract():
    terms = {**TERMS, "included:qualite_pertinence": "true", "start_months:qualite_pertinence": "9"}
    terms["deploy_months:qualite_pertinence"] = "30"
    state = next(
        s
        for s in contract(date(2024, 2, 1), original=terms).missions
        if s.mission == "qualite_pertinence"
    )
    assert (state.start_due, state.deploy_due) == (date(2024, 10, 1), date(2026, 7, 1))


@pytest.mark.parametrize(
    ("today", "progress", "status"),
    [
        (date(2024, 7, 1) - timedelta(days=61), {}, MissionStatus.ON_TIME),
        (date(2024, 7, 1) - timedelta(days=60), {}, MissionStatus.AT_RISK),
        (date(2024, 7, 1), {}, MissionStatus.AT_RISK),
        (date(2024, 7, 2), {}, MissionStatus.LATE),
        # Started on time: the next deadline is the deployment, a year later.
        (date(2024, 7, 2), {Mission.ACCESS: (date(2024, 6, 1), None)}, MissionStatus.ON_TIME),
        (date(2025, 7, 2), {Mission.ACCESS: (date(2024, 6, 1), None)}, MissionStatus.LATE),
        (
            date(2025, 7, 2),
            {Mission.ACCESS: (date(2024, 6, 1), date(2025, 6, 1))},
            MissionStatus.DEPLOYED,
        ),
    ],
)
def test_a_mission_is_on_time_at_risk_late_or_deployed(today, progress, status):
    state = next(
        s for s in contract(today, progress=progress).missions if s.mission == "acces_soins"
    )
    assert state.status is status


def test_the_status_of_the_convention_follows_its_dates_and_events():
    amendment = AmendmentRecord(
        1, date(2025, 3, 1), date(2025, 4, 1), "Avenant", {"running:2": "1"}
    )
    termination = AmendmentRecord(
        2, date(2026, 1, 5), date(2026, 2, 1), "Résiliation", termination=True
    )
    assert contract(date(2024, 6, 1), has_convention=False).status is ConventionStatus.NONE
    assert (
        contract(date(2024, 6, 1), signed_on=None, starts_on=None).status is ConventionStatus.DRAFT
    )
    assert contract(date(2023, 12, 1)).status is ConventionStatus.DRAFT  # signature ahead
    assert contract(date(2024, 1, 5), starts_on=date(2024, 2, 1)).status is ConventionStatus.SIGNED
    assert contract(date(2025, 3, 15), amendments=(amendment,)).status is ConventionStatus.IN_FORCE
    assert contract(date(2025, 4, 1), amendments=(amendment,)).status is ConventionStatus.AMENDED
    both = (amendment, termination)
    assert contract(date(2026, 1, 31), amendments=both).status is ConventionStatus.AMENDED
    assert contract(date(2026, 2, 1), amendments=both).status is ConventionStatus.TERMINATED
    assert contract(date(2029, 1, 1)).status is ConventionStatus.EXPIRED
    # A late mission of a terminated contract is no longer chased.
    assert contract(date(2026, 2, 1), amendments=both).missions[0].status is None


def test_the_stage_is_derived_from_the_dates_and_falls_back_on_the_declared_one():
    def stage(today, project=None, **record):
        base = {"has_convention": False, "signed_on": None, "starts_on": None}
        return contract(
            today,
            project=project or ProjectDates(),
            declared_stage=Stage.PROJECT_VALIDATED,
            **(base | record),
        ).stage

    day = date(2023, 6, 1)
    assert stage(day) is Stage.PROJECT_VALIDATED  # no date: the stage chosen by hand
    assert stage(day, ProjectDates(letter_submitted_on=date(2023, 1, 5))) is Stage.LETTER_OF_INTENT
    submitted = ProjectDates(
        letter_submitted_on=date(2022, 9, 1), project_submitted_on=date(2023, 4, 28)
    )
    assert stage(day, submitted) is Stage.PROJECT_SUBMITTED
    # Deemed validated two months after submission without objection.
    assert stage(date(2023, 6, 28), submitted) is Stage.PROJECT_VALIDATED
    objected = ProjectDates(
        project_submitted_on=date(2023, 4, 28), project_objection_on=date(2023, 5, 20)
    )
    assert stage(date(2023, 9, 1), objected) is Stage.PROJECT_SUBMITTED
    # A date ahead of today is not a step reached; with nothing else, the stage is the first one.
    assert stage(day, ProjectDates(letter_submitted_on=date(2023, 7, 1))) is Stage.PROJECT_VALIDATED
    signed = {"has_convention": True, "signed_on": date(2023, 5, 1), "starts_on": date(2023, 5, 1)}
    assert stage(day, submitted, **signed) is Stage.ACI_SIGNED
    ended = AmendmentRecord(1, date(2023, 5, 10), date(2023, 5, 20), "Fin", termination=True)
    assert stage(day, submitted, amendments=(ended,), **signed) is Stage.TERMINATED


def test_current_terms_apply_the_amendments_in_order_and_the_history_shows_each_change():
    first = AmendmentRecord(
        1, date(2024, 6, 1), date(2024, 7, 1), "Hausse", {"running:2": "8000000"}
    )
    second = AmendmentRecord(
        2,
        date(2024, 9, 1),
        date(2025, 1, 1),
        "Prolongation",
        {"running:2": "8500000", "end_on": "2029-06-30"},
    )
    before = contract(date(2024, 6, 30), amendments=(second, first))
    assert before.terms.running(2) == 7_500_000
    assert contract(date(2024, 8, 1), amendments=(second, first)).terms.running(2) == 8_000_000
    after = contract(date(2025, 1, 1), amendments=(second, first))
    assert after.terms.running(2) == 8_500_000 and after.end_on == date(2029, 6, 30)
    assert len(after.years) == 6 and after.years[-1].end == date(2029, 7, 1)
    assert [(a.number, changes) for a, changes in after.history()] == [
        (1, [("running:2", "7500000", "8000000")]),
        (2, [("end_on", "2028-12-31", "2029-06-30"), ("running:2", "8000000", "8500000")]),
    ]
    assert after.original.running(2) == 7_500_000  # nothing is overwritten


def test_payments_due_follow_the_aci_rhythm():
    """Running budget from the signature; 75 % of the fixed part when the mission starts, pro
    rata of the year; at the anniversary the balance, the variable part (after the review) and
    75 % of the next year's fixed part."""
    started = {Mission.ACCESS: (date(2024, 7, 1), None)}  # 184 of the year's 366 days remain
    dues = {d.key: d for d in contract(date(2025, 3, 1), progress=started).schedule}
    assert dues["running:1"].due_on == SIGNED and dues["running:1"].amount == 7_500_000
    assert dues["running:2"].due_on == date(2025, 1, 1)
    advance = dues["advance:acces_soins:1"]
    assert (advance.due_on, advance.amount) == (date(2024, 7, 1), 2_000_000 * 75 * 184 // 36_600)
    balance = dues["balance:acces_soins:1"]
    assert balance.due_on == date(2025, 1, 1)
    assert balance.amount == 2_000_000 * 184 // 366 - advance.amount  # earned minus advanced
    assert dues["variable:acces_soins:1"].amount is None  # set by the yearly review
    assert dues["advance:acces_soins:2"].amount == 1_500_000
    assert dues["advance:acces_soins:2"].due_on == date(2025, 1, 1)
    assert dues["balance:acces_soins:2"].amount == 500_000
    assert all(d.kind is not DueKind.ADVANCE or d.mission == "acces_soins" for d in dues.values())
    assert "advance:parcours:1" not in dues  # a mission that has not started earns nothing yet


def test_planned_due_and_received_per_year_with_the_gaps():
    started = {Mission.ACCESS: (date(2024, 7, 1), None)}
    receipts = (
        Receipt(date(2024, 1, 20), 7_500_000, "running:1"),
        Receipt(date(2025, 1, 20), 1_000_000, "advance:acces_soins:2"),
        Receipt(date(2024, 8, 1), 500_000),  # unassigned: counted in the year of its date
    )
    money = contract(date(2025, 3, 1), progress=started, receipts=receipts).money
    year1, year2, total = money[0], money[1], money[-1]
    advance = 2_000_000 * 75 * 184 // 36_600
    assert year1.planned == 7_500_000 + 2_000_000 + 1_000_000
    assert year1.due == 7_500_000 + advance + (2_000_000 * 184 // 366 - advance)
    assert year1.received == 8_000_000 and year1.gap == year1.due - 8_000_000
    assert year2.due == 7_500_000 + 1_500_000 and year2.received == 1_000_000
    assert total.year == 0 and total.due == sum(y.due for y in money[:-1])
    assert total.received == 9_000_000


def test_a_termination_stops_the_payments_and_asks_back_what_was_not_earned():
    started = {Mission.ACCESS: (date(2024, 7, 1), None)}
    end = AmendmentRecord(
        1, date(2025, 3, 1), date(2025, 4, 1), "Missions non tenues", termination=True
    )
    receipts = (
        Receipt(date(2025, 1, 10), 7_500_000, "running:2"),
        Receipt(date(2025, 1, 10), 1_500_000, "advance:acces_soins:2"),
    )
    terminated = contract(date(2025, 5, 1), progress=started, amendments=(end,), receipts=receipts)
    assert all(d.due_on < date(2025, 4, 1) for d in terminated.schedule)
    assert "running:3" not in {d.key for d in terminated.schedule}
    repayment = terminated.repayment
    elapsed = (date(2025, 4, 1) - date(2025, 1, 1)).days  # 90 of 365 days of year 2
    earned = 7_500_000 * elapsed // 365 + 2_000_000 * elapsed // 365
    assert (repayment.year, repayment.earned, repayment.received) == (2, earned, 9_000_000)
    assert repayment.amount == 9_000_000 - earned
    assert contract(date(2025, 5, 1)).repayment is None


def test_terms_read_their_values_typed():
    terms = Terms({"end_on": "2029-01-01", "included:qualite_pertinence": "true", "running:1": "5"})
    assert terms.end_on == date(2029, 1, 1)
    assert terms.included(Mission.QUALITY) and not terms.included(Mission.SUPPORT)
    assert terms.included(Mission.CRISIS)
    assert terms.running(1) == 5 and terms.running(2) == 0
    assert Mission.QUALITY in terms.missions() and Mission.SUPPORT not in terms.missions()
