"""The JSON API under /api/v1/, one module per resource, described by OpenAPI built from the
marshmallow schemas (flask-smorest: it reads the schemas the views already use, so the
description cannot drift from the code). Every answer is in the envelope of app.schemas.envelope;
errors go through the application's own handlers (app.errors), like every page's."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from app.blueprints import IdConverter
from app.blueprints.api import conventions, docs, indicators, members, tenants  # noqa: F401
from app.blueprints.api.blueprint import TENANT_PARAMETER, account_api, tenant_api
from app.blueprints.api.regions import REGION_PARAMETER, region_api
from app.extensions import csrf
from app.schemas.envelope import ErrorSchema


class ObservatoireApi(Api):
    """flask-smorest, with the application's error envelope instead of its own."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        """Errors are answered by app.errors (one envelope for the whole application)."""


api = ObservatoireApi()


def init_app(app: Flask) -> None:
    app.config.setdefault("API_SPEC_OPTIONS", {"security": [{"bearerAuth": []}]})
    api.init_app(app)
    api.register_converter(
        IdConverter, lambda converter: {"type": "integer", "minimum": 1, "maximum": converter.max}
    )
    api.spec.components.security_scheme(
        "bearerAuth",
        {"type": "http", "scheme": "bearer", "description": "jeton personnel (/compte/jetons)"},
    )
    app.blueprints["api-docs"].access = "public"  # type: ignore[attr-defined]
    for blueprint in (tenant_api, account_api, region_api):
        csrf.exempt(blueprint)  # a bearer token, never a cookie: nothing to forge
    api.register_blueprint(account_api)
    api.register_blueprint(tenant_api, parameters=[TENANT_PARAMETER])
    api.register_blueprint(region_api, parameters=[REGION_PARAMETER])
    app.register_blueprint(docs.bp)
