"""Who may read and write what: the scope rules for every role, in one place.

ARS staff read every CPTS of their region, CPAM staff every CPTS of their departments
(read-only); writes belong to the CPTS's own president and coordinator (and the platform admin).
"""

from __future__ import annotations

from app.models.user import Role, User
from app.tenants.models import Tenant

WRITER_ROLES = {Role.PRESIDENT, Role.COORDINATOR}


def is_admin(user: User) -> bool:
    return any(g.role == Role.ADMIN for g in user.active_grants)


def tenant_roles(user: User, tenant: Tenant) -> set[Role]:
    return {g.role for g in user.active_grants if g.tenant_id == tenant.id}


def regions_of(user: User) -> set[str]:
    return {g.region_code for g in user.active_grants if g.role == Role.ARS and g.region_code}


def departments_of(user: User) -> set[str]:
    return {
        g.department_code for g in user.active_grants if g.role == Role.CPAM and g.department_code
    }


def can_read_tenant(user: User, tenant: Tenant) -> bool:
    return (
        is_admin(user)
        or bool(tenant_roles(user, tenant))
        or tenant.region_code in regions_of(user)
        or (tenant.department_code is not None and tenant.department_code in departments_of(user))
    )


def can_write_tenant(user: User, tenant: Tenant) -> bool:
    return is_admin(user) or bool(tenant_roles(user, tenant) & WRITER_ROLES)


def can_manage_users(user: User, tenant: Tenant) -> bool:
    return is_admin(user) or Role.PRESIDENT in tenant_roles(user, tenant)


def can_read_region(user: User, region_code: str) -> bool:
    return is_admin(user) or region_code in regions_of(user)


def is_cpam(user: User) -> bool:
    return bool(departments_of(user))
