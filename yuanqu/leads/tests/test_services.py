from __future__ import annotations

import re
import threading
import time
from datetime import datetime, timedelta

import pytest
from django.db import OperationalError, connection, connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from yuanqu.core import search
from yuanqu.leads.models import Lead, LeadEvent, LeadNotification, LeadSubmission
from yuanqu.leads.privacy import PRIVACY_NOTICE_VERSION
from yuanqu.leads.services import (
    LeadSubmitRefused,
    lead_request_deletion,
    lead_submit,
    lead_withdraw,
)
from yuanqu.matching.tests.factories import make_carrier
from yuanqu.parks.tests.factories import make_park

pytestmark = pytest.mark.django_db


def test_submit_stores_the_lead_with_consent_and_a_reference(need_data):
    outcome = lead_submit(data=need_data(), idempotency_key="k1", ip="203.0.113.5")

    lead = Lead.objects.get()
    assert outcome.created and outcome.lead == lead
    assert re.fullmatch(r"XQ\d{8}-0001", lead.reference)
    assert lead.mobile == "+8613812341234"
    assert lead.consent_version == PRIVACY_NOTICE_VERSION
    assert lead.consent_at is not None
    assert lead.consent_ip == "203.0.113.5"


def test_submit_records_submission_history_and_a_pending_notification(need_data):
    lead = lead_submit(data=need_data(), idempotency_key="k1", ip=None).lead

    assert lead.submissions.count() == 1
    assert list(lead.events.values_list("kind", flat=True))[:1] == [LeadEvent.Kind.SUBMITTED]
    assert lead.notification.status == LeadNotification.Status.PENDING


def test_reference_numbers_count_up_within_a_day(need_data):
    first = lead_submit(data=need_data(), idempotency_key="k1", ip=None).lead
    second = lead_submit(
        data=need_data(mobile="+8613912345678"), idempotency_key="k2", ip=None
    ).lead
    assert first.reference[-4:] == "0001"
    assert second.reference[-4:] == "0002"


def test_the_same_key_twice_creates_one_lead(need_data):
    first = lead_submit(data=need_data(), idempotency_key="same", ip=None)
    again = lead_submit(data=need_data(), idempotency_key="same", ip=None)

    assert Lead.objects.count() == 1
    assert again.replayed and again.lead.pk == first.lead.pk


def test_same_mobile_and_need_inside_the_window_merges_with_both_submissions_in_history(need_data):
    first = lead_submit(data=need_data(), idempotency_key="k1", ip=None).lead

    second = lead_submit(data=need_data(intended_use="加工"), idempotency_key="k2", ip=None)

    assert second.merged and second.lead.pk == first.pk
    lead = Lead.objects.get()
    assert lead.submission_count == 2
    assert lead.submissions.count() == 2
    assert lead.events.filter(kind=LeadEvent.Kind.MERGED).count() == 1
    assert lead.intended_use == "加工"


def test_same_mobile_and_need_after_the_window_is_a_new_lead(need_data, settings):
    settings.LEAD_MERGE_WINDOW_HOURS = 24
    lead_submit(
        data=need_data(), idempotency_key="k1", ip=None, now=timezone.now() - timedelta(hours=25)
    )

    outcome = lead_submit(data=need_data(), idempotency_key="k2", ip=None)

    assert outcome.created
    assert Lead.objects.count() == 2


def test_a_different_need_from_the_same_mobile_is_a_new_lead(need_data):
    lead_submit(data=need_data(), idempotency_key="k1", ip=None)
    outcome = lead_submit(data=need_data(kind="warehouse"), idempotency_key="k2", ip=None)
    assert outcome.created
    assert Lead.objects.count() == 2


def test_filled_honeypot_stores_nothing(need_data):
    with pytest.raises(LeadSubmitRefused) as refused:
        lead_submit(data=need_data(), idempotency_key="k1", ip=None, honeypot="http://spam")
    assert refused.value.reason == "honeypot"
    assert not Lead.objects.exists()


def test_submission_without_consent_is_refused(need_data):
    with pytest.raises(LeadSubmitRefused):
        lead_submit(data=need_data(consent=False), idempotency_key="k1", ip=None)
    assert not Lead.objects.exists()


