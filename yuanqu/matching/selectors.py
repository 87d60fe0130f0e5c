"""Reads that feed the pure scorer: candidates with SQL hard filters, parks, the need."""

from __future__ import annotations

import operator
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import reduce
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    DateTimeField,
    F,
    Field,
    FloatField,
    Func,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import get_language

from yuanqu.core.models import Industry, Region
from yuanqu.leads.models import Lead
from yuanqu.listings.models import Carrier
from yuanqu.matching.scoring import (
    CRITERION_LABELS,
    CarrierFacts,
    IndustryFacts,
    MatchConfig,
    MatchResult,
    NeedSpec,
    ParkFacts,
    Place,
    bound_catalogue,
    criterion_label,
    facts_from_row,
    numeric_fields,
    rank_rows,
)
from yuanqu.parks.models import Park

# Which carrier deals serve a need: 租 ↔ 出租/先租后买; 购 ↔ 出售/先租后买.
DEAL_COMPATIBLE: dict[str, tuple[str, ...]] = {
    Lead.Deal.RENT: (Carrier.Deal.RENT, Carrier.Deal.RENT_TO_BUY),
    Lead.Deal.BUY: (Carrier.Deal.SALE, Carrier.Deal.RENT_TO_BUY),
    Lead.Deal.RENT_TO_BUY: (Carrier.Deal.RENT_TO_BUY,),
}


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _float(value: Decimal | float | int | None) -> float | None:
    return None if value is None else float(value)


def area_margin() -> float:
    return float(getattr(settings, "MATCH_AREA_MARGIN", 0.20))


def hide_days() -> int:
    return int(getattr(settings, "CARRIER_HIDE_DAYS", 180))


def match_config(*, now: datetime | None = None) -> MatchConfig:
    return MatchConfig(now=now or timezone.now(), area_margin=area_margin(), hide_days=hide_days())


def candidates_for_need(**need: Any) -> QuerySet[Carrier]:
    """Carriers passing the hard filters (`candidate_filter`, same arguments) as model
    instances with their park and region, ordered by id. Matching itself reads only the
    columns a need's criteria use (`candidate_rows` on `candidate_filter`)."""
    return (
        candidate_filter(**need)
        .select_related("park", "region")
        .prefetch_related(
            Prefetch("park__leading_industries", queryset=Industry.objects.order_by("code"))
        )
        .order_by("id")
    )


def candidate_filter(
    *,
    kind: str,
    deal: str,
    area_min_m2: Decimal | float | None = None,
    area_max_m2: Decimal | float | None = None,
    region_codes: Sequence[str] = (),
    park_ids: Sequence[int] = (),
    insist_location: bool = False,
    now: datetime | None = None,
    height_m: Decimal | float | None = None,
    load_t_m2: Decimal | float | None = None,
    power_kva: Decimal | float | None = None,
    crane_t: Decimal | float | None = None,
    eia_required: bool = False,
    fire_hazard_class: str = "",
) -> QuerySet[Carrier]:
    """Carriers passing the hard filters: kind, a compatible deal, available, published,
    confirmed within CARRIER_HIDE_DAYS, area inside the wanted range widened by
    MATCH_AREA_MARGIN, and the wanted districts/parks only if the person insisted."""
    now = now or timezone.now()
    margin = Decimal(str(area_margin()))
    area_field = "land_area_m2" if kind == Carrier.Kind.LAND else "building_area_m2"
    queryset = Carrier.objects.alias(
        # Compared through COALESCE on purpose: a bare range on confirmed_at lures SQLite's
        # planner onto an index led by status/confirmed_at, which matches most of the table
        # and is then walked row by row. A NULL date stays hidden.
        confirmed_or_epoch=Coalesce("confirmed_at", Value(EPOCH, output_field=DateTimeField())),
        status_value=_unindexed("status", CharField()),
        published_value=_unindexed("published_at", DateTimeField()),
    )
    # One filter() per condition, most selective first: SQLite tests a scanned row's
    # conditions in the order written (filter() with several keywords sorts them by name),
    # and the area range alone rejects most rows.
    if area_min_m2:
        queryset = queryset.filter(
            **{f"{area_field}__gte": Decimal(str(area_min_m2)) * (1 - margin)}
        )
    if area_max_m2:
        queryset = queryset.filter(
            **{f"{area_field}__lte": Decimal(str(area_max_m2)) * (1 + margin)}
        )
    queryset = (
        queryset.filter(kind=kind)
        .filter(deal__in=DEAL_COMPATIBLE.get(deal, ()))
        .filter(confirmed_or_epoch__gte=now - timedelta(days=hide_days()))
        .filter(published_value__isnull=False)
        .filter(status_value=Carrier.Status.AVAILABLE)
    )
    if insist_location and (region_codes or park_ids):
        queryset = queryset.filter(
            Q(park_id__in=list(park_ids))
            | Q(region_id__in=list(region_codes))
            | Q(park__region_id__in=list(region_codes))
        )
    misses = _hard_misses(
        height_m=height_m, load_t_m2=load_t_m2, power_kva=power_kva, crane_t=crane_t,
        eia_required=eia_required, fire_hazard_class=fire_hazard_class,
    )  # fmt: skip
    if len(misses) >= 2:
        # A carrier failing two stated technical needs is neither a match nor a near-miss:
        # leave it in the database instead of scoring it.
        queryset = queryset.annotate(hard_misses=reduce(operator.add, misses)).filter(
            hard_misses__lte=1
        )
    return queryset


