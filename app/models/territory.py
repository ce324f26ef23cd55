"""A CPTS's territory: the communes it covers, each identified by INSEE code (never by name)."""

from __future__ import annotations

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.referential import Commune
from app.tenants.scoped import TenantScoped


class TerritoryCommune(TenantScoped, Model):
    """One commune of a CPTS's territory."""

    __tablename__ = "territory_commune"

    tenant_id: Mapped[int] = mapped_column(
        ForeignKey("tenant.id", ondelete="CASCADE"), primary_key=True
    )
    commune_code: Mapped[str] = mapped_column(ForeignKey("commune.code"), primary_key=True)

    commune: Mapped[Commune] = relationship(lazy="joined")
