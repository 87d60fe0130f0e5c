"""Need parsing through the API: the need form's own 粘贴识别."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_message_becomes_the_forms_fields(api):
    status, body = api.post("/needs/parse", {"text": "想租个5000平左右的单层厂房,层高10米"})
    assert status == 200
    assert body["fields"]["kind"] == "factory" and body["fields"]["deal"] == "rent"
    assert {"kind", "deal", "area_min", "height_m"} <= set(body["filled"])


def test_an_empty_text_is_refused(api):
    status, body = api.post("/needs/parse", {"text": ""})
    assert status == 400 and body["error"]["fields"]["text"] == ["至少 1 个字符。"]


def test_a_text_over_the_limit_is_refused(api):
    status, body = api.post("/needs/parse", {"text": "厂" * 2001})
    assert status == 400 and body["error"]["fields"]["text"] == ["最多 2000 个字符。"]
