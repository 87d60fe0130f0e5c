from io import StringIO

import pytest
from django.core.management import call_command

from yuanqu.core import search
from yuanqu.news.models import RelatedArticle
from yuanqu.news.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_rebuild_search_index_restores_a_cleared_index():
    article = make_article(title="标准厂房交付")
    search.clear_index(kind="article")

    call_command("rebuild_search_index", "--kind", "article", stdout=StringIO())

    assert search.indexed_ids(kind="article") == {article.pk}


def test_rebuild_search_index_leaves_drafts_out():
    make_article(title="草稿", status="draft")

    call_command("rebuild_search_index", "--kind", "article", stdout=StringIO())

    assert search.indexed_ids(kind="article") == set()


def test_recompute_related_stores_links_and_reports_the_count():
    first = make_article(title="集成电路封装项目开工", body="<p>封装测试项目开工建设。</p>")
    make_article(title="集成电路封装项目投产", body="<p>封装测试项目投产。</p>")
    out = StringIO()

    call_command("recompute_related", stdout=out)

    assert RelatedArticle.objects.filter(article=first).exists()
    assert out.getvalue().startswith("2 篇资讯")
