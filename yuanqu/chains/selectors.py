"""Coverage of the chains a park pursues, computed from the registry, the pipeline and the
open leads; the 招商 target list of missing and weak links; a link's members. Cached until a
template, an enterprise, a project or a lead changes."""

from __future__ import annotations

import hashlib
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import BooleanField, Case, Count, Max, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from yuanqu.chains import calculations as calc
from yuanqu.chains.models import Chain, ChainLink, LinkOverride, ParkChain
from yuanqu.chains.signals import template_version
from yuanqu.enterprises.models import Enterprise
from yuanqu.enterprises.selectors import flag_q
from yuanqu.leads.models import Lead
from yuanqu.listings.models import Carrier
from yuanqu.listings.selectors import carrier_public_queryset
from yuanqu.matching.parsing import load_synonyms
from yuanqu.matching.scoring import ChainGap
from yuanqu.parks.models import Park
from yuanqu.pipeline.models import STAGE_ORDER, Project, Stage

CACHE_SECONDS = 3600
OPEN_LEAD_STATUSES = (Lead.Status.NEW, Lead.Status.FOLLOWING)
# Stages at which a project counts as landing in its link (签约 and after).
SIGNED_STAGES = frozenset(STAGE_ORDER[STAGE_ORDER.index(Stage.SIGNED) :])
# The carrier kinds a link of each position usually needs (for the target list).
KINDS_BY_POSITION: dict[str, tuple[str, ...]] = {
    ChainLink.Position.UPSTREAM: (Carrier.Kind.FACTORY, Carrier.Kind.LAND),
    ChainLink.Position.MIDSTREAM: (Carrier.Kind.FACTORY, Carrier.Kind.LAND),
    ChainLink.Position.DOWNSTREAM: (Carrier.Kind.FACTORY, Carrier.Kind.WAREHOUSE),
    ChainLink.Position.SERVICES: (Carrier.Kind.OFFICE, Carrier.Kind.WAREHOUSE),
}


def thresholds() -> calc.Thresholds:
    return calc.Thresholds.from_settings(getattr(settings, "CHAIN_THRESHOLDS", None))


@dataclass
class LinkCoverage:
    link: ChainLink
    depth: int
    is_leaf: bool
    status: str = calc.MISSING
    enterprise_ids: set[int] = field(default_factory=set)
    above_scale: int = 0
    high_tech: int = 0
    specialised: int = 0
    projects_by_stage: dict[str, int] = field(default_factory=dict)
    project_ids: set[int] = field(default_factory=set)
    lead_ids: set[int] = field(default_factory=set)

    @property
    def enterprises(self) -> int:
        return len(self.enterprise_ids)

    @property
    def projects(self) -> int:
        return len(self.project_ids)

    @property
    def leads(self) -> int:
        return len(self.lead_ids)

    @property
    def status_label(self) -> str:
        return str(calc.STATUS_LABELS[self.status])


@dataclass
class ChainCoverage:
    chain: Chain
    priority: int
    links: list[LinkCoverage]
    completeness_pct: Decimal | None
    status_counts: dict[str, int]

    def leaves(self) -> list[LinkCoverage]:
        return [link for link in self.links if link.is_leaf]


# --- the park's rows --------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    id: int
    park_id: int
    code: str | None
    text: str
    above_scale: bool = False
    high_tech: bool = False
    specialised: bool = False
    stage: str = ""


def _flag(flag: str, today: date) -> Case:
    return Case(When(flag_q(flag, today=today), then=Value(True)), default=Value(False),
                output_field=BooleanField())  # fmt: skip


def _enterprise_rows(park_ids: Sequence[int], today: date) -> list[_Row]:
    rows = (
        Enterprise.objects.filter(park_id__in=park_ids)
        .annotate(
            is_above=_flag("above_scale", today),
            is_high=_flag("high_tech", today),
            is_special=_flag("specialised", today),
        )  # fmt: skip
        .values_list("id", "park_id", "industry_id", "name", "is_above", "is_high", "is_special")
    )
    return [_Row(pk, park, code, name, above, high, special)
            for pk, park, code, name, above, high, special in rows]  # fmt: skip


