"""Scoring and explaining a match between one need and many carriers and parks.

PURE: plain dataclasses in, plain dataclasses out; no ORM, and Django only to translate the
lines shown (imported when one is built). Selectors turn rows into `CarrierFacts`/
`ParkFacts`, services store the `MatchResult` (see docs/matching.md).

Every criterion scores by its distance from the need, between 0 and 1, and carries one
line of explanation with the numbers and a mark (✓ meets, ✗ misses, – neutral, ? not
stated). The total is the weighted mean over the criteria the need asks about, so two
carriers for the same need are always scored over the same criteria. The explanation text
is built lazily, only for results that are shown, in the language active then: the lines
are Django gettext messages (Chinese msgids, English under /en/), and Django's translation
is imported only when a line is built, so this module still imports without Django.

Ranking key: (hard needs failed, -score, id). A carrier failing exactly one hard need
(层高, 承重, 电力, 行车, 环评, 消防 that the person asked for) is a near-miss, listed
apart with the blocking criterion; two or more failures drop it.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache, cached_property, partial
from types import ModuleType
from typing import Any

from yuanqu.core.units import DAYS_PER_MONTH, MU_IN_M2

# Scoring works in floats; the conventions themselves (30-day month, 亩) live in core.units.
M2_PER_MU = float(MU_IN_M2)
EPSILON = 1e-9


# ---------------------------------------------------------------------------------------
# Translation, at render time only (nothing here runs in the numeric pass). The wrappers
# carry gettext's names, so makemessages finds their messages; tables of texts mark theirs
# with `gettext_noop` and translate them when a line is built.
#
# Django's gettext finds the active language in a thread-local on every call (≈ 3 µs, and
# the lines of one result take hundreds of messages: several ms a submission). So a result
# is explained with the active language's catalogue bound once (`bound_catalogue`), whose
# lookups are memoised; outside it the wrappers are Django's functions.


@cache
def _translation() -> ModuleType:
    import django.utils.translation

    return django.utils.translation


class _Catalogue:
    """One language's translations (a Django translation object), memoised. The same
    results as Django's gettext/pgettext/ngettext in that language: a translation object's
    catalogue does not change once loaded."""

    __slots__ = ("translation", "memo", "plurals")

    def __init__(self, translation: Any) -> None:
        self.translation = translation
        self.memo: dict[str, str] = {}
        # Plural lookups cost most (≈ 10 µs: a plural formula per catalogue): kept per
        # (message, number), for the numbers lines show (days, counts), up to a bound.
        self.plurals: dict[tuple[str, int], str] = {}

    def gettext(self, message: str) -> str:
        text = self.memo.get(message)
        if text is None:
            text = self.memo[message] = self.translation.gettext(message)
        return text

    def pgettext(self, context: str, message: str) -> str:
        key = f"{context}\x04{message}"
        text = self.memo.get(key)
        if text is None:
            text = self.translation.gettext(key)
            # As django.utils.translation.pgettext: not translated, the message itself.
            text = self.memo[key] = message if "\x04" in text else text
        return text

    def ngettext(self, singular: str, plural: str, number: int) -> str:
        key = (singular, number)
        text = self.plurals.get(key)
        if text is None:
            text = self.translation.ngettext(singular, plural, number)
            if len(self.plurals) < 10_000:
                self.plurals[key] = text
        return text


_CATALOGUES: dict[str, _Catalogue] = {}
_BOUND: ContextVar[_Catalogue | None] = ContextVar("matching_catalogue", default=None)


def _active_catalogue() -> _Catalogue | None:
    """The active language's catalogue; None where Django's functions must answer (i18n
    off, or translation deactivated)."""
    from django.conf import settings

    language = _translation().get_language()
    if not settings.USE_I18N or not language:
        return None
    from django.utils.translation import trans_real

    translation = trans_real.translation(language)
    catalogue = _CATALOGUES.get(language)
    # A new translation object (catalogues reloaded, as tests do): a new memo.
    if catalogue is None or catalogue.translation is not translation:
        catalogue = _CATALOGUES[language] = _Catalogue(translation)
    return catalogue


@contextmanager
def bound_catalogue(*, rebind: bool = False) -> Iterator[None]:
    """Within: lines are built with the active language's catalogue, looked up once. An
    enclosing binding is kept unless `rebind` (after the language changed)."""
    if _BOUND.get() is not None and not rebind:
        yield
        return
    token = _BOUND.set(_active_catalogue())
    try:
        yield
    finally:
        _BOUND.reset(token)


def _(message: str) -> str:
    catalogue = _BOUND.get()
    if catalogue is None:
        return _translation().gettext(message)
    return catalogue.gettext(message)


def ngettext(singular: str, plural: str, number: int) -> str:
    catalogue = _BOUND.get()
    if catalogue is None:
        return _translation().ngettext(singular, plural, number)
    return catalogue.ngettext(singular, plural, number)


def pgettext(context: str, message: str) -> str:
    catalogue = _BOUND.get()
    if catalogue is None:
        return _translation().pgettext(context, message)
    return catalogue.pgettext(context, message)


def gettext_noop(message: str) -> str:
    return message


# ---------------------------------------------------------------------------------------
# The one weights table (documented in docs/matching.md; keep both in step).
# criterion: (weight for carriers, weight for parks). A criterion counts only when the
# need asks about it (an area range, a budget, a place, an industry, …).
WEIGHTS: dict[str, tuple[int, int]] = {
    "area": (20, 0),
    "price": (20, 0),
    "location": (15, 15),
    "industry": (10, 20),
    "land_use": (6, 10),
    "height": (5, 0),
    "load": (5, 0),
    "power": (5, 0),
    "crane": (5, 0),
    "eia": (5, 0),
    "fire": (4, 0),
    "freshness": (5, 0),
    "carriers": (0, 20),
}
HARD_CRITERIA = ("height", "load", "power", "crane", "eia", "fire")

# The criteria's names, in the active language when called.
CRITERION_LABELS: dict[str, Callable[[], str]] = {
    "area": lambda: pgettext("match criterion", "面积"),
    "price": lambda: pgettext("match criterion", "价格"),
    "location": lambda: pgettext("match criterion", "位置"),
    "industry": lambda: pgettext("match criterion", "产业"),
    "land_use": lambda: pgettext("match criterion", "用地门槛"),
    "height": lambda: pgettext("match criterion", "层高"),
    "load": lambda: pgettext("match criterion", "承重"),
    "power": lambda: pgettext("match criterion", "电力"),
    "crane": lambda: pgettext("match criterion", "行车"),
    "eia": lambda: pgettext("match criterion", "环评"),
    "fire": lambda: pgettext("match criterion", "消防"),
    "freshness": lambda: pgettext("match criterion", "信息新鲜度"),
    "carriers": lambda: pgettext("match criterion", "可用载体"),
}


def criterion_label(key: str) -> str:
    """The criterion's name in the active language ("面积")."""
    return CRITERION_LABELS[key]()


RENT_UNITS = ("yuan_m2_day", "yuan_m2_month", "yuan_month")
SALE_UNITS = ("wan_total", "wan_per_mu")
# A price in its unit ("20元/㎡·月"), as a message to translate.
PRICE_AMOUNTS = {
    "yuan_m2_day": gettext_noop("%(value)s元/㎡·天"),
    "yuan_m2_month": gettext_noop("%(value)s元/㎡·月"),
    "yuan_month": gettext_noop("%(value)s元/月"),
    "wan_total": gettext_noop("%(value)s万元"),
    "wan_per_mu": gettext_noop("%(value)s万元/亩"),
}
FIRE_CLASS_LABELS = {
    "A": gettext_noop("甲类"),
    "B": gettext_noop("乙类"),
    "C": gettext_noop("丙类"),
    "D": gettext_noop("丁类"),
    "E": gettext_noop("戊类"),
}
MARKS = {"ok": "✓", "fail": "✗", "neutral": "–", "unknown": "?"}


