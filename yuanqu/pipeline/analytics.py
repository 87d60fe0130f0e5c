"""Stage analytics per park and for all the user's parks together, for a period.

Every figure is computed from the stage history (the dates the stage service records with
each StageChange, the first StageChange's date as the start of talks, the dated funding
entries), never typed in. The page costs five queries whatever the number of projects: the
current stage counts, one row per project touched in the period (with its start of talks and
funds received), the leads of the period, the officers' live projects and their names; the
rest is arithmetic in `calculations`. Each figure names a metric that
`projects_behind` turns back into the list of projects it counts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from yuanqu.core.periods import on_days
from yuanqu.leads.models import Lead
from yuanqu.parks.models import Park
from yuanqu.pipeline import calculations
from yuanqu.pipeline.models import STAGE_ORDER, FundingEntry, Project, Stage, StageChange

STAGES = (*STAGE_ORDER, Stage.TERMINATED)
ZERO = Decimal(0)


@dataclass
class StageFigures:
    count: int = 0
    investment_yi: Decimal = ZERO


@dataclass
class ParkFigures:
    """One row of the table: a park, or the total of the user's parks (park None)."""

    park: Park | None
    stages: dict[str, StageFigures] = field(default_factory=dict)
    signed: int = 0
    signed_investment_yi: Decimal = ZERO
    land: int = 0
    started: int = 0
    producing: int = 0
    terminated: int = 0
    fulfilled: int = 0  # signed in the period and since reached 拿地 or further
    started_of_signed: int = 0
    producing_of_signed: int = 0
    funding_received_yi: Decimal = ZERO
    land_in_period: int = 0
    quick_started: int = 0
    leads: int = 0
    leads_signed: int = 0
    days: dict[str, list[tuple[date | None, date | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    @property
    def fulfilment_rate(self) -> Decimal | None:
        return calculations.rate(self.fulfilled, self.signed)

    @property
    def start_rate(self) -> Decimal | None:
        return calculations.rate(self.started_of_signed, self.signed)

    @property
    def production_rate(self) -> Decimal | None:
        return calculations.rate(self.producing_of_signed, self.signed)

    @property
    def funding_rate(self) -> Decimal | None:
        return calculations.rate(self.funding_received_yi, self.signed_investment_yi)

    @property
    def quick_start_rate(self) -> Decimal | None:
        return calculations.rate(self.quick_started, self.land_in_period)

    @property
    def lead_conversion_rate(self) -> Decimal | None:
        return calculations.rate(self.leads_signed, self.leads)

    def median(self, step: str) -> float | None:
        return calculations.median_days(self.days[step])

    @property
    def medians(self) -> list[float | None]:
        return [self.median(step) for step, _label in MEDIAN_STEPS]


MEDIAN_STEPS = (
    ("negotiating", "在谈→签约"),
    ("signed", "签约→拿地"),
    ("land", "拿地→开工"),
    ("started", "开工→投产"),
)


@dataclass
class OfficerFigures:
    officer_id: int
    name: str = ""
    live_projects: int = 0
    signed: int = 0
    signed_investment_yi: Decimal = ZERO
    started: int = 0
    funding_received_yi: Decimal = ZERO


@dataclass
class Analytics:
    date_from: date
    date_to: date
    rows: list[ParkFigures]
    total: ParkFigures
    officers: list[OfficerFigures]
    quick_start_days: int


def _first_met() -> Subquery:
    return Subquery(
        StageChange.objects.filter(project=OuterRef("pk"), from_stage="")
        .order_by("recorded_at", "id")
        .values("effective_on")[:1]
    )


def _funding_until(day: date) -> Coalesce:
    received = (
        FundingEntry.objects.filter(project=OuterRef("pk"), received_on__lte=day)
        .order_by()
        .values("project")
        .annotate(total=Sum("amount_yi"))
        .values("total")
    )
    return Coalesce(
        Subquery(received, output_field=DecimalField(max_digits=14, decimal_places=4)),
        ZERO,
        output_field=DecimalField(max_digits=14, decimal_places=4),
    )


def _touched_in(start: date, end: date) -> Q:
    condition = Q()
    for name in ("signed_on", "land_on", "started_on", "producing_on", "terminated_on"):
        condition |= Q(**{f"{name}__range": (start, end)})
    return condition


def stage_analytics(*, parks: QuerySet[Park], date_from: date, date_to: date) -> Analytics:
    park_list = list(parks.order_by("name").only("pk", "name", "short_name"))
    rows = {park.pk: ParkFigures(park=park) for park in park_list}
    total = ParkFigures(park=None)
    for figures in (*rows.values(), total):
        figures.stages = {stage: StageFigures() for stage in STAGES}
    projects = Project.objects.filter(park__in=[park.pk for park in park_list])

    for row in (
        projects.order_by()
        .values("park_id", "stage")
        .annotate(count=Count("pk"), investment=Sum("agreed_investment_yi"))
    ):
        for figures in (rows[row["park_id"]], total):
            stage = figures.stages[row["stage"]]
            stage.count += row["count"]
            stage.investment_yi += row["investment"] or ZERO

    quick_days = settings.PROJECT_QUICK_START_DAYS
    officers: dict[int, OfficerFigures] = {}
    touched = projects.filter(_touched_in(date_from, date_to)).annotate(
        met_on=_first_met(), received=_funding_until(date_to)
    )
    for project in touched.values(
        "park_id", "officer_id", "agreed_investment_yi", "met_on", "received", "signed_on",
        "land_on", "started_on", "producing_on", "terminated_on",
    ):  # fmt: skip
        officer = None
        if project["officer_id"]:
            officer = officers.setdefault(
                project["officer_id"], OfficerFigures(officer_id=project["officer_id"])
            )
        for figures in (rows[project["park_id"]], total):
            _count_project(figures, project, date_from, date_to, quick_days)
        if officer is not None and calculations.in_period(project["signed_on"], date_from, date_to):
            officer.signed += 1
            officer.signed_investment_yi += project["agreed_investment_yi"] or ZERO
            officer.funding_received_yi += project["received"] or ZERO
        if officer is not None and calculations.in_period(
            project["started_on"], date_from, date_to
        ):
            officer.started += 1

    leads = Lead.objects.filter(
        park__in=[park.pk for park in park_list],
        merged_into__isnull=True,
    ).filter(on_days("created_at", date_from, date_to))
    for row in (
        leads.order_by()
        .values("park_id")
        .annotate(count=Count("pk"), signed=Count("pk", filter=Q(project__signed_on__isnull=False)))
    ):
        for figures in (rows[row["park_id"]], total):
            figures.leads += row["count"]
            figures.leads_signed += row["signed"]

    live = projects.exclude(stage__in=(Stage.TERMINATED, Stage.PRODUCING)).exclude(officer=None)
    for row in live.order_by().values("officer_id").annotate(count=Count("pk")):
        officers.setdefault(row["officer_id"], OfficerFigures(officer_id=row["officer_id"]))
        officers[row["officer_id"]].live_projects = row["count"]
    names = (
        get_user_model()
        .objects.filter(pk__in=list(officers))
        .only("username", "first_name", "last_name")
    )
    for user in names:
        officers[user.pk].name = user.get_full_name() or user.username
    league = sorted(
        officers.values(),
        key=lambda officer: (
            -officer.signed_investment_yi,
            -officer.signed,
            -officer.started,
            officer.name,
        ),
    )
    return Analytics(
        date_from=date_from,
        date_to=date_to,
        rows=list(rows.values()),
        total=total,
        officers=league,
        quick_start_days=quick_days,
    )


def _count_project(
    figures: ParkFigures, project: dict[str, Any], start: date, end: date, quick_days: int
) -> None:
    within = calculations.in_period
    if within(project["signed_on"], start, end):
        figures.signed += 1
        figures.signed_investment_yi += project["agreed_investment_yi"] or ZERO
        figures.funding_received_yi += project["received"] or ZERO
        figures.fulfilled += project["land_on"] is not None
        figures.started_of_signed += project["started_on"] is not None
        figures.producing_of_signed += project["producing_on"] is not None
        figures.days["negotiating"].append((project["met_on"], project["signed_on"]))
    if within(project["land_on"], start, end):
        figures.land += 1
        figures.land_in_period += 1
        figures.quick_started += calculations.started_within(
            project["land_on"], project["started_on"], quick_days
        )
        figures.days["signed"].append((project["signed_on"], project["land_on"]))
    if within(project["started_on"], start, end):
        figures.started += 1
        figures.days["land"].append((project["land_on"], project["started_on"]))
    if within(project["producing_on"], start, end):
        figures.producing += 1
        figures.days["started"].append((project["started_on"], project["producing_on"]))
    if within(project["terminated_on"], start, end):
        figures.terminated += 1


# --- the projects behind a figure -----------------------------------------------------

METRICS = {
    "signed": "期内签约",
    "land": "期内拿地",
    "started": "期内开工",
    "producing": "期内投产",
    "terminated": "期内终止",
    "fulfilled": "期内签约且已拿地(履约)",
    "signed_started": "期内签约且已开工",
    "signed_producing": "期内签约且已投产",
    "quick_start": "期内拿地且拿地后按期开工",
    "lead_signed": "期内线索转化并签约",
}
STAGE_METRIC_PREFIX = "stage:"


def metric_label(metric: str) -> str:
    if metric.startswith(STAGE_METRIC_PREFIX):
        return f"当前处于“{Stage(metric.removeprefix(STAGE_METRIC_PREFIX)).label}”"
    return METRICS[metric]


def is_metric(metric: str) -> bool:
    if metric.startswith(STAGE_METRIC_PREFIX):
        return metric.removeprefix(STAGE_METRIC_PREFIX) in Stage.values
    return metric in METRICS


def projects_behind(
    *,
    metric: str,
    parks: QuerySet[Park],
    date_from: date,
    date_to: date,
    officer_id: int | None = None,
) -> QuerySet[Project]:
    """The projects a figure counts, so every number on the page can be checked."""
    period = (date_from, date_to)
    projects = Project.objects.filter(park__in=parks.values("pk"))
    if officer_id is not None:
        projects = projects.filter(officer_id=officer_id)
    if metric.startswith(STAGE_METRIC_PREFIX):
        projects = projects.filter(stage=metric.removeprefix(STAGE_METRIC_PREFIX))
    elif metric in ("signed", "land", "started", "producing", "terminated"):
        projects = projects.filter(**{f"{metric}_on__range": period})
    elif metric == "fulfilled":
        projects = projects.filter(signed_on__range=period, land_on__isnull=False)
    elif metric == "signed_started":
        projects = projects.filter(signed_on__range=period, started_on__isnull=False)
    elif metric == "signed_producing":
        projects = projects.filter(signed_on__range=period, producing_on__isnull=False)
    elif metric == "quick_start":
        candidates = projects.filter(land_on__range=period, started_on__isnull=False)
        quick = [
            pk
            for pk, land_on, started_on in candidates.values_list("pk", "land_on", "started_on")
            if calculations.started_within(land_on, started_on, settings.PROJECT_QUICK_START_DAYS)
        ]
        projects = projects.filter(pk__in=quick)
    elif metric == "lead_signed":
        projects = projects.filter(
            on_days("lead__created_at", date_from, date_to),
            lead__merged_into__isnull=True,
            signed_on__isnull=False,
        )
    else:
        raise ValueError(f"unknown metric {metric!r}")
    return projects.select_related("park", "officer").order_by("-agreed_investment_yi", "-id")
