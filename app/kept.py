"""What a process keeps between requests, shared by its threads: an LRU store (pages, figures,
the signed-in users), each item under a key naming everything it depends on; and the versions
those keys name, read again at most every so often."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Event, Lock


class Kept:
    """At most `size` items, each for at most `seconds` (None: until pushed out)."""

    def __init__(self, size: int, seconds: float | None = None):
        self.size, self.seconds = size, seconds
        self.items: OrderedDict[Hashable, tuple[float, object]] = OrderedDict()
        self.building: dict[Hashable, Event] = {}
        self.lock = Lock()

    def get(self, key: Hashable):
        with self.lock:
            found = self.items.get(key)
            if found is None:
                return None
            if self.seconds is not None and time.monotonic() - found[0] > self.seconds:
                del self.items[key]
                return None
            self.items.move_to_end(key)
            return found[1]

    def put(self, key: Hashable, value) -> None:
        with self.lock:
            self.items[key] = (time.monotonic(), value)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def made(self, key: Hashable, build: Callable[[], object], wait: float = 5.0):
        """The item under `key`, built once when missing: a thread asking while another builds
        it waits for that build (at most `wait` seconds) instead of building it again."""
        while True:
            found = self.get(key)
            if found is not None:
                return found
            with self.lock:
                other = self.building.get(key)
                if other is None:
                    mine = self.building[key] = Event()
            if other is None:
                break
            if not other.wait(wait):  # stuck: build it here
                return build()
        try:
            found = build()
            self.put(key, found)
            return found
        finally:
            with self.lock:
                del self.building[key]
            mine.set()

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


class Recent:
    """Values read again at most every `seconds` (a version another process may move: it shows
    within them), each forgotten at once when this process changes it (forget, after its
    commit). A read that began before a forget does not stand after it."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.items: dict[Hashable, tuple[float, object]] = {}
        self.forgotten = 0
        self.lock = Lock()

    def get(self, key: Hashable, read: Callable[[], object]):
        with self.lock:
            found, forgotten = self.items.get(key), self.forgotten
        if found is not None and time.monotonic() - found[0] < self.seconds:
            return found[1]
        value = read()
        with self.lock:
            if self.forgotten == forgotten:
                self.items[key] = (time.monotonic(), value)
        return value

    def forget(self, which: Callable[[Hashable], bool] = lambda _key: True) -> None:
        with self.lock:
            self.forgotten += 1
            self.items = {k: v for k, v in self.items.items() if not which(k)}
