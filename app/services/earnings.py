"""The variable part a CPTS earned: for each indicator and contract year, the year's validated
value against the tiers in force at the year's end, and how each euro was earned (three
queries whatever the number of indicators, periods and values); and, once a year's values are
all validated, the mission's variable part settled, which the convention's schedule makes due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models.aci import Mission
from app.models.contract import Contract, ContractYear
from app.models.convention import VariableEarned
from app.models.indicator import (
    MONTHS,
    Indicator,
    IndicatorValue,
    PeriodKind,
    PeriodStatus,
    ReportingPeriod,
)
from app.models.targets import Earning, EarningStatus, Measure, Tier, earning, year_measure
from app.services.convention import contract_of
from app.tenants.context import for_tenant
from app.tenants.models import Tenant


@dataclass(frozen=True)
class IndicatorYear:
    indicator: Indicator
    year: ContractYear
    measures: list[Measure | None]  # per period ending in the year, None if not validated
    measure: Measure | None
    tiers: list[Tier]  # in force at the year's end
    earning: Earning


def period_starts(kind: PeriodKind, year: ContractYear) -> list[date]:
    """The calendar periods of `kind` ending within the contract year, by their first day."""
    months = MONTHS[kind]
    start = date(year.start.year - 1, 1, 1)
    starts = []
    while start < year.end:
        month = start.month - 1 + months
        following = date(start.year + month // 12, month % 12 + 1, 1)
        if year.holds(following - timedelta(days=1)):
            starts.append(start)
        start = following
    return starts


def earnings(contract: Contract) -> list[IndicatorYear]:
    """Every indicator of the bound CPTS, for every contract year begun by the contract's day."""
    years = [y for y in contract.years if y.start <= contract.today]
    if not years:
        return []
    indicators = list(db.session.scalars(select(Indicator).order_by(Indicator.code)))
    periods = {
        (p.kind, p.starts_on): p
        for p in db.session.scalars(
            select(ReportingPeriod).where(ReportingPeriod.status == PeriodStatus.VALIDATED)
        )
    }
    stored = IndicatorValue
    columns = (stored.period_id, stored.indicator_id, stored.numerator, stored.denominator,
               stored.missing_reason)  # fmt: skip
    validated = (ReportingPeriod.id == stored.period_id) & (
        ReportingPeriod.status == PeriodStatus.VALIDATED
    )
    values = {
        (v.period_id, v.indicator_id): Measure(v.numerator, v.denominator, v.missing_reason)
        for v in db.session.execute(select(*columns).join(ReportingPeriod, validated))
    }
    # The tiers in force at each year's end, read once per year (not per indicator).
    terms = {y.number: contract.terms_on(y.end - timedelta(days=1)) for y in years}
    rows = []
    for indicator in indicators:
        for year in years:
            measures = []
            for start in period_starts(indicator.period, year):
                period = periods.get((indicator.period, start))
                measures.append(values.get((period.id, indicator.id)) if period else None)
            measure = year_measure(measures, indicator.aggregation)
            tiers = terms[year.number].tiers(indicator.code, year.number)
            value = measure.value(indicator.unit) if measure else None
            rows.append(IndicatorYear(indicator, year, measures, measure, tiers,
                                      earning(value, tiers, indicator.direction)))  # fmt: skip
    return rows


def settled(rows: list[IndicatorYear]) -> dict[tuple[Mission, int], int]:
    """The variable part of each mission and contract year whose every indicator with tiers has
    its year's value (a tier reached, or none): the sum they earned. A year still waiting for a
    value is not settled."""
    found: dict[tuple[Mission, int], list[IndicatorYear]] = {}
    for row in rows:
        if row.earning.status is not EarningStatus.NO_TARGET:
            found.setdefault((row.indicator.mission, row.year.number), []).append(row)
    return {
        key: sum(r.earning.amount_cents for r in of_year)
        for key, of_year in found.items()
        if all(r.earning.status is not EarningStatus.PENDING for r in of_year)
    }


@for_tenant
def settle(tenant: Tenant) -> dict[tuple[Mission, int], int]:
    """Bring the variable parts the schedule makes due in line with the validated values (after
    a validation, a reopening, a change of tiers)."""
    wanted = settled(earnings(contract_of(tenant)))
    stored = {(v.mission, v.year): v for v in db.session.scalars(select(VariableEarned))}
    for key, row in stored.items():
        if key not in wanted:
            db.session.delete(row)
        elif row.amount_cents != wanted[key]:
            row.amount_cents = wanted[key]
    for (mission, year), amount in wanted.items():
        if (mission, year) not in stored:
            db.session.add(VariableEarned(mission=mission, year=year, amount_cents=amount))
    db.session.flush()
    return wanted
