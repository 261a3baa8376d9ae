"""A shared cache (MOTCUA_CACHE_URL) and the worker's job that keeps the month's pages computed in it."""

import os
import subprocess
import sys

import pytest
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.conf import ImproperlyConfiguredEnvError
from motcua.core import schedule
from motcua.core.outbox import deliver_due
from motcua.dashboards import selectors, warming
from motcua.dossiers.tests.factories import Personas, receive
from motcua.indicators import selectors as index
from motcua.settings import cache_config

REDIS = "django.core.cache.backends.redis.RedisCache"
# A database number and key prefix no running instance uses: the tests empty that database.
TEST_REDIS = {"BACKEND": REDIS, "LOCATION": "redis://127.0.0.1:6379/15", "KEY_PREFIX": "motcua-test-dashboards"}
PROVINCE_PAGE, NATIONAL_PAGE = "/bang-dieu-khien/province/80/", "/bang-dieu-khien/national/VN/"


# ----------------------------------------------------------------------------- settings


@pytest.mark.parametrize(("value", "backend", "location"), [
    ("", "django.core.cache.backends.locmem.LocMemCache", None),
    ("  ", "django.core.cache.backends.locmem.LocMemCache", None),
    ("redis://127.0.0.1:6379/5", REDIS, "redis://127.0.0.1:6379/5"),
    ("rediss://:secret@cache.example.vn:6380/0", REDIS, "rediss://:secret@cache.example.vn:6380/0"),
    ("db", "django.core.cache.backends.db.DatabaseCache", "motcua_cache"),
])
def test_the_cache_url_chooses_the_backend(value, backend, location):
    config = cache_config(value)
    assert config["BACKEND"] == backend and config.get("LOCATION") == location


@pytest.mark.parametrize("value", ["memcached://127.0.0.1:11211", "redis://", "redis", "database", "yes"])
def test_a_cache_url_it_cannot_use_is_refused_naming_the_setting(value):
    with pytest.raises(ImproperlyConfiguredEnvError, match="MOTCUA_CACHE_URL") as error:
        cache_config(value)
    assert "phải để trống" in str(error.value)


def _settings_in_a_fresh_process(**env) -> subprocess.CompletedProcess:
    code = ("from django.conf import settings as s; print(s.CACHES['default']['BACKEND'], "
            "s.MOTCUA_DASHBOARD_CACHE_SECONDS, s.MOTCUA_DASHBOARD_WARM_SECONDS)")
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={**environ, "DJANGO_SETTINGS_MODULE": "motcua.settings", **env})


def test_the_settings_come_from_the_environment():
    run = _settings_in_a_fresh_process(MOTCUA_CACHE_URL="db", MOTCUA_DASHBOARD_CACHE_SECONDS="120")
    assert run.stdout.split() == ["django.core.cache.backends.db.DatabaseCache", "120", "60"], run.stderr
    run = _settings_in_a_fresh_process()
    assert run.stdout.split() == ["django.core.cache.backends.locmem.LocMemCache", "60", "30"], run.stderr
    run = _settings_in_a_fresh_process(MOTCUA_CACHE_URL="memcache://x")
    assert run.returncode != 0 and "MOTCUA_CACHE_URL='memcache://x'" in run.stderr


# ----------------------------------------------------------------------------- warming


def _redis_or_fail():
    import redis

    try:
        redis.Redis.from_url(TEST_REDIS["LOCATION"], socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        # The shared cache of a multi-process deployment is Redis: like PostgreSQL, it runs on the
        # development machines and in CI, so its absence is a failure, not a skip.
        pytest.fail("Redis is not running at 127.0.0.1:6379: start it (apt-get install redis-server) to test the shared cache")


@pytest.fixture
def redis_cache(settings):
    _redis_or_fail()
    settings.CACHES = {"default": TEST_REDIS}
    cache.clear()
    yield cache
    cache.clear()


@pytest.fixture
def db_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                                   "LOCATION": "motcua_cache"}}
    call_command("createcachetable", verbosity=0)  # what `motcua setup` does
    yield cache


def deliver():
    while deliver_due():
        pass


