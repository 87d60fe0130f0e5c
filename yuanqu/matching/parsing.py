"""Rule-based reading of free-text needs and ads (需求/广告) as people write them on WeChat.

`parse_text("做挖掘机配件的,想在经开区附近租个5000平左右的厂房…", as_="need")` returns a
`ParsedText` with what the text states and `None` for everything it does not. No external
service: the text is folded with `yuanqu.core.text.fold` (繁→简, 全角→半角, lower case),
numbers are read with `yuanqu.core.units` (五千, 1.5万, 八米五) and place and industry names
come from a `Resolver` (the default one reads the Region, Park and Industry tables once per
process; tests pass their own, so the parser runs without a database).

Judgement calls, each one documented where it is made:
- a need's area given as one figure ("5000平左右", or just "5000平") is a band of ±10 %
  (`NEED_AREA_BAND`); "以上/起/多" gives only a minimum, "以下/以内" only a maximum. An ad's
  single figure is a fact: minimum = maximum.
- a need's 层高/承重/行车/kVA are minimums, an ad's are facts; both are reported as the figure.
- "环评不限" / "不需要环评" in a need mean 环评 is not required: `eia_ok=False`.
- kW is taken as kVA (a transformer rated in kVA at least covers the same kW load).
- a rent month is 30 days (`core.units.DAYS_PER_MONTH`); a monthly or yearly total is divided by
  the building area (the middle of a need's range, the whole of an ad's several units); a
  factory or warehouse given only by its plot (占地10亩) gets no rent per ㎡.
- a per-㎡ price with the unit written and no period ("13元/平方", "15块一平") is a monthly
  rent; a bare figure read as per ㎡ ("价格0.6元") is a daily rent below 3 元 and monthly from
  3 元; from 300 元 either is a sale price per ㎡.
- timing is only read from needs; "年底前" is counted from `today` (the caller's date).
- `price_unit` is the unit as written, spelt one way: 元/平/天, 元/平/月, 元/平/年, 元/平 (no
  period given), 元/月, 万元/月, 元/年, 万元/年, 万元/亩, 万元/亩/年, 万元, 亿元 (块 → 元, 毛 → 0.1 元,
  ㎡/平米/平方 → 平, 每天/一天 → /天). `price_value` is the figure in that unit.
- a need's budget range ("0.4-0.5元") is its upper end, an ad's price range its lower end.
- of several areas the property's own one is taken: for land the 亩/占地 figure, otherwise the
  building (建筑面积) rather than the plot, yard or one floor; 配套 figures (配套办公楼800平,
  宿舍楼, 生活用房, 花园; an office ad's own 办公 area excepted) are left out.
- an ad letting its site in parts (一号/二号厂房, A库/B库, 每栋 × 栋数, 可分割为2000、4000平,
  最小500平起租, 最小三千 with the unit left out) gives the smallest unit or division as
  minimum and the whole (a stated total, else the sum) as maximum; a bare 可分租 states no
  smaller size and changes nothing.
- an ad's range of 层高/承重 ("8-24米") gives its lowest figure; an ad's area range gives no
  totals (no single property), a need's uses the middle of its range.
- for land, a total and the area give 万元/亩, and 万元/亩 and the area give the total.
- a trade word counts only where a word of the core segmenter starts (电机 in 发电机组 does not)
  or right after 做/生产/从事 …, and not as an extra (带家具) or a building material or ground
  (钢结构厂房, 水泥硬化) unless the text says it is the trade; a word the synonym table maps
  to several classes (新材料) gives no code.
- a county's name as the start of a road or building (铜山路, 睢宁大厦, 沛县路) is not that
  county; a bare 经开区/高新区 is the home city's zone only when no other city or county is
  named (邳州, 宿迁, 邳州经开区); next to one it is that county's zone when there is one
  (邳州 … 经开区 → 邳州经开区; 新沂 … 高新区 → the park of that type in 新沂, 锡沂高新区), else
  nothing.
- "一年内搬", "一个月内能进场" are timing, never the period of a price beside them.
- a rent of one floor or building ("月租金1.8万每层", "每栋年租金36万") is over that unit's
  area, not the whole site's.
- phone numbers and payment terms (押一付三, 一年一付) are blanked before any figure is read.
- only the first `MAX_TEXT_CHARS` characters of a paste are read.
- `as_dict()` turns Decimals into floats rounded to 2 places (the bulk command needs numbers).
"""

from __future__ import annotations

import csv
import re
import time
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Literal

from yuanqu.core import units
from yuanqu.core.text import fold, segment_for_query

As = Literal["need", "ad"]

DATA_DIR = Path(__file__).resolve().parent / "data"
SYNONYMS_FILE = DATA_DIR / "industry_synonyms.csv"

NEED_AREA_BAND = Decimal("0.10")  # "5000平左右" → 4500–5500 ㎡
MAX_UNITS = 50  # "每栋3000平" times more buildings than this is a misreading, not an estate
MAX_TEXT_CHARS = 1500  # a longer paste is read from its start (chat needs run to ~300 characters)

TIMING_VALUES = ("1-3m", "3-6m", "1y", "2y")  # Lead.Timing values


