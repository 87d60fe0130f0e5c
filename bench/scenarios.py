"""All the page budgets in one run, beside their anchors (issue 14). Not a test.

    # one bench database with every kind of data (SQLite under YUANQU_VAR_DIR, or DATABASE_URL):
    export YUANQU_VAR_DIR=/tmp/bench-scenarios    # or DATABASE_URL=postgres://root@127.0.0.1/h_scen
    .venv/bin/python bench/scenarios.py setup     # ≈ 5 min the first time, idempotent
    .venv/bin/python bench/scenarios.py run --readme

`setup` runs the setups of bench_matching (200 parks, 50,000 carriers), bench_search (the
generated articles, indexed), bench_workbench (10k leads, 2k projects, 20k enterprises) and
bench_indicators (50 parks × 15 indicators × 5 years) on one database.

`run` measures, in one invocation, on gunicorn with 2 sync workers (bench.news_reference
settings, 127.0.0.1 only) and wrk:
- the anchors: a bare Django view fetching one article by primary key into a bare template,
  and nginx serving the article pages' HTML as static files;
- home, article (page cache off, in alternating rounds with the bare view), category list,
  search (2-word queries, the commonest word), carrier search and API carrier search (a
  filter state never asked before on every request; the API also with repeated states),
  carrier detail, map data, the workbench inbox and the city dashboard (signed in), need
  submission (form post + match + results page, then the rows counted);
- with the page cache on: the cached article page straight from gunicorn and through
  nginx's microcache (deploy/nginx/yuanqu.conf), each while 100 browsers send view beacons,
  the counter checked afterwards.
Throughput scenarios run at --connections; latency budgets are read at 2 connections (one per
worker, so the figure is the service time, not the queue). Every scenario reports req/s, the
client's p50/p95/p99 and the server's own median time (gunicorn's access log).

The figures go to bench/results/<date>.json (one entry per database, merged into the day's
file), and `--readme` rewrites the budget table between the scenario markers of README.md
from the newest results, each budget marked met or missed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.news_reference")
os.environ.setdefault("YUANQU_VAR_DIR", "/tmp/bench-scenarios")
os.environ.update(
    {
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_COOKIES": "0",
        "LOG_LEVEL": "WARNING",
        # One client address sends all the load: the per-address limits would refuse it.
        "LEAD_RATE_LIMITS": "0",
        "API_ANON_RATE": "100000000/m",
    }
)

import bench_carriers  # noqa: E402  (fetch)
import bench_news  # noqa: E402  (the gunicorn server and its access log, wrk, the beacon check)

RESULTS = ROOT / "bench" / "results"
README = ROOT / "README.md"
BEGIN, END = "<!-- scenarios:begin -->", "<!-- scenarios:end -->"
FAULTS_BEGIN, FAULTS_END = "<!-- faults:begin -->", "<!-- faults:end -->"
PORT, NGINX_PORT, STATIC_PORT = 8310, 8311, 8312

# Budgets: (key, what, scenario, metric, comparison, limit). The scenario "ratios" holds the
# ratios computed in the run.
BUDGETS: list[tuple[str, str, str, str, str, float]] = [
    ("article-ratio", "article page (page cache off) ≥ 0.8× the bare reference view",
     "ratios", "article_to_reference", ">=", 0.8),
    ("article-p99", "article page p99 ≤ 100 ms at 32 connections",
     "article", "p99_ms", "<=", 100),
    ("cached", "cached article page ≥ 2,500 req/s", "article, page cache on", "rps", ">=", 2500),
    ("cached-views", "cached article page: 100 browsers' views counted exactly",
     "article, page cache on", "views_counted", "==", 100),
    ("microcache-ratio", "through nginx's microcache ≥ 0.5× nginx serving the same HTML file",
     "ratios", "microcache_to_static", ">=", 0.5),
    ("microcache-views", "through nginx's microcache: 100 browsers' views counted exactly",
     "article, nginx microcache", "views_counted", "==", 100),
    ("search-2word", "search page, 2-word queries ≥ 300 req/s", "search, 2 words", "rps", ">=", 300),
    ("search-common", "search page, the commonest word p95 ≤ 100 ms",
     "search, commonest word", "p95_ms", "<=", 100),
    ("carriers", "carrier search, new filter states ≥ 200 req/s",
     "carrier search, new states", "rps", ">=", 200),
    ("carriers-p99", "carrier search, new filter states p99 ≤ 150 ms",
     "carrier search, new states", "p99_ms", "<=", 150),
    ("map", "map data (new filter states) ≤ 50 ms, server median",
     "map data, new states", "server_p50_ms", "<=", 50),
    ("needs", "need submit + match + results ≥ 40/s", "need submit + match", "rps", ">=", 40),
    ("needs-lost", "need submissions lost or duplicated = 0",
     "need submit + match", "lost_or_duplicated", "==", 0),
    ("api-repeated", "API carrier search, repeated states ≥ 600 req/s",
     "API carrier search, repeated", "rps", ">=", 600),
    ("api-new", "API carrier search, new states ≥ 250 req/s",
     "API carrier search, new states", "rps", ">=", 250),
    ("inbox", "workbench inbox (two filters) ≤ 100 ms, server median",
     "workbench inbox", "server_p50_ms", "<=", 100),
    ("dashboard", "city dashboard (50 parks × 15 indicators × 5 years) ≤ 150 ms, server median",
     "city dashboard", "server_p50_ms", "<=", 150),
]  # fmt: skip


def setup() -> None:
    import bench_indicators
    import bench_matching
    import bench_search
    import bench_workbench

    bench_search.setup_django()
    bench_matching.setup(carriers=50_000, parks=200)
    bench_search.generate(100_000)
    bench_workbench.setup()
    bench_indicators.setup()


# ---------------------------------------------------------------------------------------
# Measuring


def wrk(
    port: int,
    paths: list[str],
    *,
    duration: int,
    connections: int,
    template: str = "",
    cookie: str = "",
) -> dict[str, Any]:
    """bench_news's wrk run, its figures under this runner's names (non-2xx count as errors)."""
    figures = bench_news.wrk(
        port, paths, duration=duration, connections=connections, template=template, cookie=cookie
    )
    return {
        "connections": connections,
        "rps": figures["requests_per_second"],
        **{key: figures[key] for key in ("p50_ms", "p95_ms", "p99_ms")},
        "errors": figures["errors"] + figures["non_2xx"],
    }


def fetch(port: int, path: str, cookie: str = "") -> tuple[int, bytes]:
    status, body, _elapsed = bench_carriers.fetch(port, path, {"Cookie": cookie} if cookie else {})
    return status, body


def machine() -> dict[str, Any]:
    """The machine's speed at the start (its CPU speed varies over the day): a bare loop."""
    started = time.perf_counter()
    total = 0
    for number in range(10_000_000):
        total += number
    return {
        "cpus": os.cpu_count(),
        "load_average": round(os.getloadavg()[0], 2),
        "loop_1e7_seconds": round(time.perf_counter() - started, 2),
    }