def _unindexed(column: str, output_field: Field) -> Func | F:
    """The column as an expression SQLite cannot look up in an index (unary plus is a no-op
    on any value there). Status and publication match most carriers, and walking the
    search index led by them (status, published_at, …) then reading each table row costs
    about twice a plain scan of the table on 50k carriers (docs/bench/matching.md); an index
    on the kind and area, if one is added, stays usable. PostgreSQL plans by statistics and
    gets the bare column."""
    if connection.vendor != "sqlite":
        return F(column)
    return Func(F(column), template="+%(expressions)s", output_field=output_field)


def _miss(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _hard_misses(
    *,
    height_m: Decimal | float | None,
    load_t_m2: Decimal | float | None,
    power_kva: Decimal | float | None,
    crane_t: Decimal | float | None,
    eia_required: bool,
    fire_hazard_class: str,
) -> list[Case]:
    """SQL twins of the scorer's hard criteria: 1 where a stated value misses the need.
    Unstated values (NULL) are not misses, except 行车 where NULL means no crane."""
    misses = []
    if height_m:
        misses.append(_miss(Q(height_m__lt=Decimal(str(height_m)))))
    if load_t_m2:
        misses.append(_miss(Q(floor_load_t_m2__lt=Decimal(str(load_t_m2)))))
    if power_kva:
        needed = Decimal(str(power_kva))
        misses.append(
            _miss(
                (Q(power_available_kva__isnull=False) | Q(power_current_kva__isnull=False))
                & (Q(power_available_kva__isnull=True) | Q(power_available_kva__lt=needed))
                & (Q(power_current_kva__isnull=True) | Q(power_current_kva__lt=needed))
            )
        )
    if crane_t:
        misses.append(_miss(Q(crane_t__isnull=True) | Q(crane_t__lt=Decimal(str(crane_t)))))
    if eia_required:
        misses.append(_miss(Q(eia_ok=False)))
    if fire_hazard_class:
        misses.append(_miss(~Q(fire_hazard_class="") & Q(fire_hazard_class__gt=fire_hazard_class)))
    return misses


# Columns read for scoring. Decimals are cast to floats in SQL: the scorer works in floats,
# and skipping Django's per-value Decimal converters halves the time for large matches.
# The area is the land area for land and the building area otherwise, chosen in SQL.
_FLOAT_COLUMNS = (
    "price_value", "height_m", "floor_load_t_m2", "crane_t", "latitude", "longitude",
)  # fmt: skip
# Titles and region names are read later, only for the carriers shown (see match_for_lead).
_CARRIER_COLUMNS = (
    "id", "kind", "deal", "park_id", "region_id", "f_area_m2", "price_negotiable",
    "f_price_value", "price_unit", "f_height_m", "f_floor_load_t_m2", "power_available_kva",
    "power_current_kva", "f_crane_t", "eia_ok", "fire_hazard_class", "f_confirmed_at",
    "f_latitude", "f_longitude",
)  # fmt: skip


def carrier_rows_query(queryset: QuerySet[Carrier]) -> QuerySet[Carrier]:
    """The candidate rows as plain values, in _CARRIER_COLUMNS order."""
    casts: dict[str, Any] = {f"f_{name}": Cast(name, FloatField()) for name in _FLOAT_COLUMNS}
    casts["f_area_m2"] = Case(
        When(kind=Carrier.Kind.LAND, then=Cast("land_area_m2", FloatField())),
        default=Cast("building_area_m2", FloatField()),
        output_field=FloatField(),
    )
    # The timestamp as UTC ISO text, parsed by datetime.fromisoformat in carrier_facts_for:
    # the same instant as the driver's datetime, at a fraction of the cost (SQLite's
    # converter and psycopg's timestamptz loader took ~5 µs a row, more than the rest of
    # the row together).
    casts["f_confirmed_at"] = (
        Cast("confirmed_at", CharField())
        if connections[queryset.db].vendor == "sqlite"
        else Func(
            F("confirmed_at"),
            template=(
                "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"
            ),
            output_field=CharField(),
        )
    )
    return (
        queryset.prefetch_related(None)
        .annotate(**casts)
        .order_by("id")
        .values_list(*_CARRIER_COLUMNS)
    )


def carrier_facts_for(queryset: QuerySet[Carrier]) -> list[CarrierFacts]:
    """Plain facts for the scorer, in one query. The rows are read straight from the
    cursor: Django's per-value converters (dates on SQLite, booleans, decimals) cost more
    than the query itself on a large match, and the scorer only needs floats."""
    rows_query = carrier_rows_query(queryset)
    sql, params = rows_query.query.sql_with_params()
    with connections[rows_query.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    facts: list[CarrierFacts] = []
    append = facts.append
    for row in rows:
        (pk, kind, deal, park_id, region_code, area, negotiable, price, unit, height, load,
         power_available, power_current, crane, eia, fire, confirmed_at, latitude,
         longitude) = row  # fmt: skip
        if power_available is None:
            power = power_current
        elif power_current is None:
            power = power_available
        else:
            power = max(power_available, power_current)
        append(
            CarrierFacts(
                pk,
                "",
                kind,
                deal,
                park_id,
                region_code or "",
                "",
                area,
                bool(negotiable),
                price,
                unit or "",
                height,
                load,
                power,
                crane,
                bool(eia),
                fire or "",
                None if confirmed_at is None else _aware(confirmed_at),
                latitude,
                longitude,
            )  # fmt: skip
        )
    return facts


def candidate_rows(
    queryset: QuerySet[Carrier], need: NeedSpec, *, extra: Sequence[str] = ()
) -> list[tuple[Any, ...]]:
    """The candidates as the numeric pass's rows (`scoring.numeric_fields(need)`, in that
    order, then the carrier columns named in `extra`), straight from the cursor: only the
    columns this need's criteria read, each already in the scorer's type (floats, the
    power as the larger of 现配/可配, the confirmation time as integer microseconds since
    the epoch), and no ORDER BY (the ranking does not depend on row order). `queryset`
    must hold one kind: `need.kind`."""
    db = queryset.db
    expressions = {
        f"r_{field}": _row_expression(field, kind=need.kind, vendor=connections[db].vendor)
        for field in numeric_fields(need)
    }
    expressions.update({f"x_{column}": F(column) for column in extra})
    rows_query = queryset.annotate(**expressions).order_by().values_list(*expressions)
    sql, params = rows_query.query.sql_with_params()
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# Scorer field → carrier column, where the names differ or a conversion is needed.
_ROW_COLUMNS = {"region_code": "region_id", "load_t_m2": "floor_load_t_m2"}
_ROW_FLOATS = {"price_value", "height_m", "load_t_m2", "crane_t", "latitude", "longitude"}


def _row_expression(field: str, *, kind: str, vendor: str) -> Any:
    if field == "area_m2":
        column = "land_area_m2" if kind == Carrier.Kind.LAND else "building_area_m2"
        return Cast(column, FloatField())
    if field in _ROW_FLOATS:
        return Cast(_ROW_COLUMNS.get(field, field), FloatField())
    if field == "power_kva":
        available, current = F("power_available_kva"), F("power_current_kva")
        return Case(
            When(power_available_kva__isnull=True, then=current),
            When(power_current_kva__isnull=True, then=available),
            When(power_available_kva__gte=current, then=available),
            default=current,
            output_field=IntegerField(),
        )
    if field == "confirmed_us":
        return _epoch_microseconds("confirmed_at", vendor)
    return F(_ROW_COLUMNS.get(field, field))


def _epoch_microseconds(column: str, vendor: str) -> Func:
    """The timestamp as whole microseconds since the Unix epoch, exactly. SQLite holds
    Django's text 'YYYY-MM-DD HH:MM:SS[.ffffff]' (UTC): whole seconds from the first 19
    characters (strftime would round a fraction to milliseconds), plus the fraction's
    digits. PostgreSQL's EXTRACT(EPOCH …) is an exact numeric (PostgreSQL 14+)."""
    if vendor == "sqlite":
        # unixepoch() (SQLite 3.38+) costs less than strftime('%s') and a cast.
        seconds = (
            "unixepoch(substr(%(expressions)s, 1, 19))"
            if sqlite3.sqlite_version_info >= (3, 38)
            else "CAST(strftime('%%%%s', substr(%(expressions)s, 1, 19)) AS INTEGER)"
        )
        template = (
            f"({seconds} * 1000000"
            " + CAST(substr(substr(%(expressions)s, 21) || '000000', 1, 6) AS INTEGER))"
        )
    else:
        template = "(EXTRACT(EPOCH FROM %(expressions)s) * 1000000)::bigint"
    return Func(F(column), template=template, output_field=BigIntegerField())


def _aware(value: datetime | str | None) -> datetime | None:
    """A timestamp from the cursor: SQLite gives naive UTC (text or, with its converters,
    a datetime), PostgreSQL an aware datetime."""
    if value is None:
        return None
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def carrier_facts(carrier: Carrier) -> CarrierFacts:
    facts = carrier_facts_for(Carrier.objects.filter(pk=carrier.pk))[0]
    facts.title, facts.region_name = carrier.title, carrier.region.name
    return facts


def industry_facts(industry: Industry) -> IndustryFacts:
    return IndustryFacts(
        code=industry.code, name=industry.name, lineage=tuple(industry.lineage_codes())
    )


def park_facts_list(*, park_ids: Iterable[int] | None = None) -> list[ParkFacts]:
    """Active parks with region and leading industries. The full list is kept per process
    and rebuilt only when parks or their leading industries change (checked with one
    aggregate query), because every match ranks all parks."""
    if park_ids is not None:
        return _with_chain_gaps(_build_park_facts(Park.objects.filter(pk__in=list(park_ids))))
    version = _parks_version()
    with _park_cache_lock:
        cached = list(_park_cache["facts"]) if _park_cache.get("version") == version else None
    if cached is None:
        cached = _build_park_facts(Park.objects.all())
        with _park_cache_lock:
            _park_cache.update(version=version, facts=cached)
    return _with_chain_gaps(cached)


def _with_chain_gaps(facts: list[ParkFacts]) -> list[ParkFacts]:
    """The parks' missing chain links (docs/chains.md), for the industry fit's bonus; they
    move with the registry and the pipeline, so they are not part of the parks' cache."""
    from yuanqu.chains.selectors import missing_links_by_park

    gaps = missing_links_by_park(fact.id for fact in facts)
    if not gaps:
        return facts
    return [replace(fact, chain_gaps=gaps[fact.id]) if fact.id in gaps else fact for fact in facts]


_park_cache: dict[str, Any] = {}
_park_cache_lock = threading.Lock()


def _parks_version() -> tuple[Any, ...]:
    """What changes when parks or their leading industries change, in one query."""
    park_table = Park._meta.db_table
    link_table = Park.leading_industries.through._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {park_table}), (SELECT MAX(id) FROM {park_table}), "
            f"(SELECT MAX(updated_at) FROM {park_table}), (SELECT COUNT(*) FROM {link_table}), "
            f"(SELECT MAX(id) FROM {link_table})"
        )
        row = cursor.fetchone()
    return (connection.alias, connection.settings_dict.get("NAME"), *row)


