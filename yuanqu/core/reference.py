"""Loaders for the reference data checked into the repository.

- regions: GB/T 2260 divisions of the home province (`core/data/admin_divisions_jiangsu.csv`);
- townships: NBS township codes of the home city (`core/data/admin_divisions_xuzhou_townships.csv`);
- industries: the GB/T 4754-2017 tree (`core/data/gbt4754_2017.csv`);
- parks: the curated development zones (`parks/data/parks.csv`).

Every loader reads and validates the whole file first, then writes it in one transaction:
a malformed file (missing column, bad code, unknown parent, wrong level, non-numeric
coordinate, duplicate code …) raises `ReferenceDataError` naming `file:line: reason` and
changes nothing. Rows are upserted by their natural key and only changed rows are written, so
a second run reports every row unchanged. Rows in the database that the file no longer lists
are left alone: parks and carriers point at regions with PROTECT, and a later file may bring
them back.

NBS statistical-only codes of development zones (4th–5th digits 7x, e.g. 320371 徐州经济技术
开发区) are zones, not regions: they are skipped as regions and appear as `Park.statistical_code`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Model

from yuanqu.core.models import Industry, Region

CORE_DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_REGIONS_PATH = CORE_DATA_DIR / "admin_divisions_jiangsu.csv"
DEFAULT_TOWNSHIPS_PATH = CORE_DATA_DIR / "admin_divisions_xuzhou_townships.csv"
DEFAULT_INDUSTRIES_PATH = CORE_DATA_DIR / "gbt4754_2017.csv"
DEFAULT_PARKS_PATH = CORE_DATA_DIR.parent.parent / "parks" / "data" / "parks.csv"

COORDINATE_PLACES = Decimal("0.000001")
STAT_ONLY_LEVEL = "dev_zone(stat-only)"
_SIX_DIGITS = re.compile(r"\d{6}")
_NINE_DIGITS = re.compile(r"\d{9}")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_URL = re.compile(r"https?://\S+")


class ReferenceDataError(Exception):
    """A reference file was refused; `problems` lists every `file:line: reason` found."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        shown = self.problems[:20]
        more = len(self.problems) - len(shown)
        text = "\n".join(shown) + (f"\n… and {more} more problems" if more > 0 else "")
        super().__init__(text)


@dataclass
class LoadResult:
    """What one file did to the database."""

    label: str
    path: Path
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    names: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.created + self.updated

    def summary(self) -> str:
        skipped = f", {self.skipped} skipped" if self.skipped else ""
        return (
            f"{self.label}: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged{skipped} ({display_path(self.path)})"
        )


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(path)


# ---------------------------------------------------------------------------------------
# Reading


@dataclass
class _Row:
    line: int
    values: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.values.get(key, "").strip()


class _Problems:
    def __init__(self, path: Path):
        self.where = display_path(path)
        self.items: list[str] = []

    def add(self, line: int, reason: str) -> None:
        self.items.append(f"{self.where}:{line}: {reason}")

    def raise_if_any(self) -> None:
        if self.items:
            raise ReferenceDataError(self.items)


def _read_rows(path: Path, required: Iterable[str]) -> Iterator[_Row]:
    """Rows of a CSV whose leading `#` lines are SOURCE notes; line numbers are the file's own."""
    where = display_path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ReferenceDataError([f"{where}:0: file not found"]) from None
    except UnicodeDecodeError as error:
        raise ReferenceDataError([f"{where}:1: not UTF-8 text ({error.reason})"]) from None
    lines = text.splitlines(keepends=True)
    offset = 0
    while offset < len(lines) and (lines[offset].startswith("#") or not lines[offset].strip()):
        offset += 1
    if offset == len(lines):
        raise ReferenceDataError([f"{where}:{offset + 1}: no header row"])
    reader = csv.reader(io.StringIO("".join(lines[offset:])), strict=True)
    try:
        header = [name.strip() for name in next(reader)]
        missing = [name for name in required if name not in header]
        if missing:
            raise ReferenceDataError(
                [f"{where}:{offset + 1}: missing column(s) {', '.join(missing)}"]
            )
        for cells in reader:
            line = offset + reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                raise ReferenceDataError(
                    [f"{where}:{line}: expected {len(header)} fields, found {len(cells)}"]
                )
            yield _Row(line=line, values=dict(zip(header, cells, strict=True)))
    except csv.Error as error:
        raise ReferenceDataError([f"{where}:{offset + reader.line_num}: {error}"]) from None


