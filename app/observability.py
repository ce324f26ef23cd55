"""Request ids and structured log lines carrying the request id, the user and the tenant."""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, g, has_request_context, request
from flask_login import current_user

from app.tenants import context

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,40}$")
access_log = logging.getLogger("app.access")


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = "-"
        record.user = "-"
        record.tenant = context.bound_tenant_id() or "-"
        if has_request_context():
            record.request_id = g.get("request_id", "-")
            user = current_user if g.get("_login_user") is not None else None
            record.user = getattr(user, "id", "-") if user is not None else "-"
            tenant = g.get("tenant")
            record.tenant = tenant.slug if tenant is not None else record.tenant
        return True


def _configure_logging(app: Flask) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(
        logging.Formatter(
            "%(asctime)s %(levelname)s %(name)s request_id=%(request_id)s user=%(user)s "
            "tenant=%(tenant)s %(message)s"
        )
    )
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger("app")
    if not any(isinstance(f, RequestContextFilter) for h in root.handlers for f in h.filters):
        root.addHandler(handler)
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    root.propagate = True


def _start_request() -> None:
    context.clear()
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
    g.started_at = time.perf_counter()


def _end_request(response):
    response.headers["X-Request-ID"] = g.get("request_id", "")
    elapsed = (time.perf_counter() - g.get("started_at", time.perf_counter())) * 1000
    access_log.info("%s %s %s %.0fms", request.method, request.path, response.status_code, elapsed)
    return response


def init_app(app: Flask) -> None:
    _configure_logging(app)
    app.before_request(_start_request)
    app.after_request(_end_request)
    app.teardown_request(lambda _exc: context.clear())
