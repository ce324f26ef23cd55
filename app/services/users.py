"""Users and their roles: creation, invitations to a CPTS, deactivation, password changes."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from datetime import datetime

from flask import current_app, url_for
from sqlalchemy import func, select

from app.extensions import db
from app.models.base import utcnow
from app.models.user import TENANT_ROLES, Invitation, Role, RoleGrant, User
from app.security.passwords import hash_password, password_problem
from app.services import audit
from app.services.mail import mail_configured, send_mail
from app.sessions import end_all_sessions
from app.tenants.context import bind_tenant, tenant_bound, unscoped
from app.tenants.models import Tenant

log = logging.getLogger("app.users")


class UserError(ValueError):
    """Invalid user input; `field` names the field at fault, the message is French."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    if len(email) > 254 or not re.fullmatch(r"[^@\s]+@[^@\s]+", email):
        raise UserError("email", "Adresse e-mail invalide.")
    return email


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(email: str, password: str, full_name: str = "") -> User:
    email = normalise_email(email)
    if find_user(email) is not None:
        raise UserError("email", "Un compte existe déjà avec cette adresse e-mail.")
    problem = password_problem(password, email)
    if problem:
        raise UserError("password", problem)
    user = User(email=email, full_name=full_name.strip(), password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    audit.record("user_created", obj=user, details={"email": email})
    return user


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
        raise UserError("new_password", problem)
    user.password_hash = hash_password(new)
    end_all_sessions(user)
    audit.record("password_changed", obj=user, actor=user)


def tenant_grants(tenant: Tenant) -> list[RoleGrant]:
    """The users of a CPTS, fetched relative to it."""
    return list(
        db.session.scalars(
            select(RoleGrant)
            .join(RoleGrant.user)
            .where(RoleGrant.tenant_id == tenant.id)
            .order_by(RoleGrant.active.desc(), User.email)
        )
    )


def tenant_grant(tenant: Tenant, grant_id: int) -> RoleGrant | None:
    return db.session.scalar(
        select(RoleGrant).where(RoleGrant.tenant_id == tenant.id, RoleGrant.id == grant_id)
    )


def pending_invitations(tenant: Tenant) -> list[Invitation]:
    with tenant_bound(tenant.id):
        return list(
            db.session.scalars(
                select(Invitation)
                .where(Invitation.accepted_at.is_(None), Invitation.expires_at > utcnow())
                .order_by(Invitation.created_at.desc())
            )
        )


def deactivate_grant(grant: RoleGrant, by: User) -> None:
    if grant.user_id == by.id:
        raise UserError("grant", "Vous ne pouvez pas retirer votre propre accès.")
    grant.active = False
    end_all_sessions(grant.user)
    audit.record(
        "user_deactivated",
        obj=grant,
        tenant_id=grant.tenant_id,
        details={"email": grant.user.email, "role": grant.role.value},
    )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(tenant: Tenant, email: str, role: Role, by: User) -> tuple[Invitation, str]:
    """Create an invitation and return it with the one-time link (logged when no mail server)."""
    email = normalise_email(email)
    if role not in TENANT_ROLES:
        raise UserError("role", "Rôle inconnu pour une CPTS.")
    token = secrets.token_urlsafe(32)
    with tenant_bound(tenant.id):
        invitation = Invitation(
            email=email,
            role=role,
            token_hash=_token_hash(token),
            invited_by_id=by.id,
            expires_at=utcnow() + current_app.config["INVITATION_TTL"],
        )
        db.session.add(invitation)
        db.session.flush()
    link = url_for("auth.accept_invitation", token=token, _external=True)
    audit.record(
        "user_invited",
        obj=invitation,
        tenant_id=tenant.id,
        details={"email": email, "role": role.value},
    )
    return invitation, link


def deliver_invitation(invitation: Invitation, link: str) -> bool:
    """E-mail the link (after the invitation is committed); without a mail server, log it."""
    if not mail_configured():
        log.warning("no mail server configured: invitation link for %s: %s", invitation.email, link)
        return False
    days = current_app.config["INVITATION_TTL"].days
    body = (
        f"Bonjour,\n\nVous êtes invité·e à rejoindre {invitation.tenant.name} sur l'Observatoire CPTS.\n"
        f"Pour accepter, ouvrez ce lien (valable {days} jours) :\n\n{link}\n\n"
        "Si vous n'attendiez pas cette invitation, ignorez ce message."
    )
    return send_mail(invitation.email, f"Invitation : {invitation.tenant.name}", body)


def _as_aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def open_invitation(token: str) -> Invitation | None:
    """The pending invitation behind a link, with its CPTS bound for the rest of the unit of work
    (the invitee belongs to no tenant yet: the token is what designates one)."""
    token_hash = _token_hash(token)
    with unscoped("invitation link: which CPTS does this token belong to"):
        tenant_id = db.session.scalar(
            select(Invitation.tenant_id).where(Invitation.token_hash == token_hash)
        )
    if tenant_id is None:
        return None
    bind_tenant(tenant_id)
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == token_hash))
    if invitation.accepted_at is not None:
        return None
    if _as_aware(invitation.expires_at) <= utcnow():
        return None
    return invitation


def accept_invitation(invitation: Invitation, password: str, full_name: str) -> User:
    """The invitee sets a password (or is recognised) and receives the role in the CPTS."""
    user = find_user(invitation.email)
    if user is None:
        user = create_user(invitation.email, password, full_name)
    tenant = invitation.tenant
    grant_role(user, invitation.role, tenant=tenant)
    invitation.accepted_at = utcnow()
    audit.record("invitation_accepted", obj=invitation, tenant_id=tenant.id, actor=user)
    return user
