"""The search results' carrier cards and facet options, rendered in Python.

The markup is exactly that of `listings/carrier_card.html` and of the facet loops the search
template had (the tests compare them byte for byte): going through the template engine cost
≈ 0.25 ms per card and ≈ 15 µs per facet option, most of a new filter state's CPU.

A card's HTML is kept in the process per (carrier, catalogue index, language) without the parts
that depend on the time of the request (the stale badge and "N 天前确认"), which are put in when a
page is assembled. When every card of a page is cached the page's rows and photos are not read
at all. Photos do not move the generation, so cards live as long as a results region (60 s).
"""

from __future__ import annotations

import functools
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db.models import Prefetch
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from yuanqu.listings import display
from yuanqu.listings.catalogue_index import CatalogueIndex, catalogue_index
from yuanqu.listings.models import Carrier, CarrierPhoto

T = TypeVar("T")
CARD_CACHE_SECONDS = 60
CARD_STORE_SIZE = 5000  # ≈ 1 KB each: 5 MB per process at most
CARD_FIELDS = (
    "id", "title", "kind", "deal", "is_sample", "height_m", "confirmed_at",
    "price_negotiable", "price_value", "price_unit",
    "area_m2", "building_area_m2", "land_area_m2",
    "park__name", "park__short_name", "park__slug", "region__name",
)  # fmt: skip

# One cached card: the markup around the time-dependent parts, and what those need.
CardParts = tuple[str, str, datetime | None, bool]


@dataclass(frozen=True)
class Cards:
    html: SafeString
    count: int
    first_is_sample: bool


def _escape(value: Any) -> str:
    return str(conditional_escape(value))


@dataclass(frozen=True)
class _Texts:
    """What every card of one language repeats, escaped once (gettext, labels, URL)."""

    kinds: dict[str, str]
    deals: dict[str, str]
    sample: str
    height: str
    detail_url: str  # with _PK where the id goes


_PK = "2147483647"


@functools.lru_cache(maxsize=8)
def _texts(language: str) -> _Texts:
    return _Texts(
        kinds={value: _escape(label) for value, label in Carrier.Kind.choices},
        deals={value: _escape(label) for value, label in Carrier.Deal.choices},
        sample=f'<span class="badge badge-sample">{_escape(gettext("示例数据"))}</span>',
        height=_escape(gettext("层高")),
        detail_url=reverse("listings:detail", args=[int(_PK)]),
    )


def card_parts(carrier: Carrier) -> CardParts:
    """The card without the stale marks and the confirmation age (see `assemble`)."""
    texts = _texts(get_language() or settings.LANGUAGE_CODE)
    photos = carrier.photos.all()
    photo = (
        f'<img class="lst-thumb" src="{_escape(photos[0].thumbnail.url)}" '
        f'alt="{_escape(carrier.title)}" width="160" height="120" loading="lazy">'
        if photos
        else ""
    )
    sample = texts.sample if carrier.is_sample else ""
    height = (
        f" · {texts.height} {_escape(floatformat(carrier.height_m, '-1'))} m"
        if carrier.height_m
        else ""
    )
    url = texts.detail_url.replace(_PK, str(carrier.pk))
    head = (
        f'">\n  {photo}\n  <div class="lst-card-body">\n'
        f'    <h3 class="lst-card-title"><a href="{url}">'
        f"{_escape(carrier.title)}</a></h3>\n"
        f'    <p class="lst-meta">\n'
        f'      <span class="badge">{texts.kinds[carrier.kind]}</span>\n'
        f'      <span class="badge">{texts.deals[carrier.deal]}</span>\n'
        f"      {sample}\n      "
    )
    tail = (
        f"\n    </p>\n"
        f'    <p class="lst-facts"><strong>{_escape(display.price_label(carrier))}</strong> · '
        f"{_escape(display.area_label(carrier))}{height}</p>\n"
        f'    <p class="muted lst-where">{_escape(carrier.park.display_name)} · '
        f"{_escape(carrier.region.local_name)}"
    )
    return head, tail, carrier.confirmed_at, carrier.is_sample


def assemble(parts: CardParts, now: datetime, extra: str = "") -> str:
    """A whole card as `listings/carrier_card.html` renders it at `now` (`extra`, a control
    such as the compare button, goes last in the card's body)."""
    head, tail, confirmed_at, _sample = parts
    days = None if confirmed_at is None else max(0, (now - confirmed_at).days)
    stale = days is None or days >= settings.CARRIER_STALE_DAYS
    if days == 0:
        age = f" · {_escape(gettext('今天确认'))}"
    elif days is not None:
        age = " · " + _escape(
            ngettext("%(days)s 天前确认", "%(days)s 天前确认", days) % {"days": days}
        )
    else:
        age = ""
    stale_badge = (
        f'<span class="badge lst-badge-stale">{_escape(gettext("待确认"))}</span>' if stale else ""
    )
    return (
        f'<article class="card lst-card{" lst-stale" if stale else ""}{head}{stale_badge}{tail}'
        f"{age}</p>\n{extra}  </div>\n</article>\n"
    )


