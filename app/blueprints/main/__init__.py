"""Public pages: the home switchboard, health check, language choice and the local plotly.js."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import plotly
from flask import current_app, g, redirect, render_template, request, send_file, session, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import text

from app.blueprints import region_ref, scoped_blueprint
from app.extensions import db
from app.i18n import N_
from app.jobs import queue_state
from app.security.permissions import is_admin, is_cpam, regions_of
from app.security.redirects import local_path
from app.tenants.postgres import rls_state

bp = scoped_blueprint("main", __name__, "public")


def spaces_of(user) -> list[dict]:
    """Every space the user may open, for the home page and the navigation (once per request)."""
    if "spaces" not in g:
        g.spaces = _spaces(user)
    return g.spaces


def _spaces(user) -> list[dict]:
    spaces = []
    if is_admin(user):
        spaces.append(
            {
                "label": gettext("Administration de la plateforme"),
                "kind": N_("Administration"),
                "url": url_for("admin.tenants"),
            }
        )
    codes = sorted(regions_of(user))
    if codes:
        names = {c: ref.name for c in codes if (ref := region_ref(c)) is not None}
        spaces += [
            {
                "label": f"ARS {names.get(c, c)}",
                "kind": N_("Région"),
                "url": url_for("regional.home", region=c),
            }
            for c in codes
        ]
    if is_cpam(user):
        spaces.append(
            {
                "label": gettext("Suivi des conventions (CPAM)"),
                "kind": N_("CPAM"),
                "url": url_for("cpam.home"),
            }
        )
    for grant in user.active_grants:
        if grant.tenant is not None:
            spaces.append(
                {
                    "label": grant.tenant.name,
                    "kind": N_("CPTS"),
                    "url": url_for("workspace.home", tenant=grant.tenant.slug),
                }
            )
    return spaces


@bp.app_context_processor
def navigation() -> dict:
    """Every page's navigation lists the spaces of the signed-in user."""
    return {"nav_spaces": lambda: spaces_of(current_user)}


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    spaces = spaces_of(current_user)
    if len(spaces) == 1:
        return redirect(spaces[0]["url"])
    return render_template("home.html", spaces=spaces)


@bp.get("/healthz")
def healthz():
    checks = {"database": "ok", "queue": queue_state(current_app), "row_level_security": "n/a"}
    try:
        db.session.execute(text("SELECT 1"))
        checks["row_level_security"] = rls_state(db.session.connection()).split(":")[0]
    except Exception:  # noqa: BLE001 - any failure means the database is not usable
        db.session.rollback()
        checks["database"] = "error"
    healthy = (
        checks["database"] == "ok"
        and checks["queue"] != "error"
        and not checks["row_level_security"].startswith("bypassed")
    )
    return {"status": "ok" if healthy else "error", **checks}, 200 if healthy else 503


@bp.post("/langue")
def set_language():
    lang = request.form.get("lang", "fr")
    session["lang"] = lang if lang in current_app.config["LANGUAGES"] else "fr"
    return redirect(local_path(request.form.get("next"), url_for("main.index")))


@cache
def _plotly_js() -> Path:
    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


@bp.get("/vendor/plotly-<version>.min.js")
def plotly_js(version: str):
    """plotly.js from the installed plotly package: one local file, cached for a year."""
    if version != plotly.__version__:
        return redirect(url_for("main.plotly_js", version=plotly.__version__))
    return send_file(_plotly_js(), mimetype="text/javascript", max_age=31536000)
