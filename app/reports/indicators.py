"""What the indicator pages show: periods and values in words, tiers as the contract writes
them, and the variable part as "how each euro was earned"."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from flask_babel import format_date, format_decimal, gettext

from app.models.indicator import PeriodKind
from app.models.targets import Direction, Earning, Measure, Tier, Unit
from app.schemas.convention import euros

SIGN = {Direction.HIGHER: "≥", Direction.LOWER: "≤"}


def period_label(kind: PeriodKind, starts_on: date) -> str:
    if kind is PeriodKind.YEAR:
        return str(starts_on.year)
    if kind is PeriodKind.QUARTER:
        return gettext("T%(q)s %(year)s", q=(starts_on.month - 1) // 3 + 1, year=starts_on.year)
    return format_date(starts_on, "MMMM y")


def number(value: Fraction | float | int | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, int) or (isinstance(value, Fraction) and value.denominator == 1):
        return format_decimal(int(value), format="#,##0")
    return format_decimal(round(float(value), digits), format="#,##0.0")


def value_text(measure: Measure | None, unit: Unit) -> str:
    """ "212", "7 100 / 10 000 (71,0 %)", the reason it is missing, or that it is masked (an
    outside reader's measure goes through app.privacy first)."""
    if measure is None:
        return "—"
    if measure.masked:
        return gettext("moins de 11 (masqué)")
    if measure.missing:
        return gettext("non disponible : %(reason)s", reason=measure.missing_reason)
    if unit is Unit.COUNT:
        return number(measure.numerator)
    rate = measure.value(unit)
    suffix = " %" if unit is Unit.PERCENT else " ‰"
    return f"{number(measure.numerator)} / {number(measure.denominator)} ({number(rate)}{suffix})"


def threshold_text(tier: Tier, direction: Direction, unit: Unit) -> str:
    suffix = {Unit.PERCENT: " %", Unit.PER_THOUSAND: " ‰"}.get(unit, "")
    return f"{SIGN[direction]} {format_decimal(tier.threshold)}{suffix}"


def tiers_text(tiers: list[Tier], direction: Direction, unit: Unit) -> str:
    if not tiers:
        return "—"
    return " ; ".join(
        f"{threshold_text(t, direction, unit)} → {euros(t.amount_cents)}" for t in tiers
    )


def earning_text(result: Earning, direction: Direction, unit: Unit, masked: bool = False) -> str:
    """How the euros were earned, in one sentence (without the gap to the next tier when the
    value is masked: the gap would give it back)."""
    if result.status == "no_target":
        return gettext("Pas de palier pour cette année.")
    if result.status == "pending":
        return gettext("En attente des valeurs validées de l'année.")
    text = (
        gettext("Palier %(tier)s atteint.", tier=threshold_text(result.reached, direction, unit))
        if result.reached
        else gettext("Aucun palier atteint.")
    )
    if result.next_tier is not None and result.gap is not None and not masked:
        text += " " + gettext(
            "Encore %(gap)s pour le palier %(tier)s (+%(more)s).",
            gap=number(result.gap),
            tier=threshold_text(result.next_tier, direction, unit),
            more=euros(result.more_cents),
        )
    return text
