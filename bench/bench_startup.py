"""Start-up budgets (issue 2): `make run` on a machine that already ran it answers in < 10 s;
web-process import time and resident memory after the first segmentation (≤ 200 MB).

Usage: .venv/bin/python bench/bench_startup.py [--runs 5] [--skip-make-run]
Prints medians from one run; copy them into README.md with the command line.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")

PROBE = r"""
import os, time, resource
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
t0 = time.perf_counter()
from config.wsgi import application
t1 = time.perf_counter()
from django.test import Client
Client().get("/")  # first request: templates, URL resolver
from yuanqu.core.text import segment_for_index
segment_for_index("徐州经济技术开发区招商引资,拿地即开工,专精特新企业集聚")
t2 = time.perf_counter()
rss_kb = int([l for l in open("/proc/self/status") if l.startswith("VmRSS")][0].split()[1])
print(f"{t1 - t0:.4f} {t2 - t1:.4f} {rss_kb}")
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def measure_process(runs: int) -> None:
    imports, first_work, rss = [], [], []
    env = {**os.environ, "DEBUG": "1"}
    for _ in range(runs):
        output = subprocess.run(
            [PYTHON, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        ).stdout.split()
        imports.append(float(output[0]))
        first_work.append(float(output[1]))
        rss.append(int(output[2]) / 1024)
    print(
        f"web process import (config.wsgi), median of {runs}: {statistics.median(imports) * 1000:.0f} ms"
    )
    print(
        f"first request + first segmentation, median: {statistics.median(first_work) * 1000:.0f} ms"
    )
    print(
        f"resident memory after first segmentation, median: {statistics.median(rss):.0f} MB (budget 200 MB)"
    )


def time_make_run() -> float:
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = started + 120
        while time.perf_counter() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/healthz", timeout=1
                ) as response:
                    if response.status == 200:
                        return time.perf_counter() - started
            except OSError:
                time.sleep(0.1)
        raise SystemExit("make run did not answer within 120 s")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-make-run", action="store_true")
    options = parser.parse_args()
    measure_process(options.runs)
    if not options.skip_make_run:
        first = time_make_run()  # makes sure the database and demo data exist
        warm = [time_make_run() for _ in range(3)]
        print(f"make run, first in this bench: {first:.1f} s")
        print(
            f"make run on a machine that already ran it, median of 3: {statistics.median(warm):.1f} s (budget 10 s)"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
