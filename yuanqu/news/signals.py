"""Search-index chores: keep `core.search` in step with articles, parks and carriers.

Signals are used only for this chore (DESIGN.md); domain steps live in services.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

from yuanqu.core import replicas, search
from yuanqu.core.models import Industry
from yuanqu.listings.models import Carrier
from yuanqu.news.content import html_to_text
from yuanqu.news.models import Article, Category, Tag
from yuanqu.parks.models import Park


def article_document(article: Article) -> search.Document:
    return search.Document(
        object_id=article.pk,
        title=article.title,
        body=f"{article.summary}\n{html_to_text(article.body)}".strip(),
        published_at=article.published_at,
        category=str(article.category_id),
    )


def park_document(park: Park) -> search.Document:
    parts = [
        park.short_name,
        park.industry_note,
        park.established,
        park.description,
        park.contact_address,
    ]
    return search.Document(
        object_id=park.pk, title=park.name, body="\n".join(p for p in parts if p)
    )


def carrier_document(carrier: Carrier) -> search.Document:
    parts = [
        carrier.get_kind_display(),
        carrier.get_deal_display(),
        carrier.address,
        carrier.description,
    ]
    park = Park.objects.filter(pk=carrier.park_id).values_list("name", flat=True).first()
    if park:
        parts.insert(0, park)
    return search.Document(
        object_id=carrier.pk,
        title=carrier.title,
        body="\n".join(p for p in parts if p),
        published_at=carrier.published_at,
    )


def index_article(article: Article) -> None:
    # Scheduled articles are indexed now and filtered by `visible_at` at query time, so they
    # appear in search the moment their time comes without another write.
    if article.status == Article.Status.PUBLISHED and article.published_at is not None:
        search.index_documents(kind="article", documents=[article_document(article)])
    else:
        search.remove_document(kind="article", object_id=article.pk)


def index_park(park: Park) -> None:
    if park.is_active:
        search.index_documents(kind="park", documents=[park_document(park)])
    else:
        search.remove_document(kind="park", object_id=park.pk)


def index_carrier(carrier: Carrier) -> None:
    # The listings app indexes carriers itself after commit (with its richer text); this
    # receiver also covers saves outside its services (admin, shell) with the same text.
    try:
        from yuanqu.listings import services as listings_services
    except ImportError:  # pragma: no cover - listings services not present
        listings_services = None  # type: ignore[assignment]
    if listings_services is not None and hasattr(listings_services, "carrier_index"):
        listings_services.carrier_index(carrier_id=carrier.pk)
        return
    if carrier.status in (Carrier.Status.AVAILABLE, Carrier.Status.RESERVED):
        search.index_documents(kind="carrier", documents=[carrier_document(carrier)])
    else:
        search.remove_document(kind="carrier", object_id=carrier.pk)


def bump_page_cache() -> None:
    """Cached news pages carry a version in their key; a new version retires them all."""
    try:
        cache.incr("news:page-version")
    except ValueError:
        cache.set("news:page-version", 2, None)
    cache.delete("news:next-scheduled")
    replicas.public_content_changed()


def _article_saved(sender, instance: Article, **kwargs) -> None:
    index_article(instance)
    bump_page_cache()


def _article_deleted(sender, instance: Article, **kwargs) -> None:
    search.remove_document(kind="article", object_id=instance.pk)
    bump_page_cache()


def _shown_on_articles_changed(sender, **kwargs) -> None:
    # Category, tag and industry names and an article's tags/parks/industries are part of the cached
    # article page parts (news.views); m2m changes come after the article's own save.
    if kwargs.get("action", "post_").startswith("post_"):
        bump_page_cache()


def _park_saved(sender, instance: Park, **kwargs) -> None:
    index_park(instance)
    # Park names are part of the cached article page parts (linked parks).
    bump_page_cache()


def _park_deleted(sender, instance: Park, **kwargs) -> None:
    search.remove_document(kind="park", object_id=instance.pk)
    bump_page_cache()


def _carrier_saved(sender, instance: Carrier, **kwargs) -> None:
    index_carrier(instance)


def _removed(kind: str):
    def receiver(sender, instance, **kwargs) -> None:
        search.remove_document(kind=kind, object_id=instance.pk)

    return receiver


_carrier_removed = _removed("carrier")


def connect() -> None:
    post_save.connect(_article_saved, sender=Article, dispatch_uid="news.index_article")
    post_delete.connect(_article_deleted, sender=Article, dispatch_uid="news.unindex_article")
    for model in (Category, Tag):
        post_save.connect(_shown_on_articles_changed, sender=model, dispatch_uid="news.bump")
        post_delete.connect(_shown_on_articles_changed, sender=model, dispatch_uid="news.bump")
    for through in (Article.tags.through, Article.parks.through, Article.industries.through):
        m2m_changed.connect(_shown_on_articles_changed, sender=through, dispatch_uid="news.bump")
    post_save.connect(_park_saved, sender=Park, dispatch_uid="news.index_park")
    post_delete.connect(_park_deleted, sender=Park, dispatch_uid="news.unindex_park")
    # Industry names are shown on article pages too (linked industries).
    post_save.connect(_shown_on_articles_changed, sender=Industry, dispatch_uid="news.bump")
    post_delete.connect(_shown_on_articles_changed, sender=Industry, dispatch_uid="news.bump")
    post_save.connect(_carrier_saved, sender=Carrier, dispatch_uid="news.index_carrier")
    post_delete.connect(_carrier_removed, sender=Carrier, dispatch_uid="news.unindex_carrier")
