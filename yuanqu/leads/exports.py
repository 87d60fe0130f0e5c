"""The inbox's Excel export: the filtered list as the user sees it. Mobiles are masked unless
the user may unmask that lead's mobile; then the plain number is written and each one is an
access-log row (PersonalDataAccess), written with the file, before it is sent. Formula-like
text (= + - @) stays text (core.spreadsheets)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from openpyxl import Workbook

from yuanqu.accounts import gates
from yuanqu.accounts.models import PersonalDataAccess
from yuanqu.accounts.pii import display_mobile, mask_mobile
from yuanqu.core import spreadsheets
from yuanqu.leads.models import Lead

EXPORT_LIMIT = 5000
EXPORT_REASON = "导出线索清单"
HEADERS = (
    "编号", "提交时间", "状态", "公司名称", "联系人", "手机号", "载体类型", "方式", "面积(㎡)",
    "用途", "行业", "负责园区", "跟进人", "最近跟进", "下次跟进", "提交次数",
)  # fmt: skip


def _area(lead: Lead) -> str:
    low, high = lead.area_min_m2, lead.area_max_m2
    if low and high and low != high:
        return f"{low:,.0f}–{high:,.0f}"
    value = low or high
    return f"{value:,.0f}" if value else ""


def leads_export(
    *, user: Any, leads: QuerySet[Lead], request: HttpRequest | None = None
) -> tuple[Workbook, int]:
    """The workbook of (at most EXPORT_LIMIT of) these leads and how many rows it holds."""
    rows = list(
        leads.select_related("park", "owner", "industry").defer("match_snapshot")[:EXPORT_LIMIT]
    )
    plain = [lead for lead in rows if lead.mobile and gates.can_reveal_mobile(user, lead)]
    plain_ids = {lead.pk for lead in plain}
    ip = gates.client_ip(request)
    with transaction.atomic():
        PersonalDataAccess.objects.bulk_create(
            PersonalDataAccess(
                user=user, lead=lead, lead_reference=lead.reference, field="mobile",
                reason=EXPORT_REASON, ip_address=ip,
            )
            for lead in plain
        )  # fmt: skip

    def values() -> Iterator[tuple[Any, ...]]:
        for lead in rows:
            mobile = (
                display_mobile(lead.mobile) if lead.pk in plain_ids else mask_mobile(lead.mobile)
            )
            yield (
                lead.reference, timezone.localtime(lead.created_at).replace(tzinfo=None),
                lead.get_status_display(), lead.company, lead.contact_name, mobile,
                lead.get_kind_display(), lead.get_deal_display(), _area(lead), lead.intended_use,
                lead.industry.name if lead.industry else "",
                lead.park.name if lead.park else "",
                (lead.owner.get_full_name() or lead.owner.username) if lead.owner else "",
                timezone.localtime(lead.last_activity_at).replace(tzinfo=None) if lead.last_activity_at else None,
                lead.next_follow_up_on, lead.submission_count,
            )  # fmt: skip

    workbook = spreadsheets.build_workbook(title="需求线索", headers=HEADERS, rows=values())
    return workbook, len(rows)
