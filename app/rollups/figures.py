"""A CPTS's figures month by month, computed from its own data (the CPTS bound: four reads) by
the same rules as its own pages: members active on a day, the contract read on a day
(app.models.contract), reporting periods against their due dates, validated values."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models.contract import Contract, ContractRecord, MissionStatus, add_months
from app.models.indicator import (
    Indicator,
    IndicatorTemplate,
    IndicatorValue,
    PeriodStatus,
    ReportingPeriod,
)
from app.models.member import membership_periods
from app.services.convention import contract_record
from app.tenants.models import Tenant


def month_of(day: date) -> date:
    return day.replace(day=1)


def month_end(month: date) -> date:
    return add_months(month, 1) - timedelta(days=1)


@dataclass(frozen=True)
class Sources:
    """What one CPTS's months are computed from."""

    memberships: list  # (profession, joined_on, left_on)
    record: ContractRecord
    periods: list  # (due_on, submitted_at)
    values: list  # (template code, period end, numerator, denominator)


def read_sources(tenant: Tenant) -> Sources:
    """The CPTS's data, read bound to it (the tenancy guard filters every statement)."""
    periods = membership_periods()
    memberships = list(db.session.execute(
        select(periods.c.profession, periods.c.joined_on, periods.c.left_on)
    ))  # fmt: skip
    reporting = list(db.session.execute(
        select(ReportingPeriod.due_on, ReportingPeriod.submitted_at)
    ))  # fmt: skip
    values = list(db.session.execute(
        select(IndicatorTemplate.code, ReportingPeriod.ends_on, IndicatorValue.numerator,
               IndicatorValue.denominator)
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .join(IndicatorTemplate, IndicatorTemplate.id == Indicator.template_id)
        .join(ReportingPeriod, ReportingPeriod.id == IndicatorValue.period_id)
        .where(ReportingPeriod.status == PeriodStatus.VALIDATED,
               IndicatorValue.numerator.is_not(None))
    ))  # fmt: skip
    return Sources(memberships, contract_record(tenant), reporting, values)


def month_figures(tenant: Tenant, today: date) -> dict[date, dict]:
    """{first day of month: figures} from the CPTS's first month to the current one, then the
    later months where money is planned."""
    return compute(read_sources(tenant), today)


def compute(sources: Sources, today: date) -> dict[date, dict]:
    current = month_of(today)
    money = _money(Contract(sources.record, today), today)
    months: dict[date, dict] = {}
    month = _first_month(sources, current)
    while month <= current:
        day = min(month_end(month), today)
        months[month] = {
            **_members(sources.memberships, month, day),
            **_contract(Contract(sources.record, day), day),
            **money.get(month, _NO_MONEY),
            **_reporting(sources.periods, month, day),
            "indicators": _values(sources.values, month),
        }
        month = add_months(month, 1)
    for later, amounts in sorted(money.items()):
        if later > current and amounts["planned"]:
            months[later] = {**_EMPTY, **amounts}
    return months


_NO_MONEY = {"planned": 0, "due": 0, "paid": 0}
_EMPTY = {
    "members": 0, "professions": {}, "arrivals": 0, "departures": 0, "stage": None,
    "convention": None, "signed_on": None, "amendments": 0, "missions_on_time": 0, "missions_at_risk": 0,
    "missions_late": 0, "periods_due": 0, "periods_submitted": 0, "periods_on_time": 0,
    "indicators": {},
}  # fmt: skip


def _first_month(sources: Sources, current: date) -> date:
    record = sources.record
    known = [joined for _p, joined, _l in sources.memberships]
    known += [due for due, _s in sources.periods]
    known += [d for d in (record.signed_on, record.starts_on, *vars(record.project).values()) if d]
    return min(month_of(min(known)), current) if known else current


def _members(memberships: list, month: date, day: date) -> dict:
    active: Counter[str] = Counter()
    arrivals = departures = 0
    for profession, joined, left in memberships:
        if joined <= day and (left is None or left > day):
            active[str(profession)] += 1
        arrivals += month <= joined <= day
        departures += left is not None and month <= left <= day
    return {"members": sum(active.values()), "professions": dict(sorted(active.items())),
            "arrivals": arrivals, "departures": departures}  # fmt: skip


def _contract(contract: Contract, day: date) -> dict:
    signed = contract.record.signed_on
    return {
        "stage": contract.stage.value,
        "convention": contract.status.value,
        "signed_on": signed if signed and signed <= day else None,
        "amendments": sum(
            1
            for a in contract.record.amendments
            if not a.termination and day.replace(day=1) <= a.signed_on <= day
        ),
        "missions_on_time": contract.count_missions(MissionStatus.ON_TIME),
        "missions_at_risk": contract.count_missions(MissionStatus.AT_RISK),
        "missions_late": contract.count_missions(MissionStatus.LATE),
    }


def _money(contract: Contract, today: date) -> dict[date, dict]:
    """Planned (each contract year's total, in the month it starts), due (payments falling due
    in the month, by today) and paid (receipts of the month), in cents."""
    money: dict[date, dict] = {}

    def add(day: date, name: str, amount: int) -> None:
        money.setdefault(month_of(day), dict(_NO_MONEY))[name] += amount

    for year, row in zip(contract.years, contract.money, strict=False):
        add(year.start, "planned", row.planned)
    for payment in contract.schedule:
        if payment.due_on <= today and payment.amount:
            add(payment.due_on, "due", payment.amount)
    for receipt in contract.record.receipts:
        add(receipt.received_on, "paid", receipt.amount)
    return money


def _reporting(periods: list, month: date, day: date) -> dict:
    due = [(d, at) for d, at in periods if month <= d <= day]
    submitted = [(d, at) for d, at in due if at is not None]
    return {
        "periods_due": len(due),
        "periods_submitted": len(submitted),
        "periods_on_time": sum(1 for d, at in submitted if at.date() <= d),
    }


def _values(values: list, month: date) -> dict:
    found: dict[str, list] = {}
    for code, ends_on, numerator, denominator in values:
        if month_of(ends_on) == month:
            total = found.setdefault(code, [0, None])
            total[0] += numerator
            if denominator is not None:
                total[1] = (total[1] or 0) + denominator
    return dict(sorted(found.items()))
