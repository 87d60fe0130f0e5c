"""Workbench budgets: the inbox with two filters, the board, a project page and the analytics
page each ≤ 100 ms median server time; a stage change ≤ 30 ms median. Not a test; figures go
to docs/bench/workbench.md.

    # SQLite (a file under YUANQU_VAR_DIR) or PostgreSQL (DATABASE_URL), both work:
    export YUANQU_VAR_DIR=/tmp/bench-wb           # or DATABASE_URL=postgres://root@127.0.0.1/bench_wb
    .venv/bin/python bench/bench_workbench.py setup     # 200 parks, 10k leads, 2k projects, 20k enterprises
    .venv/bin/python bench/bench_workbench.py pages --requests 40
    .venv/bin/python bench/bench_workbench.py stage --moves 100

`setup` migrates, loads the reference data and writes the rows in bulk with a fixed seed
(idempotent: it stops when the bench rows exist), then builds the search index and raises
the alerts. A fifth of every kind of row belongs to the first bench park, whose manager the
page timings sign in as (the busiest park is the one that matters). `pages` renders each page
through Django's test client in this process, so the time is the server's (view, queries and
template; no network), after 3 warm-up requests, and prints the median, p95 and query count.
`stage` times `project_move_to_stage` (在谈 → 签约 with its evidence, committed) per call.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-never-used-in-production")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("LOG_LEVEL", "WARNING")

SEED = 20261206
PREFIX = "工作台基准"
PARKS, LEADS, PROJECTS, ENTERPRISES = 200, 10_000, 2_000, 20_000


def django_setup() -> None:
    import django

    django.setup()


def _busy_park(rng: random.Random, parks: list[Any]) -> Any:
    """A fifth of the rows go to the first park, the rest spread over all."""
    return parks[0] if rng.random() < 0.2 else rng.choice(parks)


def setup() -> None:
    from django.core.management import call_command

    django_setup()
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)

    from django.db import transaction
    from django.utils import timezone

    from yuanqu.accounts.models import Membership
    from yuanqu.accounts.services import membership_grant
    from yuanqu.core.models import Industry, Region
    from yuanqu.enterprises import credit_code
    from yuanqu.enterprises.models import Enterprise
    from yuanqu.enterprises.search_index import enterprises_reindex_all
    from yuanqu.leads.models import Lead
    from yuanqu.parks.models import Park
    from yuanqu.pipeline.alerts import alerts_refresh
    from yuanqu.pipeline.models import STAGE_ORDER, FundingEntry, Project, Stage, StageChange
    from yuanqu.pipeline.search_index import projects_reindex_all

    if Park.objects.filter(name__startswith=PREFIX).exists():
        print("bench rows exist; nothing to do")
        return
    rng = random.Random(SEED)
    counties = list(Region.objects.filter(level=Region.Level.COUNTY).order_by("code")[:20])
    industries = list(Industry.objects.filter(level=Industry.Level.CLASS).order_by("code")[:400])
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        parks = Park.objects.bulk_create(
            Park(
                name=f"{PREFIX}{number}园区", short_name=f"基准{number}", slug=f"wb-bench-{number}",
                level="provincial", kind="economic", region=rng.choice(counties),
                latitude=Decimal("34.2"), longitude=Decimal("117.2"),
            )
            for number in range(1, PARKS + 1)
        )  # fmt: skip
        parks = list(Park.objects.filter(name__startswith=PREFIX).order_by("pk"))
        from django.contrib.auth import get_user_model

        User = get_user_model()
        manager = User.objects.create_user(username="wb_bench_manager", password="x", is_staff=True)
        membership_grant(user=manager, role=Membership.Role.PARK_MANAGER, park=parks[0])
        officers = []
        for number in range(1, 21):
            officer = User.objects.create_user(username=f"wb_bench_officer{number}", password="x")
            membership_grant(
                user=officer, role=Membership.Role.INVESTMENT_OFFICER, park=parks[0 if number <= 5 else number]
            )  # fmt: skip
            officers.append(officer)
        leader = User.objects.create_user(username="wb_bench_leader", password="x", is_staff=True)
        membership_grant(
            user=leader, role=Membership.Role.LEADERSHIP, region=Region.objects.get(code="320300")
        )

        statuses = [
            "new",
            "following",
            "following",
            "following",
            "converted",
            "invalid",
            "withdrawn",
        ]
        leads = []
        for number in range(1, LEADS + 1):
            park = _busy_park(rng, parks)
            status = rng.choice(statuses)
            leads.append(
                Lead(
                    reference=f"WB{number:08d}", idempotency_key=f"wb-bench-{number}",
                    company=f"徐州基准{number}号机械有限公司", contact_name="基准",
                    mobile=f"+86137{number:08d}", need_text=f"租厂房{rng.randint(5, 80)}00平,层高8米",
                    kind=rng.choice(["factory", "warehouse", "office", "land"]),
                    deal=rng.choice(["rent", "buy"]), park=park, status=status,
                    industry=rng.choice(industries),
                    owner=officers[rng.randrange(5)] if park == parks[0] and status != "new" else None,
                    next_follow_up_on=today + timedelta(days=rng.randint(-10, 20)) if status == "following" else None,
                    last_activity_at=now - timedelta(days=rng.randint(0, 60)),
                )
            )  # fmt: skip
        Lead.objects.bulk_create(leads, batch_size=1000)

        projects = []
        for number in range(1, PROJECTS + 1):
            park = _busy_park(rng, parks)
            stage = rng.choice([*STAGE_ORDER, Stage.TERMINATED])
            reached = STAGE_ORDER.index(stage) if stage in STAGE_ORDER else 0
            met = today - timedelta(days=rng.randint(200, 900))
            dates = {name: met + timedelta(days=40 * (index + 1))
                     for index, name in enumerate(("signed_on", "land_on", "started_on", "producing_on")[:reached])}  # fmt: skip
            projects.append(
                Project(
                    name=f"{PREFIX}项目{number}", investor_name=f"基准投资{number}有限公司",
                    source="fair", park=park, industry=rng.choice(industries), stage=stage,
                    agreed_investment_yi=Decimal(rng.randint(1, 200)) / 4 if reached else None,
                    land_mu=Decimal(rng.randint(20, 300)) if reached >= 2 else None,
                    land_mode="grant" if reached >= 2 else "",
                    planned_start_on=met + timedelta(days=120) if reached else None,
                    officer=officers[rng.randrange(5)] if park == parks[0] else None,
                    terminated_on=met + timedelta(days=30) if stage == Stage.TERMINATED else None,
                    terminated_reason="基准" if stage == Stage.TERMINATED else "",
                    stage_changed_at=now, last_activity_at=now - timedelta(days=rng.randint(0, 90)),
                    **dates,
                )
            )  # fmt: skip
        Project.objects.bulk_create(projects, batch_size=500)
        projects = list(Project.objects.filter(name__startswith=PREFIX).order_by("pk"))
        changes, funding = [], []
        for project in projects:
            changes.append(StageChange(project=project, from_stage="", to_stage="negotiating",
                                       effective_on=(project.signed_on or today) - timedelta(days=40)))  # fmt: skip
            previous = "negotiating"
            for stage, field in zip(
                STAGE_ORDER[1:], ("signed_on", "land_on", "started_on", "producing_on"), strict=True
            ):
                on = getattr(project, field)
                if on is None:
                    break
                changes.append(
                    StageChange(
                        project=project, from_stage=previous, to_stage=stage, effective_on=on
                    )
                )
                previous = stage
            if project.signed_on and project.agreed_investment_yi:
                funding.append(FundingEntry(project=project, received_on=project.signed_on,
                                            amount_yi=project.agreed_investment_yi / 3))  # fmt: skip
        StageChange.objects.bulk_create(changes, batch_size=1000)
        FundingEntry.objects.bulk_create(funding, batch_size=1000)

        Enterprise.objects.bulk_create(
            (
                Enterprise(
                    name=f"徐州基准{number}号企业有限公司",
                    credit_code=credit_code.complete(f"91320300W{number:07d}"),
                    park=_busy_park(rng, parks), industry=rng.choice(industries),
                    above_scale_type="industry" if number % 3 == 0 else "",
                    above_scale_since=today - timedelta(days=number % 900) if number % 3 == 0 else None,
                    high_tech_certified_on=today - timedelta(days=number % 1000) if number % 6 == 0 else None,
                )
                for number in range(1, ENTERPRISES + 1)
            ),
            batch_size=1000,
        )  # fmt: skip
    alerts_refresh()
    projects_reindex_all()
    enterprises_reindex_all()
    try:
        from yuanqu.leads.search_index import leads_reindex_all  # type: ignore[import-not-found]
    except ImportError:
        pass
    else:
        leads_reindex_all()
    from django.db import connection

    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum would have by the time anyone opens the pages.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"{PARKS} parks, {LEADS} leads, {PROJECTS} projects, {ENTERPRISES} enterprises")


def _client(username: str) -> Any:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _time(call: Any, count: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        call()
    timings = []
    queries = 0
    for _ in range(count):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()
            timings.append((time.perf_counter() - started) * 1000)
        queries = len(captured.captured_queries)
    ordered = sorted(timings)
    return statistics.median(timings), ordered[int(0.95 * (len(ordered) - 1))], queries


def pages(requests: int) -> None:
    django_setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    from django.urls import reverse

    from yuanqu.parks.models import Park
    from yuanqu.pipeline.models import Project

    park = Park.objects.filter(name__startswith=PREFIX).order_by("pk").first()
    assert park is not None, "run setup first"
    project = Project.objects.filter(park=park, stage="started").order_by("pk").first()
    assert project is not None
    manager, leader = _client("wb_bench_manager"), _client("wb_bench_leader")
    urls = [
        ("inbox, status + kind", manager, reverse("inbox:list") + "?status=following&kind=factory"),
        ("inbox, owner none + search", manager, reverse("inbox:list") + "?owner=none&q=机械"),
        ("board", manager, reverse("pipeline:board")),
        ("board, leadership (all 200 parks)", leader, reverse("pipeline:board")),
        (
            "project table, stage + alert",
            manager,
            reverse("pipeline:table") + "?stage=signed&alert=any",
        ),
        ("project page", manager, reverse("pipeline:detail", kwargs={"project_id": project.pk})),
        ("analytics", manager, reverse("pipeline:analytics")),
        ("analytics, leadership", leader, reverse("pipeline:analytics")),
    ]
    print(f"{'page':40} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for label, client, url in urls:

        def get(client: Any = client, url: str = url) -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        median, p95, queries = _time(get, requests)
        print(f"{label:40} {median:10.1f} {p95:8.1f} {queries:8d}")


def stage(moves: int) -> None:
    django_setup()
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from yuanqu.parks.models import Park
    from yuanqu.pipeline.models import Project, Stage
    from yuanqu.pipeline.services import project_create, project_move_to_stage

    park = Park.objects.filter(name__startswith=PREFIX).order_by("pk").first()
    assert park is not None, "run setup first"
    actor = get_user_model().objects.get(username="wb_bench_manager")
    fresh = [
        project_create(actor=actor, park=park, name=f"基准阶段{n}", investor_name="基准投资")
        for n in range(moves + 3)
    ]
    queue = iter(fresh)

    def move() -> None:
        project = next(queue)
        project_move_to_stage(
            actor=actor, project=project, to_stage=Stage.SIGNED, expected_version=project.version,
            evidence={"effective_on": timezone.localdate(), "agreed_investment_yi": Decimal("3")},
        )  # fmt: skip

    median, p95, queries = _time(move, moves)
    print(f"stage change 在谈→签约: median {median:.1f} ms, p95 {p95:.1f} ms, {queries} queries")
    Project.objects.filter(pk__in=[project.pk for project in fresh]).delete()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("setup")
    pages_parser = commands.add_parser("pages")
    pages_parser.add_argument("--requests", type=int, default=40)
    stage_parser = commands.add_parser("stage")
    stage_parser.add_argument("--moves", type=int, default=100)
    arguments = parser.parse_args()
    if arguments.command in ("setup", None):
        setup()
    if arguments.command in ("pages", None):
        pages(getattr(arguments, "requests", 40))
    if arguments.command in ("stage", None):
        stage(getattr(arguments, "moves", 100))


if __name__ == "__main__":
    main()
