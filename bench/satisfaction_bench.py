"""SIPAS sampling and index aggregation, against plain-Python baselines measured in the same run.

    .venv/bin/python bench/satisfaction_bench.py [--population 1000000] [--responses 10000] [--repeat 5]

- allocate + draw: a stratified sample (6 strata, minimum 5 per stratum) of 1,000 from a population
  of --population dossier ids; baseline: one `random.sample` of 1,000 from the whole population
  (a simple random sample, what stratification costs on top of it).
- index: `selectors._breakdown` (criterion → element → overall, Fractions, rounding) over
  --responses responses × 22 satisfaction answers; baseline: one pass counting answers ≥ 4 per
  criterion (the least work any implementation must do).
Pure functions: no database, so the numbers isolate the code of motcua.satisfaction. The database
reads are one indexed query per campaign (tests assert their results).
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import django


def best(fn, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--population", type=int, default=1_000_000)
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    django.setup()
    from motcua.satisfaction.sampling import allocate, draw
    from motcua.satisfaction.selectors import _breakdown

    rng = random.Random(1)
    shares = {("province", "in_person"): 0.15, ("province", "online"): 0.10, ("commune", "in_person"): 0.45,
              ("commune", "online"): 0.25, ("district", "in_person"): 0.04, ("district", "online"): 0.01}
    ids = list(range(args.population))
    population, start = {}, 0
    for stratum, share in shares.items():
        size = int(args.population * share)
        population[stratum] = ids[start:start + size]
        start += size
    sizes = {s: len(v) for s, v in population.items()}

    structure = [(1, ["1.1", "1.2", "1.3", "1.4"]), (2, [f"2.{i}" for i in range(1, 6)]),
                 (3, [f"3.{i}" for i in range(1, 7)]), (4, ["4.1", "4.2", "4.3"]), (5, [f"5.{i}" for i in range(1, 5)])]
    answers = [(n, code, rng.randint(1, 5)) for _ in range(args.responses) for n, codes in structure for code in codes]

    def baseline_index():
        counts: dict[str, list[int]] = {}
        for _n, code, value in answers:
            c = counts.setdefault(code, [0, 0])
            c[0] += value >= 4
            c[1] += 1
        return counts

    rows = [
        ("simple random sample (baseline)", *best(lambda: random.Random("s").sample(ids, 1000), args.repeat)),
        ("allocate + stratified draw", *best(lambda: draw(population, allocate(sizes, 1000, 5), "s"), args.repeat)),
        ("count answers ≥ 4 (baseline)", *best(baseline_index, args.repeat)),
        ("SIPAS index (_breakdown)", *best(lambda: _breakdown(answers, args.responses, structure), args.repeat)),
    ]
    print(f"population {args.population:,} ids in 6 strata; {args.responses:,} responses × 22 answers; "
          f"best / median of {args.repeat}")
    print(f"| {'case':<34} | {'best ms':>9} | {'median ms':>9} |")
    print(f"|{'-' * 36}|{'-' * 10}:|{'-' * 10}:|")
    for name, b, m in rows:
        print(f"| {name:<34} | {b * 1000:>9.1f} | {m * 1000:>9.1f} |")


if __name__ == "__main__":
    main()
