from __future__ import annotations

from typing import Any

from django import template

from yuanqu.chains.selectors import item_placings

register = template.Library()


@register.inclusion_tag("chains/placings.html", takes_context=True)
def chain_placings(context: template.Context, kind: str, item: Any, can_edit: bool = False) -> dict:
    """The item's chain links as tags (automatic, corrected, taken out), with the controls
    to correct them for staff who may change the item."""
    placings, others = item_placings(kind, item)
    return {
        "kind": kind,
        "item": item,
        "placings": placings,
        "others": others,
        "can_edit": can_edit,
        "next": context["request"].get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
