import io
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from yuanqu.accounts.models import PersonalDataAccess
from yuanqu.accounts.tests.factories import make_lead
from yuanqu.leads.models import Lead, LeadEvent
from yuanqu.leads.search_index import leads_index
from yuanqu.leads.selectors import working_days_before

pytestmark = pytest.mark.django_db
LIST = "inbox:list"


def _page(client, **query) -> str:
    return client.get(reverse(LIST), query).content.decode()


def test_the_inbox_shows_only_the_users_parks(login_as, investment_officer, park_a, park_b):
    make_lead(park=park_a, company="甲园的公司")
    make_lead(park=park_b, company="乙园的公司")

    page = _page(login_as(investment_officer))

    assert "甲园的公司" in page and "乙园的公司" not in page


def test_mobiles_in_the_list_are_masked(login_as, investment_officer, park_a):
    make_lead(park=park_a, mobile="+8613812345678")

    page = _page(login_as(investment_officer))

    assert "138****5678" in page and "13812345678" not in page


def test_status_tabs_count_with_the_other_filters(login_as, investment_officer, park_a):
    make_lead(park=park_a, kind="factory")
    make_lead(park=park_a, kind="factory", status=Lead.Status.FOLLOWING)
    make_lead(park=park_a, kind="warehouse")

    response = login_as(investment_officer).get(reverse(LIST), {"kind": "factory"})

    tabs = {value: count for value, _label, count, _query in response.context["tabs"]}
    assert (tabs[""], tabs["new"], tabs["following"], tabs["invalid"]) == (2, 1, 1, 0)


def test_owner_me_and_none_filter_the_list(login_as, investment_officer, park_a):
    make_lead(park=park_a, company="我跟进的公司", owner=investment_officer)
    make_lead(park=park_a, company="没人跟进的公司")
    client = login_as(investment_officer)

    assert "没人跟进的公司" not in _page(client, owner="me")
    assert "我跟进的公司" not in _page(client, owner="none")


def test_due_today_and_overdue_views(login_as, investment_officer, park_a):
    today = timezone.localdate()
    make_lead(park=park_a, company="今天到期", next_follow_up_on=today, status="following")
    make_lead(park=park_a, company="昨天到期", next_follow_up_on=today - timedelta(days=1),
              status="following")  # fmt: skip
    client = login_as(investment_officer)

    today_page, overdue_page = _page(client, due="today"), _page(client, due="overdue")

    assert "今天到期" in today_page and "昨天到期" not in today_page
    assert "昨天到期" in overdue_page and "今天到期" not in overdue_page


def test_the_date_range_filters_by_submission_day(login_as, investment_officer, park_a):
    old = make_lead(park=park_a, company="上月的需求")
    Lead.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    make_lead(park=park_a, company="本周的需求")

    page = _page(
        login_as(investment_officer),
        date_from=(timezone.localdate() - timedelta(days=7)).isoformat(),
    )

    assert "本周的需求" in page and "上月的需求" not in page


def test_full_text_search_finds_the_need_text(login_as, investment_officer, park_a):
    wanted = make_lead(park=park_a, company="甲公司", need_text="需要洁净车间做芯片封装")
    other = make_lead(park=park_a, company="乙公司", need_text="仓库三千平")
    leads_index(lead_ids=[wanted.pk, other.pk])

    page = _page(login_as(investment_officer), q="封装")

    assert "甲公司" in page and "乙公司" not in page


def test_the_list_costs_the_same_queries_for_few_and_many_leads(
    login_as, investment_officer, park_a
):
    client = login_as(investment_officer)
    make_lead(park=park_a, owner=investment_officer)
    _page(client, status="new", kind="factory")
    with CaptureQueriesContext(connection) as few:
        _page(client, status="new", kind="factory")
    for _ in range(25):
        make_lead(park=park_a, owner=investment_officer)

    with CaptureQueriesContext(connection) as many:
        _page(client, status="new", kind="factory")

    assert len(many.captured_queries) == len(few.captured_queries)


def test_pages_keep_a_stable_order_when_leads_share_a_time(login_as, investment_officer, park_a):
    leads = [make_lead(park=park_a, company=f"同时提交{n}") for n in range(35)]
    moment = timezone.now()
    Lead.objects.filter(pk__in=[lead.pk for lead in leads]).update(created_at=moment)
    client = login_as(investment_officer)

    first = client.get(reverse(LIST), {"page": 1}).context["page"].object_list
    second = client.get(reverse(LIST), {"page": 2}).context["page"].object_list

    seen = [lead.pk for lead in first] + [lead.pk for lead in second]
    assert sorted(seen) == sorted(lead.pk for lead in leads)


