"""Industries and regions through the API."""

import pytest

from yuanqu.parks.tests.factories import make_industry, make_region

pytestmark = pytest.mark.django_db


def test_an_industry_is_found_by_its_trade_word(api):
    make_industry("3514", "建筑工程用机械制造")
    _status, body = api.get("/industries/search", q="挖掘机")
    assert body[0]["code"] == "3514" and body[0]["matched_by"] == "synonym:挖掘机"


def test_an_empty_industry_search_is_refused(api):
    status, body = api.get("/industries/search", q="")
    assert status == 400 and "q" in body["error"]["fields"]


def test_the_industry_tree_one_level_at_a_time(api):
    make_industry("3514", "建筑工程用机械制造")
    _status, top = api.get("/industries")
    assert [(n["code"], n["has_children"]) for n in top] == [("C", True)]
    _status, below = api.get("/industries", parent="C")
    assert [n["code"] for n in below] == ["35"]


def test_the_region_tree(api):
    make_region(code="320312", name="铜山区")
    _status, cities = api.get("/regions", parent="320300")
    assert cities == [{"code": "320312", "name": "铜山区", "level": "county",
                       "parent_code": "320300", "has_children": False}]  # fmt: skip