def _build_park_facts(parks: QuerySet[Park]) -> list[ParkFacts]:
    parks = (
        parks.filter(is_active=True)
        .select_related("region")
        .prefetch_related(
            Prefetch("leading_industries", queryset=Industry.objects.order_by("code"))
        )
        .order_by("id")
    )
    return [park_facts(park) for park in parks]


def park_facts(park: Park) -> ParkFacts:
    return ParkFacts(
        id=park.pk,
        name=park.display_name,
        region_code=park.region_id,
        region_name=park.region.name,
        latitude=_float(park.latitude),
        longitude=_float(park.longitude),
        point_is_region_centre=park.point_is_region_centre,
        leading_industries=tuple(industry_facts(item) for item in park.leading_industries.all()),
        investment_intensity_wan_per_mu=_float(park.investment_intensity_wan_per_mu),
        tax_per_mu_wan=_float(park.tax_per_mu_wan),
    )


def need_spec_for_lead(
    lead: Lead,
    *,
    wanted: tuple[Sequence[str], Sequence[int]] | None = None,
    parks: Sequence[ParkFacts] | None = None,
) -> NeedSpec:
    """The lead as the scorer sees it. Its wanted places are read from the lead (prefetched
    regions/parks when present), or, when the caller has just stored them, given as
    `wanted` = (region codes, park ids) and looked up without reading the lead again
    (parks from `parks`, the active parks' facts, when given)."""
    if wanted is None:
        places = [park_place(park) for park in sorted(lead.parks.all(), key=lambda item: item.pk)]
        regions: Iterable[Region] = lead.regions.all()
    else:
        region_codes, park_ids = wanted
        places = _park_places(park_ids, park_facts_list() if parks is None else parks)
        regions = Region.objects.filter(code__in=list(region_codes)) if region_codes else []
    places += [
        Place("region", region.code, region.name, _float(region.latitude), _float(region.longitude))
        for region in sorted(regions, key=lambda item: item.code)
    ]
    industry = lead.industry
    return NeedSpec(
        kind=lead.kind,
        deal=lead.deal,
        area_min_m2=_float(lead.area_min_m2),
        area_max_m2=_float(lead.area_max_m2),
        budget_value=_float(lead.budget_value),
        budget_unit=lead.budget_unit,
        places=tuple(places),
        insist_location=lead.insist_location,
        industry_lineage=tuple(industry.lineage_codes()) if industry else (),
        industry_name=industry.name if industry else "",
        height_m=_float(lead.height_m),
        load_t_m2=_float(lead.load_t_m2),
        power_kva=_float(lead.power_kva),
        crane_t=_float(lead.crane_t),
        eia_required=lead.eia_required,
        fire_hazard_class=lead.fire_hazard_class,
        investment_wan=_float(lead.investment_wan),
        annual_tax_wan=_float(lead.annual_tax_wan),
    )


