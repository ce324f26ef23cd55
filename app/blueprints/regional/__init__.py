"""The regional layer under /region/<code>/: the CPTS of an ARS region, compared fairly, and
the convention status of each (the CPAM's page, over the region)."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext

from app.blueprints import conventions, reviews, scoped_blueprint
from app.domain import DomainError
from app.extensions import db
from app.reports.figures import members_per_10k_figure
from app.reports.regional import tenant_rows, tenants_where
from app.rollups.territory import region_coverage, region_overlaps
from app.services.reporting import due_delay, set_due_delay
from app.tenants.models import Tenant

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
