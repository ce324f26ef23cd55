"""Members of a CPTS: the health professionals who joined it (fictional in the demo)."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import Date, Enum, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import TimestampMixin
from app.tenants.models import TenantScoped


class Profession(enum.StrEnum):
    GP = "medecin_generaliste"
    SPECIALIST = "medecin_specialiste"
    NURSE = "infirmier"
    PHARMACIST = "pharmacien"
    PHYSIO = "masseur_kinesitherapeute"
    DENTIST = "chirurgien_dentiste"
    MIDWIFE = "sage_femme"
    SPEECH = "orthophoniste"
    ORTHOPTIST = "orthoptiste"
    PODIATRIST = "pedicure_podologue"
    OCCUPATIONAL = "ergotherapeute"
    PSYCHOMOTOR = "psychomotricien"
    DIETICIAN = "dieteticien"
    PSYCHOLOGIST = "psychologue"
    BIOLOGIST = "biologiste"
    AMBULANCE = "ambulancier"
    OPTICIAN = "opticien"
    OSTEOPATH = "osteopathe"
    OTHER = "autre"


class Member(TenantScoped, TimestampMixin, db.Model):
    __tablename__ = "member"
    __table_args__ = (
        TenantScoped.tenant_unique("id"),
        TenantScoped.tenant_unique("rpps"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    profession: Mapped[Profession] = mapped_column(
        Enum(
            Profession, native_enum=False, length=30, values_callable=lambda e: [m.value for m in e]
        )
    )
    rpps: Mapped[str | None] = mapped_column(String(11))
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
