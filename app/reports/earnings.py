"""The variable part a CPTS earned: for each indicator and contract year, the year's validated
value against the tiers in force at the year's end, and how each euro was earned (three
queries whatever the number of indicators, periods and values)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models.contract import Contract, ContractYear
from app.models.indicator import (
    Indicator,
    IndicatorValue,
    PeriodKind,
    PeriodStatus,
    ReportingPeriod,
)
from app.models.targets import Earning, Measure, earning, year_measure
from app.services.reporting import MONTHS


@dataclass(frozen=True)
class IndicatorYear:
    indicator: Indicator
    year: ContractYear
    measures: list[Measure | None]  # per period ending in the year, None if not validated
    measure: Measure | None
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
            rows.append(
                IndicatorYear(
                    indicator, year, measures, measure, earning(value, tiers, indicator.direction)
                )
            )
    return rows
