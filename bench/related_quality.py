"""Related-articles quality and speed (issue 4).

    .venv/bin/python bench/related_quality.py                 # quality only (no database)
    YUANQU_VAR_DIR=/tmp/news-bench .venv/bin/python bench/related_quality.py --speed 20000

Quality, on bench/data/related_topics.json (invented items whose topics were assigned by
hand, independently of any park/industry/category link):
- precision@5 of "same topic" using text similarity alone (`rank_all(use_links=False)`);
- near-duplicates: for each story, a hand-reworded version and the same text converted to
  traditional characters must rank first for the original, and the original first for them.

Speed (needs the 100k bench database from bench/bench_search.py): the full recompute over
the N most recent articles (budget: 20k ≤ 10 min) and one new article's refresh against the
whole corpus through the search index (budget ≤ 200 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.news_reference")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
os.environ.setdefault("YUANQU_VAR_DIR", "/tmp/news-bench")
DATA = ROOT / "bench" / "data" / "related_topics.json"


def quality() -> dict:
    from opencc_purepy import OpenCC

    from yuanqu.news.related import Doc, rank_all, term_counts

    data = json.loads(DATA.read_text(encoding="utf-8"))
    to_traditional = OpenCC("s2t")
    items = list(data["articles"])
    by_id = {item["id"]: item for item in items}
    pairs = []
    for duplicate in data["near_duplicates"]:
        original = by_id[duplicate["original"]]
        reworded = {
            "id": original["id"] + "-reworded",
            "topic": original["topic"],
            **duplicate["reworded"],
        }
        traditional = {
            "id": original["id"] + "-traditional",
            "topic": original["topic"],
            "title": to_traditional.convert(original["title"]),
            "body": to_traditional.convert(original["body"]),
        }
        pairs.append((original["id"], reworded["id"], traditional["id"]))
        items.extend([reworded, traditional])

    numbers = {item["id"]: index for index, item in enumerate(items)}
    docs = [
        Doc(id=index, counts=term_counts(item["title"], item["body"]))
        for index, item in enumerate(items)
    ]
    ranked, _ = rank_all(docs, use_links=False, top=10)
    names = {index: item["id"] for index, item in enumerate(items)}
    topics = {item["id"]: item["topic"] for item in items}

    # precision@5 over the hand-labelled base articles only (variants would inflate it).
    base_ids = [item["id"] for item in data["articles"]]
    duplicates_of = {}
    for original, reworded, traditional in pairs:
        duplicates_of[original] = {reworded, traditional}
        duplicates_of[reworded] = {original, traditional}
        duplicates_of[traditional] = {original, reworded}
    precisions = []
    for item_id in base_ids:
        neighbours = [
            names[other]
            for other, _ in ranked[numbers[item_id]]
            if names[other] not in duplicates_of.get(item_id, set())
        ][:5]
        precisions.append(sum(topics[n] == topics[item_id] for n in neighbours) / 5)

    first_hits = []
    for original, reworded, traditional in pairs:
        for source, expected in (
            (original, {reworded, traditional}),
            (reworded, {original, traditional}),
            (traditional, {original, reworded}),
        ):
            top = ranked[numbers[source]]
            first_hits.append(bool(top) and names[top[0][0]] in expected)
        # The exact counterpart (original ↔ its traditional copy) must be first.
        top = ranked[numbers[traditional]]
        first_hits.append(bool(top) and names[top[0][0]] == original)
    report = {
        "labelled_articles": len(base_ids),
        "topics": len({topics[i] for i in base_ids}),
        "precision_at_5_text_only": round(statistics.mean(precisions), 3),
        "near_duplicate_ranked_first": f"{sum(first_hits)}/{len(first_hits)}",
    }
    print(json.dumps(report, ensure_ascii=False))
    return report


def speed(limit: int, *, skip_full: bool = False) -> dict:
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from yuanqu.news import related
    from yuanqu.news.models import Article, Category
    from yuanqu.news.related import related_refresh_for_article

    total = Article.objects.published().count()
    if total < limit:
        raise SystemExit("generate the bench articles first: bench/bench_search.py")
    # Full recompute over the `limit` most recent articles (the production command runs it
    # over all of them; the budget is stated for 20k).
    docs: list = []
    seconds = 0.0
    frequencies: dict = {}
    if not skip_full:
        ids = list(
            Article.objects.published()
            .order_by("-published_at")
            .values_list("id", flat=True)[:limit]
        )
        started = time.perf_counter()
        docs = related._published_docs(ids)
        loaded = time.perf_counter()
        ranked, frequencies = related.rank_all(docs)
        seconds = time.perf_counter() - started
        print(
            f"{connection.vendor} full recompute of {len(docs)} articles: {seconds:.1f} s"
            f" (load + segment {loaded - started:.1f} s, rank {seconds - (loaded - started):.1f} s)"
        )
    # Stored frequencies for the single-article path come from a recompute; keep them.
    from yuanqu.news.models import TermStatistic

    if not TermStatistic.objects.exists():
        TermStatistic.objects.bulk_create(
            (TermStatistic(term=t, document_count=c) for t, c in frequencies.items() if c >= 2),
            batch_size=5000,
        )
    category = Category.objects.order_by("pk").first()
    assert category is not None
    samples = []
    newcomer_ids = []
    sources = list(Article.objects.published().order_by("?").values_list("title", "body")[:21])
    for title, body in sources:
        article = Article.objects.create(
            title="新" + title[:100],
            body=body,
            category=category,
            status=Article.Status.PUBLISHED,
            published_at=timezone.now(),
            slug="bench-new",
        )
        newcomer_ids.append(article.pk)
        started = time.perf_counter()
        related_refresh_for_article(article_id=article.pk)
        samples.append((time.perf_counter() - started) * 1000)
    samples = samples[1:]  # the first call loads the segmenter dictionary
    Article.objects.filter(pk__in=newcomer_ids).delete()
    report = {
        "database": connection.vendor,
        "full_recompute_articles": len(docs),
        "full_recompute_seconds": round(seconds, 1),
        "one_new_article_median_ms": round(statistics.median(samples), 1),
        "one_new_article_max_ms": round(max(samples), 1),
        "corpus": total,
    }
    print(json.dumps(report))
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--speed", type=int, default=0, help="also time a full recompute of N articles"
    )
    parser.add_argument(
        "--skip-full", action="store_true", help="time only the one-article refresh"
    )
    args = parser.parse_args()
    if args.speed:
        speed(args.speed, skip_full=args.skip_full)
    else:
        import django

        django.setup()
    quality()


if __name__ == "__main__":
    main()
