"""Workbooks in both accepted layouts, built in memory, and stored figures for tests."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from yuanqu.indicators.models import Indicator, IndicatorValue, Target
from yuanqu.parks.models import Park


def indicator(code: str) -> Indicator:
    """One of the standard indicators (seeded by migration)."""
    return Indicator.objects.get(code=code)


def workbook_bytes(workbook: Workbook) -> io.BytesIO:
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def template_workbook(
    sheets: dict[str, Sequence[Sequence[Any]]],
    *,
    headers: Sequence[str] = ("园区", "规上工业总产值", "规上工业总产值增长%", "税收收入"),
) -> io.BytesIO:
    """Our template: each sheet a header row, then the given rows (年度目标 has its own)."""
    workbook = Workbook()
    assert workbook.active is not None
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        if title == "年度目标":
            sheet.append(["园区", "指标", "年份", "目标类型", "目标值"])
        else:
            sheet.append(list(headers))
        for row in rows:
            sheet.append(list(row))
    return workbook_bytes(workbook)


def statistics_workbook(
    sheets: dict[str, Sequence[Sequence[Any]]],
    *,
    names: Sequence[str] = ("规上工业总产值(亿元)", "税收收入(亿元)"),
    value_label: str = "1-6月",
    growth_label: str = "同比±%",
    note: str = "单位:亿元、%",
) -> io.BytesIO:
    """The statistics office's layout: a title row, a unit note, the indicator names merged
    over their 累计 and 增长 sub-columns, then one row per park (园区, value, growth …)."""
    workbook = Workbook()
    assert workbook.active is not None
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        sheet.append([f"{title}全市开发区主要经济指标"])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=1 + 2 * len(names))
        sheet.append([note])
        header: list[Any] = ["园区"]
        sub: list[Any] = [None]
        for name in names:
            header += [name, None]
            sub += [value_label, growth_label]
        sheet.append(header)
        sheet.append(sub)
        sheet.merge_cells(start_row=3, start_column=1, end_row=4, end_column=1)
        for index in range(len(names)):
            column = 2 + 2 * index
            sheet.merge_cells(start_row=3, start_column=column, end_row=3, end_column=column + 1)
        for row in rows:
            sheet.append(list(row))
    return workbook_bytes(workbook)


def make_value(
    *,
    park: Park | None,
    code: str,
    year: int,
    month: int,
    value: str | None,
    yoy_pct: str | None = None,
) -> IndicatorValue:
    return IndicatorValue.objects.create(
        park=park,
        indicator=indicator(code),
        year=year,
        month=month,
        value=Decimal(value) if value is not None else None,
        yoy_pct=Decimal(yoy_pct) if yoy_pct is not None else None,
    )


def make_target(
    *, park: Park | None, code: str, year: int, value: str, kind: str = Target.Kind.ABSOLUTE
) -> Target:
    return Target.objects.create(
        park=park, indicator=indicator(code), year=year, kind=kind, value=Decimal(value)
    )
