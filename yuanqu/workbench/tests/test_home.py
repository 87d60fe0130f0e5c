from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from yuanqu.accounts.tests.factories import make_lead
from yuanqu.pipeline.alerts import alerts_refresh
from yuanqu.pipeline.tests.factories import make_project

pytestmark = pytest.mark.django_db


def test_the_home_page_shows_todays_leads_due_follow_ups_and_alerts(
    login_as, investment_officer, park_a, park_b
):
    make_lead(park=park_a, reference="XQ-TODAY-A")
    make_lead(park=park_b, reference="XQ-TODAY-B")
    make_lead(park=park_a, reference="XQ-DUE", owner=investment_officer, status="following",
              next_follow_up_on=timezone.localdate())  # fmt: skip
    make_project(park=park_a, name="停滞项目", officer=investment_officer,
                 last_activity_at=timezone.now() - timedelta(days=60))  # fmt: skip
    alerts_refresh()

    response = login_as(investment_officer).get(reverse("workbench:home"))

    page = response.content.decode()
    assert "XQ-TODAY-A" in page and "XQ-TODAY-B" not in page
    assert "XQ-DUE" in page and "停滞项目" in page
    assert response["Cache-Control"] == "private, no-store"


def test_leadership_is_told_its_role_is_read_only(login_as, leadership):
    page = login_as(leadership).get(reverse("workbench:home")).content.decode()

    assert "只读" in page


def test_the_home_page_costs_the_same_queries_with_more_work(login_as, investment_officer, park_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login_as(investment_officer)
    make_lead(park=park_a, owner=investment_officer, status="following",
              next_follow_up_on=timezone.localdate())  # fmt: skip
    client.get(reverse("workbench:home"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("workbench:home"))
    for _ in range(12):
        make_lead(park=park_a, owner=investment_officer, status="following",
                  next_follow_up_on=timezone.localdate())  # fmt: skip

    with CaptureQueriesContext(connection) as many:
        client.get(reverse("workbench:home"))

    assert len(many.captured_queries) == len(few.captured_queries)
