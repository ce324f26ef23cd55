"""Observatoire CPTS: the application factory, which only wires the parts together."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import app.models  # noqa: F401  (registers every mapped class)
from app import cli, errors, i18n, observability, principals, sessions, sqlite, templating
from app.blueprints import (
    IdConverter,
    admin,
    api,
    auth,
    cpam,
    main,
    national,
    regional,
    workspace,
)
from app.config import load_config
from app.extensions import babel, csrf, db, login_manager, migrate
from app.rollups import monthly
from app.security import headers, inputs
from app.tenants import guard, postgres

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    application = Flask(__name__, instance_relative_config=True)
    application.config.update(load_config(application.instance_path))
    application.config.update(overrides or {})

    if application.config["TRUSTED_PROXIES"]:
        hops = application.config["TRUSTED_PROXIES"]
        application.wsgi_app = ProxyFix(application.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]

    guard.install()
    monthly.install()  # after the guard: the rollups are written under its rules
    principals.install()
    sqlite.install()
    postgres.install()  # before engines exist: engine-level events only reach later engines
    db.init_app(application)
    migrate.init_app(application, db, directory=str(MIGRATIONS))
    csrf.init_app(application)
    babel.init_app(application, locale_selector=i18n.select_locale)
    i18n.init_app(application)
    login_manager.init_app(application)

    observability.init_app(application)
    inputs.init_app(application)
    sessions.init_app(application)
    headers.init_app(application)
    errors.init_app(application)
    templating.init_app(application)
    application.url_map.converters["id"] = IdConverter
    for module in (main, auth, workspace, regional, cpam, admin, national):
        application.register_blueprint(module.bp)
    api.init_app(application)
    cli.init_app(application)
    return application
