"""The public carrier catalogue as columns in memory (what search engines do with doc-values).

Facet counts, the order of a result page and the map points are computed from numpy arrays
in a few milliseconds for any filter state; only the rows of the page itself are then read
from the database (docs/bench/carriers.md, "Catalogue index").

- **Contents.** Every carrier that can be public (published, status 可租售/已预定), one query.
  `confirmed_at` is kept as a number and the hide/stale cut-offs, which move with time, are
  applied per query (`public_catalogue(now)`), so the index never needs a rebuild for time.
- **Freshness.** `CatalogueVersion.generation` (one database row) is bumped after every change
  to carriers, parks or districts is committed (`catalogue_changed`). Each request reads it
  once (one query, remembered until the request ends); a process whose index was built for
  another generation rebuilds it before answering, so no worker serves data older than the
  last committed change. The page, results-region and map caches are keyed by it too.
- **Threads.** An index is never changed once built: a rebuild makes a new object and swaps
  the module's reference, so a thread still holding the old one finishes with consistent data.
- **Values.** Decimal columns are float64 with NaN for "not given" (a 面议 carrier has NaN
  prices, never zero: any comparison with NaN is false, as NULL is in SQL); times are int64
  microseconds since 1970 (UTC).
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import CharField, F, FloatField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils import timezone

from yuanqu.core import replicas
from yuanqu.listings.filters import CarrierFilters
from yuanqu.listings.models import PUBLIC_STATUSES, Carrier, CatalogueVersion

KINDS: tuple[str, ...] = tuple(Carrier.Kind.values)
DEALS: tuple[str, ...] = tuple(Carrier.Deal.values)
DEEDS: tuple[str, ...] = tuple(Carrier.TitleDeed.values)  # code len(DEEDS): not given
FIRES: tuple[str, ...] = tuple(Carrier.FireHazard.values)  # code len(FIRES): not given

# Facet dimension → the index column holding its codes (each counts with every filter but
# its own), and the yes/no features counted beside them.
FACETS = ("kind", "deal", "district", "park", "deed", "fire")
FLAGS = {"crane": "crane", "yard": "independent_yard", "eia": "eia_ok"}

_FLOAT_COLUMNS = (
    "area_m2",
    "price_yuan_m2_month",
    "price_wan_total",
    "price_wan_per_mu",
    "height_m",
    "floor_load_t_m2",
    "power_available_kva",
    "crane_t",
    "latitude",
    "longitude",
)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def microseconds(moment: datetime) -> int:
    """An aware datetime as int64 microseconds since 1970 (the unit of the time columns)."""
    return (moment - _EPOCH) // _MICROSECOND


# --- generation ------------------------------------------------------------------------

_request = threading.local()


def catalogue_generation() -> int:
    """The committed catalogue generation (read once per request, every time outside one)."""
    remembered = getattr(_request, "generation", None)
    if remembered is not None:
        return remembered
    value = CatalogueVersion.objects.filter(pk=1).values_list("generation", flat=True).first()
    generation = int(value) if value is not None else _recreate()
    if getattr(_request, "active", False):
        _request.generation = generation
    return generation


def catalogue_changed() -> None:
    """Bump the generation; call once the change is committed (see `changed_on_commit`)."""
    if not CatalogueVersion.objects.filter(pk=1).update(generation=F("generation") + 1):
        _recreate()
    _request.generation = None  # this request's own later reads see the change
    replicas.public_content_changed()


def _recreate() -> int:
    """The row is gone (a flushed test database, a restore): start again from a random value,
    so no process mistakes the new catalogue for one it indexed or cached before."""
    version, _created = CatalogueVersion.objects.get_or_create(
        pk=1, defaults={"generation": secrets.randbelow(2**62)}
    )
    return version.generation


def changed_on_commit(**_signal_kwargs: Any) -> None:
    """Bump the generation when the current transaction commits (a signal receiver too)."""
    transaction.on_commit(catalogue_changed)


def request_began(**_signal_kwargs: Any) -> None:
    _request.active = True
    _request.generation = None


def request_ended(**_signal_kwargs: Any) -> None:
    _request.active = False
    _request.generation = None


# --- the index -------------------------------------------------------------------------


def _codes(values: Sequence[Any], known: Sequence[Any]) -> np.ndarray:
    """Positions in `known`; a value not in it (blank) gets len(known)."""
    lookup = {value: code for code, value in enumerate(known)}
    missing = len(known)
    return np.fromiter((lookup.get(value, missing) for value in values), np.int16, len(values))


def _column(name: str) -> str:
    quote = connection.ops.quote_name
    return f"{quote(Carrier._meta.db_table)}.{quote(name)}"


def _times(values: Sequence[Any]) -> np.ndarray:
    """Microseconds since 1970 (PostgreSQL) or SQLite's UTC text of a datetime → int64 µs."""
    if values and isinstance(values[0], str):
        return np.array(values, dtype="datetime64[us]").astype(np.int64)
    return np.array(values, dtype=np.int64)


