from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from yuanqu.enterprises import importing, services
from yuanqu.enterprises.models import Enterprise
from yuanqu.enterprises.tests.factories import make_credit_code, make_enterprise, xlsx_upload
from yuanqu.parks.tests.factories import make_industry

TODAY = date(2025, 6, 30)


def _row(park_name="甲园区", name="徐州精工机械有限公司", code=None, **cells):
    """A row in template column order; cells by header."""
    values = {header: "" for header, *_ in importing.COLUMNS}
    values.update(
        {"所在园区": park_name, "企业名称": name, "统一社会信用代码": code or make_credit_code(1)}
    )
    values.update(cells)
    return [values[header] for header, *_ in importing.COLUMNS]


def _import(actor, rows, **kwargs):
    return services.enterprises_import(actor=actor, upload=xlsx_upload(rows, **kwargs), today=TODAY)


def _messages(report):
    return [str(error) for error in report.errors]


def test_a_valid_file_creates_every_row(park_a, investment_officer):
    make_industry("3514")
    rows = [
        _row(code=make_credit_code(1), **{"行业代码": "3514", "高企认定日期": "2024-11-05"}),
        _row(park_name="甲园", name="徐州纺织有限公司", code=make_credit_code(2)),
    ]

    report = _import(investment_officer, rows)

    assert report.ok, _messages(report)
    assert len(report.created) == 2
    first = Enterprise.objects.get(credit_code=make_credit_code(1))
    assert first.industry_id == "3514"
    assert first.high_tech_certified_on == date(2024, 11, 5)


def test_real_excel_dates_and_labels_are_read(park_a, investment_officer):
    row = _row(
        **{
            "四上类型": "规上工业",
            "纳入四上日期": datetime(2023, 1, 1),  # noqa: DTZ001 - Excel cells carry no zone
            "专精特新等级": "国家级专精特新“小巨人”",
            "专精特新认定日期": date(2024, 7, 1),
        }
    )

    report = _import(investment_officer, [row])

    assert report.ok, _messages(report)
    enterprise = Enterprise.objects.get()
    assert enterprise.above_scale_type == Enterprise.AboveScaleType.INDUSTRY
    assert enterprise.above_scale_since == date(2023, 1, 1)
    assert enterprise.specialised_level == Enterprise.SpecialisedLevel.LITTLE_GIANT


def test_a_wrong_check_digit_names_row_and_column_and_nothing_is_imported(
    park_a, investment_officer
):
    good = make_credit_code(2)
    bad = good[:17] + ("0" if good[17] != "0" else "1")

    report = _import(investment_officer, [_row(code=make_credit_code(1)), _row(code=bad)])

    assert _messages(report) == ["第 3 行 · 统一社会信用代码:校验位不正确,请核对后重新输入"]
    assert not Enterprise.objects.exists()


def test_an_unknown_park_is_an_error_of_its_row(park_a, investment_officer):
    report = _import(investment_officer, [_row(park_name="不存在园区")])

    assert _messages(report) == ["第 2 行 · 所在园区:园区“不存在园区”不存在或不在您的管理范围内"]


def test_a_park_the_user_may_not_edit_is_refused_like_an_unknown_one(
    park_a, park_b, investment_officer
):
    report = _import(investment_officer, [_row(park_name="乙园区")])

    assert _messages(report) == ["第 2 行 · 所在园区:园区“乙园区”不存在或不在您的管理范围内"]
    assert not Enterprise.objects.exists()


def test_an_existing_code_of_an_editable_park_updates_that_enterprise(park_a, investment_officer):
    enterprise = make_enterprise(park=park_a, name="旧名", address="旧地址")

    report = _import(
        investment_officer,
        [["甲园区", "新名", enterprise.credit_code]],
        headers=["所在园区", "企业名称", "统一社会信用代码"],
    )

    assert report.ok, _messages(report)
    assert (len(report.created), len(report.updated)) == (0, 1)
    enterprise.refresh_from_db()
    assert enterprise.name == "新名"
    assert enterprise.address == "旧地址"  # column absent from the file: kept


def test_an_existing_code_of_another_park_is_an_error(park_a, park_b, investment_officer):
    other = make_enterprise(park=park_b, name="乙园企业")

    report = _import(investment_officer, [_row(code=other.credit_code)])

    assert _messages(report) == [
        "第 2 行 · 统一社会信用代码:该企业已登记在您无权编辑的园区,不能导入"
    ]
    other.refresh_from_db()
    assert other.park == park_b


def test_a_code_twice_in_one_file_is_an_error_of_the_second_row(park_a, investment_officer):
    code = make_credit_code(1)

    report = _import(investment_officer, [_row(code=code), _row(code=code)])

    assert _messages(report) == ["第 3 行 · 统一社会信用代码:与第 2 行重复"]


