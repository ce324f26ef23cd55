"""Named permissions: what each role may do to a CPTS, as pure predicates over (user, action, tenant).

A role counts for a CPTS when the user holds it in a scope covering that CPTS: the platform
(admin), its region (ARS), its department of attachment (CPAM) or the CPTS itself. Every tenant
route declares the action it needs with `@require(Action.X)`; the tenant resolver checks it once
per request, and the isolation matrix reads the same declarations and the same table.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TypeVar

from app.models.user import Role, User
from app.tenants.models import Tenant


class Action(enum.StrEnum):
    READ = "read"  # open the CPTS's pages and API
    WRITE = "write"  # change the CPTS's own data (territory, registry data, later members, ...)
    MANAGE_USERS = "manage_users"  # invite, revoke invitations, deactivate access
    REATTACH = "reattach"  # change the department of attachment (which CPAM follows the CPTS)
    REVIEW = "review"  # write review records on the CPTS's reported values, nothing else
    EXPORT = "export"  # download the CPTS's data as files


ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.ARS: frozenset({Action.READ, Action.REATTACH, Action.REVIEW, Action.EXPORT}),
    Role.CPAM: frozenset({Action.READ, Action.REVIEW, Action.EXPORT}),
    Role.PRESIDENT: frozenset({Action.READ, Action.WRITE, Action.MANAGE_USERS, Action.EXPORT}),
    Role.COORDINATOR: frozenset({Action.READ, Action.WRITE, Action.EXPORT}),
    Role.VIEWER: frozenset({Action.READ}),
}


def is_admin(user: User) -> bool:
    return any(g.role == Role.ADMIN for g in user.active_grants)


def regions_of(user: User) -> set[str]:
    return {g.region_code for g in user.active_grants if g.role == Role.ARS and g.region_code}


def departments_of(user: User) -> set[str]:
    return {
        g.department_code for g in user.active_grants if g.role == Role.CPAM and g.department_code
    }


def can_read_region(user: User, region_code: str) -> bool:
    return is_admin(user) or region_code in regions_of(user)


def is_cpam(user: User) -> bool:
    return bool(departments_of(user))


def roles_for(user: User, tenant: Tenant) -> set[Role]:
    """The roles the user holds over this CPTS, through any of their scopes."""
    roles = set()
    for grant in user.active_grants:
        if (
            grant.role == Role.ADMIN
            or (grant.role == Role.ARS and grant.region_code == tenant.region_code)
            or (grant.role == Role.CPAM and grant.department_code == tenant.department_code)
            or (grant.tenant_id is not None and grant.tenant_id == tenant.id)
        ):
            roles.add(grant.role)
    return roles


def can(user: User, action: Action, tenant: Tenant) -> bool:
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)):
        return False
    return any(action in ROLE_ACTIONS[role] for role in roles_for(user, tenant))


View = TypeVar("View", bound=Callable)


def require(action: Action) -> Callable[[View], View]:
    """Declare the action a tenant route needs (checked by the resolver before the view runs)."""

    def declare(view: View) -> View:
        view.required_action = action  # type: ignore[attr-defined]
        return view

    return declare


def required_action(view: Callable | None) -> Action | None:
    return getattr(view, "required_action", None)
