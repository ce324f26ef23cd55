"""Territorial referential: regions, departments, EPCI and communes, keyed by their official codes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model


class Region(Model):
    __tablename__ = "region"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))


class Department(Model):
    __tablename__ = "department"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)

    region: Mapped[Region] = relationship(lazy="joined")


class Epci(Model):
    __tablename__ = "epci"

    siren: Mapped[str] = mapped_column(String(9), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))
    population: Mapped[int] = mapped_column(Integer)
    commune_count: Mapped[int] = mapped_column(Integer)


class Commune(Model):
    __tablename__ = "commune"

    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    department_code: Mapped[str] = mapped_column(ForeignKey("department.code"), index=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    epci_siren: Mapped[str | None] = mapped_column(ForeignKey("epci.siren"), index=True)
    population: Mapped[int] = mapped_column(Integer, default=0)
    postal_codes: Mapped[str] = mapped_column(String(200), default="")


class RegionSetting(Model):
    """What an ARS sets for its region: the delay after a period's end before its values are
    due (30 days unless set)."""

    __tablename__ = "region_setting"

    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), primary_key=True)
    reporting_delay_days: Mapped[int] = mapped_column(Integer, default=30)


@dataclass(frozen=True)
class RegionRef:
    """A region or a department as pages name it (code and name), kept beyond a request."""

    code: str
    name: str


@dataclass(frozen=True)
class CommuneRef:
    """A commune as the regional figures use it, kept beyond a request."""

    code: str
    name: str
    department_code: str
    region_code: str
    population: int
