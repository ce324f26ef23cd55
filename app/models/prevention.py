"""Prevention actions a CPTS carried out: what, when, with whom, how many people reached."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import JSON, CheckConstraint, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.columns import TimestampMixin, enum_column
from app.extensions import Model
from app.models.aci import Mission
from app.tenants.scoped import TenantScoped


class Theme(enum.StrEnum):
    CANCER_SCREENING = "depistage_cancers"
    SMOKING = "tabac"
    VACCINATION = "vaccination"
    DIABETES = "diabete"
    HEART_FAILURE = "insuffisance_cardiaque"
    OTHER = "autre"


class PreventionAction(TenantScoped, TimestampMixin, Model):
    __tablename__ = "prevention_action"
    __table_args__ = (CheckConstraint("people_reached >= 0", name="people_reached_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    theme: Mapped[Theme] = mapped_column(enum_column(Theme, 30))
    mission: Mapped[Mission] = mapped_column(enum_column(Mission, 40), default=Mission.PREVENTION)
    description: Mapped[str] = mapped_column(Text)
    professions: Mapped[list] = mapped_column(JSON, default=list)
    people_reached: Mapped[int | None] = mapped_column(Integer)
    partners: Mapped[str | None] = mapped_column(String(500))
