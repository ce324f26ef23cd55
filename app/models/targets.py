"""Indicator values and tiered targets (product.md §6): what a value is, and what it earns.

Pure: no database. A contract writes, for each indicator and contract year, tiers such as
"≤ 50 → €9,000; ≤ 100 → €6,000; ≤ 219 → €3,000" (lower is better) or "69.7 % / 72.4 % / 75 %
→ €1,000 / €2,500 / €3,500" (higher is better). The variable part earned is the amount of the
most demanding tier the year's validated value reaches; tiers do not add up. Values are exact
fractions (a rate of 697/1000 is exactly 69.7 %, never 69.69999).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from app.i18n import N_


class Unit(enum.StrEnum):
    COUNT = "count"  # a number of people, professionals, appointments...
    PERCENT = "percent"  # numerator / denominator x 100
    PER_THOUSAND = "per_thousand"  # numerator / denominator x 1,000


class Direction(enum.StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


class Aggregation(enum.StrEnum):
    """How a contract year's value is made from its periods."""

    SUM = "sum"  # flows (people reached, appointments): every period of the year is needed
    LAST = "last"  # stocks (patients without a médecin traitant): the year's last period


UNIT_LABELS = {
    Unit.COUNT: N_("nombre"),
    Unit.PERCENT: N_("pourcentage (numérateur / dénominateur)"),
    Unit.PER_THOUSAND: N_("taux pour 1 000 (numérateur / dénominateur)"),
}
DIRECTION_LABELS = {
    Direction.HIGHER: N_("plus c'est haut, mieux c'est"),
    Direction.LOWER: N_("plus c'est bas, mieux c'est"),
}
AGGREGATION_LABELS = {
    Aggregation.SUM: N_("somme des périodes (flux)"),
    Aggregation.LAST: N_("dernière période (stock)"),
}
SCALE = {Unit.COUNT: 1, Unit.PERCENT: 100, Unit.PER_THOUSAND: 1000}


@dataclass(frozen=True)
class Measure:
    """One value as reported: a count (numerator only) or a rate's numerator and denominator;
    or missing, with a reason (never free text in place of a number)."""

    numerator: int | None = None
    denominator: int | None = None
    missing_reason: str | None = None
    masked: bool = False  # a small count hidden from an outside reader (app.privacy)

    @property
    def missing(self) -> bool:
        return self.numerator is None and not self.masked

    def value(self, unit: Unit) -> Fraction | None:
        if self.numerator is None:
            return None
        if unit is Unit.COUNT:
            return Fraction(self.numerator)
        if not self.denominator:
            return None  # a rate over nobody is no value
        return Fraction(self.numerator * SCALE[unit], self.denominator)


def year_measure(measures: Sequence[Measure | None], aggregation: Aggregation) -> Measure | None:
    """The contract year's measure from its periods' validated measures, in order (None for a
    period not validated yet). A year without what it needs (its last period for a stock, every
    period for a flow) gives None: nothing is earned on a guess."""
    if not measures:
        return None
    if aggregation is Aggregation.LAST:
        return measures[-1]
    if any(m is None for m in measures):
        return None
    present = [m for m in measures if m is not None]
    if any(m.missing for m in present):
        return None
    denominators = [m.denominator for m in present]
    return Measure(
        numerator=sum(m.numerator or 0 for m in present),
        denominator=None if None in denominators else sum(d or 0 for d in denominators),
    )


@dataclass(frozen=True)
class Tier:
    threshold: Decimal  # in the indicator's unit (a count, or a percentage...)
    amount_cents: int


def ordered(tiers: Sequence[Tier], direction: Direction) -> list[Tier]:
    """From the easiest tier to the most demanding."""
    return sorted(tiers, key=lambda t: t.threshold, reverse=direction is Direction.LOWER)


def reaches(value: Fraction, tier: Tier, direction: Direction) -> bool:
    threshold = Fraction(tier.threshold)
    return value >= threshold if direction is Direction.HIGHER else value <= threshold


class EarningStatus(enum.StrEnum):
    EARNED = "earned"  # a tier reached
    NOT_REACHED = "not_reached"  # a value, below every tier
    PENDING = "pending"  # the year's value is not there yet (periods not validated)
    NO_TARGET = "no_target"  # the contract sets no tier for that year


@dataclass(frozen=True)
class Earning:
    """What one indicator earned in one contract year, and why."""

    status: EarningStatus
    value: Fraction | None
    reached: Tier | None
    next_tier: Tier | None  # the next tier to reach, if any
    gap: Fraction | None  # how far the value is from the next tier

    @property
    def amount_cents(self) -> int:
        return self.reached.amount_cents if self.reached else 0

    @property
    def more_cents(self) -> int:
        """What reaching the next tier would add."""
        return self.next_tier.amount_cents - self.amount_cents if self.next_tier else 0


def earning(value: Fraction | None, tiers: Sequence[Tier], direction: Direction) -> Earning:
    ladder = ordered(tiers, direction)
    if not ladder:
        return Earning(EarningStatus.NO_TARGET, value, None, None, None)
    if value is None:
        return Earning(EarningStatus.PENDING, None, None, ladder[0], None)
    reached = [t for t in ladder if reaches(value, t, direction)]
    best = reached[-1] if reached else None
    following = ladder[len(reached)] if len(reached) < len(ladder) else None
    gap = None
    if following is not None:
        gap = abs(Fraction(following.threshold) - value)
    status = EarningStatus.EARNED if best else EarningStatus.NOT_REACHED
    return Earning(status, value, best, following, gap)
