"""With Redis down the site serves from the database and says so in the log once."""

import logging

import pytest
from django.core.cache import caches
from django.test import override_settings

from config.env import cache_from_redis_url
from yuanqu.core import cache as resilient
from yuanqu.news.tests.factories import make_article

pytestmark = pytest.mark.django_db

DOWN = cache_from_redis_url("redis://127.0.0.1:1/0")  # nothing listens on port 1


@pytest.fixture
def redis_down(monkeypatch):
    monkeypatch.setattr(resilient, "_last_warning", [0.0])
    with override_settings(CACHES={"default": DOWN}):
        yield caches["default"]


def test_reads_answer_not_cached_and_writes_are_dropped(redis_down):
    redis_down.set("key", "value")
    assert redis_down.get("key", "fallback") == "fallback"
    assert redis_down.add("key", "value") is False and redis_down.get_many(["key"]) == {}
    with pytest.raises(ValueError):
        redis_down.incr("counter")


def test_pages_still_serve_and_the_log_says_why(client, redis_down, caplog):
    article = make_article(title="缓存停了也能看")
    with caplog.at_level(logging.WARNING, logger="yuanqu.cache"):
        assert client.get("/").status_code == 200
        assert client.get(article.get_absolute_url()).status_code == 200
        assert client.get("/carriers/").status_code == 200
    warnings = [r for r in caplog.records if r.name == "yuanqu.cache"]
    assert len(warnings) == 1 and "Redis unavailable" in warnings[0].getMessage()
