import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Choice, page and map caches are per process; each test starts from an empty cache (the
    catalogue index is dropped around every test by the root conftest)."""
    cache.clear()
    yield
    cache.clear()