def _project_rows(park_ids: Sequence[int]) -> list[_Row]:
    rows = (
        Project.objects.filter(park_id__in=park_ids)
        .exclude(stage=Stage.TERMINATED)
        .values_list("id", "park_id", "industry_id", "name", "investor_name", "stage")
    )
    return [_Row(pk, park, code, f"{name} {investor}", stage=stage)
            for pk, park, code, name, investor, stage in rows]  # fmt: skip


def _lead_rows(park_ids: Sequence[int]) -> list[_Row]:
    rows = Lead.objects.filter(park_id__in=park_ids, status__in=OPEN_LEAD_STATUSES).values_list(
        "id", "park_id", "industry_id", "need_text", "intended_use", "company"
    )
    return [_Row(pk, park, code, f"{text} {use} {company}")
            for pk, park, code, text, use, company in rows]  # fmt: skip


def data_fingerprint(park_ids: Sequence[int], *, with_leads: bool = True) -> str:
    """Changes whenever an enterprise, project or (with_leads) lead of these parks is added,
    changed or removed (counts and the latest change time; imports write in bulk, without
    signals)."""
    parts: list[Any] = [template_version(), with_leads]
    for model in (Enterprise, Project, Lead) if with_leads else (Enterprise, Project):
        found = model.objects.filter(park_id__in=park_ids).aggregate(
            count=Count("id"), last=Max("updated_at")
        )
        parts.append(f"{found['count']}:{found['last']}")
    return hashlib.sha256(repr((sorted(park_ids), parts)).encode()).hexdigest()[:24]


# --- coverage ---------------------------------------------------------------------------


