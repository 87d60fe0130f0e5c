"""What the project pages read: the filtered list (board and table share its filters), one
project's page, and the open alerts. Every reader costs a fixed number of queries, whatever
the number of projects (guarded in tests)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import QueryDict

from yuanqu.accounts import gates
from yuanqu.core import list_filters, search
from yuanqu.pipeline.models import (
    STAGE_ORDER,
    Milestone,
    Problem,
    Project,
    ProjectAlert,
    Stage,
)

BOARD_CARDS_PER_STAGE = 12
# What a board card shows: reading only these keeps 72 cards cheap to load.
CARD_FIELDS = (
    "name", "investor_name", "stage", "agreed_investment_yi", "key_level", "is_sample",
    "created_at", "last_activity_at", "stage_changed_at", "park__name", "park__short_name",
)  # fmt: skip
SEARCH_LIMIT = 5000
SORTS = {
    "new": ("-created_at", "-id"),
    "activity": ("-last_activity_at", "-id"),
    "stage": ("-stage_changed_at", "-id"),
    "investment": ("-agreed_investment_yi", "-id"),
}
BOARD_STAGES = (*STAGE_ORDER, Stage.TERMINATED)
# What a row of the table shows (the export reads whole rows).
TABLE_FIELDS = (
    *CARD_FIELDS, "officer__username", "officer__first_name", "officer__last_name",
)  # fmt: skip


@dataclass(frozen=True)
class ProjectFilters:
    stage: str = ""
    officer: str = ""  # "me", "none" or a user id
    park_id: int | None = None
    industry: str = ""
    key_level: str = ""
    alert: str = ""  # an alert kind, or "any"
    q: str = ""
    sort: str = "new"

    def as_query(self) -> dict[str, str]:
        query = {
            "stage": self.stage,
            "officer": self.officer,
            "park": str(self.park_id or ""),
            "industry": self.industry,
            "key_level": self.key_level,
            "alert": self.alert,
            "q": self.q,
            "sort": "" if self.sort == "new" else self.sort,
        }
        return {key: value for key, value in query.items() if value}


def project_filters_from_query(query: QueryDict | dict, *, user: Any) -> ProjectFilters:
    """Filters from GET parameters; unknown values are ignored rather than refused (a stale
    bookmark shows the user's own list)."""
    park_id = list_filters.visible_park_id(query, user=user)
    stage = str(query.get("stage") or "")
    officer = str(query.get("officer") or "")
    key_level = str(query.get("key_level") or "")
    alert = str(query.get("alert") or "")
    sort = str(query.get("sort") or "new")
    return ProjectFilters(
        stage=stage if stage in Stage.values else "",
        officer=officer if officer in ("me", "none") or officer.isdigit() else "",
        park_id=park_id,
        industry=list_filters.industry_code(query),
        key_level=key_level if key_level in ("city", "province", "any") else "",
        alert=alert if alert == "any" or alert in ProjectAlert.Kind.values else "",
        q=str(query.get("q") or "").strip()[: search.MAX_QUERY_CHARS],
        sort=sort if sort in SORTS else "new",
    )


def _search_q(text: str) -> Q:
    return search.id_filter(search.matching_ids(kind="project", query=text, limit=SEARCH_LIMIT))


def _open_alerts(kind: str = "") -> QuerySet[ProjectAlert]:
    alerts = ProjectAlert.objects.filter(closed_on__isnull=True)
    return alerts.filter(kind=kind) if kind and kind != "any" else alerts


def project_list_for_user(
    *, user: Any, filters: ProjectFilters, with_stage: bool = True
) -> QuerySet[Project]:
    """The projects the user may see, filtered and sorted, each with its park, officer,
    industry and number of open alerts loaded (one query per page)."""
    queryset = gates.project_queryset_for_user(user).select_related("park", "officer", "industry")
    if with_stage and filters.stage:
        queryset = queryset.filter(stage=filters.stage)
    if filters.officer == "me":
        queryset = queryset.filter(officer=user)
    elif filters.officer == "none":
        queryset = queryset.filter(officer__isnull=True)
    elif filters.officer:
        queryset = queryset.filter(officer_id=int(filters.officer))
    if filters.park_id is not None:
        queryset = queryset.filter(park_id=filters.park_id)
    if filters.industry:
        queryset = queryset.filter(list_filters.industry_q(filters.industry))
    if filters.key_level == "any":
        queryset = queryset.exclude(key_level="")
    elif filters.key_level:
        queryset = queryset.filter(key_level=filters.key_level)
    if filters.alert:
        queryset = queryset.filter(pk__in=_open_alerts(filters.alert).values("project_id"))
    if filters.q:
        queryset = queryset.filter(_search_q(filters.q))
    open_alerts = (
        _open_alerts()
        .filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(count=Count("pk"))
        .values("count")
    )
    queryset = queryset.annotate(open_alert_count=Coalesce(Subquery(open_alerts), 0))
    return queryset.order_by(*SORTS[filters.sort])


@dataclass
class BoardColumn:
    stage: str
    label: str
    count: int = 0
    investment_yi: Decimal = Decimal(0)
    projects: list[Project] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.projects)


