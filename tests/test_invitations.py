"""A president manages the CPTS's users: invitations (one-time, expiring links) and deactivation."""

from __future__ import annotations

import logging
import re
from datetime import UTC, timedelta
from hashlib import sha256
from html import unescape

import pytest
from sqlalchemy import func, select

from app.columns import utcnow
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.user import Invitation, Role, RoleGrant, User
from app.services import access, users
from app.tenants.context import tenant_bound
from tests.conftest import RequestIsolatingClient
from tests.factories import PASSWORD, make_tenant, make_user

USERS_PAGE = "/t/cpts-a/utilisateurs"
INVITEE_PASSWORD = "Bienvenue dans la CPTS 2026"
LINK = re.compile(r"http://localhost/invitation/[A-Za-z0-9_-]+")


@pytest.fixture
def tenant(app):
    return make_tenant("cpts-a")


@pytest.fixture
def president(tenant) -> User:
    return make_user("president@test.fr", Role.PRESIDENT, tenant=tenant)


def new_client(app) -> RequestIsolatingClient:
    return RequestIsolatingClient(app, app.response_class)


def login(client, email: str, password: str = PASSWORD):
    return client.post("/login", data={"email": email, "password": password})


def field_error(html: str, field_id: str) -> str:
    match = re.search(rf'<p class="error-message" id="{field_id}-error">([^<]*)</p>', html)
    return unescape(match.group(1)) if match else ""


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def grant_of(user: User) -> RoleGrant:
    db.session.expire_all()
    return db.session.scalar(select(RoleGrant).where(RoleGrant.user_id == user.id))


def invite(client, email: str = "nouvelle@test.fr", role: str = "coordinator"):
    return client.post(USERS_PAGE, data={"email": email, "role": role})


def accept(
    client, link: str, password: str = INVITEE_PASSWORD, full_name: str = "Nouvelle Coordinatrice"
):
    return client.post(
        link, data={"full_name": full_name, "password": password, "confirm": password}
    )


def test_president_invites_and_the_invitee_joins(app, client, president, caplog):
    caplog.set_level(logging.INFO)
    login(client, email=president.email)

    response = invite(client, email=" Nouvelle@Test.FR ")

    assert response.status_code == 302 and response.location == USERS_PAGE
    page = client.get(USERS_PAGE).get_data(as_text=True)
    link = LINK.search(page).group(0)
    assert f"valable 7 jours : {link}" in page  # flashed, since no mail server is configured
    assert link.rsplit("/", 1)[1] not in caplog.text  # never logged
    assert "nouvelle@test.fr" in page  # pending invitation
    with tenant_bound(president.grants[0].tenant_id):
        [invitation] = db.session.scalars(select(Invitation))
    token = link.rsplit("/", 1)[1]
    assert (invitation.email, invitation.role) == ("nouvelle@test.fr", Role.COORDINATOR)
    assert invitation.invited_by_id == president.id
    assert invitation.token_hash == sha256(token.encode()).hexdigest()  # never the token
    expires_at = invitation.expires_at
    expires_at = expires_at if expires_at.tzinfo else expires_at.replace(tzinfo=UTC)
    assert timedelta(days=6, hours=23) < expires_at - utcnow() <= timedelta(days=7)

    invitee = new_client(app)
    assert invitee.get(link).status_code == 200
    response = accept(invitee, link)

    assert response.status_code == 302
    assert invitee.get("/t/cpts-a/").status_code == 200
    user = users.find_user("nouvelle@test.fr")
    assert user.full_name == "Nouvelle Coordinatrice"
    assert [(g.role, g.tenant.slug, g.active) for g in user.grants] == [
        (Role.COORDINATOR, "cpts-a", True)
    ]
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert "user_invited" in actions and "invitation_accepted" in actions
    assert not any(token in str(e.details) for e in db.session.scalars(select(AuditEvent)))


def test_invitation_link_works_once(app, client, president):
    _invitation, token = access.invite(
        president.grants[0].tenant, "nouvelle@test.fr", Role.VIEWER, president
    )
    db.session.commit()
    link = f"/invitation/{token}"
    assert accept(client, link).status_code == 302

    for again in (new_client(app), client):
        assert again.get(link).status_code == 404
        assert accept(again, link, password="Une autre phrase 2026").status_code == 404
    assert count(User) == 2


def test_expired_invitation_is_refused(app, client, president):
    with tenant_bound(president.grants[0].tenant_id):
        invitation, token = access.invite(
            president.grants[0].tenant, "nouvelle@test.fr", Role.VIEWER, president
        )
        invitation.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    link = f"/invitation/{token}"

    assert client.get(link).status_code == 404
    assert accept(client, link).status_code == 404
    assert users.find_user("nouvelle@test.fr") is None


def test_unknown_token_is_404(client, president):
    assert client.get("/invitation/not-a-real-token").status_code == 404


def test_invitee_password_must_be_strong(client, president):
    invitation, token = access.invite(
        president.grants[0].tenant, "nouvelle@test.fr", Role.VIEWER, president
    )
    db.session.commit()
    link = f"/invitation/{token}"

    response = accept(client, link, password="motdepasse123")

    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), "password") == (
        "Ce mot de passe est trop courant : choisissez-en un autre."
    )
    assert users.find_user("nouvelle@test.fr") is None
    db.session.expire_all()
    with tenant_bound(president.grants[0].tenant_id):
        assert invitation.accepted_at is None
    assert client.get(link).status_code == 200  # still usable


