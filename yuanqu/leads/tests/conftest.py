import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def need_data():
    """Cleaned need data as the form hands it to lead_submit."""

    def build(**fields):
        data = {
            "kind": "factory",
            "deal": "rent",
            "area_min_m2": 1000,
            "area_max_m2": 1500,
            "region_codes": [],
            "park_ids": [],
            "industry_code": None,
            "mobile": "+8613812341234",
            "consent": True,
            "company": "徐州测试机械有限公司",
            "contact_name": "王经理",
            "need_text": "",
        }
        data.update(fields)
        return data

    return build
