"""GB/T 4754 search by code, official name and common trade words (挖掘机 → 3514).

The trade words live in `data/industry_synonyms.csv` (word, code, note), curated by hand: one
word may point at several classes (新材料), and then the picker offers all of them while the
free-text parser, which must pick one, ignores the word.
"""

from __future__ import annotations

from django.db.models import Q

from yuanqu.core.models import Industry
from yuanqu.core.text import fold
from yuanqu.matching.parsing import synonym_rows

SearchHit = tuple[str, str, str]  # (code, name, matched_by)


def synonyms() -> list[tuple[str, str, str]]:
    """(word, code, note) rows of the curated table."""
    return list(synonym_rows())


def industry_search(query: str, limit: int = 20) -> list[SearchHit]:
    """Industries for a picker: [(code, name, matched_by)], best first.

    `matched_by` is "code", "name" or "synonym:<word>". Order: the exact code, then codes that
    start with the query, trade words equal to the query, trade words inside the query
    ("挖掘机配件厂" finds 挖掘机) or starting with it, then names containing it. Two queries at most.
    """
    text = fold(query or "").strip()
    if not text or limit <= 0:
        return []
    wanted: list[tuple[str, str]] = []  # (code, matched_by) in rank order

    if text.isascii() and text.replace(" ", "").isalnum():
        code = text.upper() if text.isalpha() else text
        if len(code) <= 4:
            wanted.append((code, "code"))
    exact, inside = [], []
    for word, code, _note in synonym_rows():
        folded = fold(word)
        if folded == text:
            exact.append((code, f"synonym:{word}"))
        elif len(text) >= 2 and (folded in text or folded.startswith(text)):
            inside.append((len(folded), code, f"synonym:{word}"))
    wanted.extend(exact)
    wanted.extend((code, matched) for _, code, matched in sorted(inside, key=lambda row: -row[0]))

    codes = {code for code, _ in wanted}
    if text.isdigit():
        prefix_rows = Industry.objects.filter(code__startswith=text).order_by("code")
    else:
        prefix_rows = Industry.objects.none()
    name_rows = Industry.objects.filter(Q(code__in=codes) | Q(name__contains=text))
    found: list[tuple[str, str]] = list(
        (prefix_rows | name_rows)
        .order_by("code")
        .values_list("code", "name")[: limit + len(codes) + 50]
    )
    names = dict(found)
    if text.isdigit():
        wanted[1:1] = [
            (code, "code") for code, _ in found if code.startswith(text) and code != text
        ]
    wanted.extend((code, "name") for code, name in found if text in fold(name))

    hits: list[SearchHit] = []
    seen: set[str] = set()
    for code, matched_by in wanted:
        if code in seen or code not in names:
            continue
        seen.add(code)
        hits.append((code, names[code], matched_by))
        if len(hits) >= limit:
            break
    return hits