def _park_places(park_ids: Sequence[int], parks: Sequence[ParkFacts]) -> list[Place]:
    """Wanted parks as places, by id: from the active parks' facts (the same name and point
    as the Park rows), reading only parks missing from them (inactive ones)."""
    if not park_ids:
        return []
    known = {park.id: park for park in parks}
    missing = [pk for pk in park_ids if pk not in known]
    read = {park.pk: park for park in Park.objects.filter(pk__in=missing)} if missing else {}
    places = []
    for pk in sorted(set(park_ids)):
        if pk in known:
            facts = known[pk]
            places.append(
                Place(
                    "park",
                    str(pk),
                    facts.name,
                    facts.latitude,
                    facts.longitude,
                    approximate=facts.point_is_region_centre,
                )
            )
        elif pk in read:
            places.append(park_place(read[pk]))
    return places


def park_place(park: Park) -> Place:
    return Place(
        "park",
        str(park.pk),
        park.display_name,
        _float(park.latitude),
        _float(park.longitude),
        approximate=park.point_is_region_centre,
    )


def match_for_lead(
    *,
    lead: Lead,
    now: datetime | None = None,
    wanted: tuple[Sequence[str], Sequence[int]] | None = None,
) -> MatchResult:
    """Run the whole match for a stored lead: candidates, parks, pure ranking. `wanted`:
    the lead's (region codes, park ids) when the caller has just stored them, so they are
    not read back (see need_spec_for_lead)."""
    config = match_config(now=now)
    parks = park_facts_list()
    need = need_spec_for_lead(lead, wanted=wanted, parks=parks)
    candidates = candidate_filter(
        kind=lead.kind,
        deal=lead.deal,
        area_min_m2=lead.area_min_m2,
        area_max_m2=lead.area_max_m2,
        region_codes=[place.key for place in need.places if place.kind == "region"],
        park_ids=[int(place.key) for place in need.places if place.kind == "park"],
        insist_location=lead.insist_location,
        now=config.now,
        height_m=lead.height_m,
        load_t_m2=lead.load_t_m2,
        power_kva=lead.power_kva,
        crane_t=lead.crane_t,
        eia_required=lead.eia_required,
        fire_hazard_class=lead.fire_hazard_class,
    )
    # The title rides along in each row (reading it with the row costs less than a query
    # for the shown ones). The district name is not read: the reasons that name a place
    # are built when the shown carriers are explained, and use the park's name.
    fields = numeric_fields(need)
    rows = candidate_rows(candidates, need, extra=("title",))
    return rank_rows(need, rows, parks, config, facts=lambda row: _titled_facts(row, fields))


