from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_prose_editor.widgets import AdminProseEditorWidget

from yuanqu.news.content import sanitize_html, validate_cover
from yuanqu.news.models import Article

# What the editor offers; each extension's markup is a subset of content.ALLOWED_TAGS, and
# whatever the browser posts is still cleaned by sanitize_html (the one rule set).
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Image": {"allowBase64": True},  # images pasted from Word and WPS come as data: URLs
    "Figure": True,  # an image with its caption
    "Caption": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "History": True,
    "HTML": True,  # edit the HTML source in a dialog
}


class RichTextWidget(AdminProseEditorWidget):
    """The admin's rich-text editor: django-prose-editor (ProseMirror/Tiptap, its assets ship
    in the Python package: no CDN, no build step). Pasted Word and WPS content is first
    reduced to the editor's schema in the browser, then cleaned on the server by nh3
    (`clean_body`). Without JavaScript the textarea itself is the editor."""

    def __init__(self, attrs=None) -> None:
        super().__init__(
            attrs={"rows": 20, "cols": 80, **(attrs or {})},
            config={"extensions": EDITOR_EXTENSIONS},
            preset="configurable",
        )

    def format_value(self, value):
        # The editor loads this into the page as HTML; a body sent back with a form error has
        # not been through clean_body yet, so it is sanitised here too (the CSP would stop an
        # onerror handler, but the form must not depend on it).
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
        help_texts = {
            "body": _(
                "可直接粘贴 Word、WPS 内容(表格、列表、图片会保留);"
                "保存时会清除脚本、事件属性、样式和 javascript: 链接。"
            )
        }

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