def _coordinate(
    raw: str, *, limit: int, name: str, row: _Row, problems: _Problems
) -> Decimal | None:
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        problems.add(row.line, f"{name} {raw!r} is not a number")
        return None
    if not value.is_finite() or not -limit <= value <= limit:
        problems.add(row.line, f"{name} {raw!r} is out of range")
        return None
    return value.quantize(COORDINATE_PLACES)


def _is_stat_only_code(code: str) -> bool:
    """NBS statistical-only county-level codes of zones: 4th–5th digits 7x (320371, 320576)."""
    return bool(_SIX_DIGITS.fullmatch(code)) and code[4] == "7"


def _apply(
    model: type[Model], records: dict[str, dict], fields: Sequence[str], order_by: str
) -> tuple[int, int, int]:
    """Insert missing rows and update changed ones; returns (created, updated, unchanged)."""
    existing = model._default_manager.in_bulk(list(records))
    to_create: list[Model] = []
    to_update: list[Model] = []
    for code, values in sorted(records.items(), key=lambda item: item[1][order_by]):
        current = existing.get(code)
        if current is None:
            to_create.append(model(pk=code, **{name: values[name] for name in fields}))
            continue
        if any(getattr(current, name) != values[name] for name in fields):
            for name in fields:
                setattr(current, name, values[name])
            to_update.append(current)
    model._default_manager.bulk_create(to_create, batch_size=500)
    if to_update:
        model._default_manager.bulk_update(to_update, list(fields), batch_size=500)
    return len(to_create), len(to_update), len(records) - len(to_create) - len(to_update)


# ---------------------------------------------------------------------------------------
# Regions and townships

REGION_LEVELS = {
    "province": Region.Level.PROVINCE,
    "prefecture": Region.Level.PREFECTURE,
    "county": Region.Level.COUNTY,
}
PARENT_LEVEL = {
    Region.Level.PROVINCE: None,
    Region.Level.PREFECTURE: Region.Level.PROVINCE,
    Region.Level.COUNTY: Region.Level.PREFECTURE,
    Region.Level.TOWNSHIP: Region.Level.COUNTY,
}
REGION_FIELDS = ("name", "level", "parent_id", "latitude", "longitude")
_LEVEL_ORDER = {level: index for index, level in enumerate(PARENT_LEVEL)}


def _region_code_fits_level(code: str, level: str) -> bool:
    if level == Region.Level.PROVINCE:
        return code.endswith("0000")
    if level == Region.Level.PREFECTURE:
        return code.endswith("00") and not code.endswith("0000")
    return not code.endswith("00")


def load_regions(path: Path = DEFAULT_REGIONS_PATH) -> LoadResult:
    """Province, prefectures and counties (GB/T 2260); statistical-only zone codes are skipped."""
    problems = _Problems(path)
    result = LoadResult(label="regions", path=path)
    records: dict[str, dict] = {}
    levels_in_file: dict[str, str] = {}
    pending_parents: list[tuple[_Row, str, str, str]] = []
    seen: set[str] = set()
    rows = _read_rows(
        path, ("code", "name", "level", "parent_code", "is_dev_zone_stat_code", "lat", "lon")
    )
    for row in rows:
        code, name, raw_level, parent_code = (
            row["code"],
            row["name"],
            row["level"],
            row["parent_code"],
        )
        if not _SIX_DIGITS.fullmatch(code):
            problems.add(row.line, f"code {code!r} is not a 6-digit GB/T 2260 code")
            continue
        if code in seen:
            problems.add(row.line, f"duplicate code {code}")
            continue
        seen.add(code)
        stat_flag = row["is_dev_zone_stat_code"]
        if stat_flag not in {"0", "1"}:
            problems.add(row.line, f"is_dev_zone_stat_code {stat_flag!r} is not 0 or 1")
            continue
        if stat_flag == "1" or raw_level == STAT_ONLY_LEVEL:
            if stat_flag != "1" or raw_level != STAT_ONLY_LEVEL or not _is_stat_only_code(code):
                problems.add(row.line, f"statistical-only code {code} has inconsistent level/flag")
            result.skipped += 1  # a zone, not a region: it becomes Park.statistical_code
            continue
        level = REGION_LEVELS.get(raw_level)
        if level is None:
            problems.add(row.line, f"unknown level {raw_level!r} (use {', '.join(REGION_LEVELS)})")
            continue
        if not _region_code_fits_level(code, level):
            problems.add(row.line, f"code {code} does not fit level {raw_level}")
            continue
        if not name or len(name) > 50:
            problems.add(row.line, "name is empty or longer than 50 characters")
            continue
        latitude = _coordinate(row["lat"], limit=90, name="lat", row=row, problems=problems)
        longitude = _coordinate(row["lon"], limit=180, name="lon", row=row, problems=problems)
        if (latitude is None) != (longitude is None):
            problems.add(row.line, "lat and lon must be given together")
        levels_in_file[code] = level
        pending_parents.append((row, code, level, parent_code))
        records[code] = {
            "name": name,
            "level": level,
            "parent_id": parent_code or None,
            "latitude": latitude,
            "longitude": longitude,
            "_order": _LEVEL_ORDER[level],
        }
        result.names.append(name)

    outside = {parent for _, _, _, parent in pending_parents if parent} - set(levels_in_file)
    db_levels = dict(Region.objects.filter(code__in=outside).values_list("code", "level"))
    for row, code, row_level, parent_code in pending_parents:
        _check_parent(row, code, row_level, parent_code, {**db_levels, **levels_in_file}, problems)
    problems.raise_if_any()
    return _save_regions(records, result)


