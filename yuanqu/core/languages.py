"""The public site's languages: which URL shows the current page in each, for the language
switch and the hreflang alternates (Chinese at /, English under /en/; config/urls.py)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import translate_url
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


def language_versions(path: str) -> list[LanguageVersion]:
    """The page at `path` in every language; empty where the page has one language only
    (the staff side, the API, the admin, and pages such as an article preview)."""
    current = get_language() or settings.LANGUAGE_CODE
    versions = [
        LanguageVersion(
            code=code,
            name=ENDONYMS.get(code, code),
            hreflang=HREFLANG.get(code, code),
            path=translate_url(path, code),
            current=code == current,
        )
        for code, _name in settings.LANGUAGES
    ]
    if len({version.path for version in versions}) < len(versions):
        return []
    return versions
