"""The GB/T 4754 picker's search: codes, official names and the curated trade words."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from yuanqu.matching.synonyms import industry_search, synonyms
from yuanqu.parks.tests.factories import make_industry

REFERENCE_FILE = Path(__file__).resolve().parents[2] / "core" / "data" / "gbt4754_2017.csv"


@pytest.fixture
def industries(db):
    for code, name in [
        ("3514", "建筑工程用机械制造"),
        ("3511", "矿山机械制造"),
        ("3985", "电子专用材料制造"),
        ("3841", "锂离子电池制造"),
        ("3843", "铅蓄电池制造"),
        ("3825", "光伏设备及元器件制造"),
        ("2659", "其他合成材料制造"),
    ]:
        make_industry(code, name)


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("挖掘机", "3514"),
        ("装载机", "3514"),
        ("光刻胶", "3985"),
        ("锂电池", "3841"),
        ("光伏组件", "3825"),
    ],
)
def test_a_trade_word_finds_its_class_first(industries, query, code):
    assert industry_search(query)[0][0] == code


def test_the_hit_says_which_trade_word_matched(industries):
    assert industry_search("挖掘机")[0] == ("3514", "建筑工程用机械制造", "synonym:挖掘机")


def test_a_trade_word_inside_a_longer_query_is_found(industries):
    assert industry_search("挖掘机配件厂")[0][0] == "3514"


def test_traditional_characters_find_the_same_class(industries):
    assert industry_search("鋰電池")[0][0] == "3841"


def test_an_exact_code_comes_first(industries):
    assert industry_search("3514")[0] == ("3514", "建筑工程用机械制造", "code")


def test_a_code_prefix_lists_the_code_then_the_classes_under_it(industries):
    codes = [code for code, _, _ in industry_search("351")]

    assert codes[:3] == ["351", "3511", "3514"]


def test_part_of_an_official_name_is_found(industries):
    assert ("3511", "矿山机械制造", "name") in industry_search("机械制造")


def test_a_word_spanning_several_classes_offers_each_of_them(industries):
    codes = {code for code, _, _ in industry_search("新材料")}

    assert {"3985", "2659"} <= codes


def test_the_limit_caps_the_hits(industries):
    assert len(industry_search("制造", limit=2)) == 2


def test_an_empty_query_finds_nothing(industries):
    assert industry_search("  ") == []


def test_a_search_takes_one_query(industries, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        industry_search("锂电池")


def test_the_table_has_at_least_sixty_trade_words():
    assert len(synonyms()) >= 60


def test_every_code_in_the_table_exists_in_gbt4754():
    with REFERENCE_FILE.open(encoding="utf-8") as handle:
        known = {
            row["code"]
            for row in csv.DictReader(line for line in handle if not line.startswith("#"))
        }

    assert [code for _, code, _ in synonyms() if code not in known] == []