def _check_parent(
    row: _Row, code: str, level: str, parent_code: str, known: dict[str, str], problems: _Problems
) -> None:
    expected = PARENT_LEVEL[Region.Level(level)]
    if expected is None:
        if parent_code:
            problems.add(row.line, f"a province has no parent, found {parent_code}")
        return
    if not parent_code:
        problems.add(row.line, f"{level} {code} needs a parent")
        return
    if parent_code not in known:
        problems.add(row.line, f"unknown parent {parent_code}")
        return
    if known[parent_code] != expected:
        problems.add(
            row.line,
            f"{level} {code} must sit under a {expected}, {parent_code} is {known[parent_code]}",
        )
        return
    prefix = 2 if level == Region.Level.PREFECTURE else 4 if level == Region.Level.COUNTY else 6
    if code[:prefix] != parent_code[:prefix]:
        problems.add(row.line, f"code {code} does not start like its parent {parent_code}")


def _save_regions(records: dict[str, dict], result: LoadResult) -> LoadResult:
    with transaction.atomic():
        created, updated, unchanged = _apply(Region, records, REGION_FIELDS, order_by="_order")
    result.created, result.updated, result.unchanged = created, updated, unchanged
    return result


def load_townships(path: Path = DEFAULT_TOWNSHIPS_PATH) -> LoadResult:
    """Townships (乡镇/街道, 9-digit NBS codes) under their county, which must be loaded already.

    Streets that NBS files under a zone's statistical-only code (320371001 金山桥街道 under
    320371) are hung under that zone's prefecture (320300): a judgement call, since the zone is
    not a region and the streets' old districts are not in the source.
    """
    problems = _Problems(path)
    result = LoadResult(label="townships", path=path)
    records: dict[str, dict] = {}
    parents: list[tuple[_Row, str]] = []
    for row in _read_rows(path, ("code", "name", "county_code")):
        code, name, county_code = row["code"], row["name"], row["county_code"]
        if not _NINE_DIGITS.fullmatch(code):
            problems.add(row.line, f"code {code!r} is not a 9-digit township code")
            continue
        if code in records:
            problems.add(row.line, f"duplicate code {code}")
            continue
        if not _SIX_DIGITS.fullmatch(county_code) or not code.startswith(county_code):
            problems.add(
                row.line, f"county_code {county_code!r} is not the first 6 digits of {code}"
            )
            continue
        if not name or len(name) > 50:
            problems.add(row.line, "name is empty or longer than 50 characters")
            continue
        parent_code = county_code[:4] + "00" if _is_stat_only_code(county_code) else county_code
        parents.append((row, parent_code))
        records[code] = {
            "name": name,
            "level": Region.Level.TOWNSHIP,
            "parent_id": parent_code,
            "latitude": None,
            "longitude": None,
            "_order": 0,
        }
        result.names.append(name)
    known = dict(
        Region.objects.filter(code__in={parent for _, parent in parents}).values_list(
            "code", "level"
        )
    )
    for row, parent_code in parents:
        expected = Region.Level.PREFECTURE if parent_code.endswith("00") else Region.Level.COUNTY
        if parent_code not in known:
            problems.add(row.line, f"unknown parent {parent_code} (load the regions file first)")
        elif known[parent_code] != expected:
            problems.add(
                row.line, f"parent {parent_code} is {known[parent_code]}, expected {expected}"
            )
    problems.raise_if_any()
    return _save_regions(records, result)


