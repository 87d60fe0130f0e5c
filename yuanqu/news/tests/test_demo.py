import io

import pytest

from yuanqu.news.demo import load_demo
from yuanqu.news.models import Article, Category

pytestmark = pytest.mark.django_db


def test_demo_loads_at_least_forty_sample_articles_in_four_categories():
    load_demo(stdout=io.StringIO())

    assert Article.objects.filter(is_sample=True).count() >= 40
    assert set(Category.objects.values_list("name", flat=True)) >= {
        "徐州产业信息", "园区动态", "招商政策", "项目建设",
    }  # fmt: skip


def test_every_demo_article_keeps_its_source_url_and_date():
    load_demo(stdout=io.StringIO())

    assert not Article.objects.filter(source_url="").exists()
    assert not Article.objects.filter(published_at__isnull=True).exists()


def test_loading_the_demo_twice_creates_nothing_new():
    load_demo(stdout=io.StringIO())
    count = Article.objects.count()

    load_demo(stdout=io.StringIO())

    assert Article.objects.count() == count


def test_demo_articles_link_to_parks_that_exist():
    from yuanqu.parks.tests.factories import make_park

    park = make_park(name="徐州经济技术开发区")

    load_demo(stdout=io.StringIO())

    assert park.articles.count() >= 5
