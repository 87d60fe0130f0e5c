"""Indicator budgets: the city dashboard with 50 parks × 15 indicators × 5 years ≤ 150 ms median
warm and ≤ 1 s cold (the first request after an import); importing a 50 × 15 × 12 workbook
≤ 3 s; one month's report as JSON ≤ 1 s. Not a test; figures go to docs/bench/indicators.md.

    export YUANQU_VAR_DIR=/tmp/bench-ind       # or DATABASE_URL=postgres://root@127.0.0.1/bench_ind
    .venv/bin/python bench/bench_indicators.py setup   # 50 parks, 15 indicators, 5 years
    .venv/bin/python bench/bench_indicators.py run --requests 30

`setup` migrates, adds 50 bench parks and two extra indicators to the 13 standard ones, and
writes five years of monthly values (2021–2025) and targets through the import service
(idempotent). `run` measures, in this process and in one run: importing a fresh workbook of
2026 (12 months; three times, the year removed between runs), the same workbook again (no
change), the report of June 2026 as JSON, the dashboard's first request after the import,
the dashboard warm (after 3 warm-up requests), a park's view, and the city's A4 report as
PDF (Chromium started for each), all as server time through Django's test client (no
network).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
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

PREFIX = "指标基准园区"
PARKS = 50
YEARS = range(2021, 2026)
FRESH_YEAR = 2026


def django_setup() -> None:
    import django

    django.setup()


def _rows(parks: list[Any], indicators: list[Any], year: int) -> list[Any]:
    from yuanqu.indicators.importing import ValueRow

    rows = []
    for p_index, park in enumerate(parks):
        for i_index, indicator in enumerate(indicators):
            base = Decimal(100 + p_index * 7 + i_index * 3) * Decimal("1.06") ** (year - 2021)
            for month in range(1, 13):
                rows.append(ValueRow(
                    park_id=park.pk, indicator_id=indicator.pk, year=year, month=month,
                    value=(base * month / 12).quantize(Decimal("0.01")),
                    yoy_pct=Decimal("6.0") if p_index % 3 else None, where="bench",
                ))  # fmt: skip
    for i_index, indicator in enumerate(indicators):
        for month in range(1, 13):
            rows.append(ValueRow(
                park_id=None, indicator_id=indicator.pk, year=year, month=month,
                value=Decimal(20000 + i_index) * Decimal("1.06") ** (year - 2021) * month / 12,
                yoy_pct=Decimal("5.5"), where="bench",
            ))  # fmt: skip
    return rows


def setup() -> None:
    django_setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_reference_data", verbosity=0)
    from yuanqu.accounts.models import Membership
    from yuanqu.accounts.tests.factories import make_staff
    from yuanqu.core.models import Region
    from yuanqu.indicators import services
    from yuanqu.indicators.importing import TargetRow
    from yuanqu.indicators.models import Indicator, IndicatorValue
    from yuanqu.parks.models import Park

    if IndicatorValue.objects.filter(park__name__startswith=PREFIX).exists():
        print("bench rows exist")
        return
    region = Region.objects.get(code="320300")
    parks = [
        Park.objects.get_or_create(
            name=f"{PREFIX}{n:02d}",
            defaults={"slug": f"ind-bench-{n}", "level": "provincial", "kind": "economic",
                      "region": region},
        )[0]
        for n in range(1, PARKS + 1)
    ]  # fmt: skip
    extras = (
        ("bench_extra_1", "基准指标甲"),
        ("bench_extra_2", "基准指标乙"),
        ("bench_extra_3", "基准指标丙"),
    )
    for code, name in extras:
        Indicator.objects.get_or_create(
            code=code,
            defaults={"name": name, "unit": "亿元", "kind": "cumulative", "sort_order": 900},
        )
    Membership.objects.filter(user__username="ind_bench_leader").delete()
    make_staff(role=Membership.Role.LEADERSHIP, region=region, username="ind_bench_leader")
    indicators = [i for i in Indicator.objects.filter(is_active=True) if not i.growth_only][:15]
    for year in YEARS:
        services.apply_rows(values=_rows(parks, indicators, year), actor=None, source="command")
    targets = [
        TargetRow(park.pk, indicator.pk, FRESH_YEAR, "absolute", Decimal(200), "bench")
        for park in parks for indicator in indicators
    ]  # fmt: skip
    services.apply_rows(values=[], targets=targets, actor=None, source="command")
    print(f"{len(parks)} parks × {len(indicators)} indicators × {len(YEARS)} years written")


def _median_ms(call: Any, count: int, *, warm: int = 3) -> float:
    for _ in range(warm):
        call()
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def run(requests: int) -> None:
    django_setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    call_command("collectstatic", interactive=False, verbosity=0)
    from yuanqu.indicators import importing, selectors, services
    from yuanqu.indicators.models import Indicator, IndicatorValue, Revision
    from yuanqu.parks.models import Park

    parks = list(Park.objects.filter(name__startswith=PREFIX).order_by("pk"))
    assert parks, "run setup first"
    indicators = [i for i in Indicator.objects.filter(is_active=True) if not i.growth_only][:15]
    months = [(FRESH_YEAR, month) for month in range(1, 13)]
    rows: dict[tuple[int, int], list[Any]] = {month: [] for month in months}
    for row in _rows(parks, indicators, FRESH_YEAR):
        label = (
            "全市" if row.park_id is None else next(p.name for p in parks if p.pk == row.park_id)
        )
        per_month = rows[(row.year, row.month)]
        if not per_month or per_month[-1][0] != label:
            per_month.append((label, {}))
        per_month[-1][1][row.indicator_id] = (row.value, row.yoy_pct)
    workbook = importing.build_workbook(indicators=indicators, months=months, rows_by_month=rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()

    def remove_fresh_year() -> None:
        IndicatorValue.objects.filter(year=FRESH_YEAR).delete()
        Revision.objects.filter(year=FRESH_YEAR, month__isnull=False).delete()

    imports = []
    for _ in range(3):
        remove_fresh_year()
        started = time.perf_counter()
        report = services.import_workbook(upload=content, actor=None, source="command")
        imports.append(time.perf_counter() - started)
        assert report.ok and report.created, report.errors[:3]
    started = time.perf_counter()
    again = services.import_workbook(upload=content, actor=None, source="command")
    repeat = time.perf_counter() - started
    assert again.ok and again.changed == 0

    client = Client()
    client.force_login(get_user_model().objects.get(username="ind_bench_leader"))
    url = f"/dashboard/?year={FRESH_YEAR}&month=6"
    started = time.perf_counter()
    response = client.get(url)
    cold = (time.perf_counter() - started) * 1000
    assert response.status_code == 200

    def dashboard() -> None:
        assert client.get(url).status_code == 200

    def report_json() -> None:
        json.dumps(selectors.month_report(year=FRESH_YEAR, month=6).as_json(), ensure_ascii=False)

    park_url = f"/dashboard/parks/{parks[0].pk}/?year={FRESH_YEAR}&month=6"

    def park_page() -> None:
        assert client.get(park_url).status_code == 200

    def city_pdf() -> None:
        response = client.get(f"/dashboard/report.pdf?year={FRESH_YEAR}&month=6")
        assert response["Content-Type"] == "application/pdf"

    warm = _median_ms(dashboard, requests)
    park_ms = _median_ms(park_page, requests)
    pdf_ms = _median_ms(city_pdf, 3, warm=1)
    report_ms = _median_ms(report_json, max(5, requests // 3), warm=1)
    cells = len(parks) * len(indicators) * 12
    print(f"workbook: {len(parks)} parks × {len(indicators)} indicators × 12 months = {cells} cells,"
          f" {len(content) // 1024} KB")  # fmt: skip
    print(
        f"import, fresh (median of 3):     {statistics.median(imports) * 1000:8.0f} ms  (budget 3000)"
    )
    print(f"import, same workbook again:     {repeat * 1000:8.0f} ms  (changes {again.changed})")
    print(f"report of one month, JSON:       {report_ms:8.0f} ms  (budget 1000)")
    print(f"dashboard, first after import:   {cold:8.0f} ms  (budget 1000)")
    print(f"dashboard, warm (median of {requests}): {warm:8.1f} ms  (budget 150)")
    print(f"park view (median of {requests}):      {park_ms:8.1f} ms  (no budget)")
    print(f"city report as PDF (median of 3): {pdf_ms:8.0f} ms  (no budget; Chromium per request)")


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup")
    run_parser = sub.add_parser("run")
    run_parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    if args.command == "setup":
        setup()
    else:
        run(args.requests)


if __name__ == "__main__":
    main()