def test_an_existing_account_signs_in_then_accepts(app, client, president):
    other = make_tenant("cpts-b")
    member = make_user("membre@test.fr", Role.VIEWER, tenant=other)
    _invitation, token = access.invite(
        president.grants[0].tenant, member.email, Role.COORDINATOR, president
    )
    db.session.commit()
    link = f"/invitation/{token}"

    refused = accept(client, link)
    assert refused.status_code == 400
    assert "connectez-vous pour accepter" in unescape(refused.get_data(as_text=True))
    assert f"/login?next=/invitation/{token}" in client.get(link).get_data(as_text=True)

    login(client, member.email)
    page = client.get(link).get_data(as_text=True)
    assert 'name="password"' not in page  # signed in: one button, nothing more to type
    assert client.post(link).status_code == 302
    assert client.get("/t/cpts-a/").status_code == 200
    assert client.get("/t/cpts-b/").status_code == 200
    assert count(User) == 2


def test_the_invitation_page_never_checks_an_existing_accounts_password(app, client, president):
    """Whoever holds the link learns nothing about the existing account's password: the page
    answers the same to the right one and to a wrong one, and signs nobody in."""
    member = make_user("membre@test.fr", Role.VIEWER, tenant=make_tenant("cpts-b"))
    _invitation, token = access.invite(
        president.grants[0].tenant, member.email, Role.COORDINATOR, president
    )
    db.session.commit()
    link = f"/invitation/{token}"

    answers = [accept(client, link, password=p) for p in ("Pas-le-bon-mot-2026", PASSWORD)]

    assert [a.status_code for a in answers] == [400, 400]
    assert client.get("/t/cpts-b/").status_code == 302  # to /login: nobody was signed in
    assert count(User) == 2


def test_someone_else_signed_in_is_turned_away(app, client, president):
    _invitation, token = access.invite(
        president.grants[0].tenant, "nouvelle@test.fr", Role.VIEWER, president
    )
    db.session.commit()
    login(client, president.email)

    page = client.get(f"/invitation/{token}")

    assert page.status_code == 403
    assert "destinée à une autre adresse" in unescape(page.get_data(as_text=True))
    assert client.post(f"/invitation/{token}").status_code == 403
    assert users.find_user("nouvelle@test.fr") is None


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.VIEWER])
def test_only_the_president_invites(client, tenant, role):
    make_user("someone@test.fr", role, tenant=tenant)
    login(client, email="someone@test.fr")

    assert client.get(USERS_PAGE).status_code == 403
    assert invite(client, role="president").status_code == 403
    assert count(Invitation) == 0


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "pas-une-adresse", "role": "viewer"}, "email", "Adresse e-mail invalide."),
        ({"email": "jean dupont@test.fr", "role": "viewer"}, "email", "Adresse e-mail invalide."),
        ({"email": "a@b@test.fr", "role": "viewer"}, "email", "Adresse e-mail invalide."),
        ({"email": "", "role": "viewer"}, "email", "Ce champ est obligatoire."),
        ({"email": "nouvelle@test.fr", "role": "admin"}, "role", "N'est pas un choix valide."),
    ],
)
def test_bad_invitation_is_refused_in_french_and_writes_nothing(
    client, president, data, field, message
):
    login(client, email=president.email)
    audit_before = count(AuditEvent)

    response = client.post(USERS_PAGE, data=data)

    assert response.status_code == 400
    assert message in field_error(response.get_data(as_text=True), field)
    assert count(Invitation) == 0
    assert count(AuditEvent) == audit_before


def test_president_deactivates_a_user(app, client, tenant, president):
    coordinator = make_user("coordinator@test.fr", Role.COORDINATOR, tenant=tenant)
    login(client, email=president.email)

    response = client.post(f"{USERS_PAGE}/{grant_of(coordinator).id}/desactiver")

    assert response.status_code == 302 and response.location == USERS_PAGE
    page = unescape(client.get(USERS_PAGE).get_data(as_text=True))
    assert "L'accès de coordinator@test.fr à la CPTS est désactivé." in page
    assert grant_of(coordinator).active is False
    assert db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "user_deactivated")
    ).details == {
        "email": "coordinator@test.fr",
        "role": "coordinator",
    }
    former = new_client(app)
    assert login(former, email=coordinator.email).status_code == 302  # the account itself lives on
    assert former.get("/t/cpts-a/").status_code == 404


def test_president_cannot_deactivate_themself(client, president):
    login(client, email=president.email)

    response = client.post(
        f"{USERS_PAGE}/{grant_of(president).id}/desactiver", follow_redirects=True
    )

    assert "Vous ne pouvez pas retirer votre propre accès." in response.get_data(as_text=True)
    assert grant_of(president).active is True
    assert client.get(USERS_PAGE).status_code == 200


def test_grant_of_another_tenant_is_404(client, president):
    outsider = make_user("president.b@test.fr", Role.PRESIDENT, tenant=make_tenant("cpts-b"))
    login(client, email=president.email)

    assert client.post(f"{USERS_PAGE}/{grant_of(outsider).id}/desactiver").status_code == 404
    assert client.post(f"{USERS_PAGE}/999999/desactiver").status_code == 404
    assert grant_of(outsider).active is True


def test_coordinator_cannot_deactivate(client, tenant, president):
    make_user("coordinator@test.fr", Role.COORDINATOR, tenant=tenant)
    login(client, email="coordinator@test.fr")

    assert client.post(f"{USERS_PAGE}/{grant_of(president).id}/desactiver").status_code == 403
    assert grant_of(president).active is True
