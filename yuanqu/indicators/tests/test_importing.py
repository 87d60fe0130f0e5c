"""Reading workbooks in both layouts, and every refusal with its sheet, cell and reason."""

from decimal import Decimal as D

import pytest
from openpyxl import Workbook

from yuanqu.indicators import importing
from yuanqu.indicators.tests.factories import (
    indicator,
    statistics_workbook,
    template_workbook,
    workbook_bytes,
)

pytestmark = pytest.mark.django_db


def messages(parsed):
    return [str(error) for error in parsed.errors]


def test_template_reads_a_value_and_its_published_growth(park_a):
    parsed = importing.read_upload(template_workbook({"2026年6月": [["甲园区", 46.8, 9.1, 3.6]]}))
    assert parsed.errors == []
    output = next(
        row for row in parsed.values if row.indicator_id == indicator("industrial_output").pk
    )
    assert (output.park_id, output.year, output.month) == (park_a.pk, 2026, 6)
    assert output.value == D("46.8") and output.yoy_pct == D("9.1")
    assert parsed.layout == "template"


def test_sheet_named_with_a_dash_is_a_month(park_a):
    parsed = importing.read_upload(template_workbook({"2026-06": [["甲园区", 46.8, None, None]]}))
    assert parsed.months == [(2026, 6)]


def test_parks_match_by_short_name_and_code(park_a, park_b):
    park_b.statistical_code = "320311402"
    park_b.save()
    parsed = importing.read_upload(
        template_workbook({"2026年6月": [["甲园", 1, None, None], ["320311402", 2, None, None]]})
    )
    assert {row.park_id for row in parsed.values} == {park_a.pk, park_b.pk}


def test_short_name_without_the_city_matches_when_unambiguous(db):
    from yuanqu.parks.tests.factories import make_park, make_region

    park = make_park(name="徐州经济技术开发区", short_name="徐州经开区", region=make_region(
        code="320300", name="徐州市", level="prefecture"))  # fmt: skip
    parsed = importing.read_upload(template_workbook({"2026年6月": [["经开区", 1, None, None]]}))
    assert parsed.errors == [] and parsed.values[0].park_id == park.pk


def test_city_row_is_stored_without_a_park(park_a):
    parsed = importing.read_upload(template_workbook({"2026年6月": [["全市", 520, 7.2, 40]]}))
    assert {row.park_id for row in parsed.values} == {None}


def test_statistics_layout_reads_merged_headers_and_sub_columns(park_a):
    parsed = importing.read_upload(
        statistics_workbook(
            {"2026年6月": [["甲园区", 46.8, 9.1, 3.6, -2.5], ["全市", 520, 7.2, 40, 1.1]]}
        )
    )
    assert parsed.errors == []
    assert parsed.layout == "statistics"
    tax = next(row for row in parsed.values if row.indicator_id == indicator("tax_revenue").pk
               and row.park_id == park_a.pk)  # fmt: skip
    assert tax.value == D("3.6") and tax.yoy_pct == D("-2.5")


def test_statistics_layout_converts_units_given_in_the_header(park_a):
    parsed = importing.read_upload(
        statistics_workbook(
            {"2026年6月": [["甲园区", 468000, None, 36000, None]]},
            names=("规上工业总产值(万元)", "税收收入(万元)"),
            note="",
        )  # fmt: skip
    )
    assert parsed.errors == []
    assert {row.value for row in parsed.values} == {D("46.8"), D("3.6")}


def test_statistics_layout_converts_the_unit_of_a_note_row(park_a):
    parsed = importing.read_upload(
        statistics_workbook(
            {"2026年6月": [["甲园区", 468000, None, 36000, None]]},
            names=("规上工业总产值", "税收收入"),
            note="单位:万元",
        )  # fmt: skip
    )
    assert {row.value for row in parsed.values} == {D("46.8"), D("3.6")}


def test_dash_and_blank_cells_mean_no_value(park_a):
    parsed = importing.read_upload(template_workbook({"2026年6月": [["甲园区", "-", None, "—"]]}))
    assert parsed.errors == [] and parsed.values == []


def test_an_unknown_sheet_name_is_refused(park_a):
    parsed = importing.read_upload(template_workbook({"六月数据": [["甲园区", 1, None, None]]}))
    assert messages(parsed) == [
        "六月数据:无法识别的工作表名称,应为“2026-06”或“2026年6月”格式的月份或“年度目标”"
    ]


def test_a_month_outside_the_year_is_refused(park_a):
    parsed = importing.read_upload(template_workbook({"2026-13": [["甲园区", 1, None, None]]}))
    assert messages(parsed) == ["2026-13:月份应在 1–12 之间"]


