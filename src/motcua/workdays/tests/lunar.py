"""An independent check of the package's lunar dates: new moons and solar terms at UTC+7.

The Vietnamese lunar month starts on the local (UTC+7, 105°E) date of a new moon; month 12
contains the solar term at 300° (Đại hàn), month 3 the one at 30° (Cốc vũ). So Tết is the first new
moon after the 300° term, and Hùng Kings' day (10/3) is 9 days after the last new moon on or
before the 30° term. That holds for every year 2020–2035; it would not for a leap 12th month,
which these years do not have.

Formulas: J. Meeus, Astronomical Algorithms, 2nd ed., ch. 49 (new moon, main periodic terms;
error well under two minutes) and ch. 25 (the Sun's apparent longitude, low accuracy, ~0.01°).
"""

import math
from datetime import UTC, date, datetime, timedelta, timezone

ICT = timezone(timedelta(hours=7))
# TT − UT around 2020–2035, in days (about 69–72 s); a minute of error cannot move a local date
# unless a new moon falls within a minute of midnight, which none of the checked ones does.
DELTA_T = 70 / 86400
_J2000 = datetime(2000, 1, 1, 12, tzinfo=UTC)

# (coefficient, power of E, multiples of M, M', F, Ω) of the new-moon correction.
_NEW_MOON_TERMS = [
    (-0.40720, 0, 0, 1, 0, 0), (0.17241, 1, 1, 0, 0, 0), (0.01608, 0, 0, 2, 0, 0), (0.01039, 0, 0, 0, 2, 0),
    (0.00739, 1, -1, 1, 0, 0), (-0.00514, 1, 1, 1, 0, 0), (0.00208, 2, 2, 0, 0, 0), (-0.00111, 0, 0, 1, -2, 0),
    (-0.00057, 0, 0, 1, 2, 0), (0.00056, 1, 1, 2, 0, 0), (-0.00042, 0, 0, 3, 0, 0), (0.00042, 1, 1, 0, 2, 0),
    (0.00038, 1, 1, 0, -2, 0), (-0.00024, 1, -1, 2, 0, 0), (-0.00017, 0, 0, 0, 0, 1), (-0.00007, 0, 2, 1, 0, 0),
    (0.00004, 0, 0, 2, -2, 0), (0.00004, 0, 3, 0, 0, 0), (0.00003, 0, 1, 1, -2, 0), (0.00003, 0, 0, 2, 2, 0),
    (-0.00003, 0, 1, 1, 2, 0), (0.00003, 0, -1, 1, 2, 0), (-0.00002, 0, -1, 1, -2, 0), (-0.00002, 0, 1, 3, 0, 0),
    (0.00002, 0, 0, 4, 0, 0),
]


def _jd_to_datetime(jd: float) -> datetime:
    return _J2000 + timedelta(days=jd - 2451545.0)


def new_moon(k: int) -> datetime:
    """The k-th new moon after the one of 6 January 2000 (UT)."""
    t = k / 1236.85
    jde = 2451550.09766 + 29.530588861 * k + 0.00015437 * t**2 - 0.000000150 * t**3 + 0.00000000073 * t**4
    e = 1 - 0.002516 * t - 0.0000074 * t**2
    m = math.radians(2.5534 + 29.10535670 * k - 0.0000014 * t**2 - 0.00000011 * t**3)
    mp = math.radians(201.5643 + 385.81693528 * k + 0.0107582 * t**2 + 0.00001238 * t**3 - 0.000000058 * t**4)
    f = math.radians(160.7108 + 390.67050284 * k - 0.0016118 * t**2 - 0.00000227 * t**3 + 0.000000011 * t**4)
    om = math.radians(124.7746 - 1.56375588 * k + 0.0020672 * t**2 + 0.00000215 * t**3)
    correction = sum(c * e**p * math.sin(a * m + b * mp + g * f + o * om) for c, p, a, b, g, o in _NEW_MOON_TERMS)
    return _jd_to_datetime(jde + correction - DELTA_T)


def new_moon_dates(year: int) -> list[date]:
    """Local (UTC+7) dates of the new moons from December of the year before to January after."""
    first = round((year - 2000 - 0.1) * 12.3685) - 1
    return [new_moon(k).astimezone(ICT).date() for k in range(first, first + 16)]


def sun_longitude(moment: datetime) -> float:
    """The Sun's apparent ecliptic longitude in degrees [0, 360)."""
    t = (moment - _J2000) / timedelta(days=36525)
    l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t**2
    m = math.radians(357.52911 + 35999.05029 * t - 0.0001537 * t**2)
    c = ((1.914602 - 0.004817 * t - 0.000014 * t**2) * math.sin(m) + (0.019993 - 0.000101 * t) * math.sin(2 * m)
         + 0.000289 * math.sin(3 * m))
    omega = math.radians(125.04 - 1934.136 * t)
    return (l0 + c - 0.00569 - 0.00478 * math.sin(omega)) % 360


def solar_term_date(year: int, longitude: float) -> date:
    """The local date on which the Sun reaches `longitude` in `year` (Newton steps on the longitude)."""
    guess = datetime(year, 3, 20, tzinfo=UTC) + timedelta(days=(longitude % 360) / 360 * 365.2422)
    if guess.year > year:
        guess -= timedelta(days=365.2422)
    for _ in range(8):
        diff = (longitude - sun_longitude(guess) + 180) % 360 - 180
        guess += timedelta(days=diff * 365.2422 / 360)
    return guess.astimezone(ICT).date()


def tet(year: int) -> date:
    """Mùng 1 Tết: the first new moon after the Đại hàn term (300°)."""
    term = solar_term_date(year, 300)
    return next(d for d in new_moon_dates(year) if d > term)


def hung_kings(year: int) -> date:
    """10/3 lunar: 9 days after the last new moon on or before the Cốc vũ term (30°)."""
    term = solar_term_date(year, 30)
    return max(d for d in new_moon_dates(year) if d <= term) + timedelta(days=9)
