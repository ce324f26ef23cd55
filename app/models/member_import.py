"""A spreadsheet of members being imported: the uploaded file and its preview are kept on the
server under a server-chosen name until the import is done or a day has passed."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.columns import TimestampMixin, enum_column
from app.extensions import Model
from app.tenants.scoped import TenantScoped


class ImportStatus(enum.StrEnum):
    CHECKING = "checking"  # the preview is being computed (a job, for large files)
    READY = "ready"  # the preview waits for the user's decision
    IMPORTING = "importing"  # the confirmed rows are being written (a job, for large files)
    DONE = "done"
    FAILED = "failed"  # the file could not be read or the job failed: `problem` says why
    CANCELLED = "cancelled"
    EXPIRED = "expired"  # nobody decided within a day: the files are gone


class MemberImport(TenantScoped, TimestampMixin, Model):
    __tablename__ = "member_import"
    __table_args__ = (
        TenantScoped.tenant_unique("id"),
        TenantScoped.tenant_unique("stored_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    original_name: Mapped[str] = mapped_column(String(255))  # shown, never used as a path
    stored_name: Mapped[str] = mapped_column(String(64))  # chosen by the server
    status: Mapped[ImportStatus] = mapped_column(
        enum_column(ImportStatus, 12), default=ImportStatus.CHECKING
    )
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job_record.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    problem: Mapped[str | None] = mapped_column(String(500))
    # What the preview found, and what the import did: counts by kind of row.
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    row_count: Mapped[int] = mapped_column(Integer, default=0)
