"""Request ids and structured log lines carrying the request id, the user and the tenant.

Every field of a log line is made safe before it is written: control characters are escaped (an
encoded newline in a URL cannot forge a line) and secrets carried in URLs (invitation tokens, API
tokens) are replaced by `[secret]`.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, g, has_request_context, request
from flask_login import current_user

from app.tenants import context

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,40}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")
# URL segments that carry a secret, raw or percent-encoded (in a ?next= for instance).
_SECRET_IN_URL = re.compile(r"((?:/|%2F)(?:invitation|tokens?)(?:/|%2F))[^/?#&\s]+", re.IGNORECASE)
access_log = logging.getLogger("app.access")


def redact(text: str) -> str:
    """Replace the secrets a URL may carry; for logs and audit records."""
    return _SECRET_IN_URL.sub(r"\1[secret]", text)


def loggable(value: object) -> str:
    """A value as it may appear in a log line: secrets redacted, control characters escaped."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", redact(str(value)))


class SafeFieldsFilter(logging.Filter):
    """Rewrites the message of every record it sees into its loggable form."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = loggable(record.getMessage()), None
        return True


class RedactingFilter(logging.Filter):
    """For the development server's own lines: its request lines keep the URL percent-encoded
    (nothing to forge), but carry secrets; its banner keeps its colours."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact(record.getMessage()), None
        return True


class RequestContextFilter(SafeFieldsFilter):
    def filter(self, record: logging.LogRecord) -> bool:
        super().filter(record)
        request_id, user, tenant = "-", "-", context.bound_tenant_id() or "-"
        if has_request_context():
            request_id = g.get("request_id", "-")
            signed_in = current_user if g.get("_login_user") is not None else None
            user = getattr(signed_in, "id", "-") if signed_in is not None else "-"
            tenant = g.tenant.slug if g.get("tenant") is not None else tenant
        record.__dict__.update(request_id=request_id, user=loggable(user), tenant=loggable(tenant))
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
    # The development server's own request lines carry the raw path too.
    werkzeug_log = logging.getLogger("werkzeug")
    if not any(isinstance(f, RedactingFilter) for f in werkzeug_log.filters):
        werkzeug_log.addFilter(RedactingFilter())


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
