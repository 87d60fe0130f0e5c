"""Reading indicators: the derived figures of one month for every park × indicator, a park's
history, and the pipeline outlook. One query per table; the arithmetic is calculations'."""

from __future__ import annotations

import calendar
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q

from yuanqu.accounts import gates
from yuanqu.accounts.models import Membership
from yuanqu.indicators import calculations as calc
from yuanqu.indicators.models import Indicator, IndicatorValue, Target
from yuanqu.parks.models import Park

Key = tuple[int | None, int, int, int]  # park (None: city), indicator, year, month

# Which stage of a signed project moves which indicator, and how its amount is read.
OUTLOOK_RULES = {
    "industrial_investment": "started",
    "fixed_asset_investment": "started",
    "industrial_output": "producing",
    "tax_revenue": "producing",
}
PRODUCING_WORDS = ("投产", "试生产")


@dataclass
class Figure:
    """One park (or the city) × indicator in one month, with everything derived from it."""

    park: Park | None
    indicator: Indicator
    ytd: Decimal | None = None
    yoy_pct: Decimal | None = None
    yoy_source: str | None = None  # "published" | "computed"
    registry_value: int | None = None  # the enterprise registry's count, where it has one
    value_source: str | None = None  # "statistics" | "registry"
    target: Decimal | None = None
    target_kind: str | None = None
    target_growth_pct: Decimal | None = None
    completion_pct: Decimal | None = None
    time_progress_pct: Decimal | None = None
    gap_pp: Decimal | None = None
    double_half: bool | None = None
    share_pct: Decimal | None = None
    share_change_pp: Decimal | None = None
    growth_vs_city_pp: Decimal | None = None
    rank: int | None = None
    rank_of: int | None = None
    rank_change: int | None = None

    @property
    def above_city_growth(self) -> bool | None:
        if self.growth_vs_city_pp is None:
            return None
        return self.growth_vs_city_pp > 0

    @property
    def registry_diff(self) -> Decimal | None:
        """Statistics office minus registry, where both exist (shown, not reconciled)."""
        if self.registry_value is None or self.ytd is None or self.value_source != "statistics":
            return None
        return self.ytd - self.registry_value

    def as_json(self) -> dict[str, Any]:
        def number(value: Decimal | None) -> float | None:
            return None if value is None else float(value)

        return {
            "park": self.park.name if self.park else "全市",
            "indicator": self.indicator.name,
            "ytd": number(self.ytd),
            "unit": self.indicator.unit,
            "yoy_pct": number(self.yoy_pct),
            "yoy_source": self.yoy_source,
            "target": number(self.target),
            "target_kind": self.target_kind,
            "completion_pct": number(self.completion_pct),
            "time_progress_pct": number(self.time_progress_pct),
            "gap_pp": number(self.gap_pp),
            "double_half": self.double_half,
            "share_pct": number(self.share_pct),
            "share_change_pp": number(self.share_change_pp),
            "above_city_growth": self.above_city_growth,
            "growth_vs_city_pp": number(self.growth_vs_city_pp),
            "rank": self.rank,
            "rank_of": self.rank_of,
            "rank_change": self.rank_change,
            "value_source": self.value_source,
            "registry_value": self.registry_value,
        }


@dataclass
class ParkSummary:
    park: Park
    figures: dict[int, Figure]  # by indicator id
    double_half: bool | None = None
    tax_per_mu_wan: Decimal | None = None
    investment_intensity_wan_per_mu: Decimal | None = None


@dataclass
class MonthReport:
    year: int
    month: int
    indicators: list[Indicator]
    parks: list[ParkSummary]
    city: dict[int, Figure]
    time_progress_pct: Decimal
    data_updated_at: Any = None
    has_sample: bool = False

    def figures(self) -> Iterable[Figure]:
        for summary in self.parks:
            for indicator in self.indicators:
                yield summary.figures[indicator.pk]

    def as_json(self) -> list[dict[str, Any]]:
        return [figure.as_json() for figure in self.figures()]


def city_park_ids_for_user(user: Any) -> frozenset[int] | None:
    """Parks of the city view, or None when the user has no city view (park staff only)."""
    if gates.is_site_admin(user):
        return frozenset(gates.parks_for_user(user).values_list("pk", flat=True))
    if not gates.has_role(user, Membership.Role.LEADERSHIP):
        return None
    return frozenset(gates.parks_for_user(user).values_list("pk", flat=True))


def import_scope_for_user(user: Any) -> frozenset[int] | None | bool:
    """True: every row (site admin); a set: those parks' rows; False: may not import."""
    if gates.is_site_admin(user):
        return True
    parks = frozenset(gates.profile_editable_parks_for_user(user).values_list("pk", flat=True))
    return parks or False


