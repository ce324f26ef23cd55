"""Background jobs: one enqueue function for all of them.

The request is recorded in the database first, then queued on RQ when REDIS_URL is set, or run
in-process with the same job code when it is not. The runner (app.jobs.runner) is named by
dotted path, as are the job functions; jobs take ids, never ORM objects, and the runner re-binds
their tenant from the record.
"""

from __future__ import annotations

from flask import Flask, current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from werkzeug.utils import import_string

from app.extensions import db
from app.models.job import JobRecord

RUNNER = "app.jobs.runner.run_job"
QUEUES = ("default", "exports", "reports")


def redis_connection(app: Flask) -> Redis | None:
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    if "redis" not in app.extensions:
        app.extensions["redis"] = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    return app.extensions["redis"]


def queue_state(app: Flask) -> str:
    connection = redis_connection(app)
    if connection is None:
        return "in-process"
    try:
        connection.ping()
    except RedisError:
        return "error"
    return "ok"


def enqueue(
    kind: str,
    function: str,
    *,
    tenant_id: int | None,
    requested_by_id: int | None = None,
    queue: str = "default",
    payload: dict | None = None,
) -> JobRecord:
    """Record the job, commit, then hand it to RQ (or run it now when there is no Redis)."""
    if queue not in QUEUES:
        raise ValueError(f"unknown queue {queue!r}")
    record = JobRecord(
        kind=kind,
        function=function,
        queue=queue,
        tenant_id=tenant_id,
        requested_by_id=requested_by_id,
        payload=payload or {},
    )
    db.session.add(record)
    db.session.commit()
    connection = redis_connection(current_app)
    if connection is None:
        import_string(RUNNER)(record.id)
        db.session.refresh(record)
    else:
        Queue(queue, connection=connection).enqueue(RUNNER, record.id, job_id=f"job-{record.id}")
    return record
