import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_dashboard_cache():
    """The city tables are cached; each test starts with none."""
    cache.clear()
    yield
    cache.clear()
