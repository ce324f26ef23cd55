"""Exact caching of the pages read from the rollups. Such a page is a function of the rollups'
version, the reader (their scope), the language, the day and the URL: its body is kept under
that key, and its ETag names it, so a reader asking again gets 304 or the kept body, and a
write anywhere in the region (which moves the version) is seen at once. Nothing stale is served:
a figure that changed has a new key."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from threading import Lock

from flask import Response, g, make_response, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from app.rollups.regional import Freshness

MAX_PAGES = 512  # per process; a body is 20-200 KB
_bodies: OrderedDict[str, Markup] = OrderedDict()
_lock = Lock()


def page_key(state: Freshness) -> str:
    parts = (request.endpoint, request.full_path, state.version, state.updated_at, date.today(),
             str(get_locale()), current_user.get_id())  # fmt: skip
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _body(key: str, build: Callable[[], str]) -> Markup:
    with _lock:
        if key in _bodies:
            _bodies.move_to_end(key)
            return _bodies[key]
    body = Markup(build())
    with _lock:
        _bodies[key] = body
        while len(_bodies) > MAX_PAGES:
            _bodies.popitem(last=False)
    return body


def cached_page(state: Freshness, title: str, build: Callable[[], str], **layout) -> Response:
    """The page whose body `build` renders, served from the cache or as 304 when it can be."""
    key = page_key(state)
    if request.if_none_match.contains_weak(key):
        response = Response(status=304)
    else:
        body = _body(key, build)
        response = make_response(render_template(
            "regional/page.html", body=body, title=title, freshness=state, **layout
        ))  # fmt: skip
    response.set_etag(key, weak=True)
    # Kept by the reader's browser only, and asked again each time (the ETag answers): the
    # aggregates of a region, never a patient's or a member's data.
    g.revalidate = True
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def clear() -> None:
    with _lock:
        _bodies.clear()
