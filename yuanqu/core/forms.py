"""Form pieces every staff page uses: an HTML date input, and a GB/T 4754 industry code field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yuanqu.core.models import Industry

DATE_INVALID = _("请输入有效日期(YYYY-MM-DD)。")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_field(label: Any, *, required: bool = False, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        error_messages={"invalid": DATE_INVALID, "required": _("请填写日期。")},
        **kwargs,
    )


class IndustryCodeField(forms.CharField):
    """A GB/T 4754-2017 code typed as text (C, 35, 3514); cleans to the Industry or None."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("行业代码"))
        kwargs.setdefault("help_text", _("GB/T 4754-2017,如 C、35、3514。"))
        super().__init__(required=False, max_length=4, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        return value.code if isinstance(value, Industry) else value

    def clean(self, value: Any) -> Industry | None:  # type: ignore[override]
        code = (super().clean(value) or "").strip().upper()
        if not code:
            return None
        industry = Industry.objects.filter(code=code).first()
        if industry is None:
            raise ValidationError(_("行业代码“%(code)s”不存在(GB/T 4754-2017)。") % {"code": code})
        return industry
