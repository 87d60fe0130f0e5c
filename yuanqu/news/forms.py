from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yuanqu.news.content import sanitize_html, validate_cover
from yuanqu.news.models import Article


class RichTextWidget(forms.Textarea):
    """A contenteditable editor over a plain textarea (no build step, no external package).

    Without JavaScript the textarea itself is the editor. Whatever the browser posts is
    sanitised on the server (nh3 allow-list), so pasted Word tables and images are kept
    while scripts, event handlers, styles and javascript: links are dropped.
    """

    template_name = "news/widgets/rich_text.html"

    class Media:
        css = {"all": ("news/editor.css",)}
        js = ("news/editor.js",)

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs={"rows": 20, "cols": 80, **(attrs or {})})

    def format_value(self, value):
        # The editor script puts this into the page as HTML; a body sent back with a form
        # error has not been through clean_body yet, so it is sanitised here too (the CSP
        # would stop an onerror handler, but the form must not depend on it).
        value = super().format_value(value)
        return sanitize_html(value) if value else value


class ArticleAdminForm(forms.ModelForm):
    source_url = forms.URLField(
        label=_("来源网址"), required=False, max_length=500, assume_scheme="https"
    )
    tag_names = forms.CharField(
        label=_("标签"),
        required=False,
        max_length=300,
        help_text=_("用逗号或空格分隔,如:经开区, 集成电路"),
    )

    class Meta:
        model = Article
        fields = [
            "title", "slug", "category", "summary", "body", "cover", "author", "source_name",
            "source_url", "status", "published_at", "parks", "industries", "is_sample",
        ]  # fmt: skip
        widgets = {"body": RichTextWidget()}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["tag_names"].initial = ", ".join(t.name for t in self.instance.tags.all())

    def clean_body(self) -> str:
        return sanitize_html(self.cleaned_data.get("body") or "")

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if cover and hasattr(cover, "content_type"):  # a new upload, not the stored file
            validate_cover(cover)
        return cover

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("status") == Article.Status.PUBLISHED and not cleaned.get("published_at"):
            from django.utils import timezone

            cleaned["published_at"] = timezone.now()
            self.instance.published_at = cleaned["published_at"]
        return cleaned

    def tag_list(self) -> list[str]:
        raw = self.cleaned_data.get("tag_names") or ""
        return [
            part
            for part in raw.replace(",", ",").replace("、", ",").replace(" ", ",").split(",")
            if part.strip()
        ]