# ---------------------------------------------------------------------------------------
# Industries

INDUSTRY_CODE_LENGTH = {1: 1, 2: 2, 3: 3, 4: 4}
INDUSTRY_LEVEL_NAMES = {1: "门类", 2: "大类", 3: "中类", 4: "小类"}
INDUSTRY_FIELDS = ("name", "level", "parent_id", "section", "scope_note")


def _expected_industry_parent(code: str, level: int, section: str) -> str | None:
    if level == 1:
        return None
    if level == 2:
        return section
    return code[: level - 1]


def load_industries(path: Path = DEFAULT_INDUSTRIES_PATH) -> LoadResult:
    """The GB/T 4754-2017 tree: 门类 A–T, 大类, 中类, 小类, with their scope notes."""
    problems = _Problems(path)
    result = LoadResult(label="industries", path=path)
    records: dict[str, dict] = {}
    for row in _read_rows(path, ("code", "level", "name", "parent_code", "section", "remark")):
        code, raw_level, name, section = row["code"], row["level"], row["name"], row["section"]
        if raw_level not in {"1", "2", "3", "4"}:
            problems.add(row.line, f"level {raw_level!r} is not 1, 2, 3 or 4")
            continue
        level = int(raw_level)
        well_formed = (
            len(code) == 1 and "A" <= code <= "T"
            if level == 1
            else code.isdigit() and code.isascii() and len(code) == INDUSTRY_CODE_LENGTH[level]
        )
        if not well_formed:
            problems.add(row.line, f"code {code!r} does not fit level {level}")
            continue
        if code in records:
            problems.add(row.line, f"duplicate code {code}")
            continue
        if not ("A" <= section <= "T" and len(section) == 1) or (level == 1 and section != code):
            problems.add(row.line, f"section {section!r} is not a section letter for {code}")
            continue
        level_name = row["level_name"]
        if level_name and level_name != INDUSTRY_LEVEL_NAMES[level]:
            problems.add(row.line, f"level_name {level_name!r} does not match level {level}")
            continue
        if not name or len(name) > 100:
            problems.add(row.line, "name is empty or longer than 100 characters")
            continue
        expected_parent = _expected_industry_parent(code, level, section)
        if row["parent_code"] != (expected_parent or ""):
            problems.add(
                row.line,
                f"parent_code {row['parent_code']!r} should be {expected_parent or 'empty'}",
            )
            continue
        records[code] = {
            "name": name,
            "level": level,
            "parent_id": expected_parent,
            "section": section,
            "scope_note": row["remark"],
            "_line": row.line,
        }
        result.names.append(name)
    for record in records.values():
        parent = record["parent_id"]
        if parent is None:
            continue
        if parent not in records:
            problems.add(record["_line"], f"unknown parent {parent}")
        elif records[parent]["section"] != record["section"]:
            problems.add(
                record["_line"], f"section {record['section']} differs from parent {parent}"
            )
    problems.raise_if_any()
    for record in records.values():
        record.pop("_line")
    with transaction.atomic():
        created, updated, unchanged = _apply(Industry, records, INDUSTRY_FIELDS, order_by="level")
    result.created, result.updated, result.unchanged = created, updated, unchanged
    return result


# ---------------------------------------------------------------------------------------
# Parks

PARK_COLUMNS = (
    "name", "short_name", "slug", "level", "kind", "region_code", "statistical_code",
    "leading_industries", "industry_note", "established", "area_km2", "latitude", "longitude",
    "coord_source", "sources",
)  # fmt: skip
PARK_FIELDS = (
    "name", "short_name", "slug", "level", "kind", "region_id", "statistical_code",
    "industry_note", "established", "area_km2", "latitude", "longitude", "coord_source",
    "sources",
)  # fmt: skip


