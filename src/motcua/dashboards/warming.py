"""Warming: `motcua worker` recomputes the dashboards people open first, so no visitor pays the cold path.

A cold dashboard costs one scorecard's queries (100–275 ms for a province or the whole country at
2.5M dossiers, docs/benchmarks.md), a cached one 4–17 ms. With a shared cache (MOTCUA_CACHE_URL:
Redis or the database) one computation serves every web process; the job "dashboards.warm"
recomputes and stores, every MOTCUA_DASHBOARD_WARM_SECONDS, the national page and each province's
page as the visitor first sees them: the current month (the page's default period), units as today.
Other periods, agencies and ministries are still computed on first request and cached as before.
"""

import logging

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache

from motcua.dashboards import selectors
from motcua.indicators import selectors as index
from motcua.indicators.errors import UnknownScopeError

logger = logging.getLogger(__name__)


def shared_cache() -> bool:
    """Whether the default cache is seen by every process. Warming a worker's private memory
    (LocMemCache) or a cache that keeps nothing (DummyCache) would cost queries and help nobody."""
    return not isinstance(caches["default"], LocMemCache | DummyCache)


def warm_every() -> int:
    """Seconds between warms (settings.MOTCUA_DASHBOARD_WARM_SECONDS; 0 or caching off: never)."""
    return int(settings.MOTCUA_DASHBOARD_WARM_SECONDS) if selectors.cache_seconds() > 0 else 0


def enabled() -> bool:
    return shared_cache() and warm_every() > 0


def warm_timeout() -> int:
    """How long a warmed page is kept: at least the cache time and three warm intervals.

    The worker runs the job on its sweep (every 30 s, after the outbox and the other jobs), so two
    warms of a page can be further apart than MOTCUA_DASHBOARD_WARM_SECONDS; a page that expired
    just before its next warm would cost its next visitor the cold path. Keeping it three intervals
    means a late or failed warm is covered; while the worker runs, the next warm replaces it first,
    so its figures are at most about one interval old."""
    return max(selectors.cache_seconds(), 3 * warm_every())


def warm() -> int:
    """Recompute and store the national and provincial pages of the current month; how many were stored."""
    seconds = warm_timeout()
    period = index.parse_period(selectors.current_period_key())
    selectors.refresh_pickers(seconds)
    stored = 0
    for scope in index.scopes("national") + index.scopes("province"):
        kind, code = scope.kind, scope.code
        try:
            selectors.refresh(kind, code, period, "today", seconds)
            stored += 1
        except UnknownScopeError:
            # A province listed a moment ago whose agencies were just moved: its page says so itself.
            logger.warning("Không làm nóng được bảng điều khiển %s %s.", kind, code)
    return stored