# ---------------------------------------------------------------------------------------
# Inputs


@dataclass(frozen=True)
class Place:
    """A place the person wants: a park or a district, with its centre if known."""

    kind: str  # "park" | "region"
    key: str  # park id as text, or region code
    name: str
    latitude: float | None = None
    longitude: float | None = None
    # The point is the host region's centre standing in for an unknown park location.
    approximate: bool = False


@dataclass(frozen=True)
class NeedSpec:
    kind: str
    deal: str
    area_min_m2: float | None = None
    area_max_m2: float | None = None
    budget_value: float | None = None
    budget_unit: str = ""
    places: tuple[Place, ...] = ()
    insist_location: bool = False
    industry_lineage: tuple[str, ...] = ()  # ("C", "35", "351", "3514")
    industry_name: str = ""
    height_m: float | None = None
    load_t_m2: float | None = None
    power_kva: float | None = None
    crane_t: float | None = None
    eia_required: bool = False
    fire_hazard_class: str = ""  # "A".."E": the class of production the person runs
    investment_wan: float | None = None
    annual_tax_wan: float | None = None

    @cached_property
    def wanted_park_ids(self) -> frozenset[str]:
        return frozenset(place.key for place in self.places if place.kind == "park")

    @cached_property
    def wanted_region_codes(self) -> frozenset[str]:
        return frozenset(place.key for place in self.places if place.kind == "region")

    @cached_property
    def budget(self) -> tuple[str, float] | None:
        return budget_in_units(self)

    @property
    def area_mid_m2(self) -> float | None:
        values = [v for v in (self.area_min_m2, self.area_max_m2) if v]
        return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class IndustryFacts:
    code: str
    name: str
    lineage: tuple[str, ...]


@dataclass(frozen=True)
class ChainGap:
    """A missing link (缺链) of a chain the park pursues, with the classes it lists."""

    chain: str
    link: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class ParkFacts:
    id: int
    name: str
    region_code: str = ""
    region_name: str = ""
    latitude: float | None = None
    longitude: float | None = None
    point_is_region_centre: bool = False
    leading_industries: tuple[IndustryFacts, ...] = ()
    investment_intensity_wan_per_mu: float | None = None
    tax_per_mu_wan: float | None = None
    chain_gaps: tuple[ChainGap, ...] = ()


@dataclass(slots=True)
class CarrierFacts:
    """One candidate (slotted, not frozen: thousands are built per match, and a frozen
    dataclass's __init__ is several times slower)."""

    id: int
    title: str
    kind: str
    deal: str
    park_id: int
    region_code: str = ""
    region_name: str = ""
    area_m2: float | None = None  # building area; land area for land
    price_negotiable: bool = False
    price_value: float | None = None
    price_unit: str = ""
    height_m: float | None = None
    load_t_m2: float | None = None
    power_kva: float | None = None
    crane_t: float | None = None  # None: no crane
    eia_ok: bool = False
    fire_hazard_class: str = ""
    confirmed_at: datetime | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class MatchConfig:
    now: datetime
    area_margin: float = 0.20
    hide_days: int = 180
    top_carriers: int = 10
    top_near_misses: int = 5
    top_parks: int = 5
    distance_zero_km: float = 30.0  # a place this far away scores 0 for location


# ---------------------------------------------------------------------------------------
# Outputs


class Criterion:
    """One criterion's score (0..1), state and lazily built explanation."""

    __slots__ = ("key", "score", "state", "explain", "hard_fail")

    def __init__(
        self,
        key: str,
        score: float,
        state: str,
        explain: Callable[[], str],
        hard_fail: bool = False,
    ) -> None:
        self.key = key
        self.score = score
        self.state = state
        self.explain = explain
        self.hard_fail = hard_fail

    def __repr__(self) -> str:
        return f"Criterion({self.key!r}, {self.score:.3f}, {self.state!r})"

    def text(self) -> str:
        """The line shown: the explanation, in the active language, and the mark."""
        return f"{self.explain()} {MARKS[self.state]}"

    def reason(self) -> dict[str, Any]:
        return {
            "criterion": self.key,
            "label": criterion_label(self.key),
            "state": self.state,
            "mark": MARKS[self.state],
            "text": self.text(),
        }


class CarrierMatch:
    __slots__ = ("carrier", "park", "score", "criteria", "failure_count", "sort_key")

    def __init__(
        self,
        carrier: CarrierFacts,
        park: ParkFacts | None,
        score: float,
        criteria: list[Criterion],
    ) -> None:
        self.carrier = carrier
        self.park = park
        self.score = score  # 0..100
        self.criteria = criteria
        self.failure_count = sum(1 for criterion in criteria if criterion.hard_fail)
        # (hard needs failed, -score, id): rounding keeps float noise from reordering ties.
        self.sort_key = (self.failure_count, -round(score, 6), carrier.id)

    @property
    def failures(self) -> list[Criterion]:
        return [criterion for criterion in self.criteria if criterion.hard_fail]

    def as_dict(self) -> dict[str, Any]:
        failures = self.failures
        with bound_catalogue():
            return {
                "carrier_id": self.carrier.id,
                "title": self.carrier.title,
                "park_id": self.carrier.park_id,
                "park_name": self.park.name if self.park else "",
                "score": round(self.score, 1),
                "reasons": [criterion.reason() for criterion in self.criteria],
                "blocking": failures[0].reason() if failures else None,
            }


@dataclass
class ParkMatch:
    park: ParkFacts
    score: float
    criteria: list[Criterion]
    carrier_count: int

    @property
    def sort_key(self) -> tuple[float, int]:
        return (-round(self.score, 6), self.park.id)

    def as_dict(self) -> dict[str, Any]:
        with bound_catalogue():
            return {
                "park_id": self.park.id,
                "name": self.park.name,
                "score": round(self.score, 1),
                "carrier_count": self.carrier_count,
                "reasons": [criterion.reason() for criterion in self.criteria],
            }


@dataclass
class MatchResult:
    carriers: list[CarrierMatch]
    near_misses: list[CarrierMatch]
    parks: list[ParkMatch]
    candidate_count: int

    def as_dict(self, languages: Sequence[str] = ()) -> dict[str, Any]:
        """The result as stored and shown, its lines in the active language. With
        `languages`, every reason also holds its line in each of them ("texts": {code:
        line}), for a page shown later in another language."""
        with bound_catalogue():
            data = {
                "carriers": [match.as_dict() for match in self.carriers],
                "near_misses": [match.as_dict() for match in self.near_misses],
                "parks": [match.as_dict() for match in self.parks],
                "candidate_count": self.candidate_count,
            }
        if languages:
            self._add_texts(data, languages)
        return data

    def _add_texts(self, data: dict[str, Any], languages: Sequence[str]) -> None:
        pairs: list[tuple[Criterion, dict[str, Any]]] = []
        for matches, items in (
            (self.carriers, data["carriers"]),
            (self.near_misses, data["near_misses"]),
        ):
            for match, item in zip(matches, items, strict=True):
                pairs.extend(zip(match.criteria, item["reasons"], strict=True))
                if item["blocking"] is not None:
                    pairs.append((match.failures[0], item["blocking"]))
        for park, item in zip(self.parks, data["parks"], strict=True):
            pairs.extend(zip(park.criteria, item["reasons"], strict=True))
        translation = _translation()
        for language in languages:
            # Park-level criteria are shared by the carriers of a park: each built once.
            built: dict[int, str] = {}
            with translation.override(language), bound_catalogue(rebind=True):
                for criterion, reason in pairs:
                    text = built.get(id(criterion))
                    if text is None:
                        text = built[id(criterion)] = criterion.text()
                    reason.setdefault("texts", {})[language] = text


