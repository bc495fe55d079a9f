"""Forms of the evaluation and certificate pages. They only parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jineng.certificates.models import EvaluationRoute
from jineng.common.codes import CREDIT_CHARSET, credit_code_check_char
from jineng.refdata.widgets import LevelSelect, OccupationInput, RegionInput


class _Form(forms.Form):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
                continue
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class SessionForm(_Form):
    occupation = forms.CharField(label=_("职业（工种）"), max_length=20, widget=OccupationInput())
    level = forms.CharField(
        label=_("技能等级"),
        max_length=24,
        required=False,
        help_text=_("专项职业能力考核不选等级"),
        widget=LevelSelect(blank_label=_("不分等级")),
    )
    venue_region = forms.CharField(label=_("考场所在区县"), max_length=6, widget=RegionInput())
    venue_address = forms.CharField(label=_("考场地址"), max_length=300)
    starts_at = forms.DateTimeField(
        label=_("开考时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    duration_minutes = forms.IntegerField(label=_("考试时长（分钟）"), min_value=1, max_value=1440)
    terminals = forms.CharField(label=_("登记考试终端"), required=False, help_text=_("终端编号，以逗号分隔"))


class ExaminerForm(_Form):
    pool_role_id = forms.UUIDField(label=_("考评员"))


class CandidateForm(_Form):
    id_number = forms.CharField(
        label=_("身份证号码"), max_length=30, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )


class FromClassForm(_Form):
    """A select of the completed classes the session can take trainees from (their 开班编号 as values; the service
    still checks the class)."""

    training_class_id = forms.CharField(label=_("已结业培训班（结业合格人数）"), max_length=40, widget=forms.Select())

    def __init__(self, *args: Any, classes: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        blank = _("请选择培训班") if classes else _("暂无该职业等级的已结业培训班")
        widget = self.fields["training_class_id"].widget
        assert isinstance(widget, forms.Select)
        widget.choices = [("", blank), *(classes or [])]


class ResultForm(_Form):
    candidate_id = forms.CharField(label=_("考生"), max_length=40)
    examiner_id = forms.CharField(label=_("考评员"), max_length=40, required=False)
    theory_score = forms.DecimalField(label=_("理论成绩"), required=False, max_digits=6, decimal_places=2)
    practical_score = forms.DecimalField(label=_("实操成绩"), required=False, max_digits=6, decimal_places=2)
    absent = forms.BooleanField(label=_("缺考"), required=False)
    terminal = forms.CharField(label=_("考试终端"), max_length=60, required=False)


class ReasonForm(_Form):
    reason = forms.CharField(label=_("原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class CorrectForm(_Form):
    holder_name = forms.CharField(label=_("姓名"), max_length=60, required=False)
    occupation = forms.CharField(label=_("职业（工种）"), max_length=20, required=False, widget=OccupationInput())
    level = forms.CharField(label=_("技能等级"), max_length=24, required=False, widget=LevelSelect())
    issued_on = _date(_("发证日期"), required=False)
    reason = forms.CharField(label=_("更正原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class KnownOrganizationInput(forms.TextInput):
    """A credit-code box bound to a ``<datalist>`` of the organizations the user may file (typing a name or a code
    lists them; choosing one puts its code in the box). Without JavaScript the box still takes a typed code."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.known: list[tuple[str, str]] = []

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or 'id_' + name}_options"
        attrs.update({"list": list_id, "placeholder": gettext("输入机构名称或统一社会信用代码查找")})
        box = super().render(name, value, attrs, renderer)
        options = format_html_join("", '<option value="{}" translate="no">{}</option>', self.known)
        return format_html('{}<datalist id="{}">{}</datalist>', box, list_id, options)


class FilingForm(_Form):
    organization_credit_code = forms.CharField(
        label=_("评价机构（统一社会信用代码）"), max_length=18, widget=KnownOrganizationInput()
    )
    route = forms.ChoiceField(label=_("评价途径"), choices=EvaluationRoute.choices)
    occupation = forms.CharField(label=_("职业（工种）"), max_length=20, widget=OccupationInput())
    level = forms.CharField(
        label=_("技能等级"), max_length=24, required=False, widget=LevelSelect(blank_label=_("不分等级"))
    )
    valid_from = _date(_("备案日期"))
    valid_until = _date(_("有效期至"), required=False)
    document_number = forms.CharField(label=_("备案文号"), max_length=60, required=False)

    def __init__(self, *args: Any, organizations: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        widget = self.fields["organization_credit_code"].widget
        assert isinstance(widget, KnownOrganizationInput)
        widget.known = organizations or []

    def clean_organization_credit_code(self) -> str:
        """18 characters of the code's alphabet with a correct check character (GB 32100-2015), before any look-up."""
        code = "".join(str(self.cleaned_data["organization_credit_code"]).split()).upper()
        if len(code) != 18:
            raise forms.ValidationError(_("统一社会信用代码须为18位（现为 %(n)d 位）。"), params={"n": len(code)})
        if any(c not in CREDIT_CHARSET for c in code) or not code[2:8].isdigit():
            raise forms.ValidationError(
                _("统一社会信用代码含有不允许的字符（不使用 I、O、S、V、Z；第3–8位为行政区划代码）。")
            )
        if credit_code_check_char(code[:17]) != code[17]:
            raise forms.ValidationError(_("统一社会信用代码校验位不正确：请核对后重新输入。"))
        return code


class VerifyForm(forms.Form):
    number = forms.CharField(label=_("证书编号"), max_length=60,
                             error_messages={"max_length": _("证书编号最多 60 个字符。")})  # fmt: skip
    name = forms.CharField(label=_("持证人姓名"), max_length=60,
                           error_messages={"max_length": _("持证人姓名最多 60 个字符。")})  # fmt: skip
