import os

import pytest
from django.core.cache import caches
from django.test import override_settings

from config.env import cache_from_redis_url


@pytest.mark.django_db
def test_healthz_reports_database_and_cache(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


@pytest.mark.django_db
def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_healthz_reports_an_unreachable_cache_with_503(client):
    broken = cache_from_redis_url("redis://127.0.0.1:1/0")
    broken["OPTIONS"] = {"socket_connect_timeout": 0.2}
    with override_settings(CACHES={"default": broken}):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "error"}


@pytest.mark.django_db
@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="make test sets TEST_REDIS_URL")
def test_healthz_passes_on_a_real_redis_cache(client):
    with override_settings(CACHES={"default": cache_from_redis_url(os.environ["TEST_REDIS_URL"])}):
        caches["default"].set("probe", "value")
        response = client.get("/healthz")
        stored = caches["default"].get("probe")

    assert response.json()["checks"]["cache"] == "ok"
    assert stored == "value"
