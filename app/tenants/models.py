"""The tenant registry: a CPTS, its lifecycle stage and the figures derived from its territory."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.columns import TimestampMixin, enum_column, utcnow
from app.extensions import Model

if TYPE_CHECKING:
    from app.models.referential import Commune, Department, Region


class Stage(enum.StrEnum):
    """Lifecycle of a CPTS, in order: a working group emerges, sends a letter of intent, submits
    its health project, gets it validated by the ARS, signs the ACI; it may be terminated."""

    EMERGENCE = "emergence"
    LETTER_OF_INTENT = "lettre_intention"
    PROJECT_SUBMITTED = "projet_soumis"
    PROJECT_VALIDATED = "projet_valide"
    ACI_SIGNED = "aci_signe"
    TERMINATED = "terminee"


def size_class_for(population: int) -> str:
    """T1 < 40,000; T2 40,000–80,000; T3 80,000–175,000; T4 > 175,000 inhabitants (it sets the
    scale of the CPTS's funding)."""
    if population < 40_000:
        return "T1"
    if population < 80_000:
        return "T2"
    if population <= 175_000:
        return "T3"
    return "T4"


class Tenant(TimestampMixin, Model):
    """A CPTS. Not itself tenant-scoped: it is the registry that scopes everything else."""

    __tablename__ = "tenant"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)  # charts and lists name CPTS
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    # The department whose CPAM follows the CPTS: where most of its population lived at creation,
    # changed only by the ARS of the region or an admin.
    department_code: Mapped[str | None] = mapped_column(ForeignKey("department.code"), index=True)
    # The stage chosen by hand: it counts only while no date of the lifecycle is recorded (the
    # stage is derived from those dates: app.models.contract).
    declared_stage: Mapped[Stage] = mapped_column(enum_column(Stage, 20), default=Stage.EMERGENCE)
    finess: Mapped[str | None] = mapped_column(String(9), unique=True)
    siren: Mapped[str | None] = mapped_column(String(9), unique=True)
    seat_commune_code: Mapped[str | None] = mapped_column(ForeignKey("commune.code"))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    fictitious: Mapped[bool] = mapped_column(default=False)
    # Derived from the territory, kept here so lists never re-sum it.
    population: Mapped[int] = mapped_column(Integer, default=0)
    size_class: Mapped[str] = mapped_column(String(2), default="T1")
    figures_updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    region: Mapped[Region] = relationship("Region", lazy="joined")
    department: Mapped[Department | None] = relationship("Department", lazy="joined")
    seat: Mapped[Commune | None] = relationship("Commune", lazy="joined")

    def set_figures(self, population: int) -> None:
        self.population = population
        self.size_class = size_class_for(population)
        self.figures_updated_at = utcnow()

    def __repr__(self) -> str:
        return f"<Tenant {self.slug}>"
