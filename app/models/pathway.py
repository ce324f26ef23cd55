"""The care pathways a CPTS runs (parcours pluriprofessionnels): from a list or custom. Their
outcomes are indicators of the pathway (Indicator.pathway_id), reported and reviewed in the
same periods as every other indicator."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import JSON, Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.columns import TimestampMixin, enum_column
from app.extensions import Model
from app.i18n import N_
from app.tenants.scoped import TenantScoped


class PathwayKind(enum.StrEnum):
    HEART_FAILURE = "insuffisance_cardiaque"
    DIABETES = "diabete_type2"
    DISCHARGE = "sortie_hospitalisation_agees"
    ELDERLY_AT_HOME = "agees_domicile"
    CANCER_SCREENING = "depistage_cancers"
    SMOKING = "sevrage_tabagique"
    VACCINATION = "vaccination"
    CUSTOM = "autre"


PATHWAY_LABELS = {
    PathwayKind.HEART_FAILURE: N_("Insuffisance cardiaque"),
    PathwayKind.DIABETES: N_("Diabète de type 2"),
    PathwayKind.DISCHARGE: N_("Sortie d'hospitalisation des personnes âgées"),
    PathwayKind.ELDERLY_AT_HOME: N_("Personnes âgées à domicile"),
    PathwayKind.CANCER_SCREENING: N_("Dépistage des cancers"),
    PathwayKind.SMOKING: N_("Sevrage tabagique"),
    PathwayKind.VACCINATION: N_("Vaccination"),
    PathwayKind.CUSTOM: N_("Autre parcours"),
}


class Pathway(TenantScoped, TimestampMixin, Model):
    __tablename__ = "pathway"
    __table_args__ = (TenantScoped.tenant_unique("id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PathwayKind] = mapped_column(enum_column(PathwayKind, 40))
    name: Mapped[str] = mapped_column(String(200))
    started_on: Mapped[date | None] = mapped_column(Date)
    professions: Mapped[list] = mapped_column(JSON, default=list)
    description: Mapped[str | None] = mapped_column(Text)
