from __future__ import annotations

import hashlib
import io
import json
import time
from datetime import date, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django_htmx.middleware import HtmxDetails

from yuanqu.core import search as search_engine
from yuanqu.core.context_processors import site_name
from yuanqu.news import selectors
from yuanqu.news.middleware import page_cache_version
from yuanqu.news.models import Article, Category
from yuanqu.news.services import REPEAT_VIEW_SECONDS, article_view_record


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


PER_PAGE = 15
SEARCH_PER_PAGE = 10
SEARCH_KINDS = {
    "article": gettext_lazy("资讯"),
    "park": gettext_lazy("园区"),
    "carrier": gettext_lazy("载体"),
}


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def _client_ip(request: HtmxHttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


# --- home and lists -------------------------------------------------------------------------


@require_GET
def home(request: HtmxHttpRequest) -> HttpResponse:
    key = f"news:home:{page_cache_version()}"
    context = cache.get(key)
    if context is None:
        context = {
            "latest": list(selectors.article_list_published()[:10]),
            "most_read": selectors.article_list_most_read(limit=8),
            "categories": selectors.category_list(),
        }
        cache.set(key, context, selectors.cache_seconds_until_next_publication())
    context = {**context, "canonical_url": absolute("/"), "feed_url": reverse("news:feed")}
    return render(request, "news/home.html", context)


def _page_number(request: HtmxHttpRequest, page: int | None) -> int:
    if page is not None:
        return page
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 7 else 1


def _list_page(
    request: HtmxHttpRequest, *, category: Category | None, page: int | None
) -> HttpResponse:
    number = _page_number(request, page)
    queryset = selectors.article_list_published(category=category)
    paginator = Paginator(queryset, PER_PAGE)
    paginator.count = selectors.article_count_published(category=category)
    try:
        page_obj = paginator.page(number)
    except (EmptyPage, PageNotAnInteger):
        raise Http404("no such page") from None
    if category is not None:
        base = reverse("news:category", kwargs={"slug": category.slug})
        feed_url = reverse("news:category_feed", kwargs={"slug": category.slug})
    else:
        base = reverse("news:list")
        feed_url = reverse("news:feed")

    def page_url(n: int) -> str:
        return base if n == 1 else f"{base}page/{n}/"

    context = {
        "category": category,
        "show_category": category is None,
        "categories": selectors.category_list(),
        "page_obj": page_obj,
        "articles": list(page_obj.object_list),
        "canonical_url": absolute(page_url(page_obj.number)),
        "previous_url": page_url(page_obj.number - 1) if page_obj.has_previous() else "",
        "next_url": page_url(page_obj.number + 1) if page_obj.has_next() else "",
        "page_links": [
            (n, page_url(n) if isinstance(n, int) else "")
            for n in paginator.get_elided_page_range(page_obj.number)
        ],
        "feed_url": feed_url,
    }
    return render(request, "news/article_list.html", context)


@require_GET
def article_list(request: HtmxHttpRequest, page: int | None = None) -> HttpResponse:
    return _list_page(request, category=None, page=page)


@require_GET
def category_detail(request: HtmxHttpRequest, slug: str, page: int | None = None) -> HttpResponse:
    category = selectors.category_get(slug=slug)
    if category is None:
        raise Http404("no such category")
    return _list_page(request, category=category, page=page)


# --- article ----------------------------------------------------------------------------------


def _json_ld(article: Article, canonical: str) -> str:
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": article.updated_at.isoformat() if article.updated_at else None,
        "author": {"@type": "Person", "name": article.author or site_name()},
        "publisher": {"@type": "Organization", "name": site_name()},
        "mainEntityOfPage": canonical,
        "articleSection": article.category.name,
    }
    if article.cover:
        data["image"] = [absolute(article.cover.url)]
    text = json.dumps(data, ensure_ascii=False)
    # Inside <script>, "<" could end the element early; escape it and "&", ">" as \u00XX.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)  # noqa: S308 - JSON with markup characters escaped


def _need_form_url(article: Article, parks: list, industries: list) -> str:
    params: dict[str, object] = {}
    if parks:
        params["park"] = parks[0].pk
    if industries:
        params["industry"] = industries[0].code
    params["source"] = reverse("news:article", kwargs={"pk": article.pk})
    return reverse("leads:new") + "?" + urlencode(params)


