"""Forms of the evaluation and certificate pages. They only parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jineng.certificates.models import EvaluationRoute
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
    training_class_id = forms.CharField(
        label=_("培训班编号"), max_length=40, widget=forms.TextInput(attrs={"placeholder": "K440106202600005"})
    )


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


class FilingForm(_Form):
    organization_credit_code = forms.CharField(label=_("机构统一社会信用代码"), max_length=18)
    route = forms.ChoiceField(label=_("评价途径"), choices=EvaluationRoute.choices)
    occupation = forms.CharField(label=_("职业（工种）"), max_length=20, widget=OccupationInput())
    level = forms.CharField(
        label=_("技能等级"), max_length=24, required=False, widget=LevelSelect(blank_label=_("不分等级"))
    )
    valid_from = _date(_("备案日期"))
    valid_until = _date(_("有效期至"), required=False)
    document_number = forms.CharField(label=_("备案文号"), max_length=60, required=False)


class VerifyForm(forms.Form):
    number = forms.CharField(label=_("证书编号"), max_length=60,
                             error_messages={"max_length": _("证书编号最多 60 个字符。")})  # fmt: skip
    name = forms.CharField(label=_("持证人姓名"), max_length=60,
                           error_messages={"max_length": _("持证人姓名最多 60 个字符。")})  # fmt: skip
