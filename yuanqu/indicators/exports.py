"""Excel out: the blank template, dashboard tables in the template's layout (so an export
imports back unchanged), and the derived figures of a month."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from yuanqu.core import spreadsheets
from yuanqu.indicators import importing
from yuanqu.indicators.models import Indicator
from yuanqu.indicators.selectors import Figure, MonthReport
from yuanqu.parks.models import Park

DERIVED_SHEET = "派生指标"
DERIVED_COLUMNS: list[tuple[str, str]] = [
    ("园区", "park"), ("指标", "indicator"), ("1–N月累计", "ytd"), ("单位", "unit"),
    ("同比增长%", "yoy_pct"), ("增速来源", "yoy_source"), ("年度目标", "target"),
    ("目标类型", "target_kind"), ("完成率%", "completion_pct"), ("时序进度%", "time_progress_pct"),
    ("超时序进度(百分点)", "gap_pp"), ("双过半", "double_half"), ("占全市%", "share_pct"),
    ("占比变化(百分点)", "share_change_pp"), ("高于全市增速", "above_city_growth"),
    ("与全市增速差(百分点)", "growth_vs_city_pp"), ("增速排名", "rank"), ("参与排名园区数", "rank_of"),
    ("排名变化", "rank_change"),
]  # fmt: skip
WORDS = {True: "是", False: "否", "published": "公布值", "computed": "计算值",
         "absolute": "总量", "growth": "增速"}  # fmt: skip
NOTES = (
    "填表说明:每个月份一个工作表,名称如“2026年6月”或“2026-06”。",
    "第一列为园区全称、简称或统计代码;全市合计单独一行,写“全市”。",
    "数值填 1–N月累计数,单位见表头;“增长%”列填统计局公布的同比增长率,没有可不填。",
    "空白或“-”表示无数据;导入时只要有一处错误就全部不导入,并指出工作表和单元格。",
    "“年度目标”表每行一个目标:园区、指标、年份、目标类型(总量或增速)、目标值。",
)


def _rows(report: MonthReport) -> list[tuple[str, dict[int, tuple[Any, Any]]]]:
    def figures(by_indicator: dict[int, Figure]) -> dict[int, tuple[Any, Any]]:
        return {
            pk: (figure.ytd if figure.value_source == "statistics" else None,
                 figure.yoy_pct if figure.yoy_source == "published" else None)
            for pk, figure in by_indicator.items()
        }  # fmt: skip

    rows = [(summary.park.name, figures(summary.figures)) for summary in report.parks]
    rows.append(("全市", figures(report.city)))
    return rows


def month_workbook(report: MonthReport) -> Workbook:
    """A dashboard table in template layout: importing it back changes nothing."""
    month = (report.year, report.month)
    return importing.build_workbook(
        indicators=report.indicators, months=[month], rows_by_month={month: _rows(report)}
    )


def report_workbook_bytes(report: MonthReport) -> bytes:
    """The month in template layout plus a sheet of every derived figure."""
    workbook = month_workbook(report)
    sheet = workbook.create_sheet(DERIVED_SHEET)
    for column, (header, _key) in enumerate(DERIVED_COLUMNS, start=1):
        spreadsheets.set_cell(sheet, row=1, column=column, value=header).font = Font(bold=True)
    for row, item in enumerate(report.as_json(), start=2):
        for column, (_header, key) in enumerate(DERIVED_COLUMNS, start=1):
            value = item[key]
            spreadsheets.set_cell(sheet, row=row, column=column, value=WORDS.get(value, value)
                                  if isinstance(value, bool | str) else value)  # fmt: skip
    sheet.freeze_panes = "C2"
    return spreadsheets.workbook_bytes(workbook)


def template_workbook(
    *, parks: Sequence[Park], indicators: Sequence[Indicator], today: date
) -> Workbook:
    """The blank template: this month's sheet with the parks listed, and 年度目标."""
    month = (today.year, today.month)
    rows: list[tuple[str, dict[int, tuple[Any, Any]]]] = [(park.name, {}) for park in parks]
    rows.append(("全市", {}))
    return importing.build_workbook(
        indicators=indicators,
        months=[month],
        rows_by_month={month: rows},
        targets=[],
        notes=NOTES,
    )
