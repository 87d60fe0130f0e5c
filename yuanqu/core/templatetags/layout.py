"""The fixed parts of base.html (assets, header, footer), rendered once per process.

They depend only on the language and a few settings, yet cost every page about a dozen
translation and static-URL lookups (issue 4: the article page against the bare reference
view). `{% layout_fragment "includes/site_header.html" %}` renders the include with those
settings only, no request data, and keeps the HTML per language and setting values.
With DEBUG on it renders every time, so template edits show at once.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from yuanqu.core.context_processors import site_name

register = template.Library()

# What the fragments may read; each value is part of the memo key.
FRAGMENT_SETTINGS = ("SITE_NAME", "SITE_URL", "ICP_NUMBER", "PUBLIC_SECURITY_NUMBER", "STATIC_URL")
MAX_FRAGMENTS = 64

_fragments: dict[tuple, SafeString] = {}


@register.simple_tag
def layout_fragment(template_name: str) -> SafeString:
    values = {name: getattr(settings, name, "") for name in FRAGMENT_SETTINGS}
    values["SITE_NAME"] = site_name()
    key = (template_name, get_language(), *values.values())
    html = _fragments.get(key)
    if html is None:
        html = mark_safe(render_to_string(template_name, values))  # noqa: S308 - rendered by a template
        if not settings.DEBUG and len(_fragments) < MAX_FRAGMENTS:
            _fragments[key] = html
    return html
