"""Page budgets of issue 4 over HTTP: gunicorn (2 sync workers, `--workers` for more) + wrk, 127.0.0.1 only.

    # SQLite bench database (create it first with bench/bench_search.py):
    YUANQU_VAR_DIR=/tmp/news-bench .venv/bin/python bench/bench_news.py
    # PostgreSQL:
    DATABASE_URL=postgres://root@127.0.0.1:5432/h_news_bench .venv/bin/python bench/bench_news.py
    # the English pages (/en/…), same budgets:
    YUANQU_VAR_DIR=/tmp/news-bench .venv/bin/python bench/bench_news.py --language en

Runs, each for --duration seconds at --connections connections (wrk -t2):
1. page cache off (data caches on, warmed): the minimal reference view (`/bench/ref/<pk>/`:
   one article by primary key, bare template) and the real article page, same server run,
   in --rounds alternating pairs (median ratio reported); budget: article ≥ 0.8× reference
   throughput, p99 ≤ 100 ms at 32 connections;
2. anonymous cached article pages with the local-memory cache, while a checker sends view
   beacons (100 browsers twice each, 20 bots) and then verifies the counter rose by exactly
   100 after the flush; budget ≥ 2,500 req/s;
3. the same with the Redis cache (reported beside it);
4. the search page: 2-word queries (budget ≥ 300 req/s; 200 different queries, under the
   candidate cap, so nothing is served from a cache) and the most common word (budget p95
   ≤ 100 ms) at --connections and at --low-connections (default 4, a realistic load);
5. the same with the capped-query cache of core.search off (`search-nocache`), so the most
   common word is ranked afresh on every request.
Every run also reports the server-side time per request (gunicorn's access log, %(D)s).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.news_reference")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
os.environ.setdefault("YUANQU_VAR_DIR", "/tmp/news-bench")

RUN = f"{time.time():.0f}"
# wrk (bench/scenarios.py too): paths from a file picked at random, or (BENCH_TEMPLATE) a
# fresh lower area bound of 0.01–1,000 ㎡ in a template on every request (a broad filter, so
# the pages are full, and one of 90,000 states, so hardly any answer comes from a cache); an
# optional Cookie (a staff session).
LUA = r"""
local paths = {}
local template = os.getenv("BENCH_TEMPLATE") or ""
if template == "" then
  for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
