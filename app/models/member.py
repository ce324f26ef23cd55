"""Members of a CPTS: the health professionals who joined it, and the earlier periods of those
who left and came back. Counts are always derived from these dates, never stored."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    select,
    union_all,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.columns import TimestampMixin, enum_column
from app.extensions import Model
from app.models.referential import Commune
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


class ExerciseMode(enum.StrEnum):
    LIBERAL = "liberal"
    SALARIED = "salarie"
    MIXED = "mixte"


class Place(enum.StrEnum):
    PRACTICE = "cabinet"
    MSP = "msp"  # maison de santé pluriprofessionnelle
    HEALTH_CENTRE = "centre_sante"
    NURSING_HOME = "ehpad"
    HOSPITAL = "hopital"
    OTHER = "autre"


class BoardRole(enum.StrEnum):
    PRESIDENT = "president"
    VICE_PRESIDENT = "vice_president"
    TREASURER = "tresorier"
    SECRETARY = "secretaire"
    BOARD_MEMBER = "membre_bureau"


class Member(TenantScoped, TimestampMixin, Model):
    """A professional and their current membership (joined on, left on). The database refuses two
    members of one CPTS with the same RPPS: a professional who comes back rejoins."""

    __tablename__ = "member"
    __table_args__ = (
        TenantScoped.tenant_unique("id"),
        TenantScoped.tenant_unique("rpps"),
        CheckConstraint("left_on IS NULL OR left_on >= joined_on", name="left_after_joined"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100), index=True)
    profession: Mapped[Profession] = mapped_column(enum_column(Profession, 30))
    rpps: Mapped[str | None] = mapped_column(String(11))
    exercise_mode: Mapped[ExerciseMode | None] = mapped_column(enum_column(ExerciseMode, 10))
    place: Mapped[Place | None] = mapped_column(enum_column(Place, 20))
    practice_commune_code: Mapped[str | None] = mapped_column(ForeignKey("commune.code"))
    email: Mapped[str | None] = mapped_column(String(254))
    board_role: Mapped[BoardRole | None] = mapped_column(enum_column(BoardRole, 20))
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    # Erased (GDPR): names and identifiers are gone; profession and dates still count.
    erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    practice_commune: Mapped[Commune | None] = relationship(lazy="joined")
    earlier_periods: Mapped[list[MemberPeriod]] = relationship(
        back_populates="member",
        primaryjoin="and_(MemberPeriod.member_id == Member.id, "
        "MemberPeriod.tenant_id == Member.tenant_id)",
        foreign_keys="[MemberPeriod.member_id, MemberPeriod.tenant_id]",
        order_by="MemberPeriod.joined_on",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    def is_active(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or self.left_on > day)


class MemberPeriod(TenantScoped, Model):
    """An earlier membership of a professional who left, then rejoined."""

    __tablename__ = "member_period"
    __table_args__ = (
        TenantScoped.child_of("member", "member_id"),
        CheckConstraint("left_on >= joined_on", name="left_after_joined"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(Integer, index=True)
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date] = mapped_column(Date)

    member: Mapped[Member] = relationship(
        back_populates="earlier_periods",
        primaryjoin="and_(MemberPeriod.member_id == Member.id, "
        "MemberPeriod.tenant_id == Member.tenant_id)",
        foreign_keys="[MemberPeriod.member_id, MemberPeriod.tenant_id]",
    )


def membership_periods():
    """Every membership period (member, profession, joined on, left on): the current ones and
    the earlier ones of members who rejoined, as one subquery to count from."""
    current = select(
        Member.tenant_id.label("tenant_id"),
        Member.id.label("member_id"),
        Member.profession.label("profession"),
        Member.joined_on.label("joined_on"),
        Member.left_on.label("left_on"),
    )
    earlier = select(
        MemberPeriod.tenant_id,
        MemberPeriod.member_id,
        Member.profession,
        MemberPeriod.joined_on,
        MemberPeriod.left_on,
    ).join(Member, Member.id == MemberPeriod.member_id)
    return union_all(current, earlier).subquery("period")


def active_on(periods, day: date | ColumnElement[date]) -> ColumnElement[bool]:
    """Periods that cover that day (joined on or before it, not yet left)."""
    return (periods.c.joined_on <= day) & (periods.c.left_on.is_(None) | (periods.c.left_on > day))
