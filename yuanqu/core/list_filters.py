"""Parsing the GET filters the staff lists share (the leads inbox, the project table and
board, the enterprise registry), so each list reads a park or an industry the same way."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.db.models import Q

_INDUSTRY = re.compile(r"^(?:[A-T]|\d{2})$")


def visible_park_id(query: Mapping[str, Any], *, user: Any) -> int | None:
    """The `park` parameter when it names a park the user may see, else None: a stale or
    forged bookmark shows the user's own list rather than an error (or another park)."""
    from yuanqu.accounts import gates

    raw = str(query.get("park") or "")
    if not raw.isdigit():
        return None
    visible = gates.visible_park_ids(user)
    return int(raw) if visible is None or int(raw) in visible else None


def industry_code(query: Mapping[str, Any]) -> str:
    """The `industry` parameter when it is a GB/T 4754 门类 letter or 2-digit 大类, else ""."""
    code = str(query.get("industry") or "").strip().upper()
    return code if _INDUSTRY.match(code) else ""


def industry_q(code: str, *, field: str = "industry") -> Q:
    """Rows whose industry lies in the 门类 (a letter) or 大类 (two digits)."""
    if code.isalpha():
        return Q(**{f"{field}__section": code})
    return Q(**{f"{field}__code__startswith": code})
