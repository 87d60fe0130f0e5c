from datetime import timedelta

import pytest
from django.utils import timezone

from yuanqu.pipeline.alerts import alerts_refresh
from yuanqu.pipeline.models import ProjectAlert, Stage
from yuanqu.pipeline.services import project_follow_up_add
from yuanqu.pipeline.tests.factories import make_milestone, make_problem, make_project

pytestmark = pytest.mark.django_db


def _open_kinds() -> list[str]:
    return sorted(
        ProjectAlert.objects.filter(closed_on__isnull=True).values_list("kind", flat=True)
    )


def _long_ago(days: int):
    return timezone.now() - timedelta(days=days)


def test_a_project_without_activity_for_the_stall_days_is_stalled(park_a, settings):
    settings.PROJECT_STALL_DAYS = 30
    make_project(park=park_a, last_activity_at=_long_ago(31))
    make_project(park=park_a, last_activity_at=_long_ago(29))

    alerts_refresh()

    assert _open_kinds() == ["stalled"]


def test_a_producing_project_never_stalls(park_a):
    make_project(park=park_a, stage=Stage.PRODUCING, last_activity_at=_long_ago(400))

    alerts_refresh()

    assert _open_kinds() == []


def test_a_signed_project_past_its_agreed_start_is_overdue(park_a):
    today = timezone.localdate()
    make_project(park=park_a, stage=Stage.SIGNED, planned_start_on=today - timedelta(days=1))

    alerts_refresh()

    alert = ProjectAlert.objects.get()
    assert alert.kind == "start_overdue" and "超期 1 天" in alert.detail


def test_each_overdue_milestone_and_old_problem_has_its_own_alert(park_a, settings):
    settings.PROJECT_PROBLEM_OVERDUE_DAYS = 14
    project = make_project(park=park_a)
    today = timezone.localdate()
    make_milestone(project, due_on=today - timedelta(days=2))
    make_milestone(project, due_on=today - timedelta(days=1))
    make_problem(project, raised_on=today - timedelta(days=15))
    make_problem(project, raised_on=today - timedelta(days=13))

    alerts_refresh()

    assert _open_kinds() == ["milestone_overdue", "milestone_overdue", "problem_overdue"]


def test_running_twice_a_day_keeps_one_alert_per_cause(park_a):
    make_project(park=park_a, last_activity_at=_long_ago(90))

    alerts_refresh()
    alerts_refresh()

    assert ProjectAlert.objects.count() == 1


def test_a_follow_up_closes_the_stalled_alert_at_once(
    park_a, investment_officer, django_capture_on_commit_callbacks
):
    project = make_project(park=park_a, last_activity_at=_long_ago(90))
    alerts_refresh()

    with django_capture_on_commit_callbacks(execute=True):
        project_follow_up_add(
            actor=investment_officer,
            project=project,
            channel="call",
            happened_at=timezone.now(),
            notes="电话沟通签约条款",
        )

    alert = ProjectAlert.objects.get()
    assert alert.closed_on == timezone.localdate()


def test_a_cause_that_returns_after_closing_raises_a_new_alert(park_a):
    project = make_project(park=park_a, last_activity_at=_long_ago(90))
    alerts_refresh()
    project.last_activity_at = timezone.now()
    project.save()
    alerts_refresh()
    project.last_activity_at = _long_ago(90)
    project.save()

    alerts_refresh()

    assert ProjectAlert.objects.count() == 2 and len(_open_kinds()) == 1