def _article_extras(article: Article, *, preview: bool) -> dict:
    """What the page derives from the article, with its fixed parts rendered to HTML.

    Everything but the view count depends only on the article version, its links and its
    related list, so the head, the text before the view count and the rest (links, related
    articles, share box) are rendered here once and reused (issue 4: per-request cost).
    """
    from yuanqu.news.content import excerpt, html_to_text

    # Articles are written in Chinese: an English page (the same text in the English
    # chrome) names the Chinese one as canonical and offers no hreflang alternates.
    with translation.override(settings.LANGUAGE_CODE):
        canonical = absolute(article.get_absolute_url())
    parks = list(article.parks.all())
    industries = list(article.industries.all())
    context = {
        "article": article,
        "category": article.category,
        "preview": preview,
        "feed_url": reverse("news:category_feed", kwargs={"slug": article.category.slug}),
        "SITE_NAME": site_name(),
        "SITE_URL": settings.SITE_URL,
        "tags": list(article.tags.all()),
        "parks": parks,
        "industries": industries,
        "related": selectors.related_for_article(article=article, limit=8),
        "canonical_url": canonical,
        "description": article.summary or excerpt(html_to_text(article.body), 120),
        "json_ld": _json_ld(article, canonical),
        "need_url": _need_form_url(article, parks, industries),
    }
    template = "news/article_detail.html#"
    return {
        "title": article.title,
        "description": context["description"],
        "head_html": render_to_string(template + "head", context),
        "top_html": render_to_string(template + "top", context),
        "rest_html": render_to_string(template + "rest", context),
    }


def _article_context(article: Article, *, preview: bool) -> dict:
    if preview:
        extras = _article_extras(article, preview=True)
    else:
        # A data cache, not a page cache: the article row itself is read on every request
        # (so unpublishing or scheduling is exact, and its update time is part of the key);
        # its derived parts are reused until any article changes (version), its related list
        # is recomputed, or the next scheduled publication.
        key = selectors.article_extras_key(article.pk, updated_at=article.updated_at)
        extras = cache.get(key)
        if extras is None:
            # The public page is given the article's check fields only (selectors).
            full = selectors.article_get_for_preview(pk=article.pk) or article
            extras = _article_extras(full, preview=False)
            cache.set(key, extras, selectors.cache_seconds_until_next_publication())
    return {"article": article, "preview": preview, "content_in_chinese_only": True, **extras}


@require_GET
def article_detail(request: HtmxHttpRequest, pk: int, slug: str | None = None) -> HttpResponse:
    article = selectors.article_get_public(pk=pk)
    if article is None:
        raise Http404("no such article")
    canonical_path = article.get_absolute_url()
    if request.path != canonical_path:
        return HttpResponsePermanentRedirect(canonical_path)
    response = render(request, "news/article_detail.html", _article_context(article, preview=False))
    if not request.user.is_authenticated:
        # Picked up by news.middleware.CachedArticleMiddleware; ends at the next scheduled
        # publication so lists and related blocks never lag behind the clock.
        request.news_cache_seconds = selectors.cache_seconds_until_next_publication()  # type: ignore[attr-defined]
    return response


def _can_preview(user) -> bool:
    return bool(user.is_authenticated and user.is_staff and user.has_perm("news.change_article"))


