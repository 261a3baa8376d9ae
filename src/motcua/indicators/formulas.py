"""The formulas of Decision 766 (vn-domain.md §4.3–4.4) as pure functions: no database, no clock.

Rates are percentages. A rate is exact until it is shown: points are computed from the exact
fraction and rounded once, to 2 decimals (half up), and the displayed rate is rounded the same way.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

HUNDRED = Decimal(100)
TWO_DP = Decimal("0.01")


def round2(value) -> Decimal:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value).quantize(TWO_DP, rounding=ROUND_HALF_UP)


def ratio(numerator: int, denominator: int) -> Fraction | None:
    """numerator ÷ denominator as a percentage; None when there is nothing to measure (0 ÷ 0)."""
    if not denominator:
        return None
    return Fraction(numerator * 100, denominator)


def rate(numerator: int, denominator: int) -> Decimal | None:
    """The shown rate: percent, 2 decimals; None for a zero denominator (shown as “—”)."""
    exact = ratio(numerator, denominator)
    return None if exact is None else round2(exact)


def points(exact_rate: Fraction | Decimal | None, max_points: Decimal, threshold: Decimal | None) -> Decimal:
    """`max × min(1, rate / threshold)`; without a threshold `rate × max` (§4.4). No rate → 0."""
    if exact_rate is None or max_points == 0:
        return round2(0)
    r = Fraction(exact_rate)
    if r < 0:
        r = Fraction(0)
    if threshold is None or threshold == 0:
        share = min(Fraction(1), r / 100)
    else:
        share = min(Fraction(1), r / Fraction(threshold))
    return round2(Fraction(max_points) * share)


def on_time_count(received: int, late: int) -> int:
    """2.1: dossiers finished on time, or still open within time, or paused once and never resumed."""
    return max(received - late, 0)


def satisfaction_in_dossiers(received: int, late: int, complained: int) -> Fraction | None:
    """5.4 = 100% − (late rate + rate of dossiers with a PAKN or a dislike), never below 0 (§4.3)."""
    if not received:
        return None
    return max(Fraction(0), Fraction(100) - Fraction(late * 100, received) - Fraction(complained * 100, received))


def online_dossier_rate(online_qualified: int, received: int, sync_rate: Fraction | None = None) -> Fraction | None:
    """3.3: online dossiers (with an e-result when the procedure yields a paper one) ÷ received,
    × the sync rate (1.4) when it is known."""
    exact = ratio(online_qualified, received)
    if exact is None or sync_rate is None:
        return exact
    return exact * sync_rate / 100


def feedback_satisfaction(cases: int, dissatisfied: int) -> Fraction | None:
    """5.3: (PAKN − rated unsatisfactory − handled late − repeated with a complaint) ÷ PAKN; a case
    is subtracted once even when several of these apply."""
    return ratio(max(cases - dissatisfied, 0), cases)


@dataclass(frozen=True)
class BandRule:
    code: str
    label: str
    min_total: Decimal


def band(total: Decimal, bands: list[BandRule]) -> BandRule:
    """The band whose minimum is the highest one the total reaches (≥ 90 Xuất sắc … < 50 Yếu)."""
    reached = [b for b in bands if total >= b.min_total]
    if not reached:
        return min(bands, key=lambda b: b.min_total)
    return max(reached, key=lambda b: b.min_total)
