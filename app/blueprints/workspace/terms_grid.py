"""The contract's terms as a grid of years, the way a spreadsheet shows them: what to draw, the
values to fill it with, and the typed terms read back from a submitted form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.domain import DomainError
from app.models.aci import MISSION_SHORT_LABELS, OPTIONAL, Mission, TermKind, Terms, term_kind
from app.schemas.convention import cents_to_euros, euros_to_cents


@dataclass(frozen=True)
class GridRow:
    label: str
    keys: list[str]  # one per contract year
    mission: Mission | None = None


def grid_rows(years: int) -> list[GridRow]:
    span = range(1, years + 1)
    rows = [GridRow(gettext("Budget de fonctionnement"), [f"running:{y}" for y in span])]
    for mission in Mission:
        name, m = gettext(MISSION_SHORT_LABELS[mission]), mission.value
        rows.append(GridRow(gettext("%(mission)s — part fixe", mission=name),
                            [f"fixed:{m}:{y}" for y in span], mission))  # fmt: skip
        rows.append(GridRow(gettext("%(mission)s — part variable", mission=name),
                            [f"variable:{m}:{y}" for y in span], mission))  # fmt: skip
        if mission is Mission.CRISIS:
            rows.append(GridRow(gettext("%(mission)s — part conditionnelle", mission=name),
                                [f"conditional:{y}" for y in span], mission))  # fmt: skip
    return rows


def option_keys() -> list[str]:
    return [
        f"{name}:{mission.value}"
        for mission in OPTIONAL
        for name in ("included", "start_months", "deploy_months")
    ]


def grid_values(terms: Terms, rows: list[GridRow]) -> dict[str, str]:
    """What each input shows: amounts in euros, months, the end date, the inclusion boxes."""
    values = {key: cents_to_euros(terms.cents(key)) for row in rows for key in row.keys}
    for key in option_keys():
        value = terms.get(key)
        values[key] = "" if value is None else ("on" if value is True else str(value))
    values["end_on"] = terms.end_on.isoformat() if terms.end_on else ""
    return values


def read_grid(form: Mapping[str, str], rows: list[GridRow]) -> dict[str, object]:
    """The submitted grid as typed terms (cents, flags, months, end date); DomainError naming
    each input that is not a value."""
    terms: dict[str, object] = {}
    errors: dict[str, list] = {}
    for key in (key for row in rows for key in row.keys):
        text = form.get(key, "").strip()
        try:
            terms[key] = euros_to_cents(text) if text else 0
        except ValueError:
            errors[key] = [
                _l("Montant invalide : un nombre positif d'euros, par exemple 15 000,50.")
            ]
    for key in option_keys():
        text = form.get(key, "").strip()
        if term_kind(key) is TermKind.FLAG:
            terms[key] = bool(text)
        elif text:
            terms[key] = int(text) if text.isdigit() else text
    if end := form.get("end_on", "").strip():
        terms["end_on"] = end
    if errors:
        raise DomainError(errors)
    return terms
