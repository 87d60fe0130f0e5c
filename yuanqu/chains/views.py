"""Chain maps for park staff and leadership: coverage per park and chain, a link's members,
the 招商 target list, and their Excel exports. Readers are the registry's (the chains count
its firms)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yuanqu.accounts import gates
from yuanqu.chains import exports, selectors, services
from yuanqu.chains.calculations import STATUS_LABELS
from yuanqu.chains.models import ChainLink, LinkOverride, ParkChain
from yuanqu.indicators.selectors import city_park_ids_for_user
from yuanqu.parks.models import Park

STATUS_COLOURS = {"strong": "#2e7d32", "weak": "#f9a825", "missing": "#c62828"}


def _chosen_park(request: HttpRequest) -> tuple[list[Park], Park | None]:
    parks = list(gates.parks_for_user(request.user).filter(is_active=True).order_by("name"))
    raw = request.GET.get("park", "")
    if raw:
        return parks, gates.park_for_user_or_404(request.user, raw, for_change=False)
    pursuing = set(
        ParkChain.objects.filter(park__in=parks).values_list("park_id", flat=True).distinct()
    )
    first = next((park for park in parks if park.pk in pursuing), parks[0] if parks else None)
    return parks, first


def tree_data(coverage: selectors.ChainCoverage) -> dict[str, Any]:
    """The chain as an ECharts tree: the chain at the root, each link coloured by status."""
    nodes: dict[int, dict[str, Any]] = {}
    root: dict[str, Any] = {"name": coverage.chain.name, "children": []}
    for item in coverage.links:
        node = {
            "name": item.link.name,
            "value": _("%(status)s · 企业 %(firms)d · 项目 %(projects)d · 线索 %(leads)d")
            % {
                "status": item.status_label,
                "firms": item.enterprises,
                "projects": item.projects,
                "leads": item.leads,
            },  # fmt: skip
            "itemStyle": {"color": STATUS_COLOURS[item.status]},
            "children": [],
        }
        nodes[item.link.pk] = node
        parent = nodes.get(item.link.parent_id) if item.link.parent_id else None
        (parent["children"] if parent else root["children"]).append(node)
    return root


@require_GET
@gates.registry_required
def chain_map(request: HttpRequest) -> HttpResponse:
    parks, park = _chosen_park(request)
    chains = selectors.park_coverage(park) if park else []
    return render(
        request,
        "chains/chain_map.html",
        {
            "wb_section": "chains",
            "parks": parks,
            "park": park,
            "can_see_city": city_park_ids_for_user(request.user) is not None,
            "chains": [
                {
                    "coverage": coverage,
                    "tree": tree_data(coverage),
                    "element_id": f"chain-tree-{coverage.chain.pk}",
                    "counts": [
                        (label, coverage.status_counts.get(status, 0))
                        for status, label in STATUS_LABELS.items()
                    ],
                }
                for coverage in chains
            ],
        },
    )


@require_GET
@gates.registry_required
def city(request: HttpRequest) -> HttpResponse:
    """Every park the user oversees with the completeness of each chain it pursues."""
    park_ids = city_park_ids_for_user(request.user)
    if park_ids is None:
        raise PermissionDenied
    return render(
        request,
        "chains/city.html",
        {"wb_section": "chains", **selectors.city_table(park_ids)},
    )


@require_GET
@gates.registry_required
def link_detail(request: HttpRequest, park_id: int, link_id: int) -> HttpResponse:
    park = gates.park_for_user_or_404(request.user, park_id, for_change=False)
    link = get_object_or_404(ChainLink.objects.select_related("chain"), pk=link_id)
    members = selectors.link_members(park=park, link=link)
    if members["coverage"] is None:  # a link of a chain this park does not pursue
        raise PermissionDenied
    return render(
        request,
        "chains/link_detail.html",
        {"wb_section": "chains", "park": park, "link": link, **members},
    )


@require_GET
@gates.registry_required
def targets(request: HttpRequest) -> HttpResponse:
    parks, park = _chosen_park(request)
    found = selectors.park_targets(park=park) if park else []
    return render(
        request,
        "chains/targets.html",
        {"wb_section": "chains", "parks": parks, "park": park, "targets": found},
    )


@require_GET
@gates.registry_required
def chain_export(request: HttpRequest) -> HttpResponse:
    _parks, park = _chosen_park(request)
    if park is None:
        raise PermissionDenied
    return exports.coverage_workbook(park, selectors.park_coverage(park))


@require_GET
@gates.registry_required
def targets_export(request: HttpRequest) -> HttpResponse:
    _parks, park = _chosen_park(request)
    if park is None:
        raise PermissionDenied
    return exports.targets_workbook(park, selectors.park_targets(park=park))


_ITEM_GETTERS = {
    LinkOverride.Kind.ENTERPRISE: gates.enterprise_for_user_or_404,
    LinkOverride.Kind.PROJECT: gates.project_for_user_or_404,
    LinkOverride.Kind.LEAD: gates.lead_for_user_or_404,
}


@require_POST
@gates.staff_required
def placing_correct(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    """A staff correction of an item's chain links, from the item's own page."""
    if gates.is_read_only_staff(request.user):
        raise PermissionDenied
    getter = _ITEM_GETTERS.get(kind)  # type: ignore[call-overload]
    if getter is None:
        raise Http404
    item = getter(request.user, object_id, for_change=True)
    link = get_object_or_404(ChainLink, pk=request.POST.get("link") or 0)
    try:
        services.link_placing_correct(
            actor=request.user, kind=kind, item=item, link=link,
            action=str(request.POST.get("action", "")),
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, ";".join(error.messages))
    else:
        messages.success(request, _("产业链环节已更新。"))
    back = str(request.POST.get("next") or "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/workbench/"
    return redirect(back)
