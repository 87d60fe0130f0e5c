from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yuanqu.core.models import Industry, TimeStampedModel
from yuanqu.parks.models import Park


class Category(models.Model):
    name = models.CharField(_("名称"), max_length=50, unique=True)
    slug = models.SlugField(_("网址标识"), max_length=60, unique=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("资讯分类")
        verbose_name_plural = _("资讯分类")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("news:category", kwargs={"slug": self.slug})


class Tag(models.Model):
    name = models.CharField(_("名称"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("标签")
        verbose_name_plural = _("标签")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ArticleQuerySet(models.QuerySet):
    def published(self, *, now=None) -> ArticleQuerySet:
        """Visible to the public: published and its time has come (scheduled ones wait)."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now or timezone.now())


class Article(TimeStampedModel):
    """A news or policy article. `body` is sanitised HTML (see services.sanitize_html)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    title = models.CharField(_("标题"), max_length=200)
    slug = models.SlugField(_("网址标识"), max_length=120, blank=True, allow_unicode=False)
    category = models.ForeignKey(
        Category, verbose_name=_("分类"), on_delete=models.PROTECT, related_name="articles"
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("标签"), blank=True, related_name="articles")
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    body = models.TextField(_("正文"), blank=True)
    cover = models.ImageField(_("封面图"), upload_to="news/covers/%Y/%m/", blank=True)
    cover_thumbnail = models.ImageField(
        _("封面缩略图"), upload_to="news/thumbs/%Y/%m/", blank=True, editable=False
    )
    author = models.CharField(_("作者"), max_length=50, blank=True)
    source_name = models.CharField(_("来源"), max_length=100, blank=True)
    source_url = models.URLField(_("来源网址"), max_length=500, blank=True)
    published_at = models.DateTimeField(
        _("发布时间"), null=True, blank=True, help_text=_("晚于当前时间即为定时发布。")
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    view_count = models.PositiveIntegerField(_("阅读数"), default=0, editable=False)
    parks = models.ManyToManyField(
        Park, verbose_name=_("相关园区"), blank=True, related_name="articles"
    )
    industries = models.ManyToManyField(
        Industry, verbose_name=_("相关行业"), blank=True, related_name="articles"
    )
    related: models.ManyToManyField = models.ManyToManyField(
        "self",
        verbose_name=_("相关文章"),
        through="RelatedArticle",
        symmetrical=False,
        blank=True,
        related_name="+",
    )
    is_sample = models.BooleanField(
        _("示例内容"), default=False, help_text=_("演示用内容,页面上会标明。")
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("资讯")
        verbose_name_plural = _("资讯")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "published_at"]),
            models.Index(fields=["category", "status", "published_at"]),
            models.Index(fields=["status", "view_count"]),
            models.Index(fields=["source_url"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="article_published_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # Every path (admin, importer, demo, services) stores sanitised HTML only.
        from yuanqu.news.content import pinyin_slug, sanitize_html

        self.body = sanitize_html(self.body)
        if not self.slug:
            self.slug = pinyin_slug(self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        if self.slug:
            return reverse("news:article_slug", kwargs={"pk": self.pk, "slug": self.slug})
        return reverse("news:article", kwargs={"pk": self.pk})

    def is_public(self, *, now=None) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= (now or timezone.now())
        )


class RelatedArticle(models.Model):
    """A stored, ordered related-article link (computed by news.related)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_links")
    related = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("相关度"))
    position = models.PositiveSmallIntegerField(_("顺序"))

    class Meta:
        verbose_name = _("相关文章")
        verbose_name_plural = _("相关文章")
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "related"], name="related_article_unique")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.related_id}"


class ArticleViewEvent(models.Model):
    """One counted view waiting to be folded into Article.view_count.

    An append-only buffer: the beacon inserts one narrow row (no lock on the article row),
    the flush job adds the counts to Article.view_count and deletes the rows it added in
    the same transaction, so a restart never loses or double-counts a view.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("待汇总阅读")
        verbose_name_plural = _("待汇总阅读")

    def __str__(self) -> str:
        return f"{self.article_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class TermStatistic(models.Model):
    """How many published articles contain a term (document frequency for related articles).

    Rebuilt by the full related-articles recompute; read when one article's related list is
    refreshed, so that path never scans the whole corpus.
    """

    term = models.CharField(max_length=64, unique=True)
    document_count = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("词频统计")
        verbose_name_plural = _("词频统计")

    def __str__(self) -> str:
        return f"{self.term} ({self.document_count})"
