"""Pure parts of chain coverage: which links a firm, project or need belongs to, and how a
link is classified. No database access here.

Placing: an industry code (小类, or its 中类) that a link lists places the item in that link;
only when the code places it nowhere (no code, or one too coarse such as a 大类) does its
text (a firm's name, a project's name and investor, a need's text and use) decide, through
the link's own trade words and the matching's synonym table (挖掘机 → 3514 → 挖掘机械)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from yuanqu.core.text import fold

STRONG = "strong"
WEAK = "weak"
MISSING = "missing"
STATUS_LABELS = {STRONG: _("强链"), WEAK: _("弱链"), MISSING: _("缺链")}


@dataclass(frozen=True)
class LinkSpec:
    id: int
    codes: tuple[str, ...]
    keywords: tuple[str, ...]


class LinkIndex:
    """Finds the links of an item from its industry code and its text.

    The trade words (links' keywords, and synonym-table words whose class a link lists) are
    found in one regex pass over the text; at each position the longest word is reported,
    so each word also carries the links of every word inside it (a text with 液压泵 has 液压)."""

    def __init__(self, links: Iterable[LinkSpec], synonyms: Iterable[tuple[str, str]] = ()):
        self.by_code: dict[str, set[int]] = {}
        word_links: dict[str, set[int]] = {}
        links = list(links)
        for link in links:
            for code in link.codes:
                self.by_code.setdefault(code, set()).add(link.id)
        for link in links:
            for word in link.keywords:
                if len(word) >= 2:
                    word_links.setdefault(fold(word), set()).add(link.id)
        for word, code in synonyms:
            found = self.for_code(code)
            if len(word) >= 2 and found:
                word_links.setdefault(fold(word), set()).update(found)
        self.word_links: dict[str, frozenset[int]] = {
            word: frozenset().union(
                *(word_links.get(word[start:end], ()) for start in range(len(word))
                  for end in range(start + 2, len(word) + 1))
            )
            for word in word_links
        }  # fmt: skip
        words = sorted(self.word_links, key=len, reverse=True)
        self.pattern = (
            re.compile("(?=(" + "|".join(re.escape(word) for word in words) + "))")
            if words
            else None
        )

    def for_code(self, code: str | None) -> set[int]:
        if not code or len(code) < 3:
            return set()
        return self.by_code.get(code, set()) | self.by_code.get(code[:3], set())

    def match(self, code: str | None, *texts: str) -> frozenset[int]:
        found = self.for_code(code)
        if found:
            return frozenset(found)
        text = fold(" ".join(part for part in texts if part))
        if not text or self.pattern is None:
            return frozenset()
        return frozenset().union(*(self.word_links[word] for word in self.pattern.findall(text)))


@dataclass(frozen=True)
class Thresholds:
    """強/弱/缺 rules (settings.CHAIN_THRESHOLDS): a link is 缺链 with fewer than
    `present_min` enterprises and no signed (or later) project; 弱链 when present but with
    fewer than `strong_min_above_scale` 规上 enterprises; else 强链."""

    present_min: int = 1
    strong_min_above_scale: int = 1

    @classmethod
    def from_settings(cls, values: Mapping[str, int] | None) -> Thresholds:
        return cls(**dict(values or {}))


def classify(
    *, enterprises: int, above_scale: int, signed_projects: int, thresholds: Thresholds
) -> str:
    if enterprises < thresholds.present_min and signed_projects == 0:
        return MISSING
    if above_scale < thresholds.strong_min_above_scale:
        return WEAK
    return STRONG


def completeness_pct(statuses: Iterable[str]) -> Decimal | None:
    """The share of a chain's links that are present (强链 or 弱链), in %."""
    statuses = list(statuses)
    if not statuses:
        return None
    present = sum(1 for status in statuses if status != MISSING)
    return (Decimal(present) * 100 / len(statuses)).quantize(Decimal("0.1"), ROUND_HALF_UP)
