"""Fixtures of the browser tests; the helpers themselves are in browser_helpers.py."""

import pytest
from browser_helpers import check_accessibility, shoot


@pytest.fixture
def axe_check():
    """`axe_check(page, name)`: fail listing every serious or critical axe-core violation of the page."""
    return check_accessibility


@pytest.fixture
def screenshot():
    """`screenshot(page, "01-name")`: full page into docs/screenshots/online/ when MOTCUA_SCREENSHOTS=1."""
    return shoot
