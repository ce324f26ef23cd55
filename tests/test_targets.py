"""Tiered targets and the variable part, against hand computations (product.md §6 examples)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from app.models.targets import (
    Aggregation,
    Direction,
    EarningStatus,
    Measure,
    Tier,
    Unit,
    earning,
    year_measure,
)

# "Patients in ALD without a médecin traitant: ≤ 50 → €9,000; 51–100 → €6,000; 101–219 → €3,000"
ALD = [Tier(Decimal(50), 900_000), Tier(Decimal(100), 600_000), Tier(Decimal(219), 300_000)]
# "Breast-cancer screening 69.7 % / 72.4 % / 75 % → €1,000 / €2,500 / €3,500"
SCREENING = [
    Tier(Decimal("69.7"), 100_000),
    Tier(Decimal("72.4"), 250_000),
    Tier(Decimal("75"), 350_000),
]


@pytest.mark.parametrize(
    ("patients", "earned", "next_amount", "gap"),
    [
        (30, 900_000, None, None),  # the best tier: nothing more to earn
        (50, 900_000, None, None),  # a threshold is reached when equalled
        (51, 600_000, 900_000, 1),  # one patient more than the best tier allows
        (150, 300_000, 600_000, 50),
        (219, 300_000, 600_000, 119),
        (220, 0, 300_000, 1),  # beyond every tier: nothing earned
    ],
)
def test_lower_is_better_counts(patients, earned, next_amount, gap):
    result = earning(Measure(patients).value(Unit.COUNT), ALD, Direction.LOWER)
    assert result.amount_cents == earned
    assert (result.next_tier.amount_cents if result.next_tier else None) == next_amount
    assert result.gap == gap
    expected = EarningStatus.EARNED if earned else EarningStatus.NOT_REACHED
    assert result.status is expected


@pytest.mark.parametrize(
    ("numerator", "denominator", "earned", "more"),
    [
        (697, 1000, 100_000, 150_000),  # exactly 69.7 %: floats would say 69.69999…
        (696, 1000, 0, 100_000),
        (724, 1000, 250_000, 100_000),
        (3, 4, 350_000, 0),  # 75 %
        (1, 1, 350_000, 0),
    ],
)
def test_higher_is_better_rates_are_exact(numerator, denominator, earned, more):
    value = Measure(numerator, denominator).value(Unit.PERCENT)
    result = earning(value, SCREENING, Direction.HIGHER)
    assert result.amount_cents == earned
    assert result.more_cents == more


def test_a_rate_over_nobody_or_a_missing_value_earns_nothing_yet():
    assert Measure(5, 0).value(Unit.PERCENT) is None
    missing = Measure(missing_reason="Données CPAM non transmises")
    assert missing.missing and missing.value(Unit.COUNT) is None
    result = earning(None, SCREENING, Direction.HIGHER)
    assert result.status is EarningStatus.PENDING
    assert result.amount_cents == 0
    assert result.next_tier == SCREENING[0]


def test_no_tier_for_the_year():
    assert earning(Fraction(10), [], Direction.HIGHER).status is EarningStatus.NO_TARGET


def test_tiers_are_read_in_any_order():
    shuffled = [ALD[2], ALD[0], ALD[1]]
    assert earning(Fraction(80), shuffled, Direction.LOWER).amount_cents == 600_000


def test_a_year_of_flows_needs_every_period_and_adds_them_up():
    quarters = [Measure(10, 40), Measure(12, 40), Measure(8, 40), Measure(20, 80)]
    assert year_measure(quarters, Aggregation.SUM) == Measure(50, 200)
    assert year_measure([*quarters[:3], None], Aggregation.SUM) is None  # not validated yet
    with_missing = [*quarters[:3], Measure(missing_reason="panne")]
    assert year_measure(with_missing, Aggregation.SUM) is None
    counts = [Measure(3), Measure(4)]
    assert year_measure(counts, Aggregation.SUM) == Measure(7, None)


def test_a_year_of_stocks_is_its_last_period():
    months = [Measure(120), Measure(110), Measure(95)]
    assert year_measure(months, Aggregation.LAST) == Measure(95)
    assert year_measure([*months[:2], None], Aggregation.LAST) is None
    assert year_measure([], Aggregation.LAST) is None
