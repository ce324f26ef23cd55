"""A small LRU store shared by the threads of a process: what a process keeps between requests
(pages, figures, the signed-in users), each under a key naming everything it depends on."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Hashable
from threading import Lock


class Kept:
    """At most `size` items, each for at most `seconds` (None: until pushed out)."""

    def __init__(self, size: int, seconds: float | None = None):
        self.size, self.seconds = size, seconds
        self.items: OrderedDict[Hashable, tuple[float, object]] = OrderedDict()
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

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
