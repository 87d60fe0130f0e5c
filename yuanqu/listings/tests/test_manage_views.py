import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook

from yuanqu.listings.importing import COLUMNS
from yuanqu.listings.models import Carrier, CarrierPhoto
from yuanqu.listings.tests.factories import carrier_values, image_upload, make_carrier

pytestmark = pytest.mark.django_db


def form_data(park, **overrides) -> dict:
    values = carrier_values(**overrides)
    data = {
        key: ("" if value is None else value)
        for key, value in values.items()
        if not isinstance(value, bool)
    }
    data.update({key: "on" for key, value in values.items() if value is True})
    data["park"] = park.pk
    return data


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse("listings:manage_list"))

    assert response.status_code == 302


def test_park_staff_create_a_carrier_of_their_own_park(login_as, investment_officer, park_a):
    client = login_as(investment_officer)

    response = client.post(reverse("listings:manage_create"), {**form_data(park_a), "publish": "1"})

    carrier = Carrier.objects.get()
    assert response.status_code == 302
    assert carrier.park == park_a and carrier.owner == investment_officer
    assert carrier.published_at is not None


def test_park_staff_cannot_create_a_carrier_in_another_park(login_as, investment_officer, park_b):
    client = login_as(investment_officer)

    response = client.post(reverse("listings:manage_create"), form_data(park_b))

    assert response.status_code == 200
    assert not Carrier.objects.exists()


def test_the_staff_form_names_the_field_of_an_invalid_value(login_as, investment_officer, park_a):
    client = login_as(investment_officer)

    response = client.post(
        reverse("listings:manage_create"), form_data(park_a, height_m=Decimal("60"))
    )

    assert "层高" in response.content.decode()
    assert not Carrier.objects.exists()


def test_a_likely_duplicate_asks_for_confirmation_first(login_as, investment_officer, park_a):
    make_carrier(park=park_a, address="测试路1号", building_area_m2=Decimal("5000"))
    client = login_as(investment_officer)
    data = form_data(park_a, address="测试路 1 号", building_area_m2=Decimal("5100"))

    first = client.post(reverse("listings:manage_create"), data)
    second = client.post(reverse("listings:manage_create"), {**data, "confirm_duplicate": "1"})

    assert "可能重复" in first.content.decode()
    assert second.status_code == 302
    assert Carrier.objects.count() == 2


def test_staff_of_another_park_cannot_open_the_carrier(login_as, other_park_officer, park_a):
    carrier = make_carrier(park=park_a)
    client = login_as(other_park_officer)

    assert client.get(reverse("listings:manage_edit", args=[carrier.pk])).status_code == 404


def test_staff_edit_their_carrier_and_the_price_is_renormalised(login_as, park_manager, park_a):
    carrier = make_carrier(park=park_a)
    client = login_as(park_manager)

    client.post(
        reverse("listings:manage_edit", args=[carrier.pk]),
        form_data(park_a, price_value=Decimal("0.4"), price_unit="yuan_m2_day"),
    )

    assert Carrier.objects.get(pk=carrier.pk).price_yuan_m2_month == Decimal("12.00")


def test_one_click_confirmation_makes_a_hidden_carrier_public_again(
    login_as, investment_officer, park_a
):
    carrier = make_carrier(park=park_a, confirmed_days_ago=200)
    client = login_as(investment_officer)

    response = client.post(
        reverse("listings:manage_confirm", args=[carrier.pk]), HTTP_HX_REQUEST="true"
    )

    assert "今天已确认" in response.content.decode()
    assert client.get(carrier.get_absolute_url()).status_code == 200


def test_confirmation_refuses_get(login_as, investment_officer, park_a):
    carrier = make_carrier(park=park_a)

    response = login_as(investment_officer).get(
        reverse("listings:manage_confirm", args=[carrier.pk])
    )

    assert response.status_code == 405


def test_pasting_an_ad_fills_the_form(login_as, investment_officer):
    client = login_as(investment_officer)

    response = client.post(
        reverse("listings:manage_create"),
        {"paste": "1", "text": "厂房出租,面积5000平,层高10米,10吨行车,可环评,0.6元/平/天"},
    )

    form = response.context["form"]
    assert form.initial["kind"] == "factory"
    assert form.initial["height_m"] == Decimal("10")
    assert form.initial["price_unit"] == "yuan_m2_day"
    assert form.initial["title"] == "5000㎡厂房出租"


