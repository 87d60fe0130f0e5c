"""Writes for needs (leads): submit, merge, withdraw, deletion request, notifications."""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from yuanqu.core.models import Industry
from yuanqu.core.tasks import purge_freed_storage_later
from yuanqu.leads.models import (
    Lead,
    LeadEvent,
    LeadNotification,
    LeadSubmission,
    ReferenceSequence,
)
from yuanqu.leads.privacy import PRIVACY_NOTICE_VERSION

logger = logging.getLogger(__name__)

# Need fields copied from the submitted data onto the lead (personal fields are listed apart).
NEED_FIELDS = (
    "kind", "deal", "intended_use", "area_min_m2", "area_max_m2", "budget_value", "budget_unit",
    "insist_location", "power_kva", "height_m", "load_t_m2", "crane_t", "eia_required",
    "fire_hazard_class", "timing", "investment_wan", "annual_tax_wan", "jobs",
)  # fmt: skip
PERSONAL_FIELDS = ("company", "contact_name", "mobile", "need_text")
OPEN_STATUSES = (Lead.Status.NEW, Lead.Status.FOLLOWING)


class LeadSubmitRefused(Exception):
    """The submission was not stored: `reason` is "honeypot", "rate_limited" or "consent"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SubmitOutcome:
    lead: Lead
    created: bool  # a new lead
    merged: bool  # merged into an open lead with the same mobile and need
    replayed: bool  # this idempotency key was seen before: nothing new stored


# ---------------------------------------------------------------------------------------
# Submit


def lead_submit(
    *,
    data: Mapping[str, Any],
    idempotency_key: str,
    ip: str | None,
    honeypot: str = "",
    now: datetime | None = None,
    run_match: bool = True,
    rate_limited: bool = True,
) -> SubmitOutcome:
    """Store a validated need exactly once and match it.

    `data` holds the cleaned form fields (see NEED_FIELDS and PERSONAL_FIELDS, plus
    industry_code, region_codes, park_ids, park_id, consent, source_page, source_carrier_id;
    optionally "industry", the Industry row of industry_code when the caller has read it).
    A key seen before returns its lead unchanged (double taps, retries). The same mobile
    with the same need inside LEAD_MERGE_WINDOW_HOURS merges into the open lead. The
    lead, its submission row and its notification row commit together; the notification
    task is queued on commit and the match runs after commit, so a failing match or
    notifier never loses the lead.
    """
    if honeypot.strip():
        raise LeadSubmitRefused("honeypot")
    if not data.get("consent"):
        raise LeadSubmitRefused("consent")
    key = (idempotency_key or "").strip()[:64] or uuid.uuid4().hex
    now = now or timezone.now()

    replay = _replay(key)
    if replay is not None:
        return replay
    if rate_limited:
        _check_rate_limits(ip=ip, mobile=str(data.get("mobile") or ""))

    try:
        with transaction.atomic():
            lead, created = _store(data=data, key=key, ip=ip, now=now)
    except IntegrityError:
        # A concurrent request with the same key committed first: answer with its lead.
        replay = _replay(key)
        if replay is None:
            raise
        return replay

    if run_match:
        # The lead and its places were just written: match them without reading them back.
        _match_quietly(
            lead, wanted=(list(data.get("region_codes") or []), list(data.get("park_ids") or []))
        )
    return SubmitOutcome(lead=lead, created=created, merged=not created, replayed=False)


def lead_submission_matches(*, idempotency_key: str, data: Mapping[str, Any]) -> bool:
    """False when this key already stored a different need (a client reusing a key for
    another submission); True for a new key or a true retry. Personal fields are not kept in
    the submission history, so only the need itself is compared."""
    stored = (
        LeadSubmission.objects.filter(idempotency_key=idempotency_key.strip()[:64])
        .values_list("data", flat=True)
        .first()
    )
    return stored is None or stored == _submission_data(data)


def _replay(key: str) -> SubmitOutcome | None:
    # Runs before every submission and almost every key is new: the lead id alone, in raw
    # SQL (building the ORM query costs ten times the lookup on the unique key); the whole
    # lead, with its snapshot, is read only for a replay.
    table = connection.ops.quote_name(LeadSubmission._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "lead_id" FROM {table} WHERE "idempotency_key" = %s', [key])
        row = cursor.fetchone()
    lead = None if row is None else Lead.objects.filter(pk=row[0]).first()
    if lead is None:
        return None
    return SubmitOutcome(lead=lead, created=False, merged=False, replayed=True)


def _store(
    *, data: Mapping[str, Any], key: str, ip: str | None, now: datetime
) -> tuple[Lead, bool]:
    fingerprint = need_fingerprint(data)
    _serialise_per_mobile(str(data.get("mobile") or ""))
    existing = _mergeable_lead(
        mobile=str(data.get("mobile") or ""), fingerprint=fingerprint, now=now
    )
    snapshot = _submission_data(data)
    if existing is not None:
        _apply(existing, data, ip=ip, now=now)
        existing.submission_count = F("submission_count") + 1
        existing.last_submitted_at = now
        existing.save()
        existing.refresh_from_db()
        _set_wanted_places(existing, data)
        LeadSubmission.objects.create(
            lead=existing, idempotency_key=key, ip=ip, merged=True, data=snapshot
        )
        LeadEvent.objects.create(
            lead=existing,
            kind=LeadEvent.Kind.MERGED,
            note=f"第 {existing.submission_count} 次提交,已合并",
            data={"submission_count": existing.submission_count},
        )
        _index_on_commit(existing)
        return existing, False

    lead = Lead(
        reference=_next_reference(now),
        idempotency_key=key,
        need_fingerprint=fingerprint,
        last_submitted_at=now,
        source_page=str(data.get("source_page") or "")[:300],
        source_carrier_id=data.get("source_carrier_id") or None,
        park_id=data.get("park_id") or None,
    )
    _apply(lead, data, ip=ip, now=now)
    lead.save()
    _set_wanted_places(lead, data, new=True)
    LeadSubmission.objects.create(lead=lead, idempotency_key=key, ip=ip, data=snapshot)
    LeadEvent.objects.create(lead=lead, kind=LeadEvent.Kind.SUBMITTED)
    LeadNotification.objects.create(lead=lead)
    lead_id = lead.pk
    transaction.on_commit(lambda: _enqueue_notification(lead_id), robust=True)
    _index_on_commit(lead)
    return lead, True


def _index_on_commit(lead: Lead) -> None:
    """The entry of a lead this transaction stored, written after commit from the instance
    (robust, as _reindex)."""
    from yuanqu.leads.search_index import index_stored_lead

    transaction.on_commit(lambda: index_stored_lead(lead), robust=True)


def _reindex(lead_id: int) -> None:
    """Refresh the lead's search entry after commit; a failing index never fails the write
    (the nightly rebuild repairs it)."""
    from yuanqu.leads.search_index import leads_index

    transaction.on_commit(lambda: leads_index(lead_ids=[lead_id]), robust=True)


def _apply(lead: Lead, data: Mapping[str, Any], *, ip: str | None, now: datetime) -> None:
    for name in NEED_FIELDS:
        if name in data:
            value = data[name]
            if value is None and name in {
                "intended_use",
                "budget_unit",
                "fire_hazard_class",
                "timing",
            }:
                value = ""
            if value is None and name in {"insist_location", "eia_required"}:
                value = False
            setattr(lead, name, value)
    for name in PERSONAL_FIELDS:
        if data.get(name):
            setattr(lead, name, data[name])
    code = data.get("industry_code") or None
    industry = data.get("industry")
    if isinstance(industry, Industry) and industry.code == code:
        lead.industry = industry  # already read by the form: the match needs no query for it
    else:
        lead.industry_id = code
    lead.consent_version = PRIVACY_NOTICE_VERSION
    lead.consent_at = now
    lead.consent_ip = ip


def _set_wanted_places(lead: Lead, data: Mapping[str, Any], *, new: bool = False) -> None:
    region_codes = list(data.get("region_codes") or [])
    park_ids = list(data.get("park_ids") or [])
    if new:
        # A new lead has no places yet: add what was chosen, skip the queries for none.
        if region_codes:
            lead.regions.add(*region_codes)
        if park_ids:
            lead.parks.add(*park_ids)
        return
    lead.regions.set(region_codes)
    lead.parks.set(park_ids)


def _submission_data(data: Mapping[str, Any]) -> dict[str, Any]:
    """The need as submitted, JSON-safe, for the history (personal fields left out)."""
    keep = {*NEED_FIELDS, "industry_code", "region_codes", "park_ids", "need_text"}
    result: dict[str, Any] = {}
    for name in sorted(keep):
        value = data.get(name)
        if isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, (list, tuple, set)):
            value = sorted(str(item) for item in value)
        result[name] = value
    return result


def need_fingerprint(data: Mapping[str, Any]) -> str:
    """What makes two submissions "the same need": kind, deal, area, industry, places."""

    def number(value: Any) -> str:
        return "" if value in (None, "") else str(int(Decimal(str(value))))

    parts = [
        str(data.get("kind") or ""),
        str(data.get("deal") or ""),
        number(data.get("area_min_m2")),
        number(data.get("area_max_m2")),
        str(data.get("industry_code") or ""),
        ",".join(sorted(str(code) for code in data.get("region_codes") or [])),
        ",".join(sorted(str(pk) for pk in data.get("park_ids") or [])),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:40]


def _serialise_per_mobile(mobile: str) -> None:
    """Two submissions from one mobile at the same moment (different keys) must not both
    miss the merge and create two leads. On PostgreSQL a transaction-scoped advisory lock
    on the mobile's hash queues them; SQLite's IMMEDIATE transactions already run writers
    one at a time."""
    if not mobile or connection.vendor != "postgresql":
        return
    lock_id = int(hashlib.sha256(f"lead-mobile:{mobile}".encode()).hexdigest()[:15], 16)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])


def _mergeable_lead(*, mobile: str, fingerprint: str, now: datetime) -> Lead | None:
    hours = getattr(settings, "LEAD_MERGE_WINDOW_HOURS", 24)
    if not mobile or hours <= 0:
        return None
    # The id first (locked): a merge is rare, and the whole lead is read only for one.
    lead_id = (
        Lead.objects.select_for_update()
        .filter(
            mobile=mobile,
            need_fingerprint=fingerprint,
            last_submitted_at__gte=now - timedelta(hours=hours),
            status__in=OPEN_STATUSES,
            anonymised_at__isnull=True,
        )
        .order_by("-last_submitted_at", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    return None if lead_id is None else Lead.objects.get(pk=lead_id)


def _next_reference(now: datetime) -> str:
    """XQ20261125-0001: a per-day sequence, its row locked until the lead commits."""
    day = timezone.localdate(now)
    if connection.features.can_return_columns_from_insert:
        # One statement instead of three (SQLite 3.35+ and PostgreSQL both upsert and return).
        table = connection.ops.quote_name(ReferenceSequence._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO {table} ("day", "last") VALUES (%s, 1) ON CONFLICT ("day") '
                f'DO UPDATE SET "last" = {table}."last" + 1 RETURNING "last"',
                [connection.ops.adapt_datefield_value(day)],
            )
            number = cursor.fetchone()[0]
    else:
        ReferenceSequence.objects.bulk_create([ReferenceSequence(day=day)], ignore_conflicts=True)
        ReferenceSequence.objects.filter(day=day).update(last=F("last") + 1)
        number = ReferenceSequence.objects.filter(day=day).values_list("last", flat=True).get()
    return f"XQ{day:%Y%m%d}-{number:04d}"


def _check_rate_limits(*, ip: str | None, mobile: str) -> None:
    if not getattr(settings, "LEAD_RATE_LIMITS", True):
        return
    hour = timezone.now().strftime("%Y%m%d%H")
    checks = []
    if ip:
        checks.append((f"ip:{ip}", settings.LEAD_RATE_LIMIT_PER_IP_HOUR))
    if mobile:
        checks.append((f"mobile:{mobile}", settings.LEAD_RATE_LIMIT_PER_MOBILE_HOUR))
    for subject, limit in checks:
        # Hashed, so the cache holds no mobile numbers or addresses in clear.
        digest = hashlib.sha256(f"{settings.SECRET_KEY}:{subject}".encode()).hexdigest()[:24]
        cache_key = f"leads:rate:{hour}:{digest}"
        cache.add(cache_key, 0, timeout=3600)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=3600)
            count = 1
        if count > limit:
            raise LeadSubmitRefused("rate_limited")


def _match_quietly(
    lead: Lead, *, wanted: tuple[Sequence[str], Sequence[int]] | None = None
) -> None:
    from yuanqu.matching.services import lead_match_store

    try:
        lead_match_store(lead=lead, wanted=wanted)
    except Exception:
        # The lead is stored; staff can re-run the match. Only the id goes to the log.
        logger.exception("matching failed for lead %s", lead.pk)


# ---------------------------------------------------------------------------------------
# The person's own actions (through the private link)


def lead_withdraw(*, lead: Lead, now: datetime | None = None) -> Lead:
    """The person no longer needs a site: the lead leaves every inbox and flag list."""
    with transaction.atomic():
        lead = Lead.objects.select_for_update().get(pk=lead.pk)
        if lead.status == Lead.Status.WITHDRAWN:
            return lead
        lead.status = Lead.Status.WITHDRAWN
        lead.withdrawn_at = now or timezone.now()
        lead.save(update_fields=["status", "withdrawn_at", "updated_at"])
        LeadEvent.objects.create(lead=lead, kind=LeadEvent.Kind.WITHDRAWN)
    return lead


def lead_request_deletion(*, lead: Lead, now: datetime | None = None) -> Lead:
    """Record the person's deletion request and erase this lead's personal data at once.

    Judgement call: only this lead (and rows linked to it) is erased. Erasing everything
    found under the mobile or the contact name belongs to staff with the accounts
    personal-data tools, because a link holder is not verified as the number's owner.
    """
    now = now or timezone.now()
    with transaction.atomic():
        lead = Lead.objects.select_for_update().get(pk=lead.pk)
        if lead.deletion_requested_at is None:
            lead.deletion_requested_at = now
            LeadEvent.objects.create(lead=lead, kind=LeadEvent.Kind.DELETION_REQUESTED)
        if lead.status in OPEN_STATUSES:
            lead.status = Lead.Status.WITHDRAWN
            lead.withdrawn_at = lead.withdrawn_at or now
        lead.save()
        _erase_lead_personal_data(lead, now=now)
        # The worker compacts the storage the erased values still occupy (a VACUUM is too
        # slow for the request that asked).
        transaction.on_commit(lambda: purge_freed_storage_later.enqueue(), robust=True)
    lead.refresh_from_db()
    return lead


def _erase_lead_personal_data(lead: Lead, *, now: datetime) -> None:
    holders = _personal_data_holders()
    for label, (erase_fields, link_field) in holders.items():
        from django.apps import apps

        model = apps.get_model(label)
        if label == "leads.Lead":
            rows: Iterable[Any] = [lead]
        elif link_field:
            rows = model._default_manager.filter(**{link_field: lead})
        else:
            continue
        for row in rows:
            for name in erase_fields:
                field = model._meta.get_field(name)
                setattr(row, name, None if field.null else "")
            if hasattr(row, "anonymised_at") and row.anonymised_at is None:
                row.anonymised_at = now
            row.save()
    _reindex(lead.pk)  # the entry holds the company and the need text: it goes too


def _personal_data_holders() -> dict[str, tuple[tuple[str, ...], str]]:
    """Erase rules from the accounts registry when it is installed, else this app's own."""
    rules: dict[str, tuple[tuple[str, ...], str]] = {
        "leads.Lead": (("company", "contact_name", "mobile", "need_text", "consent_ip"), ""),
        "leads.LeadSubmission": (("ip", "data"), "lead"),
    }
    try:
        from yuanqu.accounts import personal_data
    except ImportError:
        return rules
    for holder in personal_data.holders():
        if holder.model_label == "leads.Lead" or holder.link_field == "lead":
            rules[holder.model_label] = (holder.erase_fields, holder.link_field)
    return rules


