"""Invitations are e-mailed through a real SMTP server when one is configured."""

from __future__ import annotations

import re
import socket
from contextlib import contextmanager
from html import unescape

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from app.models.user import Role
from tests.factories import make_tenant, make_user


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


@contextmanager
def smtp_controller(inbox: Inbox):
    """A real SMTP server on a free port (aiosmtpd cannot take port 0)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield "127.0.0.1", port
    finally:
        controller.stop()


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    with smtp_controller(inbox) as (host, port):
        yield host, port, inbox


def test_invitation_is_mailed_and_its_link_works(app, extra_app, smtp_server):
    host, port, inbox = smtp_server
    tenant = make_tenant("cpts-a")
    make_user("president@test.fr", Role.PRESIDENT, tenant=tenant)
    mailing_app = extra_app(MAIL_SERVER=host, MAIL_PORT=port, MAIL_FROM="noreply@test.fr")
    client = mailing_app.test_client()
    client.post("/login", data={"email": "president@test.fr", "password": "Test-password-2026!"})
    response = client.post(
        "/t/cpts-a/utilisateurs", data={"email": "new@test.fr", "role": "viewer"}
    )
    assert response.status_code == 302
    page = client.get("/t/cpts-a/utilisateurs").get_data(as_text=True)
    assert "Invitation envoyée à new@test.fr" in page and "/invitation/" not in page
    [message] = inbox.messages
    assert message["To"] == "new@test.fr" and message["From"] == "noreply@test.fr"
    body = message.get_payload(decode=True).decode()
    link = re.search(r"http://localhost/invitation/\S+", body).group(0)
    assert "CPTS cpts-a" in body
    assert mailing_app.test_client().get(link).status_code == 200


def test_unreachable_mail_server_never_shows_the_link(app, extra_app):
    """With a mail server configured, only the invited address may receive the link: when it
    cannot be sent, the invitation is cancelled rather than shown to the president."""
    tenant = make_tenant("cpts-a")
    make_user("president@test.fr", Role.PRESIDENT, tenant=tenant)
    client = extra_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=9).test_client()
    client.post("/login", data={"email": "president@test.fr", "password": "Test-password-2026!"})
    client.post("/t/cpts-a/utilisateurs", data={"email": "new@test.fr", "role": "viewer"})
    page = unescape(client.get("/t/cpts-a/utilisateurs").get_data(as_text=True))
    assert "n'a pas pu être envoyé" in page and "/invitation/" not in page
    assert "new@test.fr" in page and "Invitations en attente" not in page
