"""Plain factory functions for 招商 projects. `make_project(stage=…)` writes a consistent
history straight through the ORM: every stage up to the wanted one gets its date, its data
and a StageChange row, as `project_move_to_stage` would have left them."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from yuanqu.parks.models import Park
from yuanqu.pipeline.models import (
    STAGE_ORDER,
    FundingEntry,
    Milestone,
    Problem,
    Project,
    Stage,
    StageChange,
)

_sequence = itertools.count(1)

# The date field each stage sets when it is reached.
STAGE_DATE_FIELDS: dict[str, str] = {
    Stage.SIGNED: "signed_on",
    Stage.LAND: "land_on",
    Stage.STARTED: "started_on",
    Stage.PRODUCING: "producing_on",
}


def make_project(
    *,
    park: Park,
    stage: str = Stage.NEGOTIATING,
    met_on: date | None = None,
    step_days: int = 30,
    **fields: Any,
) -> Project:
    """A project that reached `stage`, each stage `step_days` after the previous one, the
    first met on `met_on` (default: far enough back that no date lies in the future)."""
    number = next(_sequence)
    fields.setdefault("name", f"测试项目{number}")
    fields.setdefault("investor_name", f"测试投资{number}有限公司")
    fields.setdefault("source", Project.Source.FAIR)
    reached: list[str] = (
        list(STAGE_ORDER[: STAGE_ORDER.index(stage) + 1]) if stage in STAGE_ORDER else []
    )
    if stage == Stage.TERMINATED:
        reached = [Stage.NEGOTIATING]
    met_on = met_on or timezone.localdate() - timedelta(days=step_days * (len(reached) + 1))
    dates = {name: met_on + timedelta(days=step_days * (index + 1))
             for index, name in enumerate(reached[1:])}  # fmt: skip
    if Stage.SIGNED in reached:
        fields.setdefault("agreed_investment_yi", Decimal("5"))
        fields.setdefault("planned_start_on", dates[Stage.SIGNED] + timedelta(days=90))
    if Stage.LAND in reached:
        fields.setdefault("land_mode", Project.LandMode.GRANT)
        fields.setdefault("land_mu", Decimal("50"))
    for reached_stage, on in dates.items():
        fields.setdefault(STAGE_DATE_FIELDS[reached_stage], on)
    if stage == Stage.TERMINATED:
        fields.setdefault("terminated_on", met_on + timedelta(days=step_days))
        fields.setdefault("terminated_reason", "投资方战略调整")
    now = timezone.now()
    fields.setdefault("last_activity_at", now)
    project = Project.objects.create(park=park, stage=stage, stage_changed_at=now, **fields)
    history: list[tuple[str, str, Any]] = [("", Stage.NEGOTIATING, met_on)]
    previous: str = Stage.NEGOTIATING
    for reached_stage in reached[1:]:
        history.append(
            (previous, reached_stage, getattr(project, STAGE_DATE_FIELDS[reached_stage]))
        )
        previous = reached_stage
    if stage == Stage.TERMINATED:
        history.append((previous, Stage.TERMINATED, project.terminated_on))
    StageChange.objects.bulk_create(
        StageChange(project=project, from_stage=from_stage, to_stage=to_stage, effective_on=on)
        for from_stage, to_stage, on in history
    )
    return project


def make_funding(
    project: Project, *, amount_yi: str | Decimal = "1", **fields: Any
) -> FundingEntry:
    fields.setdefault("received_on", project.signed_on or timezone.localdate())
    return FundingEntry.objects.create(project=project, amount_yi=Decimal(amount_yi), **fields)


def make_milestone(project: Project, **fields: Any) -> Milestone:
    fields.setdefault("title", "完成施工图审查")
    fields.setdefault("due_on", timezone.localdate() + timedelta(days=30))
    return Milestone.objects.create(project=project, **fields)


def make_problem(project: Project, **fields: Any) -> Problem:
    fields.setdefault("description", "厂区外部供电线路尚未接入")
    fields.setdefault("department", "供电公司")
    fields.setdefault("raised_on", timezone.localdate())
    return Problem.objects.create(project=project, **fields)
