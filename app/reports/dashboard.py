"""The CPTS's dashboard (its home): each chart's figures as a plain table, which the page shows
under the chart and offers as CSV. Tables in the reader's language; money in cents."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.i18n import gettext
from app.models.contract import Contract
from app.models.indicator import PERIOD_STATUS_LABELS, TIMELINESS_LABELS, PeriodStatus
from app.reports.indicators import period_label
from app.services import pathways, reporting
from app.services.earnings import IndicatorYear
from app.services.pathways import INCLUDED
from app.tenants.models import Tenant


@dataclass
class Table:
    header: list[str]
    rows: list[list] = field(default_factory=list)
    money: bool = False  # amounts in cents (shown and exported in euros)
    numeric: bool = False  # counts after the first column
    masked: bool = False  # an empty count is a masked one (read from outside the CPTS)


def variable_table(rows: list[IndicatorYear]) -> Table:
    """Per contract year begun: the variable part earned, and what the tiers could pay."""
    table = Table([gettext("Année du contrat"), gettext("Gagné"), gettext("Au plus")], money=True)
    for year in sorted({r.year.number for r in rows}):
        of_year = [r for r in rows if r.year.number == year]
        best = sum(max((t.amount_cents for t in r.tiers), default=0) for r in of_year)
        table.rows.append([year, sum(r.earning.amount_cents for r in of_year), best])
    return table


def money_table(contract: Contract) -> Table:
    table = Table([gettext("Année du contrat"), gettext("Prévu"), gettext("Dû à ce jour"),
                   gettext("Reçu")], money=True)  # fmt: skip
    for year in contract.money[:-1]:
        table.rows.append([year.year, year.planned, year.due, year.received])
    return table


def pathway_table(tenant: Tenant) -> Table:
    """Patients included in each pathway, period by period (four queries)."""
    names = {p.id: p.name for p in pathways.pathways(tenant)}
    included = [
        i for i in pathways.all_outcomes(tenant) if i.code.startswith(INCLUDED)
        and i.pathway_id in names
    ]  # fmt: skip
    header = [gettext("Période"), *(names.get(i.pathway_id or 0, "") for i in included)]
    table = Table(header, numeric=True)
    for row in pathways.outcome_rows(tenant, included):
        label = period_label(row.period.kind, row.period.starts_on)
        table.rows.append([label, *(_count(row.measures.get(i.id)) for i in included)])
    return table


def _count(measure) -> int | None:
    return measure.numerator if measure is not None and not measure.missing else None


def calendar_table(tenant: Tenant, today: date) -> Table:
    """The periods still to deal with: not validated, oldest due first."""
    table = Table([gettext("Période"), gettext("À rendre le"), gettext("État"), gettext("Délai")])
    waiting = [p for p in reporting.periods(tenant) if p.status is not PeriodStatus.VALIDATED]
    for period in sorted(waiting, key=lambda p: p.due_on):
        table.rows.append([
            period_label(period.kind, period.starts_on), period.due_on,
            gettext(PERIOD_STATUS_LABELS[period.status]),
            gettext(TIMELINESS_LABELS[period.timeliness(today)]),
        ])  # fmt: skip
    return table
