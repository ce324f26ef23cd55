"""Language choice (French by default, English on request) and the extraction marker N_."""

from __future__ import annotations

from flask import current_app, has_request_context, session


def N_(message: str) -> str:  # noqa: N802 - the usual gettext name for "mark, translate later"
    """Mark a string for extraction; it is translated where it is shown (templates)."""
    return message


def select_locale() -> str:
    """The language chosen in this browser session; French otherwise (and outside a request,
    for commands and jobs)."""
    chosen = session.get("lang") if has_request_context() else None
    return str(chosen) if chosen in current_app.config["LANGUAGES"] else "fr"