def test_bad_cells_and_rule_errors_of_a_row_are_all_listed(park_a, investment_officer):
    row = _row(
        name="",
        **{"高企认定日期": "2024/13/01", "四上类型": "规上", "行业代码": "9999"},
    )

    report = _import(investment_officer, [row])

    assert _messages(report) == [
        "第 2 行 · 企业名称:请填写企业名称",
        "第 2 行 · 行业代码:行业代码“9999”不存在(GB/T 4754-2017 门类字母或 2–4 位数字)",
        "第 2 行 · 高企认定日期:日期格式应为 YYYY-MM-DD(如 2024-06-30)",
        "第 2 行 · 纳入四上日期:选择了四上类型,请填写纳入日期",
    ]


def test_a_file_without_the_required_headers_is_refused(park_a, investment_officer):
    report = _import(investment_officer, [["甲园区"]], headers=["所在园区"])

    assert _messages(report) == ["表头:缺少列 企业名称、统一社会信用代码(请使用模板)"]


def test_more_rows_than_the_limit_are_refused(park_a, investment_officer, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 2)
    rows = [_row(code=make_credit_code(n)) for n in (1, 2, 3)]

    report = _import(investment_officer, rows)

    assert _messages(report) == ["文件:一次最多导入 2 行,请分多个文件导入"]
    assert not Enterprise.objects.exists()


def test_a_file_over_the_size_limit_is_refused_unread(park_a, investment_officer, monkeypatch):
    monkeypatch.setattr(importing, "MAX_BYTES", 1024)
    upload = SimpleUploadedFile("big.xlsx", b"x" * 2048)

    report = services.enterprises_import(actor=investment_officer, upload=upload)

    assert "不能超过" in _messages(report)[0]


def test_a_file_that_is_not_a_workbook_is_refused(park_a, investment_officer):
    upload = SimpleUploadedFile("fake.xlsx", b"not a workbook")

    report = services.enterprises_import(actor=investment_officer, upload=upload)

    assert _messages(report) == ["文件:无法读取,请使用下载的模板(.xlsx)"]


def test_the_untouched_template_imports_nothing(park_a, investment_officer):
    from yuanqu.core.spreadsheets import workbook_bytes

    content = workbook_bytes(importing.template_workbook())
    upload = SimpleUploadedFile("template.xlsx", content)

    report = services.enterprises_import(actor=investment_officer, upload=upload)

    assert not report.ok
    assert not Enterprise.objects.exists()


def _exported(enterprises):
    from yuanqu.core.spreadsheets import workbook_bytes

    content = workbook_bytes(importing.export_workbook(enterprises=enterprises))
    return content, load_workbook(io.BytesIO(content)).worksheets[0]


def test_the_export_writes_formula_like_text_as_plain_text(park_a):
    make_enterprise(park=park_a, name='=HYPERLINK("http://x","点我")', address="+86 地址")

    _content, sheet = _exported(Enterprise.objects.all())

    name_cell, address_cell = sheet["B2"], sheet["E2"]
    assert name_cell.value == '=HYPERLINK("http://x","点我")'
    assert (name_cell.data_type, name_cell.quotePrefix) == ("s", True)
    assert (address_cell.data_type, address_cell.quotePrefix) == ("s", True)


def test_an_exported_file_imports_back_without_changes(park_a, investment_officer):
    make_enterprise(
        park=park_a,
        industry=make_industry("3514"),
        high_tech_certified_on=date(2023, 12, 8),
        high_tech_expires_on=date(2026, 12, 7),
        above_scale_type="trade",
        above_scale_since=date(2022, 1, 1),
        specialised_level="province",
        specialised_since=date(2024, 3, 15),
    )
    kept = [f.name for f in Enterprise._meta.concrete_fields if f.name != "updated_at"]
    before = list(Enterprise.objects.values(*kept))
    content, _sheet = _exported(Enterprise.objects.all())

    report = services.enterprises_import(
        actor=investment_officer, upload=SimpleUploadedFile("e.xlsx", content), today=TODAY
    )

    assert report.ok, _messages(report)
    assert (len(report.created), len(report.updated)) == (0, 1)
    assert list(Enterprise.objects.values(*kept)) == before


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2024-06-30", date(2024, 6, 30)), ("2024/6/3", date(2024, 6, 3)), ("", None)],
)
def test_date_cells_accept_iso_text(raw, expected):
    from yuanqu.core.spreadsheets import parse_date_cell

    assert parse_date_cell(raw) == expected


def test_a_bare_number_is_not_taken_for_a_date():
    from yuanqu.core.spreadsheets import parse_date_cell

    with pytest.raises(ValueError):
        parse_date_cell(45000)