@dataclass
class ParsedText:
    """What one message states. `None` (or an empty list) where it says nothing."""

    kind: str | None = None
    deal: str | None = None
    area_min_m2: Decimal | None = None
    area_max_m2: Decimal | None = None
    places: list[str] = field(default_factory=list)
    region_codes: list[str] = field(default_factory=list)
    park_ids: list[int] = field(default_factory=list)
    height_m: Decimal | None = None
    load_t_m2: Decimal | None = None
    power_kva: Decimal | None = None
    crane_t: Decimal | None = None
    eia_ok: bool | None = None
    independent_yard: bool | None = None
    price_value: Decimal | None = None
    price_unit: str | None = None
    price_negotiable: bool | None = None
    price_yuan_m2_month: Decimal | None = None
    price_wan_per_mu: Decimal | None = None
    price_wan_total: Decimal | None = None
    industry_codes: list[str] = field(default_factory=list)
    timing: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe: Decimals become floats (areas and prices rounded to 2 places), lists stay lists."""
        out: dict[str, Any] = {}
        for key, value in asdict(self).items():
            if isinstance(value, Decimal):
                value = float(units.quantize(value, 2))
            out[key] = value
        return out


# ---------------------------------------------------------------------------------------
# The resolver: place and industry names → codes


@dataclass(frozen=True)
class PlaceTarget:
    region_codes: tuple[str, ...] = ()
    park_ids: tuple[int, ...] = ()
    generic: bool = False  # a bare "经开区"/"高新区": only counts when not glued to another name
    # Names a city or county other than the home city and its districts (邳州, 宿迁, 邳州经开区):
    # then a bare "经开区" in the same text is not the home city's zone.
    elsewhere: bool = False


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: str  # Region.Level value: province / prefecture / county / township


@dataclass(frozen=True)
class ParkRow:
    id: int
    name: str
    short_name: str = ""
    region_code: str = ""  # the county it lies in (新沂 → 锡沂高新区, whose name does not say so)


# Long park type names and the short forms people write (longest first).
_PARK_TYPE_FORMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("高新技术产业开发区", ("高新技术产业开发区", "高新技术开发区", "高新区")),
    ("高新技术开发区", ("高新技术开发区", "高新区")),
    ("经济技术开发区", ("经济技术开发区", "经济开发区", "经开区", "开发区")),
    ("经济开发区", ("经济开发区", "经开区", "开发区")),
    ("高新区", ("高新区",)),
    ("经开区", ("经开区", "开发区")),
    ("工业园区", ("工业园区", "工业园")),
    ("工业园", ("工业园", "工业园区")),
    ("产业园区", ("产业园区", "产业园")),
    ("产业园", ("产业园", "产业园区")),
    ("开发区", ("开发区",)),
)
_TOO_GENERIC = {"开发区", "产业园", "产业园区"}
_REGION_SUFFIXES = ("新区", "区", "县", "市", "省")


class Resolver:
    """Place aliases (regions, parks) and industry words, with the regexes that find them.

    Build one with `Resolver.build(regions=…, parks=…, industries=…)`; `default_resolver()`
    builds it from the database once per process.
    """

    def __init__(
        self,
        *,
        place_aliases: Mapping[str, PlaceTarget],
        industry_words: Mapping[str, str],
        region_names: Mapping[str, Sequence[str]] | None = None,
        zones_by_region: Mapping[str, Mapping[str, Sequence[int]]] | None = None,
    ) -> None:
        self.place_aliases = dict(place_aliases)
        self.industry_words = dict(industry_words)
        # code → the aliases naming that region (邳州 and 邳州市), to find "邳州 … 经开区".
        self.region_names = {code: tuple(names) for code, names in (region_names or {}).items()}
        # code → zone word (经开区, 高新区 …) → the parks of that type in that region.
        self.zones_by_region = {
            code: {word: tuple(ids) for word, ids in zones.items()}
            for code, zones in (zones_by_region or {}).items()
        }

    @classmethod
    def build(
        cls,
        *,
        regions: Iterable[RegionRow] = (),
        parks: Iterable[ParkRow] = (),
        industries: Iterable[tuple[str, str]] = (),
        synonyms: Iterable[tuple[str, str]] | None = None,
        home_region_code: str = "",
    ) -> Resolver:
        regions = list(regions)
        region_aliases: dict[str, set[str]] = {}
        full_names: dict[str, set[str]] = {}
        city_prefixes = set()
        for region in regions:
            if region.level == "township":
                continue  # township names (城北, 大庙 …) are too often ordinary words
            for alias in _region_aliases(region):
                region_aliases.setdefault(alias, set()).add(region.code)
            full_name = fold(region.name)
            if _short_name(full_name) != full_name:
                full_names.setdefault(_short_name(full_name), set()).add(full_name)
            if region.level in {"province", "prefecture"}:
                # Stripped off park names (江苏邳州经济开发区 → 邳州经济开发区), never places alone.
                city_prefixes.update(_region_aliases(region) | {_short_name(fold(region.name))})

        aliases: dict[str, PlaceTarget] = {}
        region_names: dict[str, list[str]] = {}
        home_prefix = _home_prefix(home_region_code)
        for alias, codes in region_aliases.items():
            if len(codes) > 1 and home_prefix:
                # 鼓楼区 is in both 南京 and 徐州: the home city's one is meant.
                home_codes = {code for code in codes if code.startswith(home_prefix)}
                codes = home_codes or codes
            elsewhere = all(_names_elsewhere(code, home_region_code) for code in codes)
            aliases[alias] = PlaceTarget(region_codes=tuple(sorted(codes)), elsewhere=elsewhere)
            for code in codes:
                region_names.setdefault(code, []).append(alias)
        elsewhere_names = [alias for alias, target in aliases.items() if target.elsewhere]

        park_aliases: dict[str, dict[int, tuple[int, bool]]] = {}
        zones_by_region: dict[str, dict[str, list[int]]] = {}
        for park in parks:
            if park.region_code:
                for form in _park_type(fold(park.name))[1]:
                    zones = zones_by_region.setdefault(park.region_code, {})
                    zones.setdefault(form, []).append(park.id)
            for alias, priority, generic in _park_aliases(park, city_prefixes, full_names):
                entry = park_aliases.setdefault(alias, {})
                previous = entry.get(park.id)
                if previous is None or priority < previous[0]:
                    entry[park.id] = (priority, generic)
        for alias, by_park in park_aliases.items():
            best = min(priority for priority, _ in by_park.values())
            ids = tuple(sorted(pid for pid, (priority, _) in by_park.items() if priority == best))
            generic = all(by_park[pid][1] for pid in ids)
            elsewhere = any(name in alias for name in elsewhere_names)  # 邳州经开区 names 邳州
            # A park alias wins over a region alias spelt the same (沛县开发区 is not 沛县).
            aliases[alias] = PlaceTarget(park_ids=ids, generic=generic, elsewhere=elsewhere)

        words: dict[str, set[str]] = {}
        for word, code in synonyms if synonyms is not None else load_synonyms():
            words.setdefault(fold(word), set()).add(code)
        for code, name in industries:
            folded = fold(name)
            if len(folded) >= 4:
                words.setdefault(folded, set()).add(code)
        # Words that span several classes (新材料, 机械加工) say too little to pick one code.
        industry_words = {
            word: next(iter(codes))
            for word, codes in words.items()
            if len(codes) == 1 and len(word) > 1
        }
        return cls(
            place_aliases=aliases,
            industry_words=industry_words,
            region_names=region_names,
            zones_by_region=zones_by_region,
        )

    @cached_property
    def place_re(self) -> re.Pattern[str] | None:
        return _alternation(self.place_aliases)

    @cached_property
    def industry_re(self) -> re.Pattern[str] | None:
        return _alternation(self.industry_words)


def _alternation(words: Iterable[str]) -> re.Pattern[str] | None:
    ordered = sorted(set(words), key=lambda word: (-len(word), word))
    if not ordered:
        return None
    return re.compile("|".join(re.escape(word) for word in ordered))


def _home_prefix(code: str) -> str:
    code = code.rstrip("0")
    if len(code) <= 2:
        return code[:2]
    return code[:4] if len(code) <= 4 else code


def _names_elsewhere(code: str, home_code: str) -> bool:
    """Whether a region is a city or county other than the home city and its districts.

    GB/T 2260: in a prefecture's codes, 01–20 are its districts (市辖区), 21 and above its
    counties and county-level cities (丰县, 邳州市), which people name as places of their own.
    """
    if not home_code:
        return False
    own = code.rstrip("0")
    if home_code.startswith(own):
        return False  # the home city itself, or its province
    home_prefix = _home_prefix(home_code)
    if len(home_prefix) == 4 and code.startswith(home_prefix):
        county = code[4:6]
        return county.isdigit() and int(county) > 20
    return True


def _region_aliases(region: RegionRow) -> set[str]:
    name = fold(region.name)
    aliases = {name}
    if region.level == "province":
        return aliases  # "江苏" alone says nothing useful about a site
    aliases.add(_short_name(name))
    return aliases


def _short_name(name: str) -> str:
    """铜山区 → 铜山, 徐州市 → 徐州, 江苏省 → 江苏; 丰县 stays 丰县 (one character says nothing)."""
    for suffix in _REGION_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _park_aliases(
    park: ParkRow, city_prefixes: set[str], full_names: Mapping[str, set[str]]
) -> Iterable[tuple[str, int, bool]]:
    """(alias, priority, generic): 0 = its own name or short name, 1 = a derived short form.

    `full_names` maps a region's short name to its names (邳州 → 邳州市), so 邳州市经济开发区
    is found as well as 邳州经济开发区.
    """
    names = [fold(park.name)] + ([fold(park.short_name)] if park.short_name else [])
    for name in names:
        yield name, 0, False
    prefixes = sorted(city_prefixes, key=len, reverse=True)
    for name in names:
        core, stripped = _strip_prefixes(name, prefixes)
        type_name, forms = _park_type(core)
        stem = core[: -len(type_name)] if type_name else core
        for form in forms:
            if stem:
                yield stem + form, 1, False
                for full in full_names.get(stem, ()):
                    yield full + form, 1, False
            elif form not in _TOO_GENERIC:
                yield form, 1, True
            for city in stripped:
                yield city + stem + form, 1, False


def _park_type(name: str) -> tuple[str, tuple[str, ...]]:
    """A park name's type and the zone words it is written with (锡沂高新技术产业开发区 →
    高新技术产业开发区, (高新技术产业开发区, 高新技术开发区, 高新区)); ("", ()) if none."""
    for type_name, forms in _PARK_TYPE_FORMS:
        if name.endswith(type_name):
            return type_name, forms
    return "", ()


def _strip_prefixes(name: str, prefixes: Sequence[str]) -> tuple[str, list[str]]:
    stripped: list[str] = []
    changed = True
    while changed:
        changed = False
        for prefix in prefixes:
            if name.startswith(prefix) and len(name) > len(prefix) + 1:
                stripped.append(prefix)
                name = name[len(prefix) :]
                changed = True
                break
    return name, stripped


@lru_cache(maxsize=1)
def synonym_rows() -> tuple[tuple[str, str, str], ...]:
    """(word, code, note) rows of `data/industry_synonyms.csv`, read once."""
    rows = []
    with SYNONYMS_FILE.open(encoding="utf-8") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        for row in csv.DictReader(lines):
            rows.append((row["word"].strip(), row["code"].strip(), row.get("note", "").strip()))
    return tuple(rows)


def load_synonyms() -> list[tuple[str, str]]:
    """(word, GB/T 4754 code) pairs from `data/industry_synonyms.csv`."""
    return [(word, code) for word, code, _ in synonym_rows()]


# Parks change rarely; a process picks up new ones within this many seconds.
DEFAULT_RESOLVER_TTL_SECONDS = 600.0
# None: cache, except under the test runner (settings.TESTING), where each test has its own
# rows and a process-wide cache would leak one test's parks into the next.
CACHE_DEFAULT_RESOLVER: bool | None = None
_default: tuple[float, Resolver] | None = None


def default_resolver() -> Resolver:
    """Regions, active parks and industries from the database, read once per process (and again
    after `DEFAULT_RESOLVER_TTL_SECONDS`, so a park added in the admin is found without a restart)."""
    global _default
    from django.conf import settings

    cache = CACHE_DEFAULT_RESOLVER
    if cache is None:
        cache = not getattr(settings, "TESTING", False)
    if not cache:
        return _resolver_from_database()
    now = time.monotonic()
    if _default is None or now - _default[0] > DEFAULT_RESOLVER_TTL_SECONDS:
        _default = (now, _resolver_from_database())
    return _default[1]


def _resolver_from_database() -> Resolver:
    from django.conf import settings

    from yuanqu.core.models import Industry, Region
    from yuanqu.parks.models import Park

    regions = [
        RegionRow(code=code, name=name, level=level)
        for code, name, level in Region.objects.exclude(level=Region.Level.TOWNSHIP).values_list(
            "code", "name", "level"
        )
    ]
    parks = [
        ParkRow(id=pk, name=name, short_name=short_name, region_code=region_code or "")
        for pk, name, short_name, region_code in Park.objects.filter(is_active=True).values_list(
            "pk", "name", "short_name", "region_id"
        )
    ]
    industries = list(
        Industry.objects.filter(level__gte=Industry.Level.DIVISION).values_list("code", "name")
    )
    return Resolver.build(
        regions=regions,
        parks=parks,
        industries=industries,
        home_region_code=getattr(settings, "HOME_REGION_CODE", ""),
    )


def reset_default_resolver() -> None:
    """Forget the cached tables (after parks or regions change, and between tests)."""
    global _default
    _default = None


# ---------------------------------------------------------------------------------------
# Text preparation


class _Text:
    """The folded text, with a map back to the original characters (places are reported as written)."""

    def __init__(self, original: str) -> None:
        original = original[:MAX_TEXT_CHARS]
        pieces = [unicodedata.normalize("NFKC", char) for char in original]
        origin: list[int] = []
        for index, piece in enumerate(pieces):
            origin.extend([index] * len(piece))
        folded = fold(original)
        if len(folded) != len(origin):
            folded = "".join(fold(piece) for piece in pieces)
            origin = []
            for index, piece in enumerate(pieces):
                origin.extend([index] * len(fold(piece)))
        folded = folded.translate(_PUNCTUATION)
        self.original = original
        self.origin = origin
        self.folded = _PAYMENT_TERMS_RE.sub(_blank, _PHONE_RE.sub(_blank, folded))
        self.work = self.folded  # spans consumed by one reader are blanked here for the next

    def as_written(self, start: int, end: int) -> str:
        if not self.origin or end <= start:
            return self.folded[start:end]
        return self.original[self.origin[start] : self.origin[end - 1] + 1]

    def consume(self, start: int, end: int) -> None:
        self.work = self.work[:start] + " " * (end - start) + self.work[end:]


_PUNCTUATION = str.maketrans(
    {"—": "-", "–": "-", "－": "-", "〜": "~", "～": "~", "。": ",", "；": ","}
)
# Phone numbers and masked ones (138xxxx1234) would otherwise read as quantities.
_PHONE_RE = re.compile(r"(?<![\d.])1[3-9]\d[\dx*]{4,8}(?!\d)|\d{7,}|(?<!\d)0\d{2,3}-\d{7,8}")


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


# Payment terms (押一付三, 一年一付) carry numbers and periods that are not the price.
_PAYMENT_TERMS_RE = re.compile(
    r"押[^,\s]{1,2}付[^,\s]{1,2}|(?:[一二两三半\d]个?)?(?:年|季度|季|月)一?付"
)

_CN = "零〇一二两三四五六七八九十百千"
NUM = (
    r"(?:\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?"  # 5,000
    r"|\d+(?:\.\d+)?(?:\s?万\d+千?(?![伏瓦])|\s?[万千](?![伏瓦])|k(?![a-z])|w(?![a-z]))?"  # 1万2千, 1.5万
    rf"|[{_CN}]+(?:万[{_CN}]*)?(?:点[{_CN}]+)?)"  # 一万二千, 两千五
)
_NUM_RE = re.compile(NUM)


def _number(text: str) -> Decimal | None:
    text = text.replace(" ", "").replace(",", "")
    if not text:
        return None
    if text[-1] in "kw" and text[:-1].replace(".", "", 1).isdigit():
        text = text[:-1] + ("千" if text[-1] == "k" else "万")
    return units.parse_chinese_number(text)


def _before(work: str, start: int, size: int = 10) -> str:
    """The clause just before `start`: at most `size` characters, cut at punctuation or a digit."""
    window = work[max(0, start - size) : start]
    # A colon stays inside the clause: "年租金:50万元" is one statement.
    cut = max(window.rfind(mark) for mark in ",!?、;()[]\n")
    digit = max((i for i, char in enumerate(window) if char.isdigit()), default=-1)
    return window[max(cut, digit) + 1 :]


# ---------------------------------------------------------------------------------------
# The readers, each one field or a few related ones


def parse_text(
    text: str, *, as_: As, resolver: Resolver | None = None, today: date | None = None
) -> ParsedText:
    """Read a need (`as_="need"`) or an ad (`as_="ad"`) written as free text."""
    if as_ not in ("need", "ad"):
        raise ValueError("as_ must be 'need' or 'ad'")
    resolver = resolver if resolver is not None else default_resolver()
    source = _Text(text or "")
    result = ParsedText()

    _read_places(source, resolver, result)
    _read_industries(source, resolver, result)
    result.kind = _read_kind(source.folded)
    result.eia_ok = _read_eia(source.folded)
    result.independent_yard = _read_yard(source.folded)
    result.price_negotiable = True if _NEGOTIABLE_RE.search(source.folded) else None
    if as_ == "need":
        result.timing = _read_timing(source.folded, today or _today())

    price = _read_price(source, as_)
    result.height_m = _read_height(source)
    result.load_t_m2 = _read_load(source)
    result.crane_t = _read_crane(source)
    result.power_kva = _read_power(source)
    area = _read_area(source, as_, result.kind)
    if area is not None:
        result.area_min_m2, result.area_max_m2 = area.low, area.high
    if result.kind is None and area is not None and area.in_mu:
        result.kind = "land"
    result.deal = _read_deal(source.folded, as_, price)
    if price is not None:
        _settle_price(result, price, area, as_)
    return result


# Places ---------------------------------------------------------------------------------

# A bare 经开区/高新区/工业园区 right after these (or after punctuation) is the home city's zone;
# after any other character it is the tail of some other name (潘塘工业园).
_GENERIC_OK_BEFORE = set("在去到近的或者和及与、是于往选找靠个边家求租售买/|临周附旁离")


def _read_places(source: _Text, resolver: Resolver, result: ParsedText) -> None:
    pattern = resolver.place_re
    if pattern is None:
        return
    folded = source.folded
    found: list[tuple[re.Match[str], PlaceTarget]] = []
    for match in pattern.finditer(folded):
        target = resolver.place_aliases[match.group(0)]
        if target.generic and _glued_to_another_name(folded, match.start()):
            continue
        if target.region_codes and _names_a_street_or_building(folded, match.end()):
            continue
        found.append((match, target))
        source.consume(match.start(), match.end())
    named_elsewhere = [(other.start(), target) for other, target in found if target.elsewhere]
    for match, target in found:
        if target.generic and named_elsewhere:
            # "邳州 经开区" is 邳州's zone, "宿迁经开区" none we know: never the home city's.
            # The counties named before the zone word are the ones it belongs to.
            before = [named for start, named in named_elsewhere if start < match.start()]
            counties = before or [named for _, named in named_elsewhere]
            zone = _zone_of_a_named_county(resolver, match.group(0), counties)
            if zone is None:
                continue
            target = zone
        _add_place(result, source.as_written(match.start(), match.end()), target)


def _glued_to_another_name(folded: str, start: int) -> bool:
    """潘塘工业园: a bare zone word right after another name is that name's tail."""
    if start == 0:
        return False
    previous = folded[start - 1]
    return _is_cjk(previous) and previous not in _GENERIC_OK_BEFORE


