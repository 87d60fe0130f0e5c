"""Reading indicator workbooks: our template and the statistics office's monthly layout.

Both have one sheet per month (``2026-06``, ``2026年6月`` or ``2026年1-6月``) and one row per
park, the city total in a row of its own (``全市``). They differ in the header:

- template (``template``): one header row; a column per indicator holding 1–N月累计, and
  optionally ``<指标>增长%`` beside it; an optional sheet ``年度目标`` in long form
  (园区 | 指标 | 年份 | 目标类型 | 目标值).
- statistics office (``statistics``): an indicator's name spans (merged) its sub-columns on
  the first header row, the second row says which is which (``累计``/``1-N月`` and
  ``增长%``/``同比±%``); title rows above and unit notes (``单位:亿元``) are allowed.

Units in a header (``规上工业总产值(万元)``) or a note row are converted to the indicator's
unit within the same kind (元/万元/亿元, 美元/万美元/亿美元); blank and ``-`` cells mean no
value. Every problem is reported with its sheet and cell (``2026年6月!D7``) and reason; the
caller imports nothing when there is one. This module reads and checks a file on its own:
checks against stored data (a cumulative value below last month's in the database) are the
service's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from yuanqu.core import spreadsheets
from yuanqu.core.models import Region
from yuanqu.indicators.models import Indicator, Target
from yuanqu.parks.models import Park

MAX_BYTES = 10 * 1024 * 1024
TARGETS_SHEET = "年度目标"
# Sheets for people (our instructions, the derived figures of an export): not data.
NOTES_SHEETS = frozenset({"说明", "填表说明", "派生指标"})
CITY_LABELS = frozenset({"全市", "全市合计", "全市总计", "全市总计(含开发区外)"})
PARK_HEADERS = frozenset(
    {"园区", "开发区", "园区名称", "开发区名称", "单位", "单位名称", "名称", "地区"}
)
IGNORED_HEADERS = frozenset({"序号", "备注", "排名", "位次"})
EMPTY_MARKS = frozenset({"", "-", "--", "—", "——", "/", "…", "...", "—-"})
NOTE_PREFIXES = ("注", "说明", "备注", "单位", "数据来源", "资料来源", "填报")
VALUE_LABELS = re.compile(r"^(累计|本年累计|本月止累计|1[-—–~至]\d{1,2}月|1-N月|绝对额|总量|数值)$")
GROWTH_LABELS = re.compile(r"^(增长|增速|同比|比上年同期|同比增长|同比增减)?(±)?(%|(%))?$")
GROWTH_SUFFIX = re.compile(r"(增长|增速|同比|同比增长|同比增减)(±)?(%|(%))?$")
SHEET_MONTH = re.compile(r"^(\d{4})(?:-(\d{1,2})|年(?:1[-—–~至])?(\d{1,2})月)$")
UNIT_IN_HEADER = re.compile(r"[((]([^))]*)[))]")
UNIT_NOTE = re.compile(r"单位[::]\s*(.+)$")

# Amount units by kind; a header unit converts to the indicator's unit only within a kind.
UNIT_FACTORS: dict[str, tuple[str, Decimal]] = {
    "元": ("yuan", Decimal(1)),
    "万元": ("yuan", Decimal(10) ** 4),
    "亿元": ("yuan", Decimal(10) ** 8),
    "美元": ("usd", Decimal(1)),
    "万美元": ("usd", Decimal(10) ** 4),
    "亿美元": ("usd", Decimal(10) ** 8),
    "家": ("count", Decimal(1)),
    "个": ("count", Decimal(1)),
    "户": ("count", Decimal(1)),
}
TARGET_KINDS = {
    "总量": Target.Kind.ABSOLUTE,
    "总量目标": Target.Kind.ABSOLUTE,
    "绝对值": Target.Kind.ABSOLUTE,
    "绝对额": Target.Kind.ABSOLUTE,
    "增速": Target.Kind.GROWTH,
    "增速目标": Target.Kind.GROWTH,
    "增长": Target.Kind.GROWTH,
    "增长%": Target.Kind.GROWTH,
    "增速(%)": Target.Kind.GROWTH,
}
TARGET_HEADERS = ("园区", "指标", "年份", "目标类型", "目标值")


@dataclass(frozen=True)
class CellError:
    where: str  # "2026年6月!D7", or a sheet name, or "" for the file
    message: str

    def __str__(self) -> str:
        message = self.message.rstrip("。")
        return f"{self.where}:{message}" if self.where else message


@dataclass(frozen=True)
class ValueRow:
    park_id: int | None  # None: the city total
    indicator_id: int
    year: int
    month: int
    value: Decimal | None
    yoy_pct: Decimal | None
    where: str


@dataclass(frozen=True)
class TargetRow:
    park_id: int | None
    indicator_id: int
    year: int
    kind: str
    value: Decimal
    where: str


@dataclass
class ParsedWorkbook:
    layout: str = ""
    values: list[ValueRow] = field(default_factory=list)
    targets: list[TargetRow] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    months: list[tuple[int, int]] = field(default_factory=list)


def normalise(text: Any) -> str:
    """Header or label text without spaces, line breaks and full-width variants."""
    value = spreadsheets.cell_text(text)
    return re.sub(r"\s+", "", value).replace("(", "(").replace(")", ")").replace("%", "%")


class Lookup:
    """Parks (by name, short name, statistical code, or the short name without the city's
    name: 徐州经开区 → 经开区 when that is unambiguous) and indicators (by name and alias)."""

    def __init__(self, parks: Iterable[Park], indicators: Iterable[Indicator]) -> None:
        self.parks: dict[str, Park] = {}
        ambiguous: set[str] = set()
        derived: dict[str, Park] = {}
        for park in parks:
            for label in (park.name, park.short_name, park.statistical_code):
                if label:
                    self.parks[normalise(label)] = park
            city = _city_name(park)
            for label in (park.name, park.short_name):
                if city and label and label.startswith(city) and len(label) > len(city) + 1:
                    short = normalise(label[len(city) :])
                    if short in derived and derived[short].pk != park.pk:
                        ambiguous.add(short)
                    derived[short] = park
        for short, park in derived.items():
            if short not in ambiguous:
                self.parks.setdefault(short, park)
        self.indicators: dict[str, Indicator] = {}
        for indicator in indicators:
            for name in indicator.names():
                self.indicators[normalise(name)] = indicator

    def park(self, label: str) -> Park | None:
        return self.parks.get(normalise(label))

    def indicator(self, header: str) -> Indicator | None:
        return self.indicators.get(normalise(header))


def _city_name(park: Park) -> str:
    """徐州 for a park in 徐州市 (its region or an ancestor of prefecture level)."""
    region: Region | None = park.region
    while region is not None and region.level not in ("prefecture", "province"):
        region = region.parent
    if region is None or region.level != "prefecture":
        return ""
    return region.name.removesuffix("市")


def default_lookup() -> Lookup:
    return Lookup(
        Park.objects.select_related("region__parent__parent"),
        Indicator.objects.filter(is_active=True),
    )


# --- reading ---------------------------------------------------------------------------


def read_upload(upload: Any, *, lookup: Lookup | None = None) -> ParsedWorkbook:
    """Parse an uploaded or opened file; errors (never exceptions) for anything wrong."""
    try:
        spreadsheets.check_upload_size(upload, max_bytes=MAX_BYTES)
    except spreadsheets.SpreadsheetError as error:
        return ParsedWorkbook(errors=[CellError("", str(error))])
    try:
        # Not read-only: merged ranges are needed (headers may merge, data cells may not).
        workbook = load_workbook(upload, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        return ParsedWorkbook(errors=[CellError("", _("文件无法读取,请使用 .xlsx 格式。"))])
    return read_workbook(workbook, lookup=lookup or default_lookup())


def read_workbook(workbook: Workbook, *, lookup: Lookup) -> ParsedWorkbook:
    parsed = ParsedWorkbook()
    layouts: set[str] = set()
    seen_months: dict[tuple[int, int], str] = {}
    for sheet in workbook.worksheets:
        title = sheet.title.strip()
        if title in NOTES_SHEETS:
            continue
        if title == TARGETS_SHEET:
            _read_targets(sheet, lookup, parsed)
            continue
        month = _sheet_month(title)
        if month is None:
            parsed.errors.append(
                CellError(
                    title,
                    _("无法识别的工作表名称,应为“2026-06”或“2026年6月”格式的月份或“年度目标”"),
                )
            )
            continue
        if isinstance(month, str):
            parsed.errors.append(CellError(title, month))
            continue
        if month in seen_months:
            parsed.errors.append(
                CellError(title, _("与工作表“%s”是同一个月份") % seen_months[month])
            )
            continue
        seen_months[month] = title
        layout = _read_month_sheet(sheet, month, lookup, parsed)
        if layout:
            layouts.add(layout)
    parsed.months = sorted(seen_months)
    parsed.errors.extend(_missing_months(parsed.months))
    parsed.errors.extend(falling_cumulatives(parsed.values, lookup.indicators.values()))
    parsed.layout = "+".join(sorted(layouts))
    if not parsed.months and not parsed.targets and not parsed.errors:
        parsed.errors.append(CellError("", _("工作簿中没有月份工作表或年度目标。")))
    return parsed


def _sheet_month(title: str) -> tuple[int, int] | str | None:
    match = SHEET_MONTH.match(title.replace(" ", ""))
    if not match:
        return None
    year = int(match.group(1))
    month = int(match.group(2) or match.group(3))
    if not 1 <= month <= 12:
        return _("月份应在 1–12 之间")
    if not 2000 <= year <= 2100:
        return _("年份应在 2000–2100 之间")
    return year, month


@dataclass
class _Column:
    index: int  # 1-based
    indicator: Indicator
    growth: bool
    factor: Decimal  # multiply a sheet value by this to get the indicator's unit


def _read_month_sheet(
    sheet: Worksheet, month: tuple[int, int], lookup: Lookup, parsed: ParsedWorkbook
) -> str:
    rows = list(sheet.iter_rows(max_row=min(sheet.max_row, 12)))
    header_index = next(
        (
            index
            for index, row in enumerate(rows)
            if any(_header_indicator(cell.value, lookup) for cell in row)
        ),
        None,
    )
    if header_index is None:
        parsed.errors.append(CellError(sheet.title, _("找不到指标名称所在的表头行")))
        return ""
    header = rows[header_index]
    sub_header = rows[header_index + 1] if header_index + 1 < len(rows) else ()
    is_statistics = any(_sub_label(cell.value) for cell in sub_header)
    note_unit = _note_unit(rows)
    columns, label_column, errors = _columns(
        sheet, header, sub_header if is_statistics else (), lookup, note_unit
    )
    parsed.errors.extend(errors)
    first_data_row = (header[0].row or 1) + (2 if is_statistics else 1)
    for merged in sheet.merged_cells.ranges:
        if merged.max_row >= first_data_row:
            parsed.errors.append(
                CellError(
                    f"{sheet.title}!{merged.coord}", _("数据区不能有合并单元格,请取消合并后重试")
                )
            )
    if errors:
        return ""
    year, month_number = month
    seen_parks: dict[int | None, str] = {}
    for row in sheet.iter_rows(min_row=first_data_row):
        if spreadsheets.is_blank_row([cell.value for cell in row]):
            continue
        label_cell = row[label_column - 1] if len(row) >= label_column else None
        label = normalise(label_cell.value if label_cell is not None else "")
        first = normalise(row[0].value)
        if not label and first.startswith(NOTE_PREFIXES) or label.startswith(NOTE_PREFIXES):
            continue
        where = _where(sheet, label_cell) if label_cell is not None else sheet.title
        if not label:
            parsed.errors.append(CellError(where, _("缺少园区名称")))
            continue
        park_id: int | None
        if label in CITY_LABELS:
            park_id = None
        else:
            park = lookup.park(label)
            if park is None:
                parsed.errors.append(
                    CellError(where, _("未知的园区“%s”(请用园区全称、简称或统计代码)") % label)
                )
                continue
            park_id = park.pk
        if park_id in seen_parks:
            parsed.errors.append(
                CellError(where, _("“%(label)s”与第 %(row)s 行重复") % {
                    "label": label, "row": seen_parks[park_id]})
            )  # fmt: skip
            continue
        seen_parks[park_id] = str(label_cell.row if label_cell is not None else "")
        _read_row(sheet, row, columns, park_id, year, month_number, parsed)
    return "statistics" if is_statistics else "template"


def _read_row(
    sheet: Worksheet,
    row: Sequence[Any],
    columns: list[_Column],
    park_id: int | None,
    year: int,
    month: int,
    parsed: ParsedWorkbook,
) -> None:
    found: dict[int, dict[str, Any]] = {}
    for column in columns:
        if column.index > len(row):
            continue
        cell = row[column.index - 1]
        where = _where(sheet, cell)
        try:
            number = number_cell(cell)
        except ValueError as error:
            parsed.errors.append(CellError(where, str(error)))
            continue
        if number is None:
            continue
        entry = found.setdefault(column.indicator.pk, {"where": where})
        if column.growth:
            entry["yoy_pct"] = number
            continue
        number = number * column.factor
        if number < 0 and not column.indicator.allow_negative:
            parsed.errors.append(CellError(where, _("“%s”不能为负数") % column.indicator.name))
            continue
        entry["value"] = number
        entry["where"] = where
    for indicator_id, entry in found.items():
        parsed.values.append(
            ValueRow(
                park_id=park_id,
                indicator_id=indicator_id,
                year=year,
                month=month,
                value=entry.get("value"),
                yoy_pct=entry.get("yoy_pct"),
                where=entry["where"],
            )
        )


def number_cell(cell: Any) -> Decimal | None:
    """A number from a cell: None for blank and ``-``; ValueError (Chinese) for text, a
    formula error (#DIV/0!) or a true/false cell."""
    value = cell.value
    if getattr(cell, "data_type", None) == "e" or (
        isinstance(value, str) and value.startswith("#")
    ):
        raise ValueError(_("公式计算出错(%s),请修正后重新导出") % value)
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(_("应为数字,不能是“是/否”"))
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = str(value).strip().replace(",", "").replace(",", "")
    if text in EMPTY_MARKS:
        return None
    try:
        number = Decimal(text.rstrip("%"))
    except InvalidOperation:
        raise ValueError(_("应为数字,实际是文字“%s”") % str(value)[:20]) from None
    if not number.is_finite():
        raise ValueError(_("应为数字,实际是文字“%s”") % str(value)[:20])
    return number


def _where(sheet: Worksheet, cell: Any) -> str:
    coordinate = getattr(cell, "coordinate", None)
    return f"{sheet.title}!{coordinate}" if coordinate else sheet.title


def _split_unit(header: str) -> tuple[str, str]:
    """("规上工业总产值", "亿元") from "规上工业总产值(亿元)"."""
    match = UNIT_IN_HEADER.search(header)
    if not match:
        return header, ""
    return (header[: match.start()] + header[match.end() :]), match.group(1)


def _header_indicator(value: Any, lookup: Lookup) -> Indicator | None:
    text, _unit = _split_unit(normalise(value))
    if not text:
        return None
    return lookup.indicator(text) or lookup.indicator(GROWTH_SUFFIX.sub("", text))


def _sub_label(value: Any) -> str:
    """ "value" or "growth" for a statistics-office sub-header, "" otherwise."""
    text, unit = _split_unit(normalise(value))
    if not text and not unit:
        return ""
    if VALUE_LABELS.match(text):
        return "value"
    if text and GROWTH_LABELS.match(text + (f"({unit})" if unit else "")):
        return "growth"
    if text in {"增长", "增速", "同比", "同比±", "增减"}:
        return "growth"
    return ""


def _note_unit(rows: Sequence[Sequence[Any]]) -> str:
    for row in rows:
        for cell in row:
            match = UNIT_NOTE.search(normalise(cell.value))
            if match:
                unit = re.split(r"[,,、;;]", match.group(1))[0]
                return unit if unit in UNIT_FACTORS else ""
    return ""


def _factor(unit: str, indicator: Indicator) -> Decimal | str:
    """The multiplier from a sheet unit to the indicator's, or a message when they differ in
    kind (or the unit is unknown)."""
    if not unit or unit == indicator.unit or unit in {"%"}:
        return Decimal(1)
    source = UNIT_FACTORS.get(unit)
    target = UNIT_FACTORS.get(indicator.unit)
    if source is None or target is None or source[0] != target[0]:
        return _("单位“%(unit)s”与指标单位“%(expected)s”不符") % {
            "unit": unit,
            "expected": indicator.unit,
        }
    return source[1] / target[1]


def _columns(
    sheet: Worksheet,
    header: Sequence[Any],
    sub_header: Sequence[Any],
    lookup: Lookup,
    note_unit: str,
) -> tuple[list[_Column], int, list[CellError]]:
    columns: list[_Column] = []
    errors: list[CellError] = []
    label_column = 1
    current: tuple[Indicator, str] | None = None  # the merged name a sub-column falls under
    seen: set[tuple[int, bool]] = set()
    for position, cell in enumerate(header, start=1):
        text = normalise(cell.value)
        sub = _sub_label(sub_header[position - 1].value) if position <= len(sub_header) else ""
        if text in PARK_HEADERS:
            label_column = position
            current = None
            continue
        if text in IGNORED_HEADERS:
            current = None
            continue
        if not text and not sub:
            current = None
            continue
        if text:
            name, unit = _split_unit(text)
            indicator = lookup.indicator(name)
            growth = False
            if indicator is None:
                bare = GROWTH_SUFFIX.sub("", name)
                indicator = lookup.indicator(bare) if bare != name else None
                growth = indicator is not None
            if indicator is None:
                errors.append(CellError(_where(sheet, cell), _("未知的指标列“%s”") % text))
                current = None
                continue
            current = (indicator, unit or note_unit)
        elif current is None:
            continue
        indicator, unit = current
        if sub_header:
            if not sub:
                label = normalise(sub_header[position - 1].value)
                errors.append(
                    CellError(
                        _where(sheet, sub_header[position - 1]),
                        _("无法识别的子列“%s”,应为“累计”或“增长%%”") % label,
                    )
                )
                continue
            growth = sub == "growth"
        elif text:
            growth = growth or indicator.growth_only
        factor = _factor(unit, indicator) if not growth else Decimal(1)
        if isinstance(factor, str):
            errors.append(CellError(_where(sheet, cell), factor))
            continue
        if (indicator.pk, growth) in seen:
            errors.append(CellError(_where(sheet, cell), _("“%s”列重复") % indicator.name))
            continue
        seen.add((indicator.pk, growth))
        columns.append(_Column(position, indicator, growth, factor))
    if not columns and not errors:
        errors.append(CellError(sheet.title, _("表头中没有可识别的指标列")))
    return columns, label_column, errors


def _read_targets(sheet: Worksheet, lookup: Lookup, parsed: ParsedWorkbook) -> None:
    rows = sheet.iter_rows()
    header = next(rows, ())
    names = [normalise(cell.value) for cell in header]
    missing = [name for name in TARGET_HEADERS if name not in names]
    if missing:
        parsed.errors.append(CellError(sheet.title, _("表头缺少列:%s") % "、".join(missing)))
        return
    position = {name: names.index(name) for name in TARGET_HEADERS}
    seen: dict[tuple[int | None, int, int], str] = {}
    for row in rows:
        if spreadsheets.is_blank_row([cell.value for cell in row]):
            continue
        cells = {name: row[index] for name, index in position.items() if index < len(row)}
        target = _target_row(sheet, cells, lookup, parsed)
        if target is None:
            continue
        key = (target.park_id, target.indicator_id, target.year)
        if key in seen:
            parsed.errors.append(CellError(target.where, _("与 %s 重复") % seen[key]))
            continue
        seen[key] = target.where
        parsed.targets.append(target)


def _target_row(
    sheet: Worksheet, cells: dict[str, Any], lookup: Lookup, parsed: ParsedWorkbook
) -> TargetRow | None:
    errors_before = len(parsed.errors)

    def refuse(name: str, message: str) -> None:
        cell = cells.get(name)
        parsed.errors.append(CellError(_where(sheet, cell) if cell else sheet.title, message))

    label = normalise(cells["园区"].value) if "园区" in cells else ""
    park_id: int | None = None
    if label not in CITY_LABELS:
        park = lookup.park(label) if label else None
        if park is None:
            refuse("园区", _("未知的园区“%s”") % label if label else _("缺少园区名称"))
        else:
            park_id = park.pk
    indicator = lookup.indicator(_split_unit(normalise(cells["指标"].value))[0])
    if indicator is None:
        refuse("指标", _("未知的指标“%s”") % normalise(cells["指标"].value))
    year_text = spreadsheets.cell_text(cells["年份"].value).removesuffix("年")
    year = int(year_text) if year_text.isdigit() else 0
    if not 2000 <= year <= 2100:
        refuse("年份", _("年份应为 2000–2100 之间的四位数字"))
    kind = TARGET_KINDS.get(normalise(cells["目标类型"].value))
    if kind is None:
        refuse("目标类型", _("目标类型应为“总量”或“增速”"))
    try:
        value = number_cell(cells["目标值"])
    except ValueError as error:
        refuse("目标值", str(error))
        value = None
    else:
        if value is None:
            refuse("目标值", _("缺少目标值"))
        elif value == 0:
            refuse("目标值", _("目标值不能为 0"))
        elif (
            value < 0
            and kind == Target.Kind.ABSOLUTE
            and indicator is not None
            and not indicator.allow_negative
        ):
            refuse("目标值", _("“%s”的总量目标不能为负数") % indicator.name)
    if len(parsed.errors) > errors_before:
        return None
    assert indicator is not None and kind is not None and value is not None
    return TargetRow(
        park_id=park_id,
        indicator_id=indicator.pk,
        year=year,
        kind=kind,
        value=value,
        where=_where(sheet, cells["目标值"]),
    )


def _missing_months(months: Sequence[tuple[int, int]]) -> list[CellError]:
    """A year's months must follow on from each other: 1–3月 and 1–5月 without 1–4月 hides
    April (the workbook may start and end where it likes)."""
    errors = []
    by_year: dict[int, list[int]] = {}
    for year, month in months:
        by_year.setdefault(year, []).append(month)
    for year, present in sorted(by_year.items()):
        for month in range(min(present), max(present) + 1):
            if month not in present:
                errors.append(
                    CellError(
                        "",
                        _("缺少 %(year)d年%(month)d月 的工作表(%(year)d 年的月份不连续)")
                        % {"year": year, "month": month},
                    )
                )
    return errors


def falling_cumulatives(
    values: Sequence[ValueRow], indicators: Iterable[Indicator]
) -> list[CellError]:
    """Within one upload, a 1–N月累计 value may not fall from one month to the next."""
    cumulative = {
        indicator.pk for indicator in indicators if indicator.kind == Indicator.Kind.CUMULATIVE
    }
    by_key = {
        (row.park_id, row.indicator_id, row.year, row.month): row
        for row in values
        if row.value is not None and row.indicator_id in cumulative
    }
    errors = []
    for (park_id, indicator_id, year, month), row in sorted(
        by_key.items(), key=lambda item: item[1].where
    ):
        previous = by_key.get((park_id, indicator_id, year, month - 1))
        if previous is not None and month != 1 and row.value < previous.value:  # type: ignore[operator]
            errors.append(CellError(row.where, falling_message(previous.value, previous.where)))
    return errors


def falling_message(previous: Decimal | None, where: str) -> str:
    return _("累计值低于上月(%(where)s 为 %(previous)s),1–N月累计数只能增加") % {
        "where": where,
        "previous": f"{previous.normalize():f}" if previous is not None else "—",
    }


def read_records(
    records: Sequence[Mapping[str, Any]],
    *,
    indicators: Iterable[Indicator],
    park_ids: Iterable[int],
) -> ParsedWorkbook:
    """Monthly values sent as records (the API's bulk upsert) under the workbook's rules:
    known indicator and park, values in the indicator's own unit, no negative where the
    indicator allows none, a growth-only indicator with its growth alone, each figure once,
    cumulative values never falling within the records. ``where`` names the record
    (``rows[3]``) as a workbook names its cell."""
    by_code = {indicator.code: indicator for indicator in indicators}
    known_parks = set(park_ids)
    parsed = ParsedWorkbook(layout="api")
    seen: dict[tuple[int | None, int, int, int], str] = {}
    months: set[tuple[int, int]] = set()
    for index, record in enumerate(records):
        where = f"rows[{index}]"
        indicator = by_code.get(record["indicator"])
        park_id = record.get("park")
        value, growth = record.get("value"), record.get("yoy_pct")
        problem = None
        if indicator is None:
            problem = _("没有代码为“%s”的启用指标") % str(record["indicator"])[:40]
        elif park_id is not None and park_id not in known_parks:
            problem = _("没有 id 为 %s 的园区") % park_id
        elif value is None and growth is None:
            problem = _("value 和 yoy_pct 至少给出一个")
        elif value is not None and indicator.growth_only:
            problem = _("“%s”只发布增速,请只给 yoy_pct") % indicator.name
        elif value is not None and value < 0 and not indicator.allow_negative:
            problem = _("“%s”不能为负数") % indicator.name
        if problem is not None or indicator is None:
            parsed.errors.append(CellError(where, problem or ""))
            continue
        key = (park_id, indicator.pk, record["year"], record["month"])
        if key in seen:
            parsed.errors.append(CellError(where, _("与 %s 是同一园区、指标和月份") % seen[key]))
            continue
        seen[key] = where
        months.add((record["year"], record["month"]))
        parsed.values.append(
            ValueRow(park_id=park_id, indicator_id=indicator.pk, year=record["year"],
                     month=record["month"], value=value, yoy_pct=growth, where=where)
        )  # fmt: skip
    parsed.months = sorted(months)
    parsed.errors.extend(falling_cumulatives(parsed.values, by_code.values()))
    return parsed


# --- writing ---------------------------------------------------------------------------


def sheet_title(year: int, month: int) -> str:
    return f"{year}年{month}月"


def template_headers(indicators: Sequence[Indicator], *, growth: bool = True) -> list[str]:
    headers = ["园区"]
    for indicator in indicators:
        if not indicator.growth_only:
            headers.append(f"{indicator.name}({indicator.unit})")
        if growth or indicator.growth_only:
            headers.append(f"{indicator.name}增长%")
    return headers


def build_workbook(
    *,
    indicators: Sequence[Indicator],
    months: Sequence[tuple[int, int]],
    rows_by_month: dict[tuple[int, int], list[tuple[str, dict[int, tuple[Any, Any]]]]],
    targets: Sequence[tuple[str, str, int, str, Decimal]] = (),
    notes: Sequence[str] = (),
) -> Workbook:
    """Our template layout: a sheet per month (园区, then each indicator's 累计 and 增长%
    columns), the rows given as (label, {indicator_id: (value, growth)}); an optional
    年度目标 sheet. Used for the blank template, dashboard exports and the demo workbook."""
    workbook = Workbook()
    default = workbook.active
    if default is not None:
        workbook.remove(default)
    if notes:
        sheet = workbook.create_sheet("说明")
        for row, line in enumerate(notes, start=1):
            spreadsheets.set_cell(sheet, row=row, column=1, value=line)
        sheet.column_dimensions["A"].width = 100
    headers = template_headers(indicators)
    for year, month in months:
        sheet = workbook.create_sheet(sheet_title(year, month))
        _write_header(sheet, headers)
        for row_number, (label, figures) in enumerate(rows_by_month.get((year, month), []), 2):
            spreadsheets.set_cell(sheet, row=row_number, column=1, value=label)
            column = 2
            for indicator in indicators:
                value, growth = figures.get(indicator.pk, (None, None))
                if not indicator.growth_only:
                    _number(sheet, row_number, column, value, indicator.precision)
                    column += 1
                _number(sheet, row_number, column, growth, 1)
                column += 1
    if targets or notes:
        sheet = workbook.create_sheet(TARGETS_SHEET)
        _write_header(sheet, list(TARGET_HEADERS))
        for row_number, values in enumerate(targets, start=2):
            for column, value in enumerate(values, start=1):
                if isinstance(value, Decimal):
                    value = float(value)
                spreadsheets.set_cell(sheet, row=row_number, column=column, value=value)
    return workbook


def _write_header(sheet: Worksheet, headers: Sequence[str]) -> None:
    for column, header in enumerate(headers, start=1):
        cell = spreadsheets.set_cell(sheet, row=1, column=column, value=header)
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = max(10, len(header) * 2 + 2)
    sheet.freeze_panes = "B2"


def _number(sheet: Worksheet, row: int, column: int, value: Any, precision: int) -> None:
    if value is None:
        return
    cell = spreadsheets.set_cell(sheet, row=row, column=column, value=float(value))
    cell.number_format = "0" if precision == 0 else "0." + "0" * precision
