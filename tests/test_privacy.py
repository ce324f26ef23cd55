"""Small-count masking: the rule itself (each outside view is walked by its own tests)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app import privacy


def test_counts_from_one_to_ten_are_masked_zero_and_eleven_are_not():
    assert [privacy.count(n) for n in (0, 1, 10, 11)] == [0, None, None, 11]
    assert privacy.count(None) is None


def test_a_rate_is_masked_when_either_term_is_small():
    assert privacy.rate(5, 200) == (None, None)
    assert privacy.rate(150, 7) == (None, None)
    assert privacy.rate(0, 200) == (0, 200)
    assert privacy.rate(40, 200) == (40, 200)


def test_one_masked_part_beside_its_total_takes_the_next_smallest_with_it():
    shown = privacy.parts({"médecin": 40, "infirmier": 3, "pharmacien": 25, "kiné": 0})
    assert shown == {"médecin": 40, "infirmier": None, "pharmacien": None, "kiné": 0}
    assert privacy.parts({"a": 40, "b": 3, "c": 25}, total_shown=False)["c"] == 25


@given(st.dictionaries(st.sampled_from("abcdef"), st.integers(0, 60), min_size=1))
def test_no_masked_part_can_be_recomputed_from_the_total_and_the_others(values):
    shown = privacy.parts(values)
    hidden = [k for k, v in shown.items() if v is None]
    total = privacy.total(values)
    assert all(
        shown[k] == v for k, v in values.items() if not privacy.is_small(v) and k not in hidden
    )
    if total is not None:
        # With the total visible, a reader could recompute a part only if it were the single
        # unknown: never the case.
        assert len(hidden) != 1
