"""Test factories: build tenants, users and members through the real services."""

from __future__ import annotations

from datetime import date

from app.extensions import db
from app.models.member import Member, Profession
from app.models.user import Role, User
from app.services.tenants import create_tenant
from app.services.territory import communes_by_code
from app.services.users import create_user, find_user, grant_in_scope
from app.tenants.context import tenant_bound
from app.tenants.models import Tenant

PASSWORD = "Test-password-2026!"

# Real communes by INSEE code: Narbonne (11), Agde (34), Nîmes (30), Besançon (25, another region).
NARBONNE, AGDE, NIMES, BESANCON = "11262", "34003", "30189", "25056"


def make_tenant(slug: str, communes: tuple[str, ...] = (NARBONNE,), **data) -> Tenant:
    tenant = create_tenant(
        {"slug": slug, "name": data.pop("name", f"CPTS {slug}"), **data}, communes_by_code(communes)
    )
    db.session.commit()
    return tenant


def make_user(
    email: str,
    role: Role | str,
    *,
    tenant: Tenant | None = None,
    region: str | None = None,
    departments: tuple[str, ...] = (),
) -> User:
    role = Role(role)
    user = find_user(email) or create_user(email, PASSWORD)
    grant_in_scope(user, role, tenant=tenant, region_code=region, department_codes=departments)
    db.session.commit()
    return user


def add_members(tenant: Tenant, count: int, joined_on: date = date(2024, 1, 15)) -> list[Member]:
    with tenant_bound(tenant.id):
        members = [
            Member(
                first_name=f"Prénom{i}",
                last_name=f"Nom{i}",
                profession=Profession.NURSE,
                joined_on=joined_on,
            )
            for i in range(count)
        ]
        db.session.add_all(members)
        db.session.commit()
    return members
