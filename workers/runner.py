"""Runs one recorded job: re-derives its tenant from the record, refuses a mismatched payload."""

from __future__ import annotations

import logging
import traceback
from importlib import import_module

from flask import has_app_context

from app.extensions import db
from app.models.base import utcnow
from app.models.job import JobRecord
from app.tenants.context import TenancyError, tenant_bound, without_tenant

log = logging.getLogger("app.jobs")


def _function(dotted: str):
    module, _, name = dotted.rpartition(".")
    return getattr(import_module(module), name)


def run_job(job_id: int) -> str:
    """Entry point queued on RQ (and called directly when jobs run in-process)."""
    if has_app_context():
        return _run(job_id)
    from app import create_app

    with create_app().app_context():
        return _run(job_id)


def _run(job_id: int) -> str:
    record = db.session.get(JobRecord, job_id)
    if record is None:
        raise LookupError(f"job {job_id} is not recorded")
    if record.status == "finished":
        return record.status  # idempotent: a job delivered twice runs once
    claimed = record.payload.get("tenant_id")
    if claimed is not None and claimed != record.tenant_id:
        return _fail(
            record,
            TenancyError(f"payload names tenant {claimed}, job belongs to {record.tenant_id}"),
        )
    record.status = "running"
    db.session.commit()
    scope = tenant_bound(record.tenant_id) if record.tenant_id is not None else without_tenant()
    try:
        with scope:
            result = _function(record.function)(**record.payload)
    except Exception as error:  # noqa: BLE001 - recorded with its reason, then visible to users
        db.session.rollback()
        return _fail(db.session.get(JobRecord, job_id), error)
    record.status, record.result, record.finished_at = "finished", result, utcnow()
    db.session.commit()
    return record.status


def _fail(record: JobRecord, error: Exception) -> str:
    log.error("job %s (%s) failed: %s", record.id, record.kind, error)
    record.status = "failed"
    record.error = "".join(traceback.format_exception_only(error)).strip()
    record.finished_at = utcnow()
    db.session.commit()
    return record.status
