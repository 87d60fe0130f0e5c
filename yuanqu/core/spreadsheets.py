"""Small Excel (.xlsx) helpers shared by imports and exports: reading an upload safely, reading
date cells, writing rows without formula injection, and the download response.

Formula injection: a text cell beginning with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return, which some spreadsheet programs skip before such a sign) would be taken as a formula when
the file is opened. Such cells are stored as plain strings (``data_type = "s"``) with Excel's
``quotePrefix`` style set, so Excel, WPS and LibreOffice show the text and never evaluate it,
even after the user edits the cell. The text itself is not changed (no apostrophe is added), so
an exported file imports back to the same values.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from yuanqu.core import downloads

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class SpreadsheetError(ValueError):
    """The upload cannot be used at all; str(error) is the Chinese message for the page."""


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def set_cell(sheet: Worksheet, *, row: int, column: int, value: Any) -> Cell:
    """Write one value into an ordinary (not write-only) sheet; formula-like text stays
    text."""
    cell = sheet.cell(row=row, column=column)
    if not isinstance(cell, Cell):
        raise ValueError("cannot write into a merged cell")
    cell.value = value
    if is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def safe_cell(sheet: Worksheet, value: Any, *, number_format: str | None = None) -> Cell:
    """A cell for a write-only sheet's ``append``; formula-like text stays text."""
    cell = WriteOnlyCell(sheet, value=value)
    if is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    if number_format is not None:
        cell.number_format = number_format
    return cell


def build_workbook(
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]] = (),
    widths: Sequence[int] | None = None,
) -> Workbook:
    """A write-only workbook of one sheet: a bold header row, then the rows, every text cell
    written safely and every date as a real Excel date shown YYYY-MM-DD. Rows may be a
    generator (nothing is kept in memory but the file being built)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])  # Excel's limit for sheet names
    for column, header in enumerate(headers, start=1):
        width = widths[column - 1] if widths else max(10, len(header) * 2 + 2)
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    header_cells = []
    for header in headers:
        cell = safe_cell(sheet, header)
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for values in rows:
        sheet.append(
            [
                safe_cell(
                    sheet,
                    value,
                    number_format="yyyy-mm-dd" if isinstance(value, date) else None,
                )
                for value in values
            ]
        )
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes | Workbook, *, filename: str) -> HttpResponse:
    """A download; `filename` may be Chinese (RFC 6266 filename* with an ASCII fallback)."""
    if isinstance(content, Workbook):
        content = workbook_bytes(content)
    return downloads.attachment(content, filename=filename, content_type=XLSX_CONTENT_TYPE)


def check_upload_size(upload: Any, *, max_bytes: int) -> None:
    """SpreadsheetError when the uploaded file is larger than max_bytes."""
    size = getattr(upload, "size", None) or 0
    if size > max_bytes:
        raise SpreadsheetError(
            f"文件:不能超过 {max_bytes // (1024 * 1024)} MB(当前 {size / 1024 / 1024:.1f} MB)。"
        )


def open_upload(upload: Any, *, max_bytes: int) -> Workbook:
    """The uploaded workbook (read-only, values not formulas), or SpreadsheetError."""
    check_upload_size(upload, max_bytes=max_bytes)
    try:
        return load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise SpreadsheetError("文件:无法读取,请使用下载的模板(.xlsx)。") from None


def is_blank_row(row: Sequence[Any] | None) -> bool:
    return row is None or all(cell is None or str(cell).strip() == "" for cell in row)


def cell_text(value: Any) -> str:
    """A cell as stripped text ("" for empty; 12.0 → "12", as Excel stores typed numbers)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_date_cell(value: Any) -> date | None:
    """A real Excel date, or text YYYY-MM-DD (also YYYY/MM/DD and YYYY.MM.DD); None when
    empty. ValueError with a Chinese message otherwise (bare numbers are refused: a serial
    number typed into a text cell is more likely a mistake than a date)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    if not text:
        return None
    for separator in ("/", "."):
        text = text.replace(separator, "-")
    try:
        year, month, day = (int(part) for part in text.split("-"))
        if year < 1900:
            raise ValueError
        return date(year, month, day)
    except ValueError:
        raise ValueError("日期格式应为 YYYY-MM-DD(如 2024-06-30)") from None
