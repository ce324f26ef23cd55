"""Accounts and the roles they hold: creation, provenance and verified address, role grants in
their scope, password changes."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.columns import utcnow
from app.domain import DomainError
from app.extensions import db
from app.models.user import AccountOrigin, Role, RoleGrant, User
from app.security.passwords import hash_password, password_problem
from app.services import audit
from app.sessions import end_all_sessions
from app.tenants.context import for_tenant
from app.tenants.models import Tenant
from app.tenants.platform import of_bound_tenant


def normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    if len(email) > 254 or not re.fullmatch(r"[^@\s]+@[^@\s]+", email):
        raise DomainError.on("email", _l("Adresse e-mail invalide."))
    return email


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(
    email: str,
    password: str,
    full_name: str = "",
    *,
    origin: AccountOrigin = AccountOrigin.CLI,
    created_by: User | None = None,
    verified: bool = True,
) -> User:
    """Create an account. `verified` says whether its owner is known to hold the address: not so
    for an account created from an invitation link that was shown to the inviter."""
    email = normalise_email(email)
    if find_user(email) is not None:
        raise DomainError.on("email", _l("Un compte existe déjà avec cette adresse e-mail."))
    problem = password_problem(password, email)
    if problem:
        raise DomainError.on("password", problem)
    user = User(
        email=email,
        full_name=full_name.strip(),
        password_hash=hash_password(password),
        created_via=origin.value,
        created_by_id=created_by.id if created_by is not None else None,
        email_verified_at=utcnow() if verified else None,
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        "user_created",
        obj=user,
        details={"email": email, "origin": origin.value, "verified": verified},
    )
    return user


def verify_address(user: User, how: str) -> None:
    """Record that the account's owner holds its address (an operator checked, or a mailed link
    was opened)."""
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        audit.record("address_verified", obj=user, details={"email": user.email, "how": how})


def provenance(user: User) -> str:
    """Who created the account, how and when, in French, for operators."""
    creator = db.session.get(User, user.created_by_id) if user.created_by_id else None
    how = ORIGIN_LABELS.get(user.created_via, user.created_via)
    text = f"créé le {user.created_at:%d/%m/%Y à %H:%M} UTC {how}"
    if creator is not None:
        text += f" par {creator.email}"
    return text + (", adresse vérifiée" if user.email_verified else ", adresse NON vérifiée")


ORIGIN_LABELS = {
    AccountOrigin.CLI.value: "en ligne de commande",
    AccountOrigin.DEMO.value: "par la démonstration",
    AccountOrigin.INVITATION_MAILED.value: "depuis une invitation envoyée par e-mail",
    AccountOrigin.INVITATION_SHOWN.value: "depuis un lien d'invitation affiché à l'écran",
}


def grant_role(
    user: User,
    role: Role,
    *,
    tenant: Tenant | None = None,
    region_code: str | None = None,
    department_code: str | None = None,
) -> RoleGrant:
    """Give a role in its scope; an identical active grant is reused (idempotent)."""
    for existing in user.grants:
        same = (existing.role, existing.tenant_id, existing.region_code, existing.department_code)
        if same == (role, tenant.id if tenant else None, region_code, department_code):
            if not existing.active:
                existing.active = True
                audit.record(
                    "role_granted",
                    obj=existing,
                    tenant_id=existing.tenant_id,
                    details={"email": user.email, "role": role.value, "reactivated": True},
                )
            return existing
    grant = RoleGrant(
        role=role, tenant=tenant, region_code=region_code, department_code=department_code
    )
    user.grants.append(grant)
    db.session.flush()
    audit.record(
        "role_granted",
        obj=grant,
        tenant_id=tenant.id if tenant else None,
        details={
            "email": user.email,
            "role": role.value,
            "region": region_code,
            "department": department_code,
        },
    )
    return grant


def grant_in_scope(
    user: User,
    role: Role,
    *,
    tenant: Tenant | None = None,
    region_code: str | None = None,
    department_codes: tuple[str, ...] | list[str] = (),
) -> list[RoleGrant]:
    """Give a role in the scope it needs: a CPAM role once per department, others once."""
    if role == Role.CPAM:
        return [grant_role(user, role, department_code=code) for code in department_codes]
    return [grant_role(user, role, tenant=tenant, region_code=region_code)]


def set_password(user: User, new: str) -> None:
    """Replace the password (the caller has proved the current one) and end other sessions."""
    problem = password_problem(new, user.email)
    if problem:
        raise DomainError.on("new_password", problem)
    user.password_hash = hash_password(new)
    end_all_sessions(user)
    audit.record("password_changed", obj=user, actor=user)


@for_tenant
def tenant_grants(tenant: Tenant) -> list[RoleGrant]:
    """The users of a CPTS, fetched relative to it."""
    return list(
        db.session.scalars(
            of_bound_tenant(RoleGrant)
            .join(RoleGrant.user)
            .order_by(RoleGrant.active.desc(), User.email)
        )
    )


@for_tenant
def tenant_grant(tenant: Tenant, grant_id: int) -> RoleGrant | None:
    return db.session.scalar(of_bound_tenant(RoleGrant).where(RoleGrant.id == grant_id))
