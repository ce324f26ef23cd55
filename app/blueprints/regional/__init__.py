"""The regional layer under /region/<code>/: the CPTS of an ARS region, compared fairly, and
the convention status of each (the CPAM's page, over the region)."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from flask import Response, flash, g, redirect, render_template, request, url_for

from app.blueprints import conventions, departments_of, reviews, scoped_blueprint
from app.blueprints.downloads import download
from app.blueprints.page_cache import cached_page, fragment, memo
from app.domain import DomainError
from app.exports import csv_stream, xlsx_stream
from app.extensions import db
from app.i18n import gettext
from app.models.referential import RegionRef
from app.reports.charts import coverage_bars, ranked_bars
from app.reports.coverage import LEVELS, Coverage, coverage, coverage_table
from app.reports.overview import (
    SIZE_CLASSES,
    SORT_LABELS,
    OverviewRow,
    export_cells,
    export_header,
    filters_from,
    kept_rows,
    medians,
    overview_rows,
)
from app.rollups.regional import Freshness, freshness
from app.rollups.territory import region_coverage
from app.schemas.tenant import STAGE_LABELS
from app.services import audit
from app.services.reporting import due_delay, set_due_delay
from app.tenants.models import Stage, Tenant

_STATE = "cpts.rollups_state"
bp = scoped_blueprint("regional", __name__, "regional", url_prefix="/region/<region>")


def _state() -> Freshness:
    """The region's rollup version, read once per request (kept on the request itself: `g`
    outlives a request when an application context was already pushed, as in tests)."""
    state = request.environ.get(_STATE)
    if state is None:
        state = request.environ[_STATE] = freshness(g.region.code)
    return state


def of_version(name: str, build):
    """A figure of the region's rollups at their current version, read once per process."""
    state = _state()
    return memo((name, g.region.code, state.version, state.updated_at, date.today()), build)


def rows_today() -> list[OverviewRow]:
    return of_version(
        "rows", lambda: overview_rows(Tenant.region_code == g.region.code, date.today())
    )


def departments() -> list[RegionRef]:
    return departments_of(g.region.code)


def page(title: str, build, layout: str = "regional/page.html", vary=None, **context) -> Response:
    """A regional page from the rollups, its body cached under their version (page_cache)."""
    return cached_page(_state(), title, build, layout, vary, region=g.region, **context)


@bp.get("/")
def home():
    """Every CPTS of the region with the regional median beside each figure."""
    return page(gettext("Synthèse régionale"), _overview)


def _overview() -> str:
    rows = rows_today()
    filters = filters_from(request.args)
    query = {k: v for k, v in request.args.items() if k != "format"}
    found, kept = medians(rows), kept_rows(rows, filters)
    return render_template(
        "regional/_overview.html",
        region=g.region, all_rows=rows, rows=kept, medians=found,
        filters=filters, departments=departments(), stages=list(Stage), size_classes=SIZE_CLASSES,
        sorts=SORT_LABELS, fragment=fragment, coverage=region_coverage(g.region.code),
        signed=sum(1 for r in rows if r.stage is Stage.ACI_SIGNED),
        members=sum(r.members for r in rows), late=sum(r.missions_late for r in rows),
        at_risk=sum(r.missions_at_risk for r in rows),
        export_links={f: url_for("regional.overview_export", kind=f) + "?" + urlencode(query)
                      for f in ("csv", "xlsx")},
        chart=ranked_bars([r.tenant.name for r in kept], [r.per_10k for r in kept],
                          gettext("Membres pour 10 000 habitants"), found["per_10k"],
                          gettext("médiane régionale"), [r.tenant.fictitious for r in kept])
        if kept else None,
    )  # fmt: skip


@bp.get("/synthese.<any(csv, xlsx):kind>")
def overview_export(kind: str):
    """The overview's rows (its filters applied), as CSV or XLSX."""
    filters = filters_from(request.args)
    rows = kept_rows(rows_today(), filters)
    audit.record_now("export", details={"what": "regional_overview", "format": kind,
                                        "region": g.region.code, **filters.described()})  # fmt: skip
    labels = {stage: gettext(label) for stage, label in STAGE_LABELS.items()}
    cells = [export_cells(row, labels) for row in rows]  # read before the audit commits
    name = f"cpts-region-{g.region.code}-{date.today().isoformat()}.{kind}"
    if kind == "xlsx":
        return download(xlsx_stream(gettext("CPTS"), export_header(), cells), name, kind)
    return download(csv_stream(export_header(), cells), name, kind)


