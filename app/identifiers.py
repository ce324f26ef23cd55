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