def _titled_facts(row: Sequence[Any], fields: Sequence[str]) -> CarrierFacts:
    facts = facts_from_row(row, fields)
    facts.title = row[len(fields)]
    return facts


def open_leads_for_carrier(*, carrier: Carrier, now: datetime | None = None) -> QuerySet[Lead]:
    """Open leads whose hard filters a carrier passes (kind, deal, widened area, place)."""
    now = now or timezone.now()
    deals = [need for need, offered in DEAL_COMPATIBLE.items() if carrier.deal in offered]
    area = carrier.land_area_m2 if carrier.kind == Carrier.Kind.LAND else carrier.building_area_m2
    queryset = Lead.objects.filter(
        kind=carrier.kind,
        deal__in=deals,
        status__in=(Lead.Status.NEW, Lead.Status.FOLLOWING),
        anonymised_at__isnull=True,
        created_at__gte=now - timedelta(days=hide_days()),
    )
    if area is not None:
        margin = Decimal(str(area_margin()))
        queryset = queryset.filter(
            Q(area_min_m2__isnull=True) | Q(area_min_m2__lte=area / (1 - margin)),
            Q(area_max_m2__isnull=True) | Q(area_max_m2__gte=area / (1 + margin)),
        )
    place = (
        Q(insist_location=False)
        | Q(parks=carrier.park_id)
        | Q(regions=carrier.region_id)
        | Q(regions=carrier.park.region_id)
    )
    ids = queryset.filter(place).values_list("id", flat=True).distinct()
    return (
        Lead.objects.filter(pk__in=list(ids))
        .select_related("industry")
        .prefetch_related("regions", "parks")
        .order_by("id")
    )


