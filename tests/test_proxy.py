"""Behind a trusted reverse proxy, throttling and audit see the client's address, not the proxy's."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models.audit import AuditEvent


def _failed_login_address(application, headers) -> str:
    client = application.test_client()
    client.post(
        "/login", data={"email": "x@test.fr", "password": "wrong-password-123"}, headers=headers
    )
    db.session.expire_all()
    return db.session.scalars(
        select(AuditEvent.address).where(AuditEvent.action == "login_failed")
    ).all()


def test_forwarded_address_is_used_only_when_the_proxy_is_trusted(app, extra_app):
    headers = {"X-Forwarded-For": "203.0.113.7"}
    assert _failed_login_address(app, headers) == ["127.0.0.1"]
    assert _failed_login_address(extra_app(TRUSTED_PROXIES=1), headers) == [
        "127.0.0.1",
        "203.0.113.7",
    ]
