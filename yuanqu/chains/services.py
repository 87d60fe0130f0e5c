"""Staff corrections of where an item sits in its park's chains."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from yuanqu.chains.calculations import MISSING, STRONG, WEAK
from yuanqu.chains.models import ChainLink, CompletenessSnapshot, LinkOverride, ParkChain
from yuanqu.chains.selectors import coverage_for_parks, item_facts

ACTIONS = ("add", "remove", "reset")


def link_placing_correct(*, actor: Any, kind: str, item: Any, link: ChainLink, action: str) -> None:
    """add: put the item in the link; remove: take it out of a link it was placed in
    automatically; reset: back to the automatic placing. The link must belong to a chain
    the item's park pursues."""
    if action not in ACTIONS:
        raise ValidationError({"action": _("未知的操作。")})
    park_id, _code, _text = item_facts(kind, item)
    if (
        park_id is None
        or not ParkChain.objects.filter(park_id=park_id, chain_id=link.chain_id).exists()
    ):
        raise ValidationError({"link": _("这个环节不属于该园区主攻的产业链。")})
    if action == "reset":
        LinkOverride.objects.filter(link=link, kind=kind, object_id=item.pk).delete()
        return
    LinkOverride.objects.update_or_create(
        link=link, kind=kind, object_id=item.pk,
        defaults={"included": action == "add", "user": actor},
    )  # fmt: skip


def completeness_record(*, today: date | None = None) -> int:
    """This month's completeness of every park's chains (run daily; the month's row ends up
    holding its last day). Returns the number of rows written."""
    today = today or timezone.localdate()
    park_ids = ParkChain.objects.values_list("park_id", flat=True).distinct()
    written = 0
    for park_id, chains in coverage_for_parks(park_ids, with_leads=False).items():
        for chain in chains:
            CompletenessSnapshot.objects.update_or_create(
                park_id=park_id, chain=chain.chain, year=today.year, month=today.month,
                defaults={
                    "completeness_pct": chain.completeness_pct,
                    "strong": chain.status_counts.get(STRONG, 0),
                    "weak": chain.status_counts.get(WEAK, 0),
                    "missing": chain.status_counts.get(MISSING, 0),
                },
            )  # fmt: skip
            written += 1
    return written
