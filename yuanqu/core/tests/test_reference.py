"""The reference loaders, run against the real files in the repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yuanqu.core import reference
from yuanqu.core.models import Industry, Region
from yuanqu.core.text import segment_for_query
from yuanqu.parks.models import Park

FIXTURES = Path(__file__).resolve().parent / "fixtures"

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded() -> list[reference.LoadResult]:
    return reference.load_all()


def _snapshot() -> tuple:
    """Everything the loaders write, to prove a refused file changed nothing."""
    return (
        sorted(
            Region.objects.values_list(
                "code", "name", "level", "parent_id", "latitude", "longitude"
            )
        ),
        sorted(Industry.objects.values_list("code", "name", "level", "parent_id", "scope_note")),
        sorted(
            Park.objects.values_list("slug", "name", "short_name", "level", "region_id", "latitude")
        ),
        sorted(Park.leading_industries.through.objects.values_list("park__slug", "industry_id")),
    )


# ---------------------------------------------------------------------------------------
# Regions


def test_jiangsu_loads_one_province_thirteen_prefectures_and_its_counties(loaded):
    counts = {
        level: Region.objects.filter(level=level, code__startswith="32").count()
        for level in ("province", "prefecture", "county")
    }

    assert counts == {"province": 1, "prefecture": 13, "county": 95}


def test_xuzhou_has_ten_county_level_children(loaded):
    xuzhou = Region.objects.get(code="320300")

    assert xuzhou.name == "徐州市"
    assert xuzhou.children.filter(level=Region.Level.COUNTY).count() == 10


def test_statistical_only_zone_codes_are_not_loaded_as_regions(loaded):
    regions_result = loaded[0]

    assert not Region.objects.filter(code__in=["320371", "320576"]).exists()
    assert regions_result.skipped == 9


def test_counties_carry_their_seat_coordinates(loaded):
    tongshan = Region.objects.get(code="320312")

    assert (str(tongshan.latitude), str(tongshan.longitude)) == ("34.180779", "117.169461")


def test_xuzhou_townships_load_under_their_counties(loaded):
    gaoxin = Region.objects.get(code="320312402")

    assert Region.objects.filter(level=Region.Level.TOWNSHIP).count() == 186
    assert (gaoxin.name, gaoxin.parent_id) == ("徐州高新技术产业开发区", "320312")


def test_streets_filed_under_a_zone_code_hang_under_its_city(loaded):
    assert Region.objects.get(code="320371005").parent_id == "320300"


# ---------------------------------------------------------------------------------------
# Industries


def test_the_whole_gbt4754_tree_loads(loaded):
    counts = {level: Industry.objects.filter(level=level).count() for level in (1, 2, 3, 4)}

    assert counts == {1: 20, 2: 97, 3: 473, 4: 1381}


def test_construction_machinery_sits_under_its_group_division_and_section(loaded):
    machinery = Industry.objects.get(code="3514")
    lineage = [machinery.parent_id]
    while lineage[-1] is not None:
        lineage.append(Industry.objects.get(code=lineage[-1]).parent_id)

    assert machinery.name == "建筑工程用机械制造"
    assert lineage == ["351", "35", "C", None]
    assert machinery.lineage_codes() == ["C", "35", "351", "3514"]


def test_industries_carry_their_scope_notes(loaded):
    assert "土方机械" in Industry.objects.get(code="3514").scope_note


# ---------------------------------------------------------------------------------------
# Parks


def test_one_park_per_zone_of_the_curated_table(loaded):
    assert Park.objects.count() == 12


def test_the_xuzhou_etdz_carries_its_statistical_code_and_lies_in_xuzhou(loaded):
    park = Park.objects.select_related("region").get(name="徐州经济技术开发区")

    assert park.statistical_code == "320371"
    assert park.level == Park.Level.NATIONAL
    assert park.region.code == "320300" or park.region.parent_id == "320300"


def test_parks_link_their_leading_industries(loaded):
    park = Park.objects.get(slug="xuzhou-jingkaiqu")

    assert {"3514", "3973"} <= set(park.leading_industries.values_list("code", flat=True))


def test_park_slugs_are_the_stable_ones_in_the_file(loaded):
    # Slugs are URLs (/parks/<slug>/): changing one breaks links, so it must be deliberate.
    assert sorted(Park.objects.values_list("slug", flat=True)) == [
        "fengxian-jingkaiqu", "peixian-jingkaiqu", "pizhou-jingkaiqu", "quanshan-jingkaiqu",
        "suining-jingkaiqu", "tongshan-jingkaiqu", "xinyi-jingkaiqu", "xiyi-gaoxinqu",
        "xuzhou-gaoxinqu", "xuzhou-gongyeyuanqu", "xuzhou-jingkaiqu", "xuzhou-konggang-jingkaiqu",
    ]  # fmt: skip


def test_every_park_coordinate_is_its_host_regions_point(loaded):
    # No surveyed park centre is known yet (docs/reference-data.md); nothing may pretend otherwise.
    for park in Park.objects.select_related("region"):
        assert (park.latitude, park.longitude) == (park.region.latitude, park.region.longitude)


def test_parks_record_that_their_point_is_borrowed_from_their_region(loaded):
    park = Park.objects.get(slug="suining-jingkaiqu")

    assert park.coord_source == "region:320324" and park.point_is_region_centre


def test_parks_keep_their_source_urls_one_per_line(loaded):
    sources = Park.objects.get(slug="xuzhou-gaoxinqu").sources.splitlines()

    assert sources and all(source.startswith("http") for source in sources)


def test_park_short_names_and_aliases_are_offered_to_the_segmenter(loaded):
    parks_result = loaded[3]

    assert {"徐州经开区", "沛北经济开发区"} <= set(parks_result.names)


def test_names_from_a_parks_file_given_to_the_loader_reach_the_segmenter():
    reference.load_all(parks=FIXTURES / "parks_valid_extra.csv")

    assert segment_for_query("湖畔智造园招商") == ["湖畔智造园", "招商"]


# ---------------------------------------------------------------------------------------
# Idempotency


def test_a_second_run_changes_nothing(loaded):
    before = _snapshot()
    park_updated_at = Park.objects.get(slug="xuzhou-jingkaiqu").updated_at

    again = reference.load_all()

    assert [result.changed for result in again] == [0, 0, 0, 0]
    assert _snapshot() == before
    assert Park.objects.get(slug="xuzhou-jingkaiqu").updated_at == park_updated_at


def test_a_second_run_restores_an_edited_row(loaded):
    Region.objects.filter(code="320312").update(name="改过的名字")
    Park.objects.get(slug="xuzhou-jingkaiqu").leading_industries.clear()

    again = reference.load_all()

    assert Region.objects.get(code="320312").name == "铜山区"
    assert Park.objects.get(slug="xuzhou-jingkaiqu").leading_industries.exists()
    assert [result.updated for result in again] == [1, 0, 0, 1]


def test_the_command_reports_each_file(loaded, capsys):
    call_command("load_reference_data")

    output = capsys.readouterr().out
    assert "regions: 0 created, 0 updated, 109 unchanged, 9 skipped" in output
    assert "parks: 0 created, 0 updated, 12 unchanged" in output


# ---------------------------------------------------------------------------------------
# Malformed files: refused with file, line and reason; nothing changes


MALFORMED = [
    ("regions", "regions_missing_column.csv", 2, "missing column(s) lat"),
    ("regions", "regions_bad_code.csv", 5, "code '32A312' is not a 6-digit GB/T 2260 code"),
    ("regions", "regions_unknown_parent.csv", 5, "unknown parent 329900"),
    (
        "regions",
        "regions_wrong_level.csv",
        6,
        "county 320312 must sit under a prefecture, 320311 is county",
    ),
    ("regions", "regions_bad_coordinate.csv", 5, "lat '北纬34.18' is not a number"),
    ("regions", "regions_duplicate_code.csv", 5, "duplicate code 320300"),
    ("townships", "townships_unknown_county.csv", 4, "unknown parent 320399"),
    ("industries", "industries_wrong_parent.csv", 4, "parent_code '352' should be 351"),
    ("industries", "industries_duplicate_code.csv", 4, "duplicate code C"),
    ("industries", "industries_wrong_level.csv", 4, "code '35' does not fit level 3"),
    ("parks", "parks_unknown_industry.csv", 4, "unknown industry code(s) 9999"),
    ("parks", "parks_wrong_level.csv", 4, "unknown level 'state'"),
    ("parks", "parks_bad_coordinate.csv", 4, "latitude 'abc' is not a number"),
    (
        "parks",
        "parks_coordinates_not_the_region_point.csv",
        4,
        "coordinates do not match region:320312",
    ),
    ("parks", "parks_unknown_region.csv", 4, "unknown region '320399'"),
]

LOADERS = {
    "regions": reference.load_regions,
    "townships": reference.load_townships,
    "industries": reference.load_industries,
    "parks": reference.load_parks,
}


@pytest.mark.parametrize(("kind", "filename", "line", "reason"), MALFORMED)
def test_a_malformed_file_is_refused_with_file_line_and_reason(
    request, kind, filename, line, reason
):
    if kind in {"townships", "parks"}:
        request.getfixturevalue("loaded")  # their rows point at regions and industries

    with pytest.raises(reference.ReferenceDataError) as refused:
        LOADERS[kind](FIXTURES / filename)

    assert f"{filename}:{line}: {reason}" in str(refused.value)


@pytest.mark.parametrize(("kind", "filename", "line", "reason"), MALFORMED)
def test_a_malformed_file_changes_nothing(loaded, kind, filename, line, reason):
    # given a file whose first rows are valid edits (a renamed 江苏省, 制造业, park) before the bad row
    before = _snapshot()

    with pytest.raises(reference.ReferenceDataError):
        LOADERS[kind](FIXTURES / filename)

    assert _snapshot() == before


def test_the_command_refuses_a_malformed_file_with_a_command_error(loaded):
    before = _snapshot()

    with pytest.raises(
        CommandError, match=r"regions_bad_coordinate\.csv:5: lat '北纬34\.18' is not a number"
    ):
        call_command("load_reference_data", regions=FIXTURES / "regions_bad_coordinate.csv")

    assert _snapshot() == before


def test_a_missing_file_is_refused():
    with pytest.raises(reference.ReferenceDataError, match="file not found"):
        reference.load_regions(FIXTURES / "no_such_file.csv")


def test_parks_cannot_load_before_their_regions():
    with pytest.raises(reference.ReferenceDataError, match="unknown region"):
        reference.load_parks()

    assert not Park.objects.exists()