# 铜山路, 睢宁大厦, 云龙湖: a street, building or landmark named after a county is not in it.
_STREET_OR_BUILDING_RE = re.compile(
    r"(?:路|街|大街|大道|巷|胡同|大厦|大楼|广场|小区|公寓|宾馆|酒店|饭店|商城|中学|小学|医院|公园|湖|立交|高架)"
)


def _names_a_street_or_building(folded: str, end: int) -> bool:
    return _STREET_OR_BUILDING_RE.match(folded, end) is not None


def _zone_of_a_named_county(
    resolver: Resolver, zone_word: str, named: Sequence[PlaceTarget]
) -> PlaceTarget | None:
    """The park a bare zone word means next to a county's name: 邳州 + 经开区 → 邳州经开区, and
    新沂 + 高新区 → 锡沂高新区 (the county's park of that type, though its name does not say 新沂)."""
    park_ids: list[int] = []
    for target in named:
        for code in target.region_codes:
            found = [
                park_id
                for name in resolver.region_names.get(code, ())
                if (zone := resolver.place_aliases.get(name + zone_word)) is not None
                for park_id in zone.park_ids
            ]
            for park_id in found or resolver.zones_by_region.get(code, {}).get(zone_word, ()):
                if park_id not in park_ids:
                    park_ids.append(park_id)
    return PlaceTarget(park_ids=tuple(park_ids)) if park_ids else None


