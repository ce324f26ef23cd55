"""The health project of a CPTS: the dated steps of its lifecycle, its priorities, and for each
mission the dates the CPTS records (started, fully deployed) and the actions it plans."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import JSON, CheckConstraint, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.columns import TimestampMixin, enum_column
from app.extensions import Model
from app.models.aci import Mission
from app.models.contract import ProjectDates
from app.tenants.scoped import TenantScoped

STEP_FIELDS = tuple(ProjectDates.__dataclass_fields__)


class HealthProject(TenantScoped, Model):
    """One per CPTS: the dates of its lifecycle steps (the stage is derived from them)."""

    __tablename__ = "health_project"
    __table_args__ = (TenantScoped.tenant_unique(),)

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_submitted_on: Mapped[date | None] = mapped_column(Date)
    letter_validated_on: Mapped[date | None] = mapped_column(Date)
    project_submitted_on: Mapped[date | None] = mapped_column(Date)
    project_validated_on: Mapped[date | None] = mapped_column(Date)
    project_objection_on: Mapped[date | None] = mapped_column(Date)
    association_registered_on: Mapped[date | None] = mapped_column(Date)

    def dates(self) -> ProjectDates:
        return ProjectDates(**{name: getattr(self, name) for name in STEP_FIELDS})


class ProjectPriority(TenantScoped, TimestampMixin, Model):
    """A priority of the health project: a short text about the territory, never a patient."""

    __tablename__ = "project_priority"

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(String(300))


class MissionProgress(TenantScoped, Model):
    """When the CPTS started a mission and when it was fully deployed."""

    __tablename__ = "mission_progress"
    __table_args__ = (
        TenantScoped.tenant_unique("mission"),
        CheckConstraint(
            "deployed_on IS NULL OR (started_on IS NOT NULL AND deployed_on >= started_on)",
            name="deployed_after_started",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mission: Mapped[Mission] = mapped_column(enum_column(Mission, 40))
    started_on: Mapped[date | None] = mapped_column(Date)
    deployed_on: Mapped[date | None] = mapped_column(Date)


class ActionStatus(enum.StrEnum):
    PLANNED = "prevue"
    IN_PROGRESS = "en_cours"
    DONE = "realisee"
    ABANDONED = "abandonnee"


class MissionAction(TenantScoped, TimestampMixin, Model):
    """An action the CPTS plans under a mission."""

    __tablename__ = "mission_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    mission: Mapped[Mission] = mapped_column(enum_column(Mission, 40), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    professions: Mapped[list] = mapped_column(JSON, default=list)
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[ActionStatus] = mapped_column(
        enum_column(ActionStatus, 20), default=ActionStatus.PLANNED
    )
