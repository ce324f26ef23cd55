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

from sqlalchemy import ColumnElement, false, or_, true

from app.models.user import Role, User
from app.tenants.models import Tenant


class Action(enum.StrEnum):
    READ = "read"  # open the CPTS's pages and API: figures, territory, aggregates
    READ_PEOPLE = "read_people"  # see its members by name (personal data: the CPTS's own users)
    WRITE = "write"  # change the CPTS's own data (territory, registry data, members, ...)
    MANAGE_USERS = "manage_users"  # invite, revoke invitations, deactivate access
    REATTACH = "reattach"  # change the department of attachment (which CPAM follows the CPTS)
    REVIEW = "review"  # write review records on the CPTS's reported values, nothing else
    REOPEN = "reopen"  # reopen a validated period, with a reason (a review record of the ARS)
    EXPORT = "export"  # download the CPTS's data as files
    AUDIT = "audit"  # read the CPTS's audit trail


ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.ARS: frozenset(
        {Action.READ, Action.REATTACH, Action.REVIEW, Action.REOPEN, Action.EXPORT, Action.AUDIT}
    ),
    Role.CPAM: frozenset({Action.READ, Action.REVIEW, Action.EXPORT}),
    Role.PRESIDENT: frozenset(
        {
            Action.READ,
            Action.READ_PEOPLE,
            Action.WRITE,
            Action.MANAGE_USERS,
            Action.EXPORT,
            Action.AUDIT,
        }
    ),
    Role.COORDINATOR: frozenset({Action.READ, Action.READ_PEOPLE, Action.WRITE, Action.EXPORT}),
    Role.VIEWER: frozenset({Action.READ, Action.READ_PEOPLE}),
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


def readable_tenants(user: User) -> ColumnElement[bool]:
    """The CPTS the user may read, as a criterion on Tenant (the same rule as roles_for)."""
    if not getattr(user, "is_authenticated", False) or is_admin(user):
        return true() if getattr(user, "is_authenticated", False) else false()
    own = [g.tenant_id for g in user.active_grants if g.tenant_id is not None]
    return or_(
        Tenant.region_code.in_(sorted(regions_of(user))),
        Tenant.department_code.in_(sorted(departments_of(user))),
        Tenant.id.in_(own),
    )


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


def can_all(user: User, actions: tuple[Action, ...], tenant: Tenant) -> bool:
    return all(can(user, action, tenant) for action in actions)


View = TypeVar("View", bound=Callable)


def require(*actions: Action) -> Callable[[View], View]:
    """Declare what a tenant route needs (every action listed), checked by the resolver before
    the view runs; the isolation matrix reads the same declaration."""

    def declare(view: View) -> View:
        view.required_actions = actions  # type: ignore[attr-defined]
        return view

    return declare


def required_actions(view: Callable | None) -> tuple[Action, ...]:
    return getattr(view, "required_actions", ())
