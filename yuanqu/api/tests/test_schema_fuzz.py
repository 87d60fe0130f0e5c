"""schemathesis against the live OpenAPI schema: generated requests (valid and invalid) to
every read endpoint and the need endpoints, each answer checked for no server error, a
status the schema declares and a body that matches it. Bounded and derandomised, so the run
is the same each time and takes about a minute."""

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from yuanqu.api.tokens import token_create
from yuanqu.enterprises.tests.factories import make_enterprise
from yuanqu.indicators.tests.factories import make_value
from yuanqu.listings.tests.factories import make_carrier
from yuanqu.news.tests.factories import make_article
from yuanqu.parks.tests.factories import make_park

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
# Every read, and the two need endpoints (the other writes are covered by contract tests:
# generated bodies would only exercise their refusals).
FUZZED = schema.include(method="GET").include(path_regex=r"^/api/v1/needs")  # either


@pytest.fixture
def _connection_kept():
    """Like Django's test client: the WSGI handler's end-of-request signal would close the
    connection that holds the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def data(db, settings, investment_officer, park_a, _connection_kept):
    settings.API_ANON_RATE = "100000/m"
    settings.LEAD_RATE_LIMITS = {}
    cache.clear()
    make_article(title="徐州经开区新建标准厂房")
    make_park(slug="xuzhou-etdz")  # the slug of the schema's example
    make_carrier(park=park_a)
    make_enterprise(park=park_a)
    make_value(park=park_a, code="industrial_output", year=2026, month=3, value="12.5")
    _token, raw = token_create(user=investment_officer, name="fuzz", scope="read", days=1)
    return {"Authorization": f"Bearer {raw}"}


@FUZZED.parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_its_schema_says(case, data):
    case.call_and_validate(headers=data, checks=CHECKS)
