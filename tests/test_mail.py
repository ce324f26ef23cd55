"""Invitations are e-mailed through a real SMTP server when one is configured."""

from __future__ import annotations

import re
import socket

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


@pytest.fixture
def smtp_server():
    with socket.socket() as probe:  # a free port (aiosmtpd cannot take port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield "127.0.0.1", port, inbox
    controller.stop()


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


def test_unreachable_mail_server_falls_back_to_showing_the_link(app, extra_app):
    tenant = make_tenant("cpts-a")
    make_user("president@test.fr", Role.PRESIDENT, tenant=tenant)
    client = extra_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=9).test_client()
    client.post("/login", data={"email": "president@test.fr", "password": "Test-password-2026!"})
    client.post("/t/cpts-a/utilisateurs", data={"email": "new@test.fr", "role": "viewer"})
    page = client.get("/t/cpts-a/utilisateurs").get_data(as_text=True)
    assert "Transmettez-lui ce lien" in page and "/invitation/" in page
