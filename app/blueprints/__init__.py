"""Blueprints by area. Each declares its access class, which the isolation matrix reads; tenant
routes also declare the action they need (app.security.permissions.require)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, current_app, g, request
from flask_login import current_user
from sqlalchemy import select
from werkzeug.routing import IntegerConverter

from app.extensions import db, login_manager
from app.models.referential import Department, Region, RegionRef
from app.security.permissions import (
    Action,
    can,
    can_all,
    can_read_region,
    is_admin,
    is_cpam,
    required_actions,
)
from app.tenants import resolver
from app.tenants.models import Tenant
from app.tenants.resolver import Access


class IdConverter(IntegerConverter):
    """`<id:...>` in a route: a positive integer a database key can hold; anything else is 404
    (a 40-digit number would otherwise reach the database and fail there)."""

    def __init__(self, url_map, *args, **kwargs):
        super().__init__(url_map, min=1, max=2**31 - 1)


ACCESS_CLASSES = ("public", "tenant", "regional", "cpam", "admin", "api", "api_user")


def _login_required():
    if not current_user.is_authenticated:
        if request.path.startswith("/api/"):
            abort(401)
        return login_manager.unauthorized()
    return None


def authorize_tenant(tenant: Tenant) -> Access:
    """Hidden from whoever may not read the CPTS; forbidden to whoever may read it but not do
    what the route declares (a route that declares nothing is forbidden to all: fail closed)."""
    if not can(current_user, Action.READ, tenant):
        return Access.HIDDEN
    actions = required_actions(current_app.view_functions.get(request.endpoint or ""))
    if not actions or not can_all(current_user, actions, tenant):
        return Access.FORBIDDEN
    return Access.ALLOWED


def _require(check) -> None:
    if not check(current_user):
        resolver.deny(scope=request.blueprint)


def _pull_region(_endpoint, values) -> None:
    g.region_code = (values or {}).pop("region", None)


def _push_region(endpoint, values) -> None:
    if "region" not in values and g.get("region") is not None:
        values["region"] = g.region.code


# The referential does not change while the application runs (its role only reads it): each
# process reads a region, or a region's departments, once.
_regions: dict[str, RegionRef] = {}
_departments: dict[str, list[RegionRef]] = {}


def departments_of(region_code: str) -> list[RegionRef]:
    """The region's departments, by code (read once per process)."""
    if region_code not in _departments:
        found = db.session.execute(
            select(Department.code, Department.name)
            .where(Department.region_code == region_code)
            .order_by(Department.code)
        )
        _departments[region_code] = [RegionRef(code, name) for code, name in found]
    return _departments[region_code]


def region_ref(code: str) -> RegionRef | None:
    found = _regions.get(code)
    if found is None:
        region = db.session.get(Region, code)
        if region is None:
            return None  # unknown codes are not kept (the referential may be loaded later)
        found = _regions[code] = RegionRef(region.code, region.name)
    return found


def _resolve_region() -> None:
    region = region_ref(g.region_code or "")
    if region is None or not can_read_region(current_user, region.code):
        resolver.deny(region=g.region_code)
    g.region = region


def scoped_blueprint(
    name: str,
    import_name: str,
    access: str,
    url_prefix: str = "",
    *,
    blueprint_class: type[Blueprint] = Blueprint,
    authenticate: Callable[[], None] | None = None,
    **options,
) -> Blueprint:
    """A blueprint whose every route is checked for its access class before the view runs.

    `authenticate` runs first (the API's bearer tokens); then the user must be signed in, then
    the access class decides (a tenant, a region, CPAM, admin)."""
    if access not in ACCESS_CLASSES:
        raise ValueError(f"unknown access class {access!r}")
    bp = blueprint_class(name, import_name, url_prefix=url_prefix or None, **options)
    bp.access = access  # type: ignore[attr-defined]
    if access == "public":
        return bp
    if authenticate is not None:
        bp.before_request(authenticate)
    bp.before_request(_login_required)
    if access in ("tenant", "api"):
        resolver.attach(bp, authorize_tenant)
    elif access == "regional":
        bp.url_value_preprocessor(_pull_region)
        bp.url_defaults(_push_region)
        bp.before_request(_resolve_region)
    elif access == "cpam":
        bp.before_request(lambda: _require(lambda u: is_cpam(u) or is_admin(u)))
    elif access == "admin":
        bp.before_request(lambda: _require(is_admin))
    return bp
