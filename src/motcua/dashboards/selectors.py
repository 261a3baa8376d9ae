"""What a dashboard shows, read through the indicators engine's stable selectors (docs/indicators.md)."""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from motcua.indicators import selectors as index

REFORM_DAY = date(2025, 7, 1)  # the 2025 reorganisation of administrative units (vn-domain.md §9.2)
TREND_LENGTH = {"month": 12, "quarter": 4, "year": 5}
KIND_LABELS = {"province": "Tỉnh, thành phố", "ministry": "Bộ, ngành", "agency": "Cơ quan", "national": "Toàn quốc",
               "commune": "Xã, phường"}


@dataclass(frozen=True)
class Dashboard:
    card: index.Scorecard
    headline: index.Headline
    trend: list[index.TrendPoint]
    units_as: str

    @property
    def spans_reform(self) -> bool:
        """A period before 1 July 2025 is shown: the old/new units toggle means something."""
        return any(p.period.start < REFORM_DAY for p in self.trend) or self.card.period.start < REFORM_DAY


def current_period_key(today: date | None = None) -> str:
    today = today or timezone.localdate()
    return f"{today.year}-{today.month:02d}"


def cache_seconds() -> int:
    """How long a computed dashboard is reused (settings.MOTCUA_DASHBOARD_CACHE_SECONDS, default 60).

    Computing a dashboard costs about one scorecard (its trend is read in the same queries, grouped
    by period), while people read the same province's page again and again. A minute-old figure is
    still "live" for a public page; the page says when its figures were computed. 0 turns caching off.
    """
    return int(settings.MOTCUA_DASHBOARD_CACHE_SECONDS)


def cache_key(kind: str, code: str, period: index.Period, units_as: str) -> str:
    """Where a dashboard is cached: the page and the warming job (dashboards/warming.py) share it."""
    return "dashboards:v1:" + hashlib.sha256(f"{kind}|{code}|{period.key}|{units_as}".encode()).hexdigest()


def dashboard(kind: str, code: str, period_key: str | None, units_as: str = "today") -> Dashboard:
    """Scorecard, headline and trend of a scope; raises the engine's UnknownScopeError/UnknownPeriodError."""
    period = index.parse_period(period_key or current_period_key())
    if cache_seconds() > 0:
        found = cache.get(cache_key(kind, code, period, units_as))
        if found is not None:
            return found
    return refresh(kind, code, period, units_as, cache_seconds())


def refresh(kind: str, code: str, period: index.Period, units_as: str, seconds: int) -> Dashboard:
    """Compute a dashboard and keep it `seconds` (0: not at all), replacing what the cache held."""
    result = _compute(kind, code, period, units_as)
    if seconds > 0:
        cache.set(cache_key(kind, code, period, units_as), result, seconds)
    return result


def _compute(kind: str, code: str, period: index.Period, units_as: str) -> Dashboard:
    # One engine call for the scorecard and its trend: every table is read once, grouped by period.
    card, trend = index.scorecard_and_trend(kind, code, period, TREND_LENGTH[period.kind], units_as=units_as)
    return Dashboard(card=card, headline=trend[-1].headline, trend=trend, units_as=units_as)


PICKERS_KEY = "dashboards:v1:pickers"


def pickers() -> dict[str, list[index.Scope]]:
    found = cache.get(PICKERS_KEY) if cache_seconds() > 0 else None
    return found if found is not None else refresh_pickers(cache_seconds())


def refresh_pickers(seconds: int) -> dict[str, list[index.Scope]]:
    found = {kind: index.scopes(kind) for kind in ("province", "ministry", "agency")}
    if seconds > 0:
        cache.set(PICKERS_KEY, found, seconds)
    return found
