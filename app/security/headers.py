"""HTTP security headers on every response: CSP, nosniff, referrer, HSTS, and
`Cache-Control: no-store` on everything but the static assets, so no page or API answer of a
signed-in user is kept by a browser or a proxy; the regional pages, which an ETag names exactly,
are `private, no-cache` instead: the reader's browser asks again each time and gets 304."""

from __future__ import annotations

from flask import Flask, Response, request

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # plotly.js sets inline style attributes on the SVG it draws.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)


CACHEABLE_ENDPOINTS = frozenset({"static", "main.plotly_js"})
REVALIDATE = "private, no-cache"  # set by a view whose ETag names its content exactly


def _add_headers(app: Flask, response: Response) -> Response:
    kept = response.headers.get("Cache-Control") == REVALIDATE
    if request.endpoint not in CACHEABLE_ENDPOINTS and not kept:
        response.headers["Cache-Control"] = "no-store"
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if app.config["APP_ENV"] == "production":
        response.headers.setdefault(
            "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
        )
    return response


def init_app(app: Flask) -> None:
    app.after_request(lambda response: _add_headers(app, response))
