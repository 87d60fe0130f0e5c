import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Facet and choice caches are per process; each test starts from an empty cache."""
    cache.clear()
    yield
    cache.clear()
