"""Cursor pagination: `?limit=20&cursor=…` → {"items": [...], "next_cursor": "…" | null}.

A cursor is opaque and signed (a forged or edited one is refused, never trusted), names the
endpoint it came from, and holds either the last row's sort key (keyset: a stable order that
new rows do not shift) or, for ranked search results, an offset.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core import signing
from django.db.models import Q, QuerySet
from ninja import Schema

from yuanqu.api.errors import ApiError

T = TypeVar("T")
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
SALT = "yuanqu.api.cursor"


class Page(Schema, Generic[T]):
    items: list[T]
    next_cursor: str | None


def _refuse() -> ApiError:
    return ApiError(400, "invalid_cursor", "cursor 无效或已过期,请从第一页重新开始。",
                    {"cursor": ["无效的 cursor。"]})  # fmt: skip


def encode(scope: str, position: Any) -> str:
    return signing.dumps({"s": scope, "p": position}, salt=SALT, compress=True)


def decode(scope: str, cursor: str | None) -> Any:
    """The position the cursor holds (None for the first page); ApiError when it is forged,
    damaged or from another endpoint."""
    if not cursor:
        return None
    try:
        data = signing.loads(cursor, salt=SALT)
    except signing.BadSignature:
        raise _refuse() from None
    if not isinstance(data, dict) or data.get("s") != scope or "p" not in data:
        raise _refuse()
    return data["p"]


@dataclass(frozen=True)
class Keyset:
    """A stable order on one field and the primary key, both descending or both ascending.
    `dump` turns a row's field value into JSON and `load` back."""

    field: str
    descending: bool = True
    dump: Callable[[Any], Any] = lambda value: value
    load: Callable[[Any], Any] = lambda value: value


def keyset_page(
    queryset: QuerySet, *, scope: str, keyset: Keyset, cursor: str | None, limit: int
) -> tuple[list[Any], str | None]:
    """One page of `queryset` in the keyset's order after the cursor's row."""
    sign = "-" if keyset.descending else ""
    rows = queryset.order_by(f"{sign}{keyset.field}", f"{sign}pk")
    position = decode(scope, cursor)
    if position is not None:
        try:
            value, pk = keyset.load(position[0]), int(position[1])
        except (TypeError, ValueError, IndexError, KeyError):
            raise _refuse() from None
        after = "lt" if keyset.descending else "gt"
        rows = rows.filter(
            Q(**{f"{keyset.field}__{after}": value})
            | Q(**{keyset.field: value, f"pk__{after}": pk})
        )
    found = list(rows[: limit + 1])
    if len(found) <= limit:
        return found, None
    last = found[limit - 1]
    next_cursor = encode(scope, [keyset.dump(getattr(last, keyset.field)), last.pk])
    return found[:limit], next_cursor


def offset_position(scope: str, cursor: str | None) -> int:
    position = decode(scope, cursor)
    if position is None:
        return 0
    if not isinstance(position, int) or position < 0:
        raise _refuse()
    return position


def offset_next(scope: str, *, offset: int, limit: int, total: int) -> str | None:
    return encode(scope, offset + limit) if offset + limit < total else None


def sliced(
    items: Sequence[T], *, scope: str, cursor: str | None, limit: int
) -> tuple[list[T], str | None]:
    """A page of an in-memory list (short lists: a park's related items, a tree's level)."""
    offset = offset_position(scope, cursor)
    page = list(items[offset : offset + limit])
    return page, offset_next(scope, offset=offset, limit=limit, total=len(items))