def test_too_many_submissions_from_one_mobile_are_refused(need_data, settings):
    settings.LEAD_RATE_LIMIT_PER_MOBILE_HOUR = 2
    for key, kind in (("k1", "factory"), ("k2", "warehouse")):
        lead_submit(data=need_data(kind=kind), idempotency_key=key, ip=None)

    with pytest.raises(LeadSubmitRefused) as refused:
        lead_submit(data=need_data(kind="office"), idempotency_key="k3", ip=None)

    assert refused.value.reason == "rate_limited"
    assert Lead.objects.count() == 2


def test_too_many_submissions_from_one_ip_are_refused(need_data, settings):
    settings.LEAD_RATE_LIMIT_PER_IP_HOUR = 1
    lead_submit(data=need_data(), idempotency_key="k1", ip="203.0.113.9")

    with pytest.raises(LeadSubmitRefused):
        lead_submit(data=need_data(mobile="+8613912345678"), idempotency_key="k2", ip="203.0.113.9")


def test_a_retry_of_a_stored_submission_is_answered_even_when_rate_limited(need_data, settings):
    settings.LEAD_RATE_LIMIT_PER_IP_HOUR = 1
    first = lead_submit(data=need_data(), idempotency_key="k1", ip="203.0.113.9")

    again = lead_submit(data=need_data(), idempotency_key="k1", ip="203.0.113.9")

    assert again.lead.pk == first.lead.pk


def test_rate_limits_can_be_switched_off_for_benchmarks(need_data, settings):
    settings.LEAD_RATE_LIMITS = False
    settings.LEAD_RATE_LIMIT_PER_IP_HOUR = 1
    lead_submit(data=need_data(), idempotency_key="k1", ip="203.0.113.9")
    lead_submit(data=need_data(mobile="+8613912345678"), idempotency_key="k2", ip="203.0.113.9")
    assert Lead.objects.count() == 2


