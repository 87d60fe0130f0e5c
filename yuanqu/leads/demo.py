"""Demo needs: three sample submissions through the real service, so each has its match
snapshot and history. Fixed idempotency keys make re-running add nothing; companies are
marked 示例 so nobody mistakes them for real enterprises."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from yuanqu.core.models import Industry
from yuanqu.leads.models import Lead
from yuanqu.leads.services import LeadSubmitRefused, lead_submit

DEMO_NEEDS: list[dict[str, Any]] = [
    {
        "key": "demo-need-1",
        "company": "示例:徐州某工程机械配件有限公司",
        "contact_name": "王经理(示例)",
        "mobile": "+8613800000001",
        "need_text": "做挖掘机配件的,想在经开区附近租个5000平左右的厂房,层高8米以上,要10吨行车,预算15块一平一个月",
        "kind": "factory", "deal": "rent", "area_min_m2": Decimal("4000"), "area_max_m2": Decimal("6000"),
        "industry_code": "3514", "height_m": Decimal("8"), "crane_t": Decimal("10"),
        "budget_value": Decimal("15"), "budget_unit": "yuan_m2_month", "eia_required": True,
    },
    {
        "key": "demo-need-2",
        "company": "示例:某新能源材料科技有限公司",
        "contact_name": "李总(示例)",
        "mobile": "+8613800000002",
        "need_text": "锂电池材料项目,拿地30亩左右,投资2亿,年税收1500万",
        "kind": "land", "deal": "buy", "area_min_m2": Decimal("16666.67"), "area_max_m2": Decimal("26666.67"),
        "industry_code": "3841", "investment_wan": Decimal("20000"), "annual_tax_wan": Decimal("1500"),
    },
    {
        "key": "demo-need-3",
        "company": "示例:某电商物流有限公司",
        "contact_name": "张先生(示例)",
        "mobile": "+8613800000003",
        "need_text": "租仓库3000平,要能进大车,价格0.6元一天",
        "kind": "warehouse", "deal": "rent", "area_min_m2": Decimal("2500"), "area_max_m2": Decimal("3500"),
        "budget_value": Decimal("0.6"), "budget_unit": "yuan_m2_day",
    },
]  # fmt: skip


def load_demo(*, stdout: Any) -> None:
    created = 0
    for need in DEMO_NEEDS:
        data = {key: value for key, value in need.items() if key != "key"}
        if (
            data.get("industry_code")
            and not Industry.objects.filter(code=data["industry_code"]).exists()
        ):
            data["industry_code"] = None
        data["consent"] = True
        data["source_page"] = "/needs/new/"
        try:
            # Rate limits are for the public form; the loader is trusted.
            outcome = lead_submit(
                data=data, idempotency_key=need["key"], ip=None, rate_limited=False
            )
        except LeadSubmitRefused:
            continue
        created += int(outcome.created)
    stdout.write(f"leads: {created} demo needs created ({Lead.objects.count()} in total)")
