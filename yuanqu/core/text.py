"""Chinese text: folding, segmentation and the domain dictionary.

Two modes over one dictionary:
- index mode (`segment_for_index`) adds search-style sub-words (开发区 inside 技术开发区),
  which is what an inverted index wants;
- query mode (`segment_for_query`) cuts precisely, so a query term means one thing.
Text is folded first (traditional → simplified, full-width → half-width, lower case), so
繁/简 and 全角/半角 variants meet in the same tokens.

The segmenter (rjieba; see README for the measurement against jieba) and the domain
dictionary load lazily on first use, never at import, so management commands and the web
process only pay for them when they cut text.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

DOMAIN_WORDS_FILE = Path(__file__).resolve().parent / "data" / "domain_words.txt"

# Terms of the trade that the stock dictionary splits (专精特新 → 专精/特新).
BUILTIN_DOMAIN_WORDS = (
    "专精特新", "小巨人", "双过半", "拿地即开工", "先租后买", "独门独院", "可环评", "高新技术企业",
    "四上企业", "规上企业", "亩均税收", "投资强度", "时序进度", "超时序进度", "标准厂房", "高标准厂房",
    "经开区", "高新区", "工业园区", "开发区", "招商引资", "行车", "层高", "承重", "配电", "环评",
    "工程机械", "集成电路", "光刻胶", "锂电池", "光伏组件", "新能源", "生物医药", "安全应急",
)

_TOKEN_RE = re.compile(r"\w", re.UNICODE)
_lock = threading.Lock()
_segmenter = None
_extra_words: list[str] = []


def fold(text: str) -> str:
    """Normalise for matching: NFKC (full-width → half-width), traditional → simplified, lower."""
    text = unicodedata.normalize("NFKC", text)
    return _to_simplified(text).lower()


@lru_cache(maxsize=1)
def _converter():
    from opencc_purepy import OpenCC

    return OpenCC("t2s")


def _to_simplified(text: str) -> str:
    if not text or text.isascii():
        return text
    return _converter().convert(text)


def register_domain_words(words: Iterable[str]) -> None:
    """Add words (park names, industry names …) to the dictionary, now or at first load."""
    cleaned = [word.strip() for word in words if word and len(word.strip()) > 1]
    with _lock:
        _extra_words.extend(cleaned)
        if _segmenter is not None:
            for word in cleaned:
                _segmenter.add_word(fold(word), None, None)


def _load_segmenter():
    global _segmenter
    if _segmenter is not None:
        return _segmenter
    with _lock:
        if _segmenter is None:
            import rjieba

            segmenter = rjieba.Jieba()
            for word in _dictionary_words():
                segmenter.add_word(fold(word), None, None)
            _segmenter = segmenter
    return _segmenter


def _dictionary_words() -> list[str]:
    words = list(BUILTIN_DOMAIN_WORDS)
    if DOMAIN_WORDS_FILE.exists():
        for line in DOMAIN_WORDS_FILE.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                words.append(line.split()[0])
    words.extend(_extra_words)
    return words


def _keep(token: str) -> bool:
    return bool(token.strip()) and bool(_TOKEN_RE.search(token))


def segment_for_index(text: str) -> list[str]:
    """Tokens for an index: folded, with search-style sub-words, punctuation dropped."""
    if not text:
        return []
    return [token for token in _load_segmenter().cut_for_search(fold(text)) if _keep(token)]


def segment_for_query(text: str) -> list[str]:
    """Tokens for a query: folded and cut precisely, punctuation dropped."""
    if not text:
        return []
    return [token for token in _load_segmenter().cut(fold(text)) if _keep(token)]
