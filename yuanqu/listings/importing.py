"""Bulk import of carriers from Excel: every row is checked first, then all rows are saved in
one transaction, so a file with one bad row imports nothing and says which rows and fields."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from yuanqu.listings.models import Carrier
from yuanqu.listings.services import carrier_create, carrier_validate
from yuanqu.parks.models import Park

MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024

# (header, field, kind of value, example)
COLUMNS: list[tuple[str, str, str, str]] = [
    ("园区", "park", "park", "徐州经济技术开发区"),
    ("标题", "title", "text", "经开区 5000㎡ 单层厂房出租"),
    ("类型", "kind", "kind", "厂房"),
    ("交易方式", "deal", "deal", "出租"),
    ("地址", "address", "text", "徐州经济技术开发区杨山路 1 号"),
    ("纬度", "latitude", "decimal", "34.2801"),
    ("经度", "longitude", "decimal", "117.3402"),
    ("建筑面积(㎡)", "building_area_m2", "decimal", "5000"),
    ("占地面积(㎡)", "land_area_m2", "decimal", ""),
    ("层数", "floors", "int", "1"),
    ("层高(m)", "height_m", "decimal", "10"),
    ("承重(t/㎡)", "floor_load_t_m2", "decimal", "3"),
    ("可配电容量(kVA)", "power_available_kva", "int", "800"),
    ("行车(t)", "crane_t", "decimal", "10"),
    ("独门独院", "independent_yard", "bool", "是"),
    ("可环评", "eia_ok", "bool", "是"),
    ("产证", "title_deed", "deed", "独立产证"),
    ("火灾危险性类别", "fire_hazard_class", "fire", "丙类"),
    ("价格面议", "price_negotiable", "bool", "否"),
    ("价格", "price_value", "decimal", "0.6"),
    ("价格单位", "price_unit", "unit", "元/㎡·天"),
    ("物业费(元/㎡·月)", "property_fee_yuan_m2_month", "decimal", "1.5"),
    ("描述", "description", "text", "近高速口,可分租"),
]  # fmt: skip
TRUE_WORDS = {"是", "有", "y", "yes", "true", "1", "√", "✓"}
FALSE_WORDS = {"否", "无", "n", "no", "false", "0", ""}


def _labels(choices) -> dict[str, str]:
    return {str(label): value for value, label in choices} | {value: value for value, _ in choices}


UNIT_WORDS = _labels(Carrier.PriceUnit.choices) | {
    "元/平方米/天": "yuan_m2_day", "元/平米/天": "yuan_m2_day", "元/平/天": "yuan_m2_day",
    "元/平方米/月": "yuan_m2_month", "元/平米/月": "yuan_m2_month", "元/平/月": "yuan_m2_month",
}  # fmt: skip


@dataclass
class ImportReport:
    created: list[Carrier] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def template_workbook() -> bytes:
    """The downloadable template: headers and one example row."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "载体"
    sheet.append([header for header, *_ in COLUMNS])
    sheet.append([example for *_, example in COLUMNS])
    for index, (header, *_rest) in enumerate(COLUMNS, start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = max(10, len(header) * 2 + 2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _convert(kind: str, raw: Any, parks: dict[str, Park]) -> Any:
    text = "" if raw is None else str(raw).strip()
    if kind == "park":
        if text not in parks:
            raise ValueError("园区不存在或不在您的管理范围内")
        return parks[text]
    if kind == "text":
        return text
    if kind == "decimal":
        if text == "":
            return None
        try:
            return Decimal(text.replace(",", ""))
        except InvalidOperation:
            raise ValueError("不是数字") from None
    if kind == "int":
        if text == "":
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError("不是整数") from None
        if value != value.to_integral_value() or value < 0:
            raise ValueError("不是非负整数")
        return int(value)
    if kind == "bool":
        lowered = text.lower()
        if lowered in TRUE_WORDS:
            return True
        if lowered in FALSE_WORDS:
            return False
        raise ValueError("请填“是”或“否”")
    table = {
        "kind": _labels(Carrier.Kind.choices),
        "deal": _labels(Carrier.Deal.choices),
        "deed": _labels(Carrier.TitleDeed.choices),
        "fire": _labels(Carrier.FireHazard.choices)
        | {"甲": "A", "乙": "B", "丙": "C", "丁": "D", "戊": "E"},
        "unit": UNIT_WORDS,
    }[kind]
    if text == "" and kind in {"deed", "fire", "unit"}:
        return ""
    if text not in table:
        raise ValueError(f"无法识别“{text[:20]}”")
    return table[text]


def carriers_import_excel(
    *, upload, parks: QuerySet[Park], owner=None, publish: bool = True
) -> ImportReport:
    """Check every row, then save all of them in one transaction, or none."""
    report = ImportReport()
    if getattr(upload, "size", 0) and upload.size > MAX_BYTES:
        report.errors.append("文件:不能超过 5 MB。")
        return report
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        report.errors.append("文件:无法读取,请使用下载的模板(.xlsx)。")
        return report
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell).strip() if cell is not None else "" for cell in next(rows, ())]
    expected = {title: (field_name, kind) for title, field_name, kind, _example in COLUMNS}
    missing = [title for title in ("园区", "标题", "类型", "交易方式") if title not in header]
    if missing:
        report.errors.append(f"表头:缺少列 {'、'.join(missing)}(请使用模板)。")
        return report
    by_name: dict[str, Park] = {}
    for park in parks:
        by_name[park.name] = park
        if park.short_name:
            by_name.setdefault(park.short_name, park)
    pending: list[tuple[Park, dict[str, Any]]] = []
    for number, row in enumerate(rows, start=2):
        if row is None or all(cell in (None, "") for cell in row):
            continue
        report.rows += 1
        if report.rows > MAX_ROWS:
            report.errors.append(f"文件:一次最多导入 {MAX_ROWS} 行。")
            break
        values: dict[str, Any] = {}
        row_park: Park | None = None
        row_errors: list[str] = []
        for title, cell in zip(header, row, strict=False):
            if title not in expected:
                continue
            field_name, kind = expected[title]
            try:
                value = _convert(kind, cell, by_name)
            except ValueError as error:
                row_errors.append(f"{title}:{error}")
                continue
            if field_name == "park":
                row_park = value
            else:
                values[field_name] = value
        if row_park is None and not any(message.startswith("园区") for message in row_errors):
            row_errors.append("园区:必须填写")
        if not row_errors:
            try:
                carrier_validate(values=values)
            except ValidationError as error:
                row_errors.extend(
                    message for messages in error.message_dict.values() for message in messages
                )
        if row_errors:
            report.errors.append(f"第 {number} 行:" + ";".join(row_errors))
        elif row_park is not None:
            pending.append((row_park, values))
    workbook.close()
    if report.errors:
        return report
    with transaction.atomic():
        for park, values in pending:
            report.created.append(
                carrier_create(park=park, values=values, owner=owner, publish=publish)
            )
    return report
