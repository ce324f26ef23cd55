"""`python -m workers [queue ...]`: an RQ worker serving the queues inside an app context."""

from __future__ import annotations

import sys

from rq import Worker

from app import create_app
from app.jobs import QUEUES, redis_connection


def main(argv: list[str]) -> None:
    app = create_app()
    connection = redis_connection(app)
    if connection is None:
        sys.exit("REDIS_URL is not set: jobs run in-process, no worker is needed.")
    with app.app_context():
        Worker(argv or list(QUEUES), connection=connection).work()


if __name__ == "__main__":
    main(sys.argv[1:])