def test_notification_is_queued_only_after_commit(need_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        lead_submit(data=need_data(), idempotency_key="k1", ip=None)
    assert DBTaskResult.objects.count() == 0

    for callback in callbacks:
        callback()

    task = DBTaskResult.objects.get()
    assert task.task_path == "yuanqu.leads.tasks.lead_notify_staff"
    assert task.args_kwargs["args"] == [Lead.objects.get().pk]


def test_a_submitted_need_is_found_by_the_inbox_search_once_committed(
    need_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        lead = lead_submit(
            data=need_data(need_text="需要洁净车间做芯片封装"), idempotency_key="k1", ip=None
        ).lead

    assert search.matching_ids(kind="lead", query="芯片封装") == [lead.pk]


def test_a_merged_submission_refreshes_the_leads_search_entry(
    need_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        lead_submit(data=need_data(), idempotency_key="k1", ip=None)
    with django_capture_on_commit_callbacks(execute=True):
        merged = lead_submit(data=need_data(intended_use="精密铸造"), idempotency_key="k2", ip=None)

    assert merged.merged
    assert search.matching_ids(kind="lead", query="精密铸造") == [merged.lead.pk]


def test_submit_stores_the_match_snapshot_the_person_sees(need_data):
    park = make_park()
    carrier = make_carrier(park=park, building_area_m2=1200)

    lead = lead_submit(data=need_data(), idempotency_key="k1", ip=None).lead

    lead.refresh_from_db()
    snapshot = lead.match_snapshot or {}
    assert [item["carrier_id"] for item in snapshot["carriers"]] == [carrier.pk]
    assert lead.park_id == park.pk
    assert lead.events.filter(kind=LeadEvent.Kind.MATCHED).exists()


def test_withdrawing_closes_the_lead_and_records_it(need_data):
    lead = lead_submit(data=need_data(), idempotency_key="k1", ip=None).lead

    lead_withdraw(lead=lead)

    lead.refresh_from_db()
    assert lead.status == Lead.Status.WITHDRAWN
    assert lead.withdrawn_at is not None
    assert lead.events.filter(kind=LeadEvent.Kind.WITHDRAWN).exists()


def test_deletion_request_is_recorded_and_erases_the_leads_personal_data(need_data):
    lead = lead_submit(
        data=need_data(need_text="王经理 13812341234 要厂房"),
        idempotency_key="k1",
        ip="203.0.113.5",
    ).lead

    lead = lead_request_deletion(lead=lead)

    assert lead.deletion_requested_at is not None
    assert (lead.company, lead.contact_name, lead.mobile, lead.need_text) == ("", "", "", "")
    assert lead.consent_ip is None
    assert lead.anonymised_at is not None
    assert lead.status == Lead.Status.WITHDRAWN
    submission = LeadSubmission.objects.get()
    assert submission.ip is None and not submission.data
    assert lead.events.filter(kind=LeadEvent.Kind.DELETION_REQUESTED).exists()


def test_deletion_request_queues_the_compaction_of_the_freed_storage(
    need_data, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    lead = lead_submit(data=need_data(), idempotency_key="k1", ip="203.0.113.5").lead

    with django_capture_on_commit_callbacks(execute=True):
        lead_request_deletion(lead=lead)

    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "yuanqu.core.tasks.purge_freed_storage_later"
    ]


# ---------------------------------------------------------------------------------------
# Concurrency: one key posted at the same time from several threads


def _submit_waiting_for_the_write_lock(**kwargs):
    """On PostgreSQL the second writer waits on the unique index by itself. The in-memory
    SQLite test database runs in shared-cache mode, which answers "table is locked" at once
    instead of honouring busy_timeout as the file database (WAL, IMMEDIATE) does; retrying
    here stands in for that wait."""
    while True:
        try:
            # Retries here are the test's stand-in for waiting, not new submissions.
            return lead_submit(**kwargs, rate_limited=False)
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
            time.sleep(0.005)


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_of_the_same_key_create_one_lead(need_data):
    # given four taps of the same submit button arriving together
    barrier = threading.Barrier(4)
    outcomes: list = []
    errors: list = []

    def post() -> None:
        try:
            barrier.wait()
            outcomes.append(
                _submit_waiting_for_the_write_lock(
                    data=need_data(), idempotency_key="tap-tap", ip=None, run_match=False
                )
            )
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    # when
    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then exactly one lead exists and every tap got it back
    assert errors == []
    assert Lead.objects.count() == 1
    assert LeadSubmission.objects.count() == 1
    assert len({outcome.lead.pk for outcome in outcomes}) == 1
    assert sum(outcome.created for outcome in outcomes) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_of_one_need_from_one_mobile_merge_into_one_lead(need_data):
    # given the same need sent twice at once with two different keys (two open tabs)
    barrier = threading.Barrier(2)
    errors: list = []

    def post(key: str) -> None:
        try:
            barrier.wait()
            _submit_waiting_for_the_write_lock(
                data=need_data(), idempotency_key=key, ip=None, run_match=False
            )
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    # when
    threads = [threading.Thread(target=post, args=(key,)) for key in ("tab-1", "tab-2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then one lead holds both submissions
    assert errors == []
    lead = Lead.objects.get()
    assert lead.submission_count == 2
    assert LeadSubmission.objects.filter(lead=lead).count() == 2


def test_the_match_after_submit_is_the_match_of_the_lead_read_back(need_data):
    # given carriers in two parks and a need naming a park and a district
    from yuanqu.matching.services import lead_match_store
    from yuanqu.parks.tests.factories import make_region

    near, far = make_park(), make_park(region=make_region(code="320311", name="泉山区"))
    for park in (near, far, near):
        make_carrier(park=park, building_area_m2=1300)
    data = need_data(
        park_ids=[far.pk], region_codes=["320312"], budget_value=18,
        budget_unit="yuan_m2_month", height_m=6,
    )  # fmt: skip

    # when it is submitted (matched from the places just stored, without reading them back)
    lead = lead_submit(data=data, idempotency_key="fresh", ip=None).lead
    lead.refresh_from_db()
    submitted = lead.match_snapshot or {}

    # then staff re-reading the lead and matching it again at the same moment see the same
    again = lead_match_store(
        lead=lead, now=datetime.fromisoformat(submitted["matched_at"]), rerun=True
    )
    assert again == submitted
    assert len(submitted["carriers"]) == 3


def test_a_submission_takes_a_bounded_number_of_queries(need_data, django_assert_max_num_queries):
    park = make_park()
    make_carrier(park=park)
    # replay check, (PostgreSQL: the mobile's lock,) merge check, reference, lead with its
    # audit entry (and the audit log's lookups), park link, submission, history,
    # notification; then the match: park list check (and, the first time, the park list),
    # candidates, titles, snapshot and history. Nothing is read back.
    with django_assert_max_num_queries(22):
        lead_submit(data=need_data(park_ids=[park.pk]), idempotency_key="count", ip=None)
