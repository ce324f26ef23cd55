"""Answers of the application: the API's envelope (`ok` and errors), error pages, never a stack
trace; every refusal of a signed-in user is audited here."""

from __future__ import annotations

import logging

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_babel import gettext
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from app.domain import DomainError
from app.extensions import db
from app.i18n import N_
from app.observability import redact
from app.services import audit
from app.tenants.resolver import Denial

log = logging.getLogger("app.errors")

MESSAGES = {
    400: N_("Requête invalide."),
    401: N_("Authentification requise."),
    403: N_("Vous n'avez pas le droit d'effectuer cette action."),
    404: N_("Page introuvable."),
    405: N_("Méthode non autorisée."),
    413: N_("Fichier trop volumineux : 5 Mo au plus."),
    422: N_("Données invalides."),
    429: N_("Trop de tentatives : réessayez dans quelques minutes."),
    500: N_("Une erreur interne est survenue. L'équipe technique a été prévenue."),
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def ok(data: object, meta: dict | None = None, status: int = 200):
    """THE envelope of every successful API answer: {"data": ..., "meta": {...}}."""
    body: dict[str, object] = {"data": data}
    if meta:
        body["meta"] = meta
    return jsonify(body), status


def error_response(status: int, message: str | None = None, fields: dict | None = None):
    """THE envelope of every refused API answer, {"error": {"status", "message", "fields"}}, or
    the error page."""
    message = gettext(message or MESSAGES.get(status, N_("Erreur.")))
    if wants_json():
        body: dict[str, object] = {"status": status, "message": message}
        if fields:
            body["fields"] = fields
        return jsonify({"error": body}), status
    return render_template("error.html", status=status, message=message), status


def _domain_error(error: DomainError):
    """Refused input that reached no form: 422 with the fields at fault (API), or the page."""
    db.session.rollback()
    if wants_json():
        return error_response(422, fields=error.messages())
    return error_response(400, error.summary())


def _audit_denial(status: int) -> None:
    """Every refusal of a route to a signed-in user is recorded the same way: with what the
    refusing code named (g.denial: a cross-tenant attempt, an action not theirs), or as a plain
    denial (an object of another CPTS looked up by id). Routes that do not exist are not."""
    if status not in (403, 404) or request.endpoint is None or g.get("denial_recorded"):
        return
    if not current_user or not current_user.is_authenticated:
        return
    tenant = g.get("tenant")
    denial = g.get("denial") or Denial("access_denied", tenant.id if tenant else None)
    audit.record_now(
        denial.action,
        outcome="denied",
        tenant_id=denial.tenant_id,
        details={"path": redact(request.path), "method": request.method, **denial.details},
        status_code=status,
    )


def _fields_at_fault(error: HTTPException) -> dict | None:
    """The messages by field of a request the API refused (webargs keeps them by location:
    json, query, path; the caller only needs the field)."""
    messages = (getattr(error, "data", None) or {}).get("messages")
    if not isinstance(messages, dict):
        return None
    by_field = {
        field: found
        for by_location in messages.values()
        if isinstance(by_location, dict)
        for field, found in by_location.items()
    }
    return DomainError(by_field).messages()


def _http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    _audit_denial(error.code)
    body, status = error_response(error.code, fields=_fields_at_fault(error))
    response = current_app.make_response((body, status))
    for name, value in error.get_headers():  # e.g. Allow on 405, Retry-After on 429
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def _untrusted_host(_error: SecurityError):
    """A Host header outside TRUSTED_HOSTS: no URL can be built for it, so no page is rendered."""
    return current_app.response_class(
        "400 : hôte inconnu / unknown host", status=400, mimetype="text/plain"
    )


def _csrf_error(_error: CSRFError):
    return error_response(400, N_("Le formulaire a expiré : rechargez la page, puis réessayez."))


def _unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return _http_error(error)
    log.exception("unhandled error", exc_info=error)
    db.session.rollback()
    return error_response(InternalServerError.code)


def init_app(app: Flask) -> None:
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(SecurityError, _untrusted_host)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