def active_indicators() -> list[Indicator]:
    return list(Indicator.objects.filter(is_active=True))


def latest_month(*, park_ids: Iterable[int] | None = None) -> tuple[int, int] | None:
    """The newest month with any stored value (for the pages' default)."""
    values = IndicatorValue.objects.all()
    if park_ids is not None:
        values = values.filter(Q(park_id__in=sorted(park_ids)) | Q(park__isnull=True))
    newest = values.aggregate(year=Max("year"))["year"]
    if newest is None:
        return None
    month = values.filter(year=newest).aggregate(month=Max("month"))["month"]
    return newest, month


def data_version() -> str:
    """Changes whenever anything a report reads changes: values and targets (written only by
    the import service, which records a batch per change), the parks and the enterprise
    registry. Cached dashboards are keyed by it, so an import shows at once."""
    from yuanqu.enterprises.models import Enterprise
    from yuanqu.indicators.models import ImportBatch

    parts = [
        ImportBatch.objects.aggregate(v=Max("pk"))["v"],
        IndicatorValue.objects.count(),
        Target.objects.aggregate(v=Max("updated_at"))["v"],
        Park.objects.aggregate(v=Max("updated_at"))["v"],
        Enterprise.objects.aggregate(v=Max("updated_at"))["v"],
    ]
    return hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:20]


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _previous(year: int, month: int) -> tuple[int, int]:
    return (year, month - 1) if month > 1 else (year - 1, 12)


class _Store:
    """Values and targets a report needs, in memory: the given years, and of them only the
    given months when `months` is set (a month's report reads four months, not 24)."""

    def __init__(self, years: Sequence[int], months: Iterable[int] | None = None) -> None:
        self.values: dict[Key, tuple[Decimal | None, Decimal | None]] = {}
        stored = IndicatorValue.objects.filter(year__in=sorted(years))
        if months is not None:
            stored = stored.filter(month__in=sorted(set(months)))
        for park_id, indicator_id, year, month, value, yoy in stored.values_list(
            "park_id", "indicator_id", "year", "month", "value", "yoy_pct"
        ):
            self.values[(park_id, indicator_id, year, month)] = (value, yoy)
        summary = stored.aggregate(
            updated_at=Max("updated_at"), samples=Count("pk", filter=Q(is_sample=True))
        )
        self.updated_at = summary["updated_at"]
        self.has_sample = bool(summary["samples"])
        self.targets: dict[tuple[int | None, int, int], tuple[str, Decimal]] = {
            (park_id, indicator_id, year): (kind, value)
            for park_id, indicator_id, year, kind, value in Target.objects.filter(
                year__in=sorted(years)
            ).values_list("park_id", "indicator_id", "year", "kind", "value")
        }

    def value(self, key: Key) -> Decimal | None:
        return self.values.get(key, (None, None))[0]

    def published_growth(self, key: Key) -> Decimal | None:
        return self.values.get(key, (None, None))[1]

    def growth(self, key: Key) -> Decimal | None:
        """The published growth, else the one computed from the same month a year before."""
        published = self.published_growth(key)
        if published is not None:
            return published
        park_id, indicator_id, year, month = key
        return calc.yoy_growth_pct(
            self.value(key), self.value((park_id, indicator_id, year - 1, month))
        )


def registry_counts(
    park_ids: Sequence[int], *, year: int, month: int
) -> dict[tuple[int, str], int]:
    """The enterprise registry's counts at the end of the month, by (park, registry count):
    高企 held (certified, not expired), 规上工业 enterprises, and enterprises made 四上 this
    year."""
    from yuanqu.enterprises.models import Enterprise

    end = _month_end(year, month)
    start = date(year, 1, 1)
    rows = (
        Enterprise.objects.filter(park_id__in=sorted(park_ids))
        .values("park_id")
        .annotate(
            high_tech=Count(
                "pk",
                filter=Q(high_tech_certified_on__lte=end)
                & (Q(high_tech_expires_on__isnull=True) | Q(high_tech_expires_on__gte=end)),
            ),
            above_scale_industry=Count(
                "pk",
                filter=Q(
                    above_scale_type=Enterprise.AboveScaleType.INDUSTRY,
                    above_scale_since__lte=end,
                ),
            ),
            new_above_scale=Count(
                "pk", filter=Q(above_scale_since__gte=start, above_scale_since__lte=end)
            ),
        )
    )
    counts: dict[tuple[int, str], int] = {}
    for row in rows:
        for name in ("high_tech", "above_scale_industry", "new_above_scale"):
            counts[(row["park_id"], name)] = row[name]
    return counts


