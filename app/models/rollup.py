"""Rollups: what the regional layer reads instead of the source tables.

One row per CPTS and month (`CptsMonth`), derived from the CPTS's members, contract, reporting
periods and validated indicator values, and rewritten in the same transaction as every write
that changes them (app.rollups.monthly). It is tenant-owned like its sources (the same forced
row-level security); only app.rollups reads it across CPTS.

`RollupVersion` counts, per region, the rewrites of its CPTS's rollups: a regional page is a
function of that version, which makes exact caching possible.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Date, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.columns import utcnow
from app.extensions import Model
from app.tenants.scoped import TenantScoped

# The figures of a month, in the order the rollup computes and compares them.
FIGURES = (
    "members", "professions", "arrivals", "departures",
    "stage", "convention", "signed_on", "amendments",
    "missions_on_time", "missions_at_risk", "missions_late",
    "planned", "due", "paid",
    "periods_due", "periods_submitted", "periods_on_time",
    "indicators",
)  # fmt: skip


class CptsMonth(TenantScoped, Model):
    """A CPTS's figures for a calendar month: as of the month's last day, or as of the day they
    were computed for the current month. Months after the current one hold money planned only."""

    __tablename__ = "cpts_month"
    __table_args__ = (TenantScoped.tenant_unique("month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date)  # its first day
    # Members active at the end of the month, by profession; who joined and left during it
    members: Mapped[int] = mapped_column(Integer, default=0)
    professions: Mapped[dict] = mapped_column(JSON, default=dict)
    arrivals: Mapped[int] = mapped_column(Integer, default=0)
    departures: Mapped[int] = mapped_column(Integer, default=0)
    # Lifecycle stage, convention status and signature date (app.models.contract)
    stage: Mapped[str | None] = mapped_column(String(30))
    convention: Mapped[str | None] = mapped_column(String(30))
    signed_on: Mapped[date | None] = mapped_column(Date)
    amendments: Mapped[int] = mapped_column(Integer, default=0)  # signed in the month
    missions_on_time: Mapped[int] = mapped_column(Integer, default=0)
    missions_at_risk: Mapped[int] = mapped_column(Integer, default=0)
    missions_late: Mapped[int] = mapped_column(Integer, default=0)
    # Money in cents: a contract year's planned total in the month it starts; payments falling
    # due in the month (by the computing day); receipts of the month
    planned: Mapped[int] = mapped_column(BigInteger, default=0)
    due: Mapped[int] = mapped_column(BigInteger, default=0)
    paid: Mapped[int] = mapped_column(BigInteger, default=0)
    # Reporting periods falling due in the month; of those, submitted, and submitted in time
    periods_due: Mapped[int] = mapped_column(Integer, default=0)
    periods_submitted: Mapped[int] = mapped_column(Integer, default=0)
    periods_on_time: Mapped[int] = mapped_column(Integer, default=0)
    # Validated values of periods ending in the month, by catalogue template code:
    # {code: [numerator, denominator or None]}
    indicators: Mapped[dict] = mapped_column(JSON, default=dict)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def figures(self) -> tuple:
        return tuple(getattr(self, name) for name in FIGURES)


class RollupVersion(Model):
    """How many times the rollups of a region's CPTS were rewritten, and when last."""

    __tablename__ = "rollup_version"

    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
