"""What the workbench's first page shows: a handful of counts and short lists, each read
in one query over the user's scope (gates), so the page costs the same at any data size."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from yuanqu.accounts import gates
from yuanqu.leads.models import Lead
from yuanqu.pipeline.models import STAGE_ORDER, ProjectAlert, Stage

SHORT_LIST = 8
OPEN_LEAD_STATUSES = (Lead.Status.NEW, Lead.Status.FOLLOWING)


@dataclass
class HomeSummary:
    new_leads_today: list[Lead] = field(default_factory=list)
    new_leads_today_count: int = 0
    my_due_leads: list[Lead] = field(default_factory=list)
    my_due_count: int = 0
    my_overdue_count: int = 0
    unassigned_count: int = 0
    stage_counts: list[tuple[str, str, int]] = field(default_factory=list)
    alerts: list[ProjectAlert] = field(default_factory=list)
    alert_count: int = 0
    read_only: bool = False


def workbench_home_summary(*, user: Any, now: datetime | None = None) -> HomeSummary:
    now = now or timezone.now()
    today = timezone.localdate(now)
    start_of_today = timezone.make_aware(datetime.combine(today, time.min))
    summary = HomeSummary(read_only=gates.is_read_only_staff(user))

    leads = gates.lead_queryset_for_user(user).filter(anonymised_at__isnull=True)
    light = leads.select_related("park", "industry").only(
        "reference", "kind", "deal", "area_min_m2", "area_max_m2", "status", "created_at",
        "next_follow_up_on", "park__name", "park__short_name", "industry__name",
    )  # fmt: skip
    counts = leads.aggregate(
        new_today=Count("pk", filter=Q(created_at__gte=start_of_today)),
        unassigned=Count("pk", filter=Q(owner__isnull=True, status__in=OPEN_LEAD_STATUSES)),
        my_due=Count(
            "pk",
            filter=Q(owner=user, status__in=OPEN_LEAD_STATUSES, next_follow_up_on__lte=today),
        ),
        my_overdue=Count(
            "pk",
            filter=Q(owner=user, status__in=OPEN_LEAD_STATUSES, next_follow_up_on__lt=today),
        ),
    )
    summary.new_leads_today_count = counts["new_today"]
    summary.unassigned_count = counts["unassigned"]
    summary.my_due_count = counts["my_due"]
    summary.my_overdue_count = counts["my_overdue"]
    if summary.new_leads_today_count:
        summary.new_leads_today = list(
            light.filter(created_at__gte=start_of_today).order_by("-created_at", "-id")[:SHORT_LIST]
        )
    if summary.my_due_count:
        summary.my_due_leads = list(
            light.filter(
                owner=user, status__in=OPEN_LEAD_STATUSES, next_follow_up_on__lte=today
            ).order_by("next_follow_up_on", "id")[:SHORT_LIST]
        )

    projects = gates.project_queryset_for_user(user)
    if not gates.is_read_only_staff(user) and not gates.is_site_admin(user):
        # Officers and managers see their own projects here; the board has the park's.
        projects = projects.filter(officer=user)
    by_stage = dict(
        projects.values_list("stage").annotate(count=Count("pk")).values_list("stage", "count")
    )
    summary.stage_counts = [
        (stage, str(Stage(stage).label), by_stage.get(stage, 0)) for stage in STAGE_ORDER
    ]

    alerts = ProjectAlert.objects.filter(
        closed_on__isnull=True, project__in=projects.values("pk")
    ).select_related("project")
    summary.alert_count = alerts.count()
    if summary.alert_count:
        summary.alerts = list(alerts.order_by("raised_on", "id")[:SHORT_LIST])
    return summary
