"""Search budgets of issue 4 at the engine level, on 100k generated articles.

    # SQLite (a private bench database under /tmp):
    YUANQU_VAR_DIR=/tmp/news-bench .venv/bin/python bench/bench_search.py --articles 100000
    # PostgreSQL (a private bench database):
    DATABASE_URL=postgres://root@127.0.0.1:5432/h_news_bench .venv/bin/python bench/bench_search.py

Steps: migrate, generate articles (Zipf-distributed words taken from the demo corpus, so
the most common word is in nearly every article: the worst case), build the index and
report articles/s (budget ≥ 1,000/s), then time `core.search.search` for 2-word queries,
the most common word (budget p95 ≤ 100 ms) and a rare word. The page-level req/s figures
come from bench/bench_news.py (gunicorn + wrk).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.news_reference")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
os.environ.setdefault("YUANQU_VAR_DIR", "/tmp/news-bench")

SEED = 20261125


def setup_django() -> None:
    Path(os.environ["YUANQU_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def vocabulary() -> tuple[list[str], list[float]]:
    """Words and weights for generated text, most frequent first.

    jieba's dictionary (a dev dependency) gives a real Chinese word-frequency curve over
    40k words; without it, the demo corpus words (our own text) with Zipf weights.
    """
    import re
    from collections import Counter

    try:
        import jieba

        dictionary = Path(jieba.__file__).resolve().parent / "dict.txt"
        rows = []
        for line in dictionary.read_text(encoding="utf-8").splitlines():
            word, frequency, *_ = line.split(" ")
            if re.fullmatch(r"[\u4e00-\u9fff]{1,4}", word):
                rows.append((int(frequency), word))
        rows.sort(reverse=True)
        rows = rows[:40_000]
        return [word for _, word in rows], [float(frequency) for frequency, _ in rows]
    except ImportError:
        pass
    from yuanqu.core.text import segment_for_query

    data = json.loads((ROOT / "yuanqu/news/data/demo_articles.json").read_text(encoding="utf-8"))
    counts: Counter[str] = Counter()
    for item in data["articles"]:
        for text in [item["title"], *item["body"]]:
            counts.update(t for t in segment_for_query(text) if len(t) >= 2 and not t.isdigit())
    words = [word for word, _ in counts.most_common()]
    return words, [1 / (rank + 1) for rank in range(len(words))]


def generate(total: int, *, reindex: bool = False, stdout=print) -> int:
    """Create `total` bench articles (bulk, no signals) and index them; returns articles/s."""
    from django.db import transaction
    from django.utils import timezone

    from yuanqu.news.models import Article, Category

    existing = Article.objects.filter(slug__startswith="bench-").count()
    if existing >= total:
        stdout(f"bench articles already present: {existing}")
        if not reindex:
            return 0
        return build_index(stdout=stdout)
    rng = random.Random(SEED)
    words, weights = vocabulary()
    cumulative = list(itertools.accumulate(weights))
    categories = []
    for position, (name, slug) in enumerate(
        [
            ("徐州产业信息", "chanye-xinxi"),
            ("园区动态", "yuanqu-dongtai"),
            ("招商政策", "zhaoshang-zhengce"),
            ("项目建设", "xiangmu-jianshe"),
        ]  # fmt: skip
    ):
        category = Category.objects.filter(name=name).first() or Category.objects.create(
            name=name, slug=slug, position=position
        )
        categories.append(category)
    now = timezone.now()

    def sentence(length: int) -> str:
        return "".join(rng.choices(words, cum_weights=cumulative, k=length)) + "。"

    made = existing
    started = time.perf_counter()
    batch_size = 2000
    while made < total:
        batch = []
        for index in range(made, min(total, made + batch_size)):
            title = "".join(rng.choices(words, cum_weights=cumulative, k=rng.randint(5, 8)))[:120]
            body = "".join(
                f"<p>{sentence(rng.randint(12, 20))}{sentence(rng.randint(12, 20))}</p>"
                for _ in range(rng.randint(2, 4))
            )
            batch.append(
                Article(
                    title=title,
                    slug=f"bench-{index}",
                    category=rng.choice(categories),
                    body=body,
                    status=Article.Status.PUBLISHED,
                    published_at=now - timedelta(minutes=rng.randint(60, 3 * 365 * 24 * 60)),
                    author="bench",
                    view_count=rng.randint(0, 5000),
                )
            )
        with transaction.atomic():
            Article.objects.bulk_create(batch, batch_size=500)
        made += len(batch)
    created_seconds = time.perf_counter() - started
    stdout(f"created {made - existing} articles in {created_seconds:.1f} s (bulk_create)")
    return build_index(stdout=stdout)


def build_index(*, stdout=print) -> int:
    """Clear and rebuild the article index from the database; returns articles/s."""
    from yuanqu.core import search
    from yuanqu.news.models import Article
    from yuanqu.news.signals import article_document

    search.clear_index(kind="article")
    started = time.perf_counter()
    indexed = search.index_documents(
        kind="article",
        documents=(
            article_document(article)
            for article in Article.objects.filter(slug__startswith="bench-", pk__gt=0)
            .order_by("published_at")
            .select_related(None)
            .iterator(chunk_size=2000)
        ),
        batch_size=1000,
    )
    search.optimize()
    seconds = time.perf_counter() - started
    rate = indexed / seconds
    stdout(f"index build: {indexed} articles in {seconds:.1f} s = {rate:.0f} articles/s")
    return int(rate)


def timed(function, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def query_sets() -> dict[str, list[str]]:
    """2-word queries of mid-frequency words, the single most common word, rare words."""
    from yuanqu.core.text import segment_for_query

    words, _ = vocabulary()
    rng = random.Random(SEED + 1)
    # Only words the query segmenter keeps whole, so a "2-word query" really has two terms.
    middle = [w for w in words[300:3000] if len(w) >= 2 and segment_for_query(w) == [w]]
    common = next(w for w in words if segment_for_query(w) == [w])
    rare = [w for w in words[20_000:20_200] if len(w) >= 2 and segment_for_query(w) == [w]]
    return {
        "2-word": [f"{rng.choice(middle)} {rng.choice(middle)}" for _ in range(200)],
        "most common word": [common],
        "rare word": rare[:50],
    }


def bench_queries(runs: int, stdout=print) -> dict[str, dict[str, float]]:
    from django.db import connection
    from django.utils import timezone

    from yuanqu.core import search

    report = {}
    for label, queries in query_sets().items():
        samples: list[float] = []
        totals: list[int] = []
        for index in range(runs):
            query = queries[index % len(queries)]

            def run(query=query, totals=totals) -> None:
                results = search.search(
                    kind="article", query=query, per_page=10, visible_at=timezone.now()
                )
                totals.append(results.total)

            samples.extend(timed(run, 1))
        report[label] = {
            "median_ms": statistics.median(samples),
            "p95_ms": percentile(samples, 0.95),
            "queries_per_second_one_thread": 1000 / statistics.mean(samples),
            "median_hits": statistics.median(totals),
        }
        stdout(
            f"{connection.vendor} {label:17s} median {report[label]['median_ms']:.1f} ms  "
            f"p95 {report[label]['p95_ms']:.1f} ms  "
            f"{report[label]['queries_per_second_one_thread']:.0f} q/s (1 thread)  "
            f"hits (capped) {report[label]['median_hits']:.0f}"
        )
    return report


def bench_pages(runs: int, stdout=print) -> dict[str, dict[str, float]]:
    """CPU time per page in this process (Django test client, DEBUG off, no page cache).

    Not a throughput figure: no HTTP, no second worker, no wrk. It is what one request costs
    the worker, measured with time.process_time(), so other load on the machine barely moves
    it. Article pages and the reference view read the same 100 articles; search pages rotate
    over the 200 two-word queries (or repeat the most common word).
    """
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    from yuanqu.news.models import Article

    rng = random.Random(7)
    ids = list(Article.objects.published().values_list("id", flat=True)[:200_000])
    sample = rng.sample(ids, min(500, len(ids)))[:100]
    articles = {a.pk: a.get_absolute_url() for a in Article.objects.filter(pk__in=sample)}
    queries = query_sets()
    pages = {
        "reference view": [f"/bench/ref/{pk}/" for pk in articles],
        "article page (no page cache)": list(articles.values()),
        "search, 2-word": [f"/search/?{urlencode({'q': q})}" for q in queries["2-word"]],
        "search, most common word": [
            f"/search/?{urlencode({'q': q})}" for q in queries["most common word"]
        ],
    }
    client = Client(HTTP_HOST="127.0.0.1", HTTP_USER_AGENT="Mozilla/5.0 bench")
    report = {}
    for cached_candidates in (True, False):
        seconds = settings.SEARCH_CAPPED_CACHE_SECONDS if cached_candidates else 0
        with override_settings(NEWS_PAGE_CACHE=False, SEARCH_CAPPED_CACHE_SECONDS=seconds):
            for label, paths in pages.items():
                if not cached_candidates:
                    if "most common" not in label:
                        continue
                    label += ", capped-query cache off"
                for path in paths:  # warm the data caches, as the HTTP bench does
                    assert client.get(path).status_code == 200, path
                samples = []
                for index in range(runs):
                    started = time.process_time()
                    client.get(paths[index % len(paths)])
                    samples.append((time.process_time() - started) * 1000)
                report[label] = {
                    "cpu_median_ms": statistics.median(samples),
                    "cpu_p95_ms": percentile(samples, 0.95),
                }
                stdout(
                    f"{label:45s} CPU per request: median {statistics.median(samples):.2f} ms"
                    f"  p95 {percentile(samples, 0.95):.2f} ms"
                )
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--reindex", action="store_true", help="rebuild and time the index")
    parser.add_argument(
        "--pages", type=int, default=0, help="also time N requests per page in this process"
    )
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    print(f"database: {connection.vendor}")
    generate(args.articles, reindex=args.reindex)
    bench_queries(args.runs)
    if args.pages:
        bench_pages(args.pages)


if __name__ == "__main__":
    main()
