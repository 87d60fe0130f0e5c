"""Writes of matching: store a lead's results, re-run them, flag leads for a new carrier."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from yuanqu.leads.models import Lead, LeadEvent
from yuanqu.listings.models import Carrier
from yuanqu.matching.models import LeadCarrierFlag
from yuanqu.matching.scoring import MatchResult, fmt_range, score_carrier
from yuanqu.matching.selectors import (
    carrier_facts,
    match_config,
    match_for_lead,
    need_spec_for_lead,
    open_leads_for_carrier,
    park_facts,
)

logger = logging.getLogger(__name__)

# 2: each reason also holds its line in the site's other languages ("texts": {"en": …});
# "text" and "label" stay in settings.LANGUAGE_CODE (Chinese), as in version 1.
SNAPSHOT_VERSION = 2
# A new carrier is flagged for a lead when it meets every hard need and scores at least this.
FLAG_MIN_SCORE = 70.0


def lead_summary(lead: Lead) -> str:
    """ "厂房 · 租 · 1,000–1,500㎡ · 3514 建筑工程用机械制造": no personal data. For staff
    (notices), so in the staff side's language whatever the active one."""
    with translation.override(settings.LANGUAGE_CODE):
        parts = [lead.get_kind_display(), lead.get_deal_display()]
        if lead.area_min_m2 or lead.area_max_m2:
            parts.append(
                fmt_range(
                    float(lead.area_min_m2) if lead.area_min_m2 else None,
                    float(lead.area_max_m2) if lead.area_max_m2 else None,
                    lead.kind,
                )
            )
        if lead.industry_id:
            parts.append(str(lead.industry))
        return " · ".join(str(part) for part in parts)


def other_languages() -> tuple[str, ...]:
    """The site's languages besides the default one, whose reason lines a snapshot holds."""
    return tuple(code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE)


def snapshot_from(result: MatchResult, *, now: datetime) -> dict[str, Any]:
    """The stored snapshot: lines in the default language (Chinese: staff and the API read
    them), each reason with its line in the other languages too, built now from the
    same criteria, so the English results page shows English whatever language the
    person submitted in (selectors.lead_results_context picks the page's)."""
    with translation.override(settings.LANGUAGE_CODE):
        data = result.as_dict(languages=other_languages())
    return {"version": SNAPSHOT_VERSION, "matched_at": now.isoformat(), **data}


def lead_match_store(
    *,
    lead: Lead,
    actor: Any = None,
    now: datetime | None = None,
    rerun: bool = False,
    wanted: tuple[Sequence[str], Sequence[int]] | None = None,
) -> dict[str, Any]:
    """Match the lead and store the snapshot the person (and later staff) see.

    The lead is read again with its wanted places, unless the caller has just stored it:
    then `lead` is that instance and `wanted` its (region codes, park ids)."""
    now = now or timezone.now()
    if wanted is None:
        lead = (
            Lead.objects.select_related("industry")
            .prefetch_related("regions", "parks")
            .get(pk=lead.pk)
        )
    previous = lead.match_snapshot or {}
    result = match_for_lead(lead=lead, now=now, wanted=wanted)
    snapshot = snapshot_from(result, now=now)
    event_data: dict[str, Any] = {
        "candidate_count": result.candidate_count,
        "carrier_ids": [match.carrier.id for match in result.carriers],
    }
    if rerun:
        event_data["previous_carrier_ids"] = [
            item["carrier_id"] for item in previous.get("carriers", [])
        ]
    with transaction.atomic():
        fields = {"match_snapshot": snapshot, "matched_at": now}
        if lead.park_id is None:
            # The park that works the lead: the best carrier's park, else the best park.
            if result.carriers:
                fields["park_id"] = result.carriers[0].carrier.park_id
            elif result.parks:
                fields["park_id"] = result.parks[0].park.id
        Lead.objects.filter(pk=lead.pk).update(**fields, updated_at=now)
        LeadEvent.objects.create(
            lead=lead,
            kind=LeadEvent.Kind.REMATCHED if rerun else LeadEvent.Kind.MATCHED,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            note=f"{len(result.carriers)} 个载体,{len(result.near_misses)} 个差一项",
            data=event_data,
        )
    return snapshot


def lead_match_rerun(*, lead: Lead, actor: Any) -> dict[str, Any]:
    """Staff re-run the match (e.g. after new carriers). The new snapshot replaces the old;
    the history event keeps which carriers were shown before and after."""
    return lead_match_store(lead=lead, actor=actor, rerun=True)


def lead_flags_mark_seen(*, lead: Lead, now: datetime | None = None) -> int:
    """Someone who works the lead has seen its flags: they leave the "新载体" lists."""
    return LeadCarrierFlag.objects.filter(lead=lead, seen_at__isnull=True).update(
        seen_at=now or timezone.now()
    )


def leads_flag_for_carrier(*, carrier_id: int, now: datetime | None = None) -> int:
    """Flag open leads that a newly published carrier fits well, for the leads' owners.
    Returns the number of new flags. Idempotent: a lead is flagged once per carrier."""
    now = now or timezone.now()
    carrier = Carrier.objects.select_related("park", "region").filter(pk=carrier_id).first()
    if (
        carrier is None
        or carrier.status != Carrier.Status.AVAILABLE
        or carrier.published_at is None
    ):
        return 0
    facts = carrier_facts(carrier)
    park = park_facts(carrier.park)
    config = match_config(now=now)
    created = 0
    for lead in open_leads_for_carrier(carrier=carrier, now=now):
        match = score_carrier(need_spec_for_lead(lead), facts, park, config)
        if match.failures or match.score < FLAG_MIN_SCORE:
            continue
        # For the lead's owners (the staff side is Chinese only).
        with translation.override(settings.LANGUAGE_CODE):
            reasons = match.as_dict()["reasons"]
        with transaction.atomic():
            flag, was_created = LeadCarrierFlag.objects.get_or_create(
                lead=lead,
                carrier=carrier,
                defaults={
                    "score": Decimal(str(round(match.score, 1))),
                    "reasons": reasons,
                },
            )
            if was_created:
                created += 1
                LeadEvent.objects.create(
                    lead=lead,
                    kind=LeadEvent.Kind.CARRIER_FLAGGED,
                    note=f"新载体 {carrier.pk} 匹配 {round(match.score)} 分",
                    data={"carrier_id": carrier.pk, "score": round(match.score, 1)},
                )
    return created