def _tree(links: Sequence[ChainLink]) -> list[tuple[ChainLink, int]]:
    """The links in display order, depth first, with their depth."""
    children: dict[int | None, list[ChainLink]] = defaultdict(list)
    for link in links:
        children[link.parent_id].append(link)
    ordered: list[tuple[ChainLink, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for link in sorted(children.get(parent, []), key=lambda item: (item.sort_order, item.pk)):
            ordered.append((link, depth))
            walk(link.pk, depth + 1)

    walk(None, 0)
    return ordered


def coverage_for_parks(
    park_ids: Iterable[int], *, with_leads: bool = True
) -> dict[int, list[ChainCoverage]]:
    """For each park, its pursued chains with every link's counts and status. Three reads of
    the parks' rows whatever their number; cached until something they count changes.
    Without leads (statuses do not depend on them) a new need does not void the cache."""
    park_ids = sorted(set(park_ids))
    pursuing = _pursuing(park_ids)
    if not pursuing:  # one query for parks without chains (most inbox views of such parks)
        return {park_id: [] for park_id in park_ids}
    key = f"chains:coverage:{data_fingerprint(pursuing, with_leads=with_leads)}"
    cached = cache.get(key)
    if cached is not None:
        return {park_id: cached.get(park_id, []) for park_id in park_ids}
    result = _coverage(pursuing, with_leads=with_leads)
    cache.set(key, result, CACHE_SECONDS)
    return {park_id: result.get(park_id, []) for park_id in park_ids}


def _pursuing(park_ids: Iterable[int]) -> list[int]:
    """Those of the parks that pursue at least one chain."""
    found = ParkChain.objects.filter(park_id__in=list(park_ids)).values_list("park_id", flat=True)
    return sorted(set(found))


def _unfilled_leaves(
    chains: Iterable[ChainCoverage],
) -> Iterable[tuple[ChainCoverage, LinkCoverage]]:
    """The missing and weak leaf links: what a lead or project would fill."""
    for chain in chains:
        for link in chain.leaves():
            if link.status != calc.STRONG:
                yield chain, link


def park_coverage(park: Park) -> list[ChainCoverage]:
    return coverage_for_parks([park.pk]).get(park.pk, [])


_indexes: dict[tuple[Any, ...], calc.LinkIndex] = {}


def _index(links: Sequence[ChainLink]) -> calc.LinkIndex:
    """The links' index, kept in the process per set of links and their words (building it
    compiles one regex over every trade word and synonym)."""
    key = tuple(sorted((link.pk, link.codes, link.keywords) for link in links))
    found = _indexes.get(key)
    if found is None:
        if len(_indexes) > 32:
            _indexes.clear()
        found = _indexes[key] = calc.LinkIndex(
            [calc.LinkSpec(link.pk, tuple(link.code_list()), tuple(link.keyword_list()))
             for link in links],
            load_synonyms(),
        )  # fmt: skip
    return found


def _coverage(park_ids: list[int], *, with_leads: bool = True) -> dict[int, list[ChainCoverage]]:
    today = timezone.localdate()
    choices = list(ParkChain.objects.filter(park_id__in=park_ids).select_related("chain"))
    chain_ids = {choice.chain_id for choice in choices}
    links = list(ChainLink.objects.filter(chain_id__in=chain_ids))
    index = _index(links)
    placed: dict[tuple[str, int], tuple[_Row, set[int]]] = {}
    for kind, rows in (
        ("enterprise", _enterprise_rows(park_ids, today)),
        ("project", _project_rows(park_ids)),
        ("lead", _lead_rows(park_ids) if with_leads else []),
    ):
        for row in rows:
            placed[(kind, row.id)] = (row, set(index.match(row.code, row.text)))
    for override in LinkOverride.objects.filter(link__chain_id__in=chain_ids):
        entry = placed.get((override.kind, override.object_id))
        if entry is not None:
            (entry[1].add if override.included else entry[1].discard)(override.link_id)
    members: dict[tuple[int, str], dict[int, list[_Row]]] = defaultdict(lambda: defaultdict(list))
    for (kind, _pk), (row, link_ids) in placed.items():
        for link_id in link_ids:
            members[(row.park_id, kind)][link_id].append(row)
    by_chain: dict[int, list[ChainLink]] = defaultdict(list)
    for link in links:
        by_chain[link.chain_id].append(link)
    rules = thresholds()
    result: dict[int, list[ChainCoverage]] = {park_id: [] for park_id in park_ids}
    for choice in sorted(choices, key=lambda c: (c.priority, c.chain.sort_order, c.chain_id)):
        tree = _tree(by_chain[choice.chain_id])
        result[choice.park_id].append(_chain_coverage(choice, tree, members, rules))
    return result


def _chain_coverage(
    choice: ParkChain,
    tree: list[tuple[ChainLink, int]],
    members: dict[tuple[int, str], dict[int, list[_Row]]],
    rules: calc.Thresholds,
) -> ChainCoverage:
    park_id = choice.park_id
    parents = {link.parent_id for link, _depth in tree}
    subtree: dict[int, set[int]] = {link.pk: {link.pk} for link, _depth in tree}
    for link, _depth in reversed(tree):  # children come after their parent
        if link.parent_id in subtree:
            subtree[link.parent_id] |= subtree[link.pk]
    coverages = []
    for link, depth in tree:
        item = LinkCoverage(link=link, depth=depth, is_leaf=link.pk not in parents)
        enterprises: dict[int, _Row] = {}
        projects: dict[int, _Row] = {}
        for link_id in subtree[link.pk]:
            for row in members[(park_id, "enterprise")].get(link_id, []):
                enterprises[row.id] = row
            for row in members[(park_id, "project")].get(link_id, []):
                projects[row.id] = row
            for row in members[(park_id, "lead")].get(link_id, []):
                item.lead_ids.add(row.id)
        item.project_ids = set(projects)
        item.projects_by_stage = dict(Counter(row.stage for row in projects.values()))
        item.enterprise_ids = set(enterprises)
        item.above_scale = sum(row.above_scale for row in enterprises.values())
        item.high_tech = sum(row.high_tech for row in enterprises.values())
        item.specialised = sum(row.specialised for row in enterprises.values())
        signed = sum(n for stage, n in item.projects_by_stage.items() if stage in SIGNED_STAGES)
        item.status = calc.classify(
            enterprises=item.enterprises, above_scale=item.above_scale,
            signed_projects=signed, thresholds=rules,
        )  # fmt: skip
        coverages.append(item)
    leaves = [item.status for item in coverages if item.is_leaf]
    return ChainCoverage(
        chain=choice.chain,
        priority=choice.priority,
        links=coverages,
        completeness_pct=calc.completeness_pct(leaves),
        status_counts=dict(Counter(leaves)),
    )


# --- a link's members and the target list ----------------------------------------------


def link_members(*, park: Park, link: ChainLink) -> dict[str, Any]:
    """The enterprises, projects and open leads a link's coverage counts, as rows."""
    coverage = next(
        (item for chain in park_coverage(park) for item in chain.links if item.link.pk == link.pk),
        None,
    )
    if coverage is None:
        return {"coverage": None, "enterprises": [], "projects": [], "leads": []}
    return {
        "coverage": coverage,
        "enterprises": list(
            Enterprise.objects.filter(pk__in=coverage.enterprise_ids).select_related("industry")
        ),
        "projects": list(
            Project.objects.filter(pk__in=coverage.project_ids).select_related("officer")
        ),
        "leads": list(
            Lead.objects.filter(pk__in=coverage.lead_ids)
            .select_related("industry", "owner")
            .order_by("-created_at")
        ),
    }


@dataclass
class Target:
    chain: ChainCoverage
    link: LinkCoverage
    leads: list[Lead]
    projects: list[Project]
    carriers: list[Carrier]

    park_name: str = ""

    @property
    def reason(self) -> str:
        return fill_reason(self.park_name, self.chain, self.link)


def park_targets(*, park: Park, carriers_per_link: int = 3) -> list[Target]:
    """The park's missing and weak leaf links (缺链 first), by the park's chain priority,
    each with the open leads and live projects that would fill it and the park's public
    carriers of the kinds that link usually needs."""
    wanted = list(_unfilled_leaves(park_coverage(park)))
    wanted.sort(key=lambda pair: (pair[0].priority, pair[1].status != calc.MISSING))
    lead_ids = {pk for _chain, link in wanted for pk in link.lead_ids}
    project_ids = {pk for _chain, link in wanted for pk in link.project_ids}
    leads = Lead.objects.in_bulk(lead_ids) if lead_ids else {}
    projects = Project.objects.in_bulk(project_ids) if project_ids else {}
    carriers_by_kind = _park_carriers(park, per_kind=carriers_per_link)
    targets = []
    for chain, link in wanted:
        kinds = KINDS_BY_POSITION.get(link.link.position, ())
        fitting = [carrier for kind in kinds for carrier in carriers_by_kind.get(kind, [])]
        targets.append(
            Target(
                chain=chain, link=link,
                leads=sorted((leads[pk] for pk in link.lead_ids), key=lambda lead: -lead.pk),
                projects=sorted((projects[pk] for pk in link.project_ids), key=lambda p: -p.pk),
                carriers=fitting[:carriers_per_link], park_name=park.name,
            )
        )  # fmt: skip
    return targets


def _park_carriers(park: Park, *, per_kind: int) -> dict[str, list[Carrier]]:
    found: dict[str, list[Carrier]] = defaultdict(list)
    rows: QuerySet[Carrier] = carrier_public_queryset().filter(park=park).order_by("-confirmed_at")
    for carrier in rows[: per_kind * 8]:
        if len(found[carrier.kind]) < per_kind:
            found[carrier.kind].append(carrier)
    return found


def chain_reasons_for_leads(leads: Iterable[Lead]) -> dict[int, list[str]]:
    """For each lead that would fill a missing or weak link of its park, the reasons
    ("补齐 徐州经开区 工程机械产业链「液压元件」环节"); one cached coverage read per park."""
    by_park: dict[int, list[int]] = defaultdict(list)
    for lead in leads:
        if lead.park_id is not None:
            by_park[lead.park_id].append(lead.pk)
    if not by_park:
        return {}
    names = dict(Park.objects.filter(pk__in=by_park).values_list("pk", "name"))
    coverage = coverage_for_parks(by_park)
    reasons: dict[int, list[str]] = defaultdict(list)
    for park_id, lead_ids in by_park.items():
        for chain, link in _unfilled_leaves(coverage.get(park_id, [])):
            for lead_id in link.lead_ids.intersection(lead_ids):
                reasons[lead_id].append(fill_reason(names[park_id], chain, link))
    return dict(reasons)


_gaps_memo: dict[tuple[Any, ...], tuple[float, dict[int, tuple[ChainGap, ...]]]] = {}


def missing_links_by_park(park_ids: Iterable[int]) -> dict[int, tuple[ChainGap, ...]]:
    """The missing leaf links of each park's chains, as the matching scores them. Read on
    every match: kept in the process for CHAIN_GAPS_MEMO_SECONDS (then checked against the
    data fingerprint) and in the cache on its own (small tuples, not the coverage)."""
    park_ids = sorted(set(park_ids))
    memo_key = (template_version(), tuple(park_ids))
    now = time.monotonic()
    remembered = _gaps_memo.get(memo_key)
    if remembered is not None and remembered[0] > now:
        return remembered[1]
    gaps = _missing_links(park_ids)
    seconds = getattr(settings, "CHAIN_GAPS_MEMO_SECONDS", 0)
    if seconds:
        if len(_gaps_memo) > 16:
            _gaps_memo.clear()
        _gaps_memo[memo_key] = (now + seconds, gaps)
    return gaps


def _missing_links(park_ids: list[int]) -> dict[int, tuple[ChainGap, ...]]:
    pursuing = _pursuing(park_ids)
    if not pursuing:
        return {}
    key = f"chains:gaps:{data_fingerprint(pursuing, with_leads=False)}"
    gaps = cache.get(key)
    if gaps is None:
        gaps = {
            park_id: tuple(
                ChainGap(chain.chain.name, link.link.name, tuple(link.link.code_list()))
                for chain in chains
                for link in chain.leaves()
                if link.status == calc.MISSING and link.link.codes
            )
            for park_id, chains in coverage_for_parks(pursuing, with_leads=False).items()
            if chains
        }
        cache.set(key, gaps, CACHE_SECONDS)
    return gaps


def chain_filling_lead_ids(park_ids: Iterable[int]) -> set[int]:
    """The open leads of these parks that would fill a missing or weak link."""
    return {
        lead_id
        for chains in coverage_for_parks(park_ids).values()
        for _chain, link in _unfilled_leaves(chains)
        for lead_id in link.lead_ids
    }


def fill_reason(park_name: str, chain: ChainCoverage, link: LinkCoverage) -> str:
    verb = _("补齐") if link.status == calc.MISSING else _("加强")
    return _("%(verb)s %(park)s %(chain)s产业链「%(link)s」环节") % {
        "verb": verb, "park": park_name, "chain": chain.chain.name, "link": link.link.name,
    }  # fmt: skip


# --- one item's links (tags on its page) -------------------------------------------------


@dataclass
class Placing:
    link: ChainLink
    automatic: bool  # placed by code or words (else only by a staff correction)
    removed: bool = False  # placed automatically, taken out by staff


def item_facts(kind: str, item: Any) -> tuple[int | None, str | None, str]:
    """(park, industry code, text) of an enterprise, project or lead, as coverage reads it."""
    if kind == LinkOverride.Kind.ENTERPRISE:
        return item.park_id, item.industry_id, item.name
    if kind == LinkOverride.Kind.PROJECT:
        return item.park_id, item.industry_id, f"{item.name} {item.investor_name}"
    return item.park_id, item.industry_id, f"{item.need_text} {item.intended_use} {item.company}"


def item_placings(kind: str, item: Any) -> tuple[list[Placing], list[ChainLink]]:
    """The links of the item's park's chains it sits in (automatic or corrected, and those
    taken out), and the other links it could be added to."""
    park_id, code, text = item_facts(kind, item)
    if park_id is None:
        return [], []
    chain_ids = list(ParkChain.objects.filter(park_id=park_id).values_list("chain_id", flat=True))
    if not chain_ids:
        return [], []
    links = list(ChainLink.objects.filter(chain_id__in=chain_ids).select_related("chain"))
    automatic = _index(links).match(code, text)
    overrides = dict(
        LinkOverride.objects.filter(
            kind=kind, object_id=item.pk, link__chain_id__in=chain_ids
        ).values_list("link_id", "included")
    )
    placings, others = [], []
    for link in sorted(
        links, key=lambda one: (one.chain.sort_order, one.chain_id, one.sort_order, one.pk)
    ):
        auto = link.pk in automatic
        included = overrides.get(link.pk)
        if auto or included:
            placings.append(Placing(link, automatic=auto, removed=auto and included is False))
        else:
            others.append(link)
    return placings, others


def city_table(park_ids: Iterable[int]) -> dict[str, Any]:
    """Parks (rows) × the chains any of them pursues (columns): each cell the park's
    completeness and its 强/弱/缺 counts, or None where the park does not pursue the chain."""
    coverage = coverage_for_parks(park_ids)
    chains: dict[int, Chain] = {}
    for entries in coverage.values():
        for entry in entries:
            chains.setdefault(entry.chain.pk, entry.chain)
    columns = sorted(chains.values(), key=lambda chain: (chain.sort_order, chain.pk))
    names = dict(Park.objects.filter(pk__in=list(coverage)).values_list("pk", "name"))
    rows = []
    for park_id, entries in sorted(coverage.items(), key=lambda item: names.get(item[0], "")):
        if not entries:
            continue
        by_chain = {entry.chain.pk: entry for entry in entries}
        rows.append({"park_id": park_id, "park": names.get(park_id, ""),
                     "cells": [by_chain.get(chain.pk) for chain in columns]})  # fmt: skip
    return {"columns": columns, "rows": rows}


# --- completeness over time (the indicators dashboard) -----------------------------------


@dataclass
class CompletenessTrend:
    months: list[str]  # "2026-01" …
    rows: list[tuple[str, list[Decimal | None]]]  # (chain name, completeness per month)


def completeness_trend(*, park_id: int, year: int, month: int) -> CompletenessTrend | None:
    """The park's recorded chain completeness, month by month, January to `month`."""
    from yuanqu.chains.models import CompletenessSnapshot

    snapshots = list(
        CompletenessSnapshot.objects.filter(park_id=park_id, year=year, month__lte=month)
        .select_related("chain")
        .order_by("chain__sort_order", "chain_id", "month")
    )
    if not snapshots:
        return None
    months = list(range(1, month + 1))
    by_chain: dict[str, dict[int, Decimal | None]] = {}
    for snapshot in snapshots:
        by_chain.setdefault(snapshot.chain.name, {})[snapshot.month] = snapshot.completeness_pct
    return CompletenessTrend(
        months=[f"{year}-{m:02d}" for m in months],
        rows=[(name, [values.get(m) for m in months]) for name, values in by_chain.items()],
    )