def project_board_for_user(*, user: Any, filters: ProjectFilters) -> list[BoardColumn]:
    """One column per stage: its count, 协议投资 and the first cards (alerts first)."""
    base = project_list_for_user(user=user, filters=filters, with_stage=False)
    totals = {
        row["stage"]: row
        for row in base.order_by()
        .values("stage")
        .annotate(count=Count("pk"), investment=Sum("agreed_investment_yi"))
    }
    columns = []
    for stage in BOARD_STAGES:
        row = totals.get(stage, {})
        column = BoardColumn(
            stage=stage,
            label=str(Stage(stage).label),
            count=row.get("count", 0),
            investment_yi=row.get("investment") or Decimal(0),
        )
        if column.count:
            column.projects = list(
                base.filter(stage=stage)
                .select_related(None)
                .select_related("park")
                .only(*CARD_FIELDS)
                .order_by("-open_alert_count", *SORTS[filters.sort])[:BOARD_CARDS_PER_STAGE]
            )
        columns.append(column)
    return columns


def project_detail_context(*, project: Project) -> dict[str, Any]:
    """Everything the project page shows beyond its own fields (a fixed number of queries)."""
    funding = list(project.funding_entries.select_related("actor"))
    received = sum((entry.amount_yi for entry in funding), Decimal(0))
    agreed = project.agreed_investment_yi
    open_problems = Problem.objects.filter(project=project).exclude(status=Problem.Status.RESOLVED)
    return {
        "stage_changes": list(project.stage_changes.select_related("actor")),
        "funding_entries": funding,
        "funding_received_yi": received,
        "funding_rate": (received / agreed * 100) if agreed else None,
        "milestones": list(Milestone.objects.filter(project=project)),
        "problems": list(Problem.objects.filter(project=project)),
        "open_problem_count": open_problems.count(),
        "follow_ups": list(project.follow_ups.select_related("author")[:50]),
        "alerts": list(_open_alerts().filter(project=project).order_by("raised_on", "id")),
        "days_land_to_start": (
            (project.started_on - project.land_on).days
            if project.started_on and project.land_on
            else None
        ),
    }


def project_timeline(project: Project) -> list[dict[str, Any]]:
    """The five live stages with the date each was reached (None: not yet)."""
    dates: dict[str, Any] = {
        Stage.NEGOTIATING: None,
        Stage.SIGNED: project.signed_on,
        Stage.LAND: project.land_on,
        Stage.STARTED: project.started_on,
        Stage.PRODUCING: project.producing_on,
    }
    current = STAGE_ORDER.index(project.stage) if project.stage in STAGE_ORDER else -1
    return [
        {
            "stage": stage,
            "label": str(Stage(stage).label),
            "on": dates[stage],
            "reached": index <= current or dates[stage] is not None,
            "current": stage == project.stage,
        }
        for index, stage in enumerate(STAGE_ORDER)
    ]


def alerts_for_user(*, user: Any, kind: str = "", park_id: int | None = None) -> QuerySet:
    """Open alerts of the projects the user may see, oldest first."""
    alerts = _open_alerts(kind).filter(
        project__in=gates.project_queryset_for_user(user).values("pk")
    )
    if park_id is not None:
        alerts = alerts.filter(project__park_id=park_id)
    return alerts.select_related("project", "project__park", "project__officer").order_by(
        "raised_on", "id"
    )


def alert_counts_for_user(*, user: Any) -> dict[str, int]:
    rows = (
        _open_alerts()
        .filter(project__in=gates.project_queryset_for_user(user).values("pk"))
        .order_by()
        .values("kind")
        .annotate(count=Count("pk"))
    )
    return {row["kind"]: row["count"] for row in rows}
