"""Park indicators for staff tokens: the indicator list, one month's derived figures for the
parks the user may see (the dashboard's selector), and the bulk upsert of monthly values under
the workbook importer's rules, all or nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from yuanqu.accounts import gates
from yuanqu.api.auth import STAFF_ERRORS, staff_throttle, token_auth
from yuanqu.api.errors import ApiError
from yuanqu.api.schemas import Id, iso
from yuanqu.indicators import selectors, services

router = Router(tags=["园区指标(需令牌)"], auth=token_auth, throttle=[staff_throttle()])

MAX_ROWS = 5000


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str = Field(description="value 的单位,如 亿元、万美元、家")
    kind: str = Field(description="cumulative:1–N月累计;point:期末时点数")
    precision: int
    growth_only: bool = Field(description="统计局只发布增速:只收 yoy_pct")
    higher_is_better: bool
    allow_negative: bool


@router.get("/indicators", response={200: list[IndicatorOut], **STAFF_ERRORS}, summary="指标")
def indicator_list(request: HttpRequest) -> list[Any]:
    return selectors.active_indicators()


class ReportQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    month: int | None = Field(None, ge=1, le=12)
    park: Id | None = Field(None, description="只看一个园区;不给则为用户可见的全部园区")


class FigureOut(Schema):
    indicator: str = Field(description="指标代码")
    ytd: float | None = Field(description="1–N月累计或期末值,单位见指标")
    yoy_pct: float | None
    yoy_source: str | None
    target: float | None
    target_kind: str | None
    completion_pct: float | None
    time_progress_pct: float | None
    gap_pp: float | None
    double_half: bool | None
    share_pct: float | None = Field(description="占全市 %")
    share_change_pp: float | None
    growth_vs_city_pp: float | None
    rank: int | None
    rank_of: int | None
    rank_change: int | None
    value_source: str | None
    registry_value: int | None


class ParkFiguresOut(Schema):
    park_id: int
    park_name: str
    double_half: bool | None
    tax_per_mu_wan: Decimal | None = Field(description="亩均税收(万元/亩)")
    investment_intensity_wan_per_mu: Decimal | None = Field(description="投资强度(万元/亩)")
    figures: list[FigureOut]


class ReportOut(Schema):
    year: int
    month: int
    time_progress_pct: Decimal
    data_updated_at: str | None
    has_sample: bool = Field(description="含演示用的示例数据")
    parks: list[ParkFiguresOut]
    city: list[FigureOut] | None = Field(description="全市合计;只有可看全市的角色才有")


def _figure(figure: Any) -> dict[str, Any]:
    row = figure.as_json()
    del row["park"], row["unit"]
    row["indicator"] = figure.indicator.code
    return row


@router.get("/indicators/report", response={200: ReportOut, **STAFF_ERRORS}, summary="月度指标报表")
def indicator_report(request: HttpRequest, query: Query[ReportQuery]) -> dict[str, Any]:
    """The dashboard's figures of one month (the latest with data when none is asked):
    completion against target, 双过半, growth, share of the city, rank among the parks."""
    user = request.user
    city_ids = selectors.city_park_ids_for_user(user)
    if query.park is not None:
        park_ids = frozenset({gates.park_for_user_or_404(user, query.park, for_change=False).pk})
    elif city_ids is not None:
        park_ids = city_ids
    else:
        park_ids = frozenset(gates.parks_for_user(user).values_list("pk", flat=True))
    if (query.year is None) != (query.month is None):
        raise ApiError(400, "invalid", _("year 和 month 须同时给出。"),
                       {"month" if query.year else "year": [_("请同时给出年份和月份。")]})  # fmt: skip
    if query.year is not None and query.month is not None:
        year, month = query.year, query.month
    else:
        latest = selectors.latest_month(park_ids=park_ids)
        if latest is None:
            raise ApiError(404, "no_data", _("还没有任何月度数据。"))
        year, month = latest
    report = selectors.month_report(year=year, month=month, park_ids=park_ids)
    return {
        "year": year,
        "month": month,
        "time_progress_pct": report.time_progress_pct,
        "data_updated_at": iso(report.data_updated_at),
        "has_sample": report.has_sample,
        "parks": [
            {
                "park_id": summary.park.pk,
                "park_name": summary.park.name,
                "double_half": summary.double_half,
                "tax_per_mu_wan": summary.tax_per_mu_wan,
                "investment_intensity_wan_per_mu": summary.investment_intensity_wan_per_mu,
                "figures": [_figure(summary.figures[i.pk]) for i in report.indicators],
            }
            for summary in report.parks
        ],
        "city": [_figure(report.city[i.pk]) for i in report.indicators]
        if city_ids is not None and query.park is None
        else None,
    }


class ValueIn(Schema):
    model_config = ConfigDict(extra="forbid")

    park: Id | None = Field(description="园区 id;null 为全市合计(仅站点管理员)")
    indicator: str = Field(max_length=40, description="指标代码,见 GET /indicators")
    year: int = Field(ge=2000, le=2100)
    month: int = Field(ge=1, le=12)
    value: Decimal | None = Field(
        None, max_digits=18, decimal_places=4, description="1–N月累计或期末值,用指标的单位"
    )
    yoy_pct: Decimal | None = Field(
        None, ge=-1000, le=10000, max_digits=8, decimal_places=2, description="同比增长 %"
    )


class ValuesIn(Schema):
    model_config = ConfigDict(extra="forbid")

    rows: list[ValueIn] = Field(min_length=1, max_length=MAX_ROWS)


class UpsertOut(Schema):
    created: int
    updated: int
    unchanged: int
    months: list[str]
    batch_id: int | None = Field(description="这次导入的批次;没有任何变化时为 null")
    changes: list[str]


@router.post(
    "/indicators/values", response={200: UpsertOut, **STAFF_ERRORS}, summary="批量写入月度值"
)
def indicator_values_upsert(request: HttpRequest, payload: ValuesIn) -> dict[str, Any]:
    """Monthly values, created or updated under the importer's rules: the indicator's own
    unit, no negatives where none are allowed, cumulative values never falling, only the
    parks the user may import. One wrong row and nothing is written (400, each row named in
    `fields`); the same rows twice change nothing."""
    allowed = selectors.import_scope_for_user(request.user)
    if allowed is False:
        raise ApiError(403, "forbidden", _("你的角色不能导入指标数据。"))
    report = services.import_records(
        records=[row.model_dump() for row in payload.rows],
        actor=request.user,
        allowed_park_ids=None if allowed is True else allowed,  # type: ignore[arg-type]
    )
    if report.errors:
        fields: dict[str, list[str]] = {}
        for error in report.errors:
            fields.setdefault(error.where or "rows", []).append(error.message)
        raise ApiError(
            400, "invalid", _("未写入任何数据,共 %d 处问题。") % len(report.errors), fields
        )
    summary = report.summary()
    return {
        "created": summary["created"],
        "updated": summary["updated"],
        "unchanged": summary["unchanged"],
        "months": summary["months"],
        "batch_id": report.batch.pk if report.batch else None,
        "changes": report.changes,
    }
