"""Forms of the competition pages: every input bounded; the services check the rest and name the field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jineng.competitions.models import EventClass, EventLevel
from jineng.refdata.widgets import OccupationInput, RegionInput

_DATE = forms.DateInput(attrs={"type": "date"})


class EventForm(forms.Form):
    name = forms.CharField(label=_("赛事名称"), max_length=200)
    level = forms.ChoiceField(label=_("级别"), choices=EventLevel.choices)
    event_class = forms.ChoiceField(label=_("类别"), choices=EventClass.choices, required=False,
                                    help_text=_("一类、二类只适用于省级赛事"))  # fmt: skip
    occupation = forms.CharField(label=_("职业（工种）"), max_length=20, widget=OccupationInput())
    region = forms.CharField(label=_("赛事所在地区"), max_length=6, min_length=6, widget=RegionInput())
    approving_department = forms.CharField(label=_("批准部门"), max_length=200)
    starts_on = forms.DateField(label=_("开赛日期"), widget=_DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=_DATE)
    min_age = forms.IntegerField(label=_("最低年龄"), min_value=14, max_value=80, initial=16)
    max_age = forms.IntegerField(label=_("最高年龄"), min_value=14, max_value=80, initial=65)


class RegisterForm(forms.Form):
    prefix = "reg"

    id_number = forms.CharField(label=_("证件号码"), max_length=20)
    name = forms.CharField(label=_("姓名"), max_length=60)
    team_name = forms.CharField(label=_("团队（个人赛不填）"), max_length=100, required=False)


class ResultForm(forms.Form):
    prefix = "res"

    id_number = forms.CharField(label=_("证件号码"), max_length=20)
    score = forms.CharField(label=_("成绩"), max_length=10)
    rank = forms.CharField(label=_("名次"), max_length=6)


class ApproveForm(forms.Form):
    prefix = "apv"

    document_number = forms.CharField(label=_("批准文号"), max_length=60)


class ReasonForm(forms.Form):
    prefix = "rej"

    reason = forms.CharField(label=_("原因"), max_length=300)


class RestateForm(forms.Form):
    prefix = "rst"

    result = forms.UUIDField(widget=forms.HiddenInput())
    score = forms.CharField(label=_("更正后成绩"), max_length=10)
    rank = forms.CharField(label=_("更正后名次"), max_length=6)
    reason = forms.CharField(label=_("更正原因"), max_length=300)
