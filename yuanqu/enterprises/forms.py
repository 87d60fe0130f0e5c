"""Forms of the enterprise pages. They parse input into service `data`; the rules live in
`services.enterprise_clean` so the form and the Excel import cannot drift apart."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from yuanqu.core.forms import date_field
from yuanqu.core.models import Industry
from yuanqu.enterprises import credit_code as credit_codes
from yuanqu.enterprises.models import CultivationTarget, Enterprise
from yuanqu.enterprises.selectors import FLAG_CHOICES
from yuanqu.parks.models import Park

PARK_REFUSED = _("所选园区不存在或不在您的管理范围内。")


def _date(label: Any) -> forms.DateField:
    return date_field(label)


class EnterpriseForm(forms.Form):
    name = forms.CharField(label=_("企业名称"), max_length=100)
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=40,  # full-width or spaced input is normalised to 18 characters
        help_text=_("18 位,不含 I、O、Z、S、V;全角字符和空格会自动转换。"),
    )
    park = forms.ModelChoiceField(
        label=_("所在园区"),
        queryset=Park.objects.none(),
        empty_label=_("请选择园区"),
        error_messages={"invalid_choice": PARK_REFUSED, "required": _("请选择所在园区。")},
    )
    industry_code = forms.CharField(
        label=_("行业代码"),
        required=False,
        max_length=4,
        help_text=_("GB/T 4754-2017,如 C、35、3514。"),
    )
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    high_tech_certified_on = _date(_("高新技术企业认定日期"))
    high_tech_certificate_no = forms.CharField(
        label=_("高企证书编号"), max_length=40, required=False
    )
    high_tech_expires_on = _date(_("高企证书有效期至"))
    tech_sme_since = _date(_("科技型中小企业入库日期"))
    above_scale_type = forms.ChoiceField(
        label=_("四上类型"),
        required=False,
        choices=[("", _("—— 非四上 ——")), *Enterprise.AboveScaleType.choices],
    )
    above_scale_since = _date(_("纳入四上日期"))
    specialised_level = forms.ChoiceField(
        label=_("专精特新等级"),
        required=False,
        choices=[("", _("—— 无 ——")), *Enterprise.SpecialisedLevel.choices],
    )
    specialised_since = _date(_("专精特新认定日期"))
    gazelle_since = _date(_("瞪羚企业认定日期"))
    unicorn_since = _date(_("独角兽企业认定日期"))

    def __init__(
        self, *args: Any, parks: QuerySet[Park], instance: Enterprise | None = None, **kwargs: Any
    ) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(instance, name)
                for name in self.base_fields
                if name not in ("park", "industry_code")
            } | {"park": instance.park_id, "industry_code": instance.industry_id or ""}
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = parks  # type: ignore[attr-defined]
        self.industry: Industry | None = None

    def clean_credit_code(self) -> str:
        try:
            return credit_codes.parse(self.cleaned_data["credit_code"]).value
        except credit_codes.CreditCodeError as error:
            raise ValidationError(str(error)) from None

    def clean_industry_code(self) -> str:
        code = (self.cleaned_data.get("industry_code") or "").strip().upper()
        if not code:
            self.industry = None
            return ""
        self.industry = Industry.objects.filter(code=code).first()
        if self.industry is None:
            raise ValidationError(_("行业代码“%(code)s”不存在(GB/T 4754-2017)。") % {"code": code})
        return code

    def forged_park_value(self) -> str | None:
        """The posted park when it names a real park outside the choices (a forged id, worth
        a security event), else None."""
        if not self.is_bound or "park" not in self.errors:
            return None
        raw = str(self.data.get("park") or "")
        if raw.isdigit() and Park.objects.filter(pk=int(raw)).exists():
            return raw
        return None

    def data_for_service(self) -> dict[str, Any]:
        data = {name: value for name, value in self.cleaned_data.items() if name != "industry_code"}
        data["industry"] = self.industry
        return data


class EnterpriseFilterForm(forms.Form):
    """The list page's filters (rendered only; the selector parses the query itself)."""

    q = forms.CharField(label=_("搜索"), required=False)
    park = forms.ChoiceField(label=_("园区"), required=False)
    flag = forms.ChoiceField(
        label=_("培育标签"), required=False, choices=[("", _("全部")), *FLAG_CHOICES]
    )
    industry = forms.CharField(
        label=_("行业(门类或大类)"), required=False, max_length=2, help_text=_("如 C 或 35")
    )

    def __init__(self, *args: Any, parks: QuerySet[Park], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["park"].choices = [("", _("全部园区"))] + [  # type: ignore[attr-defined]
            (str(park.pk), park.name) for park in parks
        ]
        self.fields["q"].widget.attrs["placeholder"] = _("企业名称或统一社会信用代码")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel 文件(.xlsx)"),
        error_messages={"required": _("请选择要导入的 Excel 文件。")},
    )


class TargetsForm(forms.Form):
    """One park's targets for one year: a number per kind, blank removes the target."""

    park = forms.IntegerField(widget=forms.HiddenInput)
    year = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in CultivationTarget.Kind.choices:
            self.fields[f"target_{kind}"] = forms.IntegerField(
                label=label,
                required=False,
                min_value=0,
                max_value=100000,
                error_messages={
                    "invalid": _("请输入整数。"),
                    "min_value": _("目标数不能为负。"),
                    "max_value": _("目标数不能超过 100000。"),
                },
            )
            self.fields[f"note_{kind}"] = forms.CharField(
                label=_("说明"), required=False, max_length=200
            )

    def targets(self) -> dict[str, int | None]:
        return {
            kind: self.cleaned_data.get(f"target_{kind}") for kind in CultivationTarget.Kind.values
        }

    def notes(self) -> dict[str, str]:
        return {
            kind: self.cleaned_data.get(f"note_{kind}") or ""
            for kind in CultivationTarget.Kind.values
        }

    def kind_fields(self) -> list[tuple[Any, Any]]:
        """(target field, note field) pairs for the template."""
        return [
            (self[f"target_{kind}"], self[f"note_{kind}"]) for kind in CultivationTarget.Kind.values
        ]
