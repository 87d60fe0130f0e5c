"""The match reasons in the page's language: lines built through gettext when shown, and
stored snapshots that carry every language's lines (Chinese stays as it was)."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from yuanqu.matching import scoring
from yuanqu.matching.models import LeadCarrierFlag
from yuanqu.matching.scoring import (
    CarrierFacts,
    MatchConfig,
    NeedSpec,
    ParkFacts,
    criterion_freshness,
    rank,
    score_carrier,
)
from yuanqu.matching.selectors import lead_results_context
from yuanqu.matching.services import lead_match_store, lead_summary, leads_flag_for_carrier
from yuanqu.matching.tests.factories import make_carrier, make_lead
from yuanqu.parks.tests.factories import make_park

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
CONFIG = MatchConfig(now=NOW)
PARK = ParkFacts(id=1, name="经开区", region_code="320371", latitude=34.2, longitude=117.2)
NEED = NeedSpec(kind="factory", deal="rent", area_min_m2=1000.0, area_max_m2=1500.0)
CARRIER = CarrierFacts(
    id=1,
    title="厂房1",
    kind="factory",
    deal="rent",
    park_id=1,
    area_m2=1200.0,
    price_value=20.0,
    price_unit="yuan_m2_month",
    confirmed_at=NOW - timedelta(days=3),
)

AREA_OK_ZH = "面积 1,200㎡,在您需要的 1,000–1,500㎡ 内 ✓"
AREA_OK_EN = "Area 1,200㎡, within what you need (1,000–1,500㎡) ✓"

# A small English catalogue for the tests: the real one may not have these lines yet.
ENGLISH = {
    "面积 %(area)s,在您需要的 %(wanted)s 内": "Area %(area)s, within what you need (%(wanted)s)",
    "层高 %(offered)sm < 需要 %(needed)sm": "Clear height %(offered)s m < %(needed)s m needed",
    "%(low)s㎡ 以上": "%(low)s㎡ or more",
    "match criterion\x04面积": "Area",
    "%(days)d 天前确认\x00%(days)d 天前确认": "Confirmed %(days)d day ago\x00Confirmed %(days)d days ago",
}


def write_mo(path: Path, messages: dict[str, str]) -> None:
    """A GNU .mo file of `messages` (plural msgids and msgstrs joined by NUL, contexts by
    EOT, as gettext stores them), with an English header."""
    header = "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n != 1);\n"
    entries = sorted({"": header, **messages}.items())
    ids = [key.encode() for key, _text in entries]
    strs = [text.encode() for _key, text in entries]
    count = len(entries)
    ids_start = 7 * 4 + 16 * count
    strs_start = ids_start + sum(len(item) + 1 for item in ids)
    table = b""
    offset = ids_start
    for item in ids:
        table += struct.pack("<2I", len(item), offset)
        offset += len(item) + 1
    offset = strs_start
    for item in strs:
        table += struct.pack("<2I", len(item), offset)
        offset += len(item) + 1
    body = b"".join(item + b"\0" for item in ids) + b"".join(item + b"\0" for item in strs)
    head = struct.pack("<7I", 0x950412DE, 0, count, 28, 28 + 8 * count, 0, 28 + 16 * count)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(head + table + body)


@pytest.fixture
def english(tmp_path: Path) -> Iterator[None]:
    """The test English catalogue in place of the project's (translations reloaded)."""
    write_mo(tmp_path / "en" / "LC_MESSAGES" / "django.mo", ENGLISH)
    with override_settings(LOCALE_PATHS=[str(tmp_path)]):
        yield


def area_line() -> str:
    return score_carrier(NEED, CARRIER, PARK, CONFIG).criteria[0].text()


# ---------------------------------------------------------------------------------------
# Lines built through gettext, in the language active when shown


def test_a_line_in_chinese_is_todays_text():
    with translation.override("zh-hans"):
        assert area_line() == AREA_OK_ZH


def test_a_line_in_english_is_the_catalogues_message_with_its_values():
    with translation.override("en"):
        expected = gettext("面积 %(area)s,在您需要的 %(wanted)s 内") % {
            "area": "1,200㎡",
            "wanted": "1,000–1,500㎡",
        }
        assert area_line() == f"{expected} ✓"


def test_a_line_with_an_english_translation_is_english(english):
    with translation.override("en"):
        assert area_line() == AREA_OK_EN


def test_a_line_is_built_in_the_language_active_when_shown_not_when_scored(english):
    with translation.override("zh-hans"):
        match = score_carrier(NEED, CARRIER, PARK, CONFIG)
    with translation.override("en"):
        assert match.criteria[0].text() == AREA_OK_EN


def test_a_count_of_days_takes_the_english_plural(english):
    one = criterion_freshness(replace_confirmed(days=1), CONFIG)
    three = criterion_freshness(replace_confirmed(days=3), CONFIG)
    with translation.override("en"):
        assert (one.explain(), three.explain()) == ("Confirmed 1 day ago", "Confirmed 3 days ago")
    with translation.override("zh-hans"):
        assert (one.explain(), three.explain()) == ("1 天前确认", "3 天前确认")


def test_a_criterions_name_is_translated_in_its_context(english):
    criterion = score_carrier(NEED, CARRIER, PARK, CONFIG).criteria[0]
    with translation.override("en"):
        assert criterion.reason()["label"] == "Area"
    with translation.override("zh-hans"):
        assert criterion.reason()["label"] == "面积"


