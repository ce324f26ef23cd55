"""Small-count masking (product.md §6): the one place that decides what an outside reader sees.

Counts from 1 to 10, and rates whose numerator or denominator is from 1 to 10, are masked in
every view, export and API answer read from outside the CPTS (regional, CPAM, peers). Zero is
not masked (it identifies nobody). When parts are shown beside their total, masking one part
alone would let a reader recompute it (total minus the others): the next smallest part is
masked too (secondary suppression).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from app.models.targets import Measure

SMALL_MAX = 10
Key = TypeVar("Key")


def is_small(count: int | None) -> bool:
    return count is not None and 1 <= count <= SMALL_MAX


def count(value: int | None) -> int | None:
    """The count as an outside reader may see it (None: masked, shown as « < 11 »)."""
    return None if is_small(value) else value


def rate(numerator: int | None, denominator: int | None) -> tuple[int | None, int | None]:
    """A rate's numerator and denominator, both masked if either is small."""
    if is_small(numerator) or is_small(denominator):
        return None, None
    return numerator, denominator


def measure(value: Measure | None) -> Measure | None:
    """A reported value as an outside reader may see it: a small count, or a rate with a small
    term, comes back masked (no number at all)."""
    if value is None or value.missing:
        return value
    if value.denominator is None:
        return value if count(value.numerator) is not None else Measure(masked=True)
    shown = rate(value.numerator, value.denominator)
    return value if shown[0] is not None else Measure(masked=True)


def parts(values: Mapping[Key, int], total_shown: bool = True) -> dict[Key, int | None]:
    """Parts of a whole (members by profession...), masked so that none can be recomputed from
    the others and the total."""
    shown: dict[Key, int | None] = {k: count(v) for k, v in values.items()}
    hidden = [k for k, v in shown.items() if v is None]
    if total_shown and len(hidden) == 1:
        visible = sorted((v, str(k), k) for k, v in shown.items() if v)
        if visible:
            shown[visible[0][2]] = None
        else:
            return shown  # the one masked part is the total itself: the total is masked too
    return shown


def total(values: Mapping[Key, int]) -> int | None:
    """A total shown beside masked parts: masked when small itself."""
    return count(sum(values.values()))