@dataclass
class ParkRecord:
    line: int
    values: dict
    industry_codes: list[str]
    aliases: list[str]


def read_parks(path: Path = DEFAULT_PARKS_PATH) -> list[ParkRecord]:
    """Parse and validate the parks file against the regions and industries in the database."""
    from yuanqu.parks.models import Park

    problems = _Problems(path)
    parsed: list[tuple[_Row, ParkRecord, str]] = []
    names: set[str] = set()
    slugs: set[str] = set()
    for row in _read_rows(path, PARK_COLUMNS):
        name, slug, short_name = row["name"], row["slug"], row["short_name"]
        if not name or len(name) > 100:
            problems.add(row.line, "name is empty or longer than 100 characters")
            continue
        if name in names:
            problems.add(row.line, f"duplicate name {name}")
            continue
        names.add(name)
        if not _SLUG.fullmatch(slug) or len(slug) > 120:
            problems.add(row.line, f"slug {slug!r} is not lower-case pinyin words joined by '-'")
            continue
        if slug in slugs:
            problems.add(row.line, f"duplicate slug {slug}")
            continue
        slugs.add(slug)
        for column, limit in (("short_name", 30), ("industry_note", 300), ("established", 200)):
            if len(row[column]) > limit:
                problems.add(row.line, f"{column} is longer than {limit} characters")
        if row["level"] not in Park.Level.values:
            problems.add(
                row.line, f"unknown level {row['level']!r} (use {', '.join(Park.Level.values)})"
            )
        if row["kind"] not in Park.Kind.values:
            problems.add(
                row.line, f"unknown kind {row['kind']!r} (use {', '.join(Park.Kind.values)})"
            )
        statistical_code = row["statistical_code"]
        if statistical_code and not (
            _is_stat_only_code(statistical_code) or _NINE_DIGITS.fullmatch(statistical_code)
        ):
            problems.add(
                row.line,
                f"statistical_code {statistical_code!r} is neither a 6-digit zone code nor a 9-digit township code",
            )
        area = None
        if row["area_km2"]:
            try:
                area = Decimal(row["area_km2"])
            except InvalidOperation:
                problems.add(row.line, f"area_km2 {row['area_km2']!r} is not a number")
            else:
                if not area.is_finite() or area <= 0 or area >= 10**6:
                    problems.add(row.line, f"area_km2 {row['area_km2']!r} is out of range")
                    area = None
                else:
                    area = area.quantize(Decimal("0.01"))
        latitude = _coordinate(
            row["latitude"], limit=90, name="latitude", row=row, problems=problems
        )
        longitude = _coordinate(
            row["longitude"], limit=180, name="longitude", row=row, problems=problems
        )
        if (latitude is None) != (longitude is None):
            problems.add(row.line, "latitude and longitude must be given together")
        if (latitude is not None) and not row["coord_source"]:
            problems.add(row.line, "coord_source must say where the coordinates come from")
        sources = row["sources"].split()
        bad_sources = [source for source in sources if not _URL.fullmatch(source)]
        if bad_sources:
            problems.add(
                row.line, f"sources must be http(s) URLs separated by spaces: {bad_sources[0]!r}"
            )
        codes = [code.strip() for code in row["leading_industries"].split(";") if code.strip()]
        if len(set(codes)) != len(codes):
            problems.add(row.line, "leading_industries lists a code twice")
        record = ParkRecord(
            line=row.line,
            values={
                "name": name,
                "short_name": short_name,
                "slug": slug,
                "level": row["level"],
                "kind": row["kind"],
                "region_id": row["region_code"],
                "statistical_code": statistical_code,
                "industry_note": row["industry_note"],
                "established": row["established"],
                "area_km2": area,
                "latitude": latitude,
                "longitude": longitude,
                "coord_source": row["coord_source"].strip(),
                "sources": "\n".join(sources),
            },
            industry_codes=codes,
            aliases=[alias.strip() for alias in row["aliases"].split(";") if alias.strip()],
        )
        parsed.append((row, record, row["coord_source"]))

    region_codes = {record.values["region_id"] for _, record, _ in parsed}
    regions = Region.objects.in_bulk(list(region_codes))
    industry_codes = {code for _, record, _ in parsed for code in record.industry_codes}
    known_industries = set(
        Industry.objects.filter(code__in=industry_codes).values_list("code", flat=True)
    )
    township_codes = {
        record.values["statistical_code"]
        for _, record, _ in parsed
        if len(record.values["statistical_code"]) == 9
    }
    known_townships = set(
        Region.objects.filter(code__in=township_codes, level=Region.Level.TOWNSHIP).values_list(
            "code", flat=True
        )
    )
    for row, record, coord_source in parsed:
        region = regions.get(record.values["region_id"])
        if region is None:
            problems.add(
                row.line,
                f"unknown region {record.values['region_id']!r} (load the regions file first)",
            )
            continue
        if region.level == Region.Level.TOWNSHIP:
            problems.add(
                row.line, f"region {region.code} is a township; use the host county or city"
            )
        unknown = [code for code in record.industry_codes if code not in known_industries]
        if unknown:
            problems.add(row.line, f"unknown industry code(s) {', '.join(unknown)}")
        statistical_code = record.values["statistical_code"]
        if len(statistical_code) == 9:
            if statistical_code not in known_townships:
                problems.add(
                    row.line, f"statistical_code {statistical_code} is not a loaded township code"
                )
            elif not statistical_code.startswith(region.code[:4]):
                problems.add(
                    row.line,
                    f"statistical_code {statistical_code} lies outside region {region.code}",
                )
        # A row that claims to borrow its host region's point is held to that.
        borrowed_point = (record.values["latitude"], record.values["longitude"])
        if coord_source.startswith("region:") and (
            coord_source != f"region:{region.code}"
            or borrowed_point != (region.latitude, region.longitude)
        ):
            problems.add(row.line, f"coordinates do not match {coord_source}")
    problems.raise_if_any()
    return [record for _, record, _ in parsed]


