"""Carrier search and map budgets under gunicorn (2 sync workers), on 127.0.0.1 only.

    # once per database: migrate, then generate 200 parks / 50,000 carriers
    YUANQU_VAR_DIR=/tmp/bench-var .venv/bin/python manage.py migrate
    YUANQU_VAR_DIR=/tmp/bench-var .venv/bin/python bench/generate_carriers.py
    YUANQU_VAR_DIR=/tmp/bench-var .venv/bin/python bench/bench_carriers.py --duration 20
    # PostgreSQL: the same three commands with DATABASE_URL=postgres://root@127.0.0.1:5432/DB

Measures, in this order:
0. the first requests (each worker builds its in-process catalogue index);
1. cold search: distinct filter states one at a time (no cached facet counts), median / p99;
2. warm search under load: 24 URLs (3 filters + a sort + all facet counts), N client connections
   for D seconds: requests per second, p50 / p99 latency, errors; once without cookies (a first
   visit: whole-page cache) and once with a cookie (a returning visitor: results-region cache),
   then a filter state never asked before on every request (nothing cached: wrk only);
3. the map JSON of a broad filter (capped at 5,000 points): bytes (plain and gzip) and latency.
Budgets: search ≥ 200 req/s and p99 ≤ 150 ms on PostgreSQL; map ≤ 200 KB and ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import itertools
import os
import random
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
COUNTIES = ["320312", "320311", "320303", "320305", "320382", "320381"]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def fetch(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, float]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        return response.status, body, (time.perf_counter() - started) * 1000
    finally:
        connection.close()


def search_urls() -> list[str]:
    urls = []
    combos = itertools.product(["factory", "warehouse"], COUNTIES, ["price", "-area"])
    for kind, district, sort in combos:
        urls.append(f"/carriers/?kind={kind}&deal=rent&district={district}&sort={sort}")
    return urls


def start_server(
    port: int,
    workers: int,
    env: dict[str, str],
    *,
    log: Path | None = None,
    config: Path | None = None,
) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:port once /healthz answers; with `log`, its output (the access
    log included) goes to that file instead of this terminal; with `config`, that gunicorn
    config file's limits apply too (the port, workers and log level given here win)."""
    command = [
        str(ROOT / ".venv/bin/gunicorn"), "config.wsgi:application", "--workers", str(workers),
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
    ]  # fmt: skip
    if config is not None:
        command += ["--config", str(config)]
    output = None
    if log is not None:
        command += ["--access-logfile", "-"]
        output = log.open("a")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if fetch(port, "/healthz")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 30 s")


def new_state_urls(count: int) -> list[str]:
    """Distinct filter states nobody asked before (3 filters, a sort, a random area bound)."""
    rng = random.Random(5)
    kinds = ["factory", "warehouse", "office"]
    return [
        f"/carriers/?kind={rng.choice(kinds)}&deal=rent&district={rng.choice(COUNTIES)}"
        f"&area_min={number}&sort=price"
        for number in rng.sample(range(100, 1_000_000), count)
    ]