end
local headers = {["User-Agent"] = "Mozilla/5.0 bench"}
local cookie = os.getenv("BENCH_COOKIE") or ""
if cookie ~= "" then headers["Cookie"] = cookie end
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 1000)
request = function()
  local path
  if template ~= "" then
    -- hundredths never 0: "500.00" would be redirected to its canonical form "500"
    local hundredths = math.random(0, 9999) * 10 + math.random(1, 9)
    path = template:gsub("NUMBER", string.format("%.2f", hundredths / 100))
  else
    path = paths[math.random(#paths)]
  end
  return wrk.format("GET", path, headers)
end
done = function(summary, latency, requests)
  io.write(string.format("P50_US %d\nP95_US %d\nP99_US %d\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
  io.write(string.format("ERRORS %d\n", summary.errors.status + summary.errors.connect
    + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


class Server:
    def __init__(
        self,
        port: int,
        cache: str,
        *,
        page_cache: bool = True,
        search_cache: bool = True,
        workers: int = 2,
    ) -> None:
        self.port = port
        # Server-side time of every request (gunicorn's %(D)s, microseconds), one per line.
        self.access_log = Path(tempfile.mkstemp(prefix="bench-news-", suffix=".log")[1])
        env = {
            **os.environ,
            "NEWS_BENCH_CACHE": cache,
            "NEWS_BENCH_PAGE_CACHE": "1" if page_cache else "0",
            "NEWS_BENCH_SEARCH_CACHE": "1" if search_cache else "0",
            "PYTHONPATH": str(ROOT),
        }
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "config.wsgi:application",
                "-w",
                str(workers),
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "--access-logfile",
                str(self.access_log),
                "--access-logformat",
                "%(D)s",
            ],  # fmt: skip
            cwd=ROOT,
            env=env,
        )
        deadline = time.time() + 40
        while time.time() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/robots.txt")  # /healthz is 503 with DummyCache
                if connection.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise SystemExit("gunicorn did not start")

    def reset_times(self) -> None:
        self.access_log.write_text("")

    def server_times(self) -> dict:
        """Median and p95 of the server-side time of the requests since reset_times()."""
        samples = sorted(
            int(line) for line in self.access_log.read_text().split() if line.isdigit()
        )
        if not samples:
            return {}
        return {
            "server_p50_ms": samples[len(samples) // 2] / 1000,
            "server_p95_ms": samples[min(len(samples) - 1, int(len(samples) * 0.95))] / 1000,
        }

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.access_log.unlink(missing_ok=True)


def wrk(
    port: int,
    paths: list[str],
    *,
    duration: int,
    connections: int,
    template: str = "",
    cookie: str = "",
) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        paths_file = Path(folder) / "paths.txt"
        paths_file.write_text("\n".join(paths) + "\n", encoding="utf-8")
        script = Path(folder) / "paths.lua"
        script.write_text(LUA, encoding="utf-8")
        output = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{duration}s",
                "-s",
                str(script),
                f"http://127.0.0.1:{port}",
            ],  # fmt: skip
            capture_output=True,
            text=True,
            env={
                **os.environ,
                "BENCH_PATHS": str(paths_file),
                "BENCH_TEMPLATE": template,
                "BENCH_COOKIE": cookie,
            },
            check=True,
        ).stdout
    found = {
        key: int(value) for key, value in re.findall(r"^(P\d+_US|ERRORS) (\d+)$", output, re.M)
    }
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests_per_second": round(rate, 1),
        "p50_ms": found["P50_US"] / 1000,
        "p95_ms": found["P95_US"] / 1000,
        "p99_ms": found["P99_US"] / 1000,
        "errors": found["ERRORS"],
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
    }


def beacon_check(port: int, article_id: int, result: dict) -> None:
    """100 browsers view twice (cookies kept), 20 bots once: exactly 100 views must count."""
    posted = 0
    for number in range(100):
        cookie = ""
        for _ in range(2):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            # A fresh browser identity per run: the 30-minute repeat keys of an earlier run
            # may still be in Redis.
            headers = {"User-Agent": f"Mozilla/5.0 (Linux; Android 14) browser-{RUN}-{number}"}
            if cookie:
                headers["Cookie"] = cookie
            connection.request("POST", f"/news/{article_id}/view", headers=headers)
            response = connection.getresponse()
            response.read()
            set_cookie = response.getheader("Set-Cookie")
            if set_cookie:
                cookie = set_cookie.split(";", 1)[0]
            posted += 1
    for number in range(20):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request(
            "POST", f"/news/{article_id}/view", headers={"User-Agent": f"Baiduspider/{number}"}
        )
        connection.getresponse().read()
    result["beacons_posted"] = posted + 20


def counted_views(article_id: int) -> int:
    from yuanqu.news.models import Article, ArticleViewEvent

    return (
        Article.objects.get(pk=article_id).view_count
        + ArticleViewEvent.objects.filter(article_id=article_id).count()
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--port", type=int, default=8103)
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="gunicorn sync workers (2: the budgets' setting; deploy/gunicorn.conf.py runs cores + 1)",
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="alternating reference/article rounds"
    )
    parser.add_argument(
        "--low-connections",
        type=int,
        default=4,
        help="also measure the most common word at this (realistic) concurrency",
    )
    parser.add_argument(
        "--language",
        choices=["zh-hans", "en"],
        default="zh-hans",
        help="the pages in this language (en: the /en/ pages, same budgets)",
    )
    parser.add_argument(
        "--only",
        choices=["uncached", "cached", "redis", "search", "search-nocache"],
        action="append",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from bench_search import query_sets
    from django.db import connection

    from yuanqu.news.models import Article

    only = set(args.only or ["uncached", "cached", "redis", "search", "search-nocache"])
    rng = random.Random(7)
    ids = list(Article.objects.published().values_list("id", flat=True)[:200_000])
    if len(ids) < 1000:
        raise SystemExit("generate the bench articles first: bench/bench_search.py")
    sample = rng.sample(ids, 500)
    from django.utils import translation

    with translation.override(args.language):
        articles = {a.pk: a.get_absolute_url() for a in Article.objects.filter(pk__in=sample)}
    prefix = "/en" if args.language == "en" else ""
    article_paths = list(articles.values())
    # Article pages should carry their 6–8 related articles, as in production.
    from yuanqu.news.models import RelatedArticle
    from yuanqu.news.related import related_refresh_for_article

    linked = set(
        RelatedArticle.objects.filter(article_id__in=sample).values_list("article_id", flat=True)
    )
    for article_id in sample:
        if article_id not in linked:
            related_refresh_for_article(article_id=article_id)
    links = RelatedArticle.objects.filter(article_id__in=sample).count()
    print(f"sampled articles: {len(sample)}, related links among them: {links}")
    reference_paths = [f"/bench/ref/{pk}/" for pk in articles]
    report: dict = {
        "database": connection.vendor,
        "workers": args.workers,
        "language": args.language,
        "articles": len(ids),
        "runs": {},
    }
    connection.close()

    def run(
        label: str, port: int, paths: list[str], *, server: Server | None = None, connections=None
    ) -> dict:
        connections = connections or args.connections
        wrk(port, paths, duration=8, connections=connections)  # warm-up, not reported
        if server is not None:
            server.reset_times()
        figures = wrk(port, paths, duration=args.duration, connections=connections)
        if server is not None:
            figures.update(server.server_times())
        report["runs"][label] = figures
        print(f"{connection.vendor:10s} {label:34s} {json.dumps(figures)}", flush=True)
        return figures

    if "uncached" in only:
        server = Server(args.port, "locmem", page_cache=False, workers=args.workers)
        try:
            # 100 articles, so the warm-up fills both workers' data caches (the page cache
            # is off); reference and article pages read the same articles. Alternating
            # rounds, so a change in the machine's load hits both sides alike.
            wrk(args.port, reference_paths[:100], duration=8, connections=args.connections)
            wrk(args.port, article_paths[:100], duration=8, connections=args.connections)
            ratios = []
            for number in range(1, args.rounds + 1):
                pair = []
                for label, paths in (
                    ("reference view", reference_paths[:100]),
                    ("article page (no page cache)", article_paths[:100]),
                ):
                    server.reset_times()
                    figures = wrk(
                        args.port, paths, duration=args.duration, connections=args.connections
                    )
                    figures.update(server.server_times())
                    report["runs"][f"{label}, round {number}"] = figures
                    print(f"{connection.vendor:10s} {label:34s} {json.dumps(figures)}", flush=True)
                    pair.append(figures["requests_per_second"])
                ratios.append(round(pair[1] / pair[0], 3))
                print(f"round {number}: ratio article/reference = {ratios[-1]}", flush=True)
            report["ratio_article_to_reference"] = sorted(ratios)[len(ratios) // 2]
            print(f"median ratio article/reference = {report['ratio_article_to_reference']}")
        finally:
            server.stop()

    for cache in ("locmem", "redis"):
        if ("cached" if cache == "locmem" else "redis") not in only:
            continue
        server = Server(args.port, cache, workers=args.workers)
        try:
            target = sample[0]
            before = counted_views(target)
            connection.close()
            check: dict = {}
            checker = threading.Thread(target=beacon_check, args=(args.port, target, check))
            # The 100 most-read pages stay cached; warm both workers' caches first.
            hot = article_paths[:100]
            wrk(args.port, hot, duration=8, connections=args.connections)
            checker.start()
            figures = wrk(args.port, hot, duration=args.duration, connections=args.connections)
            checker.join()
            from yuanqu.news.services import article_views_flush

            article_views_flush()
            delta = counted_views(target) - before
            connection.close()
            figures["views_counted_of_100_browsers"] = delta
            figures["beacons_posted"] = check.get("beacons_posted")
            report["runs"][f"cached article page ({cache})"] = figures
            print(
                f"{connection.vendor:10s} cached article page ({cache}) {json.dumps(figures)}",
                flush=True,
            )
        finally:
            server.stop()

    if "search" in only or "search-nocache" in only:
        queries = query_sets()
        two_words = [
            f"{prefix}/search/?" + urllib.parse.urlencode({"q": query})
            for query in queries["2-word"]
        ]
        common = [
            f"{prefix}/search/?" + urllib.parse.urlencode({"q": query})
            for query in queries["most common word"]
        ]
        # The 2-word queries stay under the candidate cap, so the capped-query cache never
        # holds them; the most common word is measured with that cache and without it.
        for search_cache in (True, False):
            if ("search" if search_cache else "search-nocache") not in only:
                continue
            server = Server(args.port, "locmem", search_cache=search_cache, workers=args.workers)
            suffix = "" if search_cache else ", capped-query cache off"
            try:
                run(f"search page, 2-word queries{suffix}", args.port, two_words, server=server)
                for connections in sorted({args.connections, args.low_connections}, reverse=True):
                    run(
                        f"search page, most common word, {connections} conn.{suffix}",
                        args.port,
                        common,
                        server=server,
                        connections=connections,
                    )
            finally:
                server.stop()

    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
