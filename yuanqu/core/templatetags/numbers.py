"""Numbers as the trade writes them: no trailing zeros (6.5 亿元, not 6.5000), thousands
separated, and — for a value nobody entered."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()


@register.filter
def amount(value: Any, places: int = 4) -> str:
    """`{{ project.agreed_investment_yi|amount }}`: 6.5, 12,000, 0.25; None or "" → —."""
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value)).quantize(Decimal(1).scaleb(-int(places)))
    except (InvalidOperation, ValueError):
        return str(value)
    text = f"{number:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
