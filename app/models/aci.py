"""The ACI contract's vocabulary: its missions and their deadlines, default running budgets, and
the terms of a contract, addressed by key so that an amendment can change any of them.

A term key names one thing the contract fixes:

    end_on                      the end of the contract (date)
    running:<year>              the running budget of contract year <year> (cents)
    fixed:<mission>:<year>      a mission's fixed part for that year (cents)
    variable:<mission>:<year>   a mission's variable part for that year (cents)
    conditional:<year>          the crisis mission's part paid only if a crisis is declared (cents)
    included:<mission>          an optional mission is in the contract (yes or no)
    start_months:<mission>      an optional mission's start deadline, in months (1 to 60)
    deploy_months:<mission>     its deployment deadline, in months (1 to 60)
    tier:<code>:<year>:<n>      tier <n> (1 to 5) of indicator <code> for that year:
                                "<threshold>=<cents>" (app.models.targets)

Values are stored as text (ISO dates, integers, "true"/"false", tiers) and read back typed here.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property, lru_cache

from app.i18n import N_
from app.models.targets import Tier


class Mission(enum.StrEnum):
    ACCESS = "acces_soins"
    PATHWAYS = "parcours"
    PREVENTION = "prevention"
    CRISIS = "crise_sanitaire"
    QUALITY = "qualite_pertinence"
    SUPPORT = "accompagnement_professionnels"


MISSION_LABELS = {
    Mission.ACCESS: N_("Accès aux soins (médecin traitant, soins non programmés)"),
    Mission.PATHWAYS: N_("Parcours pluriprofessionnels"),
    Mission.PREVENTION: N_("Prévention"),
    Mission.CRISIS: N_("Réponse aux crises sanitaires graves"),
    Mission.QUALITY: N_("Qualité et pertinence des soins"),
    Mission.SUPPORT: N_("Accompagnement des professionnels, attractivité du territoire"),
}
MISSION_SHORT_LABELS = {
    Mission.ACCESS: N_("Accès aux soins"),
    Mission.PATHWAYS: N_("Parcours"),
    Mission.PREVENTION: N_("Prévention"),
    Mission.CRISIS: N_("Crises sanitaires"),
    Mission.QUALITY: N_("Qualité, pertinence"),
    Mission.SUPPORT: N_("Accompagnement, attractivité"),
}

# Core missions are in every contract; their deadlines, in months from the signature, are the
# ACI's (start, fully deployed). Optional ones have the deadlines their contract sets.
CORE_DEADLINES: dict[Mission, tuple[int, int]] = {
    Mission.ACCESS: (6, 18),
    Mission.PATHWAYS: (12, 24),
    Mission.PREVENTION: (12, 24),
    Mission.CRISIS: (6, 18),
}
CORE = tuple(CORE_DEADLINES)
OPTIONAL = (Mission.QUALITY, Mission.SUPPORT)
AT_RISK_DAYS = 60  # a deadline this close, not met, puts the mission at risk
CONTRACT_YEARS = 5
MAX_YEARS = 10  # an amended contract may run longer; no term beyond this year
MAX_CENTS = 10_000_000_00  # ten million euros: no single term or payment is larger

# Inferred, not confirmed (product.md §5): €50k to €90k a year by size class, +75% in the first
# two years for contracts signed before the end of 2021. Defaults only: each contract's own
# amounts are entered and editable.
RUNNING_BUDGET_CENTS = {"T1": 50_000_00, "T2": 60_000_00, "T3": 75_000_00, "T4": 90_000_00}
EARLY_SIGNERS_UNTIL = date(2021, 12, 31)


def default_running_budget(size_class: str, signed_on: date | None, year: int) -> int:
    base = RUNNING_BUDGET_CENTS.get(size_class, RUNNING_BUDGET_CENTS["T1"])
    early = signed_on is not None and signed_on <= EARLY_SIGNERS_UNTIL and year <= 2
    return base * 175 // 100 if early else base


class TermKind(enum.Enum):
    DATE = "date"
    CENTS = "cents"
    FLAG = "flag"
    MONTHS = "months"
    TIER = "tier"


INDICATOR_CODE = re.compile(r"[a-z0-9_]{2,30}")
MAX_TIERS = 5


@lru_cache(maxsize=512)  # a few dozen valid keys, read thousands of times (bounded: keys
# also come from requests)
def term_kind(key: str) -> TermKind | None:
    """The kind of value a term key holds, or None if the key names nothing in a contract."""
    name, *parts = key.split(":")
    if name == "end_on" and not parts:
        return TermKind.DATE
    if name in ("running", "conditional") and len(parts) == 1 and _year(parts[0]):
        return TermKind.CENTS
    if name in ("fixed", "variable") and len(parts) == 2:
        if parts[0] in Mission._value2member_map_ and _year(parts[1]):
            return TermKind.CENTS
    if name == "tier" and len(parts) == 3 and INDICATOR_CODE.fullmatch(parts[0]):
        if _year(parts[1]) and parts[2].isdigit() and 1 <= int(parts[2]) <= MAX_TIERS:
            return TermKind.TIER
    if len(parts) == 1 and parts[0] in {m.value for m in OPTIONAL}:
        if name == "included":
            return TermKind.FLAG
        if name in ("start_months", "deploy_months"):
            return TermKind.MONTHS
    return None


def term_year(key: str) -> int | None:
    """The contract year a yearly term is about (None for the others)."""
    name, *parts = key.split(":")
    if name == "tier":
        return int(parts[1])
    if name in ("running", "conditional", "fixed", "variable"):
        return int(parts[-1])
    return None


def _year(text: str) -> bool:
    return text.isdigit() and 1 <= int(text) <= MAX_YEARS


@lru_cache(maxsize=8192)  # the same amounts and dates recur across CPTS
def parse_term(kind: TermKind, text: str) -> date | int | bool | Tier:
    """A stored value, typed (ValueError when it is not one)."""
    if kind is TermKind.TIER:
        return parse_tier(text)
    if kind is TermKind.DATE:
        return date.fromisoformat(text)
    if kind is TermKind.FLAG:
        if text not in ("true", "false"):
            raise ValueError(text)
        return text == "true"
    value = int(text)
    limits = (0, MAX_CENTS) if kind is TermKind.CENTS else (1, 60)
    if not limits[0] <= value <= limits[1]:
        raise ValueError(text)
    return value


def parse_tier(text: str) -> Tier:
    threshold, _, cents = text.partition("=")
    if not re.fullmatch(r"\d{1,9}(\.\d{1,3})?", threshold):
        raise ValueError(text)
    amount = parse_term(TermKind.CENTS, cents)
    return Tier(Decimal(threshold), amount)  # type: ignore[arg-type]


def format_term(value: date | int | bool | Tier) -> str:
    if isinstance(value, Tier):
        return f"{value.threshold.normalize():f}={value.amount_cents}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class Terms:
    """The terms of one contract at one moment (the original, or amended)."""

    values: Mapping[str, str]

    @cached_property
    def _typed(self) -> dict[str, date | int | bool | Tier]:
        """Every stated term read once (a list of many CPTS reads each many times)."""
        typed = {}
        for key, text in self.values.items():
            kind = term_kind(key)
            if kind is not None:
                typed[key] = parse_term(kind, text)
        return typed

    def get(self, key: str) -> date | int | bool | Tier | None:
        return self._typed.get(key)

    def tiers(self, code: str, year: int) -> list[Tier]:
        """The tiers of an indicator for a contract year (any order; see targets.ordered)."""
        typed = self._typed
        keys = (f"tier:{code}:{year}:{n}" for n in range(1, MAX_TIERS + 1))
        return [typed[k] for k in keys if k in typed]  # type: ignore[misc]

    def applied(self, changes: Mapping[str, str]) -> Terms:
        return Terms({**self.values, **changes})

    @property
    def end_on(self) -> date | None:
        return self.get("end_on")  # type: ignore[return-value]

    # Amounts are read thousands of times by a list of many CPTS: straight from the typed terms
    # (a mission formats as its value).
    def cents(self, key: str) -> int:
        return self._typed.get(key) or 0  # type: ignore[return-value]

    def running(self, year: int) -> int:
        return self._typed.get(f"running:{year}") or 0  # type: ignore[return-value]

    def fixed(self, mission: Mission, year: int) -> int:
        return self._typed.get(f"fixed:{mission}:{year}") or 0  # type: ignore[return-value]

    def variable(self, mission: Mission, year: int) -> int:
        return self._typed.get(f"variable:{mission}:{year}") or 0  # type: ignore[return-value]

    def conditional(self, year: int) -> int:
        return self._typed.get(f"conditional:{year}") or 0  # type: ignore[return-value]

    @cached_property
    def _included(self) -> frozenset[Mission]:
        return frozenset(m for m in Mission if m in CORE or self.get(f"included:{m}") is True)

    def included(self, mission: Mission) -> bool:
        return mission in self._included

    def missions(self) -> list[Mission]:
        return [mission for mission in Mission if mission in self._included]

    def deadlines(self, mission: Mission) -> tuple[int, int] | None:
        """(start, fully deployed) in months from the signature; None if the contract sets none."""
        if mission in CORE_DEADLINES:
            return CORE_DEADLINES[mission]
        start = self.get(f"start_months:{mission.value}")
        deploy = self.get(f"deploy_months:{mission.value}")
        return (start, deploy) if start and deploy else None  # type: ignore[return-value]
