"""The national view, for the platform admin: the regional figures, region by region."""

from __future__ import annotations

from flask import render_template

from app.blueprints import scoped_blueprint
from app.reports.national import national_rows, total

bp = scoped_blueprint("national", __name__, "admin", url_prefix="/national")


@bp.get("/")
def home():
    rows = national_rows()
    return render_template("national/home.html", rows=rows, total=total(rows))
