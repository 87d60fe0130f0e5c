"""Applying workbooks: all-or-nothing, idempotent, every change a revision."""

from decimal import Decimal as D

import pytest

from yuanqu.indicators import services
from yuanqu.indicators.models import ImportBatch, IndicatorValue, Revision, Target
from yuanqu.indicators.tests.factories import indicator, make_value, template_workbook

pytestmark = pytest.mark.django_db

JUNE = {"2026年6月": [["甲园区", 46.8, 9.1, 3.6], ["全市", 520, 7.2, 40]]}


def run(sheets, *, actor=None, allowed=None):
    return services.import_workbook(
        upload=template_workbook(sheets), actor=actor, source=ImportBatch.Source.COMMAND,
        filename="test.xlsx", allowed_park_ids=allowed,
    )  # fmt: skip


def test_import_creates_values_and_reports_them(park_a, site_admin):
    report = run(JUNE, actor=site_admin)
    assert report.ok and (report.created, report.updated) == (4, 0)
    stored = IndicatorValue.objects.get(park=park_a, indicator=indicator("industrial_output"))
    assert stored.value == D("46.8") and stored.yoy_pct == D("9.1")


def test_importing_the_same_workbook_twice_changes_nothing(park_a, site_admin):
    run(JUNE, actor=site_admin)
    revisions = Revision.objects.count()
    report = run(JUNE, actor=site_admin)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)
    assert Revision.objects.count() == revisions
    assert ImportBatch.objects.count() == 1


def test_a_changed_value_keeps_its_revision(park_a, site_admin):
    run(JUNE, actor=site_admin)
    report = run({"2026年6月": [["甲园区", 47.1, 9.1, 3.6]]}, actor=site_admin)
    assert report.updated == 1
    revision = Revision.objects.filter(field="value", old="46.8").get()
    assert (revision.new, revision.user, revision.month) == ("47.1", site_admin, 6)
    assert "甲园区" not in report.changes[0] or "46.8 → 47.1" in report.changes[0]


def test_a_blank_cell_does_not_erase_a_stored_value(park_a):
    run(JUNE)
    run({"2026年6月": [["甲园区", None, None, 3.6]]})
    assert IndicatorValue.objects.get(
        park=park_a, indicator=indicator("industrial_output")
    ).value == D("46.8")


def test_one_bad_cell_imports_nothing(park_a):
    report = run({"2026年6月": [["甲园区", 46.8, 9.1, 3.6], ["全市", "n/a", None, 40]]})
    assert not report.ok
    assert IndicatorValue.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_a_value_below_the_stored_previous_month_is_refused(park_a):
    make_value(park=park_a, code="industrial_output", year=2026, month=5, value="50")
    report = run({"2026年6月": [["甲园区", 46.8, None, None]]})
    assert [str(error) for error in report.errors] == [
        "2026年6月!B2:累计值低于上月(已存数据 为 50),1–N月累计数只能增加"
    ]
    assert IndicatorValue.objects.filter(month=6).count() == 0


def test_a_value_above_the_stored_next_month_is_refused(park_a):
    make_value(park=park_a, code="industrial_output", year=2026, month=7, value="40")
    report = run({"2026年6月": [["甲园区", 46.8, None, None]]})
    assert not report.ok


def test_targets_are_created_then_revised(park_a, site_admin):
    run({"年度目标": [["甲园区", "规上工业总产值", 2026, "总量", 120]]}, actor=site_admin)
    report = run({"年度目标": [["甲园区", "规上工业总产值", 2026, "增速", 8]]}, actor=site_admin)
    assert report.targets_updated == 1
    target = Target.objects.get()
    assert (target.kind, target.value) == ("growth", D("8"))
    assert set(Revision.objects.values_list("field", flat=True)) == {"target", "target_kind"}


def test_park_staff_may_not_import_another_parks_rows(park_a, park_b):
    report = run({"2026年6月": [["甲园区", 1, None, None], ["乙园区", 2, None, None],
                                ["全市", 3, None, None]]}, allowed=frozenset({park_a.pk}))  # fmt: skip
    assert [str(error) for error in report.errors] == [
        "2026年6月!B3:无权导入其他园区的数据",
        "2026年6月!B4:无权导入全市数据",
    ]
    assert IndicatorValue.objects.count() == 0
