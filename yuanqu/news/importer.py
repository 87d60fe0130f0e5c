"""Import articles from saved pages of the model site (text or HTML) and WordPress WXR exports.

A saved page has this structure (see docs/news.md):

    当前位置:首页 > <分类> > 正文内容          ← breadcrumb (required)
    <标题>                                      ← first line after it (required)
    <作者><日期><分类><阅读数>                  ← meta line, e.g. "admin10个月前 (09-24)徐州产业信息19"
    <正文 …>
    <联系方式块>                                ← short lines with 微信号/电话/扫一扫 right above …
    版权声明:…                                  ← copyright line (see below)
    分享给朋友:                                 ← share widget (required with the copyright line)
    相关文章 …                                  ← related list (optional, ignored)

The body is what lies between the meta line and the first boilerplate marker. A page saved
before its footer loaded (no 版权声明 line) is taken to the end of its text (or to the share
widget or related list, if present), the contact block still cut, and the report warns to
check it. A page without breadcrumb, title or date, or with a copyright line but no share
widget, is refused with the reason: guessing there would publish someone's phone number
or another article's excerpt.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from yuanqu.news.content import excerpt, pinyin_slug, sanitize_html
from yuanqu.news.models import Article, Category
from yuanqu.news.services import article_save

MAX_FILE_BYTES = 20 * 1024 * 1024

BREADCRUMB = re.compile(r"^\s*当前位置\s*[::]\s*(?P<trail>.+?)\s*$")
RELATIVE_DATE = re.compile(
    r"(?P<amount>\d{1,4})\s*(?P<unit>秒|分钟|小时|天|周|个月|月|年)前"
    r"(?:\s*[((]\s*(?P<md>(?:\d{4}-)?\d{1,2}-\d{1,2})\s*[))])?"
)
ABSOLUTE_DATE = re.compile(
    r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s+(?P<H>\d{1,2}):(?P<M>\d{2})(?::\d{2})?)?"
)
SHORT_WORDS = re.compile(r"刚刚|昨天|前天")
COPYRIGHT = re.compile(r"^\s*版权声明\s*[::]")
SHARE = re.compile(r"^\s*分享给朋友\s*[::]?\s*$")
RELATED = re.compile(r"^\s*相关文章\s*$")
PHONE = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|400[\s-]?\d{3,4}[\s-]?\d{3,4}|0\d{2,3}-?\d{7,8})(?!\d)")
CONTACT_WORDS = re.compile(r"微信号|扫一扫|加微信|请说明您的需求|联系电话|联系人[::]|手机[::]")
CONTACT_MAX_CHARS = 80
SOURCE_LINE = re.compile(
    r"^\s*(?:原文链接|原文地址|来源网址|网址|URL)\s*[::]\s*(https?://\S+)\s*$", re.I
)
SAVED_FROM = re.compile(r"saved from url=\(\d+\)(https?://[^\s>]+)", re.I)
IMG_MARK = "\x00img "
HTML_MARK = "\x00html "
CUT_PAGE_WARNING = "未找到版权声明,正文取到文末,请核对"


class Refused(Exception):
    """The file does not have the structure of an article page; the message says why."""


@dataclass
class ParsedArticle:
    title: str
    category: str
    author: str
    published_at: datetime
    view_count: int
    paragraphs: list[str]
    source_url: str = ""
    tags: list[str] = field(default_factory=list)
    body_html: str = ""
    warnings: list[str] = field(default_factory=list)

    def html(self) -> str:
        if self.body_html:
            return self.body_html
        parts = []
        for paragraph in self.paragraphs:
            if paragraph.startswith(HTML_MARK):
                parts.append(sanitize_html(paragraph[len(HTML_MARK) :]))
            elif paragraph.startswith(IMG_MARK):
                parts.append(f'<p><img src="{html.escape(paragraph[len(IMG_MARK) :])}" alt=""></p>')
            else:
                parts.append(f"<p>{html.escape(paragraph)}</p>")
        return "\n".join(parts)


@dataclass
class FileReport:
    path: str
    outcomes: list[str] = field(default_factory=list)
    refused: bool = False

    def line(self) -> str:
        status = "拒绝" if self.refused else "完成"
        return f"[{status}] {self.path}: " + "; ".join(self.outcomes)


# --- dates ---------------------------------------------------------------------------------


def _local(value: date, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(
        value.year, value.month, value.day, hour, minute, tzinfo=ZoneInfo(settings.TIME_ZONE)
    )


def resolve_date(text: str, *, as_of: date) -> datetime | None:
    """Absolute or relative date ("10个月前 (09-24)", "3天前", "2021-09-24") as local midnight."""
    match = ABSOLUTE_DATE.search(text)
    if match:
        try:
            day = date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            return None
        return _local(day, int(match["H"] or 0), int(match["M"] or 0))
    match = RELATIVE_DATE.search(text)
    if match:
        amount, unit = int(match["amount"]), match["unit"]
        days = {"秒": 0, "分钟": 0, "小时": 0, "天": amount, "周": 7 * amount}.get(unit)
        approximate = as_of - timedelta(
            days=days if days is not None else (365 * amount if unit == "年" else 30 * amount)
        )
        if unit == "小时" and amount >= 24:
            approximate = as_of - timedelta(days=amount // 24)
        month_day = match["md"]
        if month_day:
            parts = [int(p) for p in month_day.split("-")]
            if len(parts) == 3:
                try:
                    return _local(date(*parts))
                except ValueError:
                    return None
            month, day_of_month = parts
            # The page shows only month-day: pick the year that puts it nearest the
            # relative hint (10个月前 seen on 2026-07-30 → 2025-09-24).
            best = None
            for year in (approximate.year - 1, approximate.year, approximate.year + 1):
                try:
                    candidate = date(year, month, day_of_month)
                except ValueError:
                    continue
                if candidate > as_of:
                    continue
                if best is None or abs((candidate - approximate).days) < abs(
                    (best - approximate).days
                ):
                    best = candidate
            return _local(best) if best else None
        return _local(approximate)
    match = SHORT_WORDS.search(text)
    if match:
        offset = {"刚刚": 0, "昨天": 1, "前天": 2}[match.group(0)]
        return _local(as_of - timedelta(days=offset))
    return None


# --- saved pages ---------------------------------------------------------------------------


class _TextExtractor(HTMLParser):
    """HTML → one line per block; images kept as marker lines; tables, lists and figures
    (an image with its caption) kept whole as one HTML marker line each, sanitised when the
    body is built; head/script/style dropped."""

    KEPT_WHOLE = {"table", "ul", "ol", "figure"}

    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section",
              "article", "header", "footer", "nav", "ul", "ol", "table", "blockquote", "span_block"}  # fmt: skip
    SKIP = {"script", "style", "head", "noscript", "template", "svg"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        # Blocks are kept whole only after the breadcrumb: menus and a breadcrumb written
        # as a list stay plain lines, so the breadcrumb is still found.
        self.keep_blocks = False
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skip_depth = 0
        self.source_url = ""
        self.kept: list[str] | None = None  # the markup of the table/list/figure being read
        self.kept_tag = ""
        self.kept_depth = 0

    def _flush(self) -> None:
        text = "".join(self.current).replace("\xa0", " ")
        if text.strip():
            self.lines.append(text.rstrip())
            self.keep_blocks = self.keep_blocks or bool(BREADCRUMB.match(text))
        self.current = []

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        if tag == "link" and (attributes.get("rel") or "").lower() == "canonical":
            self.source_url = self.source_url or (attributes.get("href") or "")
        if tag == "meta" and attributes.get("property") == "og:url":
            self.source_url = self.source_url or (attributes.get("content") or "")
        if tag in self.SKIP:
            self.skip_depth += 1
            return
        if self.skip_depth:
            return
        if self.kept is not None:
            self.kept_depth += tag == self.kept_tag
            self.kept.append(self.get_starttag_text() or f"<{tag}>")
            return
        if tag in self.KEPT_WHOLE and self.keep_blocks:
            self._flush()
            self.kept, self.kept_tag, self.kept_depth = [self.get_starttag_text() or ""], tag, 1
            return
        if tag in self.BLOCKS:
            self._flush()
        if tag == "img" and attributes.get("src", "").startswith(("http://", "https://")):
            self._flush()
            self.lines.append(IMG_MARK + attributes["src"])
        if tag in {"td", "th"}:
            self.current.append(" ")

    def handle_endtag(self, tag) -> None:
        if tag in self.SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if self.kept is not None and not self.skip_depth:
            self.kept.append(f"</{tag}>")
            self.kept_depth -= tag == self.kept_tag
            if self.kept_depth == 0:
                self.lines.append(HTML_MARK + "".join(self.kept))
                self.kept = None
            return
        if not self.skip_depth and tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data) -> None:
        if self.skip_depth:
            return
        if self.kept is not None:
            self.kept.append(html.escape(data, quote=False))
        else:
            self.current.append(data)

    def close(self) -> None:
        super().close()
        if self.kept is not None:  # an unclosed table at the end of the file
            self.lines.append(HTML_MARK + "".join(self.kept))
            self.kept = None
        self._flush()


def html_to_lines(raw: str) -> tuple[list[str], str]:
    extractor = _TextExtractor()
    extractor.feed(raw)
    extractor.close()

    source = extractor.source_url
    saved = SAVED_FROM.search(raw[:2000])
    if saved:
        source = saved.group(1)
    return extractor.lines, source


def parse_page_lines(lines: list[str], *, as_of: date, source_url: str = "") -> ParsedArticle:
    lines = [line.rstrip() for line in lines]
    start = next((i for i, line in enumerate(lines) if BREADCRUMB.match(line)), None)
    if start is None:
        raise Refused("缺少面包屑导航行(当前位置:首页 > 分类 > 正文内容)")
    trail = [part.strip() for part in re.split(r"[>›»]", BREADCRUMB.match(lines[start])["trail"])]  # type: ignore[index]
    trail = [part for part in trail if part]
    if len(trail) < 3 or trail[0] != "首页":
        raise Refused("面包屑导航不是“首页 > 分类 > 正文内容”的形式")
    category = trail[-2]
    rest = [line for line in lines[start + 1 :] if line.strip()]
    if len(rest) < 3:
        raise Refused("面包屑之后缺少标题、作者/日期行或正文")
    title = rest[0].strip()
    if len(title) > 200 or COPYRIGHT.match(title) or SHARE.match(title):
        raise Refused("面包屑之后的第一行不像标题")
    meta = rest[1].strip()
    published_at, author, view_count = _parse_meta(meta, category=category, as_of=as_of)

    body_lines = rest[2:]
    copyright_at = next((i for i, line in enumerate(body_lines) if COPYRIGHT.match(line)), None)
    share_at = next((i for i, line in enumerate(body_lines) if SHARE.match(line)), None)
    warnings = []
    if copyright_at is None:
        # Saved before the footer loaded: the text ends where the page does.
        warnings.append(CUT_PAGE_WARNING)
        copyright_at = len(body_lines)
    elif share_at is None:
        raise Refused("缺少“分享给朋友”标记,无法确定正文结束位置")
    related_at = next(
        (i for i, line in enumerate(body_lines) if RELATED.match(line)), len(body_lines)
    )
    end = min(copyright_at, share_at if share_at is not None else len(body_lines), related_at)
    # The contact block: the short contact lines right above the end marker.
    while end > 0 and _is_contact_line(body_lines[end - 1]):
        end -= 1
    paragraphs = []
    for line in body_lines[:end]:
        text = line.strip().replace("\u3000", " ").strip()
        if not text:
            continue
        found = SOURCE_LINE.match(text)
        if found and not source_url:
            source_url = found.group(1)
            continue
        paragraphs.append(text)
    if not [p for p in paragraphs if not p.startswith(IMG_MARK)]:
        raise Refused("正文为空")
    if not source_url:
        for line in lines[:start]:
            found = SOURCE_LINE.match(line.strip())
            if found:
                source_url = found.group(1)
    return ParsedArticle(
        title=title,
        category=category,
        author=author,
        published_at=published_at,
        view_count=view_count,
        paragraphs=paragraphs,
        source_url=source_url,
        warnings=warnings,
    )


def _is_contact_line(line: str) -> bool:
    text = line.strip()
    if not text:
        return True
    if len(text) > CONTACT_MAX_CHARS:
        return False
    return bool(PHONE.search(text) or CONTACT_WORDS.search(text))


def _parse_meta(meta: str, *, category: str, as_of: date) -> tuple[datetime, str, int]:
    """ "admin10个月前 (09-24)徐州产业信息19" → (date, "admin", 19)."""
    for pattern in (RELATIVE_DATE, ABSOLUTE_DATE, SHORT_WORDS):
        match = pattern.search(meta)
        if match:
            break
    else:
        raise Refused(f"无法识别作者/日期/阅读数行:{excerpt(meta, 40)}")
    published_at = resolve_date(match.group(0), as_of=as_of)
    if published_at is None:
        raise Refused(f"日期无效:{match.group(0)}")
    author = meta[: match.start()].strip()
    tail = meta[match.end() :].strip()
    if tail.startswith(category):
        tail = tail[len(category) :].strip()
    views = re.search(r"(\d+)\s*$", tail)
    if views is None:
        raise Refused(f"作者/日期行里没有阅读数:{excerpt(meta, 40)}")
    return published_at, author[:50], int(views.group(1))


def parse_page(raw: str, *, as_of: date, is_html: bool) -> ParsedArticle:
    if is_html:
        lines, source = html_to_lines(raw)
        return parse_page_lines(lines, as_of=as_of, source_url=source)
    return parse_page_lines(raw.splitlines(), as_of=as_of)


# --- WordPress WXR ------------------------------------------------------------------------

WP = "{http://wordpress.org/export/1.2/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
EXCERPT = "{http://wordpress.org/export/1.2/excerpt/}encoded"
CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
VIEW_KEYS = {"views", "post_views_count", "post_views", "_views"}


def parse_wxr(raw: bytes) -> list[ParsedArticle | Refused]:
    if b"<!DOCTYPE" in raw[:4096].upper() or b"<!ENTITY" in raw.upper():
        raise Refused("WXR 文件含 DTD/实体声明,出于安全原因拒绝")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as error:
        raise Refused(f"XML 无法解析:{error}") from None
    channel = root.find("channel")
    if channel is None or root.tag != "rss":
        raise Refused("不是 WordPress WXR 导出文件(缺少 rss/channel)")
    results: list[ParsedArticle | Refused] = []
    for item in channel.findall("item"):
        post_type = (item.findtext(f"{WP}post_type") or "post").strip()
        if post_type != "post":
            continue
        title = (item.findtext("title") or "").strip()
        status = (item.findtext(f"{WP}status") or "").strip()
        if not title:
            results.append(Refused("条目缺少标题"))
            continue
        if status and status != "publish":
            results.append(Refused(f"《{title}》状态为 {status},未导入"))
            continue
        published_at = _wxr_date(item)
        if published_at is None:
            results.append(Refused(f"《{title}》缺少发布日期"))
            continue
        categories = [
            c.text.strip()
            for c in item.findall("category")
            if c.get("domain") == "category" and c.text
        ]
        tags = [
            c.text.strip()
            for c in item.findall("category")
            if c.get("domain") == "post_tag" and c.text
        ]
        views = 0
        for meta in item.findall(f"{WP}postmeta"):
            if (meta.findtext(f"{WP}meta_key") or "").strip() in VIEW_KEYS:
                value = (meta.findtext(f"{WP}meta_value") or "").strip()
                views = int(value) if value.isdigit() else 0
        body = item.findtext(CONTENT) or ""
        if not body.strip():
            results.append(Refused(f"《{title}》正文为空"))
            continue
        if "<p" not in body.lower():  # WordPress stores paragraphs as blank-line separated text
            body = "\n".join(
                f"<p>{html.escape(p.strip())}</p>" for p in re.split(r"\n\s*\n", body) if p.strip()
            )
        results.append(
            ParsedArticle(
                title=title,
                category=categories[0] if categories else "资讯",
                author=(item.findtext(CREATOR) or "").strip(),
                published_at=published_at,
                view_count=views,
                paragraphs=[],
                source_url=(item.findtext("link") or "").strip(),
                tags=tags,
                body_html=body,
            )
        )
    return results


def _wxr_date(item: ET.Element) -> datetime | None:
    gmt = (item.findtext(f"{WP}post_date_gmt") or "").strip()
    if gmt and not gmt.startswith("0000"):
        try:
            return datetime.strptime(gmt, "%Y-%m-%d %H:%M:%S").replace(tzinfo=ZoneInfo("UTC"))
        except ValueError:
            pass
    local = (item.findtext(f"{WP}post_date") or "").strip()
    if local and not local.startswith("0000"):
        try:
            return datetime.strptime(local, "%Y-%m-%d %H:%M:%S").replace(
                tzinfo=ZoneInfo(settings.TIME_ZONE)
            )
        except ValueError:
            pass
    pub = (item.findtext("pubDate") or "").strip()
    if pub:
        try:
            return parsedate_to_datetime(pub)
        except (TypeError, ValueError):
            return None
    return None


# --- storing -------------------------------------------------------------------------------


def _category(name: str) -> Category:
    category = Category.objects.filter(name=name).first()
    if category:
        return category
    slug = pinyin_slug(name, max_length=50) or "category"
    base, number = slug, 2
    while Category.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return Category.objects.create(name=name, slug=slug)


def store(parsed: ParsedArticle) -> tuple[Article, bool]:
    """Create or update (same source URL, else same title and day). Returns (article, created)."""
    existing = None
    if parsed.source_url:
        existing = Article.objects.filter(source_url=parsed.source_url).first()
    if existing is None:
        day = timezone.localtime(parsed.published_at).date()
        existing = (
            Article.objects.filter(title=parsed.title, published_at__date=day)
            .order_by("id")
            .first()
        )
    article = existing or Article()
    article.title = parsed.title
    article.category = _category(parsed.category)
    article.author = parsed.author
    article.published_at = parsed.published_at
    article.status = Article.Status.PUBLISHED
    article.body = parsed.html()
    article.source_url = parsed.source_url[:500]
    article.view_count = max(article.view_count, parsed.view_count)
    article_save(article=article, tags=parsed.tags or None)
    return article, existing is None


def import_path(path: Path, *, as_of: date) -> FileReport:
    report = FileReport(path=str(path))
    try:
        if not path.is_file():
            raise Refused("文件不存在")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise Refused("文件超过 20 MB")
        raw = path.read_bytes()
        head = raw[:2048].lstrip(b"\xef\xbb\xbf").lstrip().lower()
        if head.startswith(b"<?xml") or b"<rss" in head:
            items = parse_wxr(raw)
            if not items:
                raise Refused("WXR 文件里没有文章")
            for item in items:
                if isinstance(item, Refused):
                    report.outcomes.append(f"跳过:{item}")
                    continue
                with transaction.atomic():
                    article, created = store(item)
                report.outcomes.append(
                    f"{'新建' if created else '更新'} #{article.pk}《{article.title}》"
                )
            return report
        text = _decode(raw)
        is_html = bool(re.search(r"<(html|body|div|p)\b", text[:5000], re.I))
        parsed = parse_page(text, as_of=as_of, is_html=is_html)
        with transaction.atomic():
            article, created = store(parsed)
        report.outcomes.append(
            f"{'新建' if created else '更新'} #{article.pk}《{article.title}》"
            f" {parsed.category} {timezone.localtime(parsed.published_at):%Y-%m-%d} 阅读 {parsed.view_count}"
        )
        report.outcomes.extend(f"注意:{warning}" for warning in parsed.warnings)
    except Refused as reason:
        report.refused = True
        report.outcomes.append(str(reason))
    return report


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Refused("无法识别的文字编码(支持 UTF-8 与 GB18030)")