def month_report(
    *,
    year: int,
    month: int,
    park_ids: Iterable[int] | None = None,
    indicators: Sequence[Indicator] | None = None,
) -> MonthReport:
    """Every derived figure of one month for the given parks (None: all active parks) and
    the city. Ranks are among all active parks, whoever asks."""
    if not 1 <= month <= 12:
        raise ValueError("month must be 1–12")
    indicators = list(indicators) if indicators is not None else active_indicators()
    all_parks = list(Park.objects.filter(is_active=True).order_by("name"))
    wanted = set(park_ids) if park_ids is not None else None
    last_year, last_month = _previous(year, month)
    # This month, last month (rank change), June (双过半) and December (a target's implied
    # growth), this year and last.
    store = _Store([year - 1, year], months=[month, last_month, 6, 12])
    counts = registry_counts([park.pk for park in all_parks], year=year, month=month)
    previous_store = store if last_year == year else _Store([last_year - 1, last_year], [12])
    progress = calc.time_progress_pct(month)

    current = _figures(store, all_parks, indicators, counts, year, month)
    previous = _figures(previous_store, all_parks, indicators, {}, last_year, last_month)
    june = _figures(store, all_parks, indicators, {}, year, 6) if month > 6 else current
    for indicator in indicators:
        ranks_now = calc.rank(
            {park.pk: current[(park.pk, indicator.pk)].yoy_pct for park in all_parks},
            higher_is_better=indicator.higher_is_better,
        )
        ranks_before = calc.rank(
            {park.pk: previous[(park.pk, indicator.pk)].yoy_pct for park in all_parks},
            higher_is_better=indicator.higher_is_better,
        )
        for park in all_parks:
            figure = current[(park.pk, indicator.pk)]
            figure.rank = ranks_now.get(park.pk)
            figure.rank_of = len(ranks_now) if figure.rank else None
            figure.rank_change = calc.rank_change(figure.rank, ranks_before.get(park.pk))
            if month >= 6:
                figure.double_half = june[(park.pk, indicator.pk)].double_half
            else:
                figure.double_half = None
        city_figure = current[(None, indicator.pk)]
        city_figure.double_half = june[(None, indicator.pk)].double_half if month >= 6 else None
    summaries = []
    output = {indicator.code: indicator for indicator in indicators}
    for park in all_parks:
        if wanted is not None and park.pk not in wanted:
            continue
        figures = {indicator.pk: current[(park.pk, indicator.pk)] for indicator in indicators}
        summary = ParkSummary(park=park, figures=figures)
        if month >= 6:
            summary.double_half = calc.park_double_half(
                figure.double_half for figure in figures.values() if figure.target is not None
            )
        land = park.industrial_land_mu
        if "tax_revenue" in output:
            summary.tax_per_mu_wan = calc.per_mu_wan(figures[output["tax_revenue"].pk].ytd, land)
        if "fixed_asset_investment" in output:
            summary.investment_intensity_wan_per_mu = calc.per_mu_wan(
                figures[output["fixed_asset_investment"].pk].ytd, land
            )
        summaries.append(summary)
    return MonthReport(
        year=year,
        month=month,
        indicators=indicators,
        parks=summaries,
        city={indicator.pk: current[(None, indicator.pk)] for indicator in indicators},
        time_progress_pct=progress,
        data_updated_at=store.updated_at,
        has_sample=store.has_sample,
    )


