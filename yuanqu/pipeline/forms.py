"""Forms of the project pages. They only parse input; the rules (what each stage needs, dates
never in the future, amounts above zero) live in `pipeline.services`, whose errors the views
put back beside the fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yuanqu.core.forms import IndustryCodeField, date_field
from yuanqu.leads.models import FollowUp
from yuanqu.listings.models import Carrier
from yuanqu.parks.models import Park
from yuanqu.pipeline.models import Problem, Project, Stage

CARRIER_CHOICES = 200
PARK_REFUSED = _("所选园区不存在或不在您的管理范围内。")


def _decimal(label: Any, *, places: int = 2, digits: int = 12, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=digits,
        decimal_places=places,
        min_value=Decimal(0),
        error_messages={
            "invalid": _("请填写数字。"),
            "min_value": _("不能为负数。"),
            "max_decimal_places": _("小数位过多。"),
            "max_digits": _("数值过大。"),
        },
        **kwargs,
    )


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, **kwargs)


class ProjectForm(forms.Form):
    """Create (with park and 洽谈开始日期) or edit a project's own fields."""

    name = forms.CharField(label=_("项目名称"), max_length=100)
    investor_name = forms.CharField(label=_("投资方"), max_length=100)
    investor_credit_code = forms.CharField(
        label=_("投资方统一社会信用代码"), max_length=40, required=False
    )
    park = forms.ModelChoiceField(
        label=_("落户园区"),
        queryset=Park.objects.none(),
        empty_label=_("请选择园区"),
        error_messages={"invalid_choice": PARK_REFUSED, "required": _("请选择园区。")},
    )
    source = forms.ChoiceField(label=_("来源"), choices=Project.Source.choices, initial="fair")
    met_on = date_field(_("开始洽谈日期"), help_text=_("不填则为今天。"))
    industry = IndustryCodeField()
    carrier_kind = forms.ChoiceField(
        label=_("载体类型"), required=False, choices=[("", "—"), *Carrier.Kind.choices]
    )
    area_m2 = _decimal(_("需求面积(㎡)"))
    land_parcel = forms.CharField(label=_("地块"), max_length=100, required=False)
    agreed_investment_yi = _decimal(_("协议投资(亿元)"), places=4)
    expected_output_wan = _decimal(_("预计年产值(万元)"), digits=14)
    expected_tax_wan = _decimal(_("预计年税收(万元)"), digits=14)
    jobs = forms.IntegerField(label=_("就业人数"), required=False, min_value=0)
    key_level = forms.ChoiceField(
        label=_("重点项目"), required=False, choices=Project.KeyLevel.choices
    )
    leader_name = forms.CharField(label=_("包挂领导"), max_length=50, required=False)
    planned_start_on = date_field(_("约定开工日期"))
    version = VersionField(required=False)

    CREATE_ONLY = ("park", "source", "met_on")

    def __init__(
        self, *args: Any, parks: QuerySet[Park] | None = None, instance: Project | None = None,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(instance, name)
                for name in self.base_fields
                if name not in self.CREATE_ONLY and name != "version"
            } | {"version": instance.version}
        super().__init__(*args, **kwargs)
        if instance is None:
            self.fields["park"].queryset = parks if parks is not None else Park.objects.none()  # type: ignore[attr-defined]
            del self.fields["version"]
        else:
            for name in self.CREATE_ONLY:
                del self.fields[name]
            self.fields["version"].required = True

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["investor_credit_code"] = (data.get("investor_credit_code") or "").strip().upper()
        for name in ("carrier_kind", "key_level", "land_parcel", "leader_name"):
            data[name] = data.get(name) or ""
        return data


class StageMoveForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("目标阶段"), choices=Stage.choices)
    effective_on = date_field(
        _("发生日期"), help_text=_("签约、拿地、开工或投产的日期,可补录,不能晚于今天。")
    )
    agreed_investment_yi = _decimal(_("协议投资(亿元)"), places=4)
    planned_start_on = date_field(_("约定开工日期"))
    land_mode = forms.ChoiceField(
        label=_("用地方式"), required=False, choices=[("", "—"), *Project.LandMode.choices]
    )
    land_mu = _decimal(_("土地面积(亩)"), digits=10)
    land_parcel = forms.CharField(label=_("地块"), max_length=100, required=False)
    carrier_id = forms.TypedChoiceField(
        label=_("租赁载体"), required=False, coerce=int, empty_value=None
    )
    enterprise_credit_code = forms.CharField(
        label=_("投产企业统一社会信用代码"),
        required=False,
        max_length=40,
        help_text=_("投产时可关联企业库中本园区的企业。"),
    )
    reason = forms.CharField(
        label=_("原因/说明"),
        max_length=200,
        required=False,
        help_text=_("终止或退回上一阶段时必填。"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = VersionField()

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "move_%s")
        super().__init__(*args, **kwargs)

        self.fields["to_stage"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in Stage.choices if value != project.stage
        ]
        # Carriers still on offer (or the one already linked): a short list, not the park's
        # whole history.
        carriers = Carrier.objects.filter(park_id=project.park_id).filter(
            Q(status__in=(Carrier.Status.AVAILABLE, Carrier.Status.RESERVED))
            | Q(pk=project.carrier_id or 0)
        )
        carrier_choices = [
            (carrier.pk, carrier.title)
            for carrier in carriers.order_by("title").only("pk", "title")[:CARRIER_CHOICES]
        ]
        self.fields["carrier_id"].choices = [("", "—"), *carrier_choices]  # type: ignore[attr-defined]


class AssignForm(forms.Form):
    officer = forms.ModelChoiceField(
        label=_("负责人"),
        queryset=Park.objects.none(),
        required=False,
        empty_label=_("—— 不指定 ——"),
        error_messages={"invalid_choice": _("只能分配给该园区的招商人员。")},
    )
    version = VersionField()

    def __init__(self, *args: Any, officers: QuerySet, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "assign_%s")
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers  # type: ignore[attr-defined]


class FundingForm(forms.Form):
    received_on = date_field(_("到位日期"), required=True)
    amount_yi = _decimal(_("到位资金(亿元)"), places=4)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "funding_%s")  # several forms share a page
        super().__init__(*args, **kwargs)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("节点"), max_length=100)
    due_on = date_field(_("计划完成日期"), required=True)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "milestone_%s")  # several forms share a page
        super().__init__(*args, **kwargs)


class MilestoneDoneForm(forms.Form):
    done_on = date_field(_("实际完成日期"), required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "done_%s")  # several forms share a page
        super().__init__(*args, **kwargs)


class ProblemForm(forms.Form):
    description = forms.CharField(
        label=_("问题描述"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    department = forms.CharField(label=_("责任部门"), max_length=100)
    raised_on = date_field(_("提出日期"), required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "problem_%s")  # several forms share a page
        super().__init__(*args, **kwargs)


class ProblemUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=Problem.Status.choices)
    resolution = forms.CharField(
        label=_("解决情况"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    resolved_on = date_field(_("解决日期"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "problem_update_%s")  # several forms share a page
        super().__init__(*args, **kwargs)


class FollowUpForm(forms.Form):
    channel = forms.ChoiceField(label=_("方式"), choices=FollowUp.Channel.choices)
    happened_at = forms.DateTimeField(
        label=_("跟进时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        error_messages={"invalid": _("请输入有效时间。"), "required": _("请填写跟进时间。")},
    )
    notes = forms.CharField(
        label=_("记录"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial", {"happened_at": timezone.localtime().replace(second=0, microsecond=0)}
        )
        kwargs.setdefault("auto_id", "follow_%s")
        super().__init__(*args, **kwargs)
