"""Related articles: what links two articles besides their words (issue 15) — place names kept
out of the text, parks named in it, industrial-chain links found by their keywords, and the
bonuses they add in both ranking paths."""

import pytest

from yuanqu.chains.tests.factories import make_chain, make_link
from yuanqu.core.text import fold, place_names, segment_for_index, segment_for_index_by_token
from yuanqu.news.models import RelatedArticle
from yuanqu.news.related import (
    CHAIN_BONUS,
    LINK_BONUS,
    MAX_BONUS,
    Doc,
    LinkVocabulary,
    _published_docs,
    article_terms,
    link_bonus,
    link_vocabulary,
    make_doc,
    park_key,
    parks_named,
    rank_all,
    related_recompute_all,
    related_refresh_for_article,
    term_counts,
)
from yuanqu.news.tests.factories import make_article
from yuanqu.parks.tests.factories import make_park

JINGKAI = fold("徐州经济技术开发区")
MACHINERY = LinkVocabulary(
    [
        ("machinery", "挖掘机械", ["挖掘机", "挖机"]),
        ("machinery", "铲土运输机械", ["装载机"]),
        ("pharma", "化学药制剂", ["创新药", "合成"]),
        ("logistics", "港口物流", ["集装箱", "航线"]),
    ]
)


def doc(doc_id, title, **fields):
    return make_doc(doc_id, title, "", vocabulary=MACHINERY, **fields)


# --- place names (yuanqu.core.text.place_names) -------------------------------------------


def test_place_names_hold_a_county_with_and_without_its_suffix():
    assert {"铜山区", "铜山", "徐州市", "徐州"} <= place_names()


def test_place_names_hold_every_name_of_a_park_and_the_generic_zone_words():
    assert {"徐州经开区", JINGKAI, "经开区", "经济技术开发区", "高新区"} <= place_names()


def test_place_names_keep_bare_township_stems_out():
    assert "运河街道" in place_names()
    assert "运河" not in place_names()


def test_place_names_leave_out_abbreviations_that_are_not_zones():
    assert "高企" not in place_names()


def test_index_terms_by_token_are_the_index_terms_grouped():
    text = "徐州经开区集成电路封装项目开工"

    groups = segment_for_index_by_token(text)

    assert [term for _, terms in groups for term in terms] == segment_for_index(text)
    assert ("徐州经开区", groups[0][1]) == groups[0] and JINGKAI in groups[0][1]


# --- terms ---------------------------------------------------------------------------------


def test_place_names_are_not_counted_as_words():
    counts = term_counts("徐州经开区集成电路项目开工", "铜山区的企业")

    assert {"徐州", "经开区", "经济技术开发区", JINGKAI, "铜山"}.isdisjoint(counts)
    assert counts["集成电路"] == 2


def test_the_place_names_of_an_article_are_kept_apart():
    terms = article_terms("徐州经开区集成电路项目开工", "")

    assert "徐州经开区" in terms.places


# --- parks ---------------------------------------------------------------------------------


def test_a_park_is_found_by_its_short_name():
    assert parks_named(article_terms("徐州经开区项目开工", "").places) == {JINGKAI}


def test_a_generic_zone_word_names_no_park():
    assert parks_named(article_terms("经开区项目开工", "").places) == frozenset()


def test_a_park_row_and_a_mention_of_it_have_the_same_key():
    assert park_key("徐州经济技术开发区") == JINGKAI
    assert park_key("徐州經濟技術開發區") == JINGKAI


@pytest.mark.django_db
def test_a_parks_field_and_a_mention_in_the_text_link_to_the_same_park():
    park = make_park(name="徐州经济技术开发区", short_name="徐州经开区")
    tagged = make_article(title="挖掘机下线", body="<p>挖掘机下线。</p>")
    tagged.parks.add(park)
    named = make_article(title="徐州经开区挖掘机下线", body="<p>挖掘机下线。</p>")

    docs = {item.id: item for item in _published_docs(vocabulary=LinkVocabulary())}

    assert docs[tagged.pk].parks == docs[named.pk].parks == {JINGKAI}


# --- chain links -----------------------------------------------------------------------------


def test_a_keyword_places_a_text_in_its_link_and_chain():
    terms = article_terms("液压挖掘机批量交付", "")

    assert MACHINERY.match(terms.counts, terms.text) == ({"machinery/挖掘机械"}, {"machinery"})


def test_a_text_without_keywords_is_in_no_link():
    terms = article_terms("果汁生产线投产", "")

    assert MACHINERY.match(terms.counts, terms.text) == (frozenset(), frozenset())


def test_a_multiword_keyword_needs_all_of_itself_in_the_text():
    with_keyword = article_terms("一款创新药获批", "")
    with_a_part = article_terms("创新平台揭牌", "")

    assert MACHINERY.match(with_keyword.counts, with_keyword.text)[0] == {"pharma/化学药制剂"}
    assert MACHINERY.match(with_a_part.counts, with_a_part.text)[0] == frozenset()


