"""`manage.py parse_text --as need|ad`: one message per line in, one JSON object per line out."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from yuanqu.matching.parsing import reset_default_resolver
from yuanqu.parks.tests.factories import make_park, make_region

KEYS = [
    "kind", "deal", "area_min_m2", "area_max_m2", "places", "region_codes", "park_ids", "height_m",
    "load_t_m2", "power_kva", "crane_t", "eia_ok", "independent_yard", "price_value", "price_unit",
    "price_negotiable", "price_yuan_m2_month", "price_wan_per_mu", "price_wan_total",
    "industry_codes", "timing",
]  # fmt: skip


@pytest.fixture(autouse=True)
def fresh_resolver(db):
    reset_default_resolver()
    yield
    reset_default_resolver()


def run(monkeypatch, text: str, *args: str) -> list[dict]:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    out = io.StringIO()
    call_command("parse_text", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_each_line_gives_an_object_with_exactly_the_issue_keys(monkeypatch):
    rows = run(monkeypatch, "求租厂房5000平\n", "--as", "need")

    assert list(rows[0]) == KEYS


def test_a_need_deal_is_written_in_chinese(monkeypatch):
    assert run(monkeypatch, "求租厂房\n求购厂房\n先租后买\n", "--as", "need")[0]["deal"] == "租"


def test_need_deal_labels(monkeypatch):
    rows = run(monkeypatch, "求租厂房\n求购厂房\n想先租后买\n", "--as", "need")

    assert [row["deal"] for row in rows] == ["租", "购", "先租后买"]


def test_ad_deal_labels(monkeypatch):
    rows = run(monkeypatch, "厂房出租\n厂房出售\n先租后买\n", "--as", "ad")

    assert [row["deal"] for row in rows] == ["出租", "出售", "先租后买"]


def test_what_the_text_does_not_say_is_null(monkeypatch):
    row = run(monkeypatch, "厂房出租\n", "--as", "ad")[0]

    assert [key for key, value in row.items() if value is not None] == ["kind", "deal"]


def test_numbers_come_out_as_json_numbers(monkeypatch):
    row = run(monkeypatch, "仓库出租 2000平 0.5元/平/天\n", "--as", "ad")[0]

    assert (row["area_min_m2"], row["price_yuan_m2_month"]) == (2000.0, 15.0)


def test_places_resolve_against_the_database(monkeypatch):
    park = make_park(name="徐州高新技术产业开发区", short_name="徐州高新区", region=make_region())

    row = run(monkeypatch, "铜山区或高新区的厂房\n", "--as", "need")[0]

    assert (row["places"], row["region_codes"], row["park_ids"]) == (
        ["铜山区", "高新区"], ["320312"], [park.pk],
    )  # fmt: skip


def test_an_empty_line_keeps_the_lines_aligned(monkeypatch):
    rows = run(monkeypatch, "求租厂房\n\n求购土地\n", "--as", "need")

    assert [row["kind"] for row in rows] == ["factory", None, "land"]


def test_today_sets_the_date_relative_timing_counts_from(monkeypatch):
    row = run(monkeypatch, "年底前要厂房\n", "--as", "need", "--today", "2026-11-01")[0]

    assert row["timing"] == "1-3m"


def test_a_malformed_today_is_refused(monkeypatch):
    with pytest.raises(CommandError):
        run(monkeypatch, "厂房\n", "--as", "need", "--today", "next week")
