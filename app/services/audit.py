"""Recording audit events: UTC time, actor, tenant, action, object, outcome."""

from __future__ import annotations

import logging

from flask import g, has_request_context, request
from flask_login import current_user

from app.extensions import db
from app.models.audit import AuditEvent
from app.tenants.context import bound_tenant_id

log = logging.getLogger("app.audit")


def record(
    action: str,
    *,
    obj: object | None = None,
    outcome: str = "success",
    tenant_id: int | None = None,
    actor=None,
    details: dict | None = None,
    status_code: int | None = None,
) -> AuditEvent:
    """Add an audit event to the session (committed with the unit of work it belongs to)."""
    obj = _unproxied(obj)
    actor = _unproxied(actor) if actor is not None else current_actor()
    event = AuditEvent(
        action=action,
        outcome=outcome,
        tenant_id=tenant_id if tenant_id is not None else bound_tenant_id(),
        actor_id=getattr(actor, "id", None),
        actor_email=getattr(actor, "email", None),
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=str(getattr(obj, "id", "")) or None if obj is not None else None,
        details=details,
        status_code=status_code,
    )
    if has_request_context():
        event.address = request.remote_addr
        event.request_id = g.get("request_id")
    db.session.add(event)
    log.info(
        "audit action=%s outcome=%s object=%s:%s",
        action,
        outcome,
        event.object_type,
        event.object_id,
    )
    return event


def record_now(action: str, **kwargs) -> None:
    """Record an event that must survive the request's rollback (denied access, failed login)."""
    db.session.rollback()
    record(action, **kwargs)
    db.session.commit()


def _unproxied(value):
    """The object behind current_tenant or current_user, so the record names its type."""
    unwrap = getattr(value, "_get_current_object", None)
    return unwrap() if unwrap is not None else value


def current_actor():
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user._get_current_object()
    return None
