"""The shared search engine: same behaviour on SQLite FTS5 and PostgreSQL tsvector."""

from datetime import UTC, date, datetime, timedelta

import pytest

from yuanqu.core import search

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def put(object_id, title, body="", *, days_ago=0, category="", kind="article"):
    search.index_document(
        kind=kind,
        object_id=object_id,
        title=title,
        body=body,
        published_at=NOW - timedelta(days=days_ago),
        category=category,
    )


def ids(query, **options):
    return search.search(kind="article", query=query, **options).object_ids


def test_an_indexed_document_is_found_by_a_word_of_its_body():
    put(1, "园区动态", "徐州经开区新建集成电路封装厂房")

    assert ids("集成电路") == [1]


def test_updating_a_document_replaces_its_old_words():
    put(1, "园区动态", "集成电路项目")

    put(1, "园区动态", "生物医药项目")

    assert ids("集成电路") == []
    assert ids("生物医药") == [1]


def test_removing_a_document_takes_it_out_of_the_index():
    put(1, "集成电路", "项目")

    search.remove_document(kind="article", object_id=1)

    assert ids("集成电路") == []
    assert search.indexed_ids(kind="article") == set()


def test_kinds_are_searched_separately():
    put(1, "经开区标准厂房", kind="article")
    put(2, "经开区标准厂房", kind="carrier")

    assert search.search(kind="carrier", query="标准厂房").object_ids == [2]


def test_title_hits_rank_above_body_hits_even_when_older():
    put(1, "新能源汽车零部件", "产业链", days_ago=30)
    put(2, "园区要闻", "新能源汽车零部件项目签约", days_ago=1)

    assert ids("新能源汽车") == [1, 2]


def test_within_the_same_tier_newer_documents_come_first():
    put(1, "光伏组件项目签约", days_ago=10)
    put(2, "光伏组件项目开工", days_ago=2)

    assert ids("光伏组件") == [2, 1]


def test_all_query_words_must_match():
    put(1, "工程机械", "配套企业")
    put(2, "工程机械", "外资企业")

    assert ids("工程机械 外资") == [2]


def test_a_quoted_phrase_matches_only_the_exact_wording():
    put(1, "新闻", "标准厂房出租")
    put(2, "新闻", "厂房标准很高,出租中")

    assert ids('"标准厂房"') == [1]


def test_traditional_characters_find_simplified_text_and_back():
    put(1, "徐州经济开发区", "集成电路产业")
    put(2, "徐州經濟開發區", "積體電路產業")

    assert sorted(ids("經濟開發區")) == [1, 2]
    assert sorted(ids("经济开发区")) == [1, 2]


@pytest.mark.parametrize(
    "query",
    ["", "   ", "x" * 500, "!!!,。?", '" OR 1=1 --', "NEAR(厂房", "厂房*", "AND OR NOT", "title:厂房",
     "'; DROP TABLE search_document; --", "{title}: 厂房", "\\", "厂房\x00"],
)  # fmt: skip
def test_hostile_queries_never_raise(query):
    put(1, "厂房出租", "标准厂房")

    results = search.search(kind="article", query=query)

    assert results.total >= 0


def test_fts_operators_in_user_input_are_plain_words():
    put(1, "厂房 and 土地", "near 仓库")
    put(2, "厂房", "仓库")

    assert ids("厂房 AND") == [1]


def test_a_very_long_query_is_cut_to_200_characters():
    parsed = search.parse_query("厂房" * 300)

    assert len(parsed.terms) <= search.MAX_TERMS


def test_category_filter_keeps_only_that_category():
    put(1, "厂房", category="7")
    put(2, "厂房", category="8")

    assert ids("厂房", category="8") == [2]


def test_date_filter_keeps_only_documents_in_the_range():
    put(1, "厂房", days_ago=40)
    put(2, "厂房", days_ago=5)

    assert ids("厂房", date_from=(NOW - timedelta(days=10)).date()) == [2]
    assert ids("厂房", date_to=date(2026, 5, 1)) == [1]


def test_documents_not_yet_visible_are_hidden():
    put(1, "厂房", days_ago=-3)  # scheduled three days ahead
    put(2, "厂房", days_ago=1)

    assert ids("厂房", visible_at=NOW) == [2]


def test_results_are_paginated():
    for number in range(1, 26):
        put(number, f"厂房{number}", days_ago=number)

    second = search.search(kind="article", query="厂房", page=2, per_page=10)

    assert second.total == 25
    assert second.num_pages == 3
    assert second.object_ids == list(range(11, 21))


def test_a_page_past_the_end_shows_the_last_page():
    put(1, "厂房")

    results = search.search(kind="article", query="厂房", page=99)

    assert results.page == 1
    assert results.object_ids == [1]


def test_very_common_words_rank_only_the_capped_recent_hits():
    for number in range(1, 31):
        put(number, "厂房", days_ago=number)

    results = search.search(kind="article", query="厂房", cap=10)

    assert results.truncated is True
    assert results.total == 10


def test_snippets_escape_html_and_mark_the_terms():
    put(1, "园区", "<script>alert(1)</script> 集成电路项目")

    hit = search.search(kind="article", query="集成电路").hits[0]

    assert "<script>" not in hit.snippet_html
    assert "&lt;script&gt;" in hit.snippet_html
    assert "<mark>集成电路</mark>" in hit.snippet_html


def test_snippets_mark_terms_in_traditional_text():
    put(1, "園區", "積體電路項目")

    hit = search.search(kind="article", query="积体电路").hits[0]

    assert "<mark>" in hit.snippet_html


def test_matching_ids_lists_every_match_best_first():
    put(1, "仓库", "厂房", days_ago=3)
    put(2, "厂房", days_ago=5)

    assert search.matching_ids(kind="article", query="厂房") == [2, 1]


def test_matching_ids_of_an_empty_query_is_empty():
    put(1, "厂房")

    assert search.matching_ids(kind="article", query="  ,,, ") == []


def test_ids_with_term_returns_most_recently_indexed_first():
    put(1, "厂房")
    put(2, "厂房")

    assert search.ids_with_term(kind="article", term="厂房", limit=5) == [2, 1]


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        search.search(kind="nope", query="厂房")
