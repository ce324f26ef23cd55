"""The regional layer under /region/<code>/: the CPTS of an ARS region, compared fairly, and
the convention status of each (the CPAM's page, over the region)."""

from __future__ import annotations

from datetime import date

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import select

from app.blueprints import conventions, reviews, scoped_blueprint
from app.blueprints.downloads import download
from app.domain import DomainError
from app.exports import csv_stream
from app.extensions import db
from app.models.referential import Department
from app.reports.coverage import LEVELS, coverage
from app.reports.figures import coverage_figure, members_per_10k_figure
from app.reports.regional import tenant_rows, tenants_where
from app.rollups.territory import region_coverage, region_overlaps
from app.services import audit
from app.services.reporting import due_delay, set_due_delay
from app.tenants.models import Stage, Tenant

bp = scoped_blueprint("regional", __name__, "regional", url_prefix="/region/<region>")


@bp.get("/")
def home():
    rows = tenant_rows(tenants_where(Tenant.region_code == g.region.code))
    return render_template(
        "regional/home.html",
        region=g.region,
        rows=rows,
        coverage=region_coverage(g.region.code),
        overlaps=region_overlaps(g.region.code),
        figure=members_per_10k_figure(rows) if rows else None,
    )


@bp.get("/conventions/")
def convention_list():
    return conventions.list_page(
        Tenant.region_code == g.region.code,
        gettext("Conventions des CPTS de la région"),
        gettext("ARS %(region)s", region=g.region.name),
        "regional.export",
    )


@bp.get("/conventions/export")
def export():
    return conventions.export(Tenant.region_code == g.region.code, f"region-{g.region.code}")


@bp.get("/revue/")
def review_queue():
    return reviews.queue_page(
        Tenant.region_code == g.region.code,
        gettext("Revue des indicateurs"),
        gettext("ARS %(region)s", region=g.region.name),
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


def _coverage():
    departments = list(db.session.scalars(
        select(Department).where(Department.region_code == g.region.code)
    ))  # fmt: skip
    return coverage(g.region.code, g.region.name, departments)


@bp.get("/couverture/")
def coverage_page():
    """The share of the region's population covered at each stage, by department; white zones
    and overlaps."""
    found = _coverage()
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
        chart=coverage_figure(names, series, gettext("Part de la population")),
    )


@bp.get("/couverture/zones-blanches.csv")
def white_zones_csv():
    """Every commune of the region no CPTS covers, largest first."""
    found = _coverage()
    header = [gettext("Commune"), gettext("Code INSEE"), gettext("Département"),
              gettext("Population")]  # fmt: skip
    rows = [[c.name, c.code, c.department_code, c.population] for c in found.white_zones]
    audit.record_now("export", details={"what": "white_zones", "region": g.region.code})
    name = f"zones-blanches-{g.region.code}-{date.today().isoformat()}.csv"
    return download(csv_stream(header, rows), name, "csv")
