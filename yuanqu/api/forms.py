from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yuanqu.api.models import AccessToken
from yuanqu.api.tokens import EXPIRY_CHOICES_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("用途"),
        max_length=60,
        help_text=_("例如:园区小程序、统计局数据对接"),
        error_messages={"required": _("请写明令牌的用途。")},
    )
    scope = forms.ChoiceField(
        label=_("权限"), choices=AccessToken.Scope.choices, initial=AccessToken.Scope.READ
    )
    days = forms.TypedChoiceField(
        label=_("有效期"),
        coerce=int,
        choices=[(days, _("%(days)s 天") % {"days": days}) for days in EXPIRY_CHOICES_DAYS],
        initial=90,
    )

    def __init__(self, *args: Any, read_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if read_only:
            # Leadership changes nothing in the workbench, so its tokens only read.
            self.fields["scope"].choices = [  # type: ignore[attr-defined]
                (AccessToken.Scope.READ, AccessToken.Scope.READ.label)
            ]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("请写明令牌的用途。"))
        return name