def test_a_weekend_does_not_count_as_a_working_day():
    monday_evening = datetime(2026, 12, 7, 18, 0, tzinfo=UTC)

    assert working_days_before(monday_evening, 1).weekday() == 4  # Friday


def test_an_unassigned_lead_older_than_a_working_day_is_flagged(
    login_as, investment_officer, park_a, settings
):
    settings.LEAD_UNASSIGNED_FLAG_WORKING_DAYS = 1
    late = make_lead(park=park_a, company="晾了很久")
    Lead.objects.filter(pk=late.pk).update(created_at=timezone.now() - timedelta(days=5))

    page = _page(login_as(investment_officer))

    assert "超时未分配" in page


def test_the_export_masks_mobiles_for_leadership_and_logs_nothing(login_as, leadership, park_a):
    make_lead(park=park_a, mobile="+8613812345678")

    response = login_as(leadership).get(reverse("inbox:export"))

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert sheet.cell(row=2, column=6).value == "138****5678"
    assert not PersonalDataAccess.objects.exists()


def test_the_export_writes_plain_mobiles_with_one_access_row_each(
    login_as, investment_officer, park_a
):
    make_lead(park=park_a, mobile="+8613812345678")
    make_lead(park=park_a, mobile="+8613812345679")

    response = login_as(investment_officer).get(reverse("inbox:export"))

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert {sheet.cell(row=row, column=6).value for row in (2, 3)} == {
        "138 1234 5678",
        "138 1234 5679",
    }
    assert PersonalDataAccess.objects.filter(user=investment_officer, field="mobile").count() == 2


def test_the_export_keeps_a_formula_like_company_as_text(login_as, investment_officer, park_a):
    make_lead(park=park_a, company="=cmd|'/c calc'!A1")

    response = login_as(investment_officer).get(reverse("inbox:export"))

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cell = sheet.cell(row=2, column=4)
    assert cell.value == "=cmd|'/c calc'!A1" and cell.data_type == "s"


def test_a_reveal_shows_the_number_once_and_writes_both_logs(login_as, investment_officer, park_a):
    lead = make_lead(park=park_a, mobile="+8613812345678")

    response = login_as(investment_officer).post(
        reverse("inbox:reveal", args=[lead.pk]), {"reason": "电话回访确认面积"}
    )

    assert "138 1234 5678" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert PersonalDataAccess.objects.filter(lead=lead, reason="电话回访确认面积").exists()
    assert lead.events.filter(kind=LeadEvent.Kind.MOBILE_REVEALED).exists()


def test_a_reveal_without_a_reason_shows_the_message_and_logs_nothing(
    login_as, investment_officer, park_a
):
    lead = make_lead(park=park_a)

    response = login_as(investment_officer).post(reverse("inbox:reveal", args=[lead.pk]), {})

    assert response.status_code == 400
    assert not PersonalDataAccess.objects.exists()


def test_a_follow_up_form_error_stays_beside_the_field(login_as, investment_officer, park_a):
    lead = make_lead(park=park_a)

    response = login_as(investment_officer).post(
        reverse("inbox:follow_up", args=[lead.pk]),
        {"channel": "call", "happened_at": "2026-12-01T10:00", "outcome": "interested",
         "notes": ""},
    )  # fmt: skip

    assert response.status_code == 400
    assert "请填写跟进记录" in response.content.decode()
    assert not lead.follow_ups.exists()


def test_merging_by_reference_from_the_lead_page(login_as, investment_officer, park_a):
    keep = make_lead(park=park_a, company="某公司")
    other = make_lead(park=park_a, company="某公司")

    response = login_as(investment_officer).post(
        reverse("inbox:merge", args=[keep.pk]), {"other": other.reference.lower()}
    )

    assert response.status_code == 302
    other.refresh_from_db()
    assert other.merged_into == keep


def test_merging_another_parks_lead_by_reference_is_refused(
    login_as, investment_officer, park_a, park_b
):
    keep = make_lead(park=park_a, company="某公司")
    other = make_lead(park=park_b, company="某公司")

    response = login_as(investment_officer).post(
        reverse("inbox:merge", args=[keep.pk]), {"other": other.reference}
    )

    assert response.status_code == 400
    other.refresh_from_db()
    assert other.merged_into is None


def test_the_old_staff_address_redirects_to_the_workbench(login_as, investment_officer, park_a):
    lead = make_lead(park=park_a)

    response = login_as(investment_officer).get(reverse("leads:staff_detail", args=[lead.pk]))

    assert response["Location"] == reverse("inbox:detail", args=[lead.pk])
