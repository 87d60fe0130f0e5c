from __future__ import annotations

from django import template

from yuanqu.core import languages

register = template.Library()


@register.simple_tag
def html_lang() -> str:
    return languages.html_lang()


@register.simple_tag(takes_context=True)
def language_versions(context) -> list[languages.LanguageVersion]:
    """This page in each language (see core.languages); a page may set `single_language`."""
    request = context.get("request")
    if request is None or context.get("single_language"):
        return []
    return languages.language_versions(request.get_full_path())