# ---------------------------------------------------------------------------------------
# Formatting helpers (fast, float based; display only)


def fmt(value: float, places: int = 2) -> str:
    """12345.5 → "12,345.5"; trailing zeros dropped."""
    text = f"{value:,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def fmt_area(area_m2: float, kind: str) -> str:
    if kind == "land":
        return _("%(mu)s亩(%(m2)s㎡)") % {"mu": fmt(area_m2 / M2_PER_MU), "m2": fmt(area_m2, 0)}
    return f"{fmt(area_m2, 0)}㎡"


def fmt_range(low: float | None, high: float | None, kind: str) -> str:
    if kind == "land":
        if low and high:
            return _("%(low)s–%(high)s亩") % {
                "low": fmt(low / M2_PER_MU),
                "high": fmt(high / M2_PER_MU),
            }
        if low:
            return _("%(low)s亩 以上") % {"low": fmt(low / M2_PER_MU)}
        return _("%(high)s亩 以下") % {"high": fmt((high or 0) / M2_PER_MU)}
    if low and high:
        return f"{fmt(low)}–{fmt(high)}㎡"
    if low:
        return _("%(low)s㎡ 以上") % {"low": fmt(low)}
    return _("%(high)s㎡ 以下") % {"high": fmt(high or 0)}


def fmt_price(value: float, unit: str) -> str:
    """A price in its unit ("20元/㎡·月"); a unit not known: the number alone."""
    amount = PRICE_AMOUNTS.get(unit)
    return _(amount) % {"value": fmt(value)} if amount else fmt(value)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), good to a few metres at city scale."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def clamp(value: float) -> float:
    return 0.0 if value < 0 else 1.0 if value > 1 else value


# ---------------------------------------------------------------------------------------
# Price normalisation (unit-invariant comparison)


def rent_per_m2_month(value: float | None, unit: str, area: float | None) -> float | None:
    if value is None or unit not in RENT_UNITS:
        return None
    if unit == "yuan_m2_month":
        return value
    if unit == "yuan_m2_day":
        return value * DAYS_PER_MONTH
    if area:
        return value / area
    return None


def sale_total_wan(value: float | None, unit: str, area: float | None) -> float | None:
    if value is None or unit not in SALE_UNITS:
        return None
    if unit == "wan_total":
        return value
    if area:
        return value * area / M2_PER_MU
    return None


def carrier_rent_per_m2_month(carrier: CarrierFacts) -> float | None:
    return rent_per_m2_month(carrier.price_value, carrier.price_unit, carrier.area_m2)


def carrier_sale_total_wan(carrier: CarrierFacts) -> float | None:
    return sale_total_wan(carrier.price_value, carrier.price_unit, carrier.area_m2)


def budget_in_units(need: NeedSpec) -> tuple[str, float] | None:
    """The budget as ("per_m2_month", 元/㎡·月) | ("month_total", 元/月) |
    ("sale_total", 万元) | ("per_mu", 万元/亩)."""
    value, unit = need.budget_value, need.budget_unit
    if value is None or value <= 0 or not unit:
        return None
    if unit == "yuan_m2_month":
        return ("per_m2_month", value)
    if unit == "yuan_m2_day":
        return ("per_m2_month", value * DAYS_PER_MONTH)
    if unit == "yuan_month":
        return ("month_total", value)
    if unit == "wan_total":
        return ("sale_total", value)
    if unit == "wan_per_mu":
        return ("per_mu", value)
    return None


def price_ratio_score(ratio: float) -> tuple[float, str]:
    """Cheaper is better, continuously: 1.0 at free, 0.8 at the budget, 0 at 40% over."""
    if ratio <= 1 + EPSILON:
        return 1.0 - 0.2 * max(ratio, 0.0), "ok"
    return clamp(0.8 - (ratio - 1) * 2), "fail"


# ---------------------------------------------------------------------------------------
# Criteria for a carrier


# Scalar scores: shared by the explained criteria below and the numeric pass in `rank`, so
# the order the person sees and the scores shown come from the same arithmetic.


def area_score(area: float | None, low: float | None, high: float | None, margin: float) -> float:
    if area is None:
        return 0.5
    if low and area < low:
        return clamp(1 - (low - area) / low / margin) if margin else 0.0
    if high and area > high:
        return clamp(1 - (area - high) / high / margin) if margin else 0.0
    return 1.0


def price_score(need: NeedSpec, carrier: CarrierFacts) -> float:
    """Only called when the need has a budget."""
    basis, limit = need.budget  # type: ignore[misc]
    return price_score_of(
        basis,
        limit,
        carrier.price_negotiable,
        carrier.price_value,
        carrier.price_unit,
        carrier.area_m2,
    )


def price_score_of(
    basis: str, limit: float, negotiable: bool, value: float | None, unit: str, area: float | None
) -> float:
    if negotiable or value is None:
        return 0.5
    comparable = comparable_price_of(basis, value, unit, area)
    if comparable is None:
        return 0.5
    return price_ratio_score(comparable / limit)[0]


def nearest_place(
    need: NeedSpec, latitude: float | None, longitude: float | None
) -> tuple[float, Place] | None:
    if latitude is None or longitude is None:
        return None
    nearest: tuple[float, Place] | None = None
    for place in need.places:
        if place.latitude is None or place.longitude is None:
            continue
        km = distance_km(latitude, longitude, place.latitude, place.longitude)
        if nearest is None or km < nearest[0]:
            nearest = (km, place)
    return nearest


def location_score(
    need: NeedSpec,
    park_id: int,
    region_code: str,
    latitude: float | None,
    longitude: float | None,
    config: MatchConfig,
) -> float:
    if str(park_id) in need.wanted_park_ids:
        return 1.0
    if region_code and region_code in need.wanted_region_codes:
        return 1.0
    nearest = nearest_place(need, latitude, longitude)
    if nearest is None:
        return 0.0
    # Outside the wanted places: at most 0.8, falling to 0 at distance_zero_km.
    return 0.8 * clamp(1 - nearest[0] / config.distance_zero_km)


def minimum_score(needed: float, offered: float | None, absent: bool) -> tuple[float, bool]:
    """(score, hard failure) for a technical minimum; a better value never scores lower."""
    if offered is None:
        return (0.0, True) if absent else (0.5, False)
    if offered + EPSILON >= needed:
        return 1.0, False
    return (0.45 * clamp(offered / needed) if needed else 0.0), True


def fire_score(needed: str, offered: str) -> tuple[float, bool]:
    if not offered:
        return 0.5, False
    # 甲 (A) is the most demanding class; a building rated for A also serves B…E.
    if offered <= needed:
        return 1.0, False
    return 0.45 * clamp(1 - (ord(offered) - ord(needed)) / 4), True


def freshness_score(confirmed_at: datetime | None, config: MatchConfig) -> float:
    if confirmed_at is None:
        return 0.2
    days = max(0, (config.now - confirmed_at).days)
    return clamp(1 - days / config.hide_days) if config.hide_days else 0.0


