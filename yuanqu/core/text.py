"""Chinese text: folding, segmentation and the domain dictionary.

Two modes over one dictionary:
- index mode (`segment_for_index`) emits each word plus every dictionary word inside it
  (开发区 and 经济开发区 inside 江苏睢宁经济开发区) and the known abbreviations of names
  (徐州经开区 ↔ 徐州经济技术开发区), which is what an inverted index wants;
- query mode (`segment_for_query`) cuts precisely, so a query term means one thing.
In both modes a number glued to a Latin unit is two tokens (5000㎡ → 5000, m2), and the index
also emits the other spellings of a unit (m2 ↔ 平方米 ↔ 平米, kva ↔ 千伏安).
A query token is found in the index whenever the indexed text contains it as a dictionary word,
even inside a longer one, which jieba's own search mode (2- and 3-character sub-words only) misses.
Text is folded first (traditional → simplified, full-width → half-width, lower case), so
繁/简 and 全角/半角 variants meet in the same tokens.

The domain dictionary (judgement call: built from the repository's files, not from the database)
is the union of
- `data/domain_words.txt`: terms of the trade, maintained by hand (专精特新, 双过半, 拿地即开工 …);
- names read from the reference CSVs in the repository: parks (name, short name, aliases),
  GB/T 4754 industries, counties and Xuzhou's townships;
- words added at run time with `register_domain_words` (the reference loader does this for
  files given on its command line).
Reading the CSVs needs no database, never writes a file at run time (the package may be
read-only in production) and cannot go stale against the data it came from.

The segmenter (rjieba; see docs/bench/segmenter.md for the measurement against jieba), the
dictionary and the 繁→简 tables load lazily on first use, never at import, so management
commands and web processes only pay for them when they cut or fold Chinese text.
"""

from __future__ import annotations

import csv
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
DOMAIN_WORDS_FILE = DATA_DIR / "domain_words.txt"
INDUSTRIES_FILE = DATA_DIR / "gbt4754_2017.csv"
REGIONS_FILE = DATA_DIR / "admin_divisions_jiangsu.csv"
TOWNSHIPS_FILE = DATA_DIR / "admin_divisions_xuzhou_townships.csv"
PARKS_FILE = DATA_DIR.parent.parent / "parks" / "data" / "parks.csv"

# Generic abbreviations: the index also emits the other form, so a query for either finds both.
# Directional on purpose: 经开区 stands for both 经济技术开发区 (national) and 经济开发区
# (provincial), but those two are different things and must not find each other.
GENERIC_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "经开区": ("经济技术开发区", "经济开发区"),
    "高新区": ("高新技术产业开发区",),
    "高企": ("高新技术企业",),
}

# Same meaning, any spelling: the index emits every member of the group for any of them.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("平方米", "平米", "m2"),
    ("千伏安", "kva"),
)

# What NFKC does to the compatibility characters trade text is full of: full-width ASCII,
# the ideographic space and the squared unit signs (㎡ → m2, as NFKC gives).
_COMMON_COMPATIBILITY: dict[int, str] = {
    **{code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)},
    0x3000: " ",
    **{ord(sign): unicodedata.normalize("NFKC", sign) for sign in "㎡㎥㎏㎞㎝㎜㎎㎾㎸㎳"},
}

# OpenCC phrase entries that rewrite ordinary simplified text are skipped: 结束 → 結束 (a data
# slip that produces traditional), 新抱 → 媳妇 (Cantonese), 打坏 → 打坯 (坏 is simplified "bad").
SIMPLIFIED_GUARD = frozenset("结新坏")

_WORD_CHAR = re.compile(r"\w")
_NON_WORD = re.compile(r"[^\w]+")
# A number glued to a Latin unit after folding (5000㎡ → 5000m2, 10kVA → 10kva) is two tokens,
# so a search for 5000 finds it.
_NUMBER_UNIT = re.compile(r"(\d+(?:\.\d+)?)([a-z][a-z0-9]*)")
_lock = threading.Lock()
_segmenter: Any = None
_extra_words: list[str] = []
_synonyms: dict[str, tuple[str, ...]] = {}
# Index terms per cut token; bounded (about 10 MB at the cap) and emptied when words are added.
INDEX_CACHE_SIZE = 50_000
_index_cache: dict[str, tuple[str, ...]] = {}


# ---------------------------------------------------------------------------------------
# Folding


def fold(text: str) -> str:
    """Normalise for matching: NFKC (full-width → half-width), traditional → simplified, lower."""
    # The check runs at GB/s; NFKC itself at about 10 MB/s, so the common compatibility
    # characters (full-width, ㎡) go through a translate table and most text skips NFKC.
    if not unicodedata.is_normalized("NFKC", text):
        text = text.translate(_COMMON_COMPATIBILITY)
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
    return _to_simplified(text).lower()


