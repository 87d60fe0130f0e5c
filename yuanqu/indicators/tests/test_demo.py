"""The demo values: marked 示例数据, idempotent, with parks ahead, behind and one missing 双过半."""

from datetime import date
from io import StringIO

import pytest

from yuanqu.indicators import demo, selectors
from yuanqu.indicators.models import IndicatorValue

pytestmark = pytest.mark.django_db


@pytest.fixture
def parks(db):
    from yuanqu.parks.tests.factories import make_park

    return [make_park() for _ in range(4)]


def test_demo_values_are_marked_and_a_second_run_changes_nothing(parks, monkeypatch):
    monkeypatch.setattr(demo.timezone, "localdate", lambda: date(2026, 12, 6))
    demo.load_demo(stdout=StringIO())
    count = IndicatorValue.objects.count()
    out = StringIO()
    demo.load_demo(stdout=out)
    assert IndicatorValue.objects.count() == count
    assert not IndicatorValue.objects.filter(is_sample=False).exists()
    assert "0 demo values added, 0 changed" in out.getvalue()


def test_demo_has_parks_ahead_and_behind_and_one_missing_double_half(parks, monkeypatch):
    monkeypatch.setattr(demo.timezone, "localdate", lambda: date(2026, 12, 6))
    demo.load_demo(stdout=StringIO())
    report = selectors.month_report(year=2026, month=6)
    gaps = [figure.gap_pp for figure in report.figures() if figure.gap_pp is not None]
    assert min(gaps) < 0 < max(gaps)
    assert False in [summary.double_half for summary in report.parks]
    assert report.has_sample
