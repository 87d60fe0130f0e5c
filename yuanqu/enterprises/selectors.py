"""Reads of the enterprise registry: the filtered list, one enterprise's page, and the
cultivation-target progress of the parks a user may see."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yuanqu.accounts import gates
from yuanqu.core import list_filters, search
from yuanqu.enterprises import calculations
from yuanqu.enterprises import credit_code as credit_codes
from yuanqu.enterprises.models import CultivationTarget, Enterprise
from yuanqu.parks.models import Park

EXPIRING_DAYS = 90
SEARCH_LIMIT = 5000

# (value, label) of the flag filter; "above_scale:<type>" and "specialised:<level>" narrow down.
FLAG_CHOICES: list[tuple[str, Any]] = [
    ("high_tech", _("高新技术企业")),
    ("high_tech_expiring", _("高企证书 90 天内到期")),
    ("tech_sme", _("科技型中小企业")),
    ("above_scale", _("四上企业(全部)")),
    *[(f"above_scale:{value}", label) for value, label in Enterprise.AboveScaleType.choices],
    ("specialised", _("专精特新(全部)")),
    *[(f"specialised:{value}", label) for value, label in Enterprise.SpecialisedLevel.choices],
    ("gazelle", _("瞪羚企业")),
    ("unicorn", _("独角兽企业")),
]
FLAG_VALUES = frozenset(value for value, _label in FLAG_CHOICES)


@dataclass(frozen=True)
class EnterpriseFilters:
    park_id: int | None = None
    flag: str = ""
    industry: str = ""  # GB/T 4754 门类 letter or 2-digit 大类
    q: str = ""

    def as_query(self) -> dict[str, str]:
        """The filters as GET parameters (for pagination and export links)."""
        query = {"park": str(self.park_id or ""), "flag": self.flag, "industry": self.industry}
        query["q"] = self.q
        return {key: value for key, value in query.items() if value}


def enterprise_filters_from_query(query: QueryDict | dict, *, user: Any) -> EnterpriseFilters:
    """Filters from GET parameters; unknown or malformed values are ignored (a bookmarked URL
    of a park no longer visible shows the user's own list rather than an error)."""
    park_id = list_filters.visible_park_id(query, user=user)
    flag = str(query.get("flag") or "")
    return EnterpriseFilters(
        park_id=park_id,
        flag=flag if flag in FLAG_VALUES else "",
        industry=list_filters.industry_code(query),
        q=str(query.get("q") or "").strip()[: search.MAX_QUERY_CHARS],
    )


def flag_q(flag: str, *, today: date) -> Q:
    """The condition of one flag filter value."""
    held_high_tech = Q(high_tech_certified_on__isnull=False) & (
        Q(high_tech_expires_on__isnull=True) | Q(high_tech_expires_on__gte=today)
    )
    if flag == "high_tech":
        return held_high_tech
    if flag == "high_tech_expiring":
        return Q(
            high_tech_certified_on__isnull=False,
            high_tech_expires_on__gte=today,
            high_tech_expires_on__lte=today + timedelta(days=EXPIRING_DAYS),
        )
    if flag == "tech_sme":
        return Q(tech_sme_since__isnull=False)
    if flag == "above_scale":
        return Q(above_scale_since__isnull=False) & ~Q(above_scale_type="")
    if flag.startswith("above_scale:"):
        return Q(above_scale_since__isnull=False, above_scale_type=flag.split(":", 1)[1])
    if flag == "specialised":
        return Q(specialised_since__isnull=False) & ~Q(specialised_level="")
    if flag.startswith("specialised:"):
        return Q(specialised_since__isnull=False, specialised_level=flag.split(":", 1)[1])
    if flag == "gazelle":
        return Q(gazelle_since__isnull=False)
    if flag == "unicorn":
        return Q(unicorn_since__isnull=False)
    raise ValueError(f"unknown flag {flag!r}")


def _search_q(text: str) -> Q:
    """An exact credit code (however typed), else the full-text index over names (title) and
    code/address/industry/park (body)."""
    code = credit_codes.normalise(text)
    if len(code) == 18 and code.isalnum() and credit_codes.is_valid(code):
        return Q(credit_code=code)
    return search.id_filter(search.matching_ids(kind="enterprise", query=text, limit=SEARCH_LIMIT))


def enterprise_list_for_user(
    *, user: Any, filters: EnterpriseFilters, today: date | None = None
) -> QuerySet[Enterprise]:
    """The enterprises of the parks the user may see, filtered, by name; park and industry
    loaded with each row (the page costs the same queries for 3 or 3,000 rows)."""
    today = today or timezone.localdate()
    queryset = gates.enterprise_queryset_for_user(user).select_related("park", "industry")
    if filters.park_id is not None:
        queryset = queryset.filter(park_id=filters.park_id)
    if filters.flag:
        queryset = queryset.filter(flag_q(filters.flag, today=today))
    if filters.industry:
        queryset = queryset.filter(list_filters.industry_q(filters.industry))
    if filters.q:
        queryset = queryset.filter(_search_q(filters.q))
    return queryset.order_by("name", "id")


def enterprise_detail_context(
    *, user: Any, enterprise: Enterprise, today: date | None = None
) -> dict:
    """What the enterprise page shows besides the row: the projects linked to it at 投产
    (`enterprise.projects`, those the user may see) and the 高企 certificate's state."""
    today = today or timezone.localdate()
    projects = list(
        gates.project_queryset_for_user(user)
        .filter(enterprise=enterprise)
        .select_related("park")
        .order_by("-id")
    )
    expires = enterprise.high_tech_expires_on
    return {
        "projects": projects,
        "high_tech_held": enterprise.high_tech_certified_on is not None
        and (expires is None or expires >= today),
        "high_tech_expired": expires is not None and expires < today,
        "high_tech_expiring": expires is not None
        and today <= expires <= today + timedelta(days=EXPIRING_DAYS),
    }


def enterprise_options_for_park(*, park: Park | int) -> QuerySet[Enterprise]:
    """The enterprises a project of this park may link to (e.g. the 投产 form's choices)."""
    park_id = park.pk if isinstance(park, Park) else park
    return Enterprise.objects.filter(park_id=park_id).only("id", "name", "credit_code")


# --- cultivation targets ---------------------------------------------------------------


@dataclass
class ProgressRow:
    """One target of one park, with the enterprises behind the achieved number."""

    progress: calculations.Progress
    label: str
    note: str
    enterprises: list[tuple[int, str]] = field(default_factory=list)  # (id, name)


@dataclass
class ParkProgress:
    park: Park
    rows: list[ProgressRow]
    targets: dict[str, int]  # kind → target (for the edit form)
    can_edit: bool


def target_progress_for_user(
    *, user: Any, year: int, park_id: int | None = None
) -> list[ParkProgress]:
    """Every visible park (or one) with its targets for the year and their progress.
    Three queries whatever the number of parks or enterprises."""
    parks = list(gates.parks_for_user(user).order_by("name"))
    if park_id is not None:
        parks = [park for park in parks if park.pk == park_id]
    park_ids = [park.pk for park in parks]
    targets_by_park: dict[int, list[CultivationTarget]] = defaultdict(list)
    for target in CultivationTarget.objects.filter(park_id__in=park_ids, year=year):
        targets_by_park[target.park_id].append(target)
    in_year = (
        Q(high_tech_certified_on__year=year)
        | Q(above_scale_since__year=year)
        | Q(specialised_since__year=year)
        | Q(gazelle_since__year=year)
    )
    flagged_by_park: dict[int, list[Enterprise]] = defaultdict(list)
    for enterprise in (
        Enterprise.objects.filter(in_year, park_id__in=park_ids)
        .only(
            "id",
            "name",
            "park_id",
            "high_tech_certified_on",
            "tech_sme_since",
            "above_scale_since",
            "specialised_since",
            "gazelle_since",
        )
        .order_by("name", "id")
    ):
        flagged_by_park[enterprise.park_id].append(enterprise)

    order = {kind: index for index, kind in enumerate(CultivationTarget.Kind.values)}
    labels = dict(CultivationTarget.Kind.choices)
    result: list[ParkProgress] = []
    for park in parks:
        targets = sorted(targets_by_park[park.pk], key=lambda t: order.get(t.kind, 99))
        flagged = flagged_by_park[park.pk]
        names = {enterprise.id: enterprise.name for enterprise in flagged}
        progress = calculations.progress(
            year=year, targets=[(t.kind, t.target) for t in targets], enterprises=flagged
        )
        rows = [
            ProgressRow(
                progress=item,
                label=str(labels.get(target.kind, target.kind)),
                note=target.note,
                enterprises=[(pk, names[pk]) for pk in item.enterprise_ids],
            )
            for target, item in zip(targets, progress, strict=True)
        ]
        result.append(
            ParkProgress(
                park=park,
                rows=rows,
                targets={t.kind: t.target for t in targets},
                can_edit=gates.user_can_edit_park_profile(user, park),
            )
        )
    return result
