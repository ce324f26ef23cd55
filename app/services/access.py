"""Access to a CPTS: invitations (created, delivered, revoked, accepted) and deactivation.

An invitation link goes to the invited address when a mail server is configured, and is then
never shown; without one it is shown to the inviter, and an account created from it stays
unverified. An invitation dies with its sender's right to manage the CPTS's users.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.columns import utcnow
from app.domain import DomainError
from app.extensions import db
from app.links import external_url
from app.models.user import TENANT_ROLES, AccountOrigin, Delivery, Invitation, Role, RoleGrant, User
from app.security.passwords import hash_password, password_problem
from app.security.permissions import Action, can
from app.services import audit
from app.services.mail import mail_configured, send_mail
from app.services.users import (
    create_user,
    find_user,
    grant_role,
    normalise_email,
    verify_address,
)
from app.sessions import end_all_sessions
from app.tenants.context import bind_tenant, for_tenant, unscoped
from app.tenants.models import Tenant

log = logging.getLogger("app.access")


@for_tenant
def pending_invitations(tenant: Tenant) -> list[Invitation]:
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


@for_tenant
def tenant_invitation(tenant: Tenant, invitation_id: int) -> Invitation | None:
    return db.session.scalar(select(Invitation).where(Invitation.id == invitation_id))


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
        raise DomainError.on("grant", _l("Vous ne pouvez pas retirer votre propre accès."))
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


@for_tenant
def invite(tenant: Tenant, email: str, role: Role, by: User) -> tuple[Invitation, str]:
    """Create an invitation; returns it with its one-time token (never stored, never logged)."""
    email = normalise_email(email)
    if role not in TENANT_ROLES:
        raise DomainError.on("role", _l("Rôle inconnu pour une CPTS."))
    token = secrets.token_urlsafe(32)
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
    # One of the two reads across tenants outside app.rollups: whoever opens the link belongs to
    # no CPTS yet, so only the token can say which one; it reads one id, then binds that CPTS.
    with unscoped("invitation link: which CPTS does this token belong to"):
        tenant_id = db.session.scalar(
            select(Invitation.tenant_id).where(Invitation.token_hash == token_hash)
        )
    if tenant_id is None:
        return None
    bind_tenant(tenant_id)
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == token_hash))
    return invitation if invitation and invitation_problem(invitation) is None else None


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
        raise DomainError.on("invitation", _l("Cette invitation n'est plus valable."))
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
            raise DomainError.on(
                "password",
                _l(
                    "Un compte existe déjà pour cette adresse : connectez-vous pour accepter "
                    "l'invitation."
                ),
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
        raise DomainError.on("password", problem)
    user.password_hash = hash_password(password)
    user.full_name = full_name.strip() or user.full_name
    end_all_sessions(user)
    verify_address(user, "mailed_invitation")
    audit.record("account_claimed", obj=user, actor=user, details={"email": user.email})
