from __future__ import annotations

import math
from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(value: timedelta | None) -> int:
    """A duration in whole minutes, rounded up (for "请 15 分钟后再试")."""
    if not isinstance(value, timedelta):
        return 0
    return max(1, math.ceil(value.total_seconds() / 60))
