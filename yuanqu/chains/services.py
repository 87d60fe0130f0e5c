"""Staff corrections of where an item sits in its park's chains."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from yuanqu.chains.models import ChainLink, LinkOverride, ParkChain
from yuanqu.chains.selectors import item_facts

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
