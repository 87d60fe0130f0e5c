"""Policy themes: the subjects of the portal that are not industries (招商引资, 营商环境, 人才与就业,
土地与厂房 …) and the words by which a news text shows it is about one of them.

They play for related articles the part the industrial-chain links play for industries
(`related.LinkVocabulary`): a theme is a "chain" keyed `theme:<slug>`, each of its sub-topics a
link. The table is `data/themes.csv`, written from the public documents in its SOURCE lines:

    # SOURCE: …
    # theme: slug|名称|说明
    theme,name,keywords,note
    talent,人才引进,安家补贴;购房补贴;…,…
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from yuanqu.chains.models import split_list

THEMES_PATH = Path(__file__).resolve().parent / "data" / "themes.csv"
HEADER = ["theme", "name", "keywords", "note"]
KEY_PREFIX = "theme:"
_SLUG = re.compile(r"[a-z][a-z0-9-]{1,40}")


@dataclass(frozen=True)
class Topic:
    theme: str
    name: str
    keywords: tuple[str, ...]


@dataclass
class ThemeTable:
    sources: list[str] = field(default_factory=list)
    themes: dict[str, str] = field(default_factory=dict)  # slug → name
    topics: list[Topic] = field(default_factory=list)


def read_themes(path: Path = THEMES_PATH) -> tuple[ThemeTable, list[str]]:
    """The table in a file and every problem found in it (`line: reason`)."""
    table = ThemeTable()
    problems: list[str] = []
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    body = 0
    while body < len(lines) and lines[body].startswith("#"):
        comment = lines[body][1:].strip()
        if comment.startswith("SOURCE:"):
            table.sources.append(comment.removeprefix("SOURCE:").strip())
        elif comment.startswith("theme:"):
            parts = [part.strip() for part in comment.removeprefix("theme:").split("|")]
            if len(parts) != 3 or not _SLUG.fullmatch(parts[0]) or not parts[1]:
                problems.append(f"{body + 1}: the theme line must be “# theme: slug|名称|说明”")
            else:
                table.themes[parts[0]] = parts[1]
        body += 1
    if not table.sources:
        problems.append("1: no “# SOURCE:” line naming where the words come from")
    rows = list(csv.reader(lines[body:]))
    if not rows or rows[0] != HEADER:
        return table, [*problems, f"{body + 1}: the header must be {','.join(HEADER)}"]
    owner: dict[str, str] = {}
    for number, values in enumerate(rows[1:], start=body + 2):
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(HEADER):
            problems.append(f"{number}: {len(values)} fields, expected {len(HEADER)}")
            continue
        theme, name, raw_keywords, _note = (value.strip() for value in values)
        if theme not in table.themes:
            problems.append(f"{number}: theme “{theme}” has no “# theme:” line")
        keywords = tuple(split_list(raw_keywords))
        if not name or not keywords:
            problems.append(f"{number}: a sub-topic needs a name and keywords")
        for keyword in keywords:
            if keyword in owner:
                problems.append(f"{number}: keyword “{keyword}” is also in “{owner[keyword]}”")
            owner[keyword] = name
        table.topics.append(Topic(theme, name, keywords))
    return table, problems


@lru_cache(maxsize=1)
def theme_links() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(`theme:<slug>`, sub-topic, keywords) for every row of the repository's table."""
    table, problems = read_themes()
    if problems:
        raise ValueError(f"{THEMES_PATH}: " + "; ".join(problems))
    return tuple((KEY_PREFIX + topic.theme, topic.name, topic.keywords) for topic in table.topics)