def _add_place(result: ParsedText, written: str, target: PlaceTarget) -> None:
    if written not in result.places:
        result.places.append(written)
    for code in target.region_codes:
        if code not in result.region_codes:
            result.region_codes.append(code)
    for park_id in target.park_ids:
        if park_id not in result.park_ids:
            result.park_ids.append(park_id)


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


# Industries -----------------------------------------------------------------------------


def _read_industries(source: _Text, resolver: Resolver, result: ParsedText) -> None:
    pattern = resolver.industry_re
    if pattern is None:
        return
    starts = _token_starts(source.folded)
    for match in pattern.finditer(source.work):
        word = match.group(0)
        if match.start() not in starts and not _TRADE_BEFORE_RE.search(
            source.work[max(0, match.start() - 2) : match.start()]
        ):
            # The tail of another word: 电机 in 发电机组; but "做实木家具" (cut 做实/木家具) names one.
            continue
        if word in _BUILDING_WORDS and not _is_trade(source.work, match):
            continue  # "钢结构厂房", "厂房,钢结构,单层" describe the building, not the trade
        if source.work[max(0, match.start() - 1) : match.start()] in _EXTRA_BEFORE:
            continue  # "带家具": comes with the property, says nothing of the trade
        code = resolver.industry_words[word]
        if code not in result.industry_codes:
            result.industry_codes.append(code)
    # "螺丝五金": 3482 紧固件 says more than 33 金属制品业 above it; keep the most specific.
    codes = result.industry_codes
    result.industry_codes = [
        code for code in codes if not any(o != code and o.startswith(code) for o in codes)
    ]


def _token_starts(folded: str) -> set[int]:
    """Where the core segmenter's words begin (query mode, one cut per word)."""
    starts = set()
    position = 0
    for token in segment_for_query(folded):
        found = folded.find(token, position)
        if found < 0:
            continue
        starts.add(found)
        position = found + len(token)
    return starts


# The building or the ground, not the trade: "钢结构厂房", "水泥硬化的场地".
_BUILDING_WORDS = {"钢结构", "钢构", "水泥"}
_EXTRA_BEFORE = {"带", "配", "含", "送", "附"}
_TRADE_BEFORE_RE = re.compile(r"(?:做|搞|从事|生产|干|主营|经营)$")
_TRADE_AFTER_RE = re.compile(r"^(?:加工|制造|制作|生产|企业|公司|厂(?!房)|的|项目|配件)")


def _is_trade(work: str, match: re.Match[str]) -> bool:
    before = work[max(0, match.start() - 2) : match.start()]
    return bool(_TRADE_BEFORE_RE.search(before) or _TRADE_AFTER_RE.match(work[match.end() :]))


# Kind -----------------------------------------------------------------------------------

_KIND_WORDS: dict[str, tuple[str, ...]] = {
    "factory": ("标准厂房", "厂房", "车间", "厂子", "厂区", "工厂", "钢构房"),
    "land": ("工业用地", "土地", "用地", "地块", "宗地", "拿地", "买地", "找地", "块地", "租地", "工业地"),
    "office": (
        "写字楼", "办公楼", "办公室", "办公用房", "办公场地", "办公空间", "研发楼", "研发办公",
        "商务楼", "办公",
    ),
    "warehouse": ("仓库", "库房", "仓储", "冷库", "物流仓", "高台库"),
}  # fmt: skip
_KIND_RE = re.compile(
    "|".join(
        f"(?P<{kind}_{i}>{re.escape(word)})"
        for kind, words in _KIND_WORDS.items()
        for i, word in enumerate(sorted(words, key=len, reverse=True))
    )
)
# "厂房带办公楼", "带仓库更好": a kind named as an extra of another one.
_ATTRIBUTE_BEFORE = ("带", "配", "含", "附", "有", "送", "另", "及", "和", "配套")


def _read_kind(folded: str) -> str | None:
    fallback = None
    named: list[tuple[str, re.Match[str]]] = []
    for match in _KIND_RE.finditer(folded):
        kind = (match.lastgroup or "").rsplit("_", 1)[0]
        before = folded[max(0, match.start() - 2) : match.start()]
        if before.endswith(_ATTRIBUTE_BEFORE):
            fallback = fallback or kind
            continue
        named.append((kind, match))
    if not named:
        return fallback
    kind, match = named[0]
    if _is_ancillary_office(folded, kind, match):
        # "办公楼800平 厂房4000平 出租": the office figure is the 配套 of the factory.
        later = next((other for other, _ in named[1:] if other in ("factory", "warehouse")), None)
        return later or kind
    return kind


_FIGURE_NEXT_RE = re.compile(rf"\s*(?:约|面积)?\s*{NUM}")


def _is_ancillary_office(folded: str, kind: str, match: re.Match[str]) -> bool:
    """An 办公楼/办公室 given with its own figure, as one item of a site's list."""
    return (
        kind == "office"
        and match.group(0).startswith("办公")
        and _FIGURE_NEXT_RE.match(folded, match.end()) is not None
    )


# Deal -----------------------------------------------------------------------------------

_RENT_TO_BUY_RE = re.compile(r"先租后[买售购]|租后[买购]|以租代[购售]|租转[售买购]")
_EITHER_RE = re.compile(
    r"租购|租售|租或[买购售]|[买购售]或租|可租可[售买]|出售或出租|出租或出售|租[、/][买购售]|[买购售][、/]租"
)
_NEED_BUY_RE = re.compile(r"(?<!采)购|买|拿地|出售")  # "谁有厂房出售": wants to buy
_AD_SALE_RE = re.compile(r"出售|转让|出让|[急寄]售|售价|卖|(?<!零)售")
_RENT_RE = re.compile(r"租")


def _read_deal(folded: str, as_: As, price: _Price | None) -> str | None:
    if _RENT_TO_BUY_RE.search(folded):
        return "rent_to_buy"
    if _EITHER_RE.search(folded):
        return None
    own = "buy" if as_ == "need" else "sale"
    own_re = _NEED_BUY_RE if as_ == "need" else _AD_SALE_RE
    rent = _RENT_RE.search(folded)
    other = own_re.search(folded)
    if rent and other:
        return "rent" if rent.start() < other.start() else own
    if rent:
        return "rent"
    if other:
        return own
    if price is not None:
        return "rent" if price.is_rent else own
    return None


# 环评 and 独门独院 -------------------------------------------------------------------------

_EIA_NEGATIVE_AFTER = ("不限", "无要求", "没要求", "没有要求", "不需要", "不需", "不用", "不能", "不可", "办不了", "不好办", "不行", "不了")  # fmt: skip
_EIA_NEGATIVE_BEFORE = re.compile(r"不|无需|无法|免|没有|没")
_EIA_POSITIVE_BEFORE = re.compile(r"可|能|需|要|有|办|做|过")
_EIA_POSITIVE_AFTER = (
    "可",
    "能",
    "没问题",
    "齐全",
    "手续齐全",
    "已批",
    "已办",
    "需要",
    "要求",
    "必须",
)


def _read_eia(folded: str) -> bool | None:
    verdict: bool | None = None
    for match in re.finditer("环评", folded):
        after = folded[match.end() : match.end() + 6].lstrip(" :")
        before = _clause_before(folded, match.start(), 5)
        if after.startswith(_EIA_NEGATIVE_AFTER) or _EIA_NEGATIVE_BEFORE.search(before):
            return False
        if _EIA_POSITIVE_BEFORE.search(before) or after.startswith(_EIA_POSITIVE_AFTER):
            verdict = True
    return verdict


def _clause_before(folded: str, start: int, size: int) -> str:
    window = folded[max(0, start - size) : start]
    cut = max(window.rfind(mark) for mark in ", !?、:;\n")
    return window[cut + 1 :]


_YARD_RE = re.compile(r"独门独院|独院|独立院子|独立院落|单独院子|单独的院子|独立厂区")
_YARD_NEGATIVE_BEFORE = re.compile(r"不要求|不需要|不用|非|无需|没有")


def _read_yard(folded: str) -> bool | None:
    match = _YARD_RE.search(folded)
    if match is None:
        return None
    return not _YARD_NEGATIVE_BEFORE.search(_clause_before(folded, match.start(), 5))


_NEGOTIABLE_RE = re.compile(
    r"面议|面谈|好谈|可谈|价格可议|可议价|价格商议|好商量|议价|可商议|可商量"
)

# Timing (needs) -------------------------------------------------------------------------

