"""What a CPTS's recorded facts mean on a given day: its lifecycle stage, its convention's status,
each mission's deadlines and status, the current terms (original plus amendments, in order), the
payments due under the ACI rhythm, and the repayment a termination calls for.

Pure functions of a ContractRecord (plain values, loaded for one CPTS by its own pages or for
many by the CPAM and regional lists), so every screen, export and API answer agrees.
"""

from __future__ import annotations

import calendar
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

from app.models.aci import AT_RISK_DAYS, CONTRACT_YEARS, Mission, Terms
from app.tenants.models import Stage


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    if day.day <= 28:  # every month has that day
        return date(year, month, day.day)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_end(starts_on: date) -> date:
    return add_months(starts_on, 12 * CONTRACT_YEARS) - timedelta(days=1)


class ConventionStatus(enum.StrEnum):
    NONE = "sans_convention"
    DRAFT = "brouillon"
    SIGNED = "signee"  # signed, not yet started
    IN_FORCE = "en_vigueur"
    AMENDED = "avenantee"  # in force, with at least one amendment in effect
    TERMINATED = "resiliee"
    EXPIRED = "expiree"


class MissionStatus(enum.StrEnum):
    ON_TIME = "a_l_heure"
    AT_RISK = "a_risque"  # a deadline within AT_RISK_DAYS, not met
    LATE = "en_retard"  # a deadline passed, not met
    DEPLOYED = "deployee"
    NOT_INCLUDED = "non_retenue"


class DueKind(enum.StrEnum):
    RUNNING = "fonctionnement"  # the year's running budget
    ADVANCE = "avance"  # 75 % of a mission's fixed part, pro rata
    BALANCE = "solde"  # the rest of a year's fixed part, at the anniversary
    VARIABLE = "variable"  # a year's variable part, once the yearly review has set it


@dataclass(frozen=True)
class ProjectDates:
    letter_submitted_on: date | None = None
    letter_validated_on: date | None = None
    project_submitted_on: date | None = None
    project_validated_on: date | None = None
    project_objection_on: date | None = None
    association_registered_on: date | None = None

    def validated_on(self) -> date | None:
        """Validated by the ARS, or deemed validated two months after submission without an
        objection."""
        if self.project_validated_on or not self.project_submitted_on:
            return self.project_validated_on
        return None if self.project_objection_on else add_months(self.project_submitted_on, 2)


@dataclass(frozen=True)
class AmendmentRecord:
    number: int
    signed_on: date
    effective_on: date
    reason: str
    changes: Mapping[str, str] = field(default_factory=dict)
    termination: bool = False
    id: int | None = None
    created_by: str | None = None
    created_at: datetime | None = None


@dataclass(frozen=True)
class Receipt:
    received_on: date
    amount: int
    due_key: str | None = None
    note: str | None = None
    id: int | None = None


@dataclass(frozen=True)
class ContractRecord:
    """Everything recorded about one CPTS's project and contract."""

    tenant_id: int
    declared_stage: Stage = Stage.EMERGENCE
    project: ProjectDates = ProjectDates()
    has_convention: bool = False
    reference: str | None = None
    signed_on: date | None = None
    starts_on: date | None = None
    original: Mapping[str, str] = field(default_factory=dict)
    amendments: tuple[AmendmentRecord, ...] = ()
    progress: Mapping[Mission, tuple[date | None, date | None]] = field(default_factory=dict)
    receipts: tuple[Receipt, ...] = ()
    # Variable parts settled by the validated values: (mission, contract year) -> cents
    variable: Mapping[tuple[Mission, int], int] = field(default_factory=dict)


@dataclass(frozen=True)
class ContractYear:
    number: int
    start: date
    end: date  # exclusive: the anniversary

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def holds(self, day: date) -> bool:
        return self.start <= day < self.end


@dataclass(frozen=True)
class MissionState:
    mission: Mission
    included: bool
    start_due: date | None
    deploy_due: date | None
    started_on: date | None
    deployed_on: date | None
    status: MissionStatus | None  # None: no contract running to be late against

    @property
    def next_deadline(self) -> date | None:
        if not self.included or self.deployed_on:
            return None
        return self.deploy_due if self.started_on else self.start_due


@dataclass(frozen=True)
class DuePayment:
    key: str  # stable: a receipt names the due payment it settles by this key
    kind: DueKind
    year: int
    due_on: date
    amount: int | None  # None: the variable part, until the yearly review sets it
    mission: Mission | None = None


@dataclass(frozen=True)
class MoneyYear:
    year: int  # 0 for the total
    planned: int
    conditional: int
    due: int
    received: int

    @property
    def gap(self) -> int:
        return self.due - self.received


@dataclass(frozen=True)
class Repayment:
    year: int
    earned: int  # what the days before termination earned, pro rata
    received: int
    amount: int  # received beyond what was earned


