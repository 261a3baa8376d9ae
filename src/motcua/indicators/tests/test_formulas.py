"""The formulas of §4.3–4.4, hand-computed: zero denominators, thresholds, no threshold, band edges."""

from decimal import Decimal as D  # noqa: N817 (hand-computed figures read better short)
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.indicators import formulas
from motcua.indicators.formulas import BandRule

BANDS = [BandRule("excellent", "Xuất sắc", D(90)), BandRule("good", "Tốt", D(80)), BandRule("fair", "Khá", D(70)),
         BandRule("average", "Trung bình", D(50)), BandRule("weak", "Yếu", D(0))]


def test_a_zero_denominator_has_no_rate_and_no_points():
    assert formulas.rate(0, 0) is None
    assert formulas.ratio(5, 0) is None
    assert formulas.points(None, D(20), None) == D("0.00")
    assert formulas.satisfaction_in_dossiers(0, 0, 0) is None
    assert formulas.feedback_satisfaction(0, 0) is None


def test_rates_are_percentages_rounded_half_up_to_two_decimals():
    assert formulas.rate(1, 3) == D("33.33")
    assert formulas.rate(2, 3) == D("66.67")
    assert formulas.rate(1, 8) == D("12.50")
    assert formulas.rate(1, 200) == D("0.50")
    assert formulas.rate(1, 800) == D("0.13")  # 0.125 → 0.13, half up
    assert formulas.rate(7, 7) == D("100.00")


def test_points_below_at_and_above_the_threshold():
    # 3.3: threshold 50 %, 6 points. 40 % → 6 × 40/50 = 4.80; exactly 50 % → 6; 70 % → capped at 6.
    assert formulas.points(formulas.ratio(2, 5), D(6), D(50)) == D("4.80")
    assert formulas.points(formulas.ratio(1, 2), D(6), D(50)) == D("6.00")
    assert formulas.points(formulas.ratio(7, 10), D(6), D(50)) == D("6.00")
    # 3.1: threshold 80 %, 4 points; 60 % → 4 × 60/80 = 3.00; 79.99…% just under
    assert formulas.points(Fraction(60), D(4), D(80)) == D("3.00")
    assert formulas.points(formulas.ratio(7999, 10000), D(4), D(80)) == D("4.00")  # 3.9995 rounds to 4.00
    assert formulas.points(formulas.ratio(7900, 10000), D(4), D(80)) == D("3.95")
    # 5.4: threshold 90 %, 6 points; 75 % → 5.00; 90 % → 6.00
    assert formulas.points(Fraction(75), D(6), D(90)) == D("5.00")
    assert formulas.points(Fraction(90), D(6), D(90)) == D("6.00")


def test_points_without_threshold_are_rate_times_max():
    # 2.1: 20 points, no threshold; 6 of 8 on time = 75 % → 15.00
    assert formulas.points(formulas.ratio(6, 8), D(20), None) == D("15.00")
    assert formulas.points(formulas.ratio(2, 3), D(20), None) == D("13.33")
    assert formulas.points(Fraction(100), D(20), None) == D("20.00")
    assert formulas.points(Fraction(0), D(20), None) == D("0.00")


def test_points_use_the_exact_rate_not_the_rounded_one():
    # 1/3 = 33.333…%: 6 × 0.3333… = 2.00; from the rounded 33.33 it would be 1.9998 → 2.00 too, but
    # 2/3 of 20 = 13.333… → 13.33 (from 66.67 it would be 13.334 → 13.33); 1/7 of 18 = 2.5714 → 2.57
    assert formulas.points(formulas.ratio(1, 7), D(18), None) == D("2.57")


def test_on_time_and_the_dossier_satisfaction_formula():
    assert formulas.on_time_count(8, 2) == 6
    assert formulas.on_time_count(0, 0) == 0
    # 5.4 = 100 − late % − complained %: 8 dossiers, 2 late, 1 complained → 100 − 25 − 12.5 = 62.5
    assert formulas.satisfaction_in_dossiers(8, 2, 1) == Fraction(125, 2)
    # never below zero even when the two rates overlap and add up past 100
    assert formulas.satisfaction_in_dossiers(4, 3, 3) == 0


def test_online_dossier_rate_is_scaled_by_the_sync_rate_when_known():
    assert formulas.online_dossier_rate(3, 4) == 75
    assert formulas.online_dossier_rate(3, 4, Fraction(80)) == 60
    assert formulas.online_dossier_rate(0, 0, Fraction(80)) is None


def test_feedback_satisfaction():
    # 10 cases, 3 dissatisfied (unsatisfactory, late or repeated, each counted once) → 70 %
    assert formulas.feedback_satisfaction(10, 3) == 70


@pytest.mark.parametrize(("total", "code"), [
    (D("100"), "excellent"), (D("90.00"), "excellent"), (D("89.99"), "good"), (D("80"), "good"),
    (D("79.99"), "fair"), (D("70"), "fair"), (D("69.99"), "average"), (D("61.5"), "average"),
    (D("50"), "average"), (D("49.99"), "weak"), (D("43"), "weak"), (D("0"), "weak"),
])
def test_band_edges(total, code):
    assert formulas.band(total, BANDS).code == code


@given(st.integers(0, 10_000), st.integers(0, 10_000), st.sampled_from([None, D(50), D(80), D(90)]),
       st.sampled_from([D(4), D(6), D(20)]))
def test_points_stay_between_zero_and_max_and_grow_with_the_rate(num, den, threshold, max_points):
    num = min(num, den)
    exact = formulas.ratio(num, den)
    pts = formulas.points(exact, max_points, threshold)
    assert D(0) <= pts <= max_points
    if den and num < den:
        assert formulas.points(formulas.ratio(num + 1, den), max_points, threshold) >= pts
    if exact is not None and threshold is not None and exact >= Fraction(threshold):
        assert pts == max_points
