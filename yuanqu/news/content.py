"""Article content helpers: HTML sanitising, plain text, pinyin slugs, cover images."""

from __future__ import annotations

import html
import io
import re

import nh3
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.text import slugify
from django.utils.translation import gettext as _

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u", "s", "sub",
    "sup", "blockquote", "ul", "ol", "li", "a", "img", "figure", "figcaption", "table", "thead",
    "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col", "pre", "code", "span", "div",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start"},
}
_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[a-z0-9+/=\s]+$", re.IGNORECASE)
_SIZE = re.compile(r"^\d{1,4}$")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    # data: URLs are allowed by the scheme list only so that images pasted from Word survive;
    # anywhere else (a href="data:text/html…") they are dropped.
    if value.lower().lstrip().startswith("data:"):
        if tag == "img" and attribute == "src" and _DATA_IMAGE.match(value.strip()):
            return value
        return None
    if attribute in {"width", "height"} and not _SIZE.match(value.strip()):
        return None
    return value


def sanitize_html(raw: str) -> str:
    """Allow-list HTML: scripts, event handlers, javascript: URLs and style removed."""
    if not raw:
        return ""
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "mailto", "data"},
        strip_comments=True,
        link_rel="noopener noreferrer nofollow",
    ).strip()


_BLOCK_END = re.compile(r"</(p|div|h\d|li|tr|blockquote|figcaption|table)>|<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"[ \t\u3000\xa0]+")


def html_to_text(value: str) -> str:
    """Plain text of sanitised HTML, one line per block."""
    text = _BLOCK_END.sub("\n", value or "")
    text = html.unescape(_TAG.sub("", text))
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def excerpt(text: str, length: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def pinyin_slug(title: str, *, max_length: int = 80) -> str:
    from pypinyin import lazy_pinyin

    slug = slugify(" ".join(lazy_pinyin(title or "")))
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug


# --- cover images ---------------------------------------------------------------------------

COVER_MAX_BYTES = 5 * 1024 * 1024
COVER_MAX_PIXELS = 24_000_000
COVER_MIN_SIDE = 200
COVER_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
THUMBNAIL_SIZE = (480, 270)


def validate_cover(upload) -> str:
    """Check size, sniffed type and pixel count; return the real format. Raises ValidationError."""
    from PIL import Image, UnidentifiedImageError

    size = getattr(upload, "size", None)
    if size is not None and size > COVER_MAX_BYTES:
        raise ValidationError(_("封面图不能超过 5 MB。"), code="too_large")
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image_format = image.format or ""
            width, height = image.size
            if image_format not in COVER_FORMATS:
                raise ValidationError(
                    _("封面图只接受 JPEG、PNG、WebP 或 GIF 图片。"), code="bad_type"
                )
            if width * height > COVER_MAX_PIXELS:
                raise ValidationError(_("封面图像素过多(上限 2400 万像素)。"), code="too_many")
            if min(width, height) < COVER_MIN_SIDE:
                raise ValidationError(_("封面图太小(短边至少 200 像素)。"), code="too_small")
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(_("文件不是可识别的图片。"), code="not_image") from None
    finally:
        upload.seek(0)
    return image_format


def make_thumbnail(upload) -> ContentFile:
    from PIL import Image

    upload.seek(0)
    with Image.open(upload) as original:
        image = original.convert("RGB")
        image.thumbnail(THUMBNAIL_SIZE)
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=82, optimize=True)
    upload.seek(0)
    return ContentFile(buffer.getvalue())
