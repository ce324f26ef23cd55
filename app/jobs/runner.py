"""Runs one recorded job: THE place where a job's tenant is bound. The tenant comes from the
job record, never from the payload; a payload naming another tenant is refused. A tenant job
receives its Tenant as first argument; a platform job runs with no tenant bound."""

from __future__ import annotations

import logging
import traceback
from contextvars import ContextVar

from flask import has_app_context
from sqlalchemy import update
from werkzeug.utils import import_string

from app.columns import utcnow
from app.extensions import db
from app.models.job import JobRecord, JobStatus
from app.tenants.context import TenancyError, tenant_bound, without_tenant
from app.tenants.models import Tenant

log = logging.getLogger("app.jobs")
_current_job: ContextVar[int | None] = ContextVar("current_job", default=None)


def report_progress(percent: int) -> None:
    """Tell the requester how far the running job is (committed at once: call it only between
    writes, never inside the job's own transaction)."""
    job_id = _current_job.get()
    if job_id is not None:
        db.session.execute(
            update(JobRecord).where(JobRecord.id == job_id).values(progress=min(100, percent))
        )
        db.session.commit()


def run_job(job_id: int) -> str:
    """Entry point queued on RQ (and called directly when jobs run in-process). It runs inside
    the application's context: the request's, or the one `python -m workers` opens."""
    if not has_app_context():
        raise RuntimeError(
            "run_job needs an application context (run the worker: python -m workers)"
        )
    return _run(job_id)


def _run(job_id: int) -> str:
    record = db.session.get(JobRecord, job_id)
    if record is None:
        raise LookupError(f"job {job_id} is not recorded")
    if record.status == JobStatus.FINISHED:
        return record.status  # idempotent: a job delivered twice runs once
    payload = dict(record.payload)
    claimed = payload.pop("tenant_id", record.tenant_id)
    if claimed != record.tenant_id:
        return _fail(
            record,
            TenancyError(f"payload names tenant {claimed}, job belongs to {record.tenant_id}"),
        )
    record.status = JobStatus.RUNNING
    db.session.commit()
    try:
        result = _call(record, payload)
    except Exception as error:  # noqa: BLE001 - recorded with its reason, then visible to users
        db.session.rollback()
        return _fail(record, error)  # rolled back: the record reloads as it was committed
    record.status, record.result, record.finished_at = JobStatus.FINISHED, result, utcnow()
    record.progress = 100
    db.session.commit()
    return record.status


def _call(record: JobRecord, payload: dict):
    function = import_string(record.function)
    _current_job.set(record.id)
    if record.tenant_id is None:
        with without_tenant():
            return function(**payload)
    with tenant_bound(record.tenant_id):
        tenant = db.session.get(Tenant, record.tenant_id)
        result = function(tenant, **payload)
        db.session.flush()  # written under the job's tenant, committed with its status
        return result


def _fail(record: JobRecord, error: Exception) -> str:
    log.error("job %s (%s) failed: %s", record.id, record.kind, error)
    record.status = JobStatus.FAILED
    record.error = "".join(traceback.format_exception_only(error)).strip()
    record.finished_at = utcnow()
    db.session.commit()
    return record.status
