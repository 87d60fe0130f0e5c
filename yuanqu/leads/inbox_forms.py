"""Forms of the lead page's actions. They parse input; the rules live in leads.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yuanqu.core.forms import date_field
from yuanqu.leads.models import FollowUp


class LeadFollowUpForm(forms.Form):
    channel = forms.ChoiceField(label=_("方式"), choices=FollowUp.Channel.choices)
    happened_at = forms.DateTimeField(
        label=_("跟进时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        error_messages={"invalid": _("请输入有效时间。"), "required": _("请填写跟进时间。")},
    )
    outcome = forms.ChoiceField(label=_("结果"), choices=FollowUp.Outcome.choices)
    notes = forms.CharField(
        label=_("记录"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("请填写跟进记录。"),
            "max_length": _("记录不能超过 2000 字。"),
        },
    )
    next_follow_up_on = date_field(_("下次跟进日期"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        now = timezone.localtime().replace(second=0, microsecond=0)
        kwargs.setdefault("initial", {"happened_at": now})
        kwargs.setdefault("auto_id", "follow_%s")
        super().__init__(*args, **kwargs)


class LeadAssignForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=_("跟进人"),
        queryset=get_user_model().objects.none(),
        empty_label=_("请选择"),
        error_messages={
            "invalid_choice": _("只能分配给该线索所属园区的招商人员。"),
            "required": _("请选择跟进人。"),
        },
    )

    def __init__(self, *args: Any, officers: QuerySet, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "assign_%s")
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = officers  # type: ignore[attr-defined]


class LeadInvalidateForm(forms.Form):
    reason = forms.CharField(
        label=_("无效原因"),
        max_length=200,
        error_messages={
            "required": _("请填写无效原因。"),
            "max_length": _("原因不能超过 200 字。"),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "invalid_%s")  # several forms share a page
        super().__init__(*args, **kwargs)


class LeadReopenForm(forms.Form):
    reason = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "reopen_%s")  # several forms share a page
        super().__init__(*args, **kwargs)


class LeadMergeForm(forms.Form):
    other = forms.CharField(
        label=_("要并入的线索编号"),
        max_length=20,
        help_text=_("同一公司的另一条线索(如 XQ20261201-0003);它的提交和跟进记录将并入本线索。"),
        error_messages={"required": _("请填写线索编号。")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "merge_%s")  # several forms share a page
        super().__init__(*args, **kwargs)
