"""Forms of the credit bank pages: every input bounded; the services check the rest and name the field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jineng.credits.models import Category, ConversionTarget
from jineng.refdata.widgets import RegionInput

_DATE = forms.DateInput(attrs={"type": "date"})


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


class DecideForm(forms.Form):
    prefix = "dec"

    reason = forms.CharField(label=_("审核意见"), max_length=300, required=False)


class ConversionForm(forms.Form):
    prefix = "conv"

    target = forms.ChoiceField(label=_("转换用途"), choices=ConversionTarget.choices)
    target_label = forms.CharField(label=_("免修模块或免考评价"), max_length=200)
    credits = forms.DecimalField(label=_("使用学分（免修学时时填）"), required=False, min_value=0, max_value=100,
                                 decimal_places=1, max_digits=4)  # fmt: skip
    category = forms.ChoiceField(label=_("使用类别"), required=False,
                                 choices=[("", _("全部类别"))] + list(Category.choices))  # fmt: skip
    region = forms.CharField(label=_("办理地区"), max_length=6, min_length=6, widget=RegionInput())
    reason = forms.CharField(label=_("依据"), max_length=300)