def load_parks(path: Path = DEFAULT_PARKS_PATH) -> LoadResult:
    """Upsert parks by slug (or by name when an older row carries another slug)."""
    from yuanqu.parks.models import Park

    records = read_parks(path)
    result = LoadResult(label="parks", path=path)
    with transaction.atomic():
        by_slug = Park.objects.in_bulk(
            [record.values["slug"] for record in records], field_name="slug"
        )
        by_name = Park.objects.in_bulk(
            [record.values["name"] for record in records], field_name="name"
        )
        industries = Industry.objects.in_bulk(
            sorted({code for record in records for code in record.industry_codes})
        )
        for record in records:
            park = by_slug.get(record.values["slug"]) or by_name.get(record.values["name"])
            wanted_industries = set(record.industry_codes)
            if park is None:
                park = Park.objects.create(**record.values)
                park.leading_industries.set([industries[code] for code in record.industry_codes])
                result.created += 1
            else:
                changed = [
                    name for name in PARK_FIELDS if getattr(park, name) != record.values[name]
                ]
                current_industries = set(park.leading_industries.values_list("code", flat=True))
                if changed:
                    for name in changed:
                        setattr(park, name, record.values[name])
                    park.save(update_fields=[*changed, "updated_at"])
                if current_industries != wanted_industries:
                    park.leading_industries.set(
                        [industries[code] for code in record.industry_codes]
                    )
                if changed or current_industries != wanted_industries:
                    result.updated += 1
                else:
                    result.unchanged += 1
            result.names.extend(
                name
                for name in (record.values["name"], record.values["short_name"], *record.aliases)
                if name
            )
    return result


# ---------------------------------------------------------------------------------------
# Everything, in dependency order


def load_all(
    *,
    regions: Path = DEFAULT_REGIONS_PATH,
    townships: Path = DEFAULT_TOWNSHIPS_PATH,
    industries: Path = DEFAULT_INDUSTRIES_PATH,
    parks: Path = DEFAULT_PARKS_PATH,
) -> list[LoadResult]:
    """Load the four files in order (each in its own transaction) and feed the segmenter."""
    from yuanqu.core.text import register_domain_words

    results = [
        load_regions(regions),
        load_townships(townships),
        load_industries(industries),
        load_parks(parks),
    ]
    # Names from files other than the repository's own reach this process's segmenter here;
    # the repository files are read by text.py itself on first use (see its docstring).
    register_domain_words(name for result in results for name in result.names)
    return results
