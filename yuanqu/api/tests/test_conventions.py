"""What every endpoint shares: the error shape in Chinese, cursors, ETags and 304s, the body
cap, the schema and its docs page, CORS and the rate limit."""

import pytest

from yuanqu.news.tests.factories import make_article, make_category

pytestmark = pytest.mark.django_db


def test_an_unknown_endpoint_answers_in_the_error_shape(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "no_such_endpoint"


def test_a_page_size_over_the_cap_is_refused_with_the_field(api):
    status, body = api.get("/articles", limit=1000)
    assert status == 400
    assert body["error"]["code"] == "invalid" and body["error"]["fields"] == {
        "limit": ["不能大于 100。"]
    }


def test_a_wrong_type_is_refused_in_chinese(api):
    status, body = api.get("/articles", limit="many")
    assert status == 400 and body["error"]["fields"]["limit"] == ["应为整数。"]


def test_a_forged_cursor_is_refused(api):
    status, body = api.get("/articles", cursor="eyJmb3JnZWQiOjF9:abc:def")
    assert status == 400 and body["error"]["code"] == "invalid_cursor"


def test_a_cursor_of_another_endpoint_is_refused(api):
    for number in range(3):
        make_article(title=f"资讯{number}")
    _status, first = api.get("/articles", limit=1)
    status, body = api.get("/parks", cursor=first["next_cursor"])
    assert status == 400 and body["error"]["code"] == "invalid_cursor"


def test_invalid_json_is_refused(api):
    status, body = api.post("/needs/parse", "{not json")
    assert status == 400 and body["error"]["code"] == "invalid_json"


def test_an_unknown_body_field_is_refused(api):
    status, body = api.post("/needs/parse", {"text": "租厂房", "admin": True})
    assert status == 400 and body["error"]["fields"] == {"admin": ["不认识的字段。"]}


def test_a_body_over_the_cap_is_refused_before_it_is_read(client, settings):
    settings.API_MAX_BODY_BYTES = 1024
    response = client.post("/api/v1/needs/parse", "x" * 2048, content_type="application/json")
    assert response.status_code == 413 and response.json()["error"]["code"] == "body_too_large"


def test_public_reads_carry_an_etag_and_answer_304(client):
    make_category(name="园区动态", slug="yuanqu-dongtai")
    first = client.get("/api/v1/categories")
    assert first["Cache-Control"] == "public, max-age=60"
    again = client.get("/api/v1/categories", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_a_detail_answers_304_since_its_last_change(client):
    article = make_article()
    first = client.get(f"/api/v1/articles/{article.pk}")
    again = client.get(
        f"/api/v1/articles/{article.pk}", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )
    assert again.status_code == 304


def test_chinese_is_sent_as_utf8_not_escaped(client):
    make_category(name="园区动态", slug="yuanqu-dongtai")
    assert "园区动态" in client.get("/api/v1/categories").content.decode()


def test_the_schema_is_openapi_3_and_lists_the_public_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/articles", "/api/v1/parks/{slug}", "/api/v1/carriers",
                 "/api/v1/industries/search", "/api/v1/regions", "/api/v1/needs/parse"):  # fmt: skip
        assert path in schema["paths"]


def test_the_docs_page_uses_vendored_files_under_the_csp(client):
    response = client.get("/api/docs", follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "script-src" in response["Content-Security-Policy"]


def test_no_cross_origin_reads_by_default(client):
    response = client.get("/api/v1/categories", HTTP_ORIGIN="https://mp.example.cn")
    assert "Access-Control-Allow-Origin" not in response


def test_an_allowed_origin_may_read(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://mp.example.cn"]
    response = client.get("/api/v1/categories", HTTP_ORIGIN="https://mp.example.cn")
    assert response["Access-Control-Allow-Origin"] == "https://mp.example.cn"


def test_too_many_requests_from_one_address_wait_with_retry_after(client, settings):
    settings.API_ANON_RATE = "2/m"
    for _ in range(2):
        assert client.get("/api/v1/categories").status_code == 200
    response = client.get("/api/v1/categories")
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert response.json()["error"]["code"] == "rate_limited"


def test_a_forged_forwarded_for_header_does_not_escape_the_rate_limit(client, settings):
    settings.API_ANON_RATE = "2/m"
    for number in range(3):
        response = client.get("/api/v1/categories", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")
    assert response.status_code == 429
