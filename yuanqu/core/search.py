"""Chinese full-text search over one interface: SQLite FTS5 or PostgreSQL tsvector.

Text is folded (繁→简, 全角→半角, lower case) and segmented by `core.text` before either
database sees it, so both back ends index and query the same tokens:

- SQLite: one FTS5 table per kind (`search_fts_<kind>`, tokenizer unicode61 over the
  space-joined tokens), rowid = `search_document.id`.
- PostgreSQL: `search_document.tsv` built with `array_to_tsvector` from the
  tokens (no PostgreSQL parser or dictionary involved), GIN indexes.

The tables are created by the migration `news/0002_search_index` (raw SQL per vendor).

Queries: every term is quoted (FTS5) or passed as a quoted lexeme (tsquery), and tokens
keep only word characters, so FTS operators typed by users (`NEAR(`, `*`, `AND`, `"`)
are plain words. Quoted phrases must also appear verbatim in the folded text. Ranking:
documents whose title holds every term come first, then the rest, each by recency.
A very common word would make the database rank every hit, so only the CANDIDATE_CAP most
recently indexed hits are ranked (the page says so: `SearchResults.truncated`).

Ranking those hits is the costly case (about 2,000 rows read per query), and its outcome only
changes when the index changes or a scheduled document comes due, so the ranked candidates of a
capped query are kept in the cache for `SEARCH_CAPPED_CACHE_SECONDS` (default 60, 0 = off),
keyed by a per-kind index generation that every write bumps, and used only while no document of
that kind has become visible since. Queries below the cap are never cached.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
import time as clock
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString, mark_safe

from yuanqu.core.text import fold, segment_for_index, segment_for_query

KINDS = ("article", "park", "carrier", "lead", "project", "enterprise")
MAX_QUERY_CHARS = 200
MAX_TERMS = 8
CANDIDATE_CAP = 2000
BODY_STORE_CHARS = 20000
SNIPPET_CHARS = 110

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_PHRASE = re.compile(r"[\"“”「」『』]([^\"“”「」『』]+)[\"“”「」『』]")


@dataclass(frozen=True)
class Document:
    object_id: int
    title: str
    body: str
    published_at: datetime | None = None
    category: str = ""


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[str, ...]
    phrases: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        return not self.terms


@dataclass
class SearchHit:
    object_id: int
    title_html: SafeString
    snippet_html: SafeString
    published_at: datetime | None
    in_title: bool


@dataclass
class SearchResults:
    query: str
    parsed: ParsedQuery
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 20
    truncated: bool = False

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def object_ids(self) -> list[int]:
        return [hit.object_id for hit in self.hits]


# --- tokens --------------------------------------------------------------------------------


def _clean_tokens(tokens: Iterable[str]) -> list[str]:
    """Keep word characters only, so no token can carry FTS or tsquery syntax."""
    cleaned = []
    for token in tokens:
        token = _NON_WORD.sub("", token)
        if token:
            cleaned.append(token)
    return cleaned


def index_tokens(text: str) -> list[str]:
    return _clean_tokens(segment_for_index(text))


def parse_query(raw: str) -> ParsedQuery:
    """Split user input into AND-ed terms and exact phrases (both folded)."""
    raw = (raw or "")[:MAX_QUERY_CHARS]
    phrases: list[str] = []
    terms: list[str] = []

    def take_phrase(match: re.Match) -> str:
        phrase = fold(match.group(1)).strip()
        if _NON_WORD.sub("", phrase):
            phrases.append(phrase)
            terms.extend(_clean_tokens(segment_for_query(phrase)))
        return " "

    rest = _PHRASE.sub(take_phrase, raw)
    terms.extend(_clean_tokens(segment_for_query(rest)))
    unique: list[str] = []
    for term in terms:
        if term not in unique:
            unique.append(term)
    return ParsedQuery(terms=tuple(unique[:MAX_TERMS]), phrases=tuple(phrases[:3]))


# --- writing -------------------------------------------------------------------------------


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown search kind {kind!r}")


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _sqlite_time(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _row_values(document: Document) -> dict:
    title = document.title or ""
    body = (document.body or "")[:BODY_STORE_CHARS]
    return {
        "title": title,
        "body": body,
        "folded_title": fold(title),
        "folded": fold(body),
        "title_tokens": index_tokens(title),
        "body_tokens": index_tokens(body),
    }


def index_document(
    *,
    kind: str,
    object_id: int,
    title: str,
    body: str,
    published_at: datetime | None = None,
    category: str = "",
) -> None:
    """Add or replace one document in the index."""
    index_documents(
        kind=kind,
        documents=[Document(object_id, title, body, published_at, category)],
    )


def index_documents(*, kind: str, documents: Iterable[Document], batch_size: int = 500) -> int:
    """Add or replace many documents (used by reindex commands and benches)."""
    _check_kind(kind)
    count = 0
    batch: list[Document] = []
    for document in documents:
        batch.append(document)
        if len(batch) >= batch_size:
            count += _write_batch(kind, batch)
            batch = []
    if batch:
        count += _write_batch(kind, batch)
    return count


def _write_batch(kind: str, documents: Sequence[Document]) -> int:
    prepared = [(document, _row_values(document)) for document in documents]
    _index_changed(kind)
    with transaction.atomic(), connection.cursor() as cursor:
        if _is_postgres():
            # One INSERT … SELECT FROM unnest(…) per batch. Tokens hold word characters
            # only, so a space-joined string round-trips through string_to_array.
            latest = {document.object_id: (document, values) for document, values in prepared}
            columns: list[list] = [[] for _ in range(8)]
            for document, values in latest.values():
                row = (
                    document.object_id,
                    document.category,
                    document.published_at,
                    values["folded_title"],
                    values["title"],
                    values["body"],
                    values["folded"],
                    " ".join(sorted(set(values["title_tokens"] + values["body_tokens"]))),
                )
                for column, value in zip(columns, row, strict=True):
                    column.append(value)
            cursor.execute(
                """
                INSERT INTO search_document
                    (kind, object_id, category, published_at, folded_title, title, body, folded, tsv)
                SELECT %s, u.object_id, u.category, u.published_at, u.folded_title, u.title,
                       u.body, u.folded,
                       array_to_tsvector(array_remove(string_to_array(u.tokens, ' '), ''))
                FROM unnest(%s::bigint[], %s::text[], %s::timestamptz[], %s::text[], %s::text[],
                            %s::text[], %s::text[], %s::text[])
                     AS u(object_id, category, published_at, folded_title, title, body, folded, tokens)
                ON CONFLICT (kind, object_id) DO UPDATE SET
                    category = EXCLUDED.category, published_at = EXCLUDED.published_at,
                    folded_title = EXCLUDED.folded_title, title = EXCLUDED.title,
                    body = EXCLUDED.body, folded = EXCLUDED.folded, tsv = EXCLUDED.tsv
                """,
                [kind, *columns],
            )
            return len(prepared)
        table = f"search_fts_{kind}"
        # One statement per kind of change (executemany), not three per document: the
        # index build budget is ≥ 1,000 articles/s.
        existing: dict[int, int] = {}
        object_ids = [document.object_id for document, _ in prepared]
        for start in range(0, len(object_ids), 500):
            chunk = object_ids[start : start + 500]
            cursor.execute(
                "SELECT object_id, id FROM search_document WHERE kind = %s AND object_id IN ("
                + ", ".join(["%s"] * len(chunk))
                + ")",
                [kind, *chunk],
            )
            existing.update(cursor.fetchall())
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM search_document")
        next_id = cursor.fetchone()[0] + 1
        updates, inserts, fts_rows = [], [], []
        for document, values in prepared:
            sqlite_row: list = [
                document.category,
                _sqlite_time(document.published_at),
                values["folded_title"],
                values["title"],
                values["body"],
                values["folded"],
            ]
            doc_id = existing.get(document.object_id)
            if doc_id is None:
                doc_id = next_id
                next_id += 1
                existing[document.object_id] = doc_id
                inserts.append([doc_id, kind, document.object_id, *sqlite_row])
            else:
                updates.append([*sqlite_row, doc_id])
            fts_rows.append(
                [doc_id, " ".join(values["title_tokens"]), " ".join(values["body_tokens"])]
            )
        if updates:
            cursor.executemany(f"DELETE FROM {table} WHERE rowid = %s", [[u[-1]] for u in updates])
            cursor.executemany(
                "UPDATE search_document SET category = %s, published_at = %s,"
                " folded_title = %s, title = %s, body = %s, folded = %s WHERE id = %s",
                updates,
            )
        if inserts:
            cursor.executemany(
                "INSERT INTO search_document (id, kind, object_id, category, published_at,"
                " folded_title, title, body, folded) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                inserts,
            )
        cursor.executemany(
            f"INSERT INTO {table} (rowid, title, body) VALUES (%s, %s, %s)", fts_rows
        )
    return len(prepared)


def remove_document(*, kind: str, object_id: int) -> None:
    _check_kind(kind)
    _index_changed(kind)
    with transaction.atomic(), connection.cursor() as cursor:
        if not _is_postgres():
            cursor.execute(
                f"DELETE FROM search_fts_{kind} WHERE rowid IN"
                " (SELECT id FROM search_document WHERE kind = %s AND object_id = %s)",
                [kind, object_id],
            )
        cursor.execute(
            "DELETE FROM search_document WHERE kind = %s AND object_id = %s", [kind, object_id]
        )


def clear_index(*, kind: str) -> None:
    _check_kind(kind)
    _index_changed(kind)
    with transaction.atomic(), connection.cursor() as cursor:
        if not _is_postgres():
            cursor.execute(f"DELETE FROM search_fts_{kind}")
        cursor.execute("DELETE FROM search_document WHERE kind = %s", [kind])


def optimize() -> None:
    """Refresh planner statistics (and merge FTS5 segments) after a bulk build.

    Without statistics PostgreSQL may intersect the GIN index with the kind index and
    spend 30 ms on a query that needs 2 ms.
    """
    with connection.cursor() as cursor:
        if _is_postgres():
            cursor.execute("ANALYZE search_document")
            return
        for kind in KINDS:
            cursor.execute(f"INSERT INTO search_fts_{kind}(search_fts_{kind}) VALUES ('optimize')")
        cursor.execute("ANALYZE search_document")


def indexed_ids(*, kind: str) -> set[int]:
    _check_kind(kind)
    with connection.cursor() as cursor:
        cursor.execute("SELECT object_id FROM search_document WHERE kind = %s", [kind])
        return {row[0] for row in cursor.fetchall()}


# --- cached candidates of capped queries -----------------------------------------------------


def _generation_key(kind: str) -> str:
    return f"search:generation:{kind}"


def index_generation(*, kind: str) -> int:
    """Changes on every write to the kind's index (part of the cached candidates' key)."""
    key = _generation_key(kind)
    value = cache.get(key)
    if value is None:
        # A fresh start value, never an earlier one: entries of a lost counter must not revive.
        cache.add(key, clock.time_ns(), None)
        value = cache.get(key) or clock.time_ns()
    return int(value)


def _bump_generation(kind: str) -> None:
    try:
        cache.incr(_generation_key(kind))
    except ValueError:
        cache.set(_generation_key(kind), clock.time_ns(), None)


def _index_changed(kind: str) -> None:
    # Before the write, so this transaction reads its own writes. A request that ranks the
    # same capped query between this write and its commit may keep the older list until the
    # entry expires (SEARCH_CAPPED_CACHE_SECONDS), as may other processes sharing no cache.
    _bump_generation(kind)


def _cache_seconds() -> int:
    return int(settings.SEARCH_CAPPED_CACHE_SECONDS)


def _candidates_key(kind: str, parsed: ParsedQuery, **options: object) -> str:
    # The database too: two sites (or test runs) may share one Redis.
    database = (connection.vendor, connection.settings_dict.get("NAME"))
    described = repr((database, kind, parsed.terms, parsed.phrases, sorted(options.items())))
    digest = hashlib.sha256(described.encode()).hexdigest()[:32]
    return f"search:candidates:{index_generation(kind=kind)}:{digest}"


def _next_visible(kind: str, visible_at: datetime) -> object:
    """When the next document of the kind becomes visible after `visible_at` (as stored)."""
    postgres = _is_postgres()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT MIN(published_at) FROM search_document WHERE kind = %s AND published_at > %s",
            [kind, visible_at if postgres else _sqlite_time(visible_at)],
        )
        return cursor.fetchone()[0]


def _ranked_candidates(
    kind: str,
    parsed: ParsedQuery,
    *,
    category: str | None,
    date_from: datetime | None,
    date_to: datetime | None,
    visible_at: datetime | None,
    cap: int,
) -> tuple[list[tuple[int, int, bool]], bool]:
    """_candidates, with the result of a capped query kept while it cannot change."""
    seconds = _cache_seconds()
    if seconds <= 0:
        return _candidates(
            kind,
            parsed,
            category=category,
            date_from=date_from,
            date_to=date_to,
            visible_at=visible_at,
            cap=cap,
        )
    key = _candidates_key(
        kind,
        parsed,
        category=category,
        date_from=date_from,
        date_to=date_to,
        timed=visible_at is not None,
        cap=cap,
    )
    # Compared as the database compares them (SQLite: UTC text to the second).
    stamp = None
    if visible_at is not None:
        stamp = visible_at if _is_postgres() else _sqlite_time(visible_at)
    entry = cache.get(key)
    if entry is not None:
        rows, truncated, computed_at, next_visible = entry
        # Valid while the same documents are visible: none has come due since computed_at.
        if stamp is None or (
            computed_at <= stamp and (next_visible is None or stamp < next_visible)
        ):
            return rows, truncated
    rows, truncated = _candidates(
        kind,
        parsed,
        category=category,
        date_from=date_from,
        date_to=date_to,
        visible_at=visible_at,
        cap=cap,
    )
    if truncated:
        next_visible = _next_visible(kind, visible_at) if visible_at is not None else None
        cache.set(key, (rows, truncated, stamp, next_visible), seconds)
    return rows, truncated


# --- reading -------------------------------------------------------------------------------


def _fts_match(terms: Sequence[str]) -> str:
    return " AND ".join('"' + term.replace('"', '""') + '"' for term in terms)


def _tsquery(terms: Sequence[str]) -> str:
    return " & ".join("'" + term.replace("'", "''").replace("\\", "\\\\") + "'" for term in terms)


def _as_datetime(value: date | datetime | None, *, end: bool = False) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.combine(value, time.max if end else time.min, tzinfo=UTC)


def _candidates(
    kind: str,
    parsed: ParsedQuery,
    *,
    category: str | None,
    date_from: datetime | None,
    date_to: datetime | None,
    visible_at: datetime | None,
    cap: int,
) -> tuple[list[tuple[int, int, bool]], bool]:
    """(doc id, object id, title hit) of matching documents in rank order, and truncation."""
    filters: list[str] = []
    params: list = []
    postgres = _is_postgres()

    def stamp(value: datetime) -> object:
        return value if postgres else _sqlite_time(value)

    if category:
        filters.append("d.category = %s")
        params.append(category)
    if date_from:
        filters.append("d.published_at >= %s")
        params.append(stamp(date_from))
    if date_to:
        filters.append("d.published_at <= %s")
        params.append(stamp(date_to))
    if visible_at:
        filters.append("(d.published_at IS NULL OR d.published_at <= %s)")
        params.append(stamp(visible_at))
    position = "strpos" if postgres else "instr"
    for phrase in parsed.phrases:
        filters.append(f"({position}(d.folded_title, %s) > 0 OR {position}(d.folded, %s) > 0)")
        params.extend([phrase, phrase])
    where = (" AND " + " AND ".join(filters)) if filters else ""
    # "Title hit": every term occurs in the folded title. A substring test on the short
    # title column is cheaper than a second full-text match over all title hits.
    in_title = " AND ".join([f"{position}(d.folded_title, %s) > 0"] * len(parsed.terms))

    with connection.cursor() as cursor:
        if postgres:
            cursor.execute(
                f"""
                SELECT h.id, h.object_id, h.in_title FROM (
                    SELECT d.id, d.object_id, d.published_at, ({in_title}) AS in_title
                    FROM search_document d
                    WHERE d.kind = %s AND d.tsv @@ %s::tsquery{where}
                    ORDER BY d.id DESC LIMIT %s
                ) h
                ORDER BY h.in_title DESC, h.published_at DESC NULLS LAST, h.id DESC
                """,
                [*parsed.terms, kind, _tsquery(parsed.terms), *params, cap + 1],
            )
        else:
            table = f"search_fts_{kind}"
            cursor.execute(
                f"""
                SELECT d.id, d.object_id, ({in_title}) AS in_title
                FROM (
                    SELECT rowid AS id FROM {table} WHERE {table} MATCH %s
                    ORDER BY rowid DESC LIMIT %s
                ) h JOIN search_document d ON d.id = h.id
                WHERE 1 = 1{where}
                ORDER BY in_title DESC, d.published_at IS NULL, d.published_at DESC, d.id DESC
                """,
                [*parsed.terms, _fts_match(parsed.terms), cap + 1, *params],
            )
        rows = cursor.fetchall()
    truncated = len(rows) > cap
    return [(row[0], row[1], bool(row[2])) for row in rows[:cap]], truncated


def search(
    *,
    kind: str,
    query: str,
    page: int = 1,
    per_page: int = 20,
    category: str | None = None,
    date_from: date | datetime | None = None,
    date_to: date | datetime | None = None,
    visible_at: datetime | None = None,
    cap: int = CANDIDATE_CAP,
) -> SearchResults:
    """Ranked, highlighted, paginated results. Never raises on user input."""
    _check_kind(kind)
    parsed = parse_query(query)
    page = max(1, page)
    results = SearchResults(query=query, parsed=parsed, page=page, per_page=per_page)
    if parsed.is_empty:
        return results
    candidates, truncated = _ranked_candidates(
        kind,
        parsed,
        category=category,
        date_from=_as_datetime(date_from),
        date_to=_as_datetime(date_to, end=True),
        visible_at=visible_at,
        cap=cap,
    )
    results.total = len(candidates)
    results.truncated = truncated
    if results.page > results.num_pages:
        results.page = results.num_pages
    start = (results.page - 1) * per_page
    page_rows = candidates[start : start + per_page]
    if not page_rows:
        return results
    with connection.cursor() as cursor:
        placeholders = ", ".join(["%s"] * len(page_rows))
        cursor.execute(
            "SELECT id, title, body, published_at, folded_title, folded FROM search_document"
            f" WHERE id IN ({placeholders})",
            [row[0] for row in page_rows],
        )
        stored = {row[0]: row[1:] for row in cursor.fetchall()}
    highlight_terms = list(parsed.phrases) + list(parsed.terms)
    for doc_id, object_id, in_title in page_rows:
        if doc_id not in stored:
            continue
        title, body, published_at, folded_title, folded = stored[doc_id]
        if isinstance(published_at, str):
            published_at = datetime.fromisoformat(published_at).replace(tzinfo=UTC)
        results.hits.append(
            SearchHit(
                object_id=object_id,
                title_html=highlight(title, highlight_terms, length=None, folded=folded_title),
                snippet_html=highlight(body, highlight_terms, length=SNIPPET_CHARS, folded=folded),
                published_at=published_at,
                in_title=in_title,
            )
        )
    return results


def matching_ids(*, kind: str, query: str, limit: int = 5000) -> list[int]:
    """Object ids matching the query, best first (title hits, then recency)."""
    _check_kind(kind)
    parsed = parse_query(query)
    if parsed.is_empty:
        return []
    candidates, _ = _candidates(
        kind, parsed, category=None, date_from=None, date_to=None, visible_at=None, cap=limit
    )
    return [object_id for _, object_id, _ in candidates]


def id_filter(ids: Sequence[int], *, field: str = "pk") -> Q:
    """`field__in=ids` for the long id lists a search returns, sent as one parameter
    (PostgreSQL: an array; SQLite: a JSON array read by json_each) instead of thousands:
    building, binding and planning a big IN list otherwise costs more than the search."""
    if len(ids) <= 100:
        return Q(**{f"{field}__in": list(ids)})
    if _is_postgres():
        return Q(**{f"{field}__in": RawSQL("SELECT unnest(%s::integer[])", [list(ids)])})
    return Q(**{f"{field}__in": RawSQL("SELECT value FROM json_each(%s)", [json.dumps(list(ids))])})


def ids_with_term(*, kind: str, term: str, limit: int = 200) -> list[int]:
    """Object ids of the most recently indexed documents holding one index token."""
    _check_kind(kind)
    cleaned = _clean_tokens([term])
    if not cleaned:
        return []
    with connection.cursor() as cursor:
        if _is_postgres():
            cursor.execute(
                "SELECT object_id FROM search_document WHERE kind = %s AND tsv @@ %s::tsquery"
                " ORDER BY id DESC LIMIT %s",
                [kind, _tsquery(cleaned), limit],
            )
        else:
            table = f"search_fts_{kind}"
            cursor.execute(
                f"SELECT d.object_id FROM (SELECT rowid AS id FROM {table} WHERE {table} MATCH %s"
                f" ORDER BY rowid DESC LIMIT %s) h JOIN search_document d ON d.id = h.id",
                [_fts_match(cleaned), limit],
            )
        return [row[0] for row in cursor.fetchall()]


# --- snippets ------------------------------------------------------------------------------


def highlight(
    text: str, terms: Sequence[str], *, length: int | None, folded: str | None = None
) -> SafeString:
    """Escape the text, then wrap matches of the (folded) terms in <mark>.

    With `length`, cut a window of about that many characters around the first match.
    Matching runs on the folded text; when folding changed the length (rare), the folded
    text is what is shown, so positions stay right. `folded` is fold(text) when the caller
    has it stored (the index keeps it), which saves folding it again.
    """
    text = text or ""
    if folded is None:
        folded = fold(text)
    shown = text if len(folded) == len(text) else folded
    spans = _match_spans(folded, terms)
    start, end = 0, len(shown)
    if length is not None and len(shown) > length:
        first = spans[0][0] if spans else 0
        start = max(0, first - length // 4)
        end = min(len(shown), start + length)
    pieces: list[str] = ["…" if start > 0 else ""]
    cursor = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        pieces.append(html.escape(shown[cursor:span_start]))
        pieces.append("<mark>" + html.escape(shown[span_start:span_end]) + "</mark>")
        cursor = span_end
    pieces.append(html.escape(shown[cursor:end]))
    if end < len(shown):
        pieces.append("…")
    # html.escape is what django.utils.html.escape runs, without its lazy-string check.
    return mark_safe("".join(pieces))  # noqa: S308 - every piece above is escaped


def _match_spans(folded: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    taken = [False] * len(folded)
    spans: list[tuple[int, int]] = []
    for term in sorted({t for t in terms if t}, key=len, reverse=True):
        position = folded.find(term)
        while position != -1:
            stop = position + len(term)
            if not any(taken[position:stop]):
                spans.append((position, stop))
                for index in range(position, stop):
                    taken[index] = True
            position = folded.find(term, stop)
    spans.sort()
    return spans
