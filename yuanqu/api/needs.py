"""Needs (招商需求): parsing a pasted message into the need form's fields."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import ConfigDict, Field

from yuanqu.api.schemas import ERRORS
from yuanqu.leads.forms import initial_from_text

router = Router(tags=["需求"])


class ParseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=2000, description="一段需求文字,如微信消息")


class ParseOut(Schema):
    fields: dict[str, Any] = Field(description="需求表单会填入的字段(表单字段名)")
    filled: list[str] = Field(description="由文字读出的字段名,供用户核对")


@router.post(
    "/needs/parse",
    response={200: ParseOut, **ERRORS},
    summary="从一段文字读出需求字段",
)
def parse(request: HttpRequest, payload: ParseIn) -> dict[str, Any]:
    """The need form's 粘贴识别: the same parser, the same field names and values."""
    fields, filled = initial_from_text(payload.text, {})
    fields.pop("need_text", None)
    return {"fields": fields, "filled": filled}
