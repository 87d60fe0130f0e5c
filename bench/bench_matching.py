"""Matching budgets: match one need (p95 ≤ 50 ms) and submit + match + render on two sync
gunicorn workers (≥ 40 submissions/s, 0 lost, 0 duplicated). Not a test; figures go to
docs/bench/matching.md.

    # SQLite (a file under YUANQU_VAR_DIR) or PostgreSQL (DATABASE_URL), both work:
    export YUANQU_VAR_DIR=/tmp/bench-var          # or DATABASE_URL=postgres://root@127.0.0.1/h_leads
    .venv/bin/python bench/bench_matching.py setup --carriers 50000 --parks 200
    .venv/bin/python bench/bench_matching.py match --needs 300
    .venv/bin/python bench/bench_matching.py load --seconds 30 --clients 6 --port 8106
    .venv/bin/python bench/bench_matching.py inprocess --submissions 100

`setup` migrates, loads the reference data and generates bench parks and carriers with a
fixed seed (idempotent: it tops up to the asked numbers). `match` times
`matching.selectors.match_for_lead` (candidate query + parks + pure ranking) plus the
snapshot conversion, per need, in this process. `load` starts gunicorn (2 sync workers,
rate limits off via LEAD_RATE_LIMITS=0) on 127.0.0.1 only, posts the need form from
client threads (one in ten is a double tap: the same key posted twice), follows each
redirect to the results page, stops after the given seconds, then counts rows.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import json
import math
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-never-used-in-production")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ["LEAD_RATE_LIMITS"] = "0"

SEED = 4754
BENCH_PREFIX = "基准园区"


def django_setup() -> None:
    import django

    django.setup()


# ---------------------------------------------------------------------------------------
# Data


def _d(value: float, places: int = 2) -> Decimal:
    return Decimal(str(round(value, places)))


def setup(*, carriers: int, parks: int) -> None:
    from django.core.management import call_command

    django_setup()
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)

    from datetime import timedelta

    from django.utils import timezone

    from yuanqu.core.models import Industry, Region
    from yuanqu.listings.models import Carrier
    from yuanqu.parks.models import Park

    rng = random.Random(SEED)
    counties = list(Region.objects.filter(level=Region.Level.COUNTY).order_by("code")[:20])
    classes = list(
        Industry.objects.filter(level=Industry.Level.CLASS, section="C").values_list(
            "code", flat=True
        )
    )
    existing = Park.objects.filter(name__startswith=BENCH_PREFIX).count()
    for number in range(existing + 1, parks + 1):
        region = rng.choice(counties)
        park = Park.objects.create(
            name=f"{BENCH_PREFIX}{number}",
            short_name=f"基准{number}",
            slug=f"bench-park-{number}",
            level=rng.choice(["national", "provincial", "city"]),
            kind=rng.choice(["etdz", "htz", "industrial", "economic"]),
            region=region,
            latitude=_d(34.0 + rng.uniform(-0.5, 0.5), 6),
            longitude=_d(117.2 + rng.uniform(-0.8, 0.8), 6),
            investment_intensity_wan_per_mu=_d(rng.choice([200, 250, 300, 350]), 1),
            tax_per_mu_wan=_d(rng.choice([15, 20, 25, 30]), 1),
        )
        park.leading_industries.set(rng.sample(classes, 3))  # type: ignore[arg-type]
    park_rows = list(
        Park.objects.filter(is_active=True).values_list("id", "region_id", "latitude", "longitude")
    )

    have = Carrier.objects.filter(title__startswith="基准").count()
    now = timezone.now()
    batch: list[Carrier] = []
    for number in range(have + 1, carriers + 1):
        park_id, region_id, latitude, longitude = rng.choice(park_rows)
        kind = rng.choices(["factory", "warehouse", "office", "land"], weights=[50, 20, 15, 15])[0]
        deal = rng.choices(["rent", "sale", "rent_to_buy"], weights=[65, 25, 10])[0]
        if kind == "land":
            deal = "sale"
            area = math.exp(rng.uniform(math.log(3000), math.log(200000)))
            unit, price = "wan_per_mu", rng.uniform(10, 60)
        else:
            area = math.exp(rng.uniform(math.log(200), math.log(50000)))
            if deal == "sale":
                unit, price = "wan_total", area * rng.uniform(0.2, 0.6)
            else:
                unit = rng.choice(["yuan_m2_month", "yuan_m2_day"])
                monthly = rng.uniform(8, 30)
                price = monthly if unit == "yuan_m2_month" else monthly / 30
        negotiable = rng.random() < 0.1
        monthly_price = None
        if not negotiable and unit == "yuan_m2_month":
            monthly_price = _d(price)
        elif not negotiable and unit == "yuan_m2_day":
            monthly_price = _d(price * 30)
        batch.append(
            Carrier(
                title=f"基准载体{number}",
                kind=kind,
                deal=deal,
                status=rng.choices(["available", "reserved", "taken"], weights=[85, 5, 10])[0],
                park_id=park_id,
                region_id=region_id,
                latitude=latitude,
                longitude=longitude,
                building_area_m2=None if kind == "land" else _d(area),
                land_area_m2=_d(area) if kind == "land" else None,
                height_m=rng.choice([None, _d(rng.choice([4.5, 6, 8, 9, 10, 12, 14]), 1)]),
                floor_load_t_m2=rng.choice([None, _d(rng.choice([0.5, 0.8, 1, 1.5, 2, 3, 5]), 1)]),
                power_available_kva=rng.choice(
                    [None, rng.choice([100, 250, 400, 630, 800, 1250, 2000])]
                ),
                crane_t=rng.choice([None, None, _d(rng.choice([5, 10, 16, 20, 32]), 1)]),
                eia_ok=rng.random() < 0.5,
                fire_hazard_class=rng.choice(["", "A", "B", "C", "D", "E"]),
                price_negotiable=negotiable,
                price_value=None if negotiable else _d(price),
                price_unit="" if negotiable else unit,
                price_yuan_m2_month=monthly_price,
                published_at=now - timedelta(days=rng.randint(1, 300)),
                confirmed_at=now - timedelta(days=rng.randint(0, 220)),
                is_sample=True,
            )
        )
        if len(batch) == 5000:
            Carrier.objects.bulk_create(batch)
            batch = []
    if batch:
        Carrier.objects.bulk_create(batch)
    if hasattr(Carrier, "area_m2"):
        from django.db.models import F

        Carrier.objects.filter(area_m2__isnull=True, kind="land").update(area_m2=F("land_area_m2"))
        Carrier.objects.filter(area_m2__isnull=True).exclude(kind="land").update(
            area_m2=F("building_area_m2")
        )
    # Bulk writes skip the services: tell running processes the catalogue changed.
    from yuanqu.listings.catalogue_index import catalogue_changed

    catalogue_changed()
    print(
        f"parks: {Park.objects.count()} ({Park.objects.filter(name__startswith=BENCH_PREFIX).count()} bench), "
        f"carriers: {Carrier.objects.count()}"
    )


def random_need(rng: random.Random, park_ids: list[int], industries: list[str]) -> dict:
    kind = rng.choices(["factory", "warehouse", "office", "land"], weights=[55, 20, 10, 15])[0]
    deal = (
        "buy"
        if kind == "land"
        else rng.choices(["rent", "buy", "rent_to_buy"], weights=[75, 20, 5])[0]
    )
    if kind == "land":
        low = rng.choice([10, 20, 30, 50, 80]) * 10000 / 15
    else:
        low = rng.choice([500, 1000, 2000, 3000, 5000, 8000, 12000])
    need: dict = {
        "kind": kind,
        "deal": deal,
        "area_min_m2": _d(low),
        "area_max_m2": _d(low * 1.5),
        "park_ids": rng.sample(park_ids, rng.choice([0, 1, 2])),
        "industry_code": rng.choice(industries),
        "height_m": rng.choice([None, _d(8)]),
        "crane_t": rng.choice([None, None, _d(10)]),
        "eia_required": rng.random() < 0.3,
        "insist_location": rng.random() < 0.2,
    }
    if deal == "rent":
        need["budget_value"], need["budget_unit"] = _d(rng.uniform(10, 25)), "yuan_m2_month"
    elif kind == "land":
        need["budget_value"], need["budget_unit"] = _d(rng.uniform(15, 50)), "wan_per_mu"
        need["investment_wan"], need["annual_tax_wan"] = (
            _d(low / 666.67 * 300),
            _d(low / 666.67 * 20),
        )
    return need


# ---------------------------------------------------------------------------------------
# Match one need


def bench_match(*, needs: int) -> None:
    django_setup()
    from django.db import connection
    from django.utils import timezone

    from yuanqu.leads.models import Lead
    from yuanqu.listings.models import Carrier
    from yuanqu.matching.selectors import match_for_lead
    from yuanqu.matching.services import snapshot_from
    from yuanqu.parks.models import Park

    rng = random.Random(SEED + 1)
    park_ids = list(Park.objects.values_list("id", flat=True))
    industries = list(
        Park.leading_industries.through.objects.values_list("industry_id", flat=True).distinct()
    )
    now = timezone.now()
    leads = []
    for _number in range(needs):
        need = random_need(rng, park_ids, industries)
        wanted = need.pop("park_ids")
        lead = Lead(
            reference=f"BENCH-{uuid.uuid4().hex[:12]}",
            idempotency_key=f"bench-match-{uuid.uuid4().hex}",
            industry_id=need.pop("industry_code"),
            consent_version="bench",
            **need,
        )
        lead.save()
        lead.parks.set(wanted)
        leads.append(lead.pk)
    timings = []
    cpu_timings = []
    candidates = []
    for lead_id in leads:
        started = time.perf_counter()
        cpu_started = time.process_time()
        lead = (
            Lead.objects.select_related("industry")
            .prefetch_related("regions", "parks")
            .get(pk=lead_id)
        )
        result = match_for_lead(lead=lead, now=now)
        snapshot_from(result, now=now)
        cpu_timings.append((time.process_time() - cpu_started) * 1000)
        timings.append((time.perf_counter() - started) * 1000)
        candidates.append(result.candidate_count)
    Lead.objects.filter(pk__in=leads).delete()
    timings.sort()
    cpu_timings.sort()
    p95 = timings[max(0, math.ceil(len(timings) * 0.95) - 1)]
    cpu_p95 = cpu_timings[max(0, math.ceil(len(cpu_timings) * 0.95) - 1)]
    load = os.getloadavg()
    print(
        f"database: {connection.vendor}; carriers: {Carrier.objects.count()}; parks: {Park.objects.count()}\n"
        f"match one need over {len(timings)} needs: median {statistics.median(timings):.1f} ms, "
        f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms; candidates per need: median "
        f"{statistics.median(candidates):.0f}, max {max(candidates)}\n"
        f"CPU time of this process per need (SQLite runs in-process; PostgreSQL's own CPU is "
        f"not counted): median {statistics.median(cpu_timings):.1f} ms, p95 {cpu_p95:.1f} ms; "
        f"load average at the end {load[0]:.1f} on {os.cpu_count()} CPUs"
    )


# ---------------------------------------------------------------------------------------
# Submit + match + render on two sync workers


CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _request(
    port: int, method: str, path: str, *, body: str = "", cookie: str = ""
) -> tuple[int, dict, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": cookie} if cookie else {}
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body.encode() if body else None, headers=headers)
    response = connection.getresponse()
    text = response.read().decode("utf-8", "replace")
    result = (response.status, {key.lower(): value for key, value in response.getheaders()}, text)
    connection.close()
    return result


def count_rows(
    run_id: str, attempted: list[str], confirmed: list[str]
) -> tuple[int, int, int, int, int]:
    """(leads, submissions, stored, lost, duplicated) of a load run whose keys start with
    run_id: stored counts the attempted keys that have their submission row (confirmed to
    the person or not); a confirmed key without one is lost; a second submission or lead for
    one key is a duplicate."""
    from yuanqu.leads.models import Lead, LeadSubmission

    stored: set[str] = set()
    for start in range(0, len(attempted), 500):
        stored.update(
            LeadSubmission.objects.filter(idempotency_key__in=attempted[start : start + 500])
            .values_list("idempotency_key", flat=True)
        )  # fmt: skip
    leads = Lead.objects.filter(idempotency_key__startswith=f"{run_id}-").count()
    submissions = LeadSubmission.objects.filter(idempotency_key__startswith=f"{run_id}-").count()
    lost = len(set(confirmed) - stored)
    duplicated = submissions - len(stored) + max(0, leads - len(stored))
    return leads, submissions, len(stored), lost, duplicated


def _failure_kind(status: int, text: str) -> str:
    """What a person saw instead of a receipt: our error page in Chinese, or anything else
    (a traceback, an English or empty page)."""
    chinese = re.search(r"<h1>[^<]*[\u4e00-\u9fff]", text) is not None
    if status >= 400 and chinese and "Traceback" not in text:
        return f"clear Chinese error page ({status})"
    return f"other ({status})"


def run_clients(client: Any, count: int) -> float:
    """Run `client(number)` in `count` threads at once; the seconds until all are done."""
    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - started


def percentile_95(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[max(0, math.ceil(len(ordered) * 0.95) - 1)] if ordered else float("nan")


def bench_load(*, seconds: int, clients: int, port: int) -> None:
    django_setup()
    from django.core.management import call_command
    from django.db import connection

    from yuanqu.leads.models import Lead

    call_command("collectstatic", interactive=False, verbosity=0)
    leads_before = Lead.objects.count()
    connection.close()
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi:application", "--workers", "2",
         "--worker-class", "sync", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, "DEBUG": "0"},
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                if _request(port, "GET", "/needs/new/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not answer")
        result = submission_load(port=port, seconds=seconds, clients=clients)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"database: {connection.vendor}; leads before: {leads_before}\n"
        f"{result['accepted']} submissions in {result['seconds']:.1f} s = "
        f"{result['per_second']:.1f}/s (submit + match + results page; {clients} client "
        f"threads, 2 sync gunicorn workers)\n"
        f"latency submit+render: median {result['p50_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms\n"
        f"rows after: {result['leads']} leads, {result['submissions']} submissions for "
        f"{result['accepted']} accepted keys; lost {result['lost']}, duplicated "
        f"{result['duplicated']}; double taps {result['double_taps']}, landing elsewhere "
        f"{result['double_taps_elsewhere']}; failed requests {result['failed']}"
    )
    for failure in result["failures"]:
        print("  failure:", failure)


def need_form_fields(need: dict[str, Any], key: str, mobile: str) -> dict[str, Any]:
    """The need form's fields for a random need (random_need), ready to post."""
    fields: dict[str, Any] = {
        "action": "submit", "idempotency_key": key, "kind": need["kind"], "deal": need["deal"],
        "area_unit": "m2", "area_min": str(need["area_min_m2"]),
        "area_max": str(need["area_max_m2"]), "industry": need["industry_code"],
        "mobile": mobile, "consent": "on", "parks": [str(pk) for pk in need["park_ids"]],
    }  # fmt: skip
    if need.get("height_m"):
        fields["height_m"] = str(need["height_m"])
    if need.get("budget_value"):
        fields["budget_value"] = str(need["budget_value"])
        fields["budget_unit"] = need["budget_unit"]
    return fields


