"""The workbench's demo caseload: about 60 needs submitted through the real intake service
(so each has its match snapshot and history), spread over the last weeks and the real parks,
then worked the way a zone's staff would: some still new (a few from today, a few left
unassigned too long), most assigned and followed up by call, visit or WeChat with a next
date (some due today, some overdue), some invalid with a reason, a few withdrawn by their
submitter. Companies are marked 示例: so nobody takes them for real firms. Converting leads
into projects is left to the pipeline demo. Fixed keys and seed: re-running adds nothing.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from yuanqu.core.models import Industry
from yuanqu.leads.models import FollowUp, Lead, LeadEvent
from yuanqu.leads.services import LeadSubmitRefused, lead_submit, lead_withdraw
from yuanqu.parks.models import Park

SEED = 20261207
KEY_PREFIX = "demo-caseload-"
DEMO_PARK_NAME = "徐州经济技术开发区"

# (kind, deal, area from–to ㎡, industry, use, message): what people actually send.
NEEDS: tuple[tuple[str, str, int, int, str, str, str], ...] = (
    ("factory", "rent", 3000, 5000, "3514", "工程机械结构件焊接", "做挖机结构件的,找3000到5000平单层厂房,要行车"),
    ("factory", "rent", 1000, 1500, "3825", "光伏组件配套", "光伏边框加工,租1000平左右标准厂房,电要够"),
    ("factory", "buy", 8000, 12000, "3841", "锂电池模组", "动力电池模组项目,想买一万平厂房,能做环评"),
    ("land", "buy", 20000, 40000, "3514", "高端装备制造", "高端液压件项目拿地40亩,投资3亿"),
    ("warehouse", "rent", 2000, 3000, "5990", "电商仓储", "电商仓库两三千平,要月台,能进9米6"),
    ("office", "rent", 200, 400, "6513", "软件研发", "软件公司找300平写字楼,靠地铁"),
    ("factory", "rent", 500, 800, "3985", "电子元器件", "小型电子厂,500平,洁净车间更好"),
    ("land", "buy", 60000, 80000, "2720", "生物医药", "原料药项目拿地百亩左右,要化工园区"),
    ("factory", "rent_to_buy", 4000, 6000, "3562", "半导体设备零部件", "半导体设备零件加工,先租后买,5000平"),
    ("warehouse", "rent", 5000, 8000, "5990", "冷链物流", "冷库五千平以上,靠高速口"),
    ("factory", "rent", 2000, 2500, "3972", "集成电路封测配套", "封测配套材料,2000平,层高6米"),
    ("office", "rent", 800, 1200, "7590", "科技服务", "检测研发中心,1000平办公加实验室"),
)  # fmt: skip
FIRST = ("恒", "瑞", "鑫", "汇", "创", "达", "博", "远", "华", "泰", "联", "通")
SECOND = ("力", "源", "科", "信", "成", "盛", "安", "捷", "工", "嘉")
NOTES = (
    "电话沟通需求,对方下周来园区看厂房。",
    "陪同看了两处载体,对层高满意,价格还在谈。",
    "微信发送了三处载体资料和园区政策。",
    "上门走访,企业在比较邳州和经开区,关注税收奖励。",
    "会谈:企业希望 3 个月内入驻,需要协调环评。",
)
INVALID_REASONS = ("重复提交,已与另一条线索合并处理", "联系不上,号码停机", "同行询价,非真实需求")
# How many of the leads end in each state (the rest are followed up).
TODAY_NEW = 4
STALE_NEW = 3
INVALID = 5
WITHDRAWN = 3
TOTAL = 60


def _company(rng: random.Random, use: str) -> str:
    return f"示例:{rng.choice(FIRST)}{rng.choice(SECOND)}{use[:4]}有限公司"


def _staff(usernames: tuple[str, ...]) -> list[Any]:
    User = get_user_model()
    return list(User.objects.filter(username__in=usernames).order_by("username"))


def _submit(rng: random.Random, number: int, park: Park) -> Lead | None:
    kind, deal, low, high, code, use, message = NEEDS[number % len(NEEDS)]
    data: dict[str, Any] = {
        "company": _company(rng, use),
        "contact_name": f"{rng.choice('王李张刘陈杨赵黄周吴')}经理(示例)",
        "mobile": f"+86139{number:08d}",
        "need_text": message,
        "kind": kind,
        "deal": deal,
        "intended_use": use,
        "area_min_m2": Decimal(low),
        "area_max_m2": Decimal(high),
        "industry_code": code if Industry.objects.filter(code=code).exists() else None,
        "region_codes": [],
        "park_ids": [park.pk],
        "park_id": park.pk,
        "consent": True,
        "source_page": "/needs/new/",
    }
    if kind == "land":
        data["investment_wan"] = Decimal(rng.choice((15000, 20000, 30000, 50000)))
        data["annual_tax_wan"] = Decimal(rng.choice((800, 1200, 2000)))
        data["jobs"] = rng.choice((120, 200, 350))
    try:
        outcome = lead_submit(
            data=data, idempotency_key=f"{KEY_PREFIX}{number}", ip=None, rate_limited=False
        )
    except LeadSubmitRefused:
        return None
    return outcome.lead if outcome.created else None


def _work(rng: random.Random, lead: Lead, *, officer: Any, manager: Any, days_ago: int) -> None:
    """Assign the lead and record one to three follow-ups, the last with a next date."""
    now = timezone.now()
    created = now - timedelta(days=days_ago, hours=rng.randint(0, 8))
    assigned = created + timedelta(hours=rng.randint(1, 20))
    Lead.objects.filter(pk=lead.pk).update(created_at=created)
    LeadEvent.objects.create(
        lead=lead, kind=LeadEvent.Kind.ASSIGNED, actor=manager, note=officer.username,
        data={"from": None, "to": officer.pk},
    )  # fmt: skip
    happened = assigned
    for step in range(rng.randint(1, 3)):
        happened = min(now, happened + timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 5)))
        FollowUp.objects.create(
            lead=lead,
            channel=rng.choice(FollowUp.Channel.values),
            happened_at=happened,
            notes=rng.choice(NOTES),
            outcome=FollowUp.Outcome.CONTINUE if step else FollowUp.Outcome.INTERESTED,
            author=officer,
        )
        LeadEvent.objects.create(lead=lead, kind=LeadEvent.Kind.FOLLOWED_UP, actor=officer)
    # About one in five due today, one in five overdue, the rest later.
    offset = rng.choice((0, -3, 2, 5, 7))
    Lead.objects.filter(pk=lead.pk).update(
        owner=officer,
        assigned_at=assigned,
        status=Lead.Status.FOLLOWING,
        last_activity_at=happened,
        next_follow_up_on=timezone.localdate() + timedelta(days=offset),
    )


def load_demo(*, stdout: Any) -> None:
    if Lead.objects.filter(idempotency_key__startswith=KEY_PREFIX).exists():
        stdout.write("workbench: 示例线索已存在,跳过。\n")
        return
    home = Park.objects.filter(name=DEMO_PARK_NAME).first()
    parks = list(Park.objects.filter(is_active=True).order_by("pk"))
    if home is None or not parks:
        stdout.write(f"workbench: 未找到园区“{DEMO_PARK_NAME}”,跳过示例线索。\n")
        return
    officers = _staff(("demo_officer",))
    managers = _staff(("demo_manager",))
    officer = officers[0] if officers else None
    manager = managers[0] if managers else officer
    rng = random.Random(SEED)
    leads: list[Lead] = []
    for number in range(1, TOTAL + 1):
        # Two in three for 徐州经开区, whose demo staff walk journey 4; the rest elsewhere.
        park = home if number % 3 else rng.choice(parks)
        lead = _submit(rng, number, park)
        if lead is not None:
            leads.append(lead)
    today_start = timezone.make_aware(datetime.combine(timezone.localdate(), time(8, 30)))
    with transaction.atomic():
        for index, lead in enumerate(leads):
            if index < TODAY_NEW:
                Lead.objects.filter(pk=lead.pk).update(
                    created_at=min(timezone.now(), today_start + timedelta(minutes=37 * index))
                )
            elif index < TODAY_NEW + STALE_NEW:
                # Left unassigned for days: the inbox flags them 超时未分配.
                Lead.objects.filter(pk=lead.pk).update(
                    created_at=timezone.now() - timedelta(days=3 + index)
                )
            elif index < TODAY_NEW + STALE_NEW + INVALID:
                Lead.objects.filter(pk=lead.pk).update(
                    created_at=timezone.now() - timedelta(days=10 + index),
                    status=Lead.Status.INVALID,
                    invalid_reason=rng.choice(INVALID_REASONS),
                )
                LeadEvent.objects.create(
                    lead=lead, kind=LeadEvent.Kind.INVALIDATED, actor=manager,
                    note=rng.choice(INVALID_REASONS),
                )  # fmt: skip
            elif index < TODAY_NEW + STALE_NEW + INVALID + WITHDRAWN:
                lead_withdraw(lead=lead)
            elif officer is not None and lead.park_id == home.pk:
                _work(rng, lead, officer=officer, manager=manager, days_ago=rng.randint(5, 45))
            else:
                Lead.objects.filter(pk=lead.pk).update(
                    created_at=timezone.now() - timedelta(days=rng.randint(2, 30))
                )
    stdout.write(f"workbench: {len(leads)} 条示例线索已建立(各状态都有)。\n")
