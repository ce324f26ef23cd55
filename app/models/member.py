"""Members of a CPTS: the health professionals who joined it (fictional in the demo)."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import ColumnElement, Date, String, or_
from sqlalchemy.orm import Mapped, mapped_column

from app.columns import TimestampMixin, enum_column
from app.extensions import Model
from app.tenants.scoped import TenantScoped


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


class Member(TenantScoped, TimestampMixin, Model):
    __tablename__ = "member"
    __table_args__ = (
        TenantScoped.tenant_unique("id"),
        TenantScoped.tenant_unique("rpps"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    profession: Mapped[Profession] = mapped_column(enum_column(Profession, 30))
    rpps: Mapped[str | None] = mapped_column(String(11))
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)


def active_on(day: date) -> ColumnElement[bool]:
    """Members who had joined on that day and not yet left."""
    return (Member.joined_on <= day) & or_(Member.left_on.is_(None), Member.left_on > day)
