"""Chain coverage budgets (issue 12), in process (server time, no HTTP). Not a test; figures go
to docs/bench/chains.md.

    export YUANQU_VAR_DIR=/tmp/bench-chains       # or DATABASE_URL=postgres://root@127.0.0.1/h_chains
    .venv/bin/python bench/bench_chains.py setup
    .venv/bin/python bench/bench_chains.py measure --runs 15

`setup` migrates, loads the reference data and generates, with a fixed seed, 50 parks that
each pursue the same 10 chains of 15 links (codes drawn from GB/T 4754 小类, trade words from
their names), 20,000 enterprises (a third in chain classes, a tenth without a code but with a
trade word in the name), 2,000 projects and 10,000 leads, spread over the parks.
`measure` times `park_coverage` for one park and `coverage_for_parks` for the whole city,
each cold (the cache cleared before every run) and warm (cached), medians of the runs.
Budgets: one park ≤ 100 ms, the whole city ≤ 1 s (cold), cached until something changes.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-never-used-in-production")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("LOG_LEVEL", "WARNING")

SEED = 1212
PARKS, CHAINS, LINKS = 50, 10, 15
ENTERPRISES, PROJECTS, LEADS = 20_000, 2_000, 10_000
PREFIX = "链基准园区"


def django_setup() -> None:
    import django

    django.setup()


def setup() -> None:
    django_setup()
    from django.core.management import call_command
    from django.utils import timezone

    from yuanqu.chains.models import Chain, ChainLink, ParkChain
    from yuanqu.core.models import Industry, Region
    from yuanqu.enterprises.models import Enterprise
    from yuanqu.enterprises.tests.factories import make_credit_code
    from yuanqu.leads.models import Lead
    from yuanqu.parks.models import Park
    from yuanqu.pipeline.models import STAGE_ORDER, Project

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    if Park.objects.filter(name__startswith=PREFIX).exists():
        print("bench data present")
        return
    rng = random.Random(SEED)
    region = (
        Region.objects.get(code="320371")
        if Region.objects.filter(code="320371").exists()
        else Region.objects.filter(level="county").first()
    )
    parks = Park.objects.bulk_create(
        Park(name=f"{PREFIX}{n}", slug=f"chain-bench-{n}", region=region, level=Park.Level.PROVINCIAL,
             kind=Park.Kind.ECONOMIC_ZONE)
        for n in range(PARKS)
    )  # fmt: skip
    classes = list(Industry.objects.filter(level=4).values_list("code", "name"))
    chosen = rng.sample(classes, CHAINS * LINKS)
    chains = Chain.objects.bulk_create(
        Chain(slug=f"bench-{n}", name=f"基准链{n}", sources="生成", sort_order=n)
        for n in range(CHAINS)
    )
    links = []
    for number, chain in enumerate(chains):
        for position in range(LINKS):
            link_code, name = chosen[number * LINKS + position]
            word = name.replace("制造", "").replace("及", "")[:4]
            links.append(ChainLink(chain=chain, name=f"环节{number}-{position}", codes=link_code,
                                   keywords=word, sort_order=position,
                                   position=ChainLink.Position.MIDSTREAM))  # fmt: skip
    ChainLink.objects.bulk_create(links)
    ParkChain.objects.bulk_create(
        ParkChain(park=park, chain=chain, priority=rank % 3 + 1)
        for park in parks
        for rank, chain in enumerate(chains)
    )
    chain_codes = [code for code, _name in chosen]
    words = [link.keywords for link in links]
    all_codes = [code for code, _name in classes]
    today = timezone.localdate()
    enterprises = []
    for number in range(ENTERPRISES):
        roll = rng.random()
        code: str | None = (
            rng.choice(chain_codes)
            if roll < 0.33
            else None
            if roll < 0.43
            else rng.choice(all_codes)
        )
        name = f"徐州{rng.choice(words) if code is None else '基准'}{number}有限公司"
        above = rng.random() < 0.2
        enterprises.append(
            Enterprise(name=name, credit_code=make_credit_code(900_000 + number),
                       park=rng.choice(parks), industry_id=code,
                       above_scale_type="industry" if above else "",
                       above_scale_since=today if above else None, is_sample=True)
        )  # fmt: skip
    Enterprise.objects.bulk_create(enterprises, batch_size=2000)
    projects = [
        Project(name=f"基准项目{n}", investor_name=f"基准投资{n}", source=Project.Source.FAIR,
                park=rng.choice(parks), stage=rng.choice(STAGE_ORDER),
                industry_id=rng.choice(chain_codes + all_codes[:200]))
        for n in range(PROJECTS)
    ]  # fmt: skip
    Project.objects.bulk_create(projects, batch_size=2000)
    leads = [
        Lead(reference=f"B{n:08d}", idempotency_key=f"chain-bench-{n}", kind=Lead.Kind.FACTORY,
             deal=Lead.Deal.RENT, park=rng.choice(parks), mobile="+8613800000000",
             need_text=f"求租厂房,做{rng.choice(words)}", status=rng.choice(["new", "following"]),
             industry_id=rng.choice([None, rng.choice(all_codes)]))
        for n in range(LEADS)
    ]  # fmt: skip
    Lead.objects.bulk_create(leads, batch_size=2000)
    print(f"parks {PARKS}, chains {CHAINS} × {LINKS} links, enterprises {ENTERPRISES}, "
          f"projects {PROJECTS}, leads {LEADS}")  # fmt: skip


def measure(*, runs: int) -> None:
    django_setup()
    from django.core.cache import cache
    from django.db import connection

    from yuanqu.chains import selectors
    from yuanqu.parks.models import Park

    park_ids = list(Park.objects.filter(name__startswith=PREFIX).values_list("pk", flat=True))
    park = Park.objects.get(pk=park_ids[0])

    def timed(action, *, cold: bool) -> float:
        if cold:
            cache.clear()
        started = time.perf_counter()
        action()
        return (time.perf_counter() - started) * 1000

    selectors.park_coverage(park)  # imports, the synonym table
    one_cold = [timed(lambda: selectors.park_coverage(park), cold=True) for _ in range(runs)]
    one_warm = [timed(lambda: selectors.park_coverage(park), cold=False) for _ in range(runs)]
    city_cold = [timed(lambda: selectors.coverage_for_parks(park_ids), cold=True)
                 for _ in range(max(3, runs // 3))]  # fmt: skip
    city_warm = [timed(lambda: selectors.coverage_for_parks(park_ids), cold=False)
                 for _ in range(runs)]  # fmt: skip
    selectors.missing_links_by_park(park_ids)
    gaps_warm = [timed(lambda: selectors.missing_links_by_park(park_ids), cold=False)
                 for _ in range(runs)]  # fmt: skip
    coverage = selectors.park_coverage(park)
    links = sum(len(chain.links) for chain in coverage)
    members = sum(item.enterprises for chain in coverage for item in chain.links)
    print(
        f"database: {connection.vendor}; load average {os.getloadavg()[0]:.1f}\n"
        f"one park ({len(coverage)} chains, {links} links, {members} enterprise placings): "
        f"cold median {statistics.median(one_cold):.1f} ms (max {max(one_cold):.1f}), "
        f"warm {statistics.median(one_warm):.2f} ms (budget ≤ 100 ms)\n"
        f"whole city ({len(park_ids)} parks): cold median {statistics.median(city_cold):.0f} ms "
        f"(max {max(city_cold):.0f}), warm {statistics.median(city_warm):.2f} ms (budget ≤ 1 s)\n"
        f"the matching's missing links of every park (read on each match), warm: "
        f"{statistics.median(gaps_warm):.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup")
    measure_parser = sub.add_parser("measure")
    measure_parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    if args.command == "setup":
        setup()
    else:
        measure(runs=args.runs)


if __name__ == "__main__":
    main()