def _figures(
    store: _Store,
    parks: Sequence[Park],
    indicators: Sequence[Indicator],
    counts: dict[tuple[int, str], int],
    year: int,
    month: int,
) -> dict[tuple[int | None, int], Figure]:
    progress = calc.time_progress_pct(month)
    result: dict[tuple[int | None, int], Figure] = {}
    for indicator in indicators:
        for park in [None, *parks]:
            park_id = park.pk if park else None
            key: Key = (park_id, indicator.pk, year, month)
            year_ago: Key = (park_id, indicator.pk, year - 1, month)
            figure = Figure(park=park, indicator=indicator, time_progress_pct=progress)
            figure.ytd = store.value(key)
            if figure.ytd is not None:
                figure.value_source = "statistics"
            if indicator.registry_count and park_id is not None:
                count = counts.get((park_id, indicator.registry_count))
                figure.registry_value = count
                if figure.ytd is None and count is not None:
                    figure.ytd = Decimal(count)
                    figure.value_source = "registry"
            published = store.published_growth(key)
            if published is not None:
                figure.yoy_pct, figure.yoy_source = published, "published"
            else:
                computed = calc.yoy_growth_pct(figure.ytd, store.value(year_ago))
                if computed is not None:
                    figure.yoy_pct, figure.yoy_source = computed, "computed"
            target = store.targets.get((park_id, indicator.pk, year))
            if target is not None:
                figure.target_kind, figure.target = target
                if figure.target_kind == Target.Kind.GROWTH:
                    figure.target_growth_pct = figure.target
                    figure.completion_pct = calc.growth_completion_pct(
                        figure.yoy_pct, figure.target
                    )
                else:
                    figure.target_growth_pct = calc.implied_growth_pct(
                        figure.target, store.value((park_id, indicator.pk, year - 1, 12))
                    )
                    figure.completion_pct = calc.completion_pct(figure.ytd, figure.target)
                figure.gap_pp = calc.gap_pp(figure.completion_pct, progress)
                figure.double_half = calc.double_half(
                    completion=figure.completion_pct,
                    growth=figure.yoy_pct,
                    target_growth=figure.target_growth_pct,
                )
            result[(park_id, indicator.pk)] = figure
        city = result[(None, indicator.pk)]
        city_year_ago = store.value((None, indicator.pk, year - 1, month))
        for park in parks:
            figure = result[(park.pk, indicator.pk)]
            figure.share_pct = calc.share_pct(figure.ytd, city.ytd)
            before = calc.share_pct(
                store.value((park.pk, indicator.pk, year - 1, month)), city_year_ago
            )
            figure.share_change_pp = calc.change_pp(figure.share_pct, before)
            if figure.yoy_pct is not None and city.yoy_pct is not None:
                figure.growth_vs_city_pp = calc.change_pp(figure.yoy_pct, city.yoy_pct)
    return result


# --- a park's year ---------------------------------------------------------------------


@dataclass
class IndicatorHistory:
    indicator: Indicator
    months: list[int]
    values: list[Decimal | None]
    city_growth: list[Decimal | None]
    growth: list[Decimal | None]
    target_path: list[Decimal] = field(default_factory=list)
    shares: list[Decimal | None] = field(default_factory=list)
    ranks: list[int | None] = field(default_factory=list)
    rank_of: list[int | None] = field(default_factory=list)


def park_year(
    *, park: Park, year: int, month: int, indicators: Sequence[Indicator]
) -> list[IndicatorHistory]:
    """Month by month to `month`: the park's cumulative value, its growth and the city's, its
    share, its rank by growth among the active parks (on the statistics figures: the month's
    report also ranks a registry count standing in for a missing one), and the even path to an absolute target (the pacing line)."""
    store = _Store([year - 1, year])
    active = list(Park.objects.filter(is_active=True).values_list("pk", flat=True))
    histories = []
    for indicator in indicators:
        months = list(range(1, month + 1))
        values, growth, city_growth, shares = [], [], [], []
        rank_history: list[int | None] = []
        rank_of: list[int | None] = []
        for m in months:
            value = store.value((park.pk, indicator.pk, year, m))
            city = store.value((None, indicator.pk, year, m))
            values.append(value)
            shares.append(calc.share_pct(value, city))
            growth.append(store.growth((park.pk, indicator.pk, year, m)))
            city_growth.append(store.growth((None, indicator.pk, year, m)))
            ranks = calc.rank(
                {pk: store.growth((pk, indicator.pk, year, m)) for pk in active},
                higher_is_better=indicator.higher_is_better,
            )
            rank_history.append(ranks.get(park.pk))
            rank_of.append(len(ranks) if park.pk in ranks else None)
        history = IndicatorHistory(indicator, months, values, city_growth, growth, shares=shares,
                                   ranks=rank_history, rank_of=rank_of)  # fmt: skip
        target = store.targets.get((park.pk, indicator.pk, year))
        if target is not None and target[0] == Target.Kind.ABSOLUTE:
            history.target_path = calc.target_path(target[1])[:month]
        histories.append(history)
    return histories


# --- pipeline outlook ------------------------------------------------------------------


@dataclass
class Outlook:
    indicator: Indicator
    shortfall: Decimal
    projects: list[calc.OutlookProject]
    closing_share_pct: Decimal | None
    stage_label: str


