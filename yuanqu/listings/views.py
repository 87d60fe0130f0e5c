"""Public carrier pages: search (list + map), detail, compare, saved searches."""

from __future__ import annotations

import hashlib
import json

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from yuanqu.listings import cards, display, selectors
from yuanqu.listings.catalogue_index import catalogue_generation
from yuanqu.listings.filters import SORTS, CarrierFilterForm, CarrierFilters
from yuanqu.listings.forms import SavedSearchForm, VerificationCodeForm
from yuanqu.listings.models import SavedSearch
from yuanqu.listings.saved_searches import (
    filters_from_query_string,
    saved_search_confirm_email,
    saved_search_create,
    saved_search_label,
    saved_search_resend_code,
    saved_search_unsubscribe,
    saved_search_verify_code,
    subscribe_link,
)

COMPARE_SESSION_KEY = "listings_compare"
COMPARE_LIMIT = 4


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _filters(request: HtmxHttpRequest) -> CarrierFilters:
    districts, parks = selectors.filter_choices()
    form = CarrierFilterForm(request.GET, districts=districts, parks=parks)
    return form.filters()


RESULTS_CACHE_SECONDS = 60


@require_GET
def carrier_search(request: HtmxHttpRequest) -> HttpResponse:
    # A visitor without any cookie (first visit, a shared link, a crawler) has no session, no
    # compare list and no messages, so the whole page is the same for all of them: cached per
    # raw query string until a carrier changes (and at most a minute, as freshness moves).
    cookieless = not request.COOKIES and not request.htmx
    page_key = _cache_key("page", request.META.get("QUERY_STRING", ""))
    if cookieless:
        cached_page = cache.get(page_key)
        if cached_page is not None:
            return HttpResponse(cached_page.replace(COMPARE_FIELDS, _compare_fields(request)))
    filters = _filters(request)
    query = filters.query_string()
    canonical = filters.query_string(page=filters.page)
    if (
        not request.htmx
        and not filters.notices
        and request.GET
        and canonical != request.GET.urlencode()
    ):
        # A form submitted without JavaScript sends every field, empty ones included: send the
        # browser to the short URL that means the same, so it can be shared and bookmarked.
        return redirect(
            f"{reverse('listings:search')}?{canonical}" if canonical else "listings:search"
        )
    # The results region depends only on the filter state and the catalogue.
    results_key = _cache_key("results", f"{query}|{filters.page}|{filters.notices}")
    results_html = cache.get(results_key)
    if results_html is None:
        page = selectors.carrier_search(filters=filters, load_rows=False)
        results_html = render_to_string(
            "listings/carrier_search.html#results",
            {
                "page": page,
                "cards": cards.search_cards(page.page_ids),
                "filters": filters,
                "map_url": f"{reverse('listings:map_points')}?{query}",
                "map_settings": json.dumps(selectors.map_settings()),
                "subscribe_url": subscribe_link(filters),
                "sorts": SORTS,
            },
            request=request,
        )
        cache.set(results_key, results_html, RESULTS_CACHE_SECONDS)
    compare_ids = request.session.get(COMPARE_SESSION_KEY, [])
    results_html = cards.mark_in_compare(results_html, compare_ids)
    if request.htmx:
        response = HttpResponse(results_html)
        # The canonical URL (defaults and bad values left out) goes into the address bar.
        response["HX-Push-Url"] = (
            f"{reverse('listings:search')}?{query}" if query else reverse("listings:search")
        )
        return response
    response = render(
        request,
        "listings/carrier_search.html",
        {
            "filters": filters,
            "results_html": mark_safe(results_html),  # noqa: S308 - rendered by our template
            "compare_ids": compare_ids,
            "compare_fields": mark_safe(COMPARE_FIELDS.decode()),  # noqa: S308 - a constant
        },
    )
    # Never cache a page that hands out a cookie (a CSRF token would then be shared): the
    # compare form's token goes in below, per response, also into pages from the cache.
    if cookieless and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        cache.set(page_key, response.content, RESULTS_CACHE_SECONDS)
    response.content = response.content.replace(COMPARE_FIELDS, _compare_fields(request))
    return response


# Stands for the compare form's fields (a CSRF token for this visitor) in the cached page.
COMPARE_FIELDS = b"<!-- compare fields -->"


