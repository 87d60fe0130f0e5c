import pytest

from yuanqu.listings.tests.factories import make_carrier
from yuanqu.parks.selectors import park_available_carriers, park_latest_articles

pytestmark = pytest.mark.django_db


def test_available_carriers_are_the_public_ones_freshest_first(park_a):
    older = make_carrier(park=park_a, confirmed_days_ago=10)
    newer = make_carrier(park=park_a, confirmed_days_ago=1)
    make_carrier(park=park_a, confirmed_days_ago=300)

    carriers, total = park_available_carriers(park=park_a)

    assert carriers == [newer, older] and total == 2


def test_latest_articles_are_the_published_news_linked_to_the_park(park_a):
    from django.utils import timezone

    from yuanqu.news.models import Article, Category

    category = Category.objects.create(name="园区动态", slug="park-news")
    published = Article.objects.create(
        title="甲园区签约",
        slug="a1",
        category=category,
        status=Article.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    draft = Article.objects.create(title="草稿", slug="a2", category=category)
    published.parks.add(park_a)
    draft.parks.add(park_a)

    assert park_latest_articles(park=park_a) == [published]
