"""Where each park's point in parks.csv comes from, and whether it is plausible.

A row either borrows its host region's seat point (`coord_source=region:<code>`, which is not a
park location) or claims a sourced centre point (`coord_source=source:<short>`). A sourced point
must name its source URL in `sources`, lie inside Xuzhou and within 40 km of its host region's
point. The files are read directly (no database), so a bad row fails here before anyone loads it.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from yuanqu.core.reference import DEFAULT_PARKS_PATH, DEFAULT_REGIONS_PATH
from yuanqu.matching.scoring import distance_km

MAX_KM_FROM_HOST_REGION = 40.0
# Xuzhou's published extent, 东经116°22′~118°40′、北纬33°43′~34°58′ (the city's 概况 text as
# reposted at https://bangboer.net/gk/show8272.html and http://isslerlaw.com/jobinformation/uylsglrltg.html),
# widened by 0.01° for the rounding of the published minutes and the WGS-84/GCJ-02 shift.
XUZHOU_SOUTH, XUZHOU_NORTH = 33 + 43 / 60 - 0.01, 34 + 58 / 60 + 0.01
XUZHOU_WEST, XUZHOU_EAST = 116 + 22 / 60 - 0.01, 118 + 40 / 60 + 0.01
_URL = re.compile(r"https?://\S+")
_SHORT = re.compile(r"[a-z0-9][a-z0-9._-]*")


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """(leading `#` lines, data rows) of a reference CSV."""
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    comments = [line for line in lines if line.startswith("#")]
    body = "".join(line for line in lines if not line.startswith("#"))
    return comments, list(csv.DictReader(io.StringIO(body)))


def _region_points() -> dict[str, tuple[float, float]]:
    _, rows = _rows(DEFAULT_REGIONS_PATH)
    return {row["code"]: (float(row["lat"]), float(row["lon"])) for row in rows if row["lat"]}


def inside_xuzhou(latitude: float, longitude: float) -> bool:
    return XUZHOU_SOUTH <= latitude <= XUZHOU_NORTH and XUZHOU_WEST <= longitude <= XUZHOU_EAST


def point_problems(row: dict[str, str], regions: dict[str, tuple[float, float]]) -> list[str]:
    """Why a parks.csv row's point is not acceptable (empty when it is)."""
    source, code = row["coord_source"].strip(), row["region_code"].strip()
    if code not in regions:
        return [f"host region {code!r} has no point in the regions file"]
    if not row["latitude"].strip() or not row["longitude"].strip():
        return ["no point"]
    point = (float(row["latitude"]), float(row["longitude"]))
    host = regions[code]
    if source.startswith("region:"):
        if source != f"region:{code}":
            return [f"{source} is not the host region {code}"]
        if abs(point[0] - host[0]) > 1e-6 or abs(point[1] - host[1]) > 1e-6:
            return [f"point {point} is not the point of region {code} {host}"]
        return []
    if not source.startswith("source:") or not _SHORT.fullmatch(source.removeprefix("source:")):
        return [f"coord_source {source!r} is neither region:<code> nor source:<short>"]
    problems = []
    if not any(_URL.fullmatch(url) for url in row["sources"].split()):
        problems.append("a sourced point needs its source URL in sources")
    if point == host:
        problems.append("a sourced point identical to the region's seat point is a borrowed point")
    if not inside_xuzhou(*point):
        problems.append(f"point {point} is outside Xuzhou")
    km = distance_km(*point, *host)
    if km > MAX_KM_FROM_HOST_REGION:
        problems.append(f"point is {km:.1f} km from its host region's point")
    return problems


def test_every_park_point_says_where_it_comes_from_and_is_plausible():
    regions = _region_points()
    _, rows = _rows(DEFAULT_PARKS_PATH)
    assert rows
    problems = {row["name"]: point_problems(row, regions) for row in rows}
    assert {name: found for name, found in problems.items() if found} == {}


def test_the_source_note_states_how_many_parks_have_a_sourced_point():
    comments, rows = _rows(DEFAULT_PARKS_PATH)
    sourced = sum(row["coord_source"].startswith("source:") for row in rows)
    stated = re.search(r"(\d+) of (\d+) parks have a sourced centre point", "".join(comments))
    assert stated, "parks.csv's # SOURCE lines must say how many parks have a sourced point"
    assert (int(stated[1]), int(stated[2])) == (sourced, len(rows))


def test_every_xuzhou_region_point_lies_inside_the_extent():
    """The box is a sanity check only if it holds every county seat of the city."""
    xuzhou = {code: point for code, point in _region_points().items() if code.startswith("3203")}
    assert len(xuzhou) >= 10
    assert [code for code, point in xuzhou.items() if not inside_xuzhou(*point)] == []


# The points below are synthetic offsets from the 睢宁县 seat point (320324), made up to exercise
# the checks; they are not data and never go into parks.csv.
HOST = "320324"


def _row(coord_source: str, d_lat: float, d_lon: float, sources: str) -> dict[str, str]:
    lat, lon = _region_points()[HOST]
    return {
        "name": "test",
        "region_code": HOST,
        "coord_source": coord_source,
        "latitude": f"{lat + d_lat:.6f}",
        "longitude": f"{lon + d_lon:.6f}",
        "sources": sources,
    }


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (_row("source:example", 0.05, 0.05, "https://example.org/a"), []),
        (_row("region:320324", 0, 0, ""), []),
        (_row("source:example", 0.05, 0.05, ""), ["needs its source URL"]),
        (_row("source:example", 0, 0, "https://example.org/a"), ["borrowed point"]),
        (_row("source:example", 0.45, 0, "https://example.org/a"), ["50.0 km"]),
        (_row("source:example", -0.6, 0, "https://example.org/a"), ["outside Xuzhou", "km from"]),
        (_row("region:320324", 0.05, 0, ""), ["is not the point of region"]),
        (_row("region:320382", 0, 0, ""), ["not the host region"]),
        (_row("amap", 0.05, 0.05, "https://example.org/a"), ["neither region"]),
    ],
)
def test_the_point_checks_catch_bad_rows(row, expected):
    found = point_problems(row, _region_points())
    assert len(found) == len(expected)
    for problem, fragment in zip(found, expected, strict=True):
        assert fragment in problem