def load(
    port: int, urls: list[str], threads: int, duration: float, *, once: bool = False
) -> dict[str, float]:
    """`once`: the threads share one pass over the URLs, so no URL is asked twice."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + duration
    shared = iter(urls)

    def next_shared() -> Iterator[str]:
        while True:
            with lock:
                path = next(shared, None)
            if path is None:
                return
            yield path

    def worker(offset: int) -> None:
        mine: list[float] = []
        failed = 0
        paths = next_shared() if once else itertools.islice(itertools.cycle(urls), offset, None)
        for path in paths:
            if time.perf_counter() >= stop_at:
                break
            try:
                status, _body, elapsed = fetch(port, path)
            except OSError:
                failed += 1
                continue
            if status != 200:
                failed += 1
            mine.append(elapsed)
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(n * 3,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": percentile(latencies, 0.50),
        "p99": percentile(latencies, 0.99),
        "errors": errors[0],
    }


# Every request a filter state never asked before (a random lower area bound over 3 filters
# and a sort): nothing comes from a cache, each request computes facets, order and page.
NEW_STATES_LUA = """
local kinds = {"factory", "warehouse", "office"}
local counties = {@COUNTIES@}
request = function()
  local path = "/carriers/?kind=" .. kinds[math.random(#kinds)] .. "&deal=rent&district="
    .. counties[math.random(#counties)] .. "&area_min=" .. math.random(1, 100000) / 100
    .. "&sort=price"
  return wrk.format("GET", path)
end
""".replace("@COUNTIES@", ", ".join(f'"{county}"' for county in COUNTIES))


def load_with_wrk(
    port: int,
    urls: list[str],
    threads: int,
    duration: float,
    cookie: str = "",
    lua: str | None = None,
) -> dict[str, Any]:
    """The same load through wrk (C, far less client overhead than Python threads)."""
    script = Path(tempfile.mkdtemp()) / "paths.lua"
    quoted = ", ".join(f'"{url}"' for url in urls)
    script.write_text(
        lua
        or f"local paths = {{{quoted}}}\nlocal i = 0\n"
        "request = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n"
    )
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{threads}",
            f"-d{int(duration)}s",
            "--latency",
            *(["-H", f"Cookie: {cookie}"] if cookie else []),
            "-s",
            str(script),
            f"http://127.0.0.1:{port}/",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def latency(label: str) -> float:
        match = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        assert match, output
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    requests = re.search(r"(\d+) requests in", output)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "requests": int(requests.group(1)) if requests else 0,
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50": latency("50%"),
        "p99": latency("99%"),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "none",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8190)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8, help="client connections")
    parser.add_argument("--duration", type=float, default=20.0)
    args = parser.parse_args()

    env = dict(os.environ)
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": env.get("SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
        }
    )
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    server = start_server(args.port, args.workers, env)
    try:
        # 0. the first requests: each worker builds its catalogue index (one query + columns)
        first = [
            fetch(args.port, f"/carriers/?sort=newest&page={number}")[2] for number in range(2, 6)
        ]
        # 1. cold: every request a filter state never seen (facet counts computed, not cached)
        cold = []
        for number in range(40):
            path = f"/carriers/?kind=factory&deal=rent&area_min={1000 + number}&sort=price"
            status, _body, elapsed = fetch(args.port, path)
            assert status == 200, status
            cold.append(elapsed)
        # 2. warm under load
        urls = search_urls()
        for _ in range(args.workers):  # each worker has its own local-memory cache
            for path in urls:
                assert fetch(args.port, path)[0] == 200
        returning: dict[str, Any] | None = None
        new_states: dict[str, Any] | None = None
        if shutil.which("wrk"):
            client = "wrk"
            result = load_with_wrk(args.port, urls, args.threads, args.duration)
            # A returning visitor sends a cookie: no whole-page cache, only the results region.
            returning = load_with_wrk(
                args.port, urls, args.threads, args.duration, cookie="returning=1"
            )
            new_states = load_with_wrk(
                args.port, [], args.threads, args.duration, cookie="returning=1", lua=NEW_STATES_LUA
            )
        else:
            client = "python threads"
            result = load(args.port, urls, args.threads, args.duration)
            new_states = load(
                args.port, new_state_urls(20_000), args.threads, args.duration, once=True
            )
        # 3. map JSON of a broad filter: cold (a state never asked for) and warm (cached)
        map_cold = []
        for number in range(10):
            status, body, elapsed = fetch(
                args.port, f"/carriers/map.json?deal=rent&area_min={number}"
            )
            assert status == 200
            map_cold.append(elapsed)
        map_path = "/carriers/map.json?deal=rent"
        times = []
        for _ in range(20):
            status, body, elapsed = fetch(args.port, map_path)
            assert status == 200
            times.append(elapsed)
        size = len(body)
        _status, zipped, _elapsed = fetch(args.port, map_path, {"Accept-Encoding": "gzip"})
        gzipped = len(zipped)
        points = body.count(b"],[") + 1
        assert gzip.decompress(zipped) == body
    finally:
        server.terminate()
        server.wait(timeout=10)

    print(
        f"database: {database}; gunicorn {args.workers} sync workers; "
        f"{args.threads} client threads for {args.duration:.0f} s"
    )
    print(
        f"first requests (each worker builds its catalogue index): "
        f"{', '.join(f'{value:.0f}' for value in first)} ms"
    )
    print(
        f"cold search (40 distinct states, sequential): median {statistics.median(cold):.1f} ms, "
        f"p99 {percentile(cold, 0.99):.1f} ms"
    )
    print(
        f"warm search under load ({client}, {len(urls)} URLs): {result['requests']} requests, "
        f"{result['rps']:.0f} req/s, p50 {result['p50']:.1f} ms, p99 {result['p99']:.1f} ms, "
        f"errors {result['errors']}"
    )
    if returning is not None:
        print(
            f"warm search with a cookie (no whole-page cache): {returning['requests']} requests, "
            f"{returning['rps']:.0f} req/s, p50 {returning['p50']:.1f} ms, "
            f"p99 {returning['p99']:.1f} ms, errors {returning['errors']}"
        )
    if new_states is not None:
        print(
            f"new filter states under load ({client}, every request uncached): "
            f"{new_states['requests']} requests, {new_states['rps']:.0f} req/s, "
            f"p50 {new_states['p50']:.1f} ms, p99 {new_states['p99']:.1f} ms, "
            f"errors {new_states['errors']}"
        )
    print(f"host load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(
        f"map JSON ({points} points): {size} bytes ({size / 1024:.0f} KiB) plain, {gzipped} bytes "
        f"gzip; cold (10 new states) median {statistics.median(map_cold):.1f} ms, "
        f"warm median {statistics.median(times):.1f} ms, p95 {percentile(times, 0.95):.1f} ms"
    )


if __name__ == "__main__":
    main()