def submission_load(*, port: int, seconds: int, clients: int) -> dict[str, Any]:
    """Post needs through the form of a running server from `clients` threads for `seconds`
    (one in ten a double tap), following each answer to its results page; then count the
    rows of this run. Run in a process where Django is set up on the server's database."""
    from django.db import connection

    from yuanqu.parks.models import Park

    park_ids = list(Park.objects.values_list("id", flat=True))
    industries = list(
        Park.leading_industries.through.objects.values_list("industry_id", flat=True).distinct()
    )
    run_id = uuid.uuid4().hex[:8]
    # Mobiles unique to this run, so no submission merges into an earlier run's lead.
    mobile_base = random.Random().randrange(10**7) * 10
    connection.close()
    accepted: dict[str, str] = {}  # idempotency key → results path
    double_taps: list[tuple[str, str, str]] = []
    attempted: list[str] = []
    failures: list[str] = []
    failure_kinds: collections.Counter[str] = collections.Counter()
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    counter = iter(range(10**8))

    def client(number: int) -> None:
        rng = random.Random(SEED + 100 + number)
        status, headers, html = _request(port, "GET", "/needs/new/")
        cookie = headers.get("set-cookie", "").split(";")[0]
        token = CSRF_RE.search(html).group(1)  # type: ignore[union-attr]
        while time.monotonic() < deadline:
            sequence = next(counter)
            need = random_need(rng, park_ids, industries)
            key = f"{run_id}-{sequence}"
            mobile = f"139{(mobile_base + sequence) % 10**8:08d}"
            fields = {"csrfmiddlewaretoken": token, **need_form_fields(need, key, mobile)}
            body = urllib.parse.urlencode(fields, doseq=True)
            with lock:
                attempted.append(key)
            started = time.perf_counter()
            try:
                status, headers, text = _request(
                    port, "POST", "/needs/new/", body=body, cookie=cookie
                )
                if status == 302:
                    location = headers["location"]
                    status, _, text = _request(port, "GET", location, cookie=cookie)
                    confirmed = status == 200 and "需求编号" in text
                else:
                    confirmed = False
            except OSError as error:  # counted, the run goes on
                with lock:
                    failures.append(f"connection: {error}"[:200])
                    failure_kinds["connection error"] += 1
                continue
            if not confirmed:
                with lock:
                    failures.append(f"answered {status}: {text[:200]}")
                    failure_kinds[_failure_kind(status, text)] += 1
                continue
            elapsed = time.perf_counter() - started
            with lock:
                accepted[key] = location
                latencies.append(elapsed * 1000)
            if rng.random() < 0.1:
                # A double tap: the same key again must land on the same lead.
                try:
                    again = _request(port, "POST", "/needs/new/", body=body, cookie=cookie)
                except OSError:
                    continue
                with lock:
                    if again[0] == 302:
                        double_taps.append((key, location, again[1]["location"]))
                    else:  # the tap itself failed (a restart): it made nothing new either
                        failure_kinds[f"double tap: {_failure_kind(again[0], again[2])}"] += 1

    elapsed = run_clients(client, clients)

    keys = list(accepted)
    run_leads, run_submissions, stored, lost, duplicated = count_rows(run_id, attempted, keys)
    connection.close()
    return {
        "run_id": run_id,
        "attempted": len(attempted),
        "accepted": len(keys),
        "stored": stored,
        "seconds": round(elapsed, 1),
        "per_second": round(len(keys) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(percentile_95(latencies), 1) if latencies else None,
        "leads": run_leads,
        "submissions": run_submissions,
        "lost": lost,
        "duplicated": duplicated,
        "double_taps": len(double_taps),
        "double_taps_elsewhere": sum(1 for _, first, second in double_taps if first != second),
        "failed": len(failures),
        "failure_kinds": dict(failure_kinds),
        "failures": failures[:5],
    }


def bench_inprocess(
    *, submissions: int, profile: str = "", warmup: int = 5, api: bool = False
) -> None:
    """CPU time of submit + match + results page inside this process (Django's test
    client, no HTTP, no other process): what one worker spends per submission. With
    `profile`, the timed requests also run under cProfile (its stats go to that file and
    the top functions are printed; the CPU figures then include the profiler's overhead).
    The first `warmup` submissions (imports, the segmenter's dictionary, the process's
    caches) are neither timed nor profiled. With `api`, each need is posted as JSON to
    `POST /api/v1/needs` (its answer carries the matches; there is no results page)."""
    os.environ.setdefault("YUANQU_TESTING", "0")
    django_setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from yuanqu.parks.models import Park

    setup_test_environment()  # allows the test client's host "testserver"
    # The pages use the hashed static manifest (DEBUG off), as `load` does.
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    park_ids = list(Park.objects.values_list("id", flat=True))
    industries = list(
        Park.leading_industries.through.objects.values_list("industry_id", flat=True).distinct()
    )
    rng = random.Random(SEED + 7)
    client = Client()
    base = random.Random().randrange(10**7) * 10
    cpu: list[float] = []
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile(time.process_time)
    for number in range(warmup + submissions):
        need = random_need(rng, park_ids, industries)
        fields = need_form_fields(need, uuid.uuid4().hex, f"137{(base + number) % 10**8:08d}")
        timed = number >= warmup
        started = time.process_time()
        if profiler is not None and timed:
            profiler.enable()
        if api:
            page = client.post(
                "/api/v1/needs", json.dumps(api_need_body(fields)), content_type="application/json",
                headers={"Idempotency-Key": fields["idempotency_key"]},
            )  # fmt: skip
        else:
            response = client.post("/needs/new/", fields)
            if response.status_code != 302:
                raise SystemExit(f"POST answered {response.status_code}")
            page = client.get(response["Location"])
        if profiler is not None:
            profiler.disable()
        if page.status_code not in (200, 201):
            raise SystemExit(f"results answered {page.status_code}")
        if timed:
            cpu.append((time.process_time() - started) * 1000)
    if profiler is not None:
        import pstats

        profiler.dump_stats(profile)
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(30)
    cpu.sort()
    p95 = cpu[max(0, math.ceil(len(cpu) * 0.95) - 1)]
    median = statistics.median(cpu)
    print(
        f"database: {connection.vendor}; in-process submit + match + "
        f"{'JSON answer (API)' if api else 'results page'}, "
        f"{len(cpu)} submissions: CPU median {median:.1f} ms, p95 {p95:.1f} ms "
        f"→ two idle workers could serve about {2000 / median:.0f}/s; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )


def api_need_body(fields: dict[str, Any]) -> dict[str, Any]:
    """The form's fields as the API's JSON need (the same names; parks as ids, consent true)."""
    body: dict[str, Any] = {
        name: value for name, value in fields.items()
        if name not in {"action", "idempotency_key", "consent", "parks"}
    }  # fmt: skip
    body.update(consent=True, parks=[int(pk) for pk in fields["parks"]])
    return body


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    setup_parser = sub.add_parser("setup")
    setup_parser.add_argument("--carriers", type=int, default=50000)
    setup_parser.add_argument("--parks", type=int, default=200)
    match_parser = sub.add_parser("match")
    match_parser.add_argument("--needs", type=int, default=300)
    load_parser = sub.add_parser("load")
    load_parser.add_argument("--seconds", type=int, default=30)
    load_parser.add_argument("--clients", type=int, default=6)
    load_parser.add_argument("--port", type=int, default=8106)
    inprocess_parser = sub.add_parser("inprocess")
    inprocess_parser.add_argument("--submissions", type=int, default=100)
    inprocess_parser.add_argument("--profile", default="", help="write cProfile stats here")
    inprocess_parser.add_argument("--warmup", type=int, default=5)
    inprocess_parser.add_argument("--api", action="store_true", help="POST /api/v1/needs")
    args = parser.parse_args()
    if args.command == "setup":
        setup(carriers=args.carriers, parks=args.parks)
    elif args.command == "match":
        bench_match(needs=args.needs)
    elif args.command == "inprocess":
        bench_inprocess(
            submissions=args.submissions, profile=args.profile, warmup=args.warmup, api=args.api
        )
    else:
        bench_load(seconds=args.seconds, clients=args.clients, port=args.port)


if __name__ == "__main__":
    main()