@bp.get("/conventions/")
def convention_list():
    """The convention status of every CPTS of the region: its sources all move the region's
    version (app.rollups.monthly.SOURCES), the statuses the day, which the page's key holds;
    the reader's own exports follow, and name the page too."""
    exports = conventions.history()
    return page(
        gettext("Conventions des CPTS de la région"),
        lambda: conventions.list_body(Tenant.region_code == g.region.code, "regional.export"),
        "regional/conventions_page.html",
        vary=tuple(event.id for event in exports),
        history=exports,
    )


@bp.get("/conventions/export")
def export():
    return conventions.export(Tenant.region_code == g.region.code, f"region-{g.region.code}")


@bp.get("/revue/")
def review_queue():
    """Periods waiting for this ARS, oldest first, and what each CPTS still owes: a function of
    the region's version too (a period reviewed or submitted, or the delay changed, moves it)."""
    return page(
        gettext("Revue des indicateurs"),
        lambda: reviews.queue_body(Tenant.region_code == g.region.code),
        "regional/review_page.html",
        delay=due_delay(g.region.code),
    )


@bp.post("/revue/delai")
def set_review_delay():
    """The ARS sets its region's delay for reporting (periods opened afterwards)."""
    try:
        days = set_due_delay(g.region.code, request.form.get("delay"))
    except DomainError as error:
        db.session.rollback()
        flash(error.summary(), "error")
    else:
        db.session.commit()
        flash(gettext("Délai de remise fixé à %(n)s jours après la fin de chaque période.",
                      n=days), "success")  # fmt: skip
    return redirect(url_for("regional.review_queue"))


def coverage_now() -> Coverage:
    """The region's coverage at the rollups' version (the overview's figure and its own page)."""
    return of_version("coverage", lambda: coverage(g.region.code, g.region.name, departments(),
                                                   rows_today()))  # fmt: skip


@bp.get("/couverture/")
def coverage_page():
    """The share of the region's population covered at each stage, by department; white zones
    and overlaps."""
    return page(gettext("Couverture du territoire"), _coverage_body)


def _coverage_body() -> str:
    found = coverage_now()
    areas = [found.region, *found.departments]
    names = [gettext("Région") if a.code is None else f"{a.name} ({a.code})" for a in areas]
    series = {
        gettext("ACI signé"): [a.share(Stage.ACI_SIGNED) for a in areas],
        gettext("Projet validé"): [a.share(Stage.PROJECT_VALIDATED) - a.share(Stage.ACI_SIGNED)
                                   for a in areas],
        gettext("Lettre d'intention ou projet déposé"): [
            a.share(Stage.LETTER_OF_INTENT) - a.share(Stage.PROJECT_VALIDATED) for a in areas],
        gettext("CPTS en émergence"): [a.share() - a.share(Stage.LETTER_OF_INTENT) for a in areas],
        gettext("Aucune CPTS"): [1 - a.share() for a in areas],
    }  # fmt: skip
    return render_template(
        "regional/coverage.html",
        region=g.region,
        coverage=found,
        areas=areas,
        levels=LEVELS,
        table=coverage_table(found),
        chart=coverage_bars(names, series, gettext("Part de la population")),
    )


@bp.get("/couverture/zones-blanches.csv")
def white_zones_csv():
    """Every commune of the region no CPTS covers, largest first."""
    found = coverage_now()
    header = [gettext("Commune"), gettext("Code INSEE"), gettext("Département"),
              gettext("Population")]  # fmt: skip
    rows = [[c.name, c.code, c.department_code, c.population] for c in found.white_zones]
    audit.record_now("export", details={"what": "white_zones", "region": g.region.code})
    name = f"zones-blanches-{g.region.code}-{date.today().isoformat()}.csv"
    return download(csv_stream(header, rows), name, "csv")


from app.blueprints.regional import trends  # noqa: E402, F401  (the pages over time)