def test_a_photo_is_stored_with_a_thumbnail(login_as, investment_officer, park_a):
    carrier = make_carrier(park=park_a)

    login_as(investment_officer).post(
        reverse("listings:manage_photo_upload", args=[carrier.pk]),
        {"image": image_upload(size=(3000, 2000))},
    )

    photo = CarrierPhoto.objects.get()
    assert photo.thumbnail.width <= 480 and photo.image.width <= 2400


def test_a_full_disk_during_an_upload_is_a_clear_error_and_leaves_nothing(
    login_as, investment_officer, park_a, settings, tmp_path, monkeypatch
):
    import errno

    from django.core.files.storage import FileSystemStorage

    settings.MEDIA_ROOT = tmp_path
    carrier = make_carrier(park=park_a)
    real_save = FileSystemStorage._save  # type: ignore[attr-defined]
    calls = []

    def save_then_fill_the_disk(storage, name, content):
        calls.append(name)
        if len(calls) > 1:  # the photo is written, then the disk is full for its thumbnail
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_save(storage, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", save_then_fill_the_disk)
    response = login_as(investment_officer).post(
        reverse("listings:manage_photo_upload", args=[carrier.pk]),
        {"image": image_upload()}, follow=True,
    )  # fmt: skip

    assert response.status_code == 200 and "磁盘已满或目录不可写" in response.content.decode()
    assert not CarrierPhoto.objects.exists()
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]


def test_a_file_that_is_not_an_image_is_refused(login_as, investment_officer, park_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    carrier = make_carrier(park=park_a)
    fake = SimpleUploadedFile("photo.jpg", b"PK\x03\x04 not an image", content_type="image/jpeg")

    login_as(investment_officer).post(
        reverse("listings:manage_photo_upload", args=[carrier.pk]), {"image": fake}
    )

    assert not CarrierPhoto.objects.exists()


def workbook(rows: list[dict]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([header for header, *_ in COLUMNS])
    for row in rows:
        sheet.append([row.get(header, "") for header, *_ in COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "carriers.xlsx"
    return buffer


GOOD_ROW = {
    "园区": "甲园区",
    "标题": "导入厂房",
    "类型": "厂房",
    "交易方式": "出租",
    "建筑面积(㎡)": 3000,
    "价格": 0.5,
    "价格单位": "元/㎡·天",
    "可环评": "是",
}


def test_an_excel_import_creates_every_row(login_as, investment_officer, park_a):
    client = login_as(investment_officer)

    response = client.post(
        reverse("listings:manage_import"),
        {"file": workbook([GOOD_ROW, {**GOOD_ROW, "标题": "第二个"}]), "publish": "1"},
    )

    assert response.status_code == 302
    assert Carrier.objects.filter(park=park_a, eia_ok=True).count() == 2
    assert Carrier.objects.get(title="导入厂房").price_yuan_m2_month == Decimal("15.00")


def test_an_excel_import_with_one_bad_row_imports_nothing_and_names_the_row(
    login_as, investment_officer, park_a
):
    client = login_as(investment_officer)
    bad = {**GOOD_ROW, "建筑面积(㎡)": 0, "价格单位": ""}

    response = client.post(reverse("listings:manage_import"), {"file": workbook([GOOD_ROW, bad])})

    body = response.content.decode()
    assert "第 3 行" in body and "建筑面积" in body and "价格单位" in body
    assert not Carrier.objects.exists()


def test_an_excel_row_for_another_park_is_refused(login_as, investment_officer, park_b):
    client = login_as(investment_officer)

    response = client.post(
        reverse("listings:manage_import"), {"file": workbook([{**GOOD_ROW, "园区": "乙园区"}])}
    )

    assert "园区" in response.content.decode()
    assert not Carrier.objects.exists()


def test_the_import_template_downloads_as_xlsx(login_as, investment_officer):
    response = login_as(investment_officer).get(reverse("listings:manage_import_template"))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"


def test_the_manage_list_shows_only_the_users_park_least_recently_confirmed_first(
    login_as, investment_officer, park_a, park_b
):
    make_carrier(park=park_a, title="昨天确认的厂房", confirmed_days_ago=1)
    make_carrier(park=park_a, title="很久没确认", confirmed_days_ago=120)
    make_carrier(park=park_b, title="别的园区")

    body = login_as(investment_officer).get(reverse("listings:manage_list")).content.decode()

    assert body.index("很久没确认") < body.index("昨天确认的厂房")
    assert "别的园区" not in body