def criterion_area(need: NeedSpec, carrier: CarrierFacts, config: MatchConfig) -> Criterion:
    low, high, area = need.area_min_m2, need.area_max_m2, carrier.area_m2
    kind = need.kind
    if area is None:
        return Criterion(
            "area",
            0.5,
            "unknown",
            lambda: _("面积未标明,您需要 %(wanted)s") % {"wanted": fmt_range(low, high, kind)},
        )
    score = area_score(area, low, high, config.area_margin)
    if low and area < low:
        short = (low - area) / low
        return Criterion(
            "area",
            score,
            "fail",
            lambda: (
                _("面积 %(area)s,比您需要的 %(wanted)s 小 %(percent)s%%")
                % {
                    "area": fmt_area(area, kind),
                    "wanted": fmt_range(low, high, kind),
                    "percent": fmt(short * 100, 0),
                }
            ),
        )
    if high and area > high:
        excess = (area - high) / high
        return Criterion(
            "area",
            score,
            "fail",
            lambda: (
                _("面积 %(area)s,比您需要的 %(wanted)s 大 %(percent)s%%")
                % {
                    "area": fmt_area(area, kind),
                    "wanted": fmt_range(low, high, kind),
                    "percent": fmt(excess * 100, 0),
                }
            ),
        )
    return Criterion(
        "area",
        1.0,
        "ok",
        lambda: (
            _("面积 %(area)s,在您需要的 %(wanted)s 内")
            % {"area": fmt_area(area, kind), "wanted": fmt_range(low, high, kind)}
        ),
    )


# The budget's basis: (the unit its prices are shown in, the line within the budget, the
# line over it).
PRICE_BASES = {
    "per_m2_month": (
        "yuan_m2_month",
        gettext_noop("租金 %(price)s,在预算 %(budget)s 内"),
        gettext_noop("租金 %(price)s,超出预算 %(budget)s %(percent)s%%"),
    ),
    "month_total": (
        "yuan_month",
        gettext_noop("月租金 %(price)s,在预算 %(budget)s 内"),
        gettext_noop("月租金 %(price)s,超出预算 %(budget)s %(percent)s%%"),
    ),
    "sale_total": (
        "wan_total",
        gettext_noop("总价 %(price)s,在预算 %(budget)s 内"),
        gettext_noop("总价 %(price)s,超出预算 %(budget)s %(percent)s%%"),
    ),
    "per_mu": (
        "wan_per_mu",
        gettext_noop("地价 %(price)s,在预算 %(budget)s 内"),
        gettext_noop("地价 %(price)s,超出预算 %(budget)s %(percent)s%%"),
    ),
}


def comparable_price(basis: str, carrier: CarrierFacts) -> float | None:
    """The carrier's price on the budget's basis, whatever unit it was quoted in."""
    return comparable_price_of(basis, carrier.price_value, carrier.price_unit, carrier.area_m2)


def comparable_price_of(
    basis: str, value: float | None, unit: str, area: float | None
) -> float | None:
    """`comparable_price` on plain values (the numeric pass reads rows, not facts)."""
    if basis == "per_m2_month":
        return rent_per_m2_month(value, unit, area)
    if basis == "month_total":
        per_m2 = rent_per_m2_month(value, unit, area)
        return per_m2 * area if per_m2 is not None and area else None
    total = sale_total_wan(value, unit, area)
    if basis == "sale_total":
        return total
    return total / (area / M2_PER_MU) if total and area else None


def criterion_price(need: NeedSpec, carrier: CarrierFacts) -> Criterion:
    if carrier.price_negotiable or carrier.price_value is None:
        return Criterion("price", 0.5, "neutral", lambda: _("价格面议,不计高低"))
    price, unit = carrier.price_value, carrier.price_unit
    budget = need.budget
    if budget is None:
        return Criterion(
            "price",
            0.5,
            "neutral",
            lambda: _("报价 %(price)s,您未填预算") % {"price": fmt_price(price, unit)},
        )
    basis, limit = budget
    comparable = comparable_price(basis, carrier)
    if comparable is None:
        budget_value, budget_unit = need.budget_value or 0, need.budget_unit
        return Criterion(
            "price",
            0.5,
            "neutral",
            lambda: (
                _("报价 %(price)s,与预算 %(budget)s 口径不同,未比较")
                % {"price": fmt_price(price, unit), "budget": fmt_price(budget_value, budget_unit)}
            ),
        )
    ratio = comparable / limit
    score, state = price_ratio_score(ratio)
    shown_unit, within, over = PRICE_BASES[basis]
    if state == "ok":
        return Criterion(
            "price",
            score,
            state,
            lambda: (
                _(within)
                % {
                    "price": fmt_price(comparable, shown_unit),
                    "budget": fmt_price(limit, shown_unit),
                }
            ),
        )
    return Criterion(
        "price",
        score,
        state,
        lambda: (
            _(over)
            % {
                "price": fmt_price(comparable, shown_unit),
                "budget": fmt_price(limit, shown_unit),
                "percent": fmt((ratio - 1) * 100, 0),
            }
        ),
    )


def _location(
    need: NeedSpec,
    park_id: int,
    region_code: str,
    where: str,
    latitude: float | None,
    longitude: float | None,
    config: MatchConfig,
) -> Criterion:
    score = location_score(need, park_id, region_code, latitude, longitude, config)

    def line(
        with_where: str, without: str, values: Callable[[], dict[str, str]] = dict
    ) -> Callable[[], str]:
        # A carrier whose park is not in the active list has no place name here: say the rest.
        # Built when shown, like every line (its values too: fmt is not free in the ranking).
        return lambda: _(with_where if where else without) % {"where": where, **values()}

    if str(park_id) in need.wanted_park_ids:
        return Criterion(
            "location",
            score,
            "ok",
            line(gettext_noop("位于 %(where)s,在您意向的园区内"), gettext_noop("在您意向的园区内")),
        )
    if region_code and region_code in need.wanted_region_codes:
        return Criterion(
            "location",
            score,
            "ok",
            line(gettext_noop("位于 %(where)s,在您意向的区县内"), gettext_noop("在您意向的区县内")),
        )
    nearest = nearest_place(need, latitude, longitude)
    if nearest is None:
        return Criterion(
            "location",
            score,
            "fail",
            line(gettext_noop("位于 %(where)s,不在您意向的地区"), gettext_noop("不在您意向的地区")),
        )
    km, place = nearest
    # A park placed at its county's centre: the distance is only as good as that.
    if place.approximate:
        with_where = gettext_noop(
            "位于 %(where)s,距您意向的 %(place)s 约 %(km)s km(该园区位置按所在区县中心估算)"
        )
        without = gettext_noop("距您意向的 %(place)s 约 %(km)s km(该园区位置按所在区县中心估算)")
    else:
        with_where = gettext_noop("位于 %(where)s,距您意向的 %(place)s 约 %(km)s km")
        without = gettext_noop("距您意向的 %(place)s 约 %(km)s km")
    return Criterion(
        "location",
        score,
        "fail",
        line(with_where, without, lambda: {"place": place.name, "km": fmt(km, 0)}),
    )


def industry_depth(need_lineage: Sequence[str], other: Sequence[str]) -> int:
    """How deep two GB/T 4754 lineages agree: 4 = same 小类, 3 中类, 2 大类, 1 门类, 0 none."""
    depth = 0
    for mine, theirs in zip(need_lineage, other, strict=False):
        if mine != theirs:
            break
        depth += 1
    return depth


INDUSTRY_DEPTH_SCORES = {4: 1.0, 3: 0.75, 2: 0.5, 1: 0.2, 0: 0.0}
INDUSTRY_DEPTH_TEXTS = {
    4: gettext_noop("园区主导产业 %(code)s %(name)s,与您的行业同小类"),
    3: gettext_noop("园区主导产业 %(code)s %(name)s,与您的行业同中类"),
    2: gettext_noop("园区主导产业 %(code)s %(name)s,与您的行业同大类"),
    1: gettext_noop("园区主导产业 %(code)s %(name)s,与您的行业同门类"),
}


