"""The Art. 27 formulas against hand computations, and their properties."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.reform import formulas
from motcua.reform.formulas import Inputs, Prices

# 4 470 000 đ/month ÷ 22 ÷ 8 = 25 397.727… đ/hour
PRICES = Prices(formulas.hourly_income(4_470_000, 22, 8), cost_per_copy=2_500, travel_cost_per_trip=30_000)


def test_hourly_income_is_monthly_over_22_days_of_8_hours():
    assert formulas.hourly_income(4_470_000, 22, 8).quantize(Decimal("0.0001")) == Decimal("25397.7273")
    with pytest.raises(ValueError):
        formulas.hourly_income(4_470_000, 0, 8)


def test_in_person_procedure_by_hand():
    # 6 hours × 25 397.7272… = 152 386.36 → 152 386; 1 copy 2 500; 2 trips 60 000; fee 50 000.
    inputs = Inputs(info_hours=Decimal(1), prepare_hours=Decimal(1), travel_hours=Decimal(4), copies=1, trips=2,
                    fees=50_000, subjects=800)
    result = formulas.cost(inputs, PRICES)
    assert result.time_cost == 152_386
    assert result.copies_cost == 2_500
    assert result.travel_cost == 60_000
    assert result.per_occurrence == 264_886
    assert result.annual == 264_886 * 800 == 211_908_800


def test_frequency_multiplies_the_year():
    # A monthly report: 12 times a year for each of 10 subjects. 2 h → 50 795.45 → 50 795.
    result = formulas.cost(Inputs(prepare_hours=Decimal(2), frequency=Decimal(12), subjects=10), PRICES)
    assert result.per_occurrence == 50_795
    assert result.annual == 50_795 * 12 * 10


def test_zero_subjects_cost_nothing_a_year():
    result = formulas.cost(Inputs(info_hours=Decimal(1), fees=20_000, subjects=0), PRICES)
    assert result.per_occurrence == 25_398 + 20_000
    assert result.annual == 0


def test_zero_fees():
    result = formulas.cost(Inputs(travel_hours=Decimal(4), trips=2, subjects=1), PRICES)
    assert result.fees == 0
    assert result.per_occurrence == 101_591 + 60_000


def test_free_online_channel_costs_only_time():
    # Fully online, no fee, no copies, no trips: half an hour to submit. 12 698.86 → 12 699.
    result = formulas.cost(Inputs(travel_hours=Decimal("0.5"), subjects=1000), PRICES)
    assert (result.fees, result.copies_cost, result.travel_cost) == (0, 0, 0)
    assert result.per_occurrence == 12_699
    assert result.annual == 12_699_000


def test_saving_and_rate_reproduce_the_ha_noi_2025_example():
    # vn-domain.md §6.4: about 2 306 bn → about 654 bn VND a year, saving 1 652 bn, 71.64 %.
    before, after = 2_306_000_000_000, 654_000_000_000
    assert formulas.saving(before, after) == 1_652_000_000_000
    assert formulas.reduction_rate(before, after) == Decimal("71.64")


def test_rate_of_nothing_is_none():
    assert formulas.reduction_rate(0, 0) is None


def test_negative_input_is_refused():
    with pytest.raises(ValueError):
        formulas.cost(Inputs(fees=-1), PRICES)


hours = st.decimals(min_value=0, max_value=1000, places=2)
counts = st.integers(min_value=0, max_value=10_000)


@given(hours, hours, hours, hours, counts, counts, st.integers(min_value=0, max_value=10**9),
       st.decimals(min_value=0, max_value=365, places=2), st.integers(min_value=0, max_value=10**7))
def test_annual_is_per_occurrence_times_frequency_times_subjects(a, b, c, d, copies, trips, fees, frequency,
                                                                 subjects):
    inputs = Inputs(a, b, c, d, copies, trips, fees, 0, frequency, subjects)
    result = formulas.cost(inputs, PRICES)
    assert result.per_occurrence == (result.time_cost + result.copies_cost + result.travel_cost + result.fees)
    assert abs(Decimal(result.annual) - Decimal(result.per_occurrence) * frequency * subjects) <= Decimal("0.5")
    assert abs(Decimal(result.time_cost) - inputs.hours * PRICES.hourly_income) <= Decimal("0.5")


@given(st.integers(min_value=1, max_value=10**15), st.data())
def test_a_cut_gives_a_rate_between_0_and_100(before, data):
    after = data.draw(st.integers(min_value=0, max_value=before))
    rate = formulas.reduction_rate(before, after)
    assert Decimal(0) <= rate <= Decimal(100)
    assert formulas.saving(before, after) == before - after