# ---------------------------------------------------------------------------------------
# Notifications


def _enqueue_notification(lead_id: int, *, run_after: datetime | None = None) -> None:
    from yuanqu.leads.tasks import lead_notify_staff

    task = lead_notify_staff.using(run_after=run_after) if run_after else lead_notify_staff
    task.enqueue(lead_id)


def notification_backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after each failure, capped at 6 hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def lead_notification_attempt(*, lead_id: int, now: datetime | None = None) -> str:
    """Send the new-lead notice once; on failure record the attempt and schedule a retry."""
    from yuanqu.leads.notifications import send_lead_notice

    now = now or timezone.now()
    lead = Lead.objects.filter(pk=lead_id, match_snapshot__isnull=True).first()
    if lead is not None:
        # The match after submit failed (or has not run): run it here, so the person's
        # results page fills in and the notice goes to the matched parks.
        _match_quietly(lead)
    with transaction.atomic():
        notification = (
            LeadNotification.objects.select_for_update()
            .select_related("lead")
            .filter(lead_id=lead_id)
            .first()
        )
        if notification is None:
            return "no notification row"
        if notification.status in {LeadNotification.Status.SENT, LeadNotification.Status.GAVE_UP}:
            return f"already {notification.status}"
        notification.attempts += 1
        try:
            recipients = send_lead_notice(notification.lead)
        except Exception as error:  # anything the mail server or webhook throws
            notification.last_error = f"{type(error).__name__}: {str(error)[:200]}"
            maximum = getattr(settings, "LEAD_NOTIFY_MAX_ATTEMPTS", 8)
            if notification.attempts >= maximum:
                notification.status = LeadNotification.Status.GAVE_UP
                notification.next_attempt_at = None
            else:
                notification.status = LeadNotification.Status.FAILED
                notification.next_attempt_at = now + notification_backoff(notification.attempts)
            notification.save()
            LeadEvent.objects.create(
                lead_id=lead_id,
                kind=LeadEvent.Kind.NOTIFY_FAILED,
                note=f"第 {notification.attempts} 次通知失败",
            )
            if notification.next_attempt_at is not None:
                run_after = notification.next_attempt_at
                transaction.on_commit(
                    lambda: _enqueue_notification(lead_id, run_after=run_after), robust=True
                )
            return f"failed attempt {notification.attempts}"
        notification.status = LeadNotification.Status.SENT
        notification.sent_at = now
        notification.next_attempt_at = None
        notification.last_error = ""
        notification.recipient_count = recipients
        notification.save()
        LeadEvent.objects.create(
            lead_id=lead_id, kind=LeadEvent.Kind.NOTIFIED, note=f"{recipients} 位园区人员"
        )
    return f"sent to {recipients}"