_URGENT_RE = re.compile(r"急|尽快|越快越好|马上|立即|立刻|随时入驻|随时可")
_MONTHS_RE = re.compile(rf"(?P<n>{NUM}|半)\s*个?月(?:内|之内|以内)")
_YEARS_RE = re.compile(rf"(?P<n>{NUM}|半)\s*年(?P<half>半)?(?:内|之内|以内)")
_YEAR_END_RE = re.compile(r"年底(?:前|之前|以前)|今年(?:内|年底|底)")
_NEXT_YEAR_RE = re.compile(r"明年(?P<part>上半年|年初|开春|春天|年中|下半年|年底|底)?")
_BY_MONTH_RE = re.compile(rf"(?P<next>明年)?(?P<m>{NUM})\s*月份?(?:底|中)?(?:前|之前|以前)")
_NEXT_MONTH_RE = re.compile(r"下个?月")


def _read_timing(folded: str, today: date) -> str | None:
    months: list[Decimal] = []
    if _URGENT_RE.search(folded) or _NEXT_MONTH_RE.search(folded):
        months.append(Decimal(1))
    for match in _MONTHS_RE.finditer(folded):
        value = Decimal("0.5") if match.group("n") == "半" else _number(match.group("n"))
        if value:
            months.append(value)
    for match in _YEARS_RE.finditer(folded):
        value = Decimal("0.5") if match.group("n") == "半" else _number(match.group("n"))
        if value:
            months.append(value * 12 + (6 if match.group("half") else 0))  # 一年半内 = 18
    if _YEAR_END_RE.search(folded):
        months.append(Decimal(12 - today.month + 1))
    for match in _NEXT_YEAR_RE.finditer(folded):
        until_month = {"上半年": 6, "年初": 3, "开春": 3, "春天": 4, "年中": 6}.get(
            match.group("part") or "", 12
        )
        months.append(Decimal(12 - today.month + until_month))
    for match in _BY_MONTH_RE.finditer(folded):
        month = _number(match.group("m"))
        if month and 1 <= month <= 12:
            ahead = int(month) - today.month
            if match.group("next") or ahead <= 0:
                ahead += 12  # "明年3月前", or a month already past this year
            months.append(Decimal(ahead))
    if not months:
        return None
    soonest = min(months)
    for limit, timing in ((3, "1-3m"), (6, "3-6m"), (12, "1y"), (24, "2y")):
        if soonest <= limit:
            return timing
    return None


def _today() -> date:
    """The local date when Django is configured (TIME_ZONE), else the UTC date."""
    try:
        from django.conf import settings
        from django.utils import timezone

        if settings.configured:
            return timezone.localdate()
    except ImportError:  # pragma: no cover - Django is always installed with the project
        pass
    return datetime.now(tz=UTC).date()


# Price ----------------------------------------------------------------------------------

# "3000方" is spoken for ㎡; 方案/方面/方便 … are not.
_AREA_WORD = (
    r"(?:平方米|平方(?!公里|千米)|平米|个平方|个平|平(?![方台])|m2|个方(?![案面向便式法位])"
    r"|方(?![案面向便式法位]))"
)
_MONEY_RE = re.compile(rf"(?P<num>{NUM})\s*(?P<cur>万元|万块|万|亿元|亿|元|块钱|块|毛钱|毛)?")
_PER_AREA_AFTER_RE = re.compile(rf"^\s*(?:/|每|一)\s*{_AREA_WORD}")
_PER_MU_AFTER_RE = re.compile(r"^\s*(?:/|每|一)\s*亩")
# "一年内搬", "一个月内能进场" are when, not a price's period.
_WHEN = r"(?!\s*(?:内|之内|以内|后|左右))"
_PERIOD_AFTER_RE = re.compile(
    rf"^\s*(?:(?:/|每个?|·)\s*(?P<p>天|日|月|年)|一个?\s*(?P<spoken>天|日|月|年){_WHEN})"
)
_PERIOD_BEFORE = (
    ("天", re.compile(rf"每天|一天{_WHEN}|日租|/天|每日")),
    ("月", re.compile(rf"月租|每个?月|一个?月{_WHEN}|/月")),
    ("年", re.compile(rf"年租|每年|一年{_WHEN}|/年")),
)
_PER_AREA_BEFORE_RE = re.compile(rf"[每一]个?{_AREA_WORD}")
_PER_MU_BEFORE_RE = re.compile(r"每亩|一亩")
_PRICE_WORD_RE = re.compile(
    r"预算|租金|月租|年租|房租|售价|总价|价格|单价|报价|挂牌|地价|一口价|要价|租|卖|土地款|出让价|打包价"
)
_NOT_PRICE_BEFORE_RE = re.compile(
    r"投资|投入|税收|纳税|产值|营收|物业|电费|水费|押金|保证金|注册资本|亩均|销售额|工资|年产|营业额"
)
_NOT_PRICE_AFTER_RE = re.compile(
    r"^\s*(?:/|每|一)?\s*度|^\s*(?:吨|t(?![a-z])|米|m(?![2a-z])|kva|千伏|kw|千瓦|台|层|人|个|平|亩|m2)"
)
_SALE_AFTER_RE = re.compile(r"^\s*(?:出售|急售|转让|一口价)")
# "月租金1.8万每层", "每栋年租金36万": the rent of one floor or building, not of the whole.
_PER_UNIT_AFTER_RE = re.compile(
    r"^(?:每|一|/)(?:层|栋|幢)(?!都|均|有|是)"
)  # not "1.8万 每层都有电梯"
_PER_UNIT_BEFORE_RE = re.compile(
    r"(?:每|单)(?:层|栋|幢)(?:的)?(?:月租金?|年租金?|租金|房租)\s*(?:约|为|是|:)?\s*$"
)


@dataclass
class _Price:
    value: Decimal
    unit: str
    is_rent: bool
    area_written: bool = False  # "12元/平方", "15块一平": the per-㎡ unit is in the text
    per_unit: bool = False  # "月租金1.8万每层": the rent of one floor or building


def _read_price(source: _Text, as_: As) -> _Price | None:
    work = source.work
    for match in _MONEY_RE.finditer(work):
        number_text = match.group("num").replace(" ", "")
        currency = match.group("cur") or ""
        magnitude = ""
        if number_text.endswith(("万", "w")):
            magnitude, number_text = "万", number_text[:-1]
            if currency.startswith("万"):
                continue  # "3万万" is no amount
        elif currency.startswith("万"):
            magnitude = "万"
        elif currency.startswith("亿"):
            magnitude = "亿"
        value = _number(number_text)
        if value is None or value <= 0:
            continue
        after = work[match.end() : match.end() + 12]
        before = _before(work, match.start(), 12)
        if _NOT_PRICE_BEFORE_RE.search(before) or _NOT_PRICE_AFTER_RE.search(after):
            continue
        if currency.startswith("毛"):
            value = value / 10

        tail = match.end()
        area_after = _PER_AREA_AFTER_RE.match(after)
        mu_after = None if area_after else _PER_MU_AFTER_RE.match(after)
        unit_end = area_after or mu_after
        rest = after[unit_end.end() :] if unit_end else after
        period_match = _PERIOD_AFTER_RE.match(rest)
        if unit_end is None and period_match is not None:
            # "0.3元一天一平": the period first, then the area.
            area_after = _PER_AREA_AFTER_RE.match(rest[period_match.end() :])
            if area_after is not None:
                tail += area_after.end()
        if unit_end:
            tail += unit_end.end()
        if period_match:
            tail += period_match.end()
        period = (period_match.group("p") or period_match.group("spoken")) if period_match else None
        if period == "日":
            period = "天"
        per_area = bool(area_after)
        per_mu = bool(mu_after)
        if not per_area and not per_mu:
            # "预算每平每月14元", "每亩18万": the unit written before the figure.
            per_area = bool(_PER_AREA_BEFORE_RE.search(before))
            per_mu = not per_area and bool(_PER_MU_BEFORE_RE.search(before))
        area_written = per_area
        if period is None:
            period = next(
                (name for name, pattern in _PERIOD_BEFORE if pattern.search(before)), None
            )

        has_word = bool(_PRICE_WORD_RE.search(before)) or bool(_SALE_AFTER_RE.match(after))
        # A bare number is a price only next to 每平/一亩, or after 租金/预算 with a period
        # (or big enough not to be a unit price: "月租5000以内").
        if not (currency or magnitude) and len(number_text) == 1 and not number_text.isdigit():
            continue  # a lone 一/两 is a count ("一平一天", "两台"), never a price
        bare = not (currency or magnitude) and not (per_area or per_mu)
        if bare and not (has_word and period) and not (has_word and value >= 100):
            continue
        if magnitude and not (per_area or per_mu or period or has_word):
            continue
        if currency in {"元", "块", "块钱"} and not (per_area or per_mu or period or has_word):
            continue
        # "单价8000", "价格0.6元": a unit price per ㎡ unless the figure is too big to be one.
        if not (per_area or per_mu or period or magnitude) and has_word:
            per_area = "单价" in before or value < 100

        start = _range_start(work, match) if as_ == "ad" else None
        if start is not None:
            value = start  # an ad's "12-15元" is its starting price; a need's budget is the top
        unit, is_rent = _price_unit(magnitude, per_area, per_mu, period, value)
        if unit is None:
            continue
        per_unit = _PER_UNIT_AFTER_RE.match(work[tail : tail + 6]) is not None or bool(
            _PER_UNIT_BEFORE_RE.search(before)
        )
        source.consume(match.start(), tail)
        return _Price(value, unit, is_rent, area_written=area_written, per_unit=per_unit)
    return None