def industry_fit(need: NeedSpec, park: ParkFacts | None) -> tuple[int, IndustryFacts] | None:
    """The park's leading industry closest to the need's, with the depth they agree to
    (ties to the lower code); None when the park lists no leading industry."""
    if park is None or not park.leading_industries:
        return None
    best: tuple[int, IndustryFacts] | None = None
    for leading in park.leading_industries:
        depth = industry_depth(need.industry_lineage, leading.lineage)
        # A need stated at 大类 level that equals a park's 大类 is a full match at that level.
        depth = 4 if depth and depth == len(need.industry_lineage) else depth
        if best is None or depth > best[0] or (depth == best[0] and leading.code < best[1].code):
            best = (depth, leading)
    return best


# Added to a park's industry score (up to 1) when the need fills one of its missing links.
CHAIN_GAP_BONUS = 0.25


def chain_gap_filled(need: NeedSpec, park: ParkFacts | None) -> ChainGap | None:
    """The park's first missing link whose classes hold the need's 小类 or 中类."""
    if park is None or not park.chain_gaps or len(need.industry_lineage) < 3:
        return None
    code = need.industry_lineage[-1]
    for gap in park.chain_gaps:
        if code in gap.codes or code[:3] in gap.codes:
            return gap
    return None


def industry_score(need: NeedSpec, park: ParkFacts | None) -> float:
    """`criterion_industry`'s score without its explanation."""
    fit = industry_fit(need, park)
    base = 0.3 if fit is None else INDUSTRY_DEPTH_SCORES[fit[0]]
    if chain_gap_filled(need, park) is not None:
        return min(1.0, base + CHAIN_GAP_BONUS)
    return base


def criterion_industry(need: NeedSpec, park: ParkFacts | None) -> Criterion:
    criterion = _criterion_industry(need, park)
    gap = chain_gap_filled(need, park)
    if gap is None or park is None:
        return criterion
    explain = criterion.explain
    return Criterion(
        "industry",
        industry_score(need, park),
        "ok",
        lambda: (
            _("%(reason)s;可补齐%(park)s%(chain)s产业链「%(link)s」缺链环节")
            % {"reason": explain(), "park": park.name, "chain": gap.chain, "link": gap.link}
        ),
    )


def _criterion_industry(need: NeedSpec, park: ParkFacts | None) -> Criterion:
    industry = need.industry_name or (need.industry_lineage[-1] if need.industry_lineage else "")
    fit = industry_fit(need, park)
    if park is None or fit is None:
        return Criterion("industry", 0.3, "unknown", lambda: _("园区未列主导产业"))
    depth, leading = fit
    score = INDUSTRY_DEPTH_SCORES[depth]
    if depth == 0:
        names = [item.name for item in park.leading_industries[:3]]
        return Criterion(
            "industry",
            score,
            "fail",
            lambda: (
                _("园区主导产业(%(names)s)与 %(industry)s 不同门类")
                % {"names": pgettext("list of names", "、").join(names), "industry": industry}
            ),
        )
    state = "ok" if depth >= 3 else ("neutral" if depth == 2 else "fail")
    text = INDUSTRY_DEPTH_TEXTS[depth]
    return Criterion(
        "industry",
        score,
        state,
        lambda: _(text) % {"code": leading.code, "name": leading.name},
    )


# Land-use lines and the reasons nothing could be compared (constants: the numeric pass
# reads `land_use_parts` for every candidate of a land need).
LAND_USE_INVESTMENT = gettext_noop("投资 %(value)s 万元/亩(门槛 %(floor)s)")
LAND_USE_TAX = gettext_noop("税收 %(value)s 万元/亩(门槛 %(floor)s)")
LAND_USE_NO_THRESHOLDS = gettext_noop("园区未公布投资强度和亩均税收门槛")
LAND_USE_NO_AREA = gettext_noop("未填面积,无法折算每亩投资和税收")
LAND_USE_NO_MATCHING_THRESHOLD = gettext_noop("园区未公布相应门槛")


def land_use_parts(
    need: NeedSpec, park: ParkFacts | None, area_m2: float | None
) -> tuple[list[tuple[float, str, float, float]], str]:
    """(score, line, per 亩, threshold) for each threshold the need's figures meet or miss,
    or no parts and the reason nothing could be compared (lines and reason are messages,
    translated when shown)."""
    intensity = park.investment_intensity_wan_per_mu if park else None
    tax_floor = park.tax_per_mu_wan if park else None
    if intensity is None and tax_floor is None:
        return [], LAND_USE_NO_THRESHOLDS
    if not area_m2:
        return [], LAND_USE_NO_AREA
    mu = area_m2 / M2_PER_MU
    parts: list[tuple[float, str, float, float]] = []
    if need.investment_wan is not None and intensity:
        per_mu = need.investment_wan / mu
        parts.append((min(per_mu / intensity, 1.0), LAND_USE_INVESTMENT, per_mu, intensity))
    if need.annual_tax_wan is not None and tax_floor:
        per_mu = need.annual_tax_wan / mu
        parts.append((min(per_mu / tax_floor, 1.0), LAND_USE_TAX, per_mu, tax_floor))
    return parts, "" if parts else LAND_USE_NO_MATCHING_THRESHOLD


def land_use_score(need: NeedSpec, park: ParkFacts | None, area_m2: float | None) -> float:
    """`criterion_land_use`'s score without its explanation."""
    parts, _unknown = land_use_parts(need, park, area_m2)
    return _land_use_mean(parts) if parts else 0.5


def _land_use_mean(parts: list[tuple[float, str, float, float]]) -> float:
    return sum(part[0] for part in parts) / len(parts)


def criterion_land_use(need: NeedSpec, park: ParkFacts | None, area_m2: float | None) -> Criterion:
    parts, unknown = land_use_parts(need, park, area_m2)
    if not parts:
        return Criterion("land_use", 0.5, "unknown", lambda: _(unknown))
    score = _land_use_mean(parts)
    state = "ok" if all(part[0] >= 1.0 - EPSILON for part in parts) else "fail"

    def explain() -> str:
        text = pgettext("list of clauses", ",").join(
            _(line) % {"value": fmt(value, 1), "floor": fmt(floor, 1)}
            for _score, line, value, floor in parts
        )
        return _("折合%(parts)s") % {"parts": text}

    return Criterion("land_use", score, state, explain)


# A technical minimum's lines: (not stated, or none where none is a miss; meets; misses).
MINIMUM_TEXTS = {
    "height": (
        gettext_noop("层高未标明,需要 %(needed)sm"),
        gettext_noop("层高 %(offered)sm ≥ 需要 %(needed)sm"),
        gettext_noop("层高 %(offered)sm < 需要 %(needed)sm"),
    ),
    "load": (
        gettext_noop("承重未标明,需要 %(needed)s t/㎡"),
        gettext_noop("承重 %(offered)s t/㎡ ≥ 需要 %(needed)s t/㎡"),
        gettext_noop("承重 %(offered)s t/㎡ < 需要 %(needed)s t/㎡"),
    ),
    "power": (
        gettext_noop("可配电未标明,需要 %(needed)skVA"),
        gettext_noop("可配电 %(offered)skVA ≥ 需要 %(needed)skVA"),
        gettext_noop("可配电 %(offered)skVA < 需要 %(needed)skVA"),
    ),
    "crane": (
        gettext_noop("无行车,需要 %(needed)st"),
        gettext_noop("行车 %(offered)st ≥ 需要 %(needed)st"),
        gettext_noop("行车 %(offered)st < 需要 %(needed)st"),
    ),
}