def lead_notifications_requeue(*, now: datetime | None = None) -> int:
    """Re-enqueue notices that are due: failed ones past their back-off, and pending ones
    whose enqueue may have been lost (older than ten minutes)."""
    now = now or timezone.now()
    due = list(
        LeadNotification.objects.filter(
            status=LeadNotification.Status.FAILED, next_attempt_at__lte=now
        ).values_list("lead_id", flat=True)
    )
    due += list(
        LeadNotification.objects.filter(
            status=LeadNotification.Status.PENDING, created_at__lte=now - timedelta(minutes=10)
        ).values_list("lead_id", flat=True)
    )
    for lead_id in due:
        _enqueue_notification(lead_id)
    return len(due)


# ---------------------------------------------------------------------------------------
# The workbench: follow-ups, assignment, invalidation, reopening, merging, reveals


CLOSED_MESSAGE = "该线索已关闭(已转项目、无效、已撤回或已匿名化),不能再跟进。"


def _locked_lead(lead: Lead) -> Lead:
    return Lead.objects.select_for_update().get(pk=lead.pk)


def _require_editable(actor: Any, lead: Lead) -> None:
    from django.core.exceptions import PermissionDenied

    from yuanqu.accounts.gates import user_can_edit_park

    if not user_can_edit_park(actor, lead.park_id):
        raise PermissionDenied("您没有处理该线索的权限。")