@dataclass(eq=False)
class CatalogueIndex:
    """Columns of every carrier that can be public, in ascending id order (one row each)."""

    generation: int
    id: np.ndarray  # int64
    kind: np.ndarray  # int16 codes into KINDS
    deal: np.ndarray  # int16 codes into DEALS
    deed: np.ndarray  # int16 codes into DEEDS (len(DEEDS): none)
    fire: np.ndarray  # int16 codes into FIRES (len(FIRES): none)
    district: np.ndarray  # int16 codes into region_ids
    region_ids: tuple[str, ...]
    park: np.ndarray  # int32 codes into park_ids
    park_ids: np.ndarray  # int64
    area_m2: np.ndarray  # float64, NaN when unknown (as every float column below)
    price_yuan_m2_month: np.ndarray
    price_wan_total: np.ndarray
    price_wan_per_mu: np.ndarray
    height_m: np.ndarray
    floor_load_t_m2: np.ndarray
    power_available_kva: np.ndarray
    latitude: np.ndarray
    longitude: np.ndarray
    crane: np.ndarray  # bool: crane_t > 0
    independent_yard: np.ndarray  # bool
    eia_ok: np.ndarray  # bool
    confirmed_at: np.ndarray  # int64 µs
    published_at: np.ndarray  # int64 µs
    _orders: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, generation: int) -> CatalogueIndex:
        """One query of the carriers that can be public, straight into columns."""
        queryset = (
            Carrier.objects.filter(
                published_at__isnull=False, status__in=PUBLIC_STATUSES, confirmed_at__isnull=False
            )
            .order_by("id")
            # Floats from the database: converting 500k Decimals would cost more than the query.
            .annotate(
                **{f"{name}_f": Cast(name, FloatField()) for name in _FLOAT_COLUMNS},
                # Both drivers would parse each datetime in Python (0.5 s for 100k): PostgreSQL
                # gives µs since 1970 (exact: EXTRACT is numeric since version 14, and a
                # double's error before that is under 0.5 µs), SQLite's text parses in numpy.
                **{
                    f"{name}_t": Cast(name, CharField())
                    if connection.vendor == "sqlite"
                    else RawSQL(
                        f"(EXTRACT(EPOCH FROM {_column(name)}) * 1000000)::bigint",
                        (),
                    )
                    for name in ("confirmed_at", "published_at")
                },
            )
            .values_list(
                "id",
                "kind",
                "deal",
                "title_deed",
                "fire_hazard_class",
                "region_id",
                "park_id",
                "independent_yard",
                "eia_ok",
                "confirmed_at_t",
                "published_at_t",
                *(f"{name}_f" for name in _FLOAT_COLUMNS),
            )
        )
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        width = 11 + len(_FLOAT_COLUMNS)
        columns: list[Sequence[Any]] = list(zip(*rows, strict=True)) if rows else [()] * width
        ids, kinds, deals, deeds, fires, regions, parks, yards, eias, confirmed, published = (
            columns[:11]
        )
        floats: dict[str, Any] = {
            name: np.array(values, dtype=np.float64)
            for name, values in zip(_FLOAT_COLUMNS, columns[11:], strict=True)
        }
        region_ids = tuple(sorted(set(regions)))
        park_ids = np.unique(np.array(parks, dtype=np.int64))
        crane = floats.pop("crane_t")
        return cls(
            generation=generation,
            id=np.array(ids, dtype=np.int64),
            kind=_codes(kinds, KINDS),
            deal=_codes(deals, DEALS),
            deed=_codes(deeds, DEEDS),
            fire=_codes(fires, FIRES),
            district=_codes(regions, region_ids),
            region_ids=region_ids,
            park=np.searchsorted(park_ids, np.array(parks, dtype=np.int64)).astype(np.int32),
            park_ids=park_ids,
            crane=crane > 0,  # NaN (no crane) compares false
            independent_yard=np.array(yards, dtype=bool),
            eia_ok=np.array(eias, dtype=bool),
            confirmed_at=_times(confirmed),
            published_at=_times(published),
            **floats,
        )

    def __len__(self) -> int:
        return len(self.id)

    @property
    def nbytes(self) -> int:
        return sum(value.nbytes for value in vars(self).values() if isinstance(value, np.ndarray))

    def order(self, key: str) -> np.ndarray:
        """Row positions sorted by one column (nulls last), then by id descending.

        Keys: "confirmed_at" / "published_at" (newest first), "<float column>" (ascending) and
        "-<float column>" (descending). Sorted once per index, on first use.
        """
        found = self._orders.get(key)
        if found is None:
            descending = key.startswith("-")
            name = key.lstrip("-")
            newest_first = -getattr(self, name) if name.endswith("_at") else None
            if newest_first is not None:
                found = np.lexsort((-self.id, newest_first))
            else:
                values = getattr(self, name)
                unknown = np.isnan(values)
                sortable = np.where(unknown, 0.0, -values if descending else values)
                found = np.lexsort((-self.id, sortable, unknown))
            found = found.astype(np.int32)
            self._orders[key] = found  # the same for every caller: a race only sorts twice
        return found

    def at(self, now: datetime) -> PublicCatalogue:
        return PublicCatalogue(self, now)