def _minimum(key: str, needed: float, offered: float | None, *, absent: bool = False) -> Criterion:
    """A technical minimum: meeting it scores 1; missing it is a hard failure with partial
    credit for how close it comes. `absent`: no value means none (a miss), not unstated."""
    score, hard = minimum_score(needed, offered, absent)
    unstated, meets, misses = MINIMUM_TEXTS[key]
    if offered is None:
        return Criterion(
            key,
            score,
            "fail" if absent else "unknown",
            lambda: _(unstated) % {"needed": fmt(needed)},
            hard_fail=absent,
        )
    return Criterion(
        key,
        score,
        "fail" if hard else "ok",
        lambda: _(misses if hard else meets) % {"offered": fmt(offered), "needed": fmt(needed)},
        hard_fail=hard,
    )


def criterion_eia(carrier: CarrierFacts) -> Criterion:
    if carrier.eia_ok:
        return Criterion("eia", 1.0, "ok", lambda: _("可环评"))
    return Criterion("eia", 0.0, "fail", lambda: _("不可环评,您需要环评"), hard_fail=True)


def fire_class_label(code: str) -> str:
    """The fire hazard class's name in the active language ("A": 甲类); an unknown code
    as it is."""
    label = FIRE_CLASS_LABELS.get(code)
    return _(label) if label else code


def criterion_fire(need: NeedSpec, carrier: CarrierFacts) -> Criterion:
    wanted, offered = need.fire_hazard_class, carrier.fire_hazard_class
    score, hard = fire_score(wanted, offered)
    if not offered:
        return Criterion(
            "fire",
            score,
            "unknown",
            lambda: _("消防类别未标明,您需要 %(wanted)s") % {"wanted": fire_class_label(wanted)},
        )
    if not hard:
        return Criterion(
            "fire",
            score,
            "ok",
            lambda: (
                _("消防 %(offered)s,满足 %(wanted)s 生产")
                % {"offered": fire_class_label(offered), "wanted": fire_class_label(wanted)}
            ),
        )
    return Criterion(
        "fire",
        score,
        "fail",
        lambda: (
            _("消防 %(offered)s,低于您需要的 %(wanted)s")
            % {"offered": fire_class_label(offered), "wanted": fire_class_label(wanted)}
        ),
        hard_fail=True,
    )


def criterion_freshness(carrier: CarrierFacts, config: MatchConfig) -> Criterion:
    score = freshness_score(carrier.confirmed_at, config)
    if carrier.confirmed_at is None:
        return Criterion("freshness", score, "unknown", lambda: _("未记录确认日期"))
    days = max(0, (config.now - carrier.confirmed_at).days)
    if days == 0:
        return Criterion("freshness", score, "ok", lambda: _("今天确认"))
    state = "ok" if days <= 30 else ("neutral" if days <= 90 else "fail")
    return Criterion(
        "freshness",
        score,
        state,
        lambda: ngettext("%(days)d 天前确认", "%(days)d 天前确认", days) % {"days": days},
    )


def carrier_point(
    carrier: CarrierFacts, park: ParkFacts | None
) -> tuple[float | None, float | None]:
    """The carrier's own point, else its park's centre."""
    if carrier.latitude is not None and carrier.longitude is not None:
        return carrier.latitude, carrier.longitude
    if park is not None:
        return park.latitude, park.longitude
    return None, None


def carrier_criteria(
    need: NeedSpec,
    carrier: CarrierFacts,
    park: ParkFacts | None,
    config: MatchConfig,
    park_memo: dict[tuple[str, int], Criterion] | None = None,
) -> list[Criterion]:
    """The need's criteria for one carrier. Criteria that depend only on the park (industry;
    land use when the need's own area is used) are shared through `park_memo`."""
    park_memo = {} if park_memo is None else park_memo
    park_key = carrier.park_id
    criteria: list[Criterion] = []
    if need.area_min_m2 or need.area_max_m2:
        criteria.append(criterion_area(need, carrier, config))
    criteria.append(criterion_price(need, carrier))
    if need.places:
        where = park.name if park else carrier.region_name
        latitude, longitude = carrier_point(carrier, park)
        criteria.append(
            _location(
                need, carrier.park_id, carrier.region_code, where, latitude, longitude, config
            )
        )
    if need.industry_lineage:
        industry = park_memo.get(("industry", park_key))
        if industry is None:
            industry = park_memo[("industry", park_key)] = criterion_industry(need, park)
        criteria.append(industry)
    if need.investment_wan is not None or need.annual_tax_wan is not None:
        if need.kind == "land":
            criteria.append(criterion_land_use(need, park, carrier.area_m2))
        else:
            land_use = park_memo.get(("land_use", park_key))
            if land_use is None:
                land_use = park_memo[("land_use", park_key)] = criterion_land_use(
                    need, park, need.area_mid_m2
                )
            criteria.append(land_use)
    if need.height_m:
        criteria.append(_minimum("height", need.height_m, carrier.height_m))
    if need.load_t_m2:
        criteria.append(_minimum("load", need.load_t_m2, carrier.load_t_m2))
    if need.power_kva:
        criteria.append(_minimum("power", need.power_kva, carrier.power_kva))
    if need.crane_t:
        criteria.append(_minimum("crane", need.crane_t, carrier.crane_t, absent=True))
    if need.eia_required:
        criteria.append(criterion_eia(carrier))
    if need.fire_hazard_class:
        criteria.append(criterion_fire(need, carrier))
    criteria.append(criterion_freshness(carrier, config))
    return criteria


def weighted_score(criteria: Iterable[Criterion], column: int) -> float:
    total_weight = 0
    total = 0.0
    for criterion in criteria:
        weight = WEIGHTS[criterion.key][column]
        total_weight += weight
        total += weight * criterion.score
    return 100.0 * total / total_weight if total_weight else 0.0


def score_carrier(
    need: NeedSpec,
    carrier: CarrierFacts,
    park: ParkFacts | None,
    config: MatchConfig,
    park_memo: dict[tuple[str, int], Criterion] | None = None,
) -> CarrierMatch:
    criteria = carrier_criteria(need, carrier, park, config, park_memo)
    # Without a budget the price line is shown for information only and not weighed.
    if need.budget is None:
        counted = [criterion for criterion in criteria if criterion.key != "price"]
    else:
        counted = criteria
    return CarrierMatch(carrier, park, weighted_score(counted, 0), criteria)


# ---------------------------------------------------------------------------------------
# Parks


def score_park(
    need: NeedSpec,
    park: ParkFacts,
    best_carrier_score: float | None,
    carrier_count: int,
    config: MatchConfig,
) -> ParkMatch:
    criteria: list[Criterion] = []
    if need.places:
        criteria.append(
            _location(
                need, park.id, park.region_code, park.name, park.latitude, park.longitude, config
            )
        )
    if need.industry_lineage:
        criteria.append(criterion_industry(need, park))
    if need.investment_wan is not None or need.annual_tax_wan is not None:
        criteria.append(criterion_land_use(need, park, need.area_mid_m2))
    if best_carrier_score is None:
        criteria.append(Criterion("carriers", 0.0, "fail", lambda: _("暂无符合条件的载体")))
    else:
        best = best_carrier_score
        criteria.append(
            Criterion(
                "carriers",
                best / 100.0,
                "ok",
                lambda: (
                    ngettext(
                        "有 %(count)d 个符合条件的载体,最高匹配 %(score)s 分",
                        "有 %(count)d 个符合条件的载体,最高匹配 %(score)s 分",
                        carrier_count,
                    )
                    % {"count": carrier_count, "score": fmt(best, 0)}
                ),
            )
        )
    return ParkMatch(park, weighted_score(criteria, 1), criteria, carrier_count)