def _opencc_dictionary(name: str, *, keep_identical: bool = False) -> list[tuple[str, str]]:
    """(traditional, simplified) pairs from one of OpenCC's tables, first candidate only.

    The tables ship with opencc-purepy; they are read as data, without importing its converter
    (which loads every OpenCC table, about 26 MB per process, and runs at about 1 M chars/s).
    """
    from importlib.util import find_spec

    spec = find_spec("opencc_purepy")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("opencc-purepy is not installed: its tables fold traditional Chinese.")
    path = Path(next(iter(spec.submodule_search_locations))) / "dicts" / name
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        source, _, targets = line.partition("\t")
        target = targets.split(" ")[0]
        if source and target and (keep_identical or target != source):
            pairs.append((source, target))
    return pairs


@lru_cache(maxsize=1)
def _t2s_tables() -> tuple[dict[int, str], frozenset[str], re.Pattern[str], dict[str, str]]:
    """OpenCC's t2s: phrases (TSPhrases) take precedence, then characters (TSCharacters)."""
    characters = dict(_opencc_dictionary("TSCharacters.txt"))
    # Identical pairs (乾隆 → 乾隆, 著作 → 著作) matter: they stop the character table.
    phrases = {
        source: target
        for source, target in _opencc_dictionary("TSPhrases.txt", keep_identical=True)
        if not any(a != b and a in SIMPLIFIED_GUARD for a, b in zip(source, target, strict=False))
    }
    # Longest first, so the alternation matches like OpenCC's maximum forward matching.
    pattern = re.compile("|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)))
    table = {ord(source): target for source, target in characters.items() if len(source) == 1}
    # Text with none of these characters is left as it is (一目瞭然 → 一目了然 needs 瞭).
    triggers = set(characters)
    for source, target in phrases.items():
        if len(source) != len(target):
            triggers.update(source)
        else:
            triggers.update(a for a, b in zip(source, target, strict=True) if a != b)
    return table, frozenset(triggers), pattern, phrases


def _to_simplified(text: str) -> str:
    if not text or text.isascii():
        return text
    table, traditional, phrase_pattern, phrases = _t2s_tables()
    if traditional.isdisjoint(text):
        return text  # already simplified: the common case, decided by a C-level set scan
    pieces = []
    position = 0
    for match in phrase_pattern.finditer(text):
        pieces.append(text[position : match.start()].translate(table))
        pieces.append(phrases[match.group()])
        position = match.end()
    pieces.append(text[position:].translate(table))
    return "".join(pieces)


# ---------------------------------------------------------------------------------------
# The domain dictionary


def _csv_rows(path: Path) -> Iterator[dict[str, str]]:
    if not path.exists():
        return
    with path.open(encoding="utf-8-sig", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        yield from csv.DictReader(lines)


def _name_parts(name: str) -> list[str]:
    """ "计算机、通信和其他电子设备制造业" → its punctuation-free parts of two characters or more."""
    return [part for part in _NON_WORD.split(name) if len(part) > 1]


def _trade_terms() -> list[str]:
    if not DOMAIN_WORDS_FILE.exists():
        return []
    words = []
    for line in DOMAIN_WORDS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.append(line.split()[0])
    return words


def park_name_groups() -> list[tuple[str, ...]]:
    """Each park's name, short name and aliases from the repository's parks file."""
    groups = []
    for row in _csv_rows(PARKS_FILE):
        names = [row.get("name", ""), row.get("short_name", "")]
        names += (row.get("aliases") or "").split(";")
        group = tuple(dict.fromkeys(name.strip() for name in names if name and name.strip()))
        if group:
            groups.append(group)
    return groups


def domain_words() -> list[str]:
    """Every word of the domain dictionary, before folding (see the module docstring)."""
    words = _trade_terms()
    words += GENERIC_ABBREVIATIONS
    for synonym_group in SYNONYM_GROUPS:
        words += synonym_group
    for expansions in GENERIC_ABBREVIATIONS.values():
        words += expansions
    for group in park_name_groups():
        words += group
    for row in _csv_rows(INDUSTRIES_FILE):
        words += _name_parts(row.get("name", ""))
    for row in _csv_rows(REGIONS_FILE):
        if row.get("level") in {"province", "prefecture", "county"}:
            words += _name_parts(row.get("name", ""))
    for row in _csv_rows(TOWNSHIPS_FILE):
        words += _name_parts(row.get("name", ""))
    return list(dict.fromkeys(word for word in words if len(word) > 1))


_REGION_SUFFIXES = ("省", "市", "区", "县")


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Folded names of places, as index-mode tokens spell them: every park name, short name and
    alias; the generic zone abbreviations and their full forms (经开区, 经济技术开发区 …); the
    province, city and county names of the reference files with and without their 省/市/区/县
    suffix when two characters or more remain (徐州市 and 徐州, 铜山区 and 铜山); Xuzhou's
    township names in full (their bare stems, such as 运河 or 电厂, are often ordinary words).
    A place says where a story happened, not what it is about (used by news.related)."""
    names: set[str] = set()
    for group in park_name_groups():
        names.update(group)
    for short, expansions in GENERIC_ABBREVIATIONS.items():
        if all(expansion.endswith("开发区") for expansion in expansions):  # not 高企
            names.add(short)
            names.update(expansions)
    for row in _csv_rows(REGIONS_FILE):
        if row.get("level") in {"province", "prefecture", "county"}:
            for part in _name_parts(row.get("name", "")):
                names.add(part)
                for suffix in _REGION_SUFFIXES:
                    if part.endswith(suffix) and len(part) - len(suffix) >= 2:
                        names.add(part[: -len(suffix)])
    for row in _csv_rows(TOWNSHIPS_FILE):
        names.update(_name_parts(row.get("name", "")))
    return frozenset(fold(name) for name in names if len(name) > 1)


def _build_synonyms() -> dict[str, tuple[str, ...]]:
    synonyms: dict[str, set[str]] = {}
    for short, expansions in GENERIC_ABBREVIATIONS.items():
        synonyms.setdefault(fold(short), set()).update(fold(word) for word in expansions)
        for word in expansions:
            synonyms.setdefault(fold(word), set()).add(fold(short))
    for group in (*SYNONYM_GROUPS, *park_name_groups()):
        folded = [fold(name) for name in group]
        for name in folded:
            synonyms.setdefault(name, set()).update(other for other in folded if other != name)
    return {word: tuple(sorted(others)) for word, others in synonyms.items()}


def register_domain_words(words: Iterable[str]) -> None:
    """Add words (park names, industry names …) to the dictionary, now or at first load."""
    cleaned = [word.strip() for word in words if word and len(word.strip()) > 1]
    with _lock:
        _extra_words.extend(cleaned)
        if _segmenter is not None:
            for word in cleaned:
                _segmenter.add_word(fold(word), None, None)
            _index_cache.clear()  # a new word can sit inside tokens already expanded


def is_loaded() -> bool:
    """Whether the segmenter and its dictionary have been loaded in this process."""
    return _segmenter is not None


def _load_segmenter() -> Any:
    global _segmenter, _synonyms
    if _segmenter is not None:
        return _segmenter
    with _lock:
        if _segmenter is None:
            import rjieba

            segmenter = rjieba.Jieba()
            for word in [*domain_words(), *_extra_words]:
                segmenter.add_word(fold(word), None, None)
            _synonyms = _build_synonyms()
            _segmenter = segmenter
    return _segmenter


# ---------------------------------------------------------------------------------------
# Segmentation


def _keep(token: str) -> bool:
    return bool(token.strip()) and bool(_WORD_CHAR.search(token))


def _inner_words(segmenter: Any, token: str) -> Iterator[str]:
    """Dictionary words strictly inside a token, shortest first (开发区 in 经济开发区)."""
    if len(token) < 3 or token.isascii():
        return
    for length in range(2, len(token)):
        for start in range(len(token) - length + 1):
            part = token[start : start + length]
            if segmenter.has_word(part):
                yield part


def _split_number_unit(token: str) -> tuple[str, ...]:
    if token.isascii():
        match = _NUMBER_UNIT.fullmatch(token)
        if match:
            return match.groups()
    return (token,)


def _query_tokens(tokens: Iterable[str]) -> Iterator[str]:
    for token in tokens:
        # isalnum() is the C-level fast path for nearly every token; _keep settles the rest.
        if token.isalnum() or _keep(token):
            yield from _split_number_unit(token)


def _index_terms(segmenter: Any, token: str) -> tuple[str, ...]:
    """What the index stores for one cut token; memoised, since words repeat (Zipf)."""
    terms = _index_cache.get(token)
    if terms is None:
        expanded: list[str] = []
        if _keep(token):
            for word in (*_inner_words(segmenter, token), *_split_number_unit(token)):
                expanded.append(word)
                expanded.extend(_synonyms.get(word, ()))
        terms = tuple(expanded)
        if len(_index_cache) < INDEX_CACHE_SIZE:
            _index_cache[token] = terms
    return terms


def segment_for_index(text: str) -> list[str]:
    """Tokens for an index: folded, each word with the dictionary words inside it and its
    known abbreviations or full forms; punctuation dropped."""
    if not text:
        return []
    segmenter = _load_segmenter()
    tokens: list[str] = []
    for token in segmenter.cut(fold(text)):
        tokens.extend(_index_terms(segmenter, token))
    return tokens


def segment_for_index_by_token(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """The same terms as `segment_for_index`, grouped by the cut token they come from
    ((徐州经开区, (徐州, 经开区, 经济开发区 …))), so a caller can drop a name with its parts."""
    if not text:
        return []
    segmenter = _load_segmenter()
    groups = []
    for token in segmenter.cut(fold(text)):
        terms = _index_terms(segmenter, token)
        if terms:
            groups.append((token, terms))
    return groups


def segment_for_query(text: str) -> list[str]:
    """Tokens for a query: folded and cut precisely, punctuation dropped."""
    if not text:
        return []
    return list(_query_tokens(_load_segmenter().cut(fold(text))))
