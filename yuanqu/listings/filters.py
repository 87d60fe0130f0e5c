"""Parsing the carrier search state from a query string.

The URL carries the whole state, so `CarrierFilterForm` is the one place that reads it. A value
that cannot be used (negative area, min > max, an unknown district, a price that is not a number)
is dropped with a visible notice; the search never fails on bad input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from yuanqu.core import units
from yuanqu.listings.geo import wgs84_to_gcj02
from yuanqu.listings.models import Carrier

PER_PAGE = 20

PRICE_UNITS = [
    ("yuan_m2_month", _("元/㎡·月")),
    ("yuan_m2_day", _("元/㎡·天")),
    ("wan_total", _("万元(总价)")),
    ("wan_per_mu", _("万元/亩")),
]
AREA_UNITS = [("m2", _("㎡")), ("mu", _("亩"))]
SORTS = [
    ("fresh", _("最近确认")),
    ("newest", _("最新发布")),
    ("price", _("价格从低到高")),
    ("-price", _("价格从高到低")),
    ("area", _("面积从小到大")),
    ("-area", _("面积从大到小")),
]
VIEWS = [("list", _("列表")), ("map", _("地图"))]

# Every parameter the search understands, in the order URLs are written (stable, shareable).
STATE_KEYS = (
    "q", "kind", "deal", "district", "park", "area_min", "area_max", "area_unit",
    "price_min", "price_max", "price_unit", "height_min", "load_min", "power_min",
    "crane", "yard", "eia", "deed", "fire", "bbox", "sort", "view",
)  # fmt: skip
MULTI_KEYS = {"kind", "deal", "district", "park", "deed", "fire"}


class KnownValuesField(forms.Field):
    """Several values, each one of a known set (a set lookup: parks number in the hundreds,
    and setting `choices` on a ChoiceField per request normalises every one of them)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"unknown": _("未知的选项 %(value)s。")}

    def __init__(self, *, coerce=str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.coerce = coerce
        self.allowed: set[str] = set()

    def to_python(self, value) -> list:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        result = []
        for item in values:
            text = str(item).strip()
            if text not in self.allowed:
                raise forms.ValidationError(
                    self.error_messages["unknown"], code="unknown", params={"value": text[:20]}
                )
            result.append(self.coerce(text))
        return result


class CarrierFilterForm(forms.Form):
    q = forms.CharField(label=_("关键词"), max_length=100, required=False)
    kind = forms.MultipleChoiceField(
        label=_("类型"),
        choices=Carrier.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deal = forms.MultipleChoiceField(
        label=_("方式"),
        choices=Carrier.Deal.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    district = KnownValuesField(label=_("区县"), required=False)
    park = KnownValuesField(label=_("园区"), required=False, coerce=int)
    area_min = forms.DecimalField(
        label=_("面积下限"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    area_max = forms.DecimalField(
        label=_("面积上限"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    area_unit = forms.ChoiceField(label=_("面积单位"), choices=AREA_UNITS, required=False)
    price_min = forms.DecimalField(
        label=_("价格下限"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    price_max = forms.DecimalField(
        label=_("价格上限"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    price_unit = forms.ChoiceField(label=_("价格单位"), choices=PRICE_UNITS, required=False)
    height_min = forms.DecimalField(
        label=_("层高 ≥ (m)"),
        min_value=0,
        max_value=50,
        max_digits=5,
        decimal_places=2,
        required=False,
    )
    load_min = forms.DecimalField(
        label=_("承重 ≥ (t/㎡)"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        required=False,
    )
    power_min = forms.IntegerField(
        label=_("可配电 ≥ (kVA)"), min_value=0, max_value=1_000_000, required=False
    )
    crane = forms.BooleanField(label=_("有行车"), required=False)
    yard = forms.BooleanField(label=_("独门独院"), required=False)
    eia = forms.BooleanField(label=_("可环评"), required=False)
    deed = forms.MultipleChoiceField(
        label=_("产证"),
        choices=Carrier.TitleDeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    fire = forms.MultipleChoiceField(
        label=_("火灾危险性类别"),
        choices=Carrier.FireHazard.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sort = forms.ChoiceField(label=_("排序"), choices=SORTS, required=False)
    bbox = forms.CharField(label=_("地图范围"), max_length=80, required=False)
    view = forms.ChoiceField(label=_("显示"), choices=VIEWS, required=False)
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False)

    def clean_bbox(self) -> str:
        """ "south,west,north,east" in degrees (WGS-84), as the map's "search this area" sends."""
        raw = (self.cleaned_data.get("bbox") or "").strip()
        if not raw:
            return ""
        try:
            south, west, north, east = (float(part) for part in raw.split(","))
        except ValueError:
            raise forms.ValidationError(_("地图范围格式不正确。")) from None
        if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
            raise forms.ValidationError(_("地图范围不正确。"))
        return ",".join(f"{value:.4f}" for value in (south, west, north, east))

    def __init__(
        self, data: QueryDict, *, districts: list[tuple[str, str]], parks: list[tuple[int, str]]
    ) -> None:
        super().__init__(data)
        self.fields["district"].allowed = {str(code) for code, _name in districts}  # type: ignore[attr-defined]
        self.fields["park"].allowed = {str(pk) for pk, _name in parks}  # type: ignore[attr-defined]
        self.notices: list[str] = []

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        for low, high, label in (
            ("area_min", "area_max", _("面积")),
            ("price_min", "price_max", _("价格")),
        ):
            if (
                cleaned.get(low) is not None
                and cleaned.get(high) is not None
                and cleaned[low] > cleaned[high]
            ):
                self.notices.append(str(_("已忽略%(label)s范围:下限大于上限。") % {"label": label}))
                cleaned[low] = cleaned[high] = None
        return cleaned

    def filters(self) -> CarrierFilters:
        """The usable filters; every unusable value becomes a notice instead of an error."""
        self.is_valid()
        for name, errors in self.errors.items():
            if name == "__all__" or name == "page":
                continue
            label = self.fields[name].label
            self.notices.append(
                str(
                    _("已忽略无效的筛选条件「%(label)s」:%(error)s")
                    % {"label": label, "error": errors[0]}
                )
            )
        data = {name: self.cleaned_data.get(name) for name in self.fields}
        return CarrierFilters(
            q=(data["q"] or "").strip(),
            kind=list(data["kind"] or []),
            deal=list(data["deal"] or []),
            district=list(data["district"] or []),
            park=list(data["park"] or []),
            area_min=data["area_min"],
            area_max=data["area_max"],
            area_unit=data["area_unit"] or "m2",
            price_min=data["price_min"],
            price_max=data["price_max"],
            price_unit=data["price_unit"] or "yuan_m2_month",
            height_min=data["height_min"],
            load_min=data["load_min"],
            power_min=data["power_min"],
            crane=bool(data["crane"]),
            yard=bool(data["yard"]),
            eia=bool(data["eia"]),
            deed=list(data["deed"] or []),
            fire=list(data["fire"] or []),
            sort=data["sort"] or "fresh",
            bbox=data["bbox"] or "",
            view=data["view"] or "list",
            page=data["page"] or 1,
            notices=list(self.notices),
        )


@dataclass
class CarrierFilters:
    q: str = ""
    kind: list[str] = field(default_factory=list)
    deal: list[str] = field(default_factory=list)
    district: list[str] = field(default_factory=list)
    park: list[int] = field(default_factory=list)
    area_min: Decimal | None = None
    area_max: Decimal | None = None
    area_unit: str = "m2"
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    price_unit: str = "yuan_m2_month"
    height_min: Decimal | None = None
    load_min: Decimal | None = None
    power_min: int | None = None
    crane: bool = False
    yard: bool = False
    eia: bool = False
    deed: list[str] = field(default_factory=list)
    fire: list[str] = field(default_factory=list)
    sort: str = "fresh"
    bbox: str = ""
    view: str = "list"
    page: int = 1
    notices: list[str] = field(default_factory=list)

    def bbox_bounds(self) -> tuple[float, float, float, float] | None:
        if not self.bbox:
            return None
        south, west, north, east = (float(part) for part in self.bbox.split(","))
        return south, west, north, east

    def bbox_wgs84(self) -> tuple[float, float, float, float] | None:
        """The map's bounds as stored coordinates (south, west, north, east), or None."""
        bounds = self.bbox_bounds()
        if bounds is None or not settings.MAP_TILES_GCJ02:
            return bounds
        south, west, north, east = bounds
        # The map drew GCJ-02 tiles, so its bounds are shifted; undo the shift at the centre
        # (the offset varies by well under a metre across one screen of map).
        middle = ((south + north) / 2, (west + east) / 2)
        shifted = wgs84_to_gcj02(*middle)
        d_lat, d_lon = shifted[0] - middle[0], shifted[1] - middle[1]
        return south - d_lat, west - d_lon, north - d_lat, east - d_lon

    def area_bounds_m2(self) -> tuple[Decimal | None, Decimal | None]:
        if self.area_unit == "mu":
            return (
                units.mu_to_m2(self.area_min) if self.area_min is not None else None,
                units.mu_to_m2(self.area_max) if self.area_max is not None else None,
            )
        return self.area_min, self.area_max

    def price_bounds(self) -> tuple[str, Decimal | None, Decimal | None]:
        """(normalised column, low, high) for the unit the visitor picked."""
        low, high = self.price_min, self.price_max
        if self.price_unit == "yuan_m2_day":
            return (
                "price_yuan_m2_month",
                units.yuan_m2_day_to_month(low) if low is not None else None,
                units.yuan_m2_day_to_month(high) if high is not None else None,
            )
        column = {
            "yuan_m2_month": "price_yuan_m2_month",
            "wan_total": "price_wan_total",
            "wan_per_mu": "price_wan_per_mu",
        }[self.price_unit]
        return column, low, high

    def as_params(self, *, page: int | None = None, **overrides) -> list[tuple[str, str]]:
        """The state as ordered query parameters (defaults left out to keep URLs short)."""
        values = {key: getattr(self, key) for key in STATE_KEYS}
        values.update(overrides)
        params: list[tuple[str, str]] = []
        for key in STATE_KEYS:
            value = values[key]
            if key in MULTI_KEYS:
                params.extend((key, str(item)) for item in value)
            elif isinstance(value, bool):
                if value:
                    params.append((key, "1"))
            elif not self._is_default(key, value, values):
                params.append((key, _plain(value)))
        if page and page > 1:
            params.append(("page", str(page)))
        return params

    def _is_default(self, key: str, value, values: dict) -> bool:
        if value in (None, ""):
            return True
        if (key, value) in {
            ("area_unit", "m2"),
            ("sort", "fresh"),
            ("view", "list"),
            ("price_unit", "yuan_m2_month"),
        }:
            return True
        # The price unit matters only with a price bound or a price sort.
        return (
            key == "price_unit"
            and values.get("price_min") is None
            and values.get("price_max") is None
            and str(values.get("sort", "")).lstrip("-") != "price"
        )

    def query_string(self, *, page: int | None = None, **overrides) -> str:
        return urlencode(self.as_params(page=page, **overrides))

    def is_empty(self) -> bool:
        return not [pair for pair in self.as_params() if pair[0] not in {"sort", "view"}]


def _plain(value) -> str:
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return str(value)