# ---------------------------------------------------------------------------------------
# The whole match


# The numeric pass reads plain rows (tuples) rather than `CarrierFacts`: the candidate query
# hands its cursor rows straight to it, so no object is built per candidate. A row holds the
# fields `numeric_fields(need)` names, in that order; the confirmation time is an integer of
# microseconds since the Unix epoch ("confirmed_us"), so the days since it are one integer
# division and no timestamp is parsed per row. Extra trailing items are ignored.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECONDS_PER_DAY = 86_400_000_000
_MINIMUM_FIELDS = (  # (criterion, need attribute, carrier field, no value = failure)
    ("height", "height_m", "height_m", False),
    ("load", "load_t_m2", "load_t_m2", False),
    ("power", "power_kva", "power_kva", False),
    ("crane", "crane_t", "crane_t", True),
)


def epoch_microseconds(moment: datetime | None) -> int | None:
    """An aware datetime as whole microseconds since the Unix epoch (exact)."""
    return None if moment is None else (moment - EPOCH) // timedelta(microseconds=1)


def numeric_fields(need: NeedSpec) -> tuple[str, ...]:
    """The carrier fields this need's criteria read, numeric pass and explanations alike:
    a row of these values is all `rank_rows` needs. Price is always read (its line is
    shown even without a budget); place, technical and fire fields only when asked."""
    fields = [
        "id", "park_id", "area_m2", "price_negotiable", "price_value", "price_unit",
        "confirmed_us",
    ]  # fmt: skip
    if need.places:
        fields += ["region_code", "latitude", "longitude"]
    fields += [field for _key, wanted, field, _absent in _MINIMUM_FIELDS if getattr(need, wanted)]
    if need.eia_required:
        fields.append("eia_ok")
    if need.fire_hazard_class:
        fields.append("fire_hazard_class")
    return tuple(fields)


def row_from_facts(carrier: CarrierFacts, fields: Sequence[str]) -> tuple[Any, ...]:
    """The numeric pass's row for a `CarrierFacts`."""
    return tuple(
        epoch_microseconds(carrier.confirmed_at)
        if field == "confirmed_us"
        else getattr(carrier, field)
        for field in fields
    )


def facts_from_row(row: Sequence[Any], fields: Sequence[str]) -> CarrierFacts:
    """`CarrierFacts` from a row of `fields`. Fields the need does not read keep their
    defaults (title, region name, kind and deal are not in the row): enough to explain the
    criteria of the need the fields were chosen for, and only for that need."""
    values = dict(zip(fields, row, strict=False))
    confirmed_us = values.pop("confirmed_us", None)
    values["price_negotiable"] = bool(values.get("price_negotiable"))
    values["eia_ok"] = bool(values.get("eia_ok"))
    values["region_code"] = values.get("region_code") or ""
    values["price_unit"] = values.get("price_unit") or ""
    values["fire_hazard_class"] = values.get("fire_hazard_class") or ""
    return CarrierFacts(
        title="",
        kind="",
        deal="",
        confirmed_at=(
            None if confirmed_us is None else EPOCH + timedelta(microseconds=confirmed_us)
        ),
        **values,
    )


def numeric_row_scorer(
    need: NeedSpec,
    config: MatchConfig,
    parks: Mapping[int, ParkFacts],
    memo: dict[str, dict[Any, float]] | None = None,
) -> Callable[[Sequence[Any]], tuple[int, float]]:
    """A scorer for one need that returns only (hard failures, score) for a row of
    `numeric_fields(need)`: the same arithmetic, criteria order and weights as
    `score_carrier`, without building explanations. `rank_rows` runs it over every
    candidate and explains only the results it shows. Scores that depend only on the park
    or the point are kept in `memo` (shared with `numeric_park_scorer`)."""
    fields = numeric_fields(need)
    at = {field: index for index, field in enumerate(fields)}
    low, high, margin = need.area_min_m2, need.area_max_m2, config.area_margin
    has_area = bool(low or high)
    budget = need.budget
    has_places = bool(need.places)
    has_industry = bool(need.industry_lineage)
    has_land_use = need.investment_wan is not None or need.annual_tax_wan is not None
    minimums = [
        (at[field], getattr(need, wanted), absent, WEIGHTS[key][0])
        for key, wanted, field, absent in _MINIMUM_FIELDS
        if getattr(need, wanted)
    ]
    weight = {key: value[0] for key, value in WEIGHTS.items()}
    total_weight = (
        (weight["area"] if has_area else 0)
        + (weight["price"] if budget is not None else 0)
        + (weight["location"] if has_places else 0)
        + (weight["industry"] if has_industry else 0)
        + (weight["land_use"] if has_land_use else 0)
        + sum(item[3] for item in minimums)
        + (weight["eia"] if need.eia_required else 0)
        + (weight["fire"] if need.fire_hazard_class else 0)
        + weight["freshness"]
    )

    # Weights, settings, caches and row positions bound to locals: this runs per candidate.
    w_area, w_price, w_location = weight["area"], weight["price"], weight["location"]
    w_industry, w_land_use, w_eia = weight["industry"], weight["land_use"], weight["eia"]
    w_fire, w_freshness = weight["fire"], weight["freshness"]
    price_of = partial(price_score_of, *budget) if budget is not None else None
    eia_required, fire_needed = need.eia_required, need.fire_hazard_class
    land_need = need.kind == "land"
    area_mid = need.area_mid_m2
    hide_days = config.hide_days
    now_us = epoch_microseconds(config.now)
    park_of = parks.get
    memo = {} if memo is None else memo
    industry_by_park = memo.setdefault("industry", {})
    land_use_by_park = memo.setdefault("land_use", {})
    location_by_point = memo.setdefault("location", {})
    wanted_parks = {int(key) for key in need.wanted_park_ids if key.isdigit()}
    wanted_regions = need.wanted_region_codes
    i_region, i_latitude, i_longitude = (
        (at["region_code"], at["latitude"], at["longitude"]) if has_places else (0, 0, 0)
    )
    i_eia = at.get("eia_ok", 0)
    i_fire = at.get("fire_hazard_class", 0)

    def evaluate(row: Sequence[Any]) -> tuple[int, float]:
        # Summed in carrier_criteria's order so the floats match score_carrier exactly.
        park_id, area = row[1], row[2]
        total = 0.0
        failures = 0
        if has_area:
            total += w_area * area_score(area, low, high, margin)
        if price_of is not None:
            total += w_price * price_of(row[3], row[4], row[5], area)
        if has_places:
            region_code = row[i_region]
            location: float | None
            if park_id in wanted_parks or (region_code and region_code in wanted_regions):
                location = 1.0
            else:
                # Outside the wanted places the score depends on the point alone; carriers
                # without their own point share their park's.
                latitude, longitude = row[i_latitude], row[i_longitude]
                if latitude is None or longitude is None:
                    park = park_of(park_id)
                    latitude, longitude = (
                        (park.latitude, park.longitude) if park is not None else (None, None)
                    )
                location = location_by_point.get((latitude, longitude))
                if location is None:
                    location = location_by_point[(latitude, longitude)] = location_score(
                        need, park_id, region_code, latitude, longitude, config
                    )
            total += w_location * location
        if has_industry:
            industry = industry_by_park.get(park_id)
            if industry is None:
                industry = industry_by_park[park_id] = industry_score(need, park_of(park_id))
            total += w_industry * industry
        if has_land_use:
            land_use: float | None
            if land_need:
                land_use = land_use_score(need, park_of(park_id), area)
            else:
                land_use = land_use_by_park.get(park_id)
                if land_use is None:
                    land_use = land_use_by_park[park_id] = land_use_score(
                        need, park_of(park_id), area_mid
                    )
            total += w_land_use * land_use
        for index, needed, absent, item_weight in minimums:
            score, hard = minimum_score(needed, row[index], absent)
            total += item_weight * score
            failures += hard
        if eia_required:
            if row[i_eia]:
                total += w_eia * 1.0
            else:
                failures += 1
        if fire_needed:
            score, hard = fire_score(fire_needed, row[i_fire] or "")
            total += w_fire * score
            failures += hard
        # freshness_score, inlined: whole days since confirmation, as timedelta.days counts.
        confirmed_us = row[6]
        if confirmed_us is None:
            freshness = 0.2
        elif hide_days:
            days = (now_us - confirmed_us) // MICROSECONDS_PER_DAY
            freshness = 1 - (days if days > 0 else 0) / hide_days
            freshness = 0.0 if freshness < 0 else 1.0 if freshness > 1 else freshness
        else:
            freshness = 0.0
        total += w_freshness * freshness
        return failures, 100.0 * total / total_weight

    return evaluate