@pytest.fixture
def this_month():
    """A dossier received now in new Tây Ninh (80): the month the pages open on counts one."""
    people = Personas()
    receive(people, at=timezone.now())
    deliver()
    return people


def worker_sweep() -> list[str]:
    """The frequent jobs one sweep of `motcua worker` runs (a fresh worker: every job is due)."""
    return schedule.run_frequent({})


@pytest.mark.django_db
def test_the_worker_warms_the_month_pages_and_visitors_get_them_without_a_query(client, redis_cache, this_month):
    assert "dashboards.warm" in worker_sweep()
    for url in (PROVINCE_PAGE, NATIONAL_PAGE):
        with CaptureQueriesContext(connection) as page_queries:
            page = client.get(url).content.decode()
        assert "1 hồ sơ tiếp nhận trong kỳ." in page
        assert len(page_queries) == 0, [q["sql"] for q in page_queries]
    # Every province with agencies is warmed, under the key the page reads (one key logic).
    period = index.parse_period(selectors.current_period_key())
    for scope in index.scopes("province"):
        assert cache.get(selectors.cache_key("province", scope.code, period, "today")) is not None
    # Another period or the "as filed" view is not warmed: computed on its first visit, as before.
    with CaptureQueriesContext(connection) as other:
        client.get(PROVINCE_PAGE, {"don-vi": "as_filed"})
    assert len(other) > 0


@pytest.mark.django_db
def test_each_warm_recomputes_so_new_dossiers_show_without_a_cold_page(client, redis_cache, this_month):
    worker_sweep()
    assert "1 hồ sơ tiếp nhận trong kỳ." in client.get(PROVINCE_PAGE).content.decode()
    receive(this_month, at=timezone.now())
    deliver()
    assert "1 hồ sơ tiếp nhận trong kỳ." in client.get(PROVINCE_PAGE).content.decode()  # cached
    worker_sweep()
    with CaptureQueriesContext(connection) as page_queries:
        assert "2 hồ sơ tiếp nhận trong kỳ." in client.get(PROVINCE_PAGE).content.decode()
    assert len(page_queries) == 0


@pytest.mark.django_db
def test_a_warmed_page_outlives_the_warm_interval(redis_cache, settings, this_month):
    """Even with a warm interval longer than the cache time, a page does not expire between warms."""
    settings.MOTCUA_DASHBOARD_CACHE_SECONDS, settings.MOTCUA_DASHBOARD_WARM_SECONDS = 60, 300
    warming.warm()
    key = selectors.cache_key("province", "80", index.parse_period(selectors.current_period_key()), "today")
    ttl = caches["default"]._cache.get_client(key).ttl(cache.make_and_validate_key(key))
    assert 300 < ttl <= 900


@pytest.mark.django_db
def test_the_database_cache_serves_warmed_pages_from_its_table_alone(client, db_cache, this_month):
    assert "dashboards.warm" in worker_sweep()
    with CaptureQueriesContext(connection) as page_queries:
        assert "1 hồ sơ tiếp nhận trong kỳ." in client.get(PROVINCE_PAGE).content.decode()
    assert page_queries.captured_queries and all("motcua_cache" in q["sql"] for q in page_queries.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("backend", ["django.core.cache.backends.locmem.LocMemCache",
                                     "django.core.cache.backends.dummy.DummyCache"])
def test_no_warming_with_a_cache_private_to_each_process(client, settings, backend, this_month):
    settings.CACHES = {"default": {"BACKEND": backend}}
    assert not warming.enabled()
    assert "dashboards.warm" not in worker_sweep()
    with CaptureQueriesContext(connection) as page_queries:
        client.get(PROVINCE_PAGE)
    assert len(page_queries) > 0  # nothing was stored for the web process


@pytest.mark.django_db
def test_no_warming_when_caching_or_warming_is_off(redis_cache, settings):
    settings.MOTCUA_DASHBOARD_CACHE_SECONDS = 0
    assert not warming.enabled() and "dashboards.warm" not in worker_sweep()
    settings.MOTCUA_DASHBOARD_CACHE_SECONDS, settings.MOTCUA_DASHBOARD_WARM_SECONDS = 60, 0
    assert not warming.enabled() and "dashboards.warm" not in worker_sweep()