def test_an_unknown_park_is_an_error_not_a_new_park(park_a):
    parsed = importing.read_upload(template_workbook({"2026年6月": [["丙园区", 1, None, None]]}))
    assert messages(parsed) == ["2026年6月!A2:未知的园区“丙园区”(请用园区全称、简称或统计代码)"]


def test_text_in_a_number_cell_names_the_cell(park_a):
    parsed = importing.read_upload(
        template_workbook({"2026年6月": [["甲园区", 1, None, None], ["全市", "约50", None, None]]})
    )
    assert messages(parsed) == ["2026年6月!B3:应为数字,实际是文字“约50”"]


def test_a_formula_error_value_is_refused(park_a):
    parsed = importing.read_upload(
        template_workbook({"2026年6月": [["甲园区", "#DIV/0!", None, None]]})
    )
    assert messages(parsed) == ["2026年6月!B2:公式计算出错(#DIV/0!),请修正后重新导出"]


def test_a_duplicated_park_row_is_refused(park_a):
    parsed = importing.read_upload(
        template_workbook({"2026年6月": [["甲园区", 1, None, None], ["甲园", 2, None, None]]})
    )
    assert messages(parsed) == ["2026年6月!A3:“甲园”与第 2 行重复"]


def test_merged_cells_in_the_data_area_are_refused(park_a):
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "2026年6月"
    sheet.append(["园区", "规上工业总产值", "税收收入"])
    sheet.append(["甲园区", 1, 2])
    sheet.merge_cells("B2:C2")
    parsed = importing.read_upload(workbook_bytes(workbook))
    assert "2026年6月!B2:C2:数据区不能有合并单元格,请取消合并后重试" in messages(parsed)


def test_a_missing_month_in_the_middle_of_a_year_is_refused(park_a):
    parsed = importing.read_upload(template_workbook({
        "2026年4月": [["甲园区", 1, None, None]], "2026年6月": [["甲园区", 3, None, None]]}))  # fmt: skip
    assert messages(parsed) == ["缺少 2026年5月 的工作表(2026 年的月份不连续)"]


def test_a_cumulative_value_that_goes_down_is_refused(park_a):
    parsed = importing.read_upload(template_workbook({
        "2026年5月": [["甲园区", 40, None, None]], "2026年6月": [["甲园区", 38, None, None]]}))  # fmt: skip
    assert messages(parsed) == [
        "2026年6月!B2:累计值低于上月(2026年5月!B2 为 40),1–N月累计数只能增加"
    ]


def test_a_january_value_may_be_below_december(park_a):
    parsed = importing.read_upload(template_workbook({
        "2025年12月": [["甲园区", 90, None, None]], "2026年1月": [["甲园区", 8, None, None]]}))  # fmt: skip
    assert parsed.errors == []


def test_a_negative_amount_is_refused(park_a):
    parsed = importing.read_upload(template_workbook({"2026年6月": [["甲园区", -3, None, None]]}))
    assert messages(parsed) == ["2026年6月!B2:“规上工业总产值”不能为负数"]


def test_an_unknown_indicator_column_is_refused(park_a):
    parsed = importing.read_upload(
        template_workbook(
            {"2026年6月": [["甲园区", 1]]}, headers=("园区", "规上工业总产值", "亩产效益")
        )
    )
    assert messages(parsed) == ["2026年6月!C1:未知的指标列“亩产效益”"]


def test_targets_sheet_reads_absolute_and_growth_targets(park_a):
    parsed = importing.read_upload(template_workbook({"年度目标": [
        ["甲园区", "规上工业总产值", 2026, "总量", 120], ["全市", "税收收入", "2026年", "增速", 6.5]]}))  # fmt: skip
    assert parsed.errors == []
    assert [(t.park_id, t.kind, t.value) for t in parsed.targets] == [
        (park_a.pk, "absolute", D("120")), (None, "growth", D("6.5"))]  # fmt: skip


def test_a_target_of_zero_is_refused(park_a):
    parsed = importing.read_upload(
        template_workbook({"年度目标": [["甲园区", "规上工业总产值", 2026, "总量", 0]]})
    )
    assert messages(parsed) == ["年度目标!E2:目标值不能为 0"]


def test_a_negative_absolute_target_is_refused(park_a):
    parsed = importing.read_upload(
        template_workbook({"年度目标": [["甲园区", "税收收入", 2026, "总量", -5]]})
    )
    assert messages(parsed) == ["年度目标!E2:“税收收入”的总量目标不能为负数"]


def test_a_file_that_is_not_a_workbook_is_refused(db):
    import io

    parsed = importing.read_upload(io.BytesIO(b"not a workbook"))
    assert messages(parsed) == ["文件无法读取,请使用 .xlsx 格式"]
