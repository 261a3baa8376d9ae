"""Stratified random sampling for SIPAS: proportional allocation with a minimum per stratum.

Pure functions, so the properties (never more than a stratum holds, sums to the sample size when
the population allows, same seed → same sample) are tested with hypothesis on any input.

Allocation of n among strata of sizes N_h (total N):
1. n ≥ N: everyone is invited.
2. Each stratum first gets its minimum, min(N_h, m). If those minimums alone exceed n, the
   minimum is dropped and n is split in proportion to N_h.
3. The rest is split in proportion to N_h, capped at what each stratum still holds (a stratum
   whose share exceeds its remainder gets all of it and the others share again), and rounded by
   largest remainder; ties go to the stratum that sorts first, so the result is deterministic.
"""

import random
from collections.abc import Hashable, Mapping, Sequence
from fractions import Fraction


def allocate(populations: Mapping[Hashable, int], sample_size: int, minimum: int = 0) -> dict:
    strata = sorted(populations, key=repr)
    total = sum(populations[s] for s in strata)
    if sample_size >= total:
        return {s: populations[s] for s in strata}
    base = {s: min(populations[s], minimum) for s in strata}
    if sum(base.values()) > sample_size:
        base = dict.fromkeys(strata, 0)
    rest = _proportional(populations, {s: populations[s] - base[s] for s in strata},
                         sample_size - sum(base.values()), strata)
    return {s: base[s] + rest[s] for s in strata}


def _proportional(populations, capacity, amount: int, strata: list) -> dict:
    out = dict.fromkeys(strata, 0)
    open_strata = [s for s in strata if capacity[s] > 0]
    while amount > 0 and open_strata:
        weight = sum(populations[s] for s in open_strata)
        quota = {s: Fraction(amount * populations[s], weight) for s in open_strata}
        full = [s for s in open_strata if quota[s] >= capacity[s]]
        if full:  # these take all they hold; share the rest again among the others
            for s in full:
                out[s] += capacity[s]
                amount -= capacity[s]
            open_strata = [s for s in open_strata if s not in full]
            continue
        floors = {s: int(quota[s]) for s in open_strata}
        left = amount - sum(floors.values())
        by_remainder = sorted(open_strata, key=lambda s: (-(quota[s] - floors[s]), strata.index(s)))
        for s in open_strata:
            out[s] += floors[s]
        for s in by_remainder[:left]:
            out[s] += 1
        amount = 0
    return out


def draw(population: Mapping[Hashable, Sequence[int]], allocation: Mapping[Hashable, int], seed: str) -> dict:
    """Pick allocation[h] ids from each stratum's ids, reproducibly for a seed.

    The ids are sorted first and each stratum gets its own generator seeded with the campaign
    seed and the stratum, so the draw does not depend on query order or on the other strata.
    """
    chosen = {}
    for stratum in sorted(population, key=repr):
        ids = sorted(population[stratum])
        rng = random.Random(f"{seed}|{stratum!r}")
        chosen[stratum] = sorted(rng.sample(ids, min(allocation.get(stratum, 0), len(ids))))
    return chosen
