"""Demo 招商 projects: about 40, written through the real services (so every stage has its
evidence and history row), spread over every stage with amounts and dates typical of Xuzhou's
zones (协议投资 0.5–50 亿元, 拿地 20–300 亩, months between stages), some converted from demo
leads, some stalled (no follow-up for weeks), some 超时限未开工, with milestones, problems and
funds received. All are marked 示例数据. Needs the demo accounts (DEBUG): the projects are
worked by demo_officer and demo_manager. Fixed seed; re-running adds nothing.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from yuanqu.core.models import Industry
from yuanqu.leads.models import Lead
from yuanqu.parks.models import Park
from yuanqu.pipeline import services
from yuanqu.pipeline.alerts import alerts_refresh
from yuanqu.pipeline.models import STAGE_ORDER, Milestone, Problem, Project, ProjectAlert, Stage

SEED = 20261208
DEMO_PARK_NAME = "徐州经济技术开发区"
# (project name, industry code, investment range 亿元): our own generic descriptions.
PROJECTS: tuple[tuple[str, str, float, float], ...] = (
    ("年产 2 万台高端液压件项目", "3514", 3, 12),
    ("工程机械智能制造基地项目", "3514", 10, 50),
    ("光伏组件及支架生产项目", "3825", 5, 20),
    ("动力电池模组生产线项目", "3841", 8, 30),
    ("储能电池系统集成项目", "3841", 4, 15),
    ("集成电路封装测试项目", "3973", 6, 25),
    ("半导体材料研发生产项目", "3985", 2, 10),
    ("生物医药研发及产业化项目", "2720", 3, 18),
    ("新能源矿用车辆总装项目", "3511", 2, 8),
    ("安全应急装备产业园项目", "3562", 1, 6),
    ("工程机械再制造项目", "3514", 0.5, 3),
    ("智能仓储物流中心项目", "5990", 1, 5),
)  # fmt: skip
INVESTORS = ("示例:江苏某装备", "示例:上海某新能源", "示例:深圳某电子", "示例:浙江某精密",
             "示例:北京某科技", "示例:山东某重工", "示例:苏州某半导体", "示例:南京某生物")  # fmt: skip
# How many projects end in each stage.
PLAN = {
    Stage.NEGOTIATING: 10,
    Stage.SIGNED: 8,
    Stage.LAND: 6,
    Stage.STARTED: 7,
    Stage.PRODUCING: 6,
    Stage.TERMINATED: 3,
}
MILESTONES = ("完成规划方案审查", "取得施工许可证", "主体结构封顶", "设备进场安装", "试生产")
PROBLEMS = (
    ("厂区外部 10kV 供电线路尚未接入", "供电公司"),
    ("环评批复进度滞后", "生态环境局"),
    ("地块内管线迁改未完成", "住建局"),
    ("企业申请的设备补贴尚未兑现", "工信局"),
)


def _yi(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(str(round(rng.uniform(low, high), 2)))


def _ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def _advance(
    rng: random.Random, actor: Any, project: Project, target: str, met_on: date
) -> Project:
    """Move through each stage up to `target`, each some weeks after the previous."""
    days_left = (timezone.localdate() - met_on).days
    stages = STAGE_ORDER[1 : STAGE_ORDER.index(target) + 1] if target in STAGE_ORDER else []
    on = met_on
    for stage in stages:
        step = max(1, min(days_left // (len(stages) + 1), rng.randint(25, 90)))
        on = min(timezone.localdate(), on + timedelta(days=step))
        evidence: dict[str, Any] = {"effective_on": on}
        if stage == Stage.SIGNED:
            evidence["planned_start_on"] = on + timedelta(days=rng.choice((60, 90, 120)))
        if stage == Stage.LAND:
            evidence["land_mu"] = Decimal(rng.choice((20, 35, 50, 80, 120, 200, 300)))
            evidence["land_parcel"] = f"示例地块 XZ{on.year}-{rng.randint(1, 60):02d}"
        project = services.project_move_to_stage(
            actor=actor,
            project=project,
            to_stage=stage,
            expected_version=project.version,
            evidence=evidence,
        )
    if target == Stage.TERMINATED:
        project = services.project_move_to_stage(
            actor=actor,
            project=project,
            to_stage=Stage.TERMINATED,
            expected_version=project.version,
            evidence={"effective_on": min(timezone.localdate(), met_on + timedelta(days=60))},
            reason=rng.choice(("投资方战略调整,暂缓投资", "选址另一城市", "融资未落实")),
        )
    return project


def _extras(rng: random.Random, actor: Any, project: Project) -> None:
    today = timezone.localdate()
    if project.signed_on and project.agreed_investment_yi:
        for _ in range(rng.randint(0, 3)):
            received = project.signed_on + timedelta(
                days=rng.randint(0, (today - project.signed_on).days)
            )
            share = Decimal(str(rng.uniform(0.05, 0.3)))
            services.funding_entry_add(
                actor=actor, project=project, received_on=received,
                amount_yi=(project.agreed_investment_yi * share).quantize(Decimal("0.01")),
                note="示例:分期到位",
            )  # fmt: skip
    if project.stage in (Stage.SIGNED, Stage.LAND, Stage.STARTED):
        for index, title in enumerate(rng.sample(MILESTONES, 2)):
            Milestone.objects.create(
                project=project, title=title,
                due_on=today + timedelta(days=rng.choice((-20, -5, 10, 30, 60)) + index * 15),
            )  # fmt: skip
        if rng.random() < 0.5:
            description, department = rng.choice(PROBLEMS)
            Problem.objects.create(
                project=project, description=description, department=department,
                raised_on=today - timedelta(days=rng.randint(3, 40)),
            )  # fmt: skip


def load_demo(*, stdout: Any) -> None:
    if Project.objects.filter(is_sample=True).exists():
        stdout.write("pipeline: 示例项目已存在,跳过。\n")
        return
    User = get_user_model()
    officer = User.objects.filter(username="demo_officer").first()
    admin = User.objects.filter(username="demo_admin").first()
    home = Park.objects.filter(name=DEMO_PARK_NAME).first()
    if officer is None or admin is None or home is None:
        stdout.write("pipeline: 需要演示账户(DEBUG=1)和徐州经开区,跳过示例项目。\n")
        return
    rng = random.Random(SEED)
    parks = list(Park.objects.filter(is_active=True).order_by("pk"))
    convertible = list(
        Lead.objects.filter(park=home, status=Lead.Status.FOLLOWING, owner=officer).order_by("pk")[
            :6
        ]
    )
    plan = [stage for stage, count in PLAN.items() for _ in range(count)]
    rng.shuffle(plan)
    created: list[Project] = []
    with transaction.atomic():
        for number, target in enumerate(plan):
            name, code, low, high = PROJECTS[number % len(PROJECTS)]
            park = home if number % 4 else rng.choice(parks)
            actor = officer if park == home else admin
            months = {Stage.NEGOTIATING: 3, Stage.SIGNED: 8, Stage.LAND: 12}.get(target, 20)
            met_on = _ago(rng.randint(20, 30 * months))
            investment = _yi(rng, low, high)
            if convertible and park == home and target != Stage.TERMINATED:
                lead = convertible.pop()
                met_on = max(met_on, timezone.localdate(lead.created_at))
                project = services.project_create_from_lead(actor=officer, lead=lead, met_on=met_on)
                services.project_update(
                    actor=officer, project=project, expected_version=project.version,
                    agreed_investment_yi=investment,
                )  # fmt: skip
                project.refresh_from_db()
            else:
                project = services.project_create(
                    actor=actor, park=park, met_on=met_on,
                    name=f"示例:{name}", investor_name=f"{rng.choice(INVESTORS)}有限公司",
                    industry=Industry.objects.filter(code=code).first(),
                    agreed_investment_yi=investment,
                    expected_output_wan=(investment * rng.choice((8000, 12000, 15000))).quantize(Decimal(1)),
                    expected_tax_wan=(investment * rng.choice((400, 600, 900))).quantize(Decimal(1)),
                    jobs=rng.choice((80, 150, 300, 600)),
                    key_level=rng.choice(("", "", "city", "province")),
                    leader_name=rng.choice(("", "示例:王副主任", "示例:李主任")),
                    source=rng.choice(("fair", "visit", "referral")),
                    officer=officer if park == home else None,
                )  # fmt: skip
                met_on = project.stage_changes.get().effective_on
            project = _advance(rng, actor, project, target, met_on)
            _extras(rng, actor, project)
            created.append(project)
        Project.objects.filter(pk__in=[project.pk for project in created]).update(is_sample=True)
        # Some projects were forgotten for weeks (停滞); a few signed ones passed their 开工 date.
        for project in created[::5]:
            if project.stage in (Stage.NEGOTIATING, Stage.SIGNED, Stage.LAND, Stage.STARTED):
                Project.objects.filter(pk=project.pk).update(
                    last_activity_at=timezone.now() - timedelta(days=rng.randint(35, 80))
                )
    alerts_refresh()
    alerts = ProjectAlert.objects.filter(closed_on__isnull=True).count()
    stdout.write(f"pipeline: {len(created)} 个示例项目已建立,{alerts} 条未解除预警。\n")
