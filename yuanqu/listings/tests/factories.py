"""Plain factory functions for carriers, saved searches and photos."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from yuanqu.listings.models import Carrier, SavedSearch
from yuanqu.listings.services import carrier_create
from yuanqu.parks.models import Park
from yuanqu.parks.tests.factories import make_park


def carrier_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "单层厂房出租",
        "kind": Carrier.Kind.FACTORY,
        "deal": Carrier.Deal.RENT,
        "address": "测试路 1 号",
        "building_area_m2": Decimal("5000"),
        "height_m": Decimal("10"),
        "floor_load_t_m2": Decimal("3"),
        "power_available_kva": 800,
        "price_value": Decimal("15"),
        "price_unit": Carrier.PriceUnit.YUAN_M2_MONTH,
        "latitude": Decimal("34.2"),
        "longitude": Decimal("117.2"),
    }
    values.update(overrides)
    return values


def make_carrier(
    *,
    park: Park | None = None,
    publish: bool = True,
    confirmed_days_ago: int | None = None,
    owner=None,
    is_sample: bool = False,
    **overrides: Any,
) -> Carrier:
    carrier = carrier_create(
        park=park or make_park(),
        values=carrier_values(**overrides),
        owner=owner,
        publish=publish,
        is_sample=is_sample,
    )
    if confirmed_days_ago is not None:
        confirmed = timezone.now() - timedelta(days=confirmed_days_ago)
        Carrier.objects.filter(pk=carrier.pk).update(confirmed_at=confirmed)
        carrier.confirmed_at = confirmed
    return carrier


def make_saved_search(
    *,
    query_string: str = "kind=factory",
    channel: str = "email",
    status: str = SavedSearch.Status.ACTIVE,
    frequency: str = "instant",
    email: str = "buyer@example.com",
    mobile: str = "",
) -> SavedSearch:
    return SavedSearch.objects.create(
        query_string=query_string,
        label="测试订阅",
        channel=channel,
        email=email if channel == "email" else "",
        mobile=mobile if channel == "sms" else "",
        frequency=frequency,
        status=status,
        consent_version="test",
        consent_at=timezone.now(),
    )


def image_upload(
    *, size: tuple[int, int] = (800, 600), image_format: str = "PNG", name: str = "photo.png"
) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
