"""The Excel format of the enterprise registry: the downloadable template, reading an upload into
per-row values with per-cell errors, and the export (which imports back unchanged).

Headers are Chinese (COLUMNS). Dates are real Excel dates or YYYY-MM-DD text. Parks are named
by full or short name and must be parks the user may edit. Writing the rows is the service's
job (`services.enterprises_import`): this module only reads and converts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from yuanqu.core import spreadsheets
from yuanqu.core.models import Industry
from yuanqu.enterprises import credit_code as credit_codes
from yuanqu.enterprises.models import Enterprise
from yuanqu.parks.models import Park

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024

# (header, field, kind of value, example)
COLUMNS: list[tuple[str, str, str, str]] = [
    ("所在园区", "park", "park", "徐州经济技术开发区"),
    ("企业名称", "name", "text", "徐州示例机械有限公司"),
    ("统一社会信用代码", "credit_code", "code", "91320301MA1XXXXXXX"),
    ("行业代码", "industry", "industry", "3514"),
    ("地址", "address", "text", "徐州经济技术开发区杨山路 1 号"),
    ("高企认定日期", "high_tech_certified_on", "date", "2023-12-08"),
    ("高企证书编号", "high_tech_certificate_no", "text", "GR202332001234"),
    ("高企证书有效期至", "high_tech_expires_on", "date", "2026-12-07"),
    ("科技型中小企业入库日期", "tech_sme_since", "date", "2022-05-20"),
    ("四上类型", "above_scale_type", "above_scale", "规上工业"),
    ("纳入四上日期", "above_scale_since", "date", "2021-01-01"),
    ("专精特新等级", "specialised_level", "specialised", "省级专精特新"),
    ("专精特新认定日期", "specialised_since", "date", "2024-03-15"),
    ("瞪羚企业认定日期", "gazelle_since", "date", ""),
    ("独角兽企业认定日期", "unicorn_since", "date", ""),
]  # fmt: skip
REQUIRED_HEADERS = ("所在园区", "企业名称", "统一社会信用代码")
# Shown in the export for people; ignored on import.
EXPORT_ONLY_HEADERS = ("行业名称",)
HEADER_OF = {field_name: header for header, field_name, _kind, _example in COLUMNS}


_POSITION = {header: index for index, (header, *_rest) in enumerate(COLUMNS)}


def column_of(field_name: str) -> str:
    return HEADER_OF.get(field_name, "—")


def error_order(error: CellError) -> tuple[int, int]:
    """File problems first, then by row, then left to right."""
    return error.row, _POSITION.get(error.column, -1)


def _labels(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for value, label in choices:
        table[str(label)] = value
        table[value] = value
    return table


ABOVE_SCALE_WORDS = _labels(Enterprise.AboveScaleType.choices) | {
    "规上": "industry", "规模以上工业": "industry", "限上": "trade", "资质内建筑": "construction",
    "规上服务": "services", "规模以上服务业": "services",
}  # fmt: skip
SPECIALISED_WORDS = _labels(Enterprise.SpecialisedLevel.choices) | {
    "市级": "city", "省级": "province", "国家级": "little_giant", "小巨人": "little_giant",
    "国家级专精特新小巨人": "little_giant", "国家级专精特新\"小巨人\"": "little_giant",
    "专精特新小巨人": "little_giant",
}  # fmt: skip


@dataclass(frozen=True)
class CellError:
    """One problem: row 0 is the file or its header."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        message = self.message.rstrip("。")
        if self.row <= 0:
            return f"{self.column}:{message}"
        return _("第 %(row)d 行 · %(column)s:%(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": message,
        }


@dataclass
class ParsedRow:
    number: int
    values: dict[str, Any] = field(default_factory=dict)
    error_fields: set[str] = field(default_factory=set)

    @property
    def errors(self) -> bool:
        return bool(self.error_fields)


@dataclass
class ParsedSheet:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    fatal: bool = False  # the file or its header is unusable: no row was read


# --- template and export ---------------------------------------------------------------


def template_workbook() -> Workbook:
    """Headers and one example row. The example's credit code deliberately fails the check, so
    a template imported without replacing the example row imports nothing."""
    return spreadsheets.build_workbook(
        title=_("企业"),
        headers=[header for header, *_rest in COLUMNS],
        rows=[[example for *_rest, example in COLUMNS]],
    )


def _export_row(enterprise: Enterprise) -> list[Any]:
    industry = enterprise.industry
    return [
        enterprise.park.name,
        enterprise.name,
        enterprise.credit_code,
        industry.code if industry else "",
        enterprise.address,
        enterprise.high_tech_certified_on,
        enterprise.high_tech_certificate_no,
        enterprise.high_tech_expires_on,
        enterprise.tech_sme_since,
        enterprise.get_above_scale_type_display() if enterprise.above_scale_type else "",
        enterprise.above_scale_since,
        enterprise.get_specialised_level_display() if enterprise.specialised_level else "",
        enterprise.specialised_since,
        enterprise.gazelle_since,
        enterprise.unicorn_since,
        industry.name if industry else "",
    ]


def export_workbook(*, enterprises: QuerySet[Enterprise]) -> Workbook:
    """The enterprises in the import format (plus the industry name), streamed."""
    queryset = enterprises.select_related("park", "industry")

    def rows() -> Iterator[list[Any]]:
        for enterprise in queryset.iterator(chunk_size=2000):
            yield _export_row(enterprise)

    return spreadsheets.build_workbook(
        title=_("企业"),
        headers=[header for header, *_rest in COLUMNS] + list(EXPORT_ONLY_HEADERS),
        rows=rows(),
    )


