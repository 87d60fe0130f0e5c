"""The English names of regions and parks (`data/english_names.csv`), for the English pages.

A region or park the table does not hold keeps its Chinese name there; the Chinese pages always
show the Chinese name, the staff pages too (Chinese only by decision).
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from django.utils import translation

ENGLISH_NAMES_PATH = Path(__file__).resolve().parent / "data" / "english_names.csv"


@lru_cache(maxsize=1)
def english_names() -> dict[tuple[str, str], str]:
    """(kind, key) → English name; kind "region" (key: its code) or "park" (key: its slug)."""
    with ENGLISH_NAMES_PATH.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {(row["kind"], row["key"]): row["name_en"] for row in rows}


def english_name(kind: str, key: str) -> str | None:
    """The English name when the page is in English and the table has one, else None."""
    if not (translation.get_language() or "").startswith("en"):
        return None
    return english_names().get((kind, key))