def test_a_keyword_straddling_two_words_is_not_found():
    terms = article_terms("综合成本下降", "")  # 合成 sits across 综合 | 成本

    assert MACHINERY.match(terms.counts, terms.text)[0] == frozenset()


def test_a_link_name_is_not_a_keyword():
    terms = article_terms("挖掘机械", "")  # the link's name, none of its keywords

    assert MACHINERY.match(terms.counts, terms.text)[0] == frozenset()


@pytest.mark.django_db
def test_the_stored_chain_links_make_the_vocabulary():
    make_link(make_chain(slug="machinery"), "挖掘机械", keywords="挖掘机;挖机")
    terms = article_terms("挖机出口增长", "")

    assert link_vocabulary().match(terms.counts, terms.text)[0] == {"machinery/挖掘机械"}


@pytest.mark.django_db
def test_an_edited_keyword_is_seen_at_once():
    link = make_link(make_chain(slug="machinery"), "挖掘机械", keywords="挖掘机")
    link_vocabulary()
    link.keywords = "挖掘机;挖机"
    link.save()
    terms = article_terms("挖机出口增长", "")

    assert link_vocabulary().match(terms.counts, terms.text)[0] == {"machinery/挖掘机械"}


def test_a_document_gets_the_links_its_text_names():
    made = doc(1, "徐州经开区装载机出口", parks=["other-park"])

    assert made.links == {"machinery/铲土运输机械"}
    assert made.chains == {"machinery"}
    assert made.parks == {"other-park", JINGKAI}


# --- bonuses ---------------------------------------------------------------------------------


def test_a_shared_chain_adds_the_chain_bonus():
    left, right = doc(1, "挖掘机出口"), doc(2, "装载机出口")

    assert link_bonus(left, right) == pytest.approx(CHAIN_BONUS)


def test_the_main_chains_are_those_with_the_most_links():
    made = make_doc(1, "集装箱航线开通", "首航装载了挖掘机", vocabulary=MACHINERY)

    assert made.chains == {"logistics", "machinery"}
    assert made.main_chains == {"logistics"}


def test_a_link_the_title_names_counts_twice_for_the_main_chain():
    made = make_doc(1, "挖掘机出口增长", "企业还布局了创新药", vocabulary=MACHINERY)

    assert made.main_chains == {"machinery"}


def test_a_chain_shared_outside_the_main_chains_earns_no_chain_bonus():
    port = make_doc(1, "集装箱航线开通", "首航装载了挖掘机", vocabulary=MACHINERY)

    assert link_bonus(port, doc(2, "挖掘机出口")) == pytest.approx(LINK_BONUS)


def test_a_shared_link_adds_the_link_bonus_too():
    left, right = doc(1, "挖掘机出口"), doc(2, "挖机出口")

    assert link_bonus(left, right) == pytest.approx(CHAIN_BONUS + LINK_BONUS)


def test_the_link_bonus_is_capped():
    shared = frozenset({"a", "b", "c", "d", "e"})
    left = Doc(id=1, counts=term_counts("厂房", ""), parks=shared, links=shared)
    right = Doc(id=2, counts=term_counts("厂房", ""), parks=shared, links=shared)

    assert link_bonus(left, right) == pytest.approx(MAX_BONUS)


def test_a_shared_chain_without_a_shared_word_makes_no_relation():
    ranked, _ = rank_all([doc(1, "挖掘机"), doc(2, "装载机")])

    assert ranked[1] == []


def test_a_shared_chain_lifts_a_candidate_over_a_slightly_closer_text():
    docs = [doc(1, "挖掘机 出口 增长"), doc(2, "装载机 出口 增长"), doc(3, "果汁 出口 增长")]

    ranked, _ = rank_all(docs)

    assert [other for other, _ in ranked[1]] == [2, 3]  # text alone puts 3 first


@pytest.mark.django_db
def test_both_paths_rank_a_chain_neighbour_above_an_equally_similar_article():
    chain = make_chain(slug="machinery")
    make_link(chain, "挖掘机械", keywords="挖掘机")
    make_link(chain, "铲土运输机械", keywords="装载机")
    body = "<p>海外市场出口订单增长。</p>"
    make_article(title="纺织品内销", body="<p>国内市场销量增长。</p>")
    loader = make_article(title="装载机出口订单增长", body=body)
    juice = make_article(title="果汁出口订单增长", body=body)  # newer: first on a tie
    excavator = make_article(title="挖掘机出口订单增长", body=body)

    related_recompute_all()
    stored = list(
        RelatedArticle.objects.filter(article=excavator)
        .order_by("position")
        .values_list("related_id", flat=True)
    )
    refreshed = [other for other, _ in related_refresh_for_article(article_id=excavator.pk)]

    assert stored[:2] == refreshed[:2] == [loader.pk, juice.pk]