def test_ranking_builds_no_line_until_one_is_shown(monkeypatch):
    def no_translation():
        raise AssertionError("a line was built")

    monkeypatch.setattr(scoring, "_translation", no_translation)
    need = NeedSpec(kind="factory", deal="rent", area_min_m2=1000.0, height_m=8.0, crane_t=5.0)
    result = rank(need, [CARRIER, replace_confirmed(days=40)], [PARK], CONFIG)
    assert len(result.carriers) + len(result.near_misses) == 2
    with pytest.raises(AssertionError, match="a line was built"):
        result.as_dict()


def replace_confirmed(*, days: int) -> CarrierFacts:
    return CarrierFacts(
        id=2, title="厂房2", kind="factory", deal="rent", park_id=1, area_m2=1200.0,
        confirmed_at=NOW - timedelta(days=days),
    )  # fmt: skip


# ---------------------------------------------------------------------------------------
# Stored snapshots: Chinese as before, every other language alongside


@pytest.mark.django_db
def test_a_snapshot_stored_from_the_english_site_keeps_chinese_and_holds_english(english):
    make_carrier(park=make_park())
    lead = make_lead()

    with translation.override("en"):  # as when the form was posted under /en/
        snapshot = lead_match_store(lead=lead)

    area = snapshot["carriers"][0]["reasons"][0]
    assert snapshot["version"] == 2
    assert (area["label"], area["text"]) == ("面积", AREA_OK_ZH)
    assert area["texts"] == {"en": AREA_OK_EN}


@pytest.mark.django_db
def test_the_results_page_shows_the_stored_reasons_in_the_pages_language(client, english):
    make_carrier(park=make_park())
    lead = make_lead()
    lead_match_store(lead=lead)
    with translation.override("en"):
        english_url = reverse("leads:results", args=[lead.access_token])
    chinese_url = reverse("leads:results", args=[lead.access_token])
    assert english_url.startswith("/en/") and not chinese_url.startswith("/en/")

    english_page = client.get(english_url).content.decode()
    chinese_page = client.get(chinese_url).content.decode()

    assert AREA_OK_EN in english_page and AREA_OK_ZH not in english_page
    assert AREA_OK_ZH in chinese_page and AREA_OK_EN not in chinese_page


@pytest.mark.django_db
def test_a_snapshot_stored_before_reasons_had_languages_shows_its_chinese_on_the_english_page(
    client, english
):
    park = make_park()
    carrier = make_carrier(park=park)
    lead = make_lead()
    lead.match_snapshot = {
        "version": 1, "matched_at": "2026-11-25T10:00:00+00:00", "candidate_count": 1,
        "carriers": [{
            "carrier_id": carrier.pk, "title": carrier.title, "park_id": park.pk,
            "park_name": park.name, "score": 98.3, "blocking": None,
            "reasons": [{"criterion": "area", "label": "面积", "state": "ok", "mark": "✓",
                         "text": AREA_OK_ZH}],
        }],
        "near_misses": [], "parks": [],
    }  # fmt: skip
    lead.save(update_fields=["match_snapshot"])
    with translation.override("en"):
        url = reverse("leads:results", args=[lead.access_token])

    response = client.get(url)

    assert response.status_code == 200
    assert AREA_OK_ZH in response.content.decode()


@pytest.mark.django_db
def test_the_results_context_in_chinese_has_chinese_lines_and_no_other_languages(english):
    make_carrier(park=make_park(), height_m=Decimal("6"))
    lead = make_lead(height_m=Decimal("8"))
    lead_match_store(lead=lead)
    lead.refresh_from_db()

    with translation.override("zh-hans"):  # the API's language, and the staff side's
        context = lead_results_context(lead)

    blocking = context["near_misses"][0]["blocking"]
    reasons = [reason for item in context["near_misses"] for reason in item["reasons"]]
    assert blocking["text"] == "层高 6m < 需要 8m ✗"
    assert all("texts" not in reason for reason in [blocking, *reasons])


@pytest.mark.django_db
def test_the_results_context_in_english_gives_the_blocking_reason_in_english(english):
    make_carrier(park=make_park(), height_m=Decimal("6"))
    lead = make_lead(height_m=Decimal("8"))
    lead_match_store(lead=lead)
    lead.refresh_from_db()

    with translation.override("en"):
        blocking = lead_results_context(lead)["near_misses"][0]["blocking"]

    assert blocking["text"] == "Clear height 6 m < 8 m needed ✗"


@pytest.mark.django_db
def test_a_new_carriers_flag_keeps_its_reasons_in_chinese_for_staff(english):
    lead = make_lead()
    carrier = make_carrier(park=make_park())

    with translation.override("en"):
        leads_flag_for_carrier(carrier_id=carrier.pk)

    flag = LeadCarrierFlag.objects.get(lead=lead, carrier=carrier)
    assert flag.reasons[0]["text"] == AREA_OK_ZH


@pytest.mark.django_db
def test_the_staff_summary_of_a_lead_is_chinese_whatever_the_language(english):
    lead = make_lead(area_min_m2=Decimal("1000"), area_max_m2=None)

    with translation.override("en"):
        summary = lead_summary(lead)

    assert "1,000㎡ 以上" in summary