_current: CatalogueIndex | None = None
_build_lock = threading.Lock()


def catalogue_index() -> CatalogueIndex:
    """This process's index for the committed generation (built again when it moved)."""
    global _current
    generation = catalogue_generation()
    index = _current
    if index is not None and index.generation == generation:
        return index
    with _build_lock:
        index = _current
        if index is None or index.generation != generation:
            index = CatalogueIndex.build(generation)
            _current = index
    return index


def forget() -> None:
    """Drop this process's index (tests: their rolled-back writes never bump the generation)."""
    global _current
    _current = None
    _request.generation = None


def public_catalogue(now: datetime | None = None) -> PublicCatalogue:
    """The public catalogue as it stands at `now` (default: the current time)."""
    return catalogue_index().at(now or timezone.now())


# --- queries at one moment -------------------------------------------------------------


def _at_least(values: np.ndarray, bound: Decimal | float) -> np.ndarray:
    # SQLite compares these columns as floats too. PostgreSQL compares exact decimals, and
    # agrees: stored values have two places and bounds come from two-place input (元/天 × 30
    # stays on a cent, 亩 conversions land a third of a cent or more from one): floats keep
    # every such pair apart.
    # NaN (unknown) is never a match, as NULL in SQL.
    return values >= float(bound)


def _at_most(values: np.ndarray, bound: Decimal | float) -> np.ndarray:
    return values <= float(bound)


def _one_of(codes: np.ndarray, wanted: Iterable[int], size: int) -> np.ndarray:
    lookup = np.zeros(size + 1, dtype=bool)
    lookup[list(wanted)] = True
    return lookup[codes]


