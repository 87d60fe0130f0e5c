from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from yuanqu.core.templatetags.numbers import amount

register = template.Library()


@register.filter
def signed(value: Any, places: int = 1) -> str:
    """+3.2 / −1.5 / 0 for growth rates and gaps; None → —."""
    if value is None or value == "":
        return "—"
    number = Decimal(str(value))
    text = amount(abs(number), places)
    if number > 0:
        return f"+{text}"
    if number < 0:
        return f"−{text}"
    return text


@register.filter
def figure_value(figure: Any) -> str:
    """The year-to-date value in the indicator's precision."""
    return amount(figure.ytd, figure.indicator.precision)


@register.filter
def verdict(flag: bool | None) -> str:
    return {True: "✔ 达成", False: "✘ 未达成"}.get(flag, "—")  # type: ignore[arg-type]


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if mapping is not None else None


@register.filter
def zip_lists(first: Any, second: Any) -> list[tuple[Any, Any]]:
    """Pairs of two lists of the same length, for one table row from two series."""
    return list(zip(first, second, strict=True))
