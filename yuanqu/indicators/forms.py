from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class MonthForm(forms.Form):
    """?year=2026&month=6 on every dashboard page; blank means the newest month with data."""

    year = forms.IntegerField(
        label=_("年份"),
        min_value=2000,
        max_value=2100,
        required=False,
        error_messages={"min_value": _("年份应在 2000–2100 之间。"),
                        "max_value": _("年份应在 2000–2100 之间。"),
                        "invalid": _("年份应为四位数字。")},
    )  # fmt: skip
    month = forms.IntegerField(
        label=_("月份"),
        min_value=1,
        max_value=12,
        required=False,
        error_messages={"min_value": _("月份应在 1–12 之间。"),
                        "max_value": _("月份应在 1–12 之间。"),
                        "invalid": _("月份应为 1–12 的数字。")},
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("year") is None) != (data.get("month") is None) and not self.errors:
            raise forms.ValidationError(_("请同时选择年份和月份。"))
        return data


class ReportForm(MonthForm):
    """The printed report: ?year=2026&month=6, and &park=ID for one park (else the city)."""

    park = forms.IntegerField(
        required=False, min_value=1, error_messages={"invalid": _("园区编号无效。")}
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("工作簿(.xlsx)"),
        error_messages={"required": _("请选择要导入的工作簿。")},
    )
