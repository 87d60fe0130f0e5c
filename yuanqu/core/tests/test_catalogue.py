"""The English catalogue is complete: every interface string translated, placeholders kept.

`scripts/makemessages.sh` refreshes locale/en/LC_MESSAGES/django.po from the code; a string
added without its English fails here until it is translated.
"""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sd]|\{[a-z_0-9]*\}")
CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Entry:
    msgctxt: str = ""
    msgid: str = ""
    msgid_plural: str = ""
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)


def read_po(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal entry
        if entry.msgid or entry.msgstr:
            entries.append(entry)
        entry = Entry()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            target = None
        elif line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if target is None:
                continue
            name, index = target
            if name == "msgstr":
                entry.msgstr[index] += text
            else:
                setattr(entry, name, getattr(entry, name) + text)
        else:
            keyword, _, value = line.partition(" ")
            text = ast.literal_eval(value)
            if keyword.startswith("msgstr"):
                index = int(keyword[7:-1]) if "[" in keyword else 0
                while len(entry.msgstr) <= index:
                    entry.msgstr.append("")
                entry.msgstr[index] = text
                target = ("msgstr", index)
            else:
                setattr(entry, keyword, text)
                target = (keyword, 0)
    finish()
    return [item for item in entries if item.msgid]  # the header has an empty msgid


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return read_po(CATALOGUE)


def _name(entry: Entry) -> str:
    return f"{entry.msgctxt}|{entry.msgid}" if entry.msgctxt else entry.msgid


def test_the_catalogue_holds_the_interface(entries):
    assert len(entries) > 1000


def test_every_string_is_translated_and_none_is_fuzzy(entries):
    missing = [_name(e) for e in entries if not all(e.msgstr) or not e.msgstr]
    fuzzy = [_name(e) for e in entries if "fuzzy" in e.flags]

    assert (missing, fuzzy) == ([], [])


def test_no_translation_is_left_in_chinese(entries):
    # Chinese kept on purpose is quoted (workbook headers the importer reads, 计/库 marks).
    quoted = re.compile(r"“[^”]*”|\"[^\"]*\"|「[^」]*」|‘[^’]*’")
    left = [_name(e) for e in entries if any(CJK.search(quoted.sub("", t)) for t in e.msgstr)]

    assert left == []


def test_every_translation_keeps_the_placeholders_of_its_string(entries):
    broken = []
    for entry in entries:
        wanted = sorted(PLACEHOLDER.findall(entry.msgid))
        plural = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        for index, text in enumerate(entry.msgstr):
            found = sorted(PLACEHOLDER.findall(text))
            # A singular may say "one" instead of its count; a plural keeps every one.
            expected = plural if index else wanted
            if index == 0 and entry.msgid_plural:
                if not set(found) <= set(expected):
                    broken.append(_name(entry))
            elif found != expected:
                broken.append(_name(entry))
    assert broken == []


def test_every_string_of_the_code_and_templates_is_in_the_catalogue(entries):
    """Extract the strings afresh (as scripts/makemessages.sh does, into a scratch locale
    that is removed afterwards) and compare them with the English catalogue."""
    import shutil
    import subprocess
    import sys

    scratch = CATALOGUE.parents[2] / "zz"
    command = [
        sys.executable, "manage.py", "makemessages", "-l", "zz", "--no-obsolete", "-v0",
        *(f"--ignore={pattern}" for pattern in (
            ".venv/*", "var/*", "bench/*", "audit/*", "tests/*", "*/tests/*", "node_modules/*",
            "docs/*",
        )),
    ]  # fmt: skip
    try:
        subprocess.run(
            command, cwd=settings.BASE_DIR, check=True, env={**os.environ, "YUANQU_TESTING": "1"}
        )
        extracted = {_name(e) for e in read_po(scratch / "LC_MESSAGES" / "django.po")}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    assert sorted(extracted - {_name(e) for e in entries}) == []
