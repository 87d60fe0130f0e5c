"""Local calendar days as datetime bounds. Filtering a datetime column by `__date` makes
SQLite call a Python function per row (and PostgreSQL skip the index); comparing with the
day's local start and the next day's start uses the index on both."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone


def day_start(day: date) -> datetime:
    """The first moment of `day` in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def on_days(field: str, start: date | None = None, end: date | None = None) -> Q:
    """`field` (a datetime) falls on a local day from `start` to `end`, both included."""
    condition = Q()
    if start is not None:
        condition &= Q(**{f"{field}__gte": day_start(start)})
    if end is not None:
        condition &= Q(**{f"{field}__lt": day_start(end + timedelta(days=1))})
    return condition
