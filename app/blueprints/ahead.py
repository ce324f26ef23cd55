"""Pages built ahead of their readers: once a write moves a region's rollups, each process
builds again, in the background, the pages of that region its readers opened lately, so that
the next reader is served from the cache (page_cache) instead of waiting for the build.

A page is remembered as its request (the URL, the headers and the session: the reader, their
language) when a reader opens it. A thread of the process looks at the regions' versions every
VERSION_SECONDS, and at once after this process's own writes; for each remembered page whose
regions moved, most recently read first, it runs the request again through the application's
own checks (signed in, allowed in the region), as the reader would, and lets the page cache
keep what the view builds. Nothing is served from here: a reader who comes before the build is
done waits for it (page_cache) or builds the page themselves; a reader who lost access is
refused by the checks, and the page forgotten.

Only pages read again are built ahead (READS): a page read once, such as the compare page of
some pair, is left to its next reader. A page not read for WINDOW is forgotten. A pass builds for at most BUDGET seconds, the pages
read most often first, then the latest read; those it has no time for are left to their next
reader: a write costs each process at most that much, however many pages (compare pages of every
pair, say) were read.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from io import BytesIO

from flask import Flask, current_app, request, session
from flask.ctx import RequestContext
from werkzeug.exceptions import HTTPException

from app.rollups import regional
from app.rollups.regional import Freshness

log = logging.getLogger(__name__)

WINDOW = 15 * 60  # seconds: a page not read for this long is no longer built ahead
BUDGET = 0.25  # seconds of building per pass
SIZE = 256  # pages remembered per process
READS = 2  # a page read once (a compare page of some pair, say) is left to its next reader
AHEAD = "cpts.ahead"  # in the environ of a request run ahead: not a reader's
_PER_REQUEST = ("HTTP_IF_NONE_MATCH", "HTTP_COOKIE", "HTTP_X_REQUEST_ID")


@dataclass
class Remembered:
    environ: dict
    session: dict
    regions: tuple[str, ...]  # none: every region's
    version: int  # the regions' version the reader was served
    read_at: float = field(default_factory=time.monotonic)
    reads: int = 1  # since it was remembered

    def version_in(self, versions: dict[str, int]) -> int:
        return sum(versions.get(code, 0) for code in self.regions or versions)


_remembered: OrderedDict[str, Remembered] = OrderedDict()
_lock = threading.Lock()
_thread: threading.Thread | None = None
last_built_at = 0.0  # time.monotonic() at the end of the last pass that built a page


def remember(key: str, state: Freshness) -> None:
    """A reader opened this page (named `key`, without its version): build it again when its
    regions' rollups move. Requests run ahead are not readers."""
    if request.environ.get(AHEAD) or request.method != "GET":
        return
    # What the request says (its URL, its headers), not the server's objects (its socket).
    environ = {k: v for k, v in request.environ.items()
               if isinstance(v, str) and k not in _PER_REQUEST}  # fmt: skip
    kept = {k: v for k, v in session.items() if k != "_flashes"}  # shown to the reader, once
    found = Remembered(environ, kept, state.regions, state.version)
    with _lock:
        before = _remembered.get(key)
        found.reads += before.reads if before is not None else 0
        _remembered[key] = found
        _remembered.move_to_end(key)
        while len(_remembered) > SIZE:
            _remembered.popitem(last=False)
    if current_app.config.get("PAGES_AHEAD"):
        _start(current_app._get_current_object())  # type: ignore[attr-defined]


def build_ahead(app: Flask, now: float | None = None) -> int:
    """One pass: the remembered pages whose regions moved, built again; how many were."""
    now = time.monotonic() if now is None else now
    with _lock:
        for key in [k for k, found in _remembered.items() if now - found.read_at > WINDOW]:
            del _remembered[key]
        if not any(found.reads >= READS for found in _remembered.values()):
            return 0
    with app.app_context():
        versions = regional.versions()
    with _lock:
        stale = []
        for key, found in reversed(_remembered.items()):
            now_at = found.version_in(versions)
            if found.reads >= READS and now_at != found.version:
                found.version = now_at  # built now, or else by its next reader
                stale.append((key, found))
    stale.sort(key=lambda item: -item[1].reads)  # the most read first, then the latest read
    if not stale:
        return 0
    regional.forget({code for _key, found in stale for code in found.regions} or None, wake=False)
    built, started = 0, time.perf_counter()
    for key, found in stale:
        if _build(app, found):
            built += 1
        else:
            with _lock:
                _remembered.pop(key, None)
        if time.perf_counter() - started > BUDGET:
            break
    if built:
        global last_built_at
        last_built_at = time.monotonic()
    return built


def _build(app: Flask, found: Remembered) -> bool:
    """The reader's request run again, its answer left to the page cache; False if the reader
    may no longer see the page."""
    environ = {**found.environ, AHEAD: True, "wsgi.input": BytesIO()}
    session_class = app.session_interface.session_class  # type: ignore[attr-defined]
    # A context of its own (the caller's, if any, holds another reader, their `g` and session).
    with app.app_context(), RequestContext(app, environ, session=session_class(found.session)):
        try:
            answer = app.preprocess_request()
            if answer is not None:  # signed out: sent to the login page
                return False
            answer = app.dispatch_request()
        except HTTPException:
            return False
        except Exception:  # a bug in a page must not stop the thread: logged, page forgotten
            log.exception("building %s ahead failed", environ.get("PATH_INFO"))
            return False
    return getattr(answer, "status_code", 200) == 200


def _start(app: Flask) -> None:
    """The process's builder thread, started with its first reader (after a server forked)."""
    global _thread
    with _lock:
        if _thread is not None and _thread.is_alive():
            return
        _thread = threading.Thread(target=_run, args=(app,), name="pages-ahead", daemon=True)
        _thread.start()


def _run(app: Flask) -> None:
    while True:
        regional.moved.wait(regional.VERSION_SECONDS)
        regional.moved.clear()
        started = time.monotonic()
        try:
            if build_ahead(app):  # at most half of the time building, however fast writes come
                time.sleep(time.monotonic() - started)
        except Exception:  # the database away for a moment: try again next pass
            log.exception("building pages ahead failed")
            time.sleep(regional.VERSION_SECONDS)


def clear() -> None:
    with _lock:
        _remembered.clear()
