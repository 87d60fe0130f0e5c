"""What the leads inbox reads: the filtered, sorted list of the user's leads, its status tabs,
and the 超时未分配 flag. Each costs a fixed number of queries whatever the number of leads
(guarded in tests): the list's park, owner, industry and unseen-flag count come with the rows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone

from yuanqu.accounts import gates
from yuanqu.core import list_filters, search
from yuanqu.core.periods import on_days
from yuanqu.leads.models import Lead

SEARCH_LIMIT = 5000
OPEN_STATUSES = (Lead.Status.NEW, Lead.Status.FOLLOWING)
SORTS: dict[str, tuple[Any, ...]] = {
    "new": ("-created_at", "-id"),
    "activity": ("-last_activity_at", "-id"),
    # Due first; leads without a next date last (on either database).
    "due": (F("next_follow_up_on").asc(nulls_last=True), "id"),
    # Leads that would fill a missing or weak chain link first (annotated in the list).
    "chain": ("-fills_chain", "-created_at", "-id"),
}
# What a row of the list shows; reading only these skips the heavy columns (the match
# snapshot, need text) on every page.
ROW_FIELDS = (
    "reference", "company", "kind", "deal", "intended_use", "status", "created_at",
    "last_activity_at", "next_follow_up_on", "owner_id", "park_id", "industry_id",
    "submission_count", "anonymised_at", "mobile", "area_min_m2", "area_max_m2",
    "park__name", "park__short_name", "owner__username", "owner__first_name",
    "owner__last_name", "industry__code", "industry__name",
)  # fmt: skip


def _parse_date(raw: Any) -> date | None:
    try:
        return date.fromisoformat(str(raw or "").strip())
    except ValueError:
        return None


@dataclass(frozen=True)
class LeadFilters:
    status: str = ""
    owner: str = ""  # "me", "none" or a user id
    park_id: int | None = None
    industry: str = ""
    kind: str = ""
    deal: str = ""
    date_from: date | None = None
    date_to: date | None = None
    unseen: bool = False
    due: str = ""  # "today" or "overdue"
    q: str = ""
    fills_chain: bool = False  # only leads that would fill a missing or weak chain link
    sort: str = "new"
    # The ids the full-text search found, looked up once per request (see with_search_done).
    matched_ids: tuple[int, ...] | None = None
    # The open leads that would fill a chain link, looked up once per request (ditto).
    filling_ids: tuple[int, ...] | None = None

    def as_query(self, **changes: Any) -> dict[str, str]:
        """The filters as GET parameters (for tabs, pagination and export links)."""
        filters = replace(self, **changes)
        query = {
            "status": filters.status,
            "owner": filters.owner,
            "park": str(filters.park_id or ""),
            "industry": filters.industry,
            "kind": filters.kind,
            "deal": filters.deal,
            "date_from": filters.date_from.isoformat() if filters.date_from else "",
            "date_to": filters.date_to.isoformat() if filters.date_to else "",
            "unseen": "1" if filters.unseen else "",
            "due": filters.due,
            "q": filters.q,
            "fills_chain": "1" if filters.fills_chain else "",
            "sort": "" if filters.sort == "new" else filters.sort,
        }
        return {key: value for key, value in query.items() if value}


def lead_filters_from_query(query: QueryDict | dict, *, user: Any) -> LeadFilters:
    """Filters from GET parameters; unknown or malformed values are ignored (a stale bookmark
    shows the user's own list, never an error or another park's leads)."""
    park_id = list_filters.visible_park_id(query, user=user)
    status = str(query.get("status") or "")
    owner = str(query.get("owner") or "")
    kind = str(query.get("kind") or "")
    deal = str(query.get("deal") or "")
    due = str(query.get("due") or "")
    sort = str(query.get("sort") or "new")
    return LeadFilters(
        status=status if status in Lead.Status.values else "",
        owner=owner if owner in ("me", "none") or owner.isdigit() else "",
        park_id=park_id,
        industry=list_filters.industry_code(query),
        kind=kind if kind in Lead.Kind.values else "",
        deal=deal if deal in Lead.Deal.values else "",
        date_from=_parse_date(query.get("date_from")),
        date_to=_parse_date(query.get("date_to")),
        unseen=str(query.get("unseen") or "") in ("1", "on", "true"),
        due=due if due in ("today", "overdue") else "",
        q=str(query.get("q") or "").strip()[: search.MAX_QUERY_CHARS],
        fills_chain=str(query.get("fills_chain") or "") in ("1", "on", "true"),
        sort=sort if sort in SORTS else "new",
    )


def with_search_done(filters: LeadFilters, *, user: Any = None) -> LeadFilters:
    """The filters with the full-text search (and, given the user, the chain lookup) already
    run, so the list, its tabs and its order share one of each."""
    if filters.q and filters.matched_ids is None:
        ids = search.matching_ids(kind="lead", query=filters.q, limit=SEARCH_LIMIT)
        filters = replace(filters, matched_ids=tuple(ids))
    wants_chains = filters.fills_chain or filters.sort == "chain"
    if user is not None and wants_chains and filters.filling_ids is None:
        filters = replace(filters, filling_ids=_chain_filling_ids(user))
    return filters


def _filtered(
    user: Any, filters: LeadFilters, *, today: date, with_status: bool = True
) -> QuerySet[Lead]:
    from yuanqu.matching.models import LeadCarrierFlag

    queryset = gates.lead_queryset_for_user(user).filter(merged_into__isnull=True)
    if with_status and filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.owner == "me":
        queryset = queryset.filter(owner=user)
    elif filters.owner == "none":
        queryset = queryset.filter(owner__isnull=True)
    elif filters.owner:
        queryset = queryset.filter(owner_id=int(filters.owner))
    if filters.park_id is not None:
        queryset = queryset.filter(park_id=filters.park_id)
    if filters.industry:
        queryset = queryset.filter(list_filters.industry_q(filters.industry))
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.deal:
        queryset = queryset.filter(deal=filters.deal)
    if filters.date_from or filters.date_to:
        queryset = queryset.filter(on_days("created_at", filters.date_from, filters.date_to))
    if filters.unseen:
        queryset = queryset.filter(
            pk__in=LeadCarrierFlag.objects.filter(seen_at__isnull=True).values("lead_id")
        )
    if filters.due == "today":
        queryset = queryset.filter(status__in=OPEN_STATUSES, next_follow_up_on=today)
    elif filters.due == "overdue":
        queryset = queryset.filter(status__in=OPEN_STATUSES, next_follow_up_on__lt=today)
    if filters.q:
        queryset = queryset.filter(search.id_filter(with_search_done(filters).matched_ids or ()))
    if filters.fills_chain:
        queryset = queryset.filter(pk__in=with_search_done(filters, user=user).filling_ids or ())
    return queryset


def _chain_filling_ids(user: Any) -> tuple[int, ...]:
    from yuanqu.chains.selectors import chain_filling_lead_ids

    parks = gates.parks_for_user(user).values_list("pk", flat=True)
    return tuple(sorted(chain_filling_lead_ids(parks)))


def lead_list_for_user(
    *, user: Any, filters: LeadFilters, today: date | None = None
) -> QuerySet[Lead]:
    """The user's leads, filtered and in a stable order, with the row's relations and the
    number of unseen new-carrier flags loaded."""
    from yuanqu.matching.models import LeadCarrierFlag

    today = today or timezone.localdate()
    unseen = (
        LeadCarrierFlag.objects.filter(lead=OuterRef("pk"), seen_at__isnull=True)
        .order_by()
        .values("lead")
        .annotate(count=Count("pk"))
        .values("count")
    )
    queryset = (
        _filtered(user, filters, today=today)
        .select_related("park", "owner", "industry")
        .only(*ROW_FIELDS)
        .annotate(unseen_flag_count=Coalesce(Subquery(unseen), 0))
    )
    if filters.sort == "chain":
        queryset = queryset.annotate(
            fills_chain=Case(When(pk__in=with_search_done(filters, user=user).filling_ids or (),
                                  then=Value(1)),
                             default=Value(0), output_field=IntegerField())
        )  # fmt: skip
    return queryset.order_by(*SORTS[filters.sort])


def lead_status_counts(
    *, user: Any, filters: LeadFilters, today: date | None = None
) -> dict[str, int]:
    """Per status, the leads matching the other filters (one aggregate query)."""
    today = today or timezone.localdate()
    queryset = _filtered(user, filters, today=today, with_status=False)
    aggregates = {status: Count("pk", filter=Q(status=status)) for status in Lead.Status.values}
    counts = queryset.aggregate(all=Count("pk"), **aggregates)
    return {key: value or 0 for key, value in counts.items()}


def working_days_before(moment: datetime, days: int) -> datetime:
    """The moment `days` working days (Monday to Friday) before `moment`: a lead submitted on
    Friday evening is late on Monday evening, not on Saturday. Public holidays are not known
    here (China's 调休 calendar changes yearly), so they count as working days."""
    result = moment
    remaining = days
    while remaining > 0:
        result -= timedelta(days=1)
        if result.weekday() < 5:
            remaining -= 1
    return result


def unassigned_cutoff(*, now: datetime | None = None) -> datetime:
    """New leads without an owner created before this moment are flagged 超时未分配."""
    now = timezone.localtime(now or timezone.now())
    return working_days_before(now, settings.LEAD_UNASSIGNED_FLAG_WORKING_DAYS)


def is_late_unassigned(lead: Lead, cutoff: datetime) -> bool:
    return lead.owner_id is None and lead.status == Lead.Status.NEW and lead.created_at < cutoff