class ProcessStore(Generic[T]):
    """This process's cards (or the API's carrier items), for one catalogue index (a new
    index, after any committed change, starts an empty store), at most CARD_STORE_SIZE,
    least recently used dropped first.

    Not the Django cache: the local-memory cache holds 300 entries in all, so 20 cards per
    page pushed out the cached pages and result regions, and it pickles every value.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._index: CatalogueIndex | None = None
        self._entries: OrderedDict[tuple[int, str], tuple[float, T]] = OrderedDict()

    def get_many(self, index: CatalogueIndex, language: str, ids: Iterable[int]) -> dict[int, T]:
        found: dict[int, T] = {}
        now = time.monotonic()
        with self._lock:
            if index is not self._index:
                self._index, self._entries = index, OrderedDict()
                return found
            for pk in ids:
                entry = self._entries.get((pk, language))
                if entry is not None and entry[0] > now:
                    self._entries.move_to_end((pk, language))
                    found[pk] = entry[1]
        return found

    def set_many(self, index: CatalogueIndex, language: str, parts: dict[int, T]) -> None:
        expires = time.monotonic() + CARD_CACHE_SECONDS
        with self._lock:
            if index is not self._index:
                return
            for pk, card in parts.items():
                self._entries[(pk, language)] = (expires, card)
                self._entries.move_to_end((pk, language))
            while len(self._entries) > CARD_STORE_SIZE:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._index, self._entries = None, OrderedDict()


_store: ProcessStore[CardParts] = ProcessStore()


def forget() -> None:
    """Drop this process's cards (tests)."""
    _store.clear()


def _read_parts(ids: Iterable[int]) -> dict[int, CardParts]:
    """Render the cards of these carriers from their rows and photos (two queries)."""
    carriers = (
        Carrier.objects.filter(pk__in=list(ids))
        .select_related("park", "region")
        # Only what a card shows: converting the other ~40 columns was a third of the cost.
        .only(*CARD_FIELDS)
        .prefetch_related(
            Prefetch(
                "photos",
                queryset=CarrierPhoto.objects.order_by("position", "id").only(
                    "id", "carrier_id", "thumbnail", "position"
                ),
            )
        )
    )
    return {carrier.pk: card_parts(carrier) for carrier in carriers}


def search_cards(carrier_ids: Sequence[int], *, now: datetime | None = None) -> Cards:
    """The cards of a result page in this order; rows are read only for uncached cards."""
    now = now or timezone.now()
    language = get_language() or settings.LANGUAGE_CODE
    index = catalogue_index()  # the one the page's ids came from
    parts = _store.get_many(index, language, carrier_ids)
    missing = [pk for pk in carrier_ids if pk not in parts]
    if missing:
        fresh = _read_parts(missing)
        _store.set_many(index, language, fresh)
        parts.update(fresh)
    # A carrier deleted since the index was built has no row: it is left out, as before.
    shown = [(pk, parts[pk]) for pk in carrier_ids if pk in parts]
    toggle_url = reverse("listings:compare_toggle")
    # Every value in the markup went through conditional_escape.
    html = "".join(
        assemble(card, now, f"    {compare_button(pk, False, toggle_url)}\n") for pk, card in shown
    )
    return Cards(
        html=mark_safe(html),  # noqa: S308
        count=len(shown),
        first_is_sample=bool(shown) and shown[0][1][3],
    )


def facet_options_html(name: str, options: Iterable) -> str:
    """The checkboxes of one facet (`selectors.FacetOption`s), as the template's loop had them."""
    return "".join(
        f'<label class="lst-option"><input type="checkbox" name="{name}" '
        f'value="{_escape(option.value)}" {"checked" if option.selected else ""}> '
        f'{_escape(option.label)} <span class="lst-count">({option.count})</span></label>'
        for option in options
    )


def compare_button(carrier_id: int, in_compare: bool, toggle_url: str) -> str:
    """A card's 加入对比/移出对比 button. It submits the page's `lst-compare` form (CSRF token,
    the URL to come back to) without JavaScript; with htmx it swaps itself."""
    label = gettext("移出对比") if in_compare else gettext("加入对比")
    return (
        f'<button type="submit" form="lst-compare" name="carrier" value="{carrier_id}" '
        f'id="compare-{carrier_id}" class="button-secondary lst-compare" '
        f'hx-post="{toggle_url}" hx-include="#lst-compare" hx-target="this" '
        f'hx-swap="outerHTML" hx-push-url="false" hx-indicator="this">{_escape(label)}</button>'
    )


def mark_in_compare(results_html: str, compare_ids: Iterable[int]) -> str:
    """The results region as this visitor sees it: the cards already in the visitor's compare
    list say 移出对比. (The region is cached for everyone, so it has every button as 加入对比.)"""
    toggle_url = reverse("listings:compare_toggle")
    for carrier_id in compare_ids:
        results_html = results_html.replace(
            compare_button(carrier_id, False, toggle_url),
            compare_button(carrier_id, True, toggle_url),
        )
    return results_html
