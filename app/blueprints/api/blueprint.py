"""The API's blueprints: the caller's own view (/api/v1/tenants) and one CPTS's resources
(/api/v1/t/<slug>/...), both reached with a bearer token only, shared by the resource modules."""

from __future__ import annotations

from flask_smorest import Blueprint as ApiBlueprint

from app.blueprints import scoped_blueprint
from app.blueprints.api.auth import audit_writes, authenticate

tenant_api: ApiBlueprint = scoped_blueprint(
    "api",
    __name__,
    "api",
    url_prefix="/api/v1/t/<tenant>",
    blueprint_class=ApiBlueprint,
    authenticate=authenticate,
    description="Les données d'une CPTS que l'appelant peut lire : la CPTS, ses membres, sa "
    "convention, ses indicateurs et leurs périodes.",
)
tenant_api.after_request(audit_writes)

account_api: ApiBlueprint = scoped_blueprint(
    "api_account",
    __name__,
    "api_user",
    url_prefix="/api/v1",
    blueprint_class=ApiBlueprint,
    authenticate=authenticate,
    description="Ce que l'appelant peut voir, toutes CPTS confondues.",
)

TENANT_PARAMETER = {
    "in": "path",
    "name": "tenant",
    "required": True,
    "schema": {"type": "string", "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$"},
    "description": "identifiant de la CPTS dans les adresses (par exemple grand-narbonne)",
}
