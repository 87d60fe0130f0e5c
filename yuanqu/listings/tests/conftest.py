import pytest
from django.core.cache import cache

from yuanqu.listings import cards


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Choice, page, map and card caches are per process; each test starts from an empty cache (the
    catalogue index is dropped around every test by the root conftest)."""
    cache.clear()
    cards.forget()
    yield
    cache.clear()
    cards.forget()
