from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yuanqu.accounts.pii import REASON_MAX_LENGTH, display_mobile, lead_mobile_reveal


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。连续多次失败后账户和 IP 会被暂时锁定。"),
        "inactive": _("该账户已停用。"),
    }


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("动态验证码"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}
        ),
        help_text=_("身份验证器 App 中显示的 6 位数字。"),
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit():
            raise forms.ValidationError(_("验证码只包含数字。"))
        return token


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("查看理由"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.TextInput(attrs={"placeholder": _("例如:电话回访,确认用地需求")}),
        help_text=_("查看手机号会被记录(查看人、时间、线索和理由)。"),
    )

    def reveal(self, *, request, lead) -> str:
        """Run the logged reveal for this POST; a refused reason lands on the form as an error.

        The service checks the permission first (logging a refusal and raising 403), then the
        reason, then writes the access-log row; the number is returned, never put in a URL.
        """
        try:
            return display_mobile(
                lead_mobile_reveal(
                    user=request.user,
                    lead=lead,
                    reason=request.POST.get("reason", ""),
                    request=request,
                )
            )
        except ValidationError as error:
            self.add_error("reason", error)
            return ""