def pipeline_outlook(*, summary: ParkSummary, year: int, month: int) -> list[Outlook]:
    """For each indicator the park is behind on (against an absolute target's even pacing),
    the signed projects whose next stage falls in the rest of the year and what they would
    add if they keep their dates: 开工 adds the agreed investment (an upper bound: not all of
    it is spent in the year); 投产 adds the expected annual output or tax for the months
    left after production starts."""
    from yuanqu.pipeline.models import Milestone, Project, Stage

    year_end = date(year, 12, 31)
    after = _month_end(year, month)
    behind: list[tuple[Indicator, Decimal]] = []
    for figure in summary.figures.values():
        if figure.indicator.code not in OUTLOOK_RULES or figure.target_kind != "absolute":
            continue
        gap = calc.shortfall(figure.ytd, figure.target, figure.time_progress_pct or Decimal(0))
        if gap is not None:
            behind.append((figure.indicator, gap))
    if not behind:
        return []
    projects = Project.objects.filter(park=summary.park)
    starting = list(
        projects.filter(
            stage__in=(Stage.SIGNED, Stage.LAND),
            planned_start_on__gt=after,
            planned_start_on__lte=year_end,
        ).values_list("pk", "name", "planned_start_on", "agreed_investment_yi")
    )
    producing_dates: dict[int, date] = {}
    for project_id, due_on in (
        Milestone.objects.filter(
            project__park=summary.park,
            project__stage=Stage.STARTED,
            done_on__isnull=True,
            due_on__gt=after,
            due_on__lte=year_end,
        )
        .filter(Q(title__contains=PRODUCING_WORDS[0]) | Q(title__contains=PRODUCING_WORDS[1]))
        .values_list("project_id", "due_on")
        .order_by("due_on")
    ):
        producing_dates.setdefault(project_id, due_on)
    producing = list(
        projects.filter(pk__in=sorted(producing_dates)).values_list(
            "pk", "name", "expected_output_wan", "expected_tax_wan"
        )
    )
    outlooks = []
    for indicator, gap in behind:
        found: list[calc.OutlookProject] = []
        if OUTLOOK_RULES[indicator.code] == "started":
            for pk, name, start_on, investment in starting:
                if investment and start_on:
                    found.append(calc.OutlookProject(pk, name, start_on, investment))
            label = "开工"
        else:
            for pk, name, output_wan, tax_wan in producing:
                annual_wan = output_wan if indicator.code == "industrial_output" else tax_wan
                if not annual_wan:
                    continue
                amount = calc.producing_months_amount(
                    annual_wan / calc.WAN_PER_YI, due_on=producing_dates[pk], year=year
                )
                found.append(calc.OutlookProject(pk, name, producing_dates[pk], amount))
            label = "投产"
        found.sort(key=lambda project: project.due_on)
        outlooks.append(Outlook(indicator, gap, found, calc.closing_share_pct(gap, found), label))
    return outlooks


@dataclass
class PipelinePanel:
    """What the pipeline says beside the month's figures: the year's conversion rates, the
    key projects still under way and the open alerts."""

    analytics: Any  # pipeline.analytics.Analytics for 1 January to the month's end
    key_projects: list[Any]
    alert_counts: dict[str, int]  # by the alert kind's label
    alerts: list[Any]


KEY_PROJECTS_SHOWN = 10
ALERTS_SHOWN = 8


def pipeline_panel(*, user: Any, park_ids: Iterable[int], year: int, month: int) -> PipelinePanel:
    """Read live on every request (the city tables' cache does not cover projects)."""
    from yuanqu.accounts import gates
    from yuanqu.pipeline import analytics
    from yuanqu.pipeline import selectors as pipeline_selectors
    from yuanqu.pipeline.models import Project, ProjectAlert, Stage

    ids = sorted(park_ids)
    parks = gates.parks_for_user(user).filter(pk__in=ids)
    figures = analytics.stage_analytics(
        parks=parks, date_from=date(year, 1, 1), date_to=_month_end(year, month)
    )
    key_projects = list(
        gates.project_queryset_for_user(user)
        .filter(
            park_id__in=ids, stage__in=(Stage.NEGOTIATING, Stage.SIGNED, Stage.LAND, Stage.STARTED)
        )
        .exclude(key_level=Project.KeyLevel.NONE)
        .select_related("park")
        .order_by("-agreed_investment_yi", "name")[:KEY_PROJECTS_SHOWN]
    )
    alerts = pipeline_selectors.alerts_for_user(user=user).filter(project__park_id__in=ids)
    labels = dict(ProjectAlert.Kind.choices)
    counts = {
        str(labels.get(row["kind"], row["kind"])): row["count"]
        for row in alerts.order_by().values("kind").annotate(count=Count("pk"))
    }
    return PipelinePanel(
        analytics=figures,
        key_projects=key_projects,
        alert_counts=counts,
        alerts=list(alerts[:ALERTS_SHOWN]),
    )
