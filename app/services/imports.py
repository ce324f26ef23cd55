"""The life of an import: the uploaded file is kept under a name the server chooses, checked (in a
background job when it is long), shown as a preview, then written or cancelled; its files are
removed once it is done, or after a day if nobody decided."""

from __future__ import annotations

import json
import secrets
from datetime import timedelta
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.columns import utcnow
from app.domain import DomainError
from app.extensions import db
from app.imports.tables import read_table
from app.jobs import enqueue
from app.models.member_import import ImportStatus, MemberImport
from app.services import audit
from app.services.member_import import Preview, check, map_columns, write
from app.tenants.context import for_tenant
from app.tenants.models import Tenant

LIFETIME = timedelta(hours=24)
OPEN = (ImportStatus.CHECKING, ImportStatus.READY, ImportStatus.IMPORTING)


def folder() -> Path:
    path = Path(current_app.config["IMPORT_FOLDER"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def _upload(record: MemberImport) -> Path:
    return folder() / f"{record.stored_name}.upload"


def _preview_file(record: MemberImport) -> Path:
    return folder() / f"{record.stored_name}.preview.json"


def background_threshold() -> int:
    """Files longer than this are checked and written by a background job."""
    return int(current_app.config["IMPORT_SYNC_ROWS"])


def background(rows: int) -> bool:
    return rows > background_threshold()


@for_tenant
def start(tenant: Tenant, content: bytes, filename: str, by_id: int | None) -> MemberImport:
    """Keep the file, read it as a table (refused at once if it is not one), then check it: now,
    or in a job when it is long."""
    sweep(tenant)
    table = read_table(content, filename)  # DomainError("file"): nothing is kept
    map_columns(table.header)  # the same, for a table whose columns are not the registry's
    record = MemberImport(
        created_by_id=by_id,
        original_name=(filename or "fichier")[-255:],
        stored_name=secrets.token_hex(16),
        expires_at=utcnow() + LIFETIME,
        row_count=len(table.rows),
    )
    db.session.add(record)
    db.session.flush()
    _upload(record).write_bytes(content)
    audit.record("import_uploaded", obj=record, details={"rows": record.row_count})
    if background(record.row_count):
        record.job_id = enqueue(  # enqueue records (commits) the job first
            "check_import",
            "app.jobs.members.check_import",
            tenant_id=tenant.id,
            requested_by_id=by_id,
            payload={"import_id": record.id},
        ).id
    else:
        run_check(tenant, record)
    return record


@for_tenant
def run_check(tenant: Tenant, record: MemberImport, progress=None) -> None:
    try:
        table = read_table(_upload(record).read_bytes(), record.original_name)
        preview = check(tenant, table, progress)
    except DomainError as error:
        record.status, record.problem = ImportStatus.FAILED, error.summary()[:500]
        remove_files(record)
        return
    _preview_file(record).write_text(json.dumps(preview.to_json()), encoding="utf-8")
    record.summary = {
        "check": preview.counts(),
        "columns": preview.columns,
        "ignored": preview.ignored,
    }
    record.status = ImportStatus.READY


def load_preview(record: MemberImport) -> Preview | None:
    path = _preview_file(record)
    if record.status != ImportStatus.READY or not path.exists():
        return None
    return Preview.from_json(json.loads(path.read_text(encoding="utf-8")))


@for_tenant
def confirm(tenant: Tenant, record: MemberImport, all_or_nothing: bool, by_id: int | None) -> None:
    """Write what the preview allows (now, or in a job for a long file)."""
    preview = load_preview(record)
    if preview is None:
        raise DomainError.on("mode", _l("Cet import n'attend plus de confirmation."))
    if all_or_nothing and preview.counts()["error"]:
        raise DomainError.on(
            "mode",
            _l(
                "%(n)s ligne(s) en erreur : rien n'est importé (choix « tout ou rien »).",
                n=preview.counts()["error"],
            ),
        )
    record.status = ImportStatus.IMPORTING
    if background(record.row_count):
        record.job_id = enqueue(
            "write_import",
            "app.jobs.members.write_import",
            tenant_id=tenant.id,
            requested_by_id=by_id,
            payload={"import_id": record.id, "all_or_nothing": all_or_nothing},
        ).id
    else:
        run_write(tenant, record, all_or_nothing)


@for_tenant
def run_write(tenant: Tenant, record: MemberImport, all_or_nothing: bool) -> None:
    preview = Preview.from_json(json.loads(_preview_file(record).read_text(encoding="utf-8")))
    done = write(tenant, preview, all_or_nothing)
    record.summary = {**record.summary, "done": done}
    record.status = ImportStatus.DONE
    remove_files(record)


@for_tenant
def cancel(tenant: Tenant, record: MemberImport) -> None:
    if record.status in OPEN:
        record.status = ImportStatus.CANCELLED
        remove_files(record)
        audit.record("import_cancelled", obj=record)


@for_tenant
def get(tenant: Tenant, import_id: int) -> MemberImport | None:
    return db.session.scalar(select(MemberImport).where(MemberImport.id == import_id))


@for_tenant
def recent(tenant: Tenant, limit: int = 5) -> list[MemberImport]:
    return list(
        db.session.scalars(
            select(MemberImport).order_by(MemberImport.created_at.desc()).limit(limit)
        )
    )


@for_tenant
def sweep(tenant: Tenant) -> int:
    """Forget the imports nobody decided on within a day: files removed, marked expired."""
    stale = db.session.scalars(
        select(MemberImport).where(
            MemberImport.status.in_([ImportStatus.CHECKING, ImportStatus.READY]),
            MemberImport.expires_at < utcnow(),
        )
    ).all()
    for record in stale:
        record.status = ImportStatus.EXPIRED
        remove_files(record)
    return len(stale)


def remove_files(record: MemberImport) -> None:
    for path in (_upload(record), _preview_file(record)):
        path.unlink(missing_ok=True)
