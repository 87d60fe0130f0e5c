"""Chain templates from CSV files (`chains/data/*.csv`), loaded all or nothing.

A file starts with `# SOURCE:` lines and one `# chain: slug|名称|说明` line, then the header
`name,parent,position,codes,keywords,note` and one row per link. A file is refused, with its
file, line and reason, when a code is not a GB/T 4754-2017 中类 or 小类, a link's parent is
not in the file, the parents form a cycle, a name is used twice, or a field is malformed.
Loading is idempotent: chains by slug, links by (chain, name); a link no longer in its file
is removed."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from yuanqu.chains.models import Chain, ChainLink, split_list
from yuanqu.core import reference

DATA_DIR = Path(__file__).resolve().parent / "data"
HEADER = ["name", "parent", "position", "codes", "keywords", "note"]
POSITIONS = {str(label): value for value, label in ChainLink.Position.choices}
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass
class LinkRow:
    line: int
    name: str
    parent: str
    position: str
    codes: list[str]
    keywords: list[str]
    note: str


@dataclass
class Template:
    path: Path
    slug: str = ""
    name: str = ""
    description: str = ""
    sources: list[str] = field(default_factory=list)
    links: list[LinkRow] = field(default_factory=list)


@dataclass
class LoadReport:
    chains_created: int = 0
    chains_updated: int = 0
    links_created: int = 0
    links_updated: int = 0
    links_unchanged: int = 0
    links_removed: int = 0

    def summary(self) -> str:
        return (
            f"chains: {self.chains_created} created, {self.chains_updated} updated; "
            f"links: {self.links_created} created, {self.links_updated} updated, "
            f"{self.links_unchanged} unchanged, {self.links_removed} removed"
        )


def industry_codes(path: Path = reference.DEFAULT_INDUSTRIES_PATH) -> frozenset[str]:
    """The 中类 and 小类 codes of GB/T 4754-2017 (the repository's copy of the standard)."""
    text = path.read_text(encoding="utf-8-sig")
    rows = csv.DictReader(line for line in io.StringIO(text) if not line.startswith("#"))
    return frozenset(row["code"] for row in rows if row["level"] in ("3", "4"))


def read_template(path: Path, *, codes: frozenset[str]) -> tuple[Template, list[str]]:
    """The template in a file and every problem found in it (`file:line: reason`)."""
    where = reference.display_path(path)
    template = Template(path=path)
    problems: list[str] = []
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        return template, [f"{where}:0: cannot be read ({error})"]
    body_start = 0
    for number, text in enumerate(lines, start=1):
        if not text.startswith("#"):
            body_start = number - 1
            break
        comment = text[1:].strip()
        if comment.startswith("SOURCE:"):
            template.sources.append(comment.removeprefix("SOURCE:").strip())
        elif comment.startswith("chain:"):
            parts = [part.strip() for part in comment.removeprefix("chain:").split("|")]
            if len(parts) != 3 or not _SLUG.fullmatch(parts[0]) or not parts[1]:
                problems.append(
                    f"{where}:{number}: the chain line must be “# chain: slug|名称|说明”"
                )
            else:
                template.slug, template.name, template.description = parts
    if not template.slug and not problems:
        problems.append(f"{where}:1: no “# chain: slug|名称|说明” line")
    if not template.sources:
        problems.append(f"{where}:1: no “# SOURCE:” line naming where the links come from")
    rows = list(csv.reader(lines[body_start:]))
    if not rows or rows[0] != HEADER:
        problems.append(f"{where}:{body_start + 1}: the header must be {','.join(HEADER)}")
        return template, problems
    seen: dict[str, int] = {}
    for offset, values in enumerate(rows[1:], start=body_start + 2):
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(HEADER):
            problems.append(f"{where}:{offset}: {len(values)} fields, expected {len(HEADER)}")
            continue
        name, parent, position, raw_codes, raw_keywords, note = (v.strip() for v in values)
        link = LinkRow(offset, name, parent, POSITIONS.get(position, ""), split_list(raw_codes),
                       split_list(raw_keywords), note)  # fmt: skip
        if not name or len(name) > 40:
            problems.append(f"{where}:{offset}: a link name of 1–40 characters is required")
            continue
        if name in seen:
            problems.append(f"{where}:{offset}: duplicate link name “{name}” (line {seen[name]})")
            continue
        seen[name] = offset
        if not link.position:
            problems.append(
                f"{where}:{offset}: position “{position}” is not one of {'、'.join(POSITIONS)}"
            )
        for code in link.codes:
            if code not in codes:
                problems.append(
                    f"{where}:{offset}: code {code} is not a GB/T 4754-2017 中类 or 小类"
                )
        if len(";".join(link.codes)) > 200 or len(";".join(link.keywords)) > 300 or len(note) > 200:
            problems.append(f"{where}:{offset}: codes, keywords or note too long")
        template.links.append(link)
    problems.extend(_tree_problems(where, template.links))
    return template, problems


def _tree_problems(where: str, links: list[LinkRow]) -> list[str]:
    by_name = {link.name: link for link in links}
    problems = []
    for link in links:
        if link.parent and link.parent not in by_name:
            problems.append(
                f"{where}:{link.line}: parent “{link.parent}” is not a link of this file"
            )
    for link in links:
        seen = {link.name}
        current = link
        while current.parent and current.parent in by_name:
            if current.parent in seen:
                problems.append(f"{where}:{link.line}: “{link.name}” is its own ancestor (a cycle)")
                break
            seen.add(current.parent)
            current = by_name[current.parent]
    return problems


class TemplateRefused(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def template_paths(directory: Path = DATA_DIR) -> list[Path]:
    return sorted(directory.glob("*.csv"))


def load_templates(paths: list[Path] | None = None) -> LoadReport:
    """Read every file first; any problem in any file → TemplateRefused and nothing written."""
    codes = industry_codes()
    templates, problems = [], []
    for path in paths if paths is not None else template_paths():
        template, found = read_template(path, codes=codes)
        templates.append(template)
        problems.extend(found)
    slugs = [template.slug for template in templates]
    for template in templates:
        if slugs.count(template.slug) > 1:
            problems.append(
                f"{reference.display_path(template.path)}:1: slug {template.slug} used twice"
            )
    if problems:
        raise TemplateRefused(problems)
    report = LoadReport()
    with transaction.atomic():
        for order, template in enumerate(templates, start=1):
            _store(template, order, report)
    return report


def _store(template: Template, order: int, report: LoadReport) -> None:
    chain, created = Chain.objects.update_or_create(
        slug=template.slug,
        defaults={
            "name": template.name,
            "description": template.description[:200],
            "sources": "\n".join(template.sources),
            "sort_order": order,
        },
    )
    report.chains_created += created
    report.chains_updated += not created
    existing = {link.name: link for link in chain.links.all()}
    stored: dict[str, ChainLink] = {}
    for order_in_chain, row in enumerate(template.links, start=1):
        values = {
            "position": row.position,
            "codes": ";".join(row.codes),
            "keywords": ";".join(row.keywords),
            "note": row.note,
            "sort_order": order_in_chain,
        }
        link = existing.pop(row.name, None)
        if link is None:
            link = ChainLink.objects.create(chain=chain, name=row.name, **values)
            report.links_created += 1
        elif any(getattr(link, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(link, key, value)
            link.save()
            report.links_updated += 1
        else:
            report.links_unchanged += 1
        stored[row.name] = link
    for row in template.links:
        link = stored[row.name]
        parent_id = stored[row.parent].pk if row.parent else None
        if link.parent_id != parent_id:
            link.parent_id = parent_id
            link.save(update_fields=["parent"])
    for gone in existing.values():
        gone.delete()
        report.links_removed += 1
