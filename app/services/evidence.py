"""Evidence attached to reported values: PDF, images and spreadsheets only, recognised by their
content (never by their name), size-limited, stored under a name the server chooses and read
back only within the CPTS's scope. Attached and removed while the period may be edited."""

from __future__ import annotations

import io
import secrets
import zipfile
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.domain import DomainError
from app.extensions import db
from app.models.indicator import EvidenceDocument, Indicator, ReportingPeriod
from app.services import audit
from app.services.reporting import EDITABLE
from app.tenants.context import for_tenant
from app.tenants.models import Tenant

MAX_BYTES = 4 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
FROZEN = _l("Cette période est soumise ou validée : ses justificatifs ne changent plus.")


def content_type(content: bytes) -> str | None:
    """What the bytes are, among the kinds accepted; None for anything else."""
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
                if "xl/workbook.xml" in names:
                    return XLSX
                if "mimetype" in names and archive.read("mimetype") == ODS.encode():
                    return ODS
        except (zipfile.BadZipFile, KeyError, RuntimeError):
            return None
    return None


def folder(tenant_id: int) -> Path:
    path = Path(current_app.config["EVIDENCE_FOLDER"]) / str(tenant_id)
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_of(document: EvidenceDocument) -> Path:
    return folder(document.tenant_id) / document.stored_name


@for_tenant
def attach(
    tenant: Tenant, period: ReportingPeriod, indicator: Indicator, content: bytes, filename: str,
    by_id: int | None,
) -> EvidenceDocument:  # fmt: skip
    if period.status not in EDITABLE:
        raise DomainError.on("file", FROZEN)
    if not content:
        raise DomainError.on("file", _l("Le fichier est vide."))
    if len(content) > MAX_BYTES:
        raise DomainError.on("file", _l("Fichier trop lourd : 4 Mo au plus."))
    kind = content_type(content)
    if kind is None:
        raise DomainError.on("file", _l("Format non accepté : PDF, image (PNG, JPEG) ou tableur "
                                        "(XLSX, ODS)."))  # fmt: skip
    document = EvidenceDocument(
        period_id=period.id,
        indicator_id=indicator.id,
        original_name=Path(filename or "justificatif").name[-255:] or "justificatif",
        stored_name=secrets.token_hex(16),
        content_type=kind,
        size=len(content),
        uploaded_by_id=by_id,
    )
    db.session.add(document)
    db.session.flush()
    path_of(document).write_bytes(content)
    audit.record("evidence_attached", obj=document, details={"indicator": indicator.code})
    return document


@for_tenant
def documents(tenant: Tenant, period: ReportingPeriod) -> list[EvidenceDocument]:
    query = select(EvidenceDocument).where(EvidenceDocument.period_id == period.id)
    return list(db.session.scalars(query.order_by(EvidenceDocument.id)))


@for_tenant
def get_document(tenant: Tenant, document_id: int) -> EvidenceDocument | None:
    return db.session.scalar(select(EvidenceDocument).where(EvidenceDocument.id == document_id))


@for_tenant
def remove(tenant: Tenant, document: EvidenceDocument, period: ReportingPeriod) -> None:
    if period.status not in EDITABLE:
        raise DomainError.on("file", FROZEN)
    path = path_of(document)
    db.session.delete(document)
    db.session.flush()
    audit.record("evidence_removed", obj=document)
    path.unlink(missing_ok=True)