def _compare_fields(request: HtmxHttpRequest) -> bytes:
    """The hidden fields of the search page's compare form: token, the page to come back to."""
    return (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{get_token(request)}">'
        f'<input type="hidden" name="next" value="{escape(request.get_full_path())}">'
        '<input type="hidden" name="from" value="search">'
    ).encode()


def _cache_key(kind: str, state: str) -> str:
    digest = hashlib.sha256(f"{get_language()}|{state}".encode()).hexdigest()[:32]
    return f"listings:{kind}:{catalogue_generation()}:{digest}"


@gzip_page
@require_GET
def carrier_map_points(request: HtmxHttpRequest) -> HttpResponse:
    """The current result set as compact map points (same query string as the list)."""
    return HttpResponse(
        selectors.carrier_map_json(filters=_filters(request)), content_type="application/json"
    )


@require_GET
def carrier_detail(request: HtmxHttpRequest, carrier_id: int) -> HttpResponse:
    carrier = selectors.carrier_get_public(carrier_id=carrier_id)
    if carrier is None:
        raise Http404
    park = carrier.park
    context = {
        "carrier": carrier,
        "price_rows": display.price_rows(carrier),
        "spec_rows": display.spec_rows(carrier),
        "similar": selectors.carrier_similar(carrier=carrier),
        "need_url": display.need_form_url(carrier),
        "point": json.dumps(selectors.map_point(carrier.latitude, carrier.longitude)),
        "map_settings": json.dumps(selectors.map_settings()),
        "park": park,
        "in_compare": carrier.pk in request.session.get(COMPARE_SESSION_KEY, []),
        "days": carrier.days_since_confirmed(),
    }
    return render(request, "listings/carrier_detail.html", context)


# --- compare ---------------------------------------------------------------------------


def _parse_ids(raw: str) -> list[int]:
    ids: list[int] = []
    for part in raw.replace("，", ",").split(","):
        part = part.strip()
        if part.isdigit() and int(part) not in ids:
            ids.append(int(part))
    return ids[:COMPARE_LIMIT]


@require_GET
def carrier_compare(request: HtmxHttpRequest) -> HttpResponse:
    """Side by side; `?ids=1,2,3` is the shareable form, otherwise the session's list."""
    shared = "ids" in request.GET
    ids = (
        _parse_ids(request.GET.get("ids", ""))
        if shared
        else request.session.get(COMPARE_SESSION_KEY, [])
    )
    carriers = selectors.carrier_compare_list(ids=ids)
    values = [display.compare_values(carrier) for carrier in carriers]
    rows = [(label, [value[key] for value in values]) for label, key in display.COMPARE_ROWS]
    share_ids = ",".join(str(carrier.pk) for carrier in carriers)
    return render(
        request,
        "listings/carrier_compare.html",
        {
            "carriers": carriers,
            "rows": rows,
            "share_url": request.build_absolute_uri(
                f"{reverse('listings:compare')}?ids={share_ids}"
            )
            if carriers
            else "",
            "shared": shared,
            "limit": COMPARE_LIMIT,
        },
    )


@require_POST
def carrier_compare_toggle(request: HtmxHttpRequest) -> HttpResponse:
    """Add or remove one carrier from the session's compare list (at most 4: a fifth is
    refused with a notice, nothing is dropped behind the visitor's back)."""
    ids: list[int] = list(request.session.get(COMPARE_SESSION_KEY, []))
    try:
        carrier_id = int(request.POST.get("carrier", ""))
    except ValueError:
        return redirect("listings:compare")
    notice = ""
    if carrier_id in ids:
        ids.remove(carrier_id)
    elif len(ids) >= COMPARE_LIMIT:
        notice = _("最多对比 %(limit)d 个载体,请先移出一个再加入。") % {"limit": COMPARE_LIMIT}
    elif selectors.carrier_compare_list(ids=[carrier_id]):
        ids.append(carrier_id)
    request.session[COMPARE_SESSION_KEY] = ids
    in_compare = carrier_id in ids
    if request.htmx and request.POST.get("from") == "search":
        # A search result card: its button, and the page's 查看对比 link and notice.
        button = cards.compare_button(carrier_id, in_compare, reverse("listings:compare_toggle"))
        return render(
            request,
            "listings/carrier_compare_card_button.html",
            {"button": mark_safe(button), "count": len(ids), "notice": notice},  # noqa: S308
        )
    if request.htmx:
        return render(
            request,
            "listings/carrier_compare_button.html",
            {
                "carrier_id": carrier_id,
                "in_compare": in_compare,
                "count": len(ids),
                "notice": notice,
            },
        )
    if notice:
        messages.warning(request, notice)
    next_url = request.POST.get("next", "")
    # Back to the page the button was on, never to another site ("//x", "/\\x" included).
    if next_url.startswith("/") and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts=None, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("listings:compare")


