"""Users and their roles: creation, invitations to a CPTS, deactivation, password changes."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.links import external_url
from app.models.base import utcnow
from app.models.user import (
    TENANT_ROLES,
    AccountOrigin,
    Delivery,
    Invitation,
    Role,
    RoleGrant,
    User,
)
from app.security.passwords import hash_password, password_problem
from app.security.permissions import Action, can
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
        raise UserError("email", "Un compte existe déjà avec cette adresse e-mail.")
    problem = password_problem(password, email)
    if problem:
        raise UserError("password", problem)
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
                .where(
                    Invitation.accepted_at.is_(None),
                    Invitation.revoked_at.is_(None),
                    Invitation.expires_at > utcnow(),
                )
                .order_by(Invitation.created_at.desc())
            )
        )


def tenant_invitation(tenant: Tenant, invitation_id: int) -> Invitation | None:
    with tenant_bound(tenant.id):
        return db.session.get(Invitation, invitation_id)


def revoke_invitation(invitation: Invitation, by: User | None, reason: str) -> None:
    if invitation.revoked_at is not None or invitation.accepted_at is not None:
        return
    invitation.revoked_at = utcnow()
    invitation.revoked_by_id = by.id if by is not None else None
    audit.record(
        "invitation_revoked",
        obj=invitation,
        tenant_id=invitation.tenant_id,
        details={"email": invitation.email, "reason": reason},
    )


def deactivate_grant(grant: RoleGrant, by: User) -> None:
    """End a user's access to a CPTS, their sessions, and the invitations they sent for it."""
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
    if grant.tenant is not None:
        for invitation in pending_invitations(grant.tenant):
            if invitation.invited_by_id == grant.user_id:
                revoke_invitation(invitation, by, "inviter_deactivated")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(tenant: Tenant, email: str, role: Role, by: User) -> tuple[Invitation, str]:
    """Create an invitation; returns it with its one-time token (never stored, never logged)."""
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
    audit.record(
        "user_invited",
        obj=invitation,
        tenant_id=tenant.id,
        details={"email": email, "role": role.value},
    )
    return invitation, token


def invitation_link(token: str) -> str:
    return external_url("auth.accept_invitation", token=token)


def deliver_invitation(invitation: Invitation, token: str) -> str | None:
    """Send the link (after the invitation is committed). With a mail server it goes to the
    invited address only: None is returned, and the invitation is revoked if sending failed.
    Without one, the link is returned to be shown to the inviter (never logged), and an account
    created from it stays unverified."""
    if not mail_configured():
        invitation.delivery = Delivery.SHOWN.value
        log.warning(
            "no mail server: the invitation link for %s is shown to the inviter", invitation.email
        )
        return invitation_link(token)
    days = current_app.config["INVITATION_TTL"].days
    body = (
        f"Bonjour,\n\nVous êtes invité·e à rejoindre {invitation.tenant.name} sur l'Observatoire CPTS.\n"
        f"Pour accepter, ouvrez ce lien (valable {days} jours) :\n\n{invitation_link(token)}\n\n"
        "Si vous n'attendiez pas cette invitation, ignorez ce message."
    )
    if send_mail(invitation.email, f"Invitation : {invitation.tenant.name}", body):
        invitation.delivery = Delivery.MAILED.value
    else:
        revoke_invitation(invitation, None, "mail_not_sent")
    return None


def _as_aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def open_invitation(token: str) -> Invitation | None:
    """The invitation behind a link if it may still be accepted, with its CPTS bound for the rest
    of the unit of work (the invitee belongs to no tenant yet: the token designates one)."""
    token_hash = _token_hash(token)
    with unscoped("invitation link: which CPTS does this token belong to"):
        tenant_id = db.session.scalar(
            select(Invitation.tenant_id).where(Invitation.token_hash == token_hash)
        )
    if tenant_id is None:
        return None
    bind_tenant(tenant_id)
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == token_hash))
    return invitation if invitation_problem(invitation) is None else None


def invitation_problem(invitation: Invitation) -> str | None:
    """Why an invitation can no longer be accepted, or None. Its sender must still be allowed to
    manage the CPTS's users: a deactivated president's invitations die with their access."""
    if invitation.accepted_at is not None:
        return "accepted"
    if invitation.revoked_at is not None:
        return "revoked"
    if _as_aware(invitation.expires_at) <= utcnow():
        return "expired"
    if not can(invitation.invited_by, Action.MANAGE_USERS, invitation.tenant):
        return "inviter_lost_access"
    return None


def accept_invitation(
    invitation: Invitation, *, user: User | None = None, password: str = "", full_name: str = ""
) -> User:
    """Join the CPTS: as the signed-in owner of the invited address, or by creating the account.

    An account nobody has proved to own (created from a link shown to an inviter) is claimed by
    whoever opens a link mailed to its address: they set the password, every other session ends.
    """
    problem = invitation_problem(invitation)
    if problem is not None:
        raise UserError("invitation", f"Cette invitation n'est plus valable ({problem}).")
    mailed = invitation.delivery == Delivery.MAILED.value
    if user is None:
        user = find_user(invitation.email)
        if user is None:
            user = create_user(
                invitation.email,
                password,
                full_name,
                origin=AccountOrigin.INVITATION_MAILED
                if mailed
                else AccountOrigin.INVITATION_SHOWN,
                created_by=invitation.invited_by,
                verified=mailed,
            )
        elif mailed and not user.email_verified:
            _claim(user, password, full_name)
        else:
            raise UserError(
                "password",
                "Un compte existe déjà pour cette adresse : connectez-vous pour accepter l'invitation.",
            )
    elif mailed:
        verify_address(user, "mailed_invitation")
    grant_role(user, invitation.role, tenant=invitation.tenant)
    invitation.accepted_at = utcnow()
    audit.record("invitation_accepted", obj=invitation, tenant_id=invitation.tenant_id, actor=user)
    return user


def _claim(user: User, password: str, full_name: str) -> None:
    problem = password_problem(password, user.email)
    if problem:
        raise UserError("password", problem)
    user.password_hash = hash_password(password)
    user.full_name = full_name.strip() or user.full_name
    end_all_sessions(user)
    verify_address(user, "mailed_invitation")
    audit.record("account_claimed", obj=user, actor=user, details={"email": user.email})
