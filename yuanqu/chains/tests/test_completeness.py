"""Chain completeness recorded daily per park and month, and shown on the park's dashboard."""

from datetime import date

import pytest
from django.core.cache import cache

from yuanqu.chains.models import CompletenessSnapshot
from yuanqu.chains.services import completeness_record
from yuanqu.chains.tests.factories import machinery_chain
from yuanqu.enterprises.tests.factories import make_enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_cached_coverage():
    cache.clear()
    yield
    cache.clear()


def test_a_day_records_each_parks_chains_and_the_same_month_again_updates_them(park_a):
    machinery_chain(park_a)
    completeness_record(today=date(2026, 3, 10))
    make_enterprise(park=park_a, industry_id="3514")
    completeness_record(today=date(2026, 3, 31))
    snapshot = CompletenessSnapshot.objects.get()
    assert (snapshot.year, snapshot.month, str(snapshot.completeness_pct)) == (2026, 3, "33.3")
    assert (snapshot.weak, snapshot.missing) == (1, 2)


def test_the_job_is_scheduled_daily():
    from yuanqu.core.scheduler import discover_jobs

    assert discover_jobs()["chains.completeness"].every == "daily"


def test_the_park_dashboard_charts_completeness_by_month(login_as, investment_officer, park_a):
    from yuanqu.indicators.tests.factories import make_value

    machinery_chain(park_a)
    completeness_record(today=date(2026, 1, 31))
    make_enterprise(park=park_a, industry_id="3514")
    completeness_record(today=date(2026, 2, 28))
    make_value(park=park_a, code="industrial_output", year=2026, month=2, value="10")
    page = login_as(investment_officer).get(f"/dashboard/parks/{park_a.pk}/?year=2026&month=2")
    text = page.content.decode()
    assert "产业链完整度走势" in text and 'id="chain-completeness"' in text
    assert "0.0%" in text and "33.3%" in text