def _range_start(work: str, match: re.Match[str]) -> Decimal | None:
    """The first figure of a price range written as "0.4-0.5元" (the match is the second one)."""
    head = work[max(0, match.start() - 12) : match.start()]
    found = _RANGE_HEAD_RE.search(head)
    return _number(found.group("low")) if found else None


_RANGE_HEAD_RE = re.compile(rf"(?P<low>{NUM})\s*(?:-|~|到|至)\s*$")


def _price_unit(
    magnitude: str, per_area: bool, per_mu: bool, period: str | None, value: Decimal
) -> tuple[str | None, bool]:
    money = {"万": "万元", "亿": "亿元"}.get(magnitude, "元")
    if per_area:
        if money != "元":
            return None, False
        if period:
            return f"元/平/{period}", True
        return "元/平", value < 300
    if per_mu:
        if period:
            return f"{money}/亩/{period}", True
        return f"{money}/亩", False
    if period:
        return f"{money}/{period}", True
    if money == "元":
        return None, False
    return money, False


def _unstated_rent_period(price: _Price) -> str:
    """The period of a per-㎡ rent written without one.

    "12元/平方", "13元/平米", "2.5元/㎡" (the unit written out) are monthly, as classifieds
    mean them, even a yard's 2.5 元. A bare "价格0.6元" with nothing but its size to go on is a
    daily rent below 3 元 and monthly from there.
    """
    if price.area_written or price.value >= 3:
        return "月"
    return "天"


def _settle_price(result: ParsedText, price: _Price, area: _Area | None, as_: As) -> None:
    """Fill the price fields, normalising rent to 元/㎡·月 and sale prices to 万元 / 万元/亩."""
    result.price_value = price.value
    result.price_unit = price.unit
    nominal = area.nominal if area is not None else None
    if as_ == "ad" and area is not None and area.low != area.high and not area.whole:
        nominal = None  # "1200㎡-5000㎡ 售价2200元/㎡起": no single property to total
    if result.kind != "land" and area is not None and (area.land or area.in_mu):
        nominal = None  # "厂房 占地10亩 年租金30万": a rent is per ㎡ of building, not of plot
    unit = price.unit
    value = price.value
    sale = result.deal in ("buy", "sale") or (result.deal is None and not price.is_rent)

    if unit.startswith("元/平"):
        period = unit[len("元/平") :].lstrip("/")
        if not period and (sale or value >= 300):
            if nominal:
                result.price_wan_total = units.yuan_to_wan(value * nominal)
            return
        if not period:
            period = _unstated_rent_period(price)
        monthly = {"天": value * units.DAYS_PER_MONTH, "月": value, "年": value / 12}[period]
        result.price_yuan_m2_month = units.quantize(monthly)
        return
    if "/亩" in unit:
        per_mu = value if unit.startswith("万元") else units.yuan_to_wan(value)
        if unit.endswith("/年") or unit.endswith("/月"):
            months = 12 if unit.endswith("/年") else 1
            yuan_per_m2 = units.wan_to_yuan(per_mu) / units.MU_IN_M2
            result.price_yuan_m2_month = units.quantize(yuan_per_m2 / months)
            return
        result.price_wan_per_mu = per_mu
        if nominal:
            result.price_wan_total = units.quantize(units.wan_per_mu_to_wan_total(per_mu, nominal))
        return
    if unit.endswith(("/月", "/年", "/天")):
        if price.per_unit and area is not None and area.whole:
            nominal = area.low  # one floor's or building's rent over one unit's area
        yuan = units.wan_to_yuan(value) if unit.startswith("万元") else value
        if unit.startswith("亿元"):
            yuan = units.wan_to_yuan(value * units.WAN_PER_YI)
        monthly_total = {"天": yuan * units.DAYS_PER_MONTH, "月": yuan, "年": yuan / 12}[unit[-1]]
        if nominal:
            result.price_yuan_m2_month = units.quantize(
                units.rent_to_yuan_m2_month(monthly_total, "yuan_month", nominal)
            )
        return
    total = value * units.WAN_PER_YI if unit == "亿元" else value
    result.price_wan_total = total
    if result.kind == "land" and nominal:
        result.price_wan_per_mu = units.quantize(units.wan_total_to_wan_per_mu(total, nominal))


# Height, load, crane, power ----------------------------------------------------------------

_AT_LEAST = r"(?:要求|要|需要|需|为|在|是|:|约|达到|达|不低于|不少于|不小于|≥|>=|>|大于|至少|最低|最少|起码|\s)*"
# "层高8-24米", "承重3-5吨": an ad's range of buildings; the lowest figure is what every one offers.
_RANGE_TO = r"\s*(?:-|~|到|至)\s*"
_HEIGHT_RE = re.compile(
    rf"(?:层高|净高|檐高|檐口高度|檐口高|檐口|滴水高度|滴水|高度|举高|(?<![\u4e00-\u9fff])高){_AT_LEAST}"
    rf"(?P<v>{NUM})(?:{_RANGE_TO}{NUM})?\s*(?:米|m(?![2a-z]))(?P<f>[一二三四五六七八九半]|\d(?!\d))?"
)
_HEIGHT_AFTER_RE = re.compile(
    rf"(?P<v>{NUM})\s*(?:米|m(?![2a-z]))(?P<f>[一二三四五六七八九半]|\d(?!\d))?\s*(?:以上)?\s*的?\s*"
    r"(?:层高|净高|檐高|高(?![速新台铁端标压温架]))"
)


def _read_height(source: _Text) -> Decimal | None:
    for pattern in (_HEIGHT_RE, _HEIGHT_AFTER_RE):
        match = pattern.search(source.work)
        if match is None:
            continue
        value = _measure(match.group("v"), match.group("f"))
        if value is not None and 2 <= value <= 60:
            source.consume(match.start(), match.end())
            return value
    return None


def _measure(head: str, fraction: str | None) -> Decimal | None:
    value = _number(head)
    if value is None:
        return None
    if fraction:
        return units.parse_chinese_measure(f"{int(value)}米{fraction}", "米")
    return value


_TON = r"(?:吨|t(?![a-z]))"
_LOAD_RE = re.compile(
    rf"(?:地面承重|楼面承重|地坪承重|承重|荷载|载荷){_AT_LEAST}"
    rf"(?P<v>{NUM})(?:{_RANGE_TO}{NUM})?\s*(?P<u>{_TON}|公斤|kg)(?P<half>半)?"
)
_LOAD_AFTER_RE = re.compile(
    rf"(?P<v>{NUM})\s*(?P<u>{_TON}|公斤|kg)(?P<half>半)?\s*(?:/|每)?\s*{_AREA_WORD}?\s*的?\s*承重"
)


def _read_load(source: _Text) -> Decimal | None:
    for pattern in (_LOAD_RE, _LOAD_AFTER_RE):
        match = pattern.search(source.work)
        if match is None:
            continue
        value = _number(match.group("v"))
        if value is None:
            continue
        if match.group("half"):
            value += Decimal("0.5")
        if match.group("u") in ("公斤", "kg"):
            value = value / 1000
        if Decimal("0.05") <= value <= 50:
            end = match.end()
            tail = re.match(rf"\s*(?:/|每|一)?\s*{_AREA_WORD}", source.work[end:])
            source.consume(match.start(), end + (tail.end() if tail else 0))
            return value
    return None


_CRANE = r"(?:行车|天车|航车|桥吊|龙门吊|航吊|吊车|桥式起重机)"
_COUNT = r"(?:(?:\d+|[一二两三四五六七八九十])\s*(?:台|部|个)|双)?"
_TONS = rf"{NUM}\s*{_TON}(?:\s*[+和、/及与]\s*{NUM}\s*{_TON})*"
_CRANE_BEFORE_RE = re.compile(rf"{_COUNT}\s*(?P<tons>{_TONS})\s*(?:以上)?\s*的?\s*{_CRANE}")
_CRANE_AFTER_RE = re.compile(
    rf"{_CRANE}\s*(?:吨位)?[,:(\s]?{_AT_LEAST}{_COUNT}\s*(?P<tons>{_TONS})"
)


