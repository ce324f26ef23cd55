"""Jobs on a CPTS's members: checking and writing a long spreadsheet import."""

from __future__ import annotations

from app.jobs.runner import report_progress
from app.services import imports
from app.tenants.models import Tenant


def check_import(tenant: Tenant, import_id: int) -> dict:
    record = imports.get(tenant, import_id)
    if record is None:
        raise LookupError(f"import {import_id} not found")
    imports.run_check(tenant, record, progress=report_progress)
    return {"status": record.status.value}


def write_import(tenant: Tenant, import_id: int, all_or_nothing: bool) -> dict:
    record = imports.get(tenant, import_id)
    if record is None:
        raise LookupError(f"import {import_id} not found")
    imports.run_write(tenant, record, all_or_nothing)
    return {"status": record.status.value, **record.summary.get("done", {})}