class PublicCatalogue:
    """The index seen at one moment: carriers hidden for staleness are left out."""

    def __init__(self, index: CatalogueIndex, now: datetime) -> None:
        self.index = index
        hide = microseconds(now - timedelta(days=settings.CARRIER_HIDE_DAYS))
        stale = microseconds(now - timedelta(days=settings.CARRIER_STALE_DAYS))
        self.visible = index.confirmed_at >= hide
        self.stale = index.confirmed_at < stale

    def similar_ids(
        self,
        *,
        carrier_id: int,
        kind: str,
        deal: str,
        area_m2: Decimal | None,
        park_id: int | None,
        limit: int,
    ) -> list[int]:
        """Ids of carriers like this one: the same kind and deal, an area within ±50 % (when
        known), the same park first, then the nearest in area, then the most recently
        confirmed."""
        index = self.index
        if kind not in KINDS or deal not in DEALS:
            return []
        mask = (
            self.visible
            & (index.kind == KINDS.index(kind))
            & (index.deal == DEALS.index(deal))
            & (index.id != carrier_id)
        )
        distance = np.zeros(len(index.id))
        if area_m2:
            mask &= _at_least(index.area_m2, area_m2 / 2) & _at_most(index.area_m2, area_m2 * 3 / 2)
            distance = np.abs(index.area_m2 - float(area_m2))
        rows = np.flatnonzero(mask)
        other_park = index.park_ids[index.park[rows]] != park_id
        # lexsort: the last key is the first criterion.
        order = np.lexsort((-index.confirmed_at[rows], distance[rows], other_park))
        return index.id[rows[order[:limit]]].tolist()

    def select(self, filters: CarrierFilters, *, text_ids: Sequence[int] | None) -> Selection:
        """The carriers matching these filters (`text_ids`: the free-text matches, if any)."""
        return Selection(self, self._conditions(filters, text_ids), filters)

    def _conditions(
        self, filters: CarrierFilters, text_ids: Sequence[int] | None
    ) -> dict[str, np.ndarray]:
        """One mask per facet dimension (or plain filter), so a facet can leave its own out;
        the same conditions, names and semantics as the SQL in `selectors._conditions`."""
        index = self.index
        conditions: dict[str, np.ndarray] = {}
        if text_ids is not None:
            conditions["q"] = np.isin(index.id, np.asarray(text_ids, dtype=np.int64))
        for name, codes, known, wanted in (
            ("kind", index.kind, KINDS, filters.kind),
            ("deal", index.deal, DEALS, filters.deal),
            ("district", index.district, index.region_ids, filters.district),
            ("deed", index.deed, DEEDS, filters.deed),
            ("fire", index.fire, FIRES, filters.fire),
        ):
            if wanted:
                positions = {value: code for code, value in enumerate(known)}
                conditions[name] = _one_of(
                    codes, (positions[v] for v in wanted if v in positions), len(known)
                )
        if filters.park:
            found = np.searchsorted(index.park_ids, filters.park)
            known_parks = [
                int(position)
                for position, park in zip(found.tolist(), filters.park, strict=True)
                if position < len(index.park_ids) and index.park_ids[position] == park
            ]
            conditions["park"] = _one_of(index.park, known_parks, len(index.park_ids))
        low, high = filters.area_bounds_m2()
        if low is not None:
            conditions["area_min"] = _at_least(index.area_m2, low)
        if high is not None:
            conditions["area_max"] = _at_most(index.area_m2, high)
        column, price_low, price_high = filters.price_bounds()
        prices = getattr(index, column)
        # 面议 carriers have no normalised price (NaN), so any price filter leaves them out.
        if price_low is not None:
            conditions["price_min"] = _at_least(prices, price_low)
        if price_high is not None:
            conditions["price_max"] = _at_most(prices, price_high)
        if filters.height_min is not None:
            conditions["height_min"] = _at_least(index.height_m, filters.height_min)
        if filters.load_min is not None:
            conditions["load_min"] = _at_least(index.floor_load_t_m2, filters.load_min)
        if filters.power_min is not None:
            conditions["power_min"] = _at_least(index.power_available_kva, filters.power_min)
        for name, column_name in FLAGS.items():
            if getattr(filters, name):
                conditions[name] = getattr(index, column_name)
        bounds = filters.bbox_wgs84()
        if bounds is not None:
            south, west, north, east = bounds
            latitude, longitude = index.latitude, index.longitude
            conditions["bbox"] = (
                (latitude >= south)
                & (latitude <= north)
                & (longitude >= west)
                & (longitude <= east)
            )
        return conditions


