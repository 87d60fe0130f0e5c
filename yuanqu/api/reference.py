"""Reference data: GB/T 4754-2017 industries (search by code, name and trade words; the tree)
and GB/T 2260 regions (the tree)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from yuanqu.api.schemas import ERRORS
from yuanqu.core.models import Industry, Region
from yuanqu.matching import synonyms

router = Router(tags=["参考数据"])


class IndustryHit(Schema):
    code: str
    name: str
    matched_by: str = Field(description="code、name 或 synonym:<行业俗称>")


class IndustryNode(Schema):
    code: str
    name: str
    level: int = Field(description="1 门类 2 大类 3 中类 4 小类")
    parent_code: str | None
    has_children: bool


class RegionNode(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None
    has_children: bool


class IndustrySearch(Schema):
    q: str = Field(min_length=1, max_length=50, description="代码、名称或行业俗称(挖掘机、光伏…)")
    limit: int = Field(20, ge=1, le=50)


class TreeLevel(Schema):
    parent: str | None = Field(None, max_length=12, description="上级代码;不填为第一层")


@router.get("/industries/search", response={200: list[IndustryHit], **ERRORS}, summary="行业检索")
def industry_search(request: HttpRequest, params: Query[IndustrySearch]) -> list[dict[str, str]]:
    return [
        {"code": code, "name": name, "matched_by": matched}
        for code, name, matched in synonyms.industry_search(params.q, limit=params.limit)
    ]


def _children(model: Any, parent: str | None, key: str) -> list[dict[str, Any]]:
    rows = list(model.objects.filter(parent_id=parent or None).order_by(key))
    parents = set(
        model.objects.filter(parent_id__in=[getattr(row, key) for row in rows])
        .values_list("parent_id", flat=True)
        .distinct()
    )
    return [
        {
            "code": getattr(row, key),
            "name": row.name,
            "level": row.level,
            "parent_code": row.parent_id,
            "has_children": getattr(row, key) in parents,
        }
        for row in rows
    ]


@router.get("/industries", response={200: list[IndustryNode], **ERRORS}, summary="行业分类树")
def industry_tree(request: HttpRequest, params: Query[TreeLevel]) -> list[dict[str, Any]]:
    """One level of the tree: the sections (门类) without `parent`, else its children."""
    return _children(Industry, params.parent, "code")


@router.get("/regions", response={200: list[RegionNode], **ERRORS}, summary="行政区划树")
def region_tree(request: HttpRequest, params: Query[TreeLevel]) -> list[dict[str, Any]]:
    """One level of the tree: the top regions without `parent`, else its children."""
    return _children(Region, params.parent, "code")