def _status_event(lead: Lead, *, actor: Any, old: str, note: str = "") -> None:
    LeadEvent.objects.create(
        lead=lead,
        kind=LeadEvent.Kind.STATUS_CHANGED,
        actor=actor,
        note=note or f"{Lead.Status(old).label} → {Lead.Status(lead.status).label}",
        data={"from": old, "to": lead.status},
    )


@transaction.atomic
def lead_follow_up_record(
    *,
    actor: Any,
    lead: Lead,
    channel: str,
    happened_at: datetime,
    notes: str,
    outcome: str,
    next_follow_up_on: Any = None,
) -> Any:
    """One call, visit, WeChat message or meeting; a new lead becomes 跟进中."""
    from django.core.exceptions import ValidationError

    from yuanqu.leads.models import FollowUp

    _require_editable(actor, lead)
    lead = _locked_lead(lead)
    if not lead.is_open:
        raise ValidationError(CLOSED_MESSAGE, code="closed")
    errors: dict[str, str] = {}
    if channel not in FollowUp.Channel.values:
        errors["channel"] = "请选择跟进方式。"
    if outcome not in FollowUp.Outcome.values:
        errors["outcome"] = "请选择跟进结果。"
    notes = (notes or "").strip()
    if not notes:
        errors["notes"] = "请填写跟进记录。"
    now = timezone.now()
    if happened_at is None:
        errors["happened_at"] = "请填写跟进时间。"
    elif happened_at > now + timedelta(minutes=5):
        errors["happened_at"] = "跟进时间不能晚于现在。"
    if next_follow_up_on is not None and next_follow_up_on < timezone.localdate():
        errors["next_follow_up_on"] = "下次跟进日期不能早于今天。"
    if errors:
        raise ValidationError(errors)
    follow_up = FollowUp.objects.create(
        lead=lead,
        channel=channel,
        happened_at=happened_at,
        notes=notes,
        outcome=outcome,
        next_follow_up_on=next_follow_up_on,
        author=actor,
    )
    LeadEvent.objects.create(
        lead=lead,
        kind=LeadEvent.Kind.FOLLOWED_UP,
        actor=actor,
        note=f"{FollowUp.Channel(channel).label} · {FollowUp.Outcome(outcome).label}",
        data={"follow_up_id": follow_up.pk},
    )
    fields = ["last_activity_at", "next_follow_up_on", "updated_at"]
    lead.last_activity_at = max(happened_at, lead.last_activity_at or happened_at)
    lead.next_follow_up_on = next_follow_up_on
    if lead.status == Lead.Status.NEW:
        lead.status = Lead.Status.FOLLOWING
        fields.append("status")
        _status_event(lead, actor=actor, old=Lead.Status.NEW)
    if lead.owner_id is None:
        # Whoever works an unassigned lead takes it (the history says so).
        lead.owner = actor
        lead.assigned_at = now
        fields += ["owner", "assigned_at"]
        LeadEvent.objects.create(
            lead=lead, kind=LeadEvent.Kind.ASSIGNED, actor=actor, note=str(actor),
            data={"from": None, "to": actor.pk},
        )  # fmt: skip
    lead.save(update_fields=fields)
    return follow_up


