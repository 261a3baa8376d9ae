"""Every formula against hand-computed cases, with zero denominators and the thresholds."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.satisfaction import formulas


def test_rating_score_equal_weights():
    # 12 criteria, weight 1: 2+2+1+1+0+2+2+2+1+2+2+2 = 19 of 24 points → 79.166… → 79.17
    points = [2, 2, 1, 1, 0, 2, 2, 2, 1, 2, 2, 2]
    score = formulas.rating_score((1, p) for p in points)
    assert score == Fraction(19 * 100, 24)
    assert formulas.to_decimal(score) == Decimal("79.17")


def test_rating_score_with_weights():
    # weights 3, 1, 0.5 ; points 2, 0, 1 → (6 + 0 + 0.5) / (6 + 2 + 1) = 6.5 / 9 → 72.22
    score = formulas.rating_score([(Decimal(3), 2), (Decimal(1), 0), (Decimal("0.5"), 1)])
    assert score == Fraction(650, 9)
    assert formulas.to_decimal(score) == Decimal("72.22")


def test_rating_score_bounds_and_zero_denominator():
    assert formulas.rating_score([(1, 2), (1, 2)]) == 100
    assert formulas.rating_score([(1, 0)]) == 0
    assert formulas.rating_score([]) is None  # nothing answered
    assert formulas.rating_score([(0, 2), (Decimal(0), 1)]) is None  # only zero weights
    assert formulas.to_decimal(None) is None
    with pytest.raises(ValueError):
        formulas.rating_score([(1, 3)])


@given(st.lists(st.tuples(st.decimals(min_value=0, max_value=100, places=2), st.integers(0, 2)), max_size=15))
def test_rating_score_stays_within_0_and_100(answers):
    score = formulas.rating_score(answers)
    assert score is None or 0 <= score <= 100


def test_criterion_index_threshold_is_hai_long():
    # 4 (Hài lòng) and 5 (Rất hài lòng) count; 3 (Bình thường) does not.
    assert formulas.criterion_index([4]) == 100
    assert formulas.criterion_index([5]) == 100
    assert formulas.criterion_index([3]) == 0
    assert formulas.criterion_index([1, 2, 3, 4, 5]) == 40
    assert formulas.criterion_index([5, 4, 3]) == Fraction(200, 3)
    assert formulas.to_decimal(formulas.criterion_index([5, 4, 3])) == Decimal("66.67")
    assert formulas.criterion_index([]) is None  # nobody answered


def test_mean_skips_missing_terms():
    assert formulas.mean([Fraction(100), Fraction(50)]) == 75
    assert formulas.mean([Fraction(100), None, Fraction(50)]) == 75
    assert formulas.mean([None, None]) is None
    assert formulas.mean([]) is None


def test_rounding_is_half_up():
    assert formulas.to_decimal(Fraction(1, 200)) == Decimal("0.01")  # 0.005
    assert formulas.to_decimal(Fraction(2, 3)) == Decimal("0.67")
