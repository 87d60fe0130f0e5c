"""Excel downloads of a park's chain coverage and of its 招商 target list."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from yuanqu.chains.selectors import ChainCoverage, Target
from yuanqu.core.spreadsheets import build_workbook, xlsx_response
from yuanqu.parks.models import Park
from yuanqu.pipeline.models import STAGE_ORDER, Stage

STAGE_LABELS = [(stage, str(Stage(stage).label)) for stage in STAGE_ORDER]


def coverage_workbook(park: Park, chains: Sequence[ChainCoverage]) -> HttpResponse:
    headers = [_("产业链"), _("完整度%"), _("环节"), _("层级"), _("位置"), _("状态"),
               _("企业"), _("规上"), _("高企"), _("专精特新"),
               *[_("项目·%s") % label for _stage, label in STAGE_LABELS], _("在跟线索")]  # fmt: skip
    rows = [
        [
            chain.chain.name, chain.completeness_pct, "　" * item.depth + item.link.name,
            item.depth + 1, item.link.get_position_display(), item.status_label,
            item.enterprises, item.above_scale, item.high_tech, item.specialised,
            *[item.projects_by_stage.get(stage, 0) for stage, _label in STAGE_LABELS],
            item.leads,
        ]
        for chain in chains
        for item in chain.links
    ]  # fmt: skip
    workbook = build_workbook(title=_("产业链图谱"), headers=headers, rows=rows)
    day = timezone.localdate().isoformat()
    return xlsx_response(workbook, filename=f"{park.name}-产业链图谱-{day}.xlsx")


def targets_workbook(park: Park, targets: Sequence[Target]) -> HttpResponse:
    headers = [_("优先级"), _("产业链"), _("环节"), _("位置"), _("状态"), _("说明"),
               _("在跟线索"), _("在谈及以后的项目"), _("可用载体")]  # fmt: skip
    rows = [
        [
            target.chain.priority, target.chain.chain.name, target.link.link.name,
            target.link.link.get_position_display(), target.link.status_label, target.reason,
            ";".join(f"{lead.reference} {lead.company or ''}".strip() for lead in target.leads),
            ";".join(f"{project.name}({project.get_stage_display()})" for project in target.projects),
            ";".join(carrier.title for carrier in target.carriers),
        ]
        for target in targets
    ]  # fmt: skip
    workbook = build_workbook(title=_("招商目标清单"), headers=headers, rows=rows)
    day = timezone.localdate().isoformat()
    return xlsx_response(workbook, filename=f"{park.name}-招商目标清单-{day}.xlsx")