class Contract:
    """A ContractRecord read on a given day."""

    def __init__(self, record: ContractRecord, today: date):
        self.record, self.today = record, today

    # -- terms and amendments
    def amendments(self) -> list[AmendmentRecord]:
        return sorted(self.record.amendments, key=lambda a: a.number)

    @cached_property
    def original(self) -> Terms:
        return Terms(self.record.original)

    def terms_on(self, day: date) -> Terms:
        terms = self.original
        for amendment in self.amendments():
            if not amendment.termination and amendment.effective_on <= day:
                terms = terms.applied(amendment.changes)
        return terms

    @cached_property
    def terms(self) -> Terms:
        return self.terms_on(self.today)

    def history(self) -> list[tuple[AmendmentRecord, list[tuple[str, str | None, str]]]]:
        """Each amendment with each term it changes: (key, value before, value after)."""
        values: dict[str, str] = dict(self.record.original)
        rows = []
        for amendment in self.amendments():
            changes = [(k, values.get(k), v) for k, v in sorted(amendment.changes.items())]
            values.update(amendment.changes)
            rows.append((amendment, changes))
        return rows

    @cached_property
    def termination(self) -> AmendmentRecord | None:
        return next((a for a in self.record.amendments if a.termination), None)

    # -- status and lifecycle
    @cached_property
    def starts_on(self) -> date | None:
        return self.record.starts_on or self.record.signed_on

    @cached_property
    def end_on(self) -> date | None:
        if self.starts_on is None:
            return None
        return self.terms.end_on or default_end(self.starts_on)

    @cached_property
    def status(self) -> ConventionStatus:
        record, today = self.record, self.today
        if not record.has_convention:
            return ConventionStatus.NONE
        if record.signed_on is None or record.signed_on > today:
            return ConventionStatus.DRAFT
        if self.termination and self.termination.effective_on <= today:
            return ConventionStatus.TERMINATED
        if self.end_on and self.end_on < today:
            return ConventionStatus.EXPIRED
        if self.starts_on and self.starts_on > today:
            return ConventionStatus.SIGNED
        amended = any(not a.termination and a.effective_on <= today for a in self.record.amendments)
        return ConventionStatus.AMENDED if amended else ConventionStatus.IN_FORCE

    @property
    def running(self) -> bool:
        return self.status in (ConventionStatus.IN_FORCE, ConventionStatus.AMENDED)

    @cached_property
    def stage(self) -> Stage:
        """Derived from the dates wherever one exists; the stage chosen by hand otherwise."""
        record, today, project = self.record, self.today, self.record.project
        past = [d for d in vars(project).values() if d is not None and d <= today]
        signed = record.signed_on is not None and record.signed_on <= today
        if not past and not signed and self.status is not ConventionStatus.TERMINATED:
            return record.declared_stage
        if self.status is ConventionStatus.TERMINATED:
            return Stage.TERMINATED
        if signed:
            return Stage.ACI_SIGNED
        validated = project.validated_on()
        if validated and validated <= today:
            return Stage.PROJECT_VALIDATED
        if project.project_submitted_on and project.project_submitted_on <= today:
            return Stage.PROJECT_SUBMITTED
        letter = project.letter_submitted_on or project.letter_validated_on
        return Stage.LETTER_OF_INTENT if letter and letter <= today else Stage.EMERGENCE

    # -- missions
    @cached_property
    def missions(self) -> list[MissionState]:
        return [self._mission(mission) for mission in Mission]

    def _mission(self, mission: Mission) -> MissionState:
        included = self.terms.included(mission)
        started, deployed = self.record.progress.get(mission, (None, None))
        deadlines = self.terms.deadlines(mission)
        signed = self.record.signed_on
        start_due = add_months(signed, deadlines[0]) if signed and deadlines else None
        deploy_due = add_months(signed, deadlines[1]) if signed and deadlines else None
        state = MissionState(mission, included, start_due, deploy_due, started, deployed, None)
        status = self._mission_status(state)
        return MissionState(mission, included, start_due, deploy_due, started, deployed, status)

    def _mission_status(self, state: MissionState) -> MissionStatus | None:
        if not state.included:
            return MissionStatus.NOT_INCLUDED
        if state.deployed_on:
            return MissionStatus.DEPLOYED
        if not self.running:
            return None
        deadline = state.next_deadline
        if deadline is None or deadline - self.today > timedelta(days=AT_RISK_DAYS):
            return MissionStatus.ON_TIME
        return MissionStatus.LATE if deadline < self.today else MissionStatus.AT_RISK

    def count_missions(self, status: MissionStatus) -> int:
        return sum(1 for state in self.missions if state.status is status)

    # -- money
    @cached_property
    def years(self) -> list[ContractYear]:
        if self.starts_on is None or self.end_on is None:
            return []
        years: list[ContractYear] = []
        start = self.starts_on
        while start <= self.end_on:
            end = min(add_months(self.starts_on, 12 * (len(years) + 1)), self.end_on + timedelta(1))
            years.append(ContractYear(len(years) + 1, start, end))
            start = end
        return years

    def year_of(self, day: date) -> ContractYear | None:
        if not self.years:
            return None
        if day < self.years[0].start:
            return self.years[0]
        return next((y for y in self.years if y.holds(day)), self.years[-1])

    @cached_property
    def schedule(self) -> list[DuePayment]:
        """Every payment the contract makes due, in date order; none after a termination."""
        if self.record.signed_on is None or not self.years:
            return []
        terms, signed = self.terms, self.record.signed_on
        dues = [
            DuePayment(f"running:{y.number}", DueKind.RUNNING, y.number,
                       signed if y.number == 1 else y.start, terms.running(y.number))
            for y in self.years
        ]  # fmt: skip
        for state in self.missions:
            if state.included and state.started_on:
                dues += self._mission_dues(
                    state.mission, max(state.started_on, self.years[0].start)
                )
        end = self.termination.effective_on if self.termination else None
        kept = [d for d in dues if end is None or d.due_on < end]
        return sorted(kept, key=lambda d: (d.due_on, d.year, d.key))

    def _mission_dues(self, mission: Mission, started: date) -> list[DuePayment]:
        terms, dues = self.terms, []
        first = self.year_of(started)
        assert first is not None
        for year in self.years[first.number - 1 :]:
            fixed = terms.fixed(mission, year.number)
            share = (year.end - started).days if year is first else year.days
            earned = fixed * share // year.days
            advance = fixed * 75 * share // (100 * year.days)
            m = mission.value
            if year is first:
                dues.append(DuePayment(f"advance:{m}:{year.number}", DueKind.ADVANCE,
                                       year.number, started, advance, mission))  # fmt: skip
            dues.append(DuePayment(f"balance:{m}:{year.number}", DueKind.BALANCE, year.number,
                                   year.end, earned - advance, mission))  # fmt: skip
            settled = self.record.variable.get((mission, year.number))
            dues.append(DuePayment(f"variable:{m}:{year.number}", DueKind.VARIABLE, year.number,
                                   year.end, settled, mission))  # fmt: skip
            if year.number < len(self.years):
                following = year.number + 1
                amount = terms.fixed(mission, following) * 75 // 100
                dues.append(DuePayment(f"advance:{m}:{following}", DueKind.ADVANCE, following,
                                       year.end, amount, mission))  # fmt: skip
        return dues

    @cached_property
    def _due_years(self) -> dict[str, int]:
        return {due.key: due.year for due in self.schedule}

    def receipt_year(self, receipt: Receipt) -> int | None:
        if receipt.due_key in self._due_years:
            return self._due_years[receipt.due_key]
        year = self.year_of(receipt.received_on)
        return year.number if year else None

    @cached_property
    def money(self) -> list[MoneyYear]:
        """Planned, due (by today) and received per contract year, then the total."""
        terms, rows = self.terms, []
        received: dict[int | None, int] = {}
        for receipt in self.record.receipts:
            number = self.receipt_year(receipt)
            received[number] = received.get(number, 0) + receipt.amount
        due: dict[int, int] = {}
        for payment in self.schedule:
            if payment.due_on <= self.today:
                due[payment.year] = due.get(payment.year, 0) + (payment.amount or 0)
        missions = terms.missions()
        for year in self.years:
            n = year.number
            planned = terms.running(n) + sum(
                terms.fixed(m, n) + terms.variable(m, n) for m in missions
            )
            rows.append(
                MoneyYear(n, planned, terms.conditional(n), due.get(n, 0), received.get(n, 0))
            )
        total = MoneyYear(
            0,
            sum(r.planned for r in rows),
            sum(r.conditional for r in rows),
            sum(r.due for r in rows),
            sum(received.values()),
        )
        return [*rows, total]

    @property
    def current_year(self) -> ContractYear | None:
        if self.starts_on is None or self.today < self.starts_on:
            return None
        return self.year_of(self.today)

    def money_of(self, year: ContractYear | None) -> MoneyYear | None:
        return None if year is None else self.money[year.number - 1]

    @cached_property
    def repayment(self) -> Repayment | None:
        """On termination, what was received for the year of termination beyond what its days
        earned: the running budget and each started mission's fixed part, pro rata."""
        if self.termination is None or not self.years:
            return None
        end = self.termination.effective_on
        year = self.year_of(end)
        assert year is not None
        n, elapsed = year.number, max(0, (end - year.start).days)
        earned = self.terms.running(n) * elapsed // year.days
        for state in self.missions:
            if state.included and state.started_on and state.started_on < end:
                active = max(0, (end - max(state.started_on, year.start)).days)
                earned += self.terms.fixed(state.mission, n) * active // year.days
        received = sum(r.amount for r in self.record.receipts if self.receipt_year(r) == n)
        return Repayment(n, earned, received, max(0, received - earned))