def _read_crane(source: _Text) -> Decimal | None:
    best: tuple[int, Decimal, re.Match[str]] | None = None
    for pattern in (_CRANE_BEFORE_RE, _CRANE_AFTER_RE):
        match = pattern.search(source.work)
        if match is None:
            continue
        tons = [_number(found.group(0)) for found in _NUM_RE.finditer(match.group("tons"))]
        values = [ton for ton in tons if ton is not None and 0 < ton <= 500]
        if values and (best is None or match.start() < best[0]):
            best = (match.start(), max(values), match)
    if best is None:
        return None
    source.consume(best[2].start(), best[2].end())
    return best[1]


_POWER_RE = re.compile(
    rf"(?:(?P<count>\d+|[一二两三四五六七八九十])\s*台\s*)?(?P<v>{NUM})\s*(?:kva|kv·a|kv\.a|千伏安|千伏·安)"
)
_KW_RE = re.compile(rf"(?:电|用电|功率|负荷|配电)[^,\d]{{0,4}}?(?P<v>{NUM})\s*(?:kw(?![a-z])|千瓦)")


def _read_power(source: _Text) -> Decimal | None:
    match = _POWER_RE.search(source.work)
    if match is not None:
        value = _number(match.group("v"))
        if value:
            count = _number(match.group("count")) if match.group("count") else None
            source.consume(match.start(), match.end())
            return value * count if count else value
    kw = _KW_RE.search(source.work)
    if kw is not None:
        value = _number(kw.group("v"))
        if value:
            source.consume(kw.start("v"), kw.end())
            return value
    return None


# Area -----------------------------------------------------------------------------------

_AREA_UNIT = rf"(?P<unit>{_AREA_WORD}|亩)"
_CN_PAIR = "一二三四五六七八九"
_RANGE_SEP = r"\s*(?:-|~|到|至)\s*"
_AREA_RANGE_RE = re.compile(
    rf"(?P<a>{NUM})\s*(?:{_AREA_WORD}|亩)?{_RANGE_SEP}(?P<b>{NUM})\s*{_AREA_UNIT}"
)
_AREA_PAIR_RE = re.compile(
    rf"(?P<x>[{_CN_PAIR}两])(?P<y>[{_CN_PAIR}])(?P<mag>[十百千万])\s*{_AREA_UNIT}"
)
# "面积大概在两千到三千之间": no unit, but 面积 says it is ㎡.
_AREA_KEYWORD_RE = re.compile(
    rf"(?:面积|建面)\s*(?:约|大概|大约|在|为|是|:|要|需要|需|达)*\s*(?P<a>{NUM})(?:{_RANGE_SEP}(?P<b>{NUM}))?"
    rf"(?!\s*(?:{_AREA_WORD}|亩|[万千百十.]|个|\d|-|~|到|至|多|平方公里|平方千米|公里|千米|km))"
)
_AREA_LIST_RE = re.compile(rf"(?P<list>{NUM}(?:\s*(?:、|和|及)\s*{NUM})+)\s*{_AREA_UNIT}")
_AREA_SINGLE_RE = re.compile(rf"(?P<v>{NUM})\s*(?P<more>多)?\s*{_AREA_UNIT}")
_APPROX_BEFORE = re.compile(r"(?:约|大约|大概|差不多|将近|近)\s*$")
_MIN_BEFORE = re.compile(
    r"(?:不低于|不少于|不小于|至少|最少|最小|起码|≥|>=|>|大于|超过)(?:可分|可租|可分割|可拆分|分租|起租)?(?:面积)?\s*$"
)
_MAX_BEFORE = re.compile(
    r"(?:不超过|不大于|不高于|最多|最大|≤|<=|<|小于|以内)(?:可租|可分|可售)?(?:面积)?\s*$"
)
# "3000平+": at least; "车间3000平+办公200平": the "+" joins the next item.
_MIN_AFTER = re.compile(r"^\s*(?:以上|起|多|\+(?!\s*[\u4e00-\u9fff\d])|往上|或以上)")
_DIVISION_AFTER = re.compile(r"^\s*(?:一个|为一个|每个)?单元")
# "1万2平方 可分租 最小三千": an ad's smallest division written without its unit.
_BARE_MINIMUM_RE = re.compile(
    rf"(?:最小|最少|最低)(?:可分|可租|可分割|分租|起租)?(?:面积)?\s*(?P<v>{NUM})"
    rf"(?!\s*(?:{_AREA_WORD}|亩|[万千百十.]|\d|元|块|米|m|吨|t|kva|千伏|层|栋|个|年|月|天))"
)
_MAX_AFTER = re.compile(r"^\s*(?:以下|以内|之内|内|不到|以下的)")
_APPROX_AFTER = re.compile(r"^\s*(?:左右|上下|附近)")
_LAND_CONTEXT = re.compile(r"占地|土地|用地|宗地|地块")
_YARD_CONTEXT = re.compile(r"院子|院落|空地|场地|停车|堆场|露天")
# "厂房两栋共15000平", "合计4000平"; not "一共三个车间 1200平" (共 counts the buildings there).
_TOTAL_CONTEXT = re.compile(r"总面积|总建筑|建筑面积|共计|合计|(?:共|总)\s*(?:约|计|有)?\s*:?\s*$")
# 配套: offices, dormitories, canteens, gardens that come with a site but are not what it offers.
_ANCILLARY_CONTEXT = re.compile(
    r"宿舍|生活|食堂|花园(?!式)|绿化|门卫|辅房|附房|配房|配套|另有|另带"
)
_OFFICE_CONTEXT = re.compile(r"办公")
# "每栋4500平" with "2栋", "两栋 各3000平"; "每层800平" with "共4层" when the floors are let apart.
_EACH_BEFORE = re.compile(r"(?:(?:每|单)(?P<unit>栋|幢|层)|各)\s*(?:面积)?\s*(?:约|为)?\s*$")
_UNIT_WORDS = r"栋|幢|个车间|个仓库|个库|层"
_FLOORS_LET_APART_RE = re.compile(r"分层|按层")
# The ad lets its site in parts: numbered or lettered buildings, 分别, 可分租, 可分割 …
_NUMBERED_UNITS_RE = re.compile(
    r"[\d一二三四五六七八九十]号|#|栋|幢|分别|[a-f](?:区|库|栋|座|幢)|[一二三四五\d]层"
)
_SEVERAL_UNITS_RE = re.compile(
    rf"可分|分租|分割|分开|单独|分层|分块|整租|{_NUMBERED_UNITS_RE.pattern}"
)
# "12000平 可分割成3000平、4000平…": the figures after these words divide the one before.
_DIVIDED_INTO_RE = re.compile(r"(?:分割|拆分|分)(?:成|为)")


@dataclass
class _Area:
    low: Decimal | None
    high: Decimal | None
    nominal: Decimal | None
    in_mu: bool
    land: bool = False
    yard: bool = False
    total: bool = False
    start: int = 0
    ancillary: bool = False  # a 配套 figure: 配套办公楼800平, 宿舍楼1200平
    each: str = ""  # "栋", "层" or "各" for "每栋4500平", "各3000平": one of several equal units
    whole: bool = False  # the high end is the whole site's total (several units or divisions)


def _to_m2(value: Decimal, unit: str) -> Decimal:
    return units.mu_to_m2(value) if unit == "亩" else value


def _read_area(source: _Text, as_: As, kind: str | None) -> _Area | None:
    found = _find_areas(source.work, as_, kind)
    if not found:
        return None
    candidates = _main_areas(found, kind)
    if as_ == "ad":
        # One ad, several units: the smallest unit or division is the minimum, the whole the maximum.
        several = _several_units(source.work, candidates)
        if several is not None:
            return several
    # One property: its total (总面积, 共) describes it rather than a part of it.
    totals = [item for item in candidates if item.total]
    chosen = (totals or candidates)[0]
    # "2000平方米起租,最大可租10000平方米": a minimum and a maximum written apart.
    for other in candidates:
        if chosen.high is None and other.low is None and other.high is not None:
            return _Area(chosen.low, other.high, chosen.low, chosen.in_mu, start=chosen.start)
        if chosen.low is None and other.high is None and other.low is not None:
            return _Area(other.low, chosen.high, chosen.high, chosen.in_mu, start=chosen.start)
    return chosen


