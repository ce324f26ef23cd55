"""Who calls the API: a personal access token, `Authorization: Bearer <token>`, and nothing
else (no session cookie, so no request can be forged from another site). The token acts as its
user, within its scope; invalid tokens are counted per address, valid ones per minute."""

from __future__ import annotations

from flask import abort, g, request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import TooManyRequests, Unauthorized

from app.models.token import TokenScope
from app.observability import redact
from app.security import throttle
from app.services import audit, tokens

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _unauthorized() -> Unauthorized:
    return Unauthorized(www_authenticate=WWWAuthenticate("bearer", {"realm": "api"}))


def authenticate() -> None:
    """Before every API view: find the token, or answer 401 (429 when guessing)."""
    address = request.remote_addr or "-"
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise _unauthorized()
    token = tokens.find_valid(raw.strip())
    if token is None:
        # A wrong token is counted against its address; past the limit the answer is 429 (a
        # valid token from the same address still works: a guess, not a client, is slowed).
        throttle.record_token_failure(address)
        status = 429 if throttle.token_failures_exceeded(address) else 401
        audit.record_now(
            "api_token_refused",
            outcome="denied",
            details={"path": redact(request.path)},
            status_code=status,
        )
        raise TooManyRequests(retry_after=60) if status == 429 else _unauthorized()
    if not tokens.count_use(token):
        raise TooManyRequests(retry_after=60)
    g.api_token = token
    g.api_user = token.user
    g.pop("_login_user", None)  # current_user is now the token's user
    if request.method in WRITE_METHODS and token.scope != TokenScope.WRITE:
        abort(403)  # a read token: audited like any refusal, by the error handler


def audit_writes(response):
    """Every write made with a token is recorded with the token and what it did."""
    token = g.get("api_token")
    if token is not None and request.method in WRITE_METHODS:
        audit.record_now(
            "api_write",
            actor=token.user,
            tenant_id=g.tenant.id if g.get("tenant") is not None else None,
            details={"token": token.id, "method": request.method, "path": redact(request.path)},
            status_code=response.status_code,
        )
    return response
