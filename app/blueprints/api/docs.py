"""The API's documentation page, /api/v1/docs: Swagger UI served from the installed
swagger-ui-py package (no asset from another host), drawn by a script of ours (no inline
script, so the page keeps the strict CSP)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from flask import abort, render_template, send_from_directory

from app.blueprints import scoped_blueprint

bp = scoped_blueprint("api_docs_page", __name__, "public", url_prefix="/api/v1")
ASSETS = Path(str(files("swagger_ui").joinpath("static")))
SERVED = frozenset({"swagger-ui-bundle.js", "swagger-ui.css"})


@bp.get("/docs")
def docs():
    return render_template("api/docs.html")


@bp.get("/docs/assets/<name>")
def asset(name: str):
    if name not in SERVED:
        abort(404)
    return send_from_directory(ASSETS, name, max_age=31536000)
