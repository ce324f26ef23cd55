"""`python -m workers [--burst] [queue ...]`: an RQ worker serving the queues inside an app context."""

from __future__ import annotations

import os
import sys

from rq import Worker

from app import create_app
from app.extensions import db
from app.jobs import QUEUES, redis_connection


class WithoutCommandChannel:
    """For a worker that stops once the queues are empty: it listens to no command channel
    (nothing needs to tell it to stop). RQ's channel thread reads with a 60-second timeout, and
    taking the channel down at the end could wait for that read, holding the exit a minute."""

    def subscribe(self) -> None:
        pass

    def unsubscribe(self) -> None:
        pass


class BurstWorker(WithoutCommandChannel, Worker):
    pass


def main(argv: list[str], app=None) -> bool:
    """Serve the named queues (all by default); with --burst, stop when they are empty."""
    burst = "--burst" in argv
    queues = [name for name in argv if name != "--burst"] or list(QUEUES)
    unknown = sorted(set(queues) - set(QUEUES))
    if unknown:
        sys.exit(f"unknown queue(s): {', '.join(unknown)} (known: {', '.join(QUEUES)})")
    app = app or create_app()
    connection = redis_connection(app)
    if connection is None:
        sys.exit("REDIS_URL is not set: jobs run in-process, no worker is needed.")
    with app.app_context():
        engine = db.engine
        # A forked work horse must not reuse the parent's pooled connections (SQLAlchemy's
        # advice for os.fork): it drops them, unclosed, and opens its own.
        os.register_at_fork(after_in_child=lambda: engine.dispose(close=False))
        worker_class = BurstWorker if burst else Worker
        return worker_class(queues, connection=connection).work(burst=burst)


if __name__ == "__main__":
    main(sys.argv[1:])
