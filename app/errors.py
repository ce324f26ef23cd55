"""Error answers: an HTML page or the API's JSON envelope, never a stack trace (quality bar 17)."""

from __future__ import annotations

import logging

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from app.i18n import N_
from app.observability import redact
from app.services import audit

log = logging.getLogger("app.errors")

MESSAGES = {
    400: N_("Requête invalide."),
    401: N_("Authentification requise."),
    403: N_("Vous n'avez pas le droit d'effectuer cette action."),
    404: N_("Page introuvable."),
    405: N_("Méthode non autorisée."),
    413: N_("Fichier trop volumineux."),
    422: N_("Données invalides."),
    429: N_("Trop de tentatives : réessayez dans quelques minutes."),
    500: N_("Une erreur interne est survenue. L'équipe technique a été prévenue."),
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_response(status: int, message: str | None = None, fields: dict | None = None):
    message = message or MESSAGES.get(status, N_("Erreur."))
    if wants_json():
        body = {"error": {"status": status, "message": message}}
        if fields:
            body["error"]["fields"] = fields
        return jsonify(body), status
    return render_template("error.html", status=status, message=message), status


def _audit_denial(status: int) -> None:
    """A route refused a signed-in user (an object of another CPTS, an action not theirs): record
    it like every other denial, unless the refusal was recorded where it happened."""
    if status not in (403, 404) or request.endpoint is None or g.get("denial_recorded"):
        return
    if not current_user or not current_user.is_authenticated:
        return
    tenant = g.get("tenant")
    audit.record_now(
        "access_denied",
        outcome="denied",
        tenant_id=tenant.id if tenant is not None else None,
        details={"path": redact(request.path), "method": request.method},
        status_code=status,
    )


def _http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    _audit_denial(error.code)
    body, status = error_response(error.code)
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
    from app.extensions import db

    db.session.rollback()
    return error_response(InternalServerError.code)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(SecurityError, _untrusted_host)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