# --- saved searches --------------------------------------------------------------------


def _client_ip(request: HtmxHttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@require_http_methods(["GET", "POST"])
def saved_search_new(request: HtmxHttpRequest) -> HttpResponse:
    query_string = (
        request.POST.get("qs") if request.method == "POST" else request.GET.get("qs")
    ) or ""
    filters = filters_from_query_string(query_string)
    query_string = filters.query_string()  # only what the search understands is stored
    label = saved_search_label(filters)
    form = SavedSearchForm(request.POST or None, initial={"qs": query_string})
    if request.method == "POST" and form.is_valid():
        try:
            saved_search = saved_search_create(
                query_string=query_string,
                label=label,
                channel=form.cleaned_data["channel"],
                email=form.cleaned_data.get("email") or "",
                mobile=form.cleaned_data.get("mobile") or "",
                frequency=form.cleaned_data["frequency"],
                consent=form.cleaned_data["consent"],
                ip_address=_client_ip(request),
            )
        except ValidationError as error:
            for field, field_messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_messages)
        else:
            if saved_search.channel == SavedSearch.Channel.SMS:
                return redirect("listings:saved_search_verify", token=saved_search.token)
            return render(
                request,
                "listings/saved_search_message.html",
                {
                    "title": _("请查收确认邮件"),
                    "body": _("确认链接已发到您的邮箱,点击后订阅生效(7 天内有效)。"),
                },
            )
    return render(
        request,
        "listings/saved_search_new.html",
        {"form": form, "label": label, "query_string": query_string},
    )


@require_GET
def saved_search_confirm(request: HtmxHttpRequest, signed_token: str) -> HttpResponse:
    saved_search = saved_search_confirm_email(signed_token=signed_token)
    if saved_search is None:
        return render(
            request,
            "listings/saved_search_message.html",
            {"title": _("链接无效或已过期"), "body": _("请重新订阅。")},
            status=400,
        )
    return render(
        request,
        "listings/saved_search_message.html",
        {
            "title": _("订阅已生效"),
            "body": _("有新载体符合“%(label)s”时会通知您。") % {"label": saved_search.label},
            "saved_search": saved_search,
        },
    )


@require_http_methods(["GET", "POST"])
def saved_search_verify(request: HtmxHttpRequest, token: str) -> HttpResponse:
    saved_search = SavedSearch.objects.filter(token=token, channel=SavedSearch.Channel.SMS).first()
    if saved_search is None:
        raise Http404
    form = VerificationCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if saved_search_verify_code(saved_search=saved_search, code=form.cleaned_data["code"]):
            return render(
                request,
                "listings/saved_search_message.html",
                {
                    "title": _("订阅已生效"),
                    "body": _("有新载体符合“%(label)s”时会短信通知您。")
                    % {"label": saved_search.label},
                    "saved_search": saved_search,
                },
            )
        form.add_error("code", _("验证码不正确或已过期(最多尝试 5 次)。"))
    return render(
        request, "listings/saved_search_verify.html", {"form": form, "saved_search": saved_search}
    )


@require_POST
def saved_search_resend(request: HtmxHttpRequest, token: str) -> HttpResponse:
    saved_search = SavedSearch.objects.filter(token=token, channel=SavedSearch.Channel.SMS).first()
    if saved_search is None:
        raise Http404
    if saved_search_resend_code(saved_search=saved_search):
        messages.info(request, _("已重新发送验证码。"))
    else:
        messages.warning(request, _("请稍后再试(每分钟最多发送一次)。"))
    return redirect("listings:saved_search_verify", token=token)


@csrf_exempt  # the random token is the credential; mail clients POST without a CSRF cookie
@require_http_methods(["GET", "POST"])
def saved_search_unsubscribe_view(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """One click (GET from the message, or the RFC 8058 POST from a mail client) unsubscribes."""
    saved_search = saved_search_unsubscribe(token=token)
    if saved_search is None:
        raise Http404
    return render(
        request,
        "listings/saved_search_message.html",
        {
            "title": _("已退订"),
            "body": _("不会再收到这个订阅的任何消息,您的联系方式已删除。"),
        },
    )
