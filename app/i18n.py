"""Language choice: French by default, English on request (kept in the session)."""

from __future__ import annotations

from flask import current_app, session


def select_locale() -> str:
    chosen = session.get("lang")
    return chosen if chosen in current_app.config["LANGUAGES"] else "fr"
