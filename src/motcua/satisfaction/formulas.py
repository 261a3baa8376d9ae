"""The formulas, as pure functions on plain numbers (docs/satisfaction.md has worked examples).

Rating score (vn-domain §5.2, Circular 01/2018 [K]): each criterion gives 0, 1 or 2 points;
    score = 100 × Σ weight·points ÷ Σ weight·2   over the answered criteria.
SIPAS (vn-domain §5.1):
    criterion index = 100 × answers of 4 or 5 ÷ answers of that criterion
    element index   = mean of its criterion indices
    SIPAS           = mean of the element indices.
A zero denominator gives None (shown "N/A"), never an error; a mean skips the None terms, and
is None when every term is None.
"""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from motcua.satisfaction.choices import SATISFIED_FROM

MAX_POINTS = 2
TWO_PLACES = Decimal("0.01")


def to_decimal(value: Fraction | None) -> Decimal | None:
    """A percentage with 2 decimals, rounded half up (the index spec's display convention)."""
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def rating_score(answers: Iterable[tuple[Decimal | int, int]]) -> Fraction | None:
    """(weight, points) of each answered criterion → score on 0–100; None if no weight was answered."""
    earned = possible = Fraction(0)
    for weight, points in answers:
        if not 0 <= points <= MAX_POINTS:
            raise ValueError(f"points must be 0–{MAX_POINTS}, got {points}")
        weight = Fraction(Decimal(weight))
        earned += weight * points
        possible += weight * MAX_POINTS
    if possible == 0:
        return None
    return 100 * earned / possible


def criterion_index(values: Iterable[int]) -> Fraction | None:
    """Share (%) of answers on the 5-point scale that are 4 (Hài lòng) or 5 (Rất hài lòng)."""
    values = list(values)
    if not values:
        return None
    return Fraction(100 * sum(1 for v in values if v >= SATISFIED_FROM), len(values))


def mean(values: Iterable[Fraction | None]) -> Fraction | None:
    present = [v for v in values if v is not None]
    if not present:
        return None
    return sum(present, Fraction(0)) / len(present)
