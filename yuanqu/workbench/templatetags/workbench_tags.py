"""The workbench navigation: only the sections the signed-in user may open."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from yuanqu.accounts import gates

register = template.Library()

# (section, url name, label, who sees it)
SECTIONS: tuple[tuple[str, str, Any, str], ...] = (
    ("home", "workbench:home", _("工作台"), "staff"),
    ("leads", "inbox:list", _("需求线索"), "staff"),
    ("projects", "pipeline:board", _("招商项目"), "staff"),
    ("alerts", "pipeline:alerts", _("预警"), "staff"),
    ("analytics", "pipeline:analytics", _("分析"), "analytics"),
    ("enterprises", "enterprises:list", _("企业库"), "staff"),
    ("dashboard", "indicators:city", _("指标看板"), "staff"),
    ("chains", "chains:map", _("产业链"), "staff"),
    ("api_tokens", "api_tokens:list", _("API 令牌"), "staff"),
)


@register.inclusion_tag("workbench/nav.html", takes_context=True)
def workbench_nav(context: template.Context, current: str = "") -> dict[str, Any]:
    user = context["request"].user
    links = []
    for section, url_name, label, audience in SECTIONS:
        if audience == "analytics" and not gates.can_see_analytics(user):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:  # an area not installed in this deployment
            continue
        links.append({"url": url, "label": label, "current": section == current})
    return {"links": links}