# --- reading ---------------------------------------------------------------------------


def _clean_header(value: Any) -> str:
    return spreadsheets.cell_text(value).replace("*", "").replace(" ", "")


def _park_names(parks: Iterable[Park]) -> dict[str, Park]:
    by_name: dict[str, Park] = {}
    for park in parks:
        by_name[park.name] = park
    for park in parks:
        if park.short_name:
            by_name.setdefault(park.short_name, park)
    return by_name


def _convert(kind: str, raw: Any, parks: dict[str, Park]) -> Any:
    """The cell as a service value; ValueError with the Chinese message otherwise. Industry
    codes stay text here and are resolved for the whole file at once."""
    if kind == "date":
        return spreadsheets.parse_date_cell(raw)
    text = spreadsheets.cell_text(raw)
    if kind == "park":
        if not text:
            raise ValueError(_("必须填写"))
        if text not in parks:
            raise ValueError(_("园区“%(name)s”不存在或不在您的管理范围内") % {"name": text[:30]})
        return parks[text]
    if kind == "text":
        return text
    if kind == "code":
        return credit_codes.normalise(text)
    if kind == "industry":
        return text.split()[0] if text else ""
    table = ABOVE_SCALE_WORDS if kind == "above_scale" else SPECIALISED_WORDS
    if not text:
        return ""
    word = text.replace(" ", "").replace("“", '"').replace("”", '"')
    if word in table:
        return table[word]
    if text in table:
        return table[text]
    raise ValueError(
        _("无法识别“%(text)s”,可填:%(choices)s")
        % {
            "text": text[:20],
            "choices": "、".join(
                str(label)
                for _value, label in (
                    Enterprise.AboveScaleType.choices
                    if kind == "above_scale"
                    else Enterprise.SpecialisedLevel.choices
                )
            ),
        }
    )


def read_upload(*, upload: Any, parks: Iterable[Park]) -> ParsedSheet:
    """Every data row of the first sheet, converted, with a CellError per bad cell."""
    sheet_result = ParsedSheet()
    try:
        workbook = spreadsheets.open_upload(upload, max_bytes=MAX_BYTES)
    except spreadsheets.SpreadsheetError as error:
        message = str(error).split(":", 1)[-1]
        sheet_result.errors.append(CellError(row=0, column=_("文件"), message=message))
        sheet_result.fatal = True
        return sheet_result
    try:
        _read_rows(workbook, parks, sheet_result)
    finally:
        workbook.close()
    return sheet_result


def _read_rows(workbook: Any, parks: Iterable[Park], result: ParsedSheet) -> None:
    if not workbook.worksheets:
        result.errors.append(CellError(row=0, column=_("文件"), message=_("没有工作表")))
        result.fatal = True
        return
    rows = workbook.worksheets[0].iter_rows(values_only=True)
    header = [_clean_header(cell) for cell in next(rows, ())]
    known = {title: (field_name, kind) for title, field_name, kind, _example in COLUMNS}
    problems: list[str] = []
    missing = [title for title in REQUIRED_HEADERS if title not in header]
    if missing:
        problems.append(_("缺少列 %(columns)s(请使用模板)") % {"columns": "、".join(missing)})
    repeated = sorted({title for title in header if title in known and header.count(title) > 1})
    if repeated:
        problems.append(_("列 %(columns)s 重复") % {"columns": "、".join(repeated)})
    if problems:
        result.errors.extend(CellError(row=0, column=_("表头"), message=p) for p in problems)
        result.fatal = True
        return

    by_name = _park_names(list(parks))
    for number, row in enumerate(rows, start=2):
        if spreadsheets.is_blank_row(row):
            continue
        if len(result.rows) >= MAX_ROWS:
            result.errors.append(
                CellError(
                    row=0,
                    column=_("文件"),
                    message=_("一次最多导入 %(count)d 行,请分多个文件导入") % {"count": MAX_ROWS},
                )
            )
            result.fatal = True
            return
        parsed = ParsedRow(number=number)
        for title, cell in zip(header, row, strict=False):
            if title not in known:
                continue
            field_name, kind = known[title]
            try:
                parsed.values[field_name] = _convert(kind, cell, by_name)
            except ValueError as error:
                parsed.error_fields.add(field_name)
                result.errors.append(CellError(row=number, column=title, message=str(error)))
        result.rows.append(parsed)
    _resolve_industries(result)


def _resolve_industries(result: ParsedSheet) -> None:
    codes = {
        row.values["industry"] for row in result.rows if row.values.get("industry")
    }  # one query for the whole file
    found = Industry.objects.in_bulk(sorted(codes)) if codes else {}
    for row in result.rows:
        if "industry" not in row.values:
            continue
        code = row.values["industry"]
        if not code:
            row.values["industry"] = None
        elif code in found:
            row.values["industry"] = found[code]
        else:
            row.values.pop("industry")
            row.error_fields.add("industry")
            result.errors.append(
                CellError(
                    row=row.number,
                    column=column_of("industry"),
                    message=_("行业代码“%(code)s”不存在(GB/T 4754-2017 门类字母或 2–4 位数字)")
                    % {"code": code[:10]},
                )
            )
