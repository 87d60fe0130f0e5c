import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and cached category lists must not leak between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api(client):
    """GET/POST helpers that answer (status, parsed JSON)."""

    class Api:
        def get(self, path, **params):
            response = client.get("/api/v1" + path, params)
            return response.status_code, response.json()

        def post(self, path, body, **headers):
            import json

            response = client.post(
                "/api/v1" + path,
                body if isinstance(body, str) else json.dumps(body),
                content_type="application/json",
                **headers,
            )
            return response.status_code, response.json()

    return Api()
