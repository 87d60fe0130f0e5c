import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Page caches and the 30-minute repeat-view keys must not leak between tests."""
    cache.clear()
    yield
    cache.clear()
