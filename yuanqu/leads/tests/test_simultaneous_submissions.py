"""Two copies of one need form arriving at the same moment (a double tap whose first request
the browser did not cancel), sent to a real threaded server so each request has its own
thread and database connection."""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

from yuanqu.leads.models import Lead, LeadSubmission
from yuanqu.leads.tests.test_views import form_data

pytestmark = pytest.mark.django_db(transaction=True)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _csrf(url: str) -> tuple[str, str]:
    with urllib.request.urlopen(url) as response:
        page = response.read().decode()
        cookie = response.headers["Set-Cookie"].split(";", 1)[0]
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match
    return cookie, match.group(1)


def _post_together(url: str, body: bytes, cookie: str, copies: int) -> list[tuple[int, str]]:
    opener = urllib.request.build_opener(_NoRedirect)
    start = threading.Barrier(copies)
    answers: list[tuple[int, str]] = []

    def post() -> None:
        request = urllib.request.Request(
            url, data=body, headers={"Cookie": cookie, "Referer": url}, method="POST"
        )
        start.wait()
        try:
            with opener.open(request) as response:
                answers.append((response.status, ""))
        except urllib.error.HTTPError as error:
            answers.append((error.code, error.headers.get("Location", "")))

    threads = [threading.Thread(target=post) for _ in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_the_same_form_posted_twice_at_once_stores_one_lead_and_both_see_its_results(
    live_server, settings
):
    settings.LEAD_RATE_LIMITS = False
    url = live_server.url + "/needs/new/"
    # A race is not hit every time: five pairs make a lost or doubled lead show.
    for number in range(5):
        cookie, token = _csrf(url)
        fields = form_data(
            csrfmiddlewaretoken=token,
            idempotency_key=f"double-tap-{number}",
            mobile=f"1381234{number:04d}",
        )
        body = urllib.parse.urlencode(fields).encode()

        answers = _post_together(url, body, cookie, copies=2)

        lead = LeadSubmission.objects.get(idempotency_key=fields["idempotency_key"]).lead
        results = f"/needs/r/{lead.access_token}/"
        assert answers == [(302, results), (302, results)]
    assert Lead.objects.count() == 5
