import pytest

from yuanqu.news.models import RelatedArticle, TermStatistic
from yuanqu.news.related import (
    Doc,
    rank_all,
    related_recompute_all,
    related_refresh_for_article,
    term_counts,
)
from yuanqu.news.tests.factories import make_article, make_category
from yuanqu.parks.tests.factories import make_park

pytestmark = pytest.mark.django_db

STORY = (
    "徐州经开区集成电路封装项目开工",
    "<p>晶圆封装测试项目在经开区开工建设,总投资二十亿元,建成后年封装芯片十亿颗,带动上下游配套企业集聚。</p>",
)
REWORDED = (
    "经开区芯片封装测试项目正式开工",
    "<p>总投资二十亿元的晶圆封装测试项目开工,达产后每年可封装芯片十亿颗,将吸引配套企业在经开区集聚。</p>",
)
TRADITIONAL = (
    "徐州經開區積體電路封裝項目開工",
    "<p>晶圓封裝測試項目在經開區開工建設,總投資二十億元,建成後年封裝晶片十億顆,帶動上下游配套企業集聚。</p>",
)
OTHERS = [
    ("丰县食品加工园新增果汁生产线", "<p>果汁生产线投产,年加工苹果五万吨,带动果农增收。</p>"),
    ("睢宁纺织服装企业拓展海外市场", "<p>纺织服装企业参加展会,获得海外订单,出口额同比增长。</p>"),
    ("沛县太阳能电池项目签约", "<p>太阳能电池项目签约落户,规划产能五吉瓦,主要生产高效电池片。</p>"),
    (
        "高新区安全应急产业博览会开幕",
        "<p>安全应急装备博览会开幕,展出救援机器人和应急通信设备。</p>",
    ),
]


def make_story(title_body, **fields):
    title, body = title_body
    return make_article(title=title, body=body, **fields)


def corpus():
    for item in OTHERS:
        make_story(item)
    return make_story(STORY), make_story(REWORDED), make_story(TRADITIONAL)


def test_term_counts_weigh_title_words_above_body_words():
    counts = term_counts("集成电路", "集成电路 产业")

    assert counts["集成电路"] == 3
    assert "的" not in counts


def test_a_reworded_story_ranks_first_among_related():
    story, reworded, traditional = corpus()

    related_recompute_all()

    first = RelatedArticle.objects.filter(article=reworded).order_by("position").first()
    assert first is not None
    assert first.related_id in {story.pk, traditional.pk}


def test_the_same_story_in_traditional_characters_ranks_first():
    story, reworded, traditional = corpus()

    related_recompute_all()

    first = RelatedArticle.objects.filter(article=traditional).order_by("position").first()
    assert first is not None
    assert first.related_id == story.pk


def test_unrelated_articles_are_not_linked():
    story, _, _ = corpus()

    related_recompute_all()

    titles = {link.related.title for link in RelatedArticle.objects.filter(article=story)}
    assert "丰县食品加工园新增果汁生产线" not in titles


def test_drafts_are_never_related():
    story, _, _ = corpus()
    draft = make_story(REWORDED, status="draft")

    related_recompute_all()

    assert not RelatedArticle.objects.filter(related=draft).exists()


def test_the_full_recompute_stores_document_frequencies():
    corpus()

    related_recompute_all()

    assert TermStatistic.objects.filter(term="封装").exists()


def test_shared_parks_break_a_tie_between_equally_similar_texts():
    park = make_park()
    docs = [
        Doc(id=1, counts=term_counts("厂房 交付", "")),
        Doc(id=2, counts=term_counts("厂房 交付", "")),
        Doc(id=3, counts=term_counts("厂房 交付", ""), parks=frozenset({park.pk})),
        Doc(id=4, counts=term_counts("果汁 生产线", "")),
    ]
    docs[0] = Doc(id=1, counts=docs[0].counts, parks=frozenset({park.pk}))

    ranked, _ = rank_all(docs)

    assert ranked[1][0][0] == 3


def test_links_alone_never_make_an_article_related():
    category = make_category()
    docs = [
        Doc(id=1, counts=term_counts("厂房 交付", ""), category_id=category.pk),
        Doc(id=2, counts=term_counts("果汁 生产线", ""), category_id=category.pk),
    ]

    ranked, _ = rank_all(docs)

    assert ranked[1] == []


def test_refreshing_one_article_uses_the_index_and_stored_frequencies():
    story, reworded, traditional = corpus()
    related_recompute_all()
    newcomer = make_story(
        ("经开区封装测试项目投产", "<p>晶圆封装测试项目投产,年封装芯片十亿颗。</p>")
    )

    best = related_refresh_for_article(article_id=newcomer.pk)

    assert {story.pk, reworded.pk, traditional.pk} & {other_id for other_id, _ in best[:3]}
    assert RelatedArticle.objects.filter(article=newcomer).count() == len(best)


def test_refreshing_a_draft_clears_its_related_list():
    story, reworded, _ = corpus()
    related_recompute_all()
    story.status = "draft"
    story.save()

    assert related_refresh_for_article(article_id=story.pk) == []
    assert not RelatedArticle.objects.filter(article=story).exists()


def test_the_refresh_task_runs_the_refresh(django_capture_on_commit_callbacks):
    from yuanqu.news.tasks import refresh_related_articles

    story, reworded, _ = corpus()
    related_recompute_all()

    count = refresh_related_articles.call(story.pk)

    assert count == RelatedArticle.objects.filter(article=story).count()
