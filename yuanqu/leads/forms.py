"""The need form: first screen for what matching needs, the rest optional."""

from __future__ import annotations

import functools
import re
import unicodedata
import uuid
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yuanqu.accounts.pii import normalise_mobile
from yuanqu.core.models import Industry, Region
from yuanqu.leads.models import Lead
from yuanqu.parks.models import Park

M2_PER_MU = Decimal(10000) / Decimal(15)
NEED_TEXT_MAX = 2000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

DETAIL_FIELDS = (
    "company", "contact_name", "intended_use", "budget_value", "budget_unit", "insist_location",
    "power_kva", "height_m", "load_t_m2", "crane_t", "eia_required", "fire_hazard_class",
    "timing", "investment_wan", "annual_tax_wan", "jobs",
)  # fmt: skip


def clean_text(value: str, *, multiline: bool = False) -> str:
    """Strip control characters (keep line breaks in long text) and outer spaces.
    HTML is kept as typed and escaped on display; nothing is executed."""
    value = _CONTROL.sub("", value or "")
    if not multiline:
        value = " ".join(value.split())
    return value.strip()


class LooseDecimalField(forms.DecimalField):
    """Accepts full-width digits, thousands separators and spaces (１，２００ → 1200)."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value).replace(",", "").replace(" ", "").strip()
            value = value.replace("。", ".")
        return super().to_python(value)


def _number(
    label: Any, *, minimum: str, maximum: str, places: int = 2, digits: int = 12
) -> LooseDecimalField:
    return LooseDecimalField(
        label=label,
        required=False,
        min_value=Decimal(minimum),
        max_value=Decimal(maximum),
        max_digits=digits,
        decimal_places=places,
        # Text, not type=number: browsers refuse full-width digits and "1,200" in number inputs.
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "invalid": _("请填写数字。"),
            "min_value": _("不能小于 %(limit_value)s。"),
            "max_value": _("不能大于 %(limit_value)s,请检查单位。"),
            "max_decimal_places": _("最多 %(max)s 位小数。"),
            "max_digits": _("数字太长,请检查。"),
            "max_whole_digits": _("数字太长,请检查。"),
        },
    )


class CheckedMultipleChoiceField(forms.MultipleChoiceField):
    """A multiple choice whose full list is read only to render it (the form sets it as a
    callable): posted values are checked with `known(values)`, which returns those of them
    that are valid choices. A valid submission never loads the whole list."""

    def __init__(self, *, known: Callable[[list[str]], set[str]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.known = known

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        known = self.known([str(item) for item in value]) if value else set()
        for item in value:
            if str(item) not in known:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )


def _home_counties() -> Any:
    home = getattr(settings, "HOME_REGION_CODE", "")
    return Region.objects.filter(parent_id=home, level=Region.Level.COUNTY)


def _known_regions(values: list[str]) -> set[str]:
    return set(_home_counties().filter(code__in=values).values_list("code", flat=True))


def _known_parks(values: list[str]) -> set[str]:
    # Only values a park id can be read from (ASCII digits, within a 64-bit integer); a
    # value such as "012" finds park 12, whose choice "12" then does not equal it.
    ids = [int(value) for value in values if value.isascii() and value.isdigit()]
    ids = [pk for pk in ids if pk < 2**63]
    if not ids:
        return set()
    active = Park.objects.filter(is_active=True, pk__in=ids).values_list("pk", flat=True)
    return {str(pk) for pk in active}


def industry_options(query: str, *, limit: int = 20) -> list[tuple[str, str]]:
    """(code, label) for the industry picker: the parser helper's synonym search when
    installed (names, codes, trade words such as 挖掘机 → 3514), else names and codes."""
    query = clean_text(query)[:50]
    if not query:
        return []
    try:
        from yuanqu.matching import synonyms
    except ImportError:
        synonyms = None  # type: ignore[assignment]
    if synonyms is not None:
        found = synonyms.industry_search(query, limit=limit)
        options = []
        for code, name, matched_by in found:
            word = matched_by.split(":", 1)[1] if matched_by.startswith("synonym:") else ""
            options.append((code, f"{code} {name}" + (f"({word})" if word else "")))
        return options
    from django.db.models import Q

    rows = Industry.objects.filter(Q(code__istartswith=query) | Q(name__icontains=query)).order_by(
        "code"
    )[:limit]
    return [(row.code, f"{row.code} {row.name}") for row in rows]


class NeedForm(forms.Form):
    # Free text first: a WeChat message fills the fields below (action "parse").
    need_text = forms.CharField(
        label=_("用一句话描述需求(可直接粘贴微信消息)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NEED_TEXT_MAX}),
    )

    # First screen: what matching needs.
    kind = forms.ChoiceField(
        label=_("需要什么"), choices=Lead.Kind.choices, widget=forms.RadioSelect,
        error_messages={"required": _("请选择载体类型。")},
    )  # fmt: skip
    deal = forms.ChoiceField(
        label=_("方式"), choices=Lead.Deal.choices, widget=forms.RadioSelect,
        error_messages={"required": _("请选择租、购或先租后买。")},
    )  # fmt: skip
    area_min = _number(_("面积下限"), minimum="1", maximum="10000000")
    area_max = _number(_("面积上限"), minimum="1", maximum="10000000")
    area_unit = forms.ChoiceField(
        label=_("面积单位"), choices=[("m2", "㎡"), ("mu", _("亩"))], initial="m2", required=False
    )
    regions = CheckedMultipleChoiceField(
        label=_("意向区县"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        known=_known_regions,
    )
    parks = CheckedMultipleChoiceField(
        label=_("意向园区"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        known=_known_parks,
    )
    industry_query = forms.CharField(
        label=_("行业(名称、代码或产品,如 挖掘机、3514)"), required=False, max_length=50,
        error_messages={"max_length": _("行业查找词最多 %(limit_value)d 个字。")},
    )  # fmt: skip
    industry = forms.ChoiceField(label=_("行业"), required=False)
    mobile = forms.CharField(
        label=_("手机号"), max_length=30,
        error_messages={"required": _("请填写手机号。"), "max_length": _("手机号太长。")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )  # fmt: skip
    consent = forms.BooleanField(
        label=_("我已阅读并同意隐私声明,同意园区招商人员就此需求与我联系"),
        error_messages={"required": _("请阅读并同意隐私声明后提交。")},
    )

    # Optional refinements (a <details> section).
    company = forms.CharField(
        label=_("公司名称"), required=False, max_length=100,
        error_messages={"max_length": _("公司名称最多 %(limit_value)d 个字(您填了 %(show_value)d 个)。")},
    )  # fmt: skip
    contact_name = forms.CharField(
        label=_("联系人"), required=False, max_length=50,
        error_messages={"max_length": _("联系人最多 %(limit_value)d 个字。")},
    )  # fmt: skip
    intended_use = forms.CharField(
        label=_("用途"), required=False, max_length=200,
        error_messages={"max_length": _("用途最多 %(limit_value)d 个字(您填了 %(show_value)d 个)。")},
    )  # fmt: skip
    budget_value = _number(_("预算"), minimum="0.01", maximum="1000000000")
    budget_unit = forms.ChoiceField(
        label=_("预算单位"), choices=[("", _("请选择"))] + Lead.BudgetUnit.choices, required=False
    )
    insist_location = forms.BooleanField(label=_("只看所选区县/园区"), required=False)
    power_kva = _number(_("用电(kVA)"), minimum="1", maximum="1000000", places=0, digits=9)
    height_m = _number(_("层高至少(m)"), minimum="2", maximum="60", digits=5)
    load_t_m2 = _number(_("承重至少(t/㎡)"), minimum="0.1", maximum="50", digits=5)
    crane_t = _number(_("行车至少(t)"), minimum="0.5", maximum="1000", places=1, digits=6)
    eia_required = forms.BooleanField(label=_("需要可环评"), required=False)
    fire_hazard_class = forms.ChoiceField(
        label=_("生产的火灾危险性类别"),
        choices=[("", _("不限"))] + Lead.FireHazard.choices,
        required=False,
    )
    timing = forms.ChoiceField(
        label=_("何时需要"), choices=[("", _("不限"))] + Lead.Timing.choices, required=False
    )
    investment_wan = _number(_("预计投资(万元)"), minimum="0", maximum="100000000")
    annual_tax_wan = _number(_("预计年税收(万元)"), minimum="0", maximum="10000000")
    jobs = forms.IntegerField(
        label=_("预计用工(人)"), required=False, min_value=0, max_value=1000000,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"invalid": _("请填写整数。"), "max_value": _("人数太大,请检查。")},
    )  # fmt: skip

    # Hidden: retry key, where the person came from, and a trap for bots.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    source = forms.CharField(widget=forms.HiddenInput, required=False, max_length=300)
    carrier = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    website = forms.CharField(
        label=_("网站(请留空)"), required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )  # fmt: skip

    first_screen = (
        "kind",
        "deal",
        "area_min",
        "area_max",
        "area_unit",
        "regions",
        "parks",
        "industry_query",
        "industry",
        "mobile",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.industry_found: Industry | None = None  # read to list the chosen industry
        # Read when rendered (once per form), not to validate a submission (see
        # CheckedMultipleChoiceField).
        self.fields["regions"].choices = functools.cache(  # type: ignore[attr-defined]
            lambda: list(_home_counties().order_by("code").values_list("code", "name"))
        )
        self.fields["parks"].choices = functools.cache(  # type: ignore[attr-defined]
            lambda: [
                (str(pk), name)
                for pk, name in Park.objects.filter(is_active=True)
                .order_by("name")
                .values_list("id", "name")
            ]
        )
        self.fields["industry"].choices = self._industry_choices()  # type: ignore[attr-defined]

    def _value(self, name: str) -> Any:
        if self.is_bound:
            return self.data.get(self.add_prefix(name), "")
        return self.initial.get(name, self.fields[name].initial) or ""

    def _industry_choices(self) -> list[tuple[str, Any]]:
        choices: list[tuple[str, Any]] = [("", _("不限 / 请先查找"))]
        current = str(self._value("industry") or "")
        query = str(self._value("industry_query") or "")
        options = industry_options(query) if query else []
        if current and current not in {code for code, _label in options}:
            industry = Industry.objects.filter(code=current).first()
            if industry is not None:
                options.insert(0, (industry.code, f"{industry.code} {industry.name}"))
                self.industry_found = industry
        return choices + options

    def full_clean(self) -> None:
        super().full_clean()
        # Screen readers announce the error with the field it belongs to.
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"id_{name}_error"

    @property
    def details_open(self) -> bool:
        """Open the optional section when it has errors or values the person must see."""
        if self.is_bound:
            if any(name in self.errors for name in DETAIL_FIELDS):
                return True
            return any(self.data.get(name) not in (None, "", "off") for name in DETAIL_FIELDS)
        return any(self.initial.get(name) not in (None, "", False) for name in DETAIL_FIELDS)

    # -- field cleaning ------------------------------------------------------------------

    def clean_need_text(self) -> str:
        text = clean_text(self.cleaned_data.get("need_text", ""), multiline=True)
        if len(text) > NEED_TEXT_MAX:
            raise ValidationError(
                _("需求描述最多 %(limit)d 字,您粘贴了 %(count)d 字,请删减后再提交。"),
                params={"limit": NEED_TEXT_MAX, "count": len(text)},
                code="max_length",
            )
        return text

    def clean_mobile(self) -> str:
        return normalise_mobile(self.cleaned_data.get("mobile", ""))

    def clean_company(self) -> str:
        company = clean_text(self.cleaned_data.get("company", ""))
        if company and len(company) < 2:
            raise ValidationError(_("公司名称至少 2 个字。"), code="min_length")
        return company

    def clean_contact_name(self) -> str:
        return clean_text(self.cleaned_data.get("contact_name", ""))

    def clean_intended_use(self) -> str:
        return clean_text(self.cleaned_data.get("intended_use", ""))

    def clean_industry_query(self) -> str:
        return clean_text(self.cleaned_data.get("industry_query", ""))

    def clean_source(self) -> str:
        source = (self.cleaned_data.get("source") or "").strip()
        # Only a path on this site is kept (no other hosts, no scheme tricks).
        if not source.startswith("/") or source.startswith("//") or "\\" in source:
            return ""
        return source[:300]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("area_min"), data.get("area_max")
        if "area_min" not in self.errors and "area_max" not in self.errors:
            if low is None and high is None:
                self.add_error("area_min", _("请至少填写面积下限或上限。"))
            elif low is not None and high is not None and low > high:
                self.add_error("area_max", _("上限不能小于下限。"))
        if data.get("budget_value") is not None and not data.get("budget_unit"):
            self.add_error("budget_unit", _("请选择预算的单位。"))
        unit = data.get("budget_unit")
        deal = data.get("deal")
        if data.get("budget_value") is not None and unit and deal:
            rent_units = {"yuan_m2_day", "yuan_m2_month", "yuan_month"}
            if deal == Lead.Deal.BUY and unit in rent_units:
                self.add_error("budget_unit", _("购买请用 万元 或 万元/亩 作预算单位。"))
            if deal == Lead.Deal.RENT and unit not in rent_units:
                self.add_error(
                    "budget_unit", _("租用请用 元/㎡·天、元/㎡·月 或 元/月 作预算单位。")
                )
        if (
            data.get("industry_query")
            and not data.get("industry")
            and "industry" not in self.errors
        ):
            self.add_error("industry", _("请从查找结果中选择一个行业,或清空查找词。"))
        return data

    # -- output --------------------------------------------------------------------------

    def lead_data(self) -> dict[str, Any]:
        """Cleaned data in the shape leads.services.lead_submit takes (areas in ㎡)."""
        data = self.cleaned_data
        scale = M2_PER_MU if data.get("area_unit") == "mu" else Decimal(1)

        def area(value: Decimal | None) -> Decimal | None:
            return None if value is None else (value * scale).quantize(Decimal("0.01"))

        park_ids = [int(pk) for pk in data.get("parks") or []]
        result = {
            "need_text": data.get("need_text", ""),
            "kind": data["kind"],
            "deal": data["deal"],
            "area_min_m2": area(data.get("area_min")),
            "area_max_m2": area(data.get("area_max")),
            "region_codes": list(data.get("regions") or []),
            "park_ids": park_ids,
            # One wanted park owns the lead in the staff inbox; otherwise matching decides.
            "park_id": park_ids[0] if len(park_ids) == 1 else None,
            "industry_code": data.get("industry") or None,
            # The industry row already read (the match needs it): saves reading it again.
            "industry": (
                self.industry_found
                if self.industry_found is not None
                and self.industry_found.code == data.get("industry")
                else None
            ),
            "mobile": data["mobile"],
            "consent": data["consent"],
            "source_page": data.get("source", ""),
            "source_carrier_id": data.get("carrier"),
        }
        for name in DETAIL_FIELDS:
            value = data.get(name)
            result[name] = int(value) if name == "power_kva" and value is not None else value
        return result


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


# ---------------------------------------------------------------------------------------
# Pre-filling: from a link (?park=&industry=&kind=…) and from a pasted message


def initial_from_query(params: Any) -> dict[str, Any]:
    """Initial values from /needs/new/?park=<id>&industry=<code>&kind=&deal=&carrier=<id>
    &area_min=&area_max=&source=<path>; anything invalid is ignored."""
    initial: dict[str, Any] = {"idempotency_key": new_idempotency_key(), "area_unit": "m2"}
    kind = params.get("kind", "")
    if kind in Lead.Kind.values:
        initial["kind"] = kind
    deal = params.get("deal", "")
    deal = {"sale": "buy", "出售": "buy", "出租": "rent", "租": "rent", "购": "buy"}.get(deal, deal)
    if deal in Lead.Deal.values:
        initial["deal"] = deal
    for name in ("area_min", "area_max"):
        try:
            value = Decimal(unicodedata.normalize("NFKC", params.get(name, "")).replace(",", ""))
        except (InvalidOperation, ValueError):
            continue
        if value.is_finite() and 0 < value <= 10000000:
            initial[name] = format(value.normalize(), "f")
    park = params.get("park", "")
    if park.isdigit() and Park.objects.filter(pk=int(park), is_active=True).exists():
        initial["parks"] = [park]
    industry = params.get("industry", "")
    if industry and Industry.objects.filter(code=industry[:4]).exists():
        initial["industry"] = industry[:4]
    carrier_id = params.get("carrier", "")
    if carrier_id.isdigit():
        from yuanqu.listings.models import Carrier

        carrier = (
            Carrier.objects.filter(pk=int(carrier_id)).only("id", "kind", "deal", "park_id").first()
        )
        if carrier is not None:
            initial["carrier"] = carrier.pk
            initial.setdefault("kind", carrier.kind)
            initial.setdefault(
                "deal", {"rent": "rent", "sale": "buy", "rent_to_buy": "rent_to_buy"}[carrier.deal]
            )
            initial.setdefault("parks", [str(carrier.park_id)])
    source = params.get("source", "")
    if source.startswith("/") and not source.startswith("//"):
        initial["source"] = source[:300]
    return initial


def initial_from_text(text: str, base: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Fill the form from a pasted message with the parser; returns the new initial values
    and the names of the fields that were filled (shown to the person to check)."""
    from yuanqu.matching.parsing import parse_text

    parsed = parse_text(text, as_="need")
    initial = dict(base)
    filled: list[str] = []

    def put(name: str, value: Any) -> None:
        if value in (None, "", [], ()):
            return
        initial[name] = value
        filled.append(name)

    put("kind", getattr(parsed, "kind", None))
    put("deal", getattr(parsed, "deal", None))
    low, high = getattr(parsed, "area_min_m2", None), getattr(parsed, "area_max_m2", None)
    if low or high:
        initial["area_unit"] = "m2"
        put("area_min", _plain(low))
        put("area_max", _plain(high))
    put("regions", [str(code) for code in getattr(parsed, "region_codes", None) or []])
    put("parks", [str(pk) for pk in getattr(parsed, "park_ids", None) or []])
    codes = list(getattr(parsed, "industry_codes", None) or [])
    if codes:
        put("industry", codes[0])
    put("height_m", _plain(getattr(parsed, "height_m", None)))
    put("load_t_m2", _plain(getattr(parsed, "load_t_m2", None)))
    put("power_kva", _plain(getattr(parsed, "power_kva", None)))
    put("crane_t", _plain(getattr(parsed, "crane_t", None)))
    eia = getattr(parsed, "eia_ok", None)
    if eia is not None:
        initial["eia_required"] = bool(eia)
        filled.append("eia_required")
    if not getattr(parsed, "price_negotiable", False):
        for attribute, unit in (
            ("price_yuan_m2_month", "yuan_m2_month"),
            ("price_wan_per_mu", "wan_per_mu"),
            ("price_wan_total", "wan_total"),
        ):
            value = getattr(parsed, attribute, None)
            if value:
                put("budget_value", _plain(value))
                initial["budget_unit"] = unit
                filled.append("budget_unit")
                break
    timing = getattr(parsed, "timing", None)

    def squeeze(text: Any) -> str:
        return str(text or "").replace(" ", "").replace("个", "").replace("-", "–")

    labels = {squeeze(label): value for value, label in Lead.Timing.choices}
    timing = labels.get(squeeze(timing), timing)
    if timing in Lead.Timing.values:
        put("timing", timing)
    initial["need_text"] = text
    return initial, filled


def _plain(value: Any) -> Any:
    if value is None:
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return format(number.quantize(Decimal("0.01")).normalize(), "f")
