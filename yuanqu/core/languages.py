"""The public site's languages: which URL shows the current page in each, for the language
switch and the hreflang alternates (Chinese at /, English under /en/; config/urls.py)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern
from django.utils.translation import get_language

# BCP 47 tags for hreflang, and the page's <html lang>.
HREFLANG = {"zh-hans": "zh-Hans", "en": "en"}
HTML_LANG = {"zh-hans": "zh-CN", "en": "en"}
ENDONYMS = {"zh-hans": "中文", "en": "English"}


@dataclass(frozen=True)
class LanguageVersion:
    code: str
    name: str  # in its own language, as a switch shows it
    hreflang: str
    path: str
    current: bool


def html_lang() -> str:
    return HTML_LANG.get(get_language() or settings.LANGUAGE_CODE, "zh-CN")


@lru_cache(maxsize=4)
def bilingual_namespaces(urlconf: str | None = None) -> frozenset[str]:
    """The URL namespaces inside i18n_patterns (news, parks, listings, leads)."""
    namespaces: set[str] = set()
    for entry in get_resolver(urlconf).url_patterns:
        if isinstance(entry, URLResolver) and isinstance(entry.pattern, LocalePrefixPattern):
            namespaces.update(
                item.namespace
                for item in entry.url_patterns
                if isinstance(item, URLResolver) and item.namespace
            )
    return frozenset(namespaces)


def language_versions(path: str, namespace: str) -> list[LanguageVersion]:
    """The page at `path` (resolved in `namespace`) in every language; empty where the page
    has one language only (the staff side, the API, the admin). The default language has no
    prefix, each other one its code: the path is rewritten, not resolved again, because this
    runs on every public page."""
    if namespace not in bilingual_namespaces():
        return []
    current = get_language() or settings.LANGUAGE_CODE
    unprefixed = path
    if current != settings.LANGUAGE_CODE and path.startswith(f"/{current}/"):
        unprefixed = path[len(current) + 1 :]
    return [
        LanguageVersion(
            code=code,
            name=ENDONYMS.get(code, code),
            hreflang=HREFLANG.get(code, code),
            path=unprefixed if code == settings.LANGUAGE_CODE else f"/{code}{unprefixed}",
            current=code == current,
        )
        for code, _name in settings.LANGUAGES
    ]
