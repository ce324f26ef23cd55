"""Background jobs: recorded first, run in-process or by a real RQ worker, tenant re-derived (QB 7, 19)."""

from __future__ import annotations

import pytest
from redis import Redis
from rq import Queue, SimpleWorker
from sqlalchemy import select

from app.extensions import db
from app.jobs import enqueue
from app.models.job import JobRecord
from app.tenants.models import Tenant
from tests.conftest import make_app
from tests.factories import AGDE, make_tenant

REFRESH = "app.tenants.jobs.refresh_tenant_figures"


def _spoil_population(tenant: Tenant) -> None:
    tenant.population, tenant.size_class = 1, "T1"
    db.session.commit()


def test_in_process_job_runs_with_its_tenant_bound(app):
    tenant = make_tenant("cpts-a")
    _spoil_population(tenant)
    record = enqueue("refresh_figures", REFRESH, tenant_id=tenant.id, payload={"tenant_id": tenant.id})
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


@pytest.mark.redis
def test_rq_worker_runs_a_recorded_job(migrated_app, database, redis_url, app):
    tenant = make_tenant("cpts-a")
    _spoil_population(tenant)
    rq_app = make_app(database, REDIS_URL=redis_url)
    with rq_app.app_context():
        record = enqueue("refresh_figures", REFRESH, tenant_id=tenant.id, payload={"tenant_id": tenant.id})
        assert record.status == "queued"  # recorded in the database before Redis saw it
        connection = Redis.from_url(redis_url)
        assert Queue("default", connection=connection).count == 1
        SimpleWorker(["default"], connection=connection).work(burst=True)
        db.session.expire_all()
        finished = db.session.get(JobRecord, record.id)
        assert finished.status == "finished", finished.error
        assert db.session.get(Tenant, tenant.id).population > 50_000
        connection.close()
        db.session.remove()
        db.engine.dispose()
