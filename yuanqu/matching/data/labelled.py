"""The labelled messages and how the parser is scored on them (shared by the bench and a test).

Each line of `labelled_messages.jsonl` is {"id", "as", "text", "expected", "split"}; `expected`
holds only what the text states, every other field must come out empty. The park ids refer to
`labelled_parks.csv`; regions are the reference GB/T 2260 table in `yuanqu/core/data/`.
`split` is "dev" or "heldout" (the first round of rules) or "dev2" or "heldout2" (real-style
classifieds of issue 15) or "heldout3" (written by an author who saw neither the rules nor the
other messages); a held-out split was written before its round's rules and is not used to tune
them (see docs/bench/parser.md).
Relative dates ("年底前") are read as if the message arrived on `REFERENCE_DATE`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from yuanqu.matching.parsing import As, ParkRow, ParsedText, RegionRow, Resolver

DATA_DIR = Path(__file__).resolve().parent
MESSAGES_FILE = DATA_DIR / "labelled_messages.jsonl"
PARKS_FILE = DATA_DIR / "labelled_parks.csv"
REGIONS_FILE = DATA_DIR.parent.parent / "core" / "data" / "admin_divisions_jiangsu.csv"
REFERENCE_DATE = date(2026, 9, 1)
HOME_REGION_CODE = "320300"

FIELDS = tuple(ParsedText.__dataclass_fields__)
LIST_FIELDS = ("places", "region_codes", "park_ids", "industry_codes")
RELATIVE_TOLERANCE = 0.005  # numbers within 0.5 % count as equal (rounding of 亩 → ㎡)


@dataclass(frozen=True)
class LabelledMessage:
    id: str
    as_: As
    text: str
    expected: dict[str, Any]
    split: str


def load_messages(split: str | None = None) -> list[LabelledMessage]:
    messages = []
    with MESSAGES_FILE.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            if split is None or row["split"] == split:
                messages.append(
                    LabelledMessage(
                        row["id"], cast(As, row["as"]), row["text"], row["expected"], row["split"]
                    )
                )
    return messages


def _rows(path: Path) -> Iterable[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        yield from csv.DictReader(line for line in handle if not line.startswith("#"))


@lru_cache(maxsize=1)
def labelled_resolver() -> Resolver:
    """The places the labels were written against: Jiangsu's divisions and the fixed parks."""
    regions = [
        RegionRow(code=row["code"], name=row["name"], level=row["level"])
        for row in _rows(REGIONS_FILE)
        if row["is_dev_zone_stat_code"] == "0"
    ]
    parks = [
        ParkRow(
            id=int(row["id"]),
            name=row["name"],
            short_name=row["short_name"],
            region_code=row["region_code"],
        )
        for row in _rows(PARKS_FILE)
    ]
    return Resolver.build(regions=regions, parks=parks, home_region_code=HOME_REGION_CODE)


@dataclass
class FieldScore:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        said = self.true_positive + self.false_positive
        return self.true_positive / said if said else 1.0

    @property
    def recall(self) -> float:
        stated = self.true_positive + self.false_negative
        return self.true_positive / stated if stated else 1.0


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == ()


def _same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, list):
        return isinstance(actual, list) and [str(v) for v in expected] == [str(v) for v in actual]
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return abs(expected - actual) <= RELATIVE_TOLERANCE * max(abs(expected), 1e-9)
    return expected == actual


def score(
    messages: Iterable[LabelledMessage], parsed: dict[str, dict[str, Any]]
) -> dict[str, FieldScore]:
    """Field-level counts: a stated field read right is a true positive; read wrong it is both a
    false positive and a false negative; a field filled in that the text does not state is a
    false positive; a stated field left empty is a false negative. List fields compare whole."""
    scores = {name: FieldScore() for name in FIELDS}
    for message in messages:
        actual = parsed[message.id]
        for name in FIELDS:
            expected = message.expected.get(name)
            got = actual.get(name)
            entry = scores[name]
            if _empty(expected) and _empty(got):
                continue
            if _empty(expected):
                entry.false_positive += 1
                entry.misses.append(f"{message.id}: expected nothing, got {got!r}")
            elif _empty(got):
                entry.false_negative += 1
                entry.misses.append(f"{message.id}: expected {expected!r}, got nothing")
            elif _same(expected, got):
                entry.true_positive += 1
            else:
                entry.false_positive += 1
                entry.false_negative += 1
                entry.misses.append(f"{message.id}: expected {expected!r}, got {got!r}")
    return scores


def overall(scores: dict[str, FieldScore]) -> FieldScore:
    total = FieldScore()
    for entry in scores.values():
        total.true_positive += entry.true_positive
        total.false_positive += entry.false_positive
        total.false_negative += entry.false_negative
    return total
