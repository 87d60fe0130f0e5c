from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from js_asset import Media as AssetMedia

from yuanqu.news import services
from yuanqu.news.content import make_thumbnail
from yuanqu.news.forms import ArticleAdminForm
from yuanqu.news.models import Article, Category, Tag


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["title", "category", "status", "published_at", "visibility", "view_count"]
    list_filter = ["status", "category", "is_sample"]
    search_fields = ["title", "source_url"]
    date_hierarchy = "published_at"
    list_select_related = ["category"]
    filter_horizontal = ["parks"]
    raw_id_fields = ["industries"]
    readonly_fields = ["view_count", "preview_link", "cover_thumbnail_preview"]
    actions = ["publish_now", "unpublish"]
    fieldsets = [
        (None, {"fields": ["title", "category", "tag_names", "summary", "body"]}),
        (
            _("发布"),
            {"fields": ["status", "published_at", "preview_link", "view_count", "is_sample"]},
        ),
        (_("封面"), {"fields": ["cover", "cover_thumbnail_preview"]}),
        (_("来源"), {"fields": ["author", "source_name", "source_url", "slug"]}),
        (_("关联"), {"fields": ["parks", "industries"]}),
    ]

    def render_change_form(self, request, context, *args, **kwargs):
        # The editor's import map is an inline script: it needs this response's CSP nonce.
        context["media"] = AssetMedia.from_media(context["media"], nonce=request.csp_nonce)
        return super().render_change_form(request, context, *args, **kwargs)

    @admin.display(description=_("公开状态"))
    def visibility(self, obj: Article) -> str:
        if obj.status == Article.Status.DRAFT:
            return str(_("草稿"))
        if obj.published_at and obj.published_at > timezone.now():
            return str(_("定时"))
        return str(_("已公开"))

    @admin.display(description=_("预览"))
    def preview_link(self, obj: Article) -> str:
        if not obj.pk:
            return "-"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("news:preview", kwargs={"pk": obj.pk}),
            _("预览"),
        )

    @admin.display(description=_("缩略图"))
    def cover_thumbnail_preview(self, obj: Article) -> str:
        if not obj.cover_thumbnail:
            return "-"
        return format_html('<img src="{}" alt="" style="max-width:240px">', obj.cover_thumbnail.url)

    def get_view_on_site_url(self, obj=None):
        return reverse("news:preview", kwargs={"pk": obj.pk}) if obj and obj.pk else None

    def save_model(self, request, obj: Article, form, change) -> None:
        if "cover" in form.changed_data and form.cleaned_data.get("cover"):
            upload = form.cleaned_data["cover"]
            obj.cover_thumbnail.save("thumb.jpg", make_thumbnail(upload), save=False)
        elif "cover" in form.changed_data:
            obj.cover_thumbnail = ""
        services.article_save(article=obj)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        form.instance.tags.set(services.tag_get_or_create_many(names=form.tag_list()))

    @admin.action(description=_("立即发布所选资讯"))
    def publish_now(self, request, queryset) -> None:
        with transaction.atomic():
            for article in queryset:
                services.article_publish(article=article, at=article.published_at or timezone.now())
        messages.success(request, _("已发布。"))

    @admin.action(description=_("撤回所选资讯(转为草稿)"))
    def unpublish(self, request, queryset) -> None:
        with transaction.atomic():
            for article in queryset:
                services.article_unpublish(article=article)
        messages.success(request, _("已撤回。"))
