from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yuanqu.listings.models import Carrier, SavedSearch
from yuanqu.listings.services import EDITABLE_FIELDS
from yuanqu.parks.models import Park


class SavedSearchForm(forms.Form):
    qs = forms.CharField(widget=forms.HiddenInput, required=False, max_length=1000)
    channel = forms.ChoiceField(
        label=_("提醒方式"),
        choices=SavedSearch.Channel.choices,
        widget=forms.RadioSelect,
        initial=SavedSearch.Channel.EMAIL,
    )
    email = forms.CharField(
        label=_("电子邮件"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    mobile = forms.CharField(
        label=_("手机号"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    frequency = forms.ChoiceField(
        label=_("频率"),
        choices=SavedSearch.Frequency.choices,
        widget=forms.RadioSelect,
        initial=SavedSearch.Frequency.INSTANT,
    )
    consent = forms.BooleanField(
        label=_("我同意平台为发送载体提醒而处理我的邮箱或手机号,可随时一键退订(退订即删除)。"),
        required=False,
    )


class VerificationCodeForm(forms.Form):
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class CarrierForm(forms.ModelForm):
    """The staff form; the services validate again and keep the normalised columns."""

    class Meta:
        model = Carrier
        fields = ["park", *EDITABLE_FIELDS]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, parks=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = parks if parks is not None else Park.objects.none()  # type: ignore[attr-defined]
        self.fields["status"].required = False

    def _post_clean(self) -> None:
        # Model validation (constraints) is the service's job; it names fields in Chinese.
        pass

    def values(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in EDITABLE_FIELDS}
        if not data.get("status"):
            data["status"] = Carrier.Status.AVAILABLE
        return data


class PasteAdForm(forms.Form):
    text = forms.CharField(
        label=_("粘贴房源信息"),
        max_length=5000,
        widget=forms.Textarea(
            attrs={
                "rows": 5,
                "placeholder": _(
                    "例:铜山经开区独门独院厂房出租,面积5000平,层高10米,承重3吨,配电800kVA,"
                    "10吨行车,可环评,0.6元/平/天"
                ),
            }
        ),
    )


class PhotoUploadForm(forms.Form):
    image = forms.FileField(label=_("图片(JPEG/PNG/WebP,≤ 8 MB)"))
    caption = forms.CharField(label=_("说明"), max_length=100, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件(.xlsx)"))