@require_GET
def article_preview(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Editors see drafts and scheduled articles; everyone else gets the ordinary 404."""
    if not _can_preview(request.user):
        raise Http404("no such article")
    article = selectors.article_get_for_preview(pk=pk)
    if article is None:
        raise Http404("no such article")
    response = render(request, "news/article_detail.html", _article_context(article, preview=True))
    response["X-Robots-Tag"] = "noindex"
    return response


SEEN_COOKIE = "yq_seen"
SEEN_COOKIE_ENTRIES = 40


def _seen_articles(request: HttpRequest, now: int) -> dict[int, int]:
    """{article id: epoch seconds} of views this browser made in the last 30 minutes."""
    seen: dict[int, int] = {}
    for entry in request.COOKIES.get(SEEN_COOKIE, "")[:800].split("-"):
        article_id, _, stamp = entry.partition(".")
        if (
            article_id.isdigit()
            and stamp.isdigit()
            and len(stamp) < 12
            and 0 <= now - int(stamp) < REPEAT_VIEW_SECONDS
        ):
            seen[int(article_id)] = int(stamp)
    return seen


@csrf_exempt  # a counter beacon carries no user state; repeats are filtered server-side
@require_POST
def article_view_beacon(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Counts a view; called by the page after load, so cached pages still count.

    Repeats within 30 minutes are caught by a cookie (shared by every worker process) and,
    for clients that drop cookies, by a hashed IP+UA key in the cache.
    """
    response = HttpResponse(status=204)
    now = int(time.time())
    seen = _seen_articles(request, now)
    if pk in seen or not Article.objects.published().filter(pk=pk).exists():
        return response
    counted = article_view_record(
        article_id=pk, ip=_client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")
    )
    if counted:
        seen[pk] = now
        latest = sorted(seen.items(), key=lambda item: item[1])[-SEEN_COOKIE_ENTRIES:]
        response.set_cookie(
            SEEN_COOKIE,
            "-".join(f"{article_id}.{stamp}" for article_id, stamp in latest),
            max_age=REPEAT_VIEW_SECONDS,
            path="/news/",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response


@require_GET
@cache_control(max_age=86400, public=True)
def article_qr(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    article = Article.objects.published().filter(pk=pk).only("id", "slug").first()
    if article is None:
        raise Http404("no such article")
    url = absolute(article.get_absolute_url())
    key = "news:qr-svg:" + hashlib.sha256(url.encode()).hexdigest()[:32]
    svg = cache.get(key)
    if svg is None:
        import segno

        # A standalone SVG file needs its namespace (svg_inline leaves it out for <svg> in
        # HTML, which makes a broken <img>).
        buffer = io.BytesIO()
        segno.make(url, error="m").save(
            buffer, kind="svg", scale=4, border=2, xmldecl=False, title="二维码"
        )
        svg = buffer.getvalue().decode()
        cache.set(key, svg, 60 * 60 * 24 * 7)
    return HttpResponse(svg, content_type="image/svg+xml")


# --- search -------------------------------------------------------------------------------------


def _parse_date(raw: str | None) -> date | None:
    if not raw or len(raw) > 10:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


SINCE_CHOICES = {"7": 7, "30": 30, "365": 365}


@require_GET
def site_search(request: HtmxHttpRequest) -> HttpResponse:
    raw_query = request.GET.get("q", "")
    query = raw_query[: search_engine.MAX_QUERY_CHARS]
    kind = request.GET.get("type", "article")
    if kind not in SEARCH_KINDS:
        kind = "article"
    page = _page_number(request, None)
    categories = selectors.category_list()
    category_slug = request.GET.get("category", "")
    category = next((c for c in categories if c.slug == category_slug), None)
    since = request.GET.get("since", "")
    date_from = _parse_date(request.GET.get("from"))
    date_to = _parse_date(request.GET.get("to"))
    if since in SINCE_CHOICES and not date_from:
        date_from = timezone.localdate() - timedelta(days=SINCE_CHOICES[since])

    results = search_engine.search(
        kind=kind,
        query=query,
        page=page,
        per_page=SEARCH_PER_PAGE,
        category=str(category.pk) if (category and kind == "article") else None,
        date_from=date_from if kind == "article" else None,
        date_to=date_to if kind == "article" else None,
        visible_at=timezone.now(),
    )
    items = _load_hits(kind, results, categories)
    params = {"q": query, "type": kind}
    if category and kind == "article":
        params["category"] = category.slug
    if since in SINCE_CHOICES:
        params["since"] = since
    for name in ("from", "to"):
        if _parse_date(request.GET.get(name)):
            params[name] = request.GET.get(name, "")
    context = {
        "query": query,
        "too_long": len(raw_query) > search_engine.MAX_QUERY_CHARS,
        "kind": kind,
        "kinds": [
            (value, label, urlencode({"q": query, "type": value}))
            for value, label in SEARCH_KINDS.items()
        ],
        "results": results,
        "items": items,
        "categories": categories,
        "category": category,
        "since": since,
        "since_choices": [
            ("", _("不限")),
            ("7", _("一周内")),
            ("30", _("一月内")),
            ("365", _("一年内")),
        ],
        "date_from": request.GET.get("from", "")[:10]
        if _parse_date(request.GET.get("from"))
        else "",
        "date_to": request.GET.get("to", "")[:10] if _parse_date(request.GET.get("to")) else "",
        "page_query": urlencode(params),
        "latest": list(selectors.article_list_published()[:5])
        if results.parsed.is_empty or not items
        else [],
    }
    template = "news/search_results.html"
    if request.htmx:
        template += "#results"
    response = render(request, template, context)
    response["X-Robots-Tag"] = "noindex"
    return response


# What a search hit shows besides its highlighted text: visibility, address, category, date.
SEARCH_HIT_FIELDS = ("id", "slug", "status", "published_at", "category_id")


_article_paths: dict[tuple, str] = {}
ARTICLE_PATHS_KEPT = 20_000


def _article_path(article: Article) -> str:
    """article.get_absolute_url(), remembered per process: reverse() costs about 30 µs and a
    results page needs ten. Keyed by the URL configuration, so tests that change it are safe."""
    key = (settings.ROOT_URLCONF, get_urlconf(), get_script_prefix(), article.pk, article.slug)
    path = _article_paths.get(key)
    if path is None:
        path = article.get_absolute_url()
        if len(_article_paths) >= ARTICLE_PATHS_KEPT:
            _article_paths.clear()
        _article_paths[key] = path
    return path


def _load_article_hits(
    results: search_engine.SearchResults, categories: list[Category]
) -> list[dict]:
    """The page's article hits that are public now, with their category and dates.

    Visibility is checked in Python on the ≤ 10 hits: a status/date filter in SQL lets
    SQLite's planner walk the 100k-row status index instead of the primary key. Categories
    come from the cached list and the dates are formatted here, once, not per template lookup
    (issue 4: the search page's per-request cost).
    """
    now = timezone.now()
    by_id = {category.pk: category for category in categories}
    articles = {
        article.pk: article
        for article in selectors.articles_by_ids(results.object_ids, fields=SEARCH_HIT_FIELDS)
        if article.is_public(now=now)
    }
    items = []
    for hit in results.hits:
        article = articles.get(hit.object_id)
        if article is None:
            continue
        category = by_id.get(article.category_id)
        if category is None:  # created after the list was read
            category = Category.objects.get(pk=article.category_id)
        published = timezone.localtime(article.published_at)
        items.append(
            {
                "object": article,
                "hit": hit,
                "url": _article_path(article),
                "category": category,
                # The same strings as the template filters date:'c' and date:"Y-m-d".
                "published_iso": published.isoformat(),
                "published_day": published.strftime("%Y-%m-%d"),
            }
        )
    return items


def _load_hits(
    kind: str, results: search_engine.SearchResults, categories: list[Category]
) -> list[dict]:
    ids = results.object_ids
    if not ids:
        return []
    objects: dict[int, object]
    if kind == "article":
        return _load_article_hits(results, categories)
    if kind == "park":
        from yuanqu.parks.models import Park

        objects = {p.pk: p for p in Park.objects.filter(pk__in=ids, is_active=True)}
    else:
        from yuanqu.listings.models import Carrier

        try:
            from yuanqu.listings.selectors import carrier_public_queryset

            queryset = carrier_public_queryset()
        except ImportError:  # pragma: no cover - listings selectors not present
            queryset = Carrier.objects.filter(published_at__isnull=False)
        objects = {c.pk: c for c in queryset.select_related("park").filter(pk__in=ids)}
    items = []
    for hit in results.hits:
        obj = objects.get(hit.object_id)
        if obj is None:
            continue
        try:
            url = obj.get_absolute_url()  # type: ignore[attr-defined]
        except Exception:  # a tab whose detail page is not routed yet still lists its hits
            url = ""
        items.append({"object": obj, "hit": hit, "url": url})
    return items


# --- robots ---------------------------------------------------------------------------------------


@require_GET
@cache_control(max_age=3600, public=True)
def robots_txt(request: HtmxHttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /workbench/",
        "Disallow: /dashboard/",
        # Internal search results stay out of indexes, as search engines ask.
        "Disallow: /search/",
        # The need form is a landing page; a person's results and the staff views are not.
        "Disallow: /needs/r/",
        "Disallow: /needs/staff/",
        "Disallow: /news/*/preview/",
        f"Sitemap: {absolute(reverse('news:sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
