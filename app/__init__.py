"""Observatoire CPTS: the application factory, which only wires the parts together."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    from app import cli, errors, observability, sessions, templating
    from app.blueprints import admin, api, auth, cpam, main, regional, workspace
    from app.config import load_config
    from app.extensions import babel, csrf, db, login_manager, migrate
    from app.i18n import select_locale
    from app.models import load_all
    from app.security import headers, inputs
    from app.tenants import guard, postgres

    app = Flask(__name__, instance_relative_config=True)
    app.config.update(load_config(app.instance_path))
    app.config.update(overrides or {})

    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]

    load_all()
    guard.install()
    postgres.install()  # before engines exist: engine-level events only reach later engines
    db.init_app(app)
    migrate.init_app(app, db, directory=str(_project_root() / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)

    observability.init_app(app)
    inputs.init_app(app)
    sessions.init_app(app)
    headers.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    for module in (main, auth, workspace, regional, cpam, admin, api):
        app.register_blueprint(module.bp)
    cli.init_app(app)
    return app


def _project_root():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent
