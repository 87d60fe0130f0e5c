import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def refuse(*_args, **_kwargs):
    raise OperationalError("connection refused")


def test_a_page_whose_database_is_unreachable_answers_503_in_chinese(client, monkeypatch):
    monkeypatch.setattr("yuanqu.news.views.selectors.article_list_published", refuse)

    response = client.get("/news/")

    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "系统繁忙,请稍后再试" in html and "Traceback" not in html


def test_an_api_call_whose_database_is_unreachable_answers_503_in_the_error_shape(
    client, monkeypatch
):
    monkeypatch.setattr("yuanqu.api.carriers.selectors.carrier_search", refuse)

    response = client.get("/api/v1/carriers")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["error"]["code"] == "service_unavailable"


def test_other_errors_still_answer_the_general_500_page(client, monkeypatch):
    def broken(*_args, **_kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr("yuanqu.news.views.selectors.article_list_published", broken)
    client.raise_request_exception = False

    assert client.get("/news/").status_code == 500
