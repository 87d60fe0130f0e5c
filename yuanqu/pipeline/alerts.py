"""Project warnings (预警), raised and closed by comparing what should be open with what is.

- 停滞: a live project (在谈 to 开工) with no follow-up, stage change or funding entry within
  PROJECT_STALL_DAYS days;
- 超时限未开工: signed (or holding land) and past its agreed 开工 date without starting;
- 节点逾期: a milestone past its due date and not done;
- 问题久未解决: a problem still open PROJECT_PROBLEM_OVERDUE_DAYS days after it was raised.

`alerts_refresh` runs daily over every project and may run any number of times: an alert
that still applies stays open (one row per cause, guarded by a unique constraint), one that
no longer does is closed. Services call `alerts_refresh_for` after a change, so an alert
clears as soon as its cause does.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yuanqu.pipeline.models import Milestone, Problem, Project, ProjectAlert, Stage

# Stages where a project still needs pushing (投产 and 终止 are done).
ACTIVE_STAGES = (Stage.NEGOTIATING, Stage.SIGNED, Stage.LAND, Stage.STARTED)

Cause = tuple[int, str, str]  # (project id, kind, subject)


def _wanted(today: date, project_ids: list[int] | None) -> dict[Cause, str]:
    """Every alert that should be open today, with its explanation."""
    projects = Project.objects.filter(stage__in=ACTIVE_STAGES)
    milestones = Milestone.objects.filter(
        project__stage__in=ACTIVE_STAGES, done_on__isnull=True, due_on__lt=today
    )
    problem_cutoff = today - timedelta(days=settings.PROJECT_PROBLEM_OVERDUE_DAYS)
    problems = Problem.objects.filter(
        project__stage__in=ACTIVE_STAGES, raised_on__lt=problem_cutoff
    ).exclude(status=Problem.Status.RESOLVED)
    if project_ids is not None:
        projects = projects.filter(pk__in=project_ids)
        milestones = milestones.filter(project_id__in=project_ids)
        problems = problems.filter(project_id__in=project_ids)

    wanted: dict[Cause, str] = {}
    stall_days = settings.PROJECT_STALL_DAYS
    stall_cutoff = timezone.make_aware(
        datetime.combine(today - timedelta(days=stall_days), time.min)
    )
    for pk, last_activity_at, created_at in projects.values_list(
        "pk", "last_activity_at", "created_at"
    ):
        last = last_activity_at or created_at
        if last < stall_cutoff:
            days = (today - timezone.localdate(last)).days
            wanted[(pk, ProjectAlert.Kind.STALLED, "")] = _("已 %(days)d 天没有跟进或阶段变化") % {
                "days": days
            }
    for pk, planned in projects.filter(
        stage__in=(Stage.SIGNED, Stage.LAND), planned_start_on__lt=today
    ).values_list("pk", "planned_start_on"):
        assert planned is not None  # filtered on planned_start_on__lt
        wanted[(pk, ProjectAlert.Kind.START_OVERDUE, "")] = _(
            "约定 %(date)s 开工,已超期 %(days)d 天"
        ) % {"date": planned.isoformat(), "days": (today - planned).days}
    for pk, project_id, title, due_on in milestones.values_list(
        "pk", "project_id", "title", "due_on"
    ):
        wanted[(project_id, ProjectAlert.Kind.MILESTONE_OVERDUE, f"milestone:{pk}")] = _(
            "节点“%(title)s”应于 %(date)s 完成"
        ) % {"title": title[:60], "date": due_on.isoformat()}
    for pk, project_id, department, raised_on in problems.values_list(
        "pk", "project_id", "department", "raised_on"
    ):
        wanted[(project_id, ProjectAlert.Kind.PROBLEM_OVERDUE, f"problem:{pk}")] = _(
            "%(department)s 负责的问题已 %(days)d 天未解决"
        ) % {"department": department[:60], "days": (today - raised_on).days}
    return wanted


@transaction.atomic
def _refresh(today: date, project_ids: list[int] | None) -> tuple[int, int]:
    wanted = _wanted(today, project_ids)
    open_alerts = ProjectAlert.objects.select_for_update().filter(closed_on__isnull=True)
    if project_ids is not None:
        open_alerts = open_alerts.filter(project_id__in=project_ids)
    current: dict[Cause, ProjectAlert] = {
        (alert.project_id, alert.kind, alert.subject): alert for alert in open_alerts
    }
    gone = [alert.pk for cause, alert in current.items() if cause not in wanted]
    closed = ProjectAlert.objects.filter(pk__in=gone).update(closed_on=today) if gone else 0
    changed = [
        alert
        for cause, alert in current.items()
        if cause in wanted and alert.detail != wanted[cause][:200]
    ]
    for alert in changed:
        alert.detail = wanted[(alert.project_id, alert.kind, alert.subject)][:200]
    ProjectAlert.objects.bulk_update(changed, ["detail"])
    new = [
        ProjectAlert(
            project_id=pk, kind=kind, subject=subject, detail=detail[:200], raised_on=today
        )
        for (pk, kind, subject), detail in wanted.items()
        if (pk, kind, subject) not in current
    ]
    ProjectAlert.objects.bulk_create(new)
    return len(new), closed


def alerts_refresh(*, today: date | None = None) -> tuple[int, int]:
    """Bring every project's alerts up to date; returns (raised, closed)."""
    return _refresh(today or timezone.localdate(), None)


def alerts_refresh_for(*, project_ids: Iterable[int], today: date | None = None) -> tuple[int, int]:
    return _refresh(today or timezone.localdate(), sorted(set(project_ids)))
