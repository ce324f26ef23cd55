"""Resolution of /t/<slug>/: the URL processors and the once-per-request access check.

Views never see the slug: they read `current_tenant`, and url_for() fills the slug back in.
Who may do what is not decided here: the blueprint that attaches the resolver gives it an
`authorize` function. A user who may not read the tenant gets 404, whether or not it exists;
one who may read it but not do what the route does gets 403. Either way the refusal is named
in `g.denial`, which the error handler records in the audit trail.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NoReturn

from flask import Blueprint, abort, current_app, g
from sqlalchemy import select
from werkzeug.local import LocalProxy

from app.extensions import db
from app.tenants.context import bind_tenant
from app.tenants.models import Tenant

current_tenant: Tenant = LocalProxy(lambda: g.tenant)  # type: ignore[assignment]


class Access(enum.Enum):
    ALLOWED = "allowed"
    HIDDEN = "hidden"  # may not know the tenant exists: 404
    FORBIDDEN = "forbidden"  # may read it, may not do this: 403


Authorize = Callable[[Tenant], Access]


@dataclass(frozen=True)
class Denial:
    """What the audit record of a refusal says (the error handler writes it)."""

    action: str
    tenant_id: int | None = None
    details: dict = field(default_factory=dict)


def deny(action: str = "access_denied", tenant: Tenant | None = None, **details) -> NoReturn:
    """Answer 404, so the tenant's existence is not revealed."""
    g.denial = Denial(action, tenant.id if tenant is not None else None, details)
    abort(404)


def forbid(tenant: Tenant | None = None) -> NoReturn:
    """The user may read this CPTS but not do this here: answer 403."""
    tenant = tenant if tenant is not None else g.get("tenant")
    g.denial = Denial("action_denied", tenant.id if tenant is not None else None)
    abort(403)


def _pull_slug(_endpoint: str | None, values: dict | None) -> None:
    g.tenant_slug = (values or {}).pop("tenant", None)


def _push_slug(endpoint: str, values: dict) -> None:
    if "tenant" not in values and g.get("tenant") is not None:
        if current_app.url_map.is_endpoint_expecting(endpoint, "tenant"):
            values["tenant"] = g.tenant.slug


def _resolver(authorize: Authorize) -> Callable[[], None]:
    def resolve_tenant() -> None:
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == g.tenant_slug))
        if tenant is None:
            deny(slug=g.tenant_slug)
        access = authorize(tenant)
        if access is Access.HIDDEN:
            deny("cross_tenant_attempt", tenant, slug=g.tenant_slug)
        if access is not Access.ALLOWED:
            forbid(tenant)
        g.tenant = tenant
        bind_tenant(tenant.id)

    return resolve_tenant


def attach(blueprint: Blueprint, authorize: Authorize) -> None:
    """Make a blueprint tenant-scoped: its URLs carry <tenant>, every request resolves it and
    asks `authorize` whether the signed-in user may go on."""
    blueprint.url_value_preprocessor(_pull_slug)
    blueprint.url_defaults(_push_slug)
    blueprint.before_request(_resolver(authorize))
