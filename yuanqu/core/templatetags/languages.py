from __future__ import annotations

from django import template

from yuanqu.core import languages

register = template.Library()


@register.simple_tag
def html_lang() -> str:
    return languages.html_lang()


@register.simple_tag(takes_context=True)
def language_versions(context) -> list[languages.LanguageVersion]:
    """This page in each language (see core.languages)."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None:  # an error page rendered before resolving, or no request
        return []
    return languages.language_versions(request.get_full_path(), match.namespace)