def numeric_scorer(
    need: NeedSpec, config: MatchConfig
) -> Callable[[CarrierFacts, ParkFacts | None], tuple[int, float]]:
    """`numeric_row_scorer` for one `CarrierFacts` and its park (through its row)."""
    fields = numeric_fields(need)

    def evaluate(carrier: CarrierFacts, park: ParkFacts | None) -> tuple[int, float]:
        parks = {} if park is None else {carrier.park_id: park}
        return numeric_row_scorer(need, config, parks)(row_from_facts(carrier, fields))

    return evaluate


def rank(
    need: NeedSpec,
    carriers: Iterable[CarrierFacts],
    parks: Iterable[ParkFacts],
    config: MatchConfig,
) -> MatchResult:
    """Score every candidate, split matches from near-misses, and rank parks. Deterministic:
    ordered by (hard needs failed, -score, id). The shown results keep the given facts."""
    fields = numeric_fields(need)
    # Each row carries its facts last (ignored by the numeric pass), to explain the shown.
    rows = [(*row_from_facts(carrier, fields), carrier) for carrier in carriers]
    return rank_rows(need, rows, parks, config, facts=lambda row: row[-1])


def rank_rows(
    need: NeedSpec,
    rows: Iterable[Sequence[Any]],
    parks: Iterable[ParkFacts],
    config: MatchConfig,
    *,
    facts: Callable[[Sequence[Any]], CarrierFacts] | None = None,
) -> MatchResult:
    """`rank` over rows of `numeric_fields(need)` (a candidate query's cursor rows): every
    row scored numerically, only the shown ones turned into `CarrierFacts` (by `facts`,
    default `facts_from_row`) and explained. The result does not depend on row order."""
    fields = numeric_fields(need)
    to_facts = facts or (lambda row: facts_from_row(row, fields))
    parks_by_id = {park.id: park for park in parks}
    memo: dict[str, dict[Any, float]] = {}
    evaluate = numeric_row_scorer(need, config, parks_by_id, memo)
    matches: list[tuple[float, Sequence[Any]]] = []
    near: list[tuple[float, Sequence[Any]]] = []
    best_by_park: dict[int, float] = {}
    count_by_park: dict[int, int] = {}
    candidate_count = 0
    for row in rows:
        candidate_count += 1
        failures, score = evaluate(row)
        if failures == 0:
            park_id = row[1]
            matches.append((score, row))
            count_by_park[park_id] = count_by_park.get(park_id, 0) + 1
            if score > best_by_park.get(park_id, -1.0):
                best_by_park[park_id] = score
        elif failures == 1:
            near.append((score, row))

    # Explanations share the park-level criteria of the shown carriers.
    criteria_memo: dict[tuple[str, int], Criterion] = {}

    def explained(ranked: list[tuple[float, Sequence[Any]]], limit: int) -> list[CarrierMatch]:
        chosen = _best(ranked, limit)
        shown = [to_facts(row) for row in chosen]
        return [
            score_carrier(need, carrier, parks_by_id.get(carrier.park_id), config, criteria_memo)
            for carrier in shown
        ]

    wanted_parks = need.wanted_park_ids
    wanted_regions = need.wanted_region_codes
    insisted = need.insist_location and (wanted_parks or wanted_regions)
    # Parks too: every park is scored numerically, only the shown ones are explained.
    park_score = numeric_park_scorer(need, config, memo)
    park_rows = []
    for park in parks_by_id.values():
        if insisted and str(park.id) not in wanted_parks and park.region_code not in wanted_regions:
            continue
        score = park_score(park, best_by_park.get(park.id))
        park_rows.append((-round(score, 6), park.id, park))
    park_matches = [
        score_park(need, park, best_by_park.get(park.id), count_by_park.get(park.id, 0), config)
        for _key, _id, park in heapq.nsmallest(config.top_parks, park_rows, key=lambda row: row[:2])
    ]
    park_matches.sort(key=lambda match: match.sort_key)
    return MatchResult(
        carriers=explained(matches, config.top_carriers),
        near_misses=explained(near, config.top_near_misses),
        parks=park_matches,
        candidate_count=candidate_count,
    )


def _best(ranked: Sequence[tuple[float, Sequence[Any]]], limit: int) -> list[Sequence[Any]]:
    """The `limit` rows first by (-score rounded to 10⁻⁶, id), rounding only the few that
    can be among them: rounding is monotonic, so every one of them scores at least the
    limit-th best raw score less one rounding step (round() costs more than the scoring
    arithmetic of a row)."""
    if len(ranked) > limit:
        floor = heapq.nlargest(limit, [score for score, _row in ranked])[-1] - 1e-5
        ranked = [item for item in ranked if item[0] >= floor]
    keyed = [(-round(score, 6), row[0], row) for score, row in ranked]
    return [item[2] for item in heapq.nsmallest(limit, keyed, key=lambda item: item[:2])]


def numeric_park_scorer(
    need: NeedSpec, config: MatchConfig, memo: dict[str, dict[Any, float]] | None = None
) -> Callable[[ParkFacts, float | None], float]:
    """`score_park`'s score without its explanations: same criteria, order and weights
    (so the same float); the per-park industry and land-use scores are shared with the
    carriers' numeric pass through `memo`."""
    has_places = bool(need.places)
    has_industry = bool(need.industry_lineage)
    has_land_use = need.investment_wan is not None or need.annual_tax_wan is not None
    weight = {key: value[1] for key, value in WEIGHTS.items()}
    total_weight = (
        (weight["location"] if has_places else 0)
        + (weight["industry"] if has_industry else 0)
        + (weight["land_use"] if has_land_use else 0)
        + weight["carriers"]
    )
    memo = {} if memo is None else memo
    industry_by_park = memo.setdefault("industry", {})
    land_use_by_park = memo.setdefault("land_use", {})

    def evaluate(park: ParkFacts, best_carrier_score: float | None) -> float:
        # Summed in score_park's order so the floats match it exactly.
        total = 0.0
        if has_places:
            total += weight["location"] * location_score(
                need, park.id, park.region_code, park.latitude, park.longitude, config
            )
        if has_industry:
            industry = industry_by_park.get(park.id)
            if industry is None:
                industry = industry_by_park[park.id] = industry_score(need, park)
            total += weight["industry"] * industry
        if has_land_use:
            land_use = land_use_by_park.get(park.id)
            if land_use is None:
                land_use = land_use_by_park[park.id] = land_use_score(need, park, need.area_mid_m2)
            total += weight["land_use"] * land_use
        carriers = 0.0 if best_carrier_score is None else best_carrier_score / 100.0
        total += weight["carriers"] * carriers
        return 100.0 * total / total_weight

    return evaluate
