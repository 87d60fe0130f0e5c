"""Chinese at /, English under /en/: the switch, the alternates and the staff side."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def park():
    from yuanqu.parks.tests.factories import make_park

    cache.clear()
    return make_park(name="徐州经济技术开发区", slug="xuzhou-jingkaiqu")


def test_the_chinese_page_stays_at_its_unprefixed_url_in_chinese(client, park):
    html = client.get("/parks/xuzhou-jingkaiqu/").content.decode()

    assert '<html lang="zh-CN">' in html


def test_the_english_page_is_under_en_in_english(client, park):
    html = client.get("/en/parks/xuzhou-jingkaiqu/").content.decode()

    assert '<html lang="en">' in html
    assert 'href="/en/carriers/"' in html  # the navigation stays in English


def test_the_language_switch_leads_to_the_same_page_in_the_other_language(client, park):
    html = client.get("/parks/xuzhou-jingkaiqu/?tab=1").content.decode()

    switch = re.search(r'<nav class="container lang-switch".*?</nav>', html, re.S)
    assert switch is not None
    assert 'href="/en/parks/xuzhou-jingkaiqu/?tab=1"' in switch.group(0)


def test_a_page_names_both_languages_and_the_default_as_alternates(client, park, settings):
    settings.SITE_URL = "https://yuanqu.example.cn"

    html = client.get("/en/parks/xuzhou-jingkaiqu/").content.decode()

    for hreflang, path in (
        ("zh-Hans", "/parks/xuzhou-jingkaiqu/"),
        ("en", "/en/parks/xuzhou-jingkaiqu/"),
        ("x-default", "/parks/xuzhou-jingkaiqu/"),
    ):
        assert f'hreflang="{hreflang}" href="https://yuanqu.example.cn{path}"' in html


def test_an_english_article_page_says_it_is_chinese_and_points_to_the_chinese_page(
    client, settings
):
    from django.utils import translation

    from yuanqu.news.tests.factories import make_article

    settings.SITE_URL = "https://yuanqu.example.cn"
    settings.NEWS_PAGE_CACHE = False
    cache.clear()
    article = make_article(title="经开区新建标准厂房")
    with translation.override("en"):
        english_path = article.get_absolute_url()
    with translation.override("zh-hans"):
        chinese_path = article.get_absolute_url()

    html = client.get(english_path).content.decode()

    assert "This article is available in Chinese only." in html
    assert f'<link rel="canonical" href="https://yuanqu.example.cn{chinese_path}">' in html
    assert 'rel="alternate" hreflang=' not in html


def test_the_staff_side_has_one_language_and_no_switch(client, django_user_model):
    user = django_user_model.objects.create_user("officer", password="x", is_staff=True)
    client.force_login(user)

    html = client.get("/accounts/login/").content.decode()

    assert "lang-switch" not in html and "hreflang" not in html
    assert client.get("/en/workbench/").status_code == 404


def test_the_sitemap_lists_park_pages_in_both_languages_with_alternates(client, park):
    xml = client.get("/sitemap.xml").content.decode()

    assert re.search(r"<loc>[^<]*/en/parks/xuzhou-jingkaiqu/</loc>", xml)
    assert re.search(r"<loc>[^<]*[^n]/parks/xuzhou-jingkaiqu/</loc>", xml)
    assert 'hreflang="x-default"' in xml


def test_the_sitemap_lists_articles_in_chinese_only(client):
    from yuanqu.news.tests.factories import make_article

    make_article(title="经开区新建标准厂房")

    xml = client.get("/sitemap.xml").content.decode()

    assert re.search(r"<loc>[^<]*/news/\d+/", xml)
    assert not re.search(r"<loc>[^<]*/en/news/\d+/", xml)


def test_english_amounts_are_in_cny_millions():
    from django.utils import translation

    from yuanqu.core.units import format_money_cn

    with translation.override("en"):
        assert (format_money_cn(3200), format_money_cn(15000), format_money_cn(50)) == (
            "CNY 32m",
            "CNY 150m",
            "CNY 500k",
        )
    assert format_money_cn(3200) == "3,200万元"


def test_a_page_outside_the_public_site_has_no_language_versions():
    from yuanqu.core.languages import language_versions

    assert language_versions("/workbench/leads/", "workbench") == []


def test_an_english_path_maps_back_to_its_unprefixed_chinese_path():
    from django.utils import translation

    from yuanqu.core.languages import language_versions

    with translation.override("en"):
        versions = language_versions("/en/carriers/?kind=factory", "listings")

    assert [(v.code, v.path, v.current) for v in versions] == [
        ("zh-hans", "/carriers/?kind=factory", False),
        ("en", "/en/carriers/?kind=factory", True),
    ]
