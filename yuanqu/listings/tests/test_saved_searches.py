import logging
import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from yuanqu.listings.filters import CarrierFilters
from yuanqu.listings.models import SavedSearch, SavedSearchHit
from yuanqu.listings.saved_searches import (
    saved_search_confirm_email,
    saved_search_create,
    saved_search_label,
    saved_search_notify_for_carrier,
    saved_search_send_digests,
    saved_search_send_verification_now,
    saved_search_unsubscribe,
    saved_search_verify_code,
)
from yuanqu.listings.sms import LocmemBackend
from yuanqu.listings.tests.factories import make_carrier, make_saved_search

pytestmark = pytest.mark.django_db
LOCMEM_SMS = "yuanqu.listings.sms.LocmemBackend"


@pytest.fixture
def sms_outbox():
    LocmemBackend.outbox.clear()
    with override_settings(SMS_BACKEND=LOCMEM_SMS):
        yield LocmemBackend.outbox
    LocmemBackend.outbox.clear()


def first_match(pattern: str, text: str) -> str:
    found = re.search(pattern, text)
    assert found is not None, text
    return found.group(1)


def create(**overrides: Any) -> SavedSearch:
    values: dict[str, Any] = {
        "query_string": "kind=factory",
        "label": "厂房",
        "channel": "email",
        "email": "Buyer@Example.com",
        "consent": True,
    }
    values.update(overrides)
    return saved_search_create(**values)


def test_a_saved_search_without_consent_is_refused():
    with pytest.raises(ValidationError) as raised:
        create(consent=False)

    assert "consent" in raised.value.message_dict


def test_an_e_mail_saved_search_starts_pending_and_the_link_activates_it():
    saved_search = create()
    saved_search_send_verification_now(saved_search_id=saved_search.pk)
    link = re.search(r"/carriers/saved/confirm/(\S+)/", str(mail.outbox[0].body))

    assert link is not None
    confirmed = saved_search_confirm_email(signed_token=link.group(1))

    assert saved_search.status == SavedSearch.Status.PENDING
    assert confirmed is not None and confirmed.status == SavedSearch.Status.ACTIVE


def test_a_tampered_confirmation_link_activates_nothing():
    create()

    assert saved_search_confirm_email(signed_token="abc:def") is None


def test_every_message_carries_a_one_click_unsubscribe():
    saved_search = create()
    saved_search_send_verification_now(saved_search_id=saved_search.pk)

    message = mail.outbox[0]
    assert saved_search.unsubscribe_path() in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_mobile_saved_search_is_activated_by_the_sms_code(sms_outbox):
    saved_search = create(channel="sms", email="", mobile="１３８ 1234 5678")
    saved_search_send_verification_now(saved_search_id=saved_search.pk)
    code = first_match(r"验证码 (\d{6})", sms_outbox[0][1])

    assert saved_search_verify_code(saved_search=saved_search, code=code)
    assert SavedSearch.objects.get(pk=saved_search.pk).status == SavedSearch.Status.ACTIVE
    assert sms_outbox[0][0] == "+8613812345678"


def test_a_wrong_code_does_not_activate_and_attempts_are_limited(sms_outbox):
    saved_search = create(channel="sms", email="", mobile="13812345678")
    saved_search_send_verification_now(saved_search_id=saved_search.pk)
    code = first_match(r"验证码 (\d{6})", sms_outbox[0][1])

    for _ in range(5):
        assert not saved_search_verify_code(
            saved_search=saved_search, code="000000" if code != "000000" else "111111"
        )

    assert not saved_search_verify_code(saved_search=saved_search, code=code)


def test_an_expired_code_is_refused(sms_outbox):
    saved_search = create(channel="sms", email="", mobile="13812345678")
    saved_search_send_verification_now(saved_search_id=saved_search.pk)
    code = first_match(r"验证码 (\d{6})", sms_outbox[0][1])
    SavedSearch.objects.filter(pk=saved_search.pk).update(
        verification_sent_at=timezone.now() - timedelta(minutes=16)
    )

    assert not saved_search_verify_code(saved_search=saved_search, code=code)


