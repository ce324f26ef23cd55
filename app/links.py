"""Links that leave the application (e-mails): built on the configured BASE_URL, never on the
Host header of the request that caused them (a forged Host would make the platform e-mail a link
to another site)."""

from __future__ import annotations

from flask import current_app, url_for


def external_url(endpoint: str, **values) -> str:
    """BASE_URL is an origin (scheme://host[:port]); url_for adds any mount prefix and the path."""
    return current_app.config["BASE_URL"] + url_for(endpoint, **values, _external=False)
