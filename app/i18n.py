"""Language choice (French by default, English on request), the extraction marker N_, and the
reader's language and catalogue looked up once per request."""

from __future__ import annotations

from contextvars import ContextVar

from babel.support import NullTranslations
from flask import Flask, current_app, g, has_app_context, has_request_context, session
from flask_babel import get_locale, get_translations


def N_(message: str) -> str:  # noqa: N802 - the usual gettext name for "mark, translate later"
    """Mark a string for extraction; it is translated where it is shown (templates)."""
    return message


def select_locale() -> str:
    """The language chosen in this browser session; French otherwise (and outside a request,
    for commands and jobs)."""
    chosen = session.get("lang") if has_request_context() else None
    return str(chosen) if chosen in current_app.config["LANGUAGES"] else "fr"


# (the application context's `g`, its catalogue, its language): Flask-Babel walks several
# context proxies on each lookup, a thousand times for a regional table of numbers; the first
# lookup of a context is kept for the rest of it (Flask-Babel keeps its own on `g` alike).
_current: ContextVar[tuple[object, NullTranslations, str] | None] = ContextVar(
    "i18n_current", default=None
)


def _looked_up() -> tuple[object, NullTranslations, str]:
    owner = g._get_current_object() if has_app_context() else None
    found = _current.get()
    if found is None or found[0] is not owner:
        found = (owner, get_translations(), str(get_locale() or "fr"))
        if owner is not None:
            _current.set(found)
    return found


def language() -> str:
    """The reader's language code ("fr" outside a request)."""
    return _looked_up()[2]


def catalogue() -> NullTranslations:
    return _looked_up()[1]


def gettext(message: str, **values) -> str:
    """Flask-Babel's `gettext`, through the catalogue kept for the request."""
    found = catalogue().ugettext(message)
    return found % values if values else found


def _let_go(_exc: BaseException | None) -> None:
    _current.set(None)


def init_app(app: Flask) -> None:
    """Templates translate through the kept catalogue (as Flask-Babel's own callables do); it
    is let go with its context."""
    app.teardown_appcontext(_let_go)
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: catalogue().ugettext(s),
        ngettext=lambda s, p, n: catalogue().ungettext(s, p, n),
        pgettext=lambda c, s: catalogue().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalogue().unpgettext(c, s, p, n),
        newstyle=True,
    )