SORT_KEYS = {
    # filters.sort → the index's order key ("{price}": the normalised price column in use)
    "fresh": "confirmed_at",
    "newest": "published_at",
    "price": "{price}",
    "-price": "-{price}",
    "area": "area_m2",
    "-area": "-area_m2",
}


class Selection:
    """One filter state over the public catalogue: total, facet counts, ordered ids."""

    def __init__(
        self, catalogue: PublicCatalogue, conditions: dict[str, np.ndarray], filters: CarrierFilters
    ) -> None:
        self.catalogue = catalogue
        self.conditions = conditions
        self.filters = filters
        self.mask = self._combine()

    def _combine(self, *, leave_out: Iterable[str] = ()) -> np.ndarray:
        skipped = set(leave_out)
        mask = self.catalogue.visible.copy()
        for name, condition in self.conditions.items():
            if name not in skipped:
                mask &= condition
        return mask

    @property
    def total(self) -> int:
        return int(np.count_nonzero(self.mask))

    def facet_counts(self) -> dict[str, dict[str, int]]:
        """Per dimension, {value: count} of the options with carriers (value as in URLs),
        each dimension counted with every filter but its own."""
        index = self.catalogue.index
        labels: dict[str, Sequence[str]] = {
            "kind": KINDS,
            "deal": DEALS,
            "district": index.region_ids,
            "park": [str(park) for park in index.park_ids.tolist()],
            "deed": DEEDS,
            "fire": FIRES,
        }
        counts: dict[str, dict[str, int]] = {}
        for name in FACETS:
            mask = self._combine(leave_out=[name]) if name in self.conditions else self.mask
            known = labels[name]
            # Codes past the known values (a blank deed or fire class) are not an option.
            found = np.bincount(getattr(index, name)[mask], minlength=len(known) + 1)
            counts[name] = {
                known[code]: int(count) for code, count in enumerate(found[: len(known)]) if count
            }
        return counts

    def flag_counts(self) -> dict[str, int]:
        """Per yes/no feature, the carriers having it under every other filter."""
        index = self.catalogue.index
        return {
            name: int(
                np.count_nonzero(
                    (self._combine(leave_out=[name]) if name in self.conditions else self.mask)
                    & getattr(index, column)
                )
            )
            for name, column in FLAGS.items()
        }

    def ordered_ids(self, start: int, stop: int) -> list[int]:
        """Ids of ranks [start, stop): stale carriers last, then the chosen sort (nulls last),
        then the newest id first."""
        column, _low, _high = self.filters.price_bounds()
        key = SORT_KEYS.get(self.filters.sort, SORT_KEYS["fresh"]).format(price=column)
        order = self.catalogue.index.order(key)
        rows = order[self.mask[order]]
        stale = self.catalogue.stale[rows]
        fresh = rows[~stale]
        if stop <= len(fresh):
            page = fresh[start:stop]
        else:
            page = np.concatenate((fresh, rows[stale]))[start:stop]
        return self.catalogue.index.id[page].tolist()

    def map_rows(self, limit: int) -> MapRows:
        """The first `limit` located matches, the most recently confirmed first."""
        index = self.catalogue.index
        order = index.order("confirmed_at")
        located = self.mask & ~np.isnan(index.latitude) & ~np.isnan(index.longitude)
        rows = order[located[order]][:limit]
        return MapRows(
            id=index.id[rows],
            latitude=index.latitude[rows],
            longitude=index.longitude[rows],
            kind=index.kind[rows],
            area_m2=index.area_m2[rows],
        )


@dataclass
class MapRows:
    """Map points as arrays: ids, WGS-84 coordinates, kind codes (into KINDS), areas (NaN)."""

    id: np.ndarray
    latitude: np.ndarray
    longitude: np.ndarray
    kind: np.ndarray
    area_m2: np.ndarray

    def __len__(self) -> int:
        return len(self.id)

    def __getitem__(self, rows: slice) -> MapRows:
        return MapRows(
            self.id[rows],
            self.latitude[rows],
            self.longitude[rows],
            self.kind[rows],
            self.area_m2[rows],
        )
