"""Allocation and draw: hand examples and properties on any population."""

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.satisfaction.sampling import allocate, draw

STRATA = st.dictionaries(st.tuples(st.sampled_from(["province", "commune", "district"]),
                                   st.sampled_from(["in_person", "online"])),
                         st.integers(0, 400), max_size=6)


def test_proportional_allocation_by_hand():
    # 600/300/100, n = 100, no minimum → 60/30/10
    assert allocate({"a": 600, "b": 300, "c": 100}, 100) == {"a": 60, "b": 30, "c": 10}


def test_minimum_then_proportional_by_hand():
    # minimum 5 each (15), rest 85 by 600:300:100 → 51, 25.5, 8.5; floors 51+25+8=84, one left:
    # remainders b .5 and c .5 tie → the first stratum in order (b) gets it → 56, 31, 13.
    assert allocate({"a": 600, "b": 300, "c": 100}, 100, minimum=5) == {"a": 56, "b": 31, "c": 13}


def test_small_stratum_is_capped_and_the_rest_shared():
    # minimums 5, 5 and 2 (c holds only 2) = 12; the other 88 go to a and b as 600:300 →
    # 58.67 and 29.33 → floors 58 + 29, the one left to a (larger remainder) → a 5+59, b 5+29.
    assert allocate({"a": 600, "b": 300, "c": 2}, 100, minimum=5) == {"a": 64, "b": 34, "c": 2}


def test_sample_larger_than_population_takes_everyone():
    assert allocate({"a": 3, "b": 0, "c": 4}, 50, minimum=5) == {"a": 3, "b": 0, "c": 4}


def test_minimums_above_the_sample_size_fall_back_to_proportional():
    assert allocate({"a": 90, "b": 10}, 4, minimum=5) == {"a": 4, "b": 0}


@settings(max_examples=300)
@given(STRATA, st.integers(0, 1500), st.integers(0, 30))
def test_allocation_properties(populations, n, minimum):
    allocation = allocate(populations, n, minimum)
    assert set(allocation) == set(populations)
    for stratum, k in allocation.items():
        assert 0 <= k <= populations[stratum]  # never more than the stratum holds
    assert sum(allocation.values()) == min(n, sum(populations.values()))  # sums to n when possible
    if sum(min(p, minimum) for p in populations.values()) <= n:
        for stratum, k in allocation.items():
            assert k >= min(populations[stratum], minimum)  # the minimum is kept when it fits


@settings(max_examples=100)
@given(STRATA, st.integers(0, 300), st.text(max_size=10))
def test_same_seed_same_sample_and_only_from_the_stratum(populations, n, seed):
    ids = iter(range(1, 10**6))
    population = {s: [next(ids) for _ in range(size)] for s, size in populations.items()}
    allocation = allocate(populations, n, 3)
    first = draw(population, allocation, seed)
    # the same population listed in another order gives the same sample
    shuffled = {s: list(reversed(v)) for s, v in reversed(list(population.items()))}
    assert draw(shuffled, allocation, seed) == first
    for stratum, chosen in first.items():
        assert len(chosen) == allocation[stratum]
        assert len(set(chosen)) == len(chosen)
        assert set(chosen) <= set(population[stratum])


def test_another_seed_gives_another_sample():
    population = {("commune", "online"): list(range(1000))}
    allocation = {("commune", "online"): 10}
    assert draw(population, allocation, "a") != draw(population, allocation, "b")
