"""English names of parks and regions on the English pages (core/data/english_names.csv)."""

import csv

import pytest

from yuanqu.core.names import ENGLISH_NAMES_PATH, english_names
from yuanqu.core.reference import DEFAULT_PARKS_PATH, DEFAULT_REGIONS_PATH
from yuanqu.parks.tests.factories import make_park, make_region

pytestmark = pytest.mark.django_db


def rows(path):
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def test_the_english_page_names_the_park_and_its_county_in_english(client):
    make_park(name="徐州经济技术开发区", slug="xuzhou-jingkaiqu", region=make_region())

    html = client.get("/en/parks/xuzhou-jingkaiqu/").content.decode()

    assert "<h1>Xuzhou Economic and Technological Development Zone</h1>" in html
    assert "Tongshan District" in html


def test_the_chinese_page_keeps_the_chinese_names(client):
    make_park(name="徐州经济技术开发区", slug="xuzhou-jingkaiqu", region=make_region())

    html = client.get("/parks/xuzhou-jingkaiqu/").content.decode()

    assert "<h1>徐州经济技术开发区</h1>" in html and "Tongshan" not in html


def test_a_park_the_table_does_not_hold_keeps_its_chinese_name_in_english(client):
    park = make_park(name="新建测试园区", slug="new-test-park")

    assert "<h1>新建测试园区</h1>" in client.get(f"/en{park.get_absolute_url()}").content.decode()


def test_every_reference_park_and_xuzhou_region_has_an_english_name():
    names = english_names()
    parks = {row["slug"] for row in rows(DEFAULT_PARKS_PATH)}
    xuzhou = {
        row["code"]
        for row in rows(DEFAULT_REGIONS_PATH)
        if row["code"].startswith("3203") and row["level"] != "township"
    }

    assert parks <= {key for kind, key in names if kind == "park"}
    assert xuzhou <= {key for kind, key in names if kind == "region"}


def test_the_table_names_each_row_as_the_reference_data_does():
    parks = {row["slug"]: row["name"] for row in rows(DEFAULT_PARKS_PATH)}
    regions = {row["code"]: row["name"] for row in rows(DEFAULT_REGIONS_PATH)}

    for row in rows(ENGLISH_NAMES_PATH):
        expected = parks if row["kind"] == "park" else regions
        assert expected[row["key"]] == row["name"], row
