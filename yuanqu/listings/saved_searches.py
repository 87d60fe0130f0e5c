"""Saved searches: double opt-in (e-mail link or SMS code), alerts, digests, unsubscribe.

Personal data is the e-mail or mobile and the consent IP; all three are erased on unsubscribe.
Tasks and URLs carry ids and random tokens only, never an address.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from yuanqu.accounts.pii import normalise_mobile
from yuanqu.core.models import Region
from yuanqu.listings.filters import PRICE_UNITS, CarrierFilterForm, CarrierFilters
from yuanqu.listings.models import Carrier, SavedSearch, SavedSearchHit
from yuanqu.listings.sms import send_sms
from yuanqu.parks.models import Park

logger = logging.getLogger(__name__)

CONSENT_VERSION = "2026-11"
SIGNING_SALT = "listings.saved_search.confirm"
CONFIRM_MAX_AGE = timedelta(days=7)
CODE_MAX_AGE = timedelta(minutes=15)
CODE_MAX_ATTEMPTS = 5
DIGEST_MAX_CARRIERS = 20


def filters_from_query_string(query_string: str) -> CarrierFilters:
    from yuanqu.listings.selectors import filter_choices

    districts, parks = filter_choices()
    form = CarrierFilterForm(QueryDict(query_string), districts=districts, parks=parks)
    return form.filters()


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _code_hash(saved_search: SavedSearch, code: str) -> str:
    return salted_hmac("listings.saved_search.code", f"{saved_search.token}:{code}").hexdigest()


@transaction.atomic
def saved_search_create(
    *,
    query_string: str,
    label: str,
    channel: str,
    email: str = "",
    mobile: str = "",
    frequency: str = SavedSearch.Frequency.INSTANT,
    consent: bool,
    ip_address: str | None = None,
) -> SavedSearch:
    """Store a pending saved search and queue its confirmation (link or code)."""
    errors: dict[str, str] = {}
    if not consent:
        errors["consent"] = _("同意:请阅读并同意个人信息处理规则后再订阅。")
    if channel not in SavedSearch.Channel.values:
        errors["channel"] = _("提醒方式:请选择电子邮件或短信。")
    if frequency not in SavedSearch.Frequency.values:
        errors["frequency"] = _("频率:请选择即时提醒或每周汇总。")
    if channel == SavedSearch.Channel.EMAIL:
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("电子邮件:格式不正确。")
        mobile = ""
    elif channel == SavedSearch.Channel.SMS:
        try:
            mobile = normalise_mobile(mobile)
        except ValidationError as error:
            errors["mobile"] = _("手机号:%(problem)s") % {"problem": error.messages[0]}
        email = ""
    if errors:
        raise ValidationError(errors)
    saved_search = SavedSearch.objects.create(
        query_string=query_string[:1000],
        label=label[:200],
        channel=channel,
        email=email.strip().lower(),
        mobile=mobile,
        frequency=frequency,
        consent_version=CONSENT_VERSION,
        consent_at=timezone.now(),
        consent_ip=ip_address,
    )
    from yuanqu.listings.tasks import saved_search_send_verification

    saved_search_id = saved_search.pk
    transaction.on_commit(lambda: saved_search_send_verification.enqueue(saved_search_id))
    return saved_search


RESEND_AFTER = timedelta(seconds=60)


@transaction.atomic
def saved_search_resend_code(*, saved_search: SavedSearch) -> bool:
    """Queue a fresh SMS code for a pending subscription, at most once a minute."""
    saved_search = SavedSearch.objects.select_for_update().get(pk=saved_search.pk)
    if saved_search.status != SavedSearch.Status.PENDING:
        return False
    sent = saved_search.verification_sent_at
    if sent is not None and timezone.now() - sent < RESEND_AFTER:
        return False
    # Marked now so a double click queues one text, not two.
    saved_search.verification_sent_at = timezone.now()
    saved_search.save(update_fields=["verification_sent_at", "updated_at"])
    from yuanqu.listings.tasks import saved_search_send_verification

    saved_search_id = saved_search.pk
    transaction.on_commit(lambda: saved_search_send_verification.enqueue(saved_search_id))
    return True


def confirmation_token(saved_search: SavedSearch) -> str:
    return signing.dumps({"id": saved_search.pk, "token": saved_search.token}, salt=SIGNING_SALT)


def saved_search_send_verification_now(*, saved_search_id: int) -> None:
    """Send the opt-in link (e-mail) or a fresh 6-digit code (SMS)."""
    saved_search = SavedSearch.objects.filter(
        pk=saved_search_id, status=SavedSearch.Status.PENDING
    ).first()
    if saved_search is None:
        return
    if saved_search.channel == SavedSearch.Channel.EMAIL:
        link = _absolute(
            reverse("listings:saved_search_confirm", args=[confirmation_token(saved_search)])
        )
        body = render_to_string(
            "listings/email/saved_search_confirm.txt",
            {
                "saved_search": saved_search,
                "link": link,
                "unsubscribe": _absolute(saved_search.unsubscribe_path()),
            },
        )
        _send_email(saved_search, subject="请确认订阅载体提醒", body=body)
        saved_search.verification_sent_at = timezone.now()
        saved_search.save(update_fields=["verification_sent_at", "updated_at"])
        return
    code = f"{secrets.randbelow(10**6):06d}"
    saved_search.verification_code_hash = _code_hash(saved_search, code)
    saved_search.verification_sent_at = timezone.now()
    saved_search.verification_attempts = 0
    saved_search.save(
        update_fields=[
            "verification_code_hash",
            "verification_sent_at",
            "verification_attempts",
            "updated_at",
        ]
    )
    send_sms(
        mobile=saved_search.mobile,
        message=f"【{settings.SITE_NAME}】验证码 {code},15 分钟内有效,用于订阅载体提醒。"
        f"退订:{_absolute(saved_search.unsubscribe_path())}",
    )


def _activate(saved_search: SavedSearch) -> SavedSearch:
    saved_search.status = SavedSearch.Status.ACTIVE
    saved_search.verified_at = timezone.now()
    saved_search.verification_code_hash = ""
    saved_search.save(
        update_fields=["status", "verified_at", "verification_code_hash", "updated_at"]
    )
    return saved_search


@transaction.atomic
def saved_search_confirm_email(*, signed_token: str) -> SavedSearch | None:
    """Activate the saved search named by an opt-in link; None if the link is bad or old."""
    try:
        data = signing.loads(signed_token, salt=SIGNING_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    saved_search = (
        SavedSearch.objects.select_for_update()
        .filter(pk=data.get("id"), token=data.get("token"))
        .first()
    )
    if saved_search is None or saved_search.status == SavedSearch.Status.UNSUBSCRIBED:
        return None
    if saved_search.status == SavedSearch.Status.PENDING:
        _activate(saved_search)
    return saved_search


@transaction.atomic
def saved_search_verify_code(*, saved_search: SavedSearch, code: str) -> bool:
    """Check an SMS code: at most 5 attempts, 15 minutes; a right code activates."""
    saved_search = SavedSearch.objects.select_for_update().get(pk=saved_search.pk)
    if saved_search.status != SavedSearch.Status.PENDING:
        return saved_search.status == SavedSearch.Status.ACTIVE
    expired = (
        saved_search.verification_sent_at is None
        or timezone.now() - saved_search.verification_sent_at > CODE_MAX_AGE
    )
    if expired or saved_search.verification_attempts >= CODE_MAX_ATTEMPTS:
        return False
    saved_search.verification_attempts += 1
    saved_search.save(update_fields=["verification_attempts", "updated_at"])
    if saved_search.verification_code_hash and constant_time_compare(
        saved_search.verification_code_hash, _code_hash(saved_search, (code or "").strip())
    ):
        _activate(saved_search)
        return True
    return False


@transaction.atomic
def saved_search_unsubscribe(*, token: str) -> SavedSearch | None:
    """Stop all messages and erase the address (idempotent; None for an unknown token)."""
    saved_search = SavedSearch.objects.select_for_update().filter(token=token).first()
    if saved_search is None:
        return None
    if saved_search.status != SavedSearch.Status.UNSUBSCRIBED:
        saved_search.status = SavedSearch.Status.UNSUBSCRIBED
        saved_search.unsubscribed_at = timezone.now()
        saved_search.email = ""
        saved_search.mobile = ""
        saved_search.consent_ip = None
        saved_search.save()
    return saved_search


def saved_search_matches(*, saved_search: SavedSearch, carrier_id: int) -> bool:
    from yuanqu.listings.selectors import carrier_filtered_queryset

    filters = filters_from_query_string(saved_search.query_string)
    return carrier_filtered_queryset(filters=filters).filter(pk=carrier_id).exists()


def saved_search_notify_for_carrier(*, carrier_id: int) -> int:
    """Record a hit on every active saved search the carrier matches; alert instant ones now.
    Returns the number of saved searches that matched (a rerun sends nothing twice)."""
    matched = 0
    for saved_search in SavedSearch.objects.filter(status=SavedSearch.Status.ACTIVE).iterator():
        if not saved_search_matches(saved_search=saved_search, carrier_id=carrier_id):
            continue
        matched += 1
        hit, created = SavedSearchHit.objects.get_or_create(
            saved_search=saved_search, carrier_id=carrier_id
        )
        if created and saved_search.frequency == SavedSearch.Frequency.INSTANT:
            _send_hits(saved_search, [hit])
    return matched


def saved_search_send_digests() -> int:
    """Send each weekly saved search its unsent hits in one message; returns messages sent."""
    sent = 0
    weekly = SavedSearch.objects.filter(
        status=SavedSearch.Status.ACTIVE,
        frequency=SavedSearch.Frequency.WEEKLY,
        hits__sent_at__isnull=True,
    ).distinct()
    for saved_search in weekly:
        hits = list(
            saved_search.hits.filter(sent_at__isnull=True)
            .select_related("carrier")
            .order_by("created_at")[:DIGEST_MAX_CARRIERS]
        )
        if hits:
            _send_hits(saved_search, hits)
            sent += 1
    return sent


def _send_hits(saved_search: SavedSearch, hits: list[SavedSearchHit]) -> None:
    carriers: list[Carrier] = [hit.carrier for hit in hits]
    search_link = _absolute(f"{reverse('listings:search')}?{saved_search.query_string}")
    unsubscribe = _absolute(saved_search.unsubscribe_path())
    if saved_search.channel == SavedSearch.Channel.EMAIL:
        body = render_to_string(
            "listings/email/saved_search_alert.txt",
            {
                "saved_search": saved_search,
                "carriers": [
                    (carrier, _absolute(carrier.get_absolute_url())) for carrier in carriers
                ],
                "search_link": search_link,
                "unsubscribe": unsubscribe,
            },
        )
        _send_email(saved_search, subject=f"{len(carriers)} 个新载体符合您的订阅", body=body)
    else:
        first = carriers[0]
        more = f"等 {len(carriers)} 个" if len(carriers) > 1 else ""
        send_sms(
            mobile=saved_search.mobile,
            message=f"【{settings.SITE_NAME}】新载体{more}符合您的订阅:{first.title} "
            f"{_absolute(first.get_absolute_url())} 退订:{unsubscribe}",
        )
    now = timezone.now()
    SavedSearchHit.objects.filter(pk__in=[hit.pk for hit in hits]).update(sent_at=now)
    SavedSearch.objects.filter(pk=saved_search.pk).update(last_notified_at=now)


def _send_email(saved_search: SavedSearch, *, subject: str, body: str) -> None:
    unsubscribe = _absolute(saved_search.unsubscribe_path())
    message = EmailMessage(
        subject=subject,
        body=body,
        to=[saved_search.email],
        headers={
            # RFC 8058: mail clients offer a one-click button that POSTs to this URL.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()


def saved_search_label(filters: CarrierFilters) -> str:
    """A short human summary of every filter (stored with the saved search, shown in mails)."""
    parts: list[str] = []
    parts += [str(Carrier.Kind(value).label) for value in filters.kind]
    parts += [str(Carrier.Deal(value).label) for value in filters.deal]
    if filters.district:
        parts += (
            Region.objects.filter(code__in=filters.district)
            .order_by("code")
            .values_list("name", flat=True)
        )
    if filters.park:
        parks = Park.objects.filter(pk__in=filters.park).order_by("name")
        parts += [park.display_name for park in parks]
    if filters.area_min is not None or filters.area_max is not None:
        unit = _("亩") if filters.area_unit == "mu" else "㎡"
        parts.append(f"{filters.area_min or 0}–{filters.area_max or '∞'}{unit}")
    if filters.price_min is not None or filters.price_max is not None:
        unit = str(dict(PRICE_UNITS)[filters.price_unit])
        parts.append(f"{filters.price_min or 0}–{filters.price_max or '∞'}{unit}")
    if filters.height_min is not None:
        parts.append(_("层高≥%(height)sm") % {"height": filters.height_min})
    if filters.load_min is not None:
        parts.append(_("承重≥%(load)st/㎡") % {"load": filters.load_min})
    if filters.power_min is not None:
        parts.append(_("可配电≥%(power)skVA") % {"power": filters.power_min})
    parts += [
        label
        for flag, label in (
            (filters.crane, _("有行车")),
            (filters.yard, _("独门独院")),
            (filters.eia, _("可环评")),
        )
        if flag
    ]
    parts += [str(Carrier.TitleDeed(value).label) for value in filters.deed]
    parts += [str(Carrier.FireHazard(value).label) for value in filters.fire]
    if filters.q:
        parts.append(f"“{filters.q}”")
    return " · ".join(parts) or _("全部载体")


def subscribe_link(filters: CarrierFilters) -> str:
    return f"{reverse('listings:saved_search_new')}?{urlencode({'qs': filters.query_string()})}"
