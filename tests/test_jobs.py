"""Background jobs: recorded first, run in-process or by a real RQ worker, tenant re-derived (QB 7, 19)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from redis import Redis
from rq import Queue, SimpleWorker
from sqlalchemy import select

from app.extensions import db
from app.jobs import enqueue
from app.models.job import JobRecord
from app.tenants.models import Tenant
from tests.factories import AGDE, make_tenant
from workers.__main__ import WithoutCommandChannel

REFRESH = "app.jobs.tenants.refresh_tenant_figures"
ROOT = Path(__file__).resolve().parent.parent


def _spoil_population(tenant: Tenant) -> None:
    tenant.population, tenant.size_class = 1, "T1"
    db.session.commit()


def test_in_process_job_runs_with_its_tenant_bound(app):
    tenant = make_tenant("cpts-a")
    _spoil_population(tenant)
    record = enqueue(
        "refresh_figures", REFRESH, tenant_id=tenant.id, payload={"tenant_id": tenant.id}
    )
    assert record.status == "finished", record.error
    db.session.refresh(tenant)
    assert tenant.population > 50_000 and record.result["size_class"] == tenant.size_class


def test_job_refuses_a_payload_of_another_tenant(app):
    a, b = make_tenant("cpts-a"), make_tenant("cpts-b", (AGDE,))
    _spoil_population(b)
    record = enqueue("refresh_figures", REFRESH, tenant_id=a.id, payload={"tenant_id": b.id})
    assert record.status == "failed"
    assert "tenant" in record.error
    db.session.refresh(b)
    assert b.population == 1


def test_unknown_queue_is_refused_before_anything_is_recorded(app):
    with pytest.raises(ValueError):
        enqueue("x", REFRESH, tenant_id=None, queue="nowhere")
    assert db.session.scalars(select(JobRecord)).all() == []


class InProcessWorker(WithoutCommandChannel, SimpleWorker):
    """RQ's worker without fork, as the tests run it (burst: no command channel)."""


@pytest.mark.redis
def test_rq_worker_runs_a_recorded_job(extra_app, redis_url, app):
    tenant = make_tenant("cpts-a")
    _spoil_population(tenant)
    rq_app = extra_app(REDIS_URL=redis_url)
    with rq_app.app_context():
        record = enqueue(
            "refresh_figures", REFRESH, tenant_id=tenant.id, payload={"tenant_id": tenant.id}
        )
        assert record.status == "queued"  # recorded in the database before Redis saw it
        connection = Redis.from_url(redis_url)
        assert Queue("default", connection=connection).count == 1
        InProcessWorker(["default"], connection=connection).work(burst=True)
        db.session.expire_all()
        finished = db.session.get(JobRecord, record.id)
        assert finished.status == "finished", finished.error
        assert db.session.get(Tenant, tenant.id).population > 50_000
        connection.close()


@pytest.mark.redis
def test_worker_command_serves_the_queues(database, extra_app, redis_url, app):
    """`python -m workers --burst`, run as operators run it, executes what was queued."""
    tenant = make_tenant("cpts-a")
    _spoil_population(tenant)
    with extra_app(REDIS_URL=redis_url).app_context():
        record = enqueue(
            "refresh_figures", REFRESH, tenant_id=tenant.id, payload={"tenant_id": tenant.id}
        )
    env = {
        **os.environ,
        "DATABASE_URL": database.app_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "test",
        "LOG_LEVEL": "WARNING",
    }
    done = subprocess.run(
        [sys.executable, "-m", "workers", "--burst", "default"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    db.session.expire_all()
    assert db.session.get(JobRecord, record.id).status == "finished"
    assert db.session.get(Tenant, tenant.id).population > 50_000


def test_worker_refuses_unknown_queues():
    from workers.__main__ import main

    with pytest.raises(SystemExit, match="unknown queue"):
        main(["nowhere"])
