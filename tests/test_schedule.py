"""The periodic jobs: their next time in Paris (across a daylight-saving change), and the nightly
rollup rebuild run as a recorded platform job."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from app.extensions import db
from app.jobs import enqueue
from app.models.job import JobRecord
from app.models.rollup import CptsMonth
from app.tenants.context import tenant_bound
from tests.factories import add_members, make_tenant
from workers.schedule import PARIS, PERIODIC, Periodic, next_run

NIGHTLY = Periodic("n", "x", hour=3, minute=5)


def test_the_next_run_is_the_next_time_of_day_in_paris():
    before = datetime(2026, 3, 28, 1, 0, tzinfo=UTC)  # 02:00 in Paris, the night before DST
    assert next_run(NIGHTLY, before) == datetime(2026, 3, 28, 3, 5, tzinfo=PARIS)
    after = datetime(2026, 3, 28, 3, 0, tzinfo=UTC)  # 04:00 in Paris: tomorrow, summer time
    found = next_run(NIGHTLY, after)
    assert (found.day, found.hour, found.minute) == (29, 3, 5)
    assert found.utcoffset().total_seconds() == 7200


def test_the_nightly_job_rebuilds_every_cpts(app):
    tenant = make_tenant("cpts-a")
    add_members(tenant, 3)
    with tenant_bound(tenant.id):
        db.session.execute(CptsMonth.__table__.delete())
        db.session.commit()
    nightly = next(j for j in PERIODIC if j.kind == "rollups_nightly")
    record = enqueue(nightly.kind, nightly.function, tenant_id=None, queue=nightly.queue)
    assert db.session.get(JobRecord, record.id).result == {"cptss": 1}
    with tenant_bound(tenant.id):
        assert db.session.scalars(select(CptsMonth)).all() != []
