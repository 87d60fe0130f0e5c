"""Public park pages: the list and /parks/<pinyin-slug>/."""

from __future__ import annotations

import json

import nh3
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from yuanqu.listings.selectors import map_point, map_settings
from yuanqu.parks import selectors
from yuanqu.parks.models import Park

POLICY_TAGS = {
    "p",
    "br",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "b",
    "i",
    "h3",
    "h4",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "blockquote",
}


def sanitised_policies(html: str) -> str:
    """Policies are stored sanitised; clean again on the way out so no stored HTML is trusted."""
    return nh3.clean(
        html or "",
        tags=POLICY_TAGS,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


@require_GET
def park_list(request: HttpRequest) -> HttpResponse:
    region_code = request.GET.get("district", "")[:12]
    level = request.GET.get("level", "")
    if level not in Park.Level.values:
        level = ""
    parks = list(selectors.park_list_public(region_code=region_code, level=level))
    return render(
        request,
        "parks/park_list.html",
        {
            "parks": parks,
            "districts": selectors.park_choices_for_filter(),
            "levels": Park.Level.choices,
            "district": region_code,
            "level": level,
        },
    )


@require_GET
def park_detail(request: HttpRequest, slug: str) -> HttpResponse:
    park = selectors.park_get_public(slug=slug)
    if park is None:
        raise Http404
    carriers, carrier_total = selectors.park_available_carriers(park=park)
    return render(
        request,
        "parks/park_detail.html",
        {
            "park": park,
            "industries": list(park.leading_industries.all()),
            "policies": mark_safe(sanitised_policies(park.policies_html)),  # noqa: S308 - cleaned by nh3
            "carriers": carriers,
            "carrier_total": carrier_total,
            "articles": selectors.park_latest_articles(park=park),
            "point": json.dumps(map_point(park.latitude, park.longitude)),
            "map_settings": json.dumps(map_settings()),
            "sources": [line.strip() for line in park.sources.splitlines() if line.strip()],
        },
    )
