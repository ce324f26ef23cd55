"""The convention-status export: one line per CPTS, as spreadsheet cells (labels in French,
amounts in euros) or as a JSON record (codes, amounts in cents)."""

from __future__ import annotations

from app.exports import Cell, Euros
from app.i18n import gettext
from app.models.aci import MISSION_SHORT_LABELS, Mission
from app.models.contract import MoneyYear
from app.reports.conventions import ConventionRow
from app.schemas.convention import MISSION_STATUS_LABELS, STATUS_LABELS
from app.schemas.tenant import STAGE_LABELS

MONEY = ("planned", "due", "received")


def export_header() -> list[str]:
    header = [
        gettext("CPTS"), "FINESS", "SIREN", gettext("Département"), gettext("Région"),
        gettext("Population"), gettext("Taille"), gettext("Étape"),
        gettext("Référence de la convention"), gettext("Signée le"), gettext("Début"),
        gettext("Fin"), gettext("Statut"), gettext("Avenants"),
    ]  # fmt: skip
    header += [
        gettext("Mission : %(name)s", name=gettext(MISSION_SHORT_LABELS[m])) for m in Mission
    ]
    header.append(gettext("Année de contrat en cours"))
    for scope in (gettext("année en cours"), gettext("total")):
        header += [
            gettext("Prévu, %(scope)s (€)", scope=scope),
            gettext("Dû, %(scope)s (€)", scope=scope),
            gettext("Versé, %(scope)s (€)", scope=scope),
        ]
    return header


def _money(year: MoneyYear | None) -> list[Cell]:
    return [None] * 3 if year is None else [Euros(getattr(year, name)) for name in MONEY]


def export_labels() -> dict:
    """Every label a line may carry, translated once for the whole export."""
    tables: tuple[dict, ...] = (STAGE_LABELS, STATUS_LABELS, MISSION_STATUS_LABELS)
    return {key: gettext(label) for table in tables for key, label in table.items()}


def export_cells(row: ConventionRow, labels: dict) -> list[Cell]:
    tenant = row.tenant
    cells: list[Cell] = [
        tenant.name, tenant.finess, tenant.siren, tenant.department_code, tenant.region_code,
        tenant.population, tenant.size_class, labels[row.stage], row.reference,
        row.signed_on, row.starts_on, row.end_on, labels[row.status], row.amendments,
    ]  # fmt: skip
    cells += [labels[status] if status else None for status in row.missions.values()]
    cells.append(row.year.year if row.year else None)
    return cells + _money(row.year) + _money(row.total)


def _cents(year: MoneyYear | None) -> dict | None:
    if year is None:
        return None
    return {f"{name}_cents": getattr(year, name) for name in MONEY}


def export_record(row: ConventionRow) -> dict:
    tenant = row.tenant
    return {
        "slug": tenant.slug,
        "name": tenant.name,
        "finess": tenant.finess,
        "siren": tenant.siren,
        "department": tenant.department_code,
        "region": tenant.region_code,
        "population": tenant.population,
        "size_class": tenant.size_class,
        "stage": row.stage.value,
        "reference": row.reference,
        "signed_on": row.signed_on,
        "starts_on": row.starts_on,
        "end_on": row.end_on,
        "status": row.status.value,
        "amendments": row.amendments,
        "missions": {m.value: s.value if s else None for m, s in row.missions.items()},
        "current_year": row.year.year if row.year else None,
        "funding_current_year": _cents(row.year),
        "funding_total": _cents(row.total),
    }
