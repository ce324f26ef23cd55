"""Language choice (French by default, English on request) and the extraction marker N_."""

from __future__ import annotations

from flask import current_app, session


def N_(message: str) -> str:  # noqa: N802 - the usual gettext name for "mark, translate later"
    """Mark a string for extraction; it is translated where it is shown (templates)."""
    return message


def select_locale() -> str:
    chosen = session.get("lang")
    return chosen if chosen in current_app.config["LANGUAGES"] else "fr"
