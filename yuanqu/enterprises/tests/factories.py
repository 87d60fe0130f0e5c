"""Plain factory functions for enterprises and cultivation targets; every credit code made
here is a valid GB 32100-2015 code (both check characters computed)."""

from __future__ import annotations

import io
import itertools
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from yuanqu.enterprises import credit_code as credit_codes
from yuanqu.enterprises.models import CultivationTarget, Enterprise
from yuanqu.parks.models import Park

_sequence = itertools.count(1)


def make_credit_code(number: int | None = None, *, region: str = "320300") -> str:
    """A valid 企业 (91…) code; distinct numbers give distinct codes."""
    if number is None:
        number = next(_sequence) + 500000
    return credit_codes.complete(f"91{region}T{number:07d}")


def make_enterprise(*, park: Park, **fields: Any) -> Enterprise:
    number = next(_sequence)
    fields.setdefault("name", f"徐州测试{number}号机械有限公司")
    fields.setdefault("credit_code", make_credit_code(number))
    return Enterprise.objects.create(park=park, **fields)


def make_target(*, park: Park, year: int, kind: str, target: int, note: str = "") -> Any:
    return CultivationTarget.objects.create(
        park=park, year=year, kind=kind, target=target, note=note
    )


def xlsx_upload(
    rows: Sequence[Sequence[Any]], *, headers: Sequence[str] | None = None, name: str = "企业.xlsx"
) -> SimpleUploadedFile:
    """An uploaded .xlsx with the template's headers (or the given ones) and these rows."""
    from yuanqu.enterprises.importing import COLUMNS

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(headers) if headers is not None else [header for header, *_ in COLUMNS])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(
        name,
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