def session_cookie(username: str) -> str:
    """A signed-in session of `username`, stored where the server reads sessions."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


class Plan:
    """The paths of every scenario, read from the bench database."""

    def __init__(self) -> None:
        from bench_api import api_search_urls
        from bench_search import query_sets
        from django.db import connection
        from django.urls import reverse

        from yuanqu.listings.selectors import carrier_public_queryset
        from yuanqu.news.models import Article, Category, RelatedArticle
        from yuanqu.news.related import related_refresh_for_article

        rng = random.Random(14)
        ids = list(Article.objects.published().values_list("id", flat=True)[:200_000])
        if len(ids) < 1000:
            raise SystemExit("no bench data: run `bench/scenarios.py setup` first")
        sample = rng.sample(ids, 100)
        linked = set(
            RelatedArticle.objects.filter(article_id__in=sample).values_list(
                "article_id", flat=True
            )
        )
        for article_id in set(sample) - linked:  # article pages carry their related articles
            related_refresh_for_article(article_id=article_id)
        self.vendor = connection.vendor
        self.articles = len(ids)
        self.article_ids = sample
        self.article_paths = [a.get_absolute_url() for a in Article.objects.filter(pk__in=sample)]
        self.reference_paths = [f"/bench/ref/{pk}/" for pk in sample]
        self.categories = [
            reverse("news:category", kwargs={"slug": slug})
            for slug in Category.objects.values_list("slug", flat=True)
        ]
        queries = query_sets()
        self.search_2word = [
            "/search/?" + urllib.parse.urlencode({"q": query}) for query in queries["2-word"]
        ]
        self.search_common = [
            "/search/?" + urllib.parse.urlencode({"q": query})
            for query in queries["most common word"]
        ]
        carrier_ids = list(carrier_public_queryset().values_list("id", flat=True)[:100_000])
        self.carriers = len(carrier_ids)
        self.carrier_details = [f"/carriers/{pk}/" for pk in rng.sample(carrier_ids, 200)]
        self.api_repeated = api_search_urls()
        self.inbox = [reverse("inbox:list") + "?status=following&kind=factory"]
        self.dashboard = ["/dashboard/?year=2025&month=6"]
        self.manager_cookie = session_cookie("wb_bench_manager")
        self.leader_cookie = session_cookie("ind_bench_leader")
        connection.close()


def new_state(prefix: str) -> str:
    """A wrk template: three filters, a sort and a lower area bound never asked before."""
    return f"{prefix}?kind=factory&deal=rent&district=320312&area_min=NUMBER&sort=price"


class Runner:
    def __init__(self, args: argparse.Namespace, plan: Plan) -> None:
        self.args = args
        self.plan = plan
        self.scenarios: dict[str, dict[str, Any]] = {}

    def measure(
        self,
        label: str,
        paths: list[str],
        *,
        server: bench_news.Server | None = None,
        port: int = PORT,
        connections: int | None = None,
        template: str = "",
        cookie: str = "",
    ) -> dict[str, Any]:
        connections = connections or self.args.connections
        probe = template.replace("NUMBER", "500.01") if template else paths[0]
        status, body = fetch(port, probe, cookie)
        if status != 200:  # a redirect to the sign-in page would pass wrk as "not an error"
            raise SystemExit(f"{label}: {probe} answered {status}: {body[:200]!r}")
        for duration in (3, self.args.duration):  # the first: warm-up, not reported
            if server is not None:
                server.reset_times()
            figures = wrk(
                port, paths, duration=duration, connections=connections, template=template,
                cookie=cookie,
            )  # fmt: skip
        if server is not None:
            figures.update(server.server_times())
        figures["bytes"] = len(body)
        self.scenarios[label] = figures
        print(f"{label:34s} {json.dumps(figures)}", flush=True)
        return figures

    def run(self) -> dict[str, Any]:
        plan, args = self.plan, self.args
        ratios: dict[str, float] = {}
        server = bench_news.Server(PORT, "locmem", page_cache=False)
        try:
            ratios["article_to_reference"] = self.alternating_rounds(server)
            self.measure("home", ["/"], server=server)
            self.measure("category list", plan.categories, server=server)
            self.measure("search, 2 words", plan.search_2word, server=server)
            self.measure("search, commonest word", plan.search_common, server=server)
            self.measure(
                "carrier search, new states", [], server=server, template=new_state("/carriers/")
            )
            self.measure("carrier detail", plan.carrier_details, server=server)
            self.measure(
                "map data, new states", [], server=server, connections=2,
                template="/carriers/map.json?deal=rent&area_min=NUMBER",
            )  # fmt: skip
            self.measure("API carrier search, repeated", plan.api_repeated, server=server)
            self.measure(
                "API carrier search, new states", [], server=server,
                template=new_state("/api/v1/carriers"),
            )  # fmt: skip
            self.measure(
                "workbench inbox", plan.inbox, server=server, connections=2,
                cookie=plan.manager_cookie,
            )  # fmt: skip
            self.measure(
                "city dashboard", plan.dashboard, server=server, connections=2,
                cookie=plan.leader_cookie,
            )  # fmt: skip
            self.need_submission()
        finally:
            server.stop()

        server = bench_news.Server(PORT, "locmem", page_cache=True)
        nginx = Nginx(plan.article_paths)
        try:
            self.with_view_count("article, page cache on", PORT, plan.article_ids[0], server)
            static = self.measure(
                "article, nginx static file", plan.article_paths, port=STATIC_PORT
            )
            cached = self.with_view_count(
                "article, nginx microcache", NGINX_PORT, plan.article_ids[1], None
            )
            ratios["microcache_to_static"] = round(cached["rps"] / static["rps"], 3)
        finally:
            nginx.stop()
            server.stop()
        reference = self.scenarios["reference view"]["rps"]
        for figures in self.scenarios.values():
            figures["to_reference"] = round(figures["rps"] / reference, 3)
        return {
            "database": plan.vendor,
            "articles": plan.articles,
            "carriers": plan.carriers,
            "duration_s": args.duration,
            "ratios": ratios,
            "scenarios": self.scenarios,
        }

    def alternating_rounds(self, server: bench_news.Server) -> float:
        """The article page and the bare reference view, in alternating rounds so a change
        of the machine's speed hits both alike; the median ratio. The last round's figures
        stay as the two scenarios."""
        plan = self.plan
        pairs = []
        for _ in range(self.args.rounds):
            reference = self.measure("reference view", plan.reference_paths, server=server)
            article = self.measure("article", plan.article_paths, server=server)
            pairs.append(article["rps"] / reference["rps"])
        return round(statistics.median(pairs), 3)

    def with_view_count(
        self, label: str, port: int, article_id: int, server: bench_news.Server | None
    ) -> dict[str, Any]:
        from yuanqu.news.services import article_views_flush

        before = bench_news.counted_views(article_id)
        check: dict[str, Any] = {}
        checker = threading.Thread(target=self._beacons, args=(port, article_id, check))
        checker.start()
        figures = self.measure(label, self.plan.article_paths, server=server, port=port)
        checker.join()
        article_views_flush()
        figures["views_counted"] = bench_news.counted_views(article_id) - before
        figures["beacons_posted"] = check.get("beacons_posted")
        return figures

    def _beacons(self, port: int, article_id: int, check: dict[str, Any]) -> None:
        time.sleep(4)  # after the warm-up, during the measured load
        bench_news.beacon_check(port, article_id, check)

    def need_submission(self) -> None:
        from bench_matching import submission_load

        from yuanqu.leads.models import Lead

        result = submission_load(port=PORT, seconds=self.args.duration * 2, clients=6)
        # The run's own leads go again, so the next run's workbench pages read the same data.
        Lead.objects.filter(idempotency_key__startswith=f"{result['run_id']}-").delete()
        self.scenarios["need submit + match"] = {
            "connections": 6,
            "rps": result["per_second"],
            "p50_ms": result["p50_ms"],
            "p95_ms": result["p95_ms"],
            "errors": result["failed"],
            "accepted": result["accepted"],
            "lost": result["lost"],
            "duplicated": result["duplicated"],
            "lost_or_duplicated": result["lost"] + result["duplicated"],
        }
        print(f"{'need submit + match':34s} {json.dumps(self.scenarios['need submit + match'])}")


class Nginx:
    """Debian's nginx on loopback: the shipped site file (deploy/nginx/yuanqu.conf, its
    microcache included) in front of the bench server, and a second server block serving
    the article pages' HTML, fetched once, as static files."""

    def __init__(self, article_paths: list[str]) -> None:
        if not shutil.which("nginx"):
            raise SystemExit("nginx is missing: scripts/system-packages.sh --deploy")
        self.work = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
        self.work.chmod(0o755)  # nginx's workers run as an unprivileged user
        cache, html = self.work / "cache", self.work / "html"
        cache.mkdir(mode=0o777)
        cache.chmod(0o777)
        for path in article_paths:
            status, body = fetch(PORT, path)
            assert status == 200, (path, status)
            target = html / path.strip("/") / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
        for folder in [html, *html.rglob("*")]:
            folder.chmod(0o755 if folder.is_dir() else 0o644)
        site = (ROOT / "deploy/nginx/yuanqu.conf").read_text(encoding="utf-8")
        site = (
            site.replace("/var/cache/nginx/yuanqu", str(cache))
            .replace("listen 80;", f"listen 127.0.0.1:{NGINX_PORT};")
            .replace("server 127.0.0.1:8000 max_fails=3 fail_timeout=10s;", f"server 127.0.0.1:{PORT};")
        )  # fmt: skip
        (self.work / "site.conf").write_text(site, encoding="utf-8")
        self.conf = self.work / "nginx.conf"
        # worker_processes auto, as in Debian's /etc/nginx/nginx.conf.
        self.conf.write_text(
            f"worker_processes auto;\npid {self.work}/nginx.pid;\n"
            f"error_log {self.work}/error.log;\nevents {{}}\n"
            f"http {{ access_log off; include /etc/nginx/mime.types; include {self.work}/site.conf;\n"
            f"  server {{ listen 127.0.0.1:{STATIC_PORT}; root {html}; }} }}\n",
            encoding="utf-8",
        )
        subprocess.run(["nginx", "-c", str(self.conf), "-p", str(self.work)], check=True)
        for _ in range(50):
            try:
                if fetch(NGINX_PORT, "/robots.txt")[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("nginx did not answer")

    def stop(self) -> None:
        subprocess.run(
            ["nginx", "-c", str(self.conf), "-p", str(self.work), "-s", "stop"], check=False
        )
        time.sleep(0.5)
        shutil.rmtree(self.work, ignore_errors=True)


# ---------------------------------------------------------------------------------------
# Profiles


def slowest(result: dict[str, Any], count: int = 3) -> list[str]:
    """The scenarios costing the most worker time per request (2 workers busy ÷ req/s)."""
    costs = {label: 2000 / figures["rps"] for label, figures in result["scenarios"].items()}
    return sorted(costs, key=costs.get, reverse=True)[:count]  # type: ignore[arg-type]


def profile(requests: int, count: int = 3, labels: list[str] | None = None) -> list[Path]:
    """pyinstrument profiles of the slowest scenarios of this database's newest results,
    each page rendered `requests` times through Django's test client in this process (no
    HTTP, no other process), after 3 warm-up requests; text reports in bench/results/profiles/."""
    import random as random_module

    from bench_matching import need_form_fields, random_need
    from django.db import connection
    from django.test import Client
    from pyinstrument import Profiler

    from yuanqu.parks.models import Park

    newest = sorted(RESULTS.glob("????-??-??.json"))
    results = [json.loads(path.read_text(encoding="utf-8")) for path in newest]
    result = next(
        (day[connection.vendor] for day in reversed(results) if connection.vendor in day), None
    )
    if result is None:
        raise SystemExit(f"no results for {connection.vendor}: run `bench/scenarios.py run` first")
    plan = Plan()
    rng = random_module.Random(15)
    park_ids = list(Park.objects.values_list("id", flat=True))
    industries = list(
        Park.leading_industries.through.objects.values_list("industry_id", flat=True).distinct()
    )
    anonymous = Client(HTTP_HOST="127.0.0.1")  # bench.news_reference allows no "testserver"
    signed_in = {"workbench inbox": "wb_bench_manager", "city dashboard": "ind_bench_leader"}
    paths = {
        "home": ["/"], "category list": plan.categories, "search, 2 words": plan.search_2word,
        "search, commonest word": plan.search_common, "carrier detail": plan.carrier_details,
        "API carrier search, repeated": plan.api_repeated, "workbench inbox": plan.inbox,
        "city dashboard": plan.dashboard, "article": plan.article_paths,
    }  # fmt: skip

    def submit_need(number: int) -> None:
        key = f"profile-{time.time_ns()}-{number}"
        need = random_need(rng, park_ids, industries)
        fields = need_form_fields(need, key, f"136{rng.randrange(10**8):08d}")
        response = anonymous.post("/needs/new/", fields)
        assert response.status_code == 302, response.status_code
        assert anonymous.get(response["Location"]).status_code == 200

    written = []
    folder = RESULTS / "profiles"
    folder.mkdir(parents=True, exist_ok=True)
    for label in labels or slowest(result, count):
        if label == "need submit + match":
            call = submit_need
        elif label in paths:
            client = Client(HTTP_HOST="127.0.0.1")
            if label in signed_in:
                client.cookies.load(session_cookie(signed_in[label]))
            options = paths[label]

            def call(number: int, client: Any = client, options: list[str] = options) -> None:
                response = client.get(options[number % len(options)])
                assert response.status_code == 200, response.status_code
        else:
            print(f"{label}: no in-process profile (its cost is outside one view)")
            continue
        for number in range(3):
            call(number)
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for number in range(requests):
            call(number)
        profiler.stop()
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        target = (
            folder / f"{datetime.datetime.now(datetime.UTC).date()}-{connection.vendor}-{slug}.txt"
        )
        target.write_text(
            f"{label}: {requests} requests in this process, {connection.vendor}\n\n"
            + profiler.output_text(unicode=True, color=False, show_all=False),
            encoding="utf-8",
        )
        written.append(target)
        print(f"{label}: {target}")
    return written


# ---------------------------------------------------------------------------------------
# Results


def verdicts(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each budget's measured value and whether it was met."""
    comparisons = {">=": float.__ge__, "<=": float.__le__, "==": float.__eq__}
    found = {}
    for key, _what, scenario, metric, comparison, limit in BUDGETS:
        source = result["ratios"] if scenario == "ratios" else result["scenarios"].get(scenario, {})
        value = source.get(metric)
        met = None if value is None else comparisons[comparison](float(value), float(limit))
        found[key] = {"value": value, "met": met}
    return found


def save(result: dict[str, Any]) -> Path:
    RESULTS.mkdir(exist_ok=True)
    target = RESULTS / f"{datetime.datetime.now(datetime.UTC).date().isoformat()}.json"
    day = json.loads(target.read_text(encoding="utf-8")) if target.exists() else {}
    day[result["database"]] = result
    target.write_text(json.dumps(day, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target


def _cell(entry: dict[str, Any] | None, metric: str) -> str:
    if entry is None or entry["value"] is None:
        return "not measured"
    value = entry["value"]
    shown = f"{value:,.3f}" if "ratio" in metric or "_to_" in metric else f"{value:,.1f}"
    shown = shown.rstrip("0").rstrip(".") if "." in shown else shown
    return f"{shown} {'met' if entry['met'] else '**missed**'}"


def readme_table() -> str:
    """The budget table from the newest result of each database."""
    newest: dict[str, tuple[str, dict[str, Any]]] = {}
    for path in sorted(RESULTS.glob("????-??-??.json")):
        for vendor, result in json.loads(path.read_text(encoding="utf-8")).items():
            newest[vendor] = (path.stem, result)
    lines = [
        "| budget | SQLite | PostgreSQL |",
        "| --- | --- | --- |",
    ]
    checked = {vendor: verdicts(result) for vendor, (_day, result) in newest.items()}
    for key, what, _scenario, metric, _comparison, _limit in BUDGETS:
        cells = [
            _cell(checked.get(vendor, {}).get(key), metric) for vendor in ("sqlite", "postgresql")
        ]
        lines.append(f"| {what} | {cells[0]} | {cells[1]} |")
    runs = "; ".join(
        f"{ {'sqlite': 'SQLite', 'postgresql': 'PostgreSQL'}.get(vendor, vendor) } "
        f"{day} (bare 10⁷-addition loop {result['machine']['loop_1e7_seconds']} s, "
        f"{result['duration_s']} s per scenario)"
        for vendor, (day, result) in sorted(newest.items(), reverse=True)
    )
    return "\n".join(
        [f"Written by `bench/scenarios.py run --readme` from `bench/results/`: {runs}.", "", *lines]
    )


def faults_table() -> str:
    """The newest run of each fault (bench/faults.py) as README rows."""
    runs: dict[str, dict[str, Any]] = {}
    for path in sorted(RESULTS.glob("????-??-??-faults.json")):
        runs.update(json.loads(path.read_text(encoding="utf-8")))
    lines = ["| fault | when | outcome | verdict |", "| --- | --- | --- | --- |"]
    for name, run in sorted(runs.items()):
        if name.startswith("worker-throughput"):
            continue  # a capacity figure, not a fault: docs/SCALING.md
        when = run["at"][:16].replace("T", " ")
        if name.startswith("needs"):
            restart = run.get("restart")
            what = (
                f"{run['clients']} clients posting needs for {run['seconds']:.0f} s, "
                f"{'PostgreSQL' if run['database'] == 'postgresql' else 'SQLite'}"
                + (f", the database restarted at {restart['at_s']:.0f} s" if restart else "")
            )
            kinds = ", ".join(f"{kind}: {count}" for kind, count in run["failure_kinds"].items())
            outcome = (
                f"{run['accepted']:,} confirmed, {run['stored']:,} stored, {run['lost']} lost, "
                f"{run['duplicated']} duplicated; not confirmed: {kinds or 'none'}; "
                f"'database is locked' in the log {run['server_log_database_locked']}"
            )
            unclear = sum(
                count for kind, count in run["failure_kinds"].items() if "clear Chinese" not in kind
            )
            met = run["lost"] == 0 and run["duplicated"] == 0 and unclear == 0
        else:
            what = "task worker SIGKILLed while its webhook call waits"
            outcome = (
                f"{run['leads']} notices: webhook {run['webhook_deliveries']} deliveries with "
                f"{run['webhook_distinct_keys']} distinct Idempotency-Keys, e-mail "
                f"{run['emails_sent']} with {run['email_distinct_message_ids']} distinct "
                f"Message-IDs; all {run['notifications_sent']} sent after the periodic re-enqueue"
            )
            met = (
                run["notifications_sent"] == run["leads"] == run["webhook_distinct_keys"]
                and run["email_distinct_message_ids"] == run["leads"]
            )
        verdict = "met" if met else "**missed**"
        if met and name.startswith("worker") and run["webhook_deliveries"] > run["leads"]:
            # At least once: the killed attempt's call may have arrived; its repeat carries
            # the same key, so a receiver that keeps keys shows the notice once.
            verdict = "met: the repeat carries the same key"
        lines.append(f"| {what} | {when} | {outcome} | {verdict} |")
    return "\n".join(lines)


def _replace_between(text: str, begin: str, end: str, content: str) -> str:
    start, stop = text.index(begin) + len(begin), text.index(end)
    return text[:start] + "\n" + content + "\n" + text[stop:]


def write_readme() -> None:
    text = README.read_text(encoding="utf-8")
    text = _replace_between(text, BEGIN, END, readme_table())
    text = _replace_between(text, FAULTS_BEGIN, FAULTS_END, faults_table())
    README.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup")
    run_parser = sub.add_parser("run")
    run_parser.add_argument("--duration", type=int, default=10, help="seconds per scenario")
    run_parser.add_argument("--connections", type=int, default=32)
    run_parser.add_argument("--rounds", type=int, default=3, help="article/reference rounds")
    run_parser.add_argument("--readme", action="store_true", help="rewrite the README table")
    sub.add_parser("readme", help="rewrite the README table from bench/results/")
    profile_parser = sub.add_parser("profile", help="profiles of the three slowest scenarios")
    profile_parser.add_argument("--requests", type=int, default=30)
    profile_parser.add_argument("--count", type=int, default=3, help="how many scenarios")
    profile_parser.add_argument("--scenario", action="append", help="these instead (labels)")
    args = parser.parse_args()
    if args.command == "setup":
        setup()
        return
    if args.command == "readme":
        write_readme()
        return
    import django

    # The pages' static files come from the source tree (bench.news_reference); the empty
    # folder keeps WhiteNoise quiet.
    Path(os.environ["YUANQU_VAR_DIR"], "staticfiles").mkdir(parents=True, exist_ok=True)
    django.setup()
    if args.command == "profile":
        profile(args.requests, args.count, args.scenario)
        return
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    speed = machine()
    plan = Plan()
    result = Runner(args, plan).run()
    result["machine"] = speed
    result["verdicts"] = verdicts(result)
    print(f"results: {save(result)}")
    for key, verdict in result["verdicts"].items():
        print(f"  {key:18s} {verdict['value']!s:>10} {'met' if verdict['met'] else 'MISSED'}")
    if args.readme:
        write_readme()


if __name__ == "__main__":
    main()
