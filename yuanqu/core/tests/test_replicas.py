"""Which reads a replica serves. The suite has no second database, so the "replica" here is
the default alias under another role: what is checked is the decision made for each
request (the alias the router was told to read from while the request's SQL ran)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse

from yuanqu.core import replicas
from yuanqu.listings.models import Carrier
from yuanqu.listings.tests.factories import make_carrier
from yuanqu.news.tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_replica(settings):
    settings.DATABASE_REPLICAS = ["default"]
    settings.REPLICA_LAG_GRACE_SECONDS = 0


@contextmanager
def read_aliases() -> Iterator[set[str | None]]:
    """The read aliases in force while each statement of the block ran."""
    seen: set[str | None] = set()

    def record(execute, sql, params, many, context):
        seen.add(replicas.read_alias())
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield seen


def test_an_anonymous_article_page_reads_from_the_replica(client, one_replica):
    article = make_article()

    with read_aliases() as seen:
        client.get(reverse("news:article", args=[article.pk]))

    assert "default" in seen


def test_an_anonymous_carrier_search_reads_from_the_replica(client, one_replica, park_a):
    make_carrier(park=park_a)

    with read_aliases() as seen:
        client.get(reverse("listings:search"), {"kind": "factory"})

    assert seen == {"default"}


def test_public_api_reads_use_the_replica_but_token_calls_do_not(client, one_replica):
    with read_aliases() as anonymous:
        client.get("/api/v1/categories")
    with read_aliases() as with_token:
        client.get("/api/v1/categories", HTTP_AUTHORIZATION="Bearer not-a-real-token")

    assert anonymous == {"default"} and with_token == {None}


def test_the_need_form_reads_the_primary(client, one_replica, park_a):
    with read_aliases() as seen:
        client.get(reverse("leads:new"))

    assert seen == {None}


def test_a_visitor_with_a_session_reads_the_primary(login_as, investment_officer, one_replica):
    article = make_article()
    staff = login_as(investment_officer)

    with read_aliases() as seen:
        staff.get(reverse("news:article", args=[article.pk]))

    assert seen == {None}


def test_without_replicas_every_read_goes_to_the_primary(client):
    article = make_article()

    with read_aliases() as seen:
        client.get(reverse("news:article", args=[article.pk]))

    assert seen == {None}


def test_writes_and_primary_only_tables_never_go_to_a_replica():
    router = replicas.ReplicaRouter()
    token = replicas._read_alias.set("replica1")
    try:
        assert router.db_for_read(Carrier) == "replica1"
        assert router.db_for_read(Session) == "default"
        assert router.db_for_write(Carrier) == "default"
        assert not router.allow_migrate("replica1", "listings")
    finally:
        replicas._read_alias.reset(token)


def test_reads_outside_a_request_go_to_the_primary():
    assert replicas.ReplicaRouter().db_for_read(Carrier) == "default"


def test_public_reads_use_the_primary_just_after_public_content_changed(
    client, one_replica, settings
):
    settings.REPLICA_LAG_GRACE_SECONDS = 30
    article = make_article()  # saving it is a change to public content

    with read_aliases() as seen:
        client.get(reverse("news:article", args=[article.pk]))

    assert seen == {None}


def test_a_need_results_page_reads_the_primary(client, one_replica, park_a):
    from yuanqu.accounts.tests.factories import make_lead

    lead = make_lead(park=park_a)

    with read_aliases() as seen:
        response = client.get(reverse("leads:results", args=[lead.access_token]))

    assert response.status_code == 200 and seen == {None}
