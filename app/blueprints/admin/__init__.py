"""Platform administration: every tenant of the platform."""

from __future__ import annotations

from flask import render_template

from app.blueprints import scoped_blueprint
from app.reports.regional import tenant_rows, tenants_where

bp = scoped_blueprint("admin", __name__, "admin", url_prefix="/admin")


@bp.get("/")
def tenants():
    rows = tenant_rows(tenants_where())
    regions = sorted({row.tenant.region for row in rows}, key=lambda region: region.name)
    return render_template("admin/tenants.html", rows=rows, regions=regions)
