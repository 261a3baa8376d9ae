import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test computes its dashboards from the data it made, not from another test's cache."""
    cache.clear()
    yield
    cache.clear()
