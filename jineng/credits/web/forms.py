"""Forms of the credit bank pages: every input bounded; the services check the rest and name the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jineng.credits.models import Category, ConsentMethod, ConversionTarget
from jineng.refdata.widgets import RegionInput

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what a date input reads


class RecognitionForm(forms.Form):
    prefix = "rec"

    id_number = forms.CharField(label=_("证件号码"), max_length=20)
    name = forms.CharField(label=_("姓名"), max_length=60)
    region = forms.CharField(label=_("认定地区"), max_length=6, min_length=6, widget=RegionInput())
    from_region = forms.CharField(label=_("原记录地区代码"), max_length=6, min_length=6,
                                  help_text=_("外地行政区划的 6 位代码（省、市或区县）"))  # fmt: skip
    record_ref = forms.CharField(label=_("原记录编号"), max_length=60)
    issuer = forms.CharField(label=_("原记录出具单位"), max_length=200)
    description = forms.CharField(label=_("原记录内容"), max_length=300)
    category = forms.ChoiceField(label=_("学分类别"), choices=Category.choices)
    credits = forms.DecimalField(label=_("申请学分"), min_value=0, max_value=100, decimal_places=1, max_digits=4)
    earned_on = forms.DateField(label=_("取得日期"), widget=_DATE)

    def clean_id_number(self) -> str:
        """A number that cannot be an ID (length, characters, birth date, 校验位) says why — before any look-up, so
        "不符" is only ever said of a well-formed number."""
        from jineng.common.errors import DomainError
        from jineng.registry.api import check_id_number

        raw = self.cleaned_data["id_number"]
        try:
            return str(check_id_number(raw).number)
        except DomainError as exc:
            raise forms.ValidationError(exc.fields[0].message if exc.fields else str(exc)) from None


class DecideForm(forms.Form):
    prefix = "dec"

    reason = forms.CharField(label=_("审核意见"), max_length=300, required=False)


def region_choices(user: Any, permission: str = "records.review") -> list[tuple[str, str]]:
    """The regions the user holds ``permission`` over, named (广州市 · 天河区), highest first — the handling region
    is picked, never typed."""
    from jineng.accounts.api import principal_for
    from jineng.refdata.api import Region

    codes = principal_for(user).regions_with(permission)
    rows = Region.objects.filter(code__in=codes).select_related("parent")
    named = {r.code: (f"{r.parent.name} · {r.name}" if r.level == "county" and r.parent else r.name) for r in rows}
    return sorted(((c, named.get(c, c)) for c in codes), key=lambda p: (p[0][2:] != "0000", p[0][4:] != "00", p[0]))


class ConversionForm(forms.Form):
    prefix = "conv"

    target = forms.ChoiceField(label=_("转换用途"), choices=ConversionTarget.choices)
    target_label = forms.CharField(label=_("免修模块或免考评价"), max_length=200)
    credits = forms.DecimalField(label=_("使用学分（免修学时时填）"), required=False, min_value=0, max_value=100,
                                 decimal_places=1, max_digits=4)  # fmt: skip
    category = forms.ChoiceField(label=_("使用类别"), required=False,
                                 choices=[("", _("全部类别"))] + list(Category.choices))  # fmt: skip
    region = forms.ChoiceField(label=_("办理地区"))
    reason = forms.CharField(label=_("依据"), max_length=300)
    consent_method = forms.ChoiceField(label=_("本人同意方式"), choices=ConsentMethod.choices)
    consent_ref = forms.CharField(label=_("同意凭证"), max_length=60,
                                  help_text=_("本人签字申请表的编号或存档位置"))  # fmt: skip
    consent_on = forms.DateField(label=_("同意日期"), widget=_DATE)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = region_choices(user) if user is not None else []


TOKEN_MAX = 64 * 1024  # the certificates' verifier bound on a credential


class TranscriptVerifyForm(forms.Form):
    """核验学分证明 — the signed transcript pasted, or its ``.jwt`` file uploaded (one of the two)."""

    token = forms.CharField(label=_("粘贴学分证明（JWT 文本）"), required=False, max_length=TOKEN_MAX,
                            widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}))  # fmt: skip
    file = forms.FileField(label=_("或上传学分证明文件（.jwt）"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        token, upload = (data.get("token") or "").strip(), data.get("file")
        if upload is not None:
            if upload.size is None or upload.size > TOKEN_MAX:
                raise forms.ValidationError(_("文件过大：学分证明不超过 64 KB。"))
            try:
                token = upload.read(TOKEN_MAX + 1).decode("utf-8").strip()
            except UnicodeDecodeError:
                raise forms.ValidationError(_("文件不是文本格式的学分证明（.jwt）。")) from None
        if not token:
            raise forms.ValidationError(_("请粘贴学分证明，或上传其文件。"))
        data["token"] = token
        return data