def lead_results_context(lead: Lead) -> dict[str, Any]:
    """What the results page shows: the stored snapshot, never a fresh match, with its
    reasons in the active language where the snapshot holds them in it (matching.services
    .snapshot_from); else, as in snapshots stored before version 2, the stored Chinese."""
    snapshot = lead.match_snapshot or {}
    language = get_language() or settings.LANGUAGE_CODE
    with bound_catalogue():  # the criteria's names, looked up in one catalogue
        return {
            "snapshot": snapshot,
            "carriers": [_item_in(item, language) for item in snapshot.get("carriers", [])],
            "near_misses": [_item_in(item, language) for item in snapshot.get("near_misses", [])],
            "parks": [_item_in(item, language) for item in snapshot.get("parks", [])],
        }


def _item_in(item: dict[str, Any], language: str) -> dict[str, Any]:
    """A stored carrier or park with its reasons (and blocking reason) in `language`."""
    shown = {**item, "reasons": [reason_in(reason, language) for reason in item.get("reasons", [])]}
    if item.get("blocking"):
        shown["blocking"] = reason_in(item["blocking"], language)
    return shown


def reason_in(reason: dict[str, Any], language: str) -> dict[str, Any]:
    """A stored reason as shown in `language`: its line in that language when stored, with
    the criterion's name in it; else the stored line and name. Without the other languages'
    lines (the API returns what the page shows)."""
    texts = reason.get("texts")
    if texts is None:
        return reason
    shown = dict(reason)
    del shown["texts"]
    text = texts.get(language)
    if text is not None:
        shown["text"] = text
        if reason.get("criterion") in CRITERION_LABELS:
            shown["label"] = criterion_label(reason["criterion"])
    return shown
