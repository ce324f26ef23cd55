"""The national view, for the platform admin: the regional figures, region by region."""

from __future__ import annotations

from flask import render_template

from app.blueprints import scoped_blueprint
from app.blueprints.page_cache import cached_page
from app.i18n import gettext
from app.reports.national import national_rows, total
from app.rollups.regional import freshness

bp = scoped_blueprint("national", __name__, "admin", url_prefix="/national")


@bp.get("/")
def home():
    """Every region's figures; kept under the version of all the rollups (page_cache)."""
    return cached_page(freshness(), gettext("Vue nationale"), _body, layout="national/page.html")


def _body() -> str:
    rows = national_rows()
    return render_template("national/_home.html", rows=rows, total=total(rows))
