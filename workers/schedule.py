"""`python -m workers.schedule`: enqueues the periodic jobs at their time (Europe/Paris), declared
in one list. Run one such process beside the workers; each job is recorded like any other."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from app import create_app
from app.jobs import enqueue

PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class Periodic:
    kind: str
    function: str  # dotted path, a platform job (no tenant)
    hour: int
    minute: int = 0
    queue: str = "reports"


PERIODIC = (Periodic("rollups_nightly", "app.jobs.rollups.rebuild_rollups", hour=3, minute=5),)


def next_run(job: Periodic, now: datetime) -> datetime:
    """The job's next time, strictly after `now` (aware), in Paris time."""
    local = now.astimezone(PARIS)
    due = local.replace(hour=job.hour, minute=job.minute, second=0, microsecond=0)
    return due if due > local else (due + timedelta(days=1)).replace(hour=job.hour)


def main(argv: list[str]) -> None:
    app = create_app()
    while True:
        now = datetime.now(PARIS)
        job, at = min(((j, next_run(j, now)) for j in PERIODIC), key=lambda pair: pair[1])
        time.sleep(max(0.0, (at - now).total_seconds()))
        with app.app_context():
            enqueue(job.kind, job.function, tenant_id=None, queue=job.queue)
        if "--once" in argv:
            return


if __name__ == "__main__":
    main(sys.argv[1:])
