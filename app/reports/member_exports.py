"""The member registry and its growth as rows for a spreadsheet. The registry's columns are the
ones the import reads back: exporting then importing the same file changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models.member import Member
from app.reports.members import first_join, membership_growth
from app.schemas.member import BOARD_LABELS, MODE_LABELS, PLACE_LABELS, PROFESSION_LABELS
from app.tenants.context import tenant_bound
from app.tenants.models import Tenant

REGISTRY_HEADER = (
    "N° membre",
    "Nom",
    "Prénom",
    "Profession",
    "RPPS",
    "Mode d'exercice",
    "Lieu d'exercice",
    "Commune d'exercice (INSEE)",
    "E-mail",
    "Rôle au bureau",
    "Date d'adhésion",
    "Date de départ",
)
GROWTH_HEADER = ("Mois", "Profession", "Membres actifs en fin de mois")


def _label(labels: dict, value) -> str | None:
    """The French label, whatever the reader's language: the file's headers are French too, and
    the import reads both back."""
    return None if value is None else labels[value]


def registry_rows(tenant: Tenant) -> Iterator[tuple]:
    """Every member not erased, by name, read in batches as the file is written."""
    with tenant_bound(tenant.id):
        members = db.session.scalars(
            select(Member)
            .where(Member.erased_at.is_(None))
            .order_by(Member.last_name, Member.first_name, Member.id)
            .execution_options(yield_per=500)
        )
        for m in members:
            yield (
                m.id,
                m.last_name,
                m.first_name,
                _label(PROFESSION_LABELS, m.profession),
                m.rpps,
                _label(MODE_LABELS, m.exercise_mode),
                _label(PLACE_LABELS, m.place),
                m.practice_commune_code,
                m.email,
                _label(BOARD_LABELS, m.board_role),
                m.joined_on,
                m.left_on,
            )


def growth_rows(tenant: Tenant) -> list[tuple]:
    start = first_join(tenant)
    if start is None:
        return []
    return [
        (point.month.strftime("%m/%Y"), PROFESSION_LABELS[point.profession], point.members)
        for point in membership_growth(tenant, start, date.today())
    ]