def test_the_logging_sms_backend_never_logs_the_full_mobile(caplog):
    saved_search = create(channel="sms", email="", mobile="13812345678")

    with caplog.at_level(logging.INFO, logger="yuanqu.listings.sms"):
        saved_search_send_verification_now(saved_search_id=saved_search.pk)

    assert "138****5678" in caplog.text
    assert "13812345678" not in caplog.text


def test_an_instant_saved_search_is_told_once_about_a_matching_carrier(park_a):
    make_saved_search(query_string="kind=factory")
    make_saved_search(query_string="kind=land", email="other@example.com")
    carrier = make_carrier(park=park_a)

    saved_search_notify_for_carrier(carrier_id=carrier.pk)
    saved_search_notify_for_carrier(carrier_id=carrier.pk)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["buyer@example.com"]
    assert carrier.get_absolute_url() in mail.outbox[0].body


def test_a_pending_saved_search_is_not_notified(park_a):
    make_saved_search(status=SavedSearch.Status.PENDING)

    saved_search_notify_for_carrier(carrier_id=make_carrier(park=park_a).pk)

    assert mail.outbox == []


def test_a_weekly_saved_search_gets_one_digest_with_its_hits(park_a):
    saved_search = make_saved_search(frequency="weekly")
    first = make_carrier(park=park_a, title="第一个")
    second = make_carrier(park=park_a, title="第二个")
    saved_search_notify_for_carrier(carrier_id=first.pk)
    saved_search_notify_for_carrier(carrier_id=second.pk)
    assert mail.outbox == []

    assert saved_search_send_digests() == 1
    assert saved_search_send_digests() == 0

    assert "第一个" in mail.outbox[0].body and "第二个" in mail.outbox[0].body
    assert not SavedSearchHit.objects.filter(saved_search=saved_search, sent_at=None).exists()


def test_the_publish_task_notifies_saved_searches(park_a):
    from yuanqu.listings.tasks import carrier_published

    make_saved_search(query_string="kind=factory")
    carrier = make_carrier(park=park_a)

    carrier_published.call(carrier.pk)

    assert len(mail.outbox) == 1


def test_unsubscribing_stops_messages_and_erases_the_address(park_a):
    saved_search = make_saved_search()

    saved_search_unsubscribe(token=saved_search.token)
    saved_search_notify_for_carrier(carrier_id=make_carrier(park=park_a).pk)

    saved_search.refresh_from_db()
    assert saved_search.status == SavedSearch.Status.UNSUBSCRIBED
    assert saved_search.email == "" and mail.outbox == []


def test_the_publish_task_also_lets_matching_flag_leads(park_a):
    from yuanqu.listings.tasks import carrier_published

    carrier = make_carrier(park=park_a)

    summary = carrier_published.call(carrier.pk)

    assert "leads flagged: 0" in summary


def test_a_new_code_can_be_asked_for_once_a_minute(sms_outbox):
    from yuanqu.listings.saved_searches import saved_search_resend_code

    saved_search = create(channel="sms", email="", mobile="13812345678")
    saved_search_send_verification_now(saved_search_id=saved_search.pk)

    assert not saved_search_resend_code(saved_search=saved_search)
    SavedSearch.objects.filter(pk=saved_search.pk).update(
        verification_sent_at=timezone.now() - timedelta(minutes=2)
    )
    assert saved_search_resend_code(saved_search=saved_search)


@pytest.mark.django_db
def test_the_saved_search_label_names_every_filter(park_a):
    filters = CarrierFilters(
        kind=["factory"],
        deal=["rent"],
        district=[park_a.region.code],
        area_min=Decimal("3000"),
        area_max=Decimal("6000"),
        height_min=Decimal("8"),
        power_min=500,
        eia=True,
    )

    label = saved_search_label(filters)

    assert (
        label
        == f"厂房 · 出租 · {park_a.region.name} · 3000–6000㎡ · 层高≥8m · 可配电≥500kVA · 可环评"
    )
