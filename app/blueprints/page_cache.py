"""Exact caching of the pages read from the rollups. Such a page is a function of the rollups'
version, the reader (their scope), the language, the day and the URL: its body is kept under
that key, and its ETag names it, so a reader asking again gets 304 or the kept page, and a
write anywhere in the region (which moves the version) is seen at once. Nothing stale is served:
a figure that changed has a new key.

A fragment (a table row, say) is kept under the values it shows: after a write, a page is built
again around the rows that did not change, and every sort or filter of a table reuses them.

The whole page (layout included) is kept too, per session: the layout carries the session's CSRF
token, valid for an hour (Flask-WTF), so a kept page lives half of that; a page with a message
to flash, or for a session without its token yet, is rendered afresh.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from datetime import date

from flask import Response, current_app, make_response, render_template, request, session
from flask_login import current_user
from markupsafe import Markup

from app.blueprints import ahead
from app.i18n import language
from app.kept import Kept
from app.rollups.regional import Freshness
from app.security.headers import REVALIDATE

PAGE_SECONDS = 1800  # a whole page (its CSRF token) is kept at most this long


_bodies = Kept(512)
_pages = Kept(2048, PAGE_SECONDS)
_figures = Kept(256)
_fragments = Kept(16384)


def memo(parts: tuple, build: Callable[[], object]):
    """What `build` returns, kept under `parts` (which must name the rollups' version: the
    region's rows, say, shared by every page and reader of that version)."""
    return _figures.made(repr(parts), build)


def fragment(template: str, **values: Hashable) -> Markup:
    """`template` rendered with `values` (hashable: frozen rows of the rollups), kept per
    language for every page and reader showing the same values."""
    key = (template, language(), request.script_root, tuple(sorted(values.items())))
    found: Markup | None = _fragments.get(key)
    if found is None:
        found = Markup(current_app.jinja_env.get_template(template).render(**values))
        _fragments.put(key, found)
    return found


def page_key(state: Freshness, vary: Hashable = None) -> str:
    """The page's name: what it is a function of, and `vary` (what else its layout shows)."""
    parts = (request.endpoint, request.full_path, state.version, state.updated_at, date.today(),
             language(), current_user.get_id(), vary)  # fmt: skip
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _kept(store: Kept, key: str, build: Callable[[], str]) -> Markup:
    """Built once: a reader asking while the page is being built (ahead, say) waits for it."""
    return store.made(key, lambda: Markup(build()))


def cached_page(state: Freshness, title: str, build: Callable[[], str],
                layout: str = "regional/page.html", vary: Hashable = None,
                **context) -> Response:  # fmt: skip
    """The page whose body `build` renders inside `layout`, served from the cache or as 304.
    What the layout shows besides the body (`context`) must be a function of the rollups'
    version or be named by `vary`."""
    key = page_key(state, vary)
    ahead.remember(f"{request.full_path}|{current_user.get_id()}|{language()}", state)
    if request.if_none_match.contains_weak(key):
        response = Response(status=304)
    else:

        def whole() -> str:
            body = _kept(_bodies, key, build)
            return render_template(layout, body=body, title=title, freshness=state, **context)

        secret = session.get("csrf_token")
        if secret and not session.get("_flashes"):
            html = _kept(_pages, hashlib.sha256(f"{key}:{secret}".encode()).hexdigest(), whole)
        else:
            html = Markup(whole())
        response = make_response(html)
    response.set_etag(key, weak=True)
    # Kept by the reader's browser only, and asked again each time (the ETag answers): the
    # aggregates of a region, never a patient's or a member's data.
    response.headers["Cache-Control"] = REVALIDATE
    return response


def clear() -> None:
    for store in (_bodies, _pages, _figures, _fragments):
        store.clear()
    ahead.clear()
