"""Fixtures shared by every test: the real data loaded once per test database, and the browser.

The test database gets the bundled units, agencies and the whole real catalogue once per session
(pytest-django runs transactional tests, which flush the database, after all the others).
"""

import os

import pytest

BROWSER_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from motcua.catalog.importer import BUNDLED_SOURCES, import_sources
    from motcua.units.loading import load_agencies, load_units

    with django_db_blocker.unblock():
        load_units()
        load_agencies()
        report = import_sources(BUNDLED_SOURCES, progress=lambda done, total: None)
        assert not report.errors, report.errors[:3]


@pytest.fixture(scope="session", autouse=True)
def _static_root():
    """Tests serve static files through the finders, as `motcua serve` before `motcua setup` has
    collected them; WhiteNoise warns at every request handler it builds when STATIC_ROOT is missing."""
    from pathlib import Path

    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request in English (LocaleMiddleware) leaves English active in the thread: the next test,
    which may read gettext text without a request, must start in the default language again."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never `playwright install`: DEVELOPERS.md)."""
    if not os.path.exists("/usr/bin/chromium"):
        pytest.fail("Debian's chromium is missing: run `make system-deps` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path="/usr/bin/chromium", args=BROWSER_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    yield page
    context.close()


def pytest_configure(config):
    import tempfile

    from django.conf import settings

    # Keys and certificates made by tests go to a throwaway folder, never the repository's var/pki.
    os.environ.setdefault("MOTCUA_PKI_DIR", tempfile.mkdtemp(prefix="motcua-pki-"))

    # Users are created in many tests; Django's production hasher is deliberately slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