def _find_areas(work: str, as_: As, kind: str | None) -> list[_Area]:
    """Every area figure of the text, in reading order, with what its clause says about it."""
    found: list[_Area] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for match in _AREA_RANGE_RE.finditer(work):
        low, high = _number(match.group("a")), _number(match.group("b"))
        if low is None or high is None:
            continue
        low = _scale_range_low(match.group("a"), low, match.group("b"), high)
        if not 0 < low < high:
            continue
        unit = match.group("unit")
        low_m2, high_m2 = _to_m2(low, unit), _to_m2(high, unit)
        found.append(
            _annotate(
                work, kind, match, _Area(low_m2, high_m2, (low_m2 + high_m2) / 2, unit == "亩")
            )
        )
        taken.append(match.span())
    for match in _AREA_PAIR_RE.finditer(work):
        if not free(*match.span()):
            continue
        x = units.parse_chinese_number(match.group("x"))
        y = units.parse_chinese_number(match.group("y"))
        scale = units.parse_chinese_number("一" + match.group("mag"))
        if x is None or y is None or scale is None or y != x + 1:
            continue
        unit = match.group("unit")
        low_m2, high_m2 = _to_m2(x * scale, unit), _to_m2(y * scale, unit)
        found.append(
            _annotate(
                work, kind, match, _Area(low_m2, high_m2, (low_m2 + high_m2) / 2, unit == "亩")
            )
        )
        taken.append(match.span())
    if as_ == "ad":
        # "可分割为2000、4000、6000平方": sizes listed with one unit at the end.
        for match in _AREA_LIST_RE.finditer(work):
            if not free(*match.span()):
                continue
            unit = match.group("unit")
            sizes = [_number(number.group(0)) for number in _NUM_RE.finditer(match.group("list"))]
            if len(sizes) < 2 or any(size is None or size < 10 for size in sizes):
                continue
            for size in sizes:
                area_m2 = _to_m2(size, unit) if size is not None else Decimal(0)
                found.append(
                    _annotate(work, kind, match, _Area(area_m2, area_m2, area_m2, unit == "亩"))
                )
            taken.append(match.span())
    for match in _AREA_KEYWORD_RE.finditer(work):
        low = _number(match.group("a"))
        high = _number(match.group("b")) if match.group("b") else None
        if low is None or low < 10 and high is None:
            continue
        if high is not None:
            low = _scale_range_low(match.group("a"), low, match.group("b"), high)
            if not 0 < low < high:
                continue
            found.append(_annotate(work, kind, match, _Area(low, high, (low + high) / 2, False)))
        elif as_ == "need":
            band = (low * (1 - NEED_AREA_BAND), low * (1 + NEED_AREA_BAND))
            found.append(_annotate(work, kind, match, _Area(band[0], band[1], low, False)))
        else:
            found.append(_annotate(work, kind, match, _Area(low, low, low, False)))
        taken.append(match.span())
    for match in _AREA_SINGLE_RE.finditer(work):
        if not free(*match.span()):
            continue
        value = _number(match.group("v"))
        unit = match.group("unit")
        if value is None or value <= 0 or (unit != "亩" and value < 10):
            continue
        area_m2 = _to_m2(value, unit)
        before = work[max(0, match.start() - 6) : match.start()]
        after = work[match.end() : match.end() + 6]
        # "可分为2500平一个单元": in an ad, the size it is let in is a smallest division.
        division = as_ == "ad" and _DIVISION_AFTER.match(after) is not None
        if match.group("more") or _MIN_AFTER.match(after) or _MIN_BEFORE.search(before) or division:
            low, high = area_m2, None
        elif _MAX_AFTER.match(after) or _MAX_BEFORE.search(before):
            low, high = None, area_m2
        elif as_ == "need":
            low, high = area_m2 * (1 - NEED_AREA_BAND), area_m2 * (1 + NEED_AREA_BAND)
        else:
            low = high = area_m2
        area = _annotate(work, kind, match, _Area(low, high, area_m2, unit == "亩"))
        each = _EACH_BEFORE.search(before)
        area.each = (each.group("unit") or "各") if each else ""
        found.append(area)
        taken.append(match.span())
    if as_ == "ad" and found:
        for match in _BARE_MINIMUM_RE.finditer(work):
            value = _number(match.group("v"))
            if free(*match.span()) and value is not None and value >= 10:
                found.append(_annotate(work, kind, match, _Area(value, None, value, False)))
    found.sort(key=lambda item: item.start)
    return found


def _main_areas(found: list[_Area], kind: str | None) -> list[_Area]:
    """The figures of what is offered or wanted: for land its 亩/占地 figure, otherwise the
    building, not the plot or yard; 配套 figures only when nothing else is given."""
    if kind == "land":
        preferred = [item for item in found if item.in_mu or item.land]
    else:
        preferred = [item for item in found if not item.land and not item.yard and not item.in_mu]
    main = [item for item in preferred if not item.ancillary]
    return main or preferred or found


def _several_units(work: str, candidates: list[_Area]) -> _Area | None:
    """An ad's site let in parts: (smallest unit or division, the whole), or None.

    "一号厂房3200平 二号厂房1800平" → 1800–5000; "2栋 每栋4500平" → 4500–9000; "总面积12000平
    可分割为2000、4000、6000平" → 2000–12000; "1万平 最小500平起租" → 500–10000. A bare 可分租
    states no smaller size, so it leaves the one figure as it is.
    """
    fixed = [item for item in candidates if item.low is not None and item.low == item.high]
    totals, parts = _totals_and_parts(work, fixed)
    divisions = [item for item in candidates if item.low is not None and item.high is None]
    sizes = _unit_sizes(work, fixed, parts)
    whole = _whole_site(totals, parts, sizes, divisions)
    lows = sizes + [item.low for item in divisions if item.low is not None]
    if whole is None or not lows or min(lows) >= whole:
        return None
    first = (totals or parts or candidates)[0]
    return _Area(min(lows), whole, whole, first.in_mu, start=first.start, whole=True)


def _totals_and_parts(work: str, fixed: list[_Area]) -> tuple[list[_Area], list[_Area]]:
    """The figures stated as the whole (总面积, 合计, the one before 可分割成) and the others."""
    totals = [item for item in fixed if item.total]
    parts = [item for item in fixed if not item.total and not item.each]
    divided = _DIVIDED_INTO_RE.search(work)
    if not totals and divided is not None:
        before = [item for item in parts if item.start < divided.start()]
        if len(before) == 1:
            return before, [item for item in parts if item.start > divided.start()]
    return totals, parts


def _unit_sizes(work: str, fixed: list[_Area], parts: list[_Area]) -> list[Decimal]:
    """The size of each unit offered: "2栋 每栋4500平" → [4500, 4500]; "一号厂房3200平 二号厂房
    1800平" → [3200, 1800]; nothing when the ad does not say it is let in parts."""
    each = next((item for item in fixed if item.each and not item.total), None)
    if each is not None and each.low is not None:
        count = _unit_count(work, each.each)
        if count is None or not 1 < count <= MAX_UNITS:
            return []
        return [each.low] * int(count)
    if len(parts) < 2 or not _SEVERAL_UNITS_RE.search(work):
        return []
    sizes = [item.low for item in parts if item.low is not None]
    if not _NUMBERED_UNITS_RE.search(work):
        sizes = sorted(set(sizes))  # "5000平 可分租 … 面积5000平方": one site written twice
    return sizes


def _whole_site(
    totals: list[_Area], parts: list[_Area], sizes: list[Decimal], divisions: list[_Area]
) -> Decimal | None:
    if totals:
        return totals[0].high
    if sizes:
        return sum(sizes, Decimal(0))
    if len(parts) == 1 and divisions:
        return parts[0].high  # "1万平米 可分租 最小500平起租"
    return None


def _unit_count(work: str, unit: str) -> Decimal | None:
    """How many buildings ("4栋", "两栋") or floors ("共4层", only when let apart) the ad has;
    for "各" any of these counts."""
    if unit == "层" and not _FLOORS_LET_APART_RE.search(work):
        return None
    words = _UNIT_WORDS if unit == "各" else unit
    match = re.search(rf"(?P<n>{NUM})\s*(?:{words})", work)
    return _number(match.group("n")) if match else None


def _annotate(work: str, kind: str | None, match: re.Match[str], area: _Area) -> _Area:
    before = _before(work, match.start(), 8)
    area.land = bool(_LAND_CONTEXT.search(before))
    area.yard = bool(_YARD_CONTEXT.search(before))
    area.total = bool(_TOTAL_CONTEXT.search(before))
    area.ancillary = _is_ancillary(before, kind)
    area.start = match.start()
    return area


def _is_ancillary(before: str, kind: str | None) -> bool:
    """A 配套 figure; an office's 办公 area is what an office ad offers, not an extra."""
    if _ANCILLARY_CONTEXT.search(before):
        return True
    return kind != "office" and bool(_OFFICE_CONTEXT.search(before))


def _scale_range_low(low_text: str, low: Decimal, high_text: str, high: Decimal) -> Decimal:
    """ "三到五千", "5-8千", "1-2万": the magnitude written once applies to both ends."""
    high_text = high_text.replace(" ", "")
    magnitude = high_text[-1] if high_text else ""
    if magnitude in "十百千万kw" and low_text.replace(" ", "")[-1:] not in "十百千万kw":
        scale = {"十": 10, "百": 100, "千": 1000, "万": 10000, "k": 1000, "w": 10000}[magnitude]
        if low * scale <= high and low < high / 10:
            return low * scale
    return low
