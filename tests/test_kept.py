"""What a process keeps between requests (app.kept): a page is built once however many threads
ask for it at the same time."""

from __future__ import annotations

import time
from threading import Event, Thread

import pytest

from app.kept import Kept


def test_a_thread_asking_while_another_builds_waits_for_that_build():
    kept, started, release, builds, served = Kept(4), Event(), Event(), [], []

    def build() -> str:
        builds.append(1)
        started.set()
        release.wait(5)
        return "page"

    first = Thread(target=lambda: served.append(kept.made("key", build)))
    first.start()
    assert started.wait(5)
    second = Thread(target=lambda: served.append(kept.made("key", build)))
    second.start()
    time.sleep(0.05)  # the second asks while the first builds
    release.set()
    first.join(5)
    second.join(5)
    assert served == ["page", "page"] and len(builds) == 1


def test_a_build_that_failed_leaves_the_next_reader_to_build():
    kept = Kept(4)

    def broken() -> str:
        raise ValueError("the database went away")

    with pytest.raises(ValueError):
        kept.made("key", broken)
    assert kept.made("key", lambda: "page") == "page"
    assert kept.made("key", broken) == "page"  # kept
