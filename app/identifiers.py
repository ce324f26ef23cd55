"""French identifiers: SIREN (9 digits, Luhn), FINESS (9 characters, department prefix)."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l


def luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def siren_problem(value: str) -> object | None:
    if not re.fullmatch(r"[0-9]{9}", value):
        return _l("Le SIREN doit comporter exactement 9 chiffres.")
    if not luhn_ok(value):
        return _l("Le SIREN est invalide (clé de contrôle incorrecte).")
    return None


def finess_problem(value: str) -> object | None:
    """FINESS: 9 characters starting with the department code (2A/2B in Corsica, 97x overseas)."""
    if not re.fullmatch(r"([0-9]{2}|2A|2B)[0-9]{7}", value):
        return _l(
            "Le numéro FINESS doit comporter 9 caractères : le code du département "
            "(2A/2B pour la Corse) suivi de chiffres."
        )
    return None


# A social-security number (NIR): 13 digits and a 2-digit key, often typed in groups.
_NIR = re.compile(
    r"(?<!\d)[12][\s.]?\d{2}[\s.]?\d{2}[\s.]?\d{2}[\s.]?\d{3}[\s.]?\d{3}(?:[\s.]?\d{2})?(?!\d)"
)
_BIRTH = re.compile(r"\bn[ée]e?\s+le\b|\bdate\s+de\s+naissance\b", re.IGNORECASE)


def patient_detail_problem(text: str | None) -> object | None:
    """Texts about the territory's health must name no patient: a social-security number or a
    birth date is refused (the forms also warn against any other detail)."""
    if text and (_NIR.search(text) or _BIRTH.search(text)):
        return _l(
            "Ce texte semble contenir des données de patient (numéro de sécurité sociale ou date "
            "de naissance) : retirez-les, l'Observatoire ne conserve aucune donnée de patient."
        )
    return None
