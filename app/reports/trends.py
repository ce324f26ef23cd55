"""The regional pages' figures over time, from the monthly rollups: membership growth (region and
each CPTS, by profession, in counts or per 10,000 inhabitants), conventions (signatures, status,
money and amendments by year) and outcomes per catalogue template (small counts masked)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app import privacy
from app.extensions import db
from app.i18n import gettext
from app.models.contract import add_months
from app.models.indicator import IndicatorTemplate
from app.models.rollup import CptsMonth
from app.models.targets import Unit
from app.reports.dashboard import Table
from app.reports.overview import OverviewRow, median_of, per_10k
from app.rollups.figures import month_of
from app.rollups.regional import month_series
from app.schemas.convention import STATUS_LABELS
from app.schemas.member import PROFESSION_LABELS
from app.tenants.models import Tenant

GROWTH_MONTHS = 60  # five years
LARGEST = 5  # professions shown apart; the others together


# -- membership growth


@dataclass
class Growth:
    months: list[date]
    groups: list[str]  # the largest professions, then the others
    region: Table  # month, each group, total (and per 10,000 inhabitants)
    cpts: dict[int, list[int | None]]  # tenant id -> members month by month
    table: Table  # a row per CPTS: a year ago, now, growth, per 10,000


def growth_months(today: date) -> list[date]:
    current = month_of(today)
    return [add_months(current, -n) for n in range(GROWTH_MONTHS - 1, -1, -1)]


def member_counts(tenant_ids: list[int], today: date) -> tuple[list[date], dict]:
    """The months of growth() and the members of each CPTS month by month (None: no figure)."""
    months = growth_months(today)
    index = {m: i for i, m in enumerate(months)}
    counts: dict[int, list[int | None]] = {t: [None] * len(months) for t in tenant_ids}
    for tenant_id, month, members in month_series(
        Tenant.id.in_(tenant_ids), months[0], months[-1], CptsMonth.members
    ):
        counts[tenant_id][index[month]] = members
    return months, counts


def growth(rows: list[OverviewRow], today: date, profession: str | None = None) -> Growth:
    months = growth_months(today)
    current = months[-1]
    index = {m: i for i, m in enumerate(months)}
    by_tenant = {r.tenant.id: r for r in rows}
    totals: dict[str, list[int]] = defaultdict(lambda: [0] * len(months))
    cpts: dict[int, list[int | None]] = {t: [None] * len(months) for t in by_tenant}
    for tenant_id, month, professions in month_series(
        Tenant.id.in_(list(by_tenant)), months[0], current, CptsMonth.professions
    ):
        counts = {p: n for p, n in professions.items() if profession in (None, p)}
        for name, count in counts.items():
            totals[name][index[month]] += count
        cpts[tenant_id][index[month]] = sum(counts.values())
    latest = sorted(totals, key=lambda p: -totals[p][-1])
    groups = [_profession(p) for p in latest[:LARGEST]]
    columns = [totals[p] for p in latest[:LARGEST]]
    if len(latest) > LARGEST:
        groups.append(gettext("Autres professions"))
        columns.append([sum(totals[p][i] for p in latest[LARGEST:]) for i in range(len(months))])
    population = sum(r.tenant.population for r in rows)
    region = Table([gettext("Mois"), *groups, gettext("Total"),
                    gettext("Pour 10 000 habitants")], numeric=True)  # fmt: skip
    for i, month in enumerate(months):
        total = sum(column[i] for column in columns)
        region.rows.append([month, *(column[i] for column in columns), total,
                            per_10k(total, population)])  # fmt: skip
    return Growth(months, groups, region, cpts, _growth_table(rows, cpts))


def _profession(code: str) -> str:
    label = PROFESSION_LABELS.get(code)  # type: ignore[call-overload]
    return gettext(label) if label else code


def _growth_table(rows: list[OverviewRow], cpts: dict[int, list[int | None]]) -> Table:
    table = Table([gettext("CPTS"), gettext("Il y a 12 mois"), gettext("Ce mois-ci"),
                   gettext("Croissance (%)"), gettext("Pour 10 000 habitants")],
                  numeric=True)  # fmt: skip
    for row in rows:
        series = cpts[row.tenant.id]
        before, now = series[-13], series[-1] or 0
        change = round((now - before) * 100 / before, 1) if before else None
        table.rows.append([row.tenant.name, before, now, change,
                           per_10k(now, row.tenant.population)])  # fmt: skip
    return table


# -- conventions


@dataclass
class Conventions:
    years: Table  # year, signatures, cumulative, amendments
    signatures: list[tuple[date, int]]  # month, cumulative count
    statuses: Table  # status, CPTS
    money: Table  # year, planned, due, paid (cents)


def conventions(rows: list[OverviewRow], today: date) -> Conventions:
    ids = [r.tenant.id for r in rows]
    signed = sorted(r.current.signed_on for r in rows if r.current.signed_on)
    by_month = Counter(month_of(day) for day in signed)
    cumulative, running = [], 0
    for month in sorted(by_month):
        running += by_month[month]
        cumulative.append((month, running))
    if cumulative and cumulative[-1][0] < month_of(today):
        cumulative.append((month_of(today), running))  # the line runs to this month
    money: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    amendments: Counter[int] = Counter()
    for _tenant, month, planned, due, paid, amended in month_series(
        Tenant.id.in_(ids), date(2000, 1, 1), date(2100, 1, 1), CptsMonth.planned,
        CptsMonth.due, CptsMonth.paid, CptsMonth.amendments,
    ):  # fmt: skip
        totals = money[month.year]
        totals[0], totals[1], totals[2] = totals[0] + planned, totals[1] + due, totals[2] + paid
        amendments[month.year] += amended
    years = Table([gettext("Année"), gettext("Signatures"), gettext("Cumul"),
                   gettext("Avenants signés")], numeric=True)  # fmt: skip
    signed_years = Counter(day.year for day in signed)
    total = 0
    for year in sorted(set(signed_years) | set(amendments)):
        total += signed_years[year]
        years.rows.append([year, signed_years[year], total, amendments[year]])
    statuses = Table([gettext("Statut de la convention"), gettext("CPTS")], numeric=True)
    counted = Counter(r.current.convention or "sans_convention" for r in rows)
    for status, label in STATUS_LABELS.items():
        if counted[status.value]:
            statuses.rows.append([gettext(label), counted[status.value]])
    table = Table([gettext("Année"), gettext("Prévu"), gettext("Dû"), gettext("Versé")],
                  money=True)  # fmt: skip
    for year in sorted(money):
        if any(money[year]):
            table.rows.append([year, *money[year]])
    return Conventions(years, cumulative, statuses, table)


# -- outcomes per catalogue template


@dataclass(frozen=True)
class Outcome:
    """A CPTS's value for a template over twelve months, and over the twelve before."""

    row: OverviewRow
    value: float | None  # None: masked or not reported
    base: int | None  # the denominator (rates) or the count (per 10,000), masked when small
    previous: float | None
    masked: bool

    @property
    def trend(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return round(self.value - self.previous, 1)


@dataclass
class Outcomes:
    templates: list[TemplateFacts]  # those with values in the region
    template: TemplateFacts | None  # the one shown
    results: list[Outcome]
    median: float | None
    reported: int  # CPTS with a value


def _value(unit: Unit, numerator: int, denominator: int | None, population: int):
    """(value, base) as an outside reader may see them (None, None: masked)."""
    if unit is Unit.COUNT:
        shown = privacy.count(numerator)
        return (per_10k(shown, population), shown) if shown is not None else (None, None)
    numerator_shown, denominator_shown = privacy.rate(numerator, denominator)
    if numerator_shown is None or not denominator_shown:
        return None, None
    scale = 100 if unit is Unit.PERCENT else 1000
    return round(numerator_shown * scale / denominator_shown, 1), denominator_shown


def outcome_sums(ids: list[int], today: date) -> dict[int, dict[str, list[list]]]:
    """tenant id -> template code -> [[numerator, denominator] last 12 months, [...] before]."""
    current = month_of(today)
    split = add_months(current, -11)
    found: dict[int, dict[str, list[list]]] = defaultdict(dict)
    for tenant_id, month, values in month_series(
        Tenant.id.in_(ids), add_months(current, -23), current, CptsMonth.indicators
    ):
        for code, (numerator, denominator) in values.items():
            sums = found[tenant_id].setdefault(code, [[0, None], [0, None]])[month < split]
            sums[0] += numerator
            if denominator is not None:
                sums[1] = (sums[1] or 0) + denominator
    return found


@dataclass(frozen=True)
class TemplateFacts:
    """What the regional pages show of a catalogue template: plain values, which a page may keep
    beyond the request that read them (a change of the catalogue moves every region's version)."""

    code: str
    name: str
    unit: Unit


def templates() -> list[TemplateFacts]:
    found = select(IndicatorTemplate.code, IndicatorTemplate.name, IndicatorTemplate.unit)
    return [
        TemplateFacts(*row) for row in db.session.execute(found.order_by(IndicatorTemplate.name))
    ]


def outcome_of(row: OverviewRow, template: TemplateFacts, sums: dict) -> Outcome:
    periods = sums.get(row.tenant.id, {}).get(template.code)
    if not periods or not periods[0][0] and periods[0][1] is None:
        return Outcome(row, None, None, None, False)
    (numerator, denominator), (before, before_base) = periods
    value, base = _value(template.unit, numerator, denominator, row.tenant.population)
    previous = None
    if before or before_base:
        previous = _value(template.unit, before, before_base, row.tenant.population)[0]
    return Outcome(row, value, base, previous, value is None)


def outcomes(rows: list[OverviewRow], today: date, code: str | None,
             sums: dict | None = None) -> Outcomes:  # fmt: skip
    """`sums`: outcome_sums() of the rows, when the caller has them already."""
    if sums is None:
        sums = outcome_sums([r.tenant.id for r in rows], today)
    present = {c for codes in sums.values() for c in codes}
    shown = [t for t in templates() if t.code in present]
    template = next((t for t in shown if t.code == code), shown[0] if shown else None)
    if template is None:
        return Outcomes(shown, None, [], None, 0)
    results = [outcome_of(r, template, sums) for r in rows]
    median = median_of(o.value for o in results)
    reported = sum(1 for o in results if o.value is not None or o.masked)
    return Outcomes(shown, template, results, median, reported)


def outcome_medians(rows: list[OverviewRow], sums: dict) -> dict[str, float | None]:
    """The regional median of each catalogue template that has values (code -> median)."""
    present = {code for codes in sums.values() for code in codes}
    return {
        t.code: median_of(outcome_of(r, t, sums).value for r in rows)
        for t in templates() if t.code in present
    }  # fmt: skip


def outcome_table(found: Outcomes) -> Table:
    unit = unit_label(found.template.unit) if found.template else ""
    table = Table([gettext("CPTS"), unit, gettext("Base"), gettext("12 mois précédents"),
                   gettext("Évolution")], numeric=True, masked=True)  # fmt: skip
    for o in found.results:
        if o.value is not None or o.masked:
            known = [o.previous, o.trend]  # None there: not reported (masked shows as such)
            table.rows.append(
                [o.row.tenant.name, o.value, o.base, *("—" if v is None else v for v in known)]
            )
    return table


def unit_label(unit: Unit) -> str:
    return {
        Unit.PERCENT: gettext("Taux (%)"),
        Unit.PER_THOUSAND: gettext("Pour 1 000"),
        Unit.COUNT: gettext("Pour 10 000 habitants"),
    }[unit]
