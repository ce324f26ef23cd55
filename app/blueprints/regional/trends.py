"""The regional pages over time, from the rollups: membership growth, conventions, outcomes per
catalogue template, and two to six CPTS side by side. Each chart has its table and its CSV."""

from __future__ import annotations

from datetime import date

from flask import abort, g, render_template, request

from app.blueprints.downloads import download
from app.blueprints.regional import bp, coverage_now, of_version, page, rows_today
from app.exports import Euros, csv_stream
from app.i18n import gettext
from app.reports import charts, trends
from app.reports.compare import MAX_PICKED, RegionFigures, comparison, region_figures
from app.reports.coverage import coverage_table
from app.reports.dashboard import Table
from app.reports.overview import OverviewRow
from app.schemas.member import PROFESSION_LABELS
from app.services import audit


def _profession() -> str | None:
    chosen = request.args.get("profession", "")
    return chosen if chosen in {p.value for p in PROFESSION_LABELS} else None


def _per_10k() -> bool:
    return request.args.get("mesure") == "densite"


@bp.get("/adhesions/")
def growth_page():
    """Members month by month, for the region (by profession) and for each CPTS."""
    return page(gettext("Adhésions"), _growth)


def _growth() -> str:
    rows, today = rows_today(), date.today()
    found = trends.growth(rows, today, _profession())
    months = [m.isoformat() for m in found.months]
    per_10k = _per_10k()
    region = {name: [r[i + 1] for r in found.region.rows] for i, name in enumerate(found.groups)}
    if per_10k:
        region = {gettext("Membres pour 10 000 habitants"): [r[-1] for r in found.region.rows]}
    cpts = {
        row.tenant.name: [trends.per_10k(n, row.tenant.population) if per_10k and n is not None
                          else n for n in found.cpts[row.tenant.id]]
        for row in rows
    }  # fmt: skip
    unit = gettext("Membres pour 10 000 habitants") if per_10k else gettext("Membres")
    return render_template(
        "regional/growth.html", found=found, per_10k=per_10k, profession=_profession(),
        professions=PROFESSION_LABELS, args=request.args,
        region_chart=charts.lines(months, region, unit, stacked=not per_10k),
        cpts_chart=charts.many_lines(found.months, cpts, unit),
    )  # fmt: skip


@bp.get("/conventions/bilan/")
def conventions_page():
    """Signatures over time, convention status, money by year, amendments."""
    return page(gettext("Conventions signées"), _conventions)


def _conventions() -> str:
    found = trends.conventions(rows_today(), date.today())
    years = [str(r[0]) for r in found.money.rows]
    money = {name: [r[i + 1] / 100 for r in found.money.rows]
             for i, name in enumerate(found.money.header[1:])}  # fmt: skip
    return render_template(
        "regional/conventions.html", found=found,
        signatures_chart=charts.lines(
            [m.isoformat() for m, _n in found.signatures],
            {gettext("ACI signés (cumul)"): [n for _m, n in found.signatures]},
            gettext("CPTS ayant signé l'ACI"), legend=False, steps=True),
        status_chart=charts.grouped_bars(
            [r[0] for r in found.statuses.rows],
            {gettext("CPTS"): [r[1] for r in found.statuses.rows]}, gettext("CPTS")),
        money_chart=charts.grouped_bars(years, money, gettext("Montant"), money=True),
    )  # fmt: skip


def _sums(rows: list[OverviewRow]) -> dict:
    """The region's indicator sums over 24 months (outcomes, compare), once per version."""
    today = date.today()
    return of_version("sums", lambda: trends.outcome_sums([r.tenant.id for r in rows], today))


def _region(rows: list[OverviewRow]) -> RegionFigures:
    """The region's medians and outcomes beside which CPTS are compared, once per version."""
    return of_version("compared", lambda: region_figures(rows, _sums(rows)))


@bp.get("/resultats/")
def outcomes_page():
    """For a catalogue template: each CPTS's value over 12 months, the median, the trend."""
    return page(gettext("Résultats des indicateurs"), _outcomes)


def _outcomes() -> str:
    rows = rows_today()
    found = trends.outcomes(rows, date.today(), request.args.get("indicateur"), _sums(rows))
    chart = None
    if found.template is not None:
        shown = [o for o in found.results if o.value is not None]
        chart = charts.ranked_bars(
            [o.row.tenant.name for o in shown], [o.value for o in shown],
            trends.unit_label(found.template.unit), found.median, gettext("médiane"),
            [o.row.tenant.fictitious for o in shown])  # fmt: skip
    return render_template("regional/outcomes.html", found=found, chart=chart,
                           table=trends.outcome_table(found), cptss=len(rows))  # fmt: skip


@bp.get("/comparer/")
def compare_page():
    """Two to six CPTS side by side; the choice is in the URL (?cpts=a&cpts=b)."""
    return page(gettext("Comparer des CPTS"), _compare)


def _compare() -> str:
    rows = rows_today()
    found = comparison(rows, request.args.getlist("cpts"), date.today(), _region(rows))
    chart = None
    if found.picked:
        chart = charts.lines([m.isoformat() for m in found.months], found.series,
                             gettext("Membres pour 10 000 habitants"))  # fmt: skip
    return render_template("regional/compare.html", rows=rows, found=found, chart=chart,
                           max_picked=MAX_PICKED)  # fmt: skip


# -- the figures of each chart, as CSV


def _tables(rows: list[OverviewRow]) -> dict:
    today = date.today()
    return {
        "adhesions-region": lambda: trends.growth(rows, today, _profession()).region,
        "adhesions-cpts": lambda: trends.growth(rows, today, _profession()).table,
        "signatures": lambda: trends.conventions(rows, today).years,
        "statuts": lambda: trends.conventions(rows, today).statuses,
        "financement": lambda: trends.conventions(rows, today).money,
        "resultats": lambda: trends.outcome_table(
            trends.outcomes(rows, today, request.args.get("indicateur"), _sums(rows))),
        "couverture": lambda: coverage_table(coverage_now()),
        "comparaison": lambda: comparison(
            rows, request.args.getlist("cpts"), today, _region(rows)).table,
    }  # fmt: skip


@bp.get("/chiffres/<table>.csv")
def table_csv(table: str):
    """The figures of one chart of the regional pages (amounts in euros)."""
    tables = _tables(rows_today())
    if table not in tables:
        abort(404)
    found: Table = tables[table]()
    cells = [[Euros(c) if found.money and i and isinstance(c, int) else c
              for i, c in enumerate(row)] for row in found.rows]  # fmt: skip
    audit.record_now("export", details={"what": f"regional_{table}", "region": g.region.code})
    filename = f"{table}-{g.region.code}-{date.today().isoformat()}.csv"
    return download(csv_stream(found.header, cells), filename, "csv")