@transaction.atomic
def lead_assign(*, actor: Any, lead: Lead, owner: Any) -> Lead:
    """Give the lead to an officer of its park (park managers; an officer may take an
    unassigned lead himself). The history keeps who had it; the new owner is told."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from yuanqu.accounts.gates import assignable_officers, can_assign_in_park

    _require_editable(actor, lead)
    lead = _locked_lead(lead)
    taking_it = owner is not None and owner.pk == actor.pk and lead.owner_id is None
    if not (can_assign_in_park(actor, lead.park_id) or taking_it):
        raise PermissionDenied("只有园区管理员可以分配线索(专员可领取未分配的线索)。")
    if lead.park_id is None:
        raise ValidationError("线索尚未确定负责园区,不能分配。", code="no_park")
    if owner is None or not assignable_officers(lead.park_id).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": "只能分配给该线索所属园区的招商人员。"})
    if owner.pk == lead.owner_id:
        return lead
    previous = lead.owner_id
    lead.owner = owner
    lead.assigned_at = timezone.now()
    lead.save(update_fields=["owner", "assigned_at", "updated_at"])
    LeadEvent.objects.create(
        lead=lead,
        kind=LeadEvent.Kind.ASSIGNED,
        actor=actor,
        note=owner.get_full_name() or owner.username,
        data={"from": previous, "to": owner.pk},
    )
    if owner.pk != actor.pk:
        lead_id, owner_id = lead.pk, owner.pk
        transaction.on_commit(lambda: _notify_new_owner(lead_id, owner_id), robust=True)
    return lead


def _notify_new_owner(lead_id: int, owner_id: int) -> None:
    """E-mail and webhook to the new owner: reference, need and link; as with every staff
    notice, no company, name or mobile (those are read, and unmasked, in the workbench)."""
    from django.contrib.auth import get_user_model
    from django.core.mail import send_mail

    from yuanqu.leads.notifications import StaffNotice, get_webhook_backend, lead_notice

    lead = Lead.objects.select_related("park", "industry").get(pk=lead_id)
    owner = get_user_model().objects.get(pk=owner_id)
    base = lead_notice(lead)
    notice = StaffNotice(
        reference=lead.reference,
        summary=base.summary,
        headline=f"线索 {lead.reference} 已分配给 {owner.username}",
        body=f"{base.summary}\n查看:{base.staff_url}",
    )
    if owner.email:
        send_mail(f"[招商工作台] {notice.title}", notice.text(), None, [owner.email])
    get_webhook_backend().send(notice)


@transaction.atomic
def lead_mark_invalid(*, actor: Any, lead: Lead, reason: str) -> Lead:
    from django.core.exceptions import ValidationError

    _require_editable(actor, lead)
    lead = _locked_lead(lead)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": "请填写无效原因。"})
    if len(reason) > 200:
        raise ValidationError({"reason": "原因不能超过 200 字。"})
    if not lead.is_open:
        raise ValidationError(CLOSED_MESSAGE, code="closed")
    old = lead.status
    lead.status = Lead.Status.INVALID
    lead.invalid_reason = reason
    lead.last_activity_at = timezone.now()
    lead.save(update_fields=["status", "invalid_reason", "last_activity_at", "updated_at"])
    LeadEvent.objects.create(
        lead=lead, kind=LeadEvent.Kind.INVALIDATED, actor=actor, note=reason,
        data={"from": old},
    )  # fmt: skip
    return lead


@transaction.atomic
def lead_reopen(*, actor: Any, lead: Lead, reason: str = "") -> Lead:
    """An invalid lead back to work (跟进中 when it has an owner, else 新线索). Withdrawn
    leads stay closed: their submitter asked not to be contacted; merged ones live on in
    the lead they were merged into."""
    from django.core.exceptions import ValidationError

    _require_editable(actor, lead)
    lead = _locked_lead(lead)
    if lead.status != Lead.Status.INVALID or lead.merged_into_id or lead.anonymised_at:
        raise ValidationError(
            "只有标记为无效(且未合并、未匿名化)的线索可以重新打开。", code="not_invalid"
        )
    lead.status = Lead.Status.FOLLOWING if lead.owner_id else Lead.Status.NEW
    lead.invalid_reason = ""
    lead.last_activity_at = timezone.now()
    lead.save(update_fields=["status", "invalid_reason", "last_activity_at", "updated_at"])
    LeadEvent.objects.create(
        lead=lead, kind=LeadEvent.Kind.REOPENED, actor=actor,
        note=" ".join((reason or "").split())[:300],
    )  # fmt: skip
    return lead


def same_company(first: str, second: str) -> bool:
    """Company names compared after folding (全角/半角, 繁/简, spaces, case)."""
    from yuanqu.core.text import fold

    def key(name: str) -> str:
        return "".join(fold(name or "").split())

    return bool(key(first)) and key(first) == key(second)


@transaction.atomic
def lead_merge(*, actor: Any, keep: Lead, other: Lead) -> Lead:
    """Fold `other` into `keep`: its submissions, follow-ups and new-carrier flags move, both
    histories stay (each says what happened), and `other` closes pointing at `keep`."""
    from django.core.exceptions import ValidationError

    from yuanqu.matching.models import LeadCarrierFlag

    _require_editable(actor, keep)
    _require_editable(actor, other)
    first, second = sorted((keep.pk, other.pk))
    locked = {
        lead.pk: lead for lead in Lead.objects.select_for_update().filter(pk__in=[first, second])
    }
    keep, other = locked[keep.pk], locked[other.pk]
    if keep.pk == other.pk:
        raise ValidationError({"other": "不能与自身合并。"})
    if keep.park_id != other.park_id:
        raise ValidationError({"other": "只能合并同一园区的线索。"})
    if not same_company(keep.company, other.company):
        raise ValidationError({"other": "只能合并同一公司的线索。"})
    for lead in (keep, other):
        if lead.status == Lead.Status.CONVERTED or lead.anonymised_at or lead.merged_into_id:
            raise ValidationError(
                {"other": f"线索 {lead.reference} 已转项目、已匿名化或已合并,不能合并。"}
            )
    moved = other.submissions.update(lead=keep)
    other.follow_ups.all().update(lead=keep)
    duplicate_flags = LeadCarrierFlag.objects.filter(
        lead=other, carrier_id__in=keep.carrier_flags.values("carrier_id")
    )
    duplicate_flags.delete()
    LeadCarrierFlag.objects.filter(lead=other).update(lead=keep)
    keep.submission_count += other.submission_count
    keep.last_submitted_at = max(
        filter(None, (keep.last_submitted_at, other.last_submitted_at)), default=None
    )
    keep.next_follow_up_on = min(
        filter(None, (keep.next_follow_up_on, other.next_follow_up_on)), default=None
    )
    keep.last_activity_at = timezone.now()
    keep.owner_id = keep.owner_id or other.owner_id
    keep.save()
    LeadEvent.objects.create(
        lead=keep, kind=LeadEvent.Kind.MERGED_FROM, actor=actor,
        note=f"合并了线索 {other.reference}({moved} 次提交)",
        data={"lead_id": other.pk, "reference": other.reference, "submissions": moved},
    )  # fmt: skip
    old = other.status
    other.status = Lead.Status.INVALID
    other.invalid_reason = f"已合并到 {keep.reference}"
    other.merged_into = keep
    other.submission_count = 0
    other.next_follow_up_on = None
    other.save()
    LeadEvent.objects.create(
        lead=other, kind=LeadEvent.Kind.MERGED_INTO, actor=actor,
        note=f"已合并到 {keep.reference}", data={"lead_id": keep.pk, "from": old},
    )  # fmt: skip
    _reindex(keep.pk)
    _reindex(other.pk)
    return keep


def lead_mobile_reveal_recorded(*, user: Any, lead: Lead, reason: str, request: Any = None) -> str:
    """The logged reveal of accounts.pii plus a line in the lead's own history (who and why;
    never the number)."""
    from yuanqu.accounts.pii import lead_mobile_reveal

    with transaction.atomic():
        mobile = lead_mobile_reveal(user=user, lead=lead, reason=reason, request=request)
        LeadEvent.objects.create(
            lead=lead,
            kind=LeadEvent.Kind.MOBILE_REVEALED,
            actor=user,
            note=" ".join(reason.split())[:300],
        )
    return mobile
