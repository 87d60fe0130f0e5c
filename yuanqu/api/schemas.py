"""Conventions every module's schemas follow: English snake_case names, the unit in the name
(`area_m2`, `price_yuan_m2_month`), timestamps ISO 8601 in +08:00, absolute URLs."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import http_date
from ninja import Schema
from pydantic import Field


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in the site's zone (Asia/Shanghai: +08:00), to the second."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def last_modified(response: HttpResponse, moment: datetime | None) -> None:
    """Last-Modified for a public read: a client that sends If-Modified-Since gets a 304."""
    if moment is not None:
        response["Last-Modified"] = http_date(moment.timestamp())


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    error: ErrorDetail


# The error answers every endpoint may give, for the schema.
ERRORS = {400: ErrorOut, 404: ErrorOut, 429: ErrorOut}

# A row id as every input takes it: positive and within a 64-bit integer, so a huge number
# is a 400 instead of an overflow inside the database driver.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def person(user: Any) -> dict[str, Any] | None:
    """A staff member as the API names them: id and display name, nothing personal."""
    if user is None:
        return None
    return {"id": user.pk, "name": user.get_full_name() or user.username}
