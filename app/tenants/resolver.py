"""Resolution of /t/<slug>/: the URL processors and the once-per-request access check.

Views never see the slug: they read `current_tenant`, and url_for() fills the slug back in.
A user who may not read the tenant gets 404, whether or not it exists (quality bar 1).
"""

from __future__ import annotations

from typing import NoReturn

from flask import Blueprint, abort, current_app, g, request
from flask_login import current_user
from sqlalchemy import select
from werkzeug.local import LocalProxy

from app.extensions import db
from app.observability import redact
from app.security.permissions import Action, can, required_action
from app.services import audit
from app.tenants.context import bind_tenant
from app.tenants.models import Tenant

current_tenant: Tenant = LocalProxy(lambda: g.tenant)  # type: ignore[assignment]


def _pull_slug(_endpoint: str | None, values: dict | None) -> None:
    g.tenant_slug = (values or {}).pop("tenant", None)


def _push_slug(endpoint: str, values: dict) -> None:
    if "tenant" not in values and g.get("tenant") is not None:
        if current_app.url_map.is_endpoint_expecting(endpoint, "tenant"):
            values["tenant"] = g.tenant.slug


def deny(action: str = "access_denied", tenant: Tenant | None = None, **details) -> NoReturn:
    """Record the refusal, then answer 404 so the tenant's existence is not revealed."""
    g.denial_recorded = True
    audit.record_now(
        action,
        outcome="denied",
        tenant_id=tenant.id if tenant is not None else None,
        details={"path": redact(request.path), **details},
        status_code=404,
    )
    abort(404)


def forbid(tenant: Tenant | None = None) -> NoReturn:
    """The user may read this CPTS but not do this here: record the refusal, answer 403."""
    tenant = tenant if tenant is not None else g.get("tenant")
    g.denial_recorded = True
    audit.record_now(
        "action_denied",
        outcome="denied",
        tenant_id=tenant.id if tenant is not None else None,
        details={"path": redact(request.path), "method": request.method},
        status_code=403,
    )
    abort(403)


def resolve_tenant() -> None:
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == g.tenant_slug))
    if tenant is None:
        deny(slug=g.tenant_slug)
    if not can(current_user, Action.READ, tenant):
        deny("cross_tenant_attempt", tenant, slug=g.tenant_slug)
    action = required_action(current_app.view_functions.get(request.endpoint or ""))
    if action is None or not can(current_user, action, tenant):
        forbid(tenant)  # a route that declares nothing is refused: access fails closed
    g.tenant = tenant
    bind_tenant(tenant.id)


def attach(blueprint: Blueprint) -> None:
    """Make a blueprint tenant-scoped: its URLs carry <tenant> and every request resolves it."""
    blueprint.url_value_preprocessor(_pull_slug)
    blueprint.url_defaults(_push_slug)
    blueprint.before_request(resolve_tenant)
