"""API budgets (issue 13) under gunicorn with 2 sync workers, on 127.0.0.1 only. Not a test;
figures go to docs/bench/api.md.

    # the data of bench_matching.py (200 parks, 50,000 carriers), SQLite or PostgreSQL:
    export YUANQU_VAR_DIR=/tmp/bench-var          # or DATABASE_URL=postgres://root@127.0.0.1/h_api
    .venv/bin/python bench/bench_matching.py setup --carriers 50000 --parks 200
    .venv/bin/python bench/bench_api.py carriers --duration 20
    .venv/bin/python bench/bench_api.py needs --seconds 30 --clients 6

`carriers`: `GET /api/v1/carriers` with 3 filters and a sort, 20 items with every facet
count: response size, then under wrk (or Python threads without wrk) the 24 repeated filter
states of bench_carriers.py and a filter state never asked before on every request.
Budgets: ≥ 600 req/s repeated, ≥ 250 req/s new states (SQLite), responses ≤ 50 KB.

`needs`: `POST /api/v1/needs` from client threads, each need with its own Idempotency-Key
and one in ten sent twice (a retry: it must answer with the same reference), then the rows
are counted. Budget: ≥ 40/s, 0 lost, 0 duplicated.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import bench_carriers  # noqa: E402  (the same server start, fetch and load helpers)
import bench_matching  # noqa: E402  (the same generated data and random needs)

# Anonymous API clients are limited per address (120/m); the load comes from one address.
SERVER_ENV = {"API_ANON_RATE": "100000000/m", "LEAD_RATE_LIMITS": "0"}


def api_search_urls() -> list[str]:
    return [as_api(url) for url in bench_carriers.search_urls()]


def as_api(page_url: str) -> str:
    """The API URL of a /carriers/ page URL: the same filter names."""
    return "/api/v1/carriers" + page_url.removeprefix("/carriers/")


NEW_STATES_LUA = bench_carriers.NEW_STATES_LUA.replace(
    '"/carriers/?kind="', '"/api/v1/carriers?kind="'
)


def server_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": env.get("SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
            **SERVER_ENV,
        }
    )
    return env


def database_label(env: dict[str, str]) -> str:
    return "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"


def bench_carrier_search(*, port: int, threads: int, duration: float) -> None:
    env = server_env()
    server = bench_carriers.start_server(port, 2, env)
    try:
        urls = api_search_urls()
        sizes, items = [], []
        for _ in range(2):  # each worker fills its own local-memory cache
            for path in urls:
                status, body, _elapsed = bench_carriers.fetch(port, path)
                assert status == 200, (status, body[:300])
                sizes.append(len(body))
                items.append(len(json.loads(body)["items"]))
        cold = []
        for number in range(40):
            path = f"/api/v1/carriers?kind=factory&deal=rent&area_min={1000 + number}&sort=price"
            status, body, elapsed = bench_carriers.fetch(port, path)
            assert status == 200, status
            cold.append(elapsed)
            sizes.append(len(body))
        if shutil.which("wrk"):
            client = "wrk"
            repeated = bench_carriers.load_with_wrk(port, urls, threads, duration)
            new = bench_carriers.load_with_wrk(port, [], threads, duration, lua=NEW_STATES_LUA)
        else:
            client = "python threads"
            repeated = bench_carriers.load(port, urls, threads, duration)
            fresh = [as_api(url) for url in bench_carriers.new_state_urls(20_000)]
            new = bench_carriers.load(port, fresh, threads, duration, once=True)
    finally:
        server.terminate()
        server.wait(timeout=10)
    load_average = os.getloadavg()[0]
    print(
        f"database: {database_label(env)}; gunicorn 2 sync workers; client {client}, "
        f"{threads} connections, {duration:.0f} s; load average {load_average:.1f}\n"
        f"response: {min(items)}–{max(items)} items, {min(sizes):,}–{max(sizes):,} bytes "
        f"(budget ≤ 50 KB)\n"
        f"cold (40 new states, one at a time): median {statistics.median(cold):.1f} ms, "
        f"p99 {bench_carriers.percentile(cold, 0.99):.1f} ms\n"
        f"repeated states: {repeated['rps']:.0f} req/s, p50 {repeated['p50']:.1f} / "
        f"p99 {repeated['p99']:.1f} ms, errors {repeated['errors']} (budget ≥ 600 req/s)\n"
        f"new states: {new['rps']:.0f} req/s, p50 {new['p50']:.1f} / p99 {new['p99']:.1f} ms, "
        f"errors {new['errors']} (budget ≥ 250 req/s)"
    )


def _post(port: int, path: str, body: dict[str, Any], key: str) -> tuple[int, dict[str, Any]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(
            "POST", path, body=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Idempotency-Key": key},
        )  # fmt: skip
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        connection.close()


def bench_need_submission(*, port: int, seconds: int, clients: int) -> None:
    env = server_env()
    os.environ.update(SERVER_ENV)
    bench_matching.django_setup()
    from django.db import connection

    from yuanqu.parks.models import Park

    park_ids = list(Park.objects.values_list("id", flat=True))
    industries = list(
        Park.leading_industries.through.objects.values_list("industry_id", flat=True).distinct()
    )
    run_id = uuid.uuid4().hex[:8]
    mobile_base = uuid.uuid4().int % 10**7 * 10
    connection.close()
    server = bench_carriers.start_server(port, 2, env)
    accepted: dict[str, str] = {}  # idempotency key → reference
    retries: list[tuple[str, str]] = []
    failures: list[str] = []
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(10**8))
    try:
        deadline = time.monotonic() + seconds

        def client(number: int) -> None:
            rng = bench_matching.random.Random(bench_matching.SEED + 200 + number)
            while time.monotonic() < deadline:
                sequence = next(counter)
                need = bench_matching.random_need(rng, park_ids, industries)
                key = f"{run_id}-{sequence}"
                mobile = f"139{(mobile_base + sequence) % 10**8:08d}"
                body = bench_matching.api_need_body(
                    bench_matching.need_form_fields(need, key, mobile)
                )
                started = time.perf_counter()
                try:
                    status, answer = _post(port, "/api/v1/needs", body, key)
                    if status != 200:
                        raise RuntimeError(f"answered {status}: {str(answer)[:200]}")
                    elapsed = time.perf_counter() - started
                    retry = None
                    if rng.random() < 0.1:
                        again = _post(port, "/api/v1/needs", body, key)[1]
                        retry = (answer["reference"], again.get("reference", "?"))
                except Exception as error:  # counted; the run goes on
                    with lock:
                        failures.append(str(error)[:200])
                    continue
                with lock:
                    accepted[key] = answer["reference"]
                    latencies.append(elapsed * 1000)
                    if retry:
                        retries.append(retry)

        elapsed = bench_matching.run_clients(client, clients)
    finally:
        server.terminate()
        server.wait(timeout=30)
    keys = list(accepted)
    # The answered keys only: a failed request's key is not counted as stored or lost.
    run_leads, run_submissions, _stored, lost, duplicated = bench_matching.count_rows(
        run_id, keys, keys
    )
    mismatched = sum(1 for first, second in retries if first != second)
    p95 = bench_matching.percentile_95(latencies)
    print(
        f"database: {database_label(env)}; gunicorn 2 sync workers; {clients} client threads; "
        f"load average {os.getloadavg()[0]:.1f}\n"
        f"{len(keys)} needs in {elapsed:.1f} s = {len(keys) / elapsed:.1f}/s (submit + match "
        f"+ JSON answer; budget ≥ 40/s)\n"
        f"latency: median {statistics.median(latencies):.0f} ms, p95 {p95:.0f} ms\n"
        f"rows: {run_leads} leads, {run_submissions} submissions for {len(keys)} answered keys; "
        f"lost {lost}, duplicated {duplicated}; retries {len(retries)}, answered with another "
        f"reference {mismatched}; failed requests {len(failures)}"
    )
    for failure in failures[:5]:
        print("  failure:", failure)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    carriers = sub.add_parser("carriers")
    carriers.add_argument("--port", type=int, default=8191)
    carriers.add_argument("--threads", type=int, default=8, help="client connections")
    carriers.add_argument("--duration", type=float, default=20.0)
    needs = sub.add_parser("needs")
    needs.add_argument("--port", type=int, default=8192)
    needs.add_argument("--seconds", type=int, default=30)
    needs.add_argument("--clients", type=int, default=6)
    args = parser.parse_args()
    if args.command == "carriers":
        bench_carrier_search(port=args.port, threads=args.threads, duration=args.duration)
    else:
        bench_need_submission(port=args.port, seconds=args.seconds, clients=args.clients)


if __name__ == "__main__":
    main()
