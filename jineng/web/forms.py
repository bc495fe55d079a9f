"""Forms of the shell pages. Validation of meaning happens in the services; forms only parse."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jineng.accounts.api import OIDC_REQUIRED_FLAG, Function
from jineng.refdata.settings_registry import SPECS
from jineng.refdata.widgets import RegionInput


class BootstrapForm(forms.Form):
    """Adds Bootstrap's classes to every widget (no inline styles: the CSP forbids them)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。"),
        "inactive": _("该账号已停用。"),
        "oidc_required": _("该账号须使用统一身份认证登录，不能使用密码登录。"),
    }

    def clean(self) -> dict[str, object]:
        try:
            return super().clean()
        except forms.ValidationError:
            if getattr(self.request, OIDC_REQUIRED_FLAG, False):  # the password was right, the way is not
                raise forms.ValidationError(self.error_messages["oidc_required"], code="oidc_required") from None
            raise


class SettingForm(BootstrapForm):
    # Read when the form is shown: every registered setting, named in the reader's language.
    key = forms.ChoiceField(label=_("参数"), choices=lambda: [(k, s.shown_label()) for k, s in SPECS.items()])
    region = forms.CharField(label=_("地区"), max_length=6, widget=RegionInput())
    # Money settings are stored in 分 and typed in 元 (3.29 元 → 329); the others are whole numbers (issue 15).
    value = forms.DecimalField(
        label=_("取值"),
        max_digits=15,
        decimal_places=2,
        min_value=0,
        help_text=_("金额类参数按元填写，可到分（如 3.29）；临界值可填两位小数；其他参数填整数。"),
    )
    valid_from = forms.DateField(
        label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )  # a date input only takes ISO dates; the locale's format would leave it empty
    reason = forms.CharField(label=_("调整原因"), max_length=300)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        spec, value = SPECS.get(data.get("key") or ""), data.get("value")
        if spec is None or value is None:
            return data
        if spec.hundredths:  # 元 → 分, z → z×100
            data["value"] = int(value * 100)  # exact: a Decimal of at most two places, never a float
        elif value != value.to_integral_value():
            self.add_error("value", gettext("%(label)s须为整数（单位：%(unit)s）。") % {"label": gettext(spec.label),
                                                                                 "unit": gettext(spec.unit)})  # fmt: skip
        else:
            data["value"] = int(value)
        return data


class UserGrantForm(BootstrapForm):
    username = forms.CharField(label=_("用户名"), max_length=150)
    display_name = forms.CharField(label=_("姓名"), max_length=100, required=False)
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput, max_length=128)
    function = forms.ChoiceField(label=_("职能"), choices=Function.choices)
    region = forms.CharField(label=_("地区（地区职能）"), max_length=6, required=False, widget=RegionInput())
    organization = forms.CharField(
        label=_("所属组织统一社会信用代码（机构/企业/评价机构人员）"), max_length=18, required=False
    )
    valid_until = forms.DateTimeField(
        label=_("授权截止（检查员/审计）"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class TokenForm(BootstrapForm):
    label = forms.CharField(label=_("令牌用途"), max_length=100, required=False)


class OtpTokenForm(BootstrapForm):
    token = forms.CharField(
        label=_("动态口令"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class PasswordChangeForm(BootstrapForm):
    old_password = forms.CharField(
        label=_("当前密码"), max_length=128, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password = forms.CharField(
        label=_("新密码"), max_length=128, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    new_password_again = forms.CharField(
        label=_("再次输入新密码"), max_length=128, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("两次输入的新密码不一致。"))
        return data


class UserSecurityForm(BootstrapForm):
    """The security administrator's actions on one account: reset the password or the second factor."""

    user_id = forms.UUIDField(widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[("password", "password"), ("otp", "otp")], widget=forms.HiddenInput)
    password = forms.CharField(label=_("新的初始密码"), max_length=128, required=False, widget=forms.PasswordInput)
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)
