"""Forms of the competition pages: every input bounded; the services check the rest and name the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jineng.competitions.models import AdvanceMode, EventClass, EventLevel, ObjectionStatus
from jineng.refdata.api import CURRENT_OCCUPATION_EDITION, Occupation, OccupationLevel, SkillLevel
from jineng.refdata.widgets import OccupationInput, RegionInput, RegionSelect


def occupation_choices() -> list[tuple[str, str]]:
    """The occupations (职业, the 大典's finest level) of the current edition, by name with the code after it."""
    rows = Occupation.objects.filter(edition=CURRENT_OCCUPATION_EDITION, level=OccupationLevel.OCCUPATION)
    return [(code, f"{name}（{code}）") for code, name in rows.order_by("code").values_list("code", "name")]


def ladder_choices() -> list[tuple[str, str]]:
    """The certificate ladder (五级/初级工 … 一级/高级技师), lowest first."""
    return [(lv.code, lv.label) for lv in SkillLevel.objects.filter(grade_no__isnull=False).order_by("rank")]


_DATE = forms.DateInput(attrs={"type": "date"})


class EventForm(forms.Form):
    name = forms.CharField(label=_("赛事名称"), max_length=200)
    level = forms.ChoiceField(label=_("级别"), choices=EventLevel.choices)
    event_class = forms.ChoiceField(label=_("类别"), choices=EventClass.choices, required=False,
                                    help_text=_("一类、二类只适用于省级赛事"))  # fmt: skip
    occupation = forms.CharField(label=_("职业（工种）"), max_length=20, widget=OccupationInput())
    # Picked by name around the organizer's region (was a typed code); the view names the organizer's region.
    region = forms.CharField(label=_("赛事所在地区"), max_length=6, min_length=6, widget=RegionSelect())
    approving_department = forms.CharField(label=_("批准部门"), max_length=200)
    starts_on = forms.DateField(label=_("开赛日期"), widget=_DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=_DATE)
    min_age = forms.IntegerField(label=_("最低年龄"), min_value=14, max_value=80, initial=16)
    max_age = forms.IntegerField(label=_("最高年龄"), min_value=14, max_value=80, initial=65)
    other_occupations = forms.MultipleChoiceField(
        label=_("其他可报名职业（可空，可多选）"), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8, "class": "form-select"}),
        help_text=_("按住 Ctrl（Mac 为 ⌘）点选多个职业，最多 10 个。"),
    )  # fmt: skip
    min_level = forms.ChoiceField(label=_("报名最低等级（须持本赛事职业证书，可空）"), required=False)
    max_level = forms.ChoiceField(label=_("报名最高等级（可空）"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        levels = [("", _("不限"))] + ladder_choices()
        self.fields["min_level"].choices = levels  # type: ignore[attr-defined]
        self.fields["max_level"].choices = levels  # type: ignore[attr-defined]
        self.fields["other_occupations"].choices = occupation_choices()  # type: ignore[attr-defined]


class RegisterForm(forms.Form):
    prefix = "reg"

    id_number = forms.CharField(label=_("证件号码"), max_length=20)
    name = forms.CharField(label=_("姓名"), max_length=60)
    team_name = forms.CharField(label=_("团队（个人赛不填）"), max_length=100, required=False)


class ContestantSelect(forms.Select):
    """选手: the registered contestants, by name and masked document number (the view fills the choices)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"class": "form-select form-select-sm", **(attrs or {})})


class ResultForm(forms.Form):
    prefix = "res"

    contestant = forms.UUIDField(label=_("参赛选手"), widget=ContestantSelect())
    score = forms.CharField(label=_("成绩"), max_length=10)
    rank = forms.CharField(label=_("名次"), max_length=6)


STAGE_PLANS = {
    "": [],
    "two": ["preliminary", "final"],
    "three": ["preliminary", "semifinal", "final"],
}


class StagesForm(forms.Form):
    """赛段: none, 初赛 → 决赛, or 初赛 → 复赛 → 决赛, with each earlier stage's advancement rule."""

    prefix = "stg"

    plan = forms.ChoiceField(label=_("赛段"), required=False, choices=[
        ("", _("不分赛段（一轮定名次）")), ("two", _("初赛 → 决赛")), ("three", _("初赛 → 复赛 → 决赛"))])  # fmt: skip
    preliminary_mode = forms.ChoiceField(label=_("初赛晋级办法"), choices=[("", "—")] + list(AdvanceMode.choices),
                                         required=False)  # fmt: skip
    preliminary_value = forms.CharField(label=_("初赛晋级人数或分数线"), max_length=10, required=False)
    semifinal_mode = forms.ChoiceField(label=_("复赛晋级办法"), choices=[("", "—")] + list(AdvanceMode.choices),
                                       required=False)  # fmt: skip
    semifinal_value = forms.CharField(label=_("复赛晋级人数或分数线"), max_length=10, required=False)


class StageResultForm(forms.Form):
    prefix = "sres"

    stage = forms.UUIDField(widget=forms.HiddenInput())
    contestant = forms.UUIDField(label=_("参赛选手"), widget=ContestantSelect())
    score = forms.CharField(label=_("成绩"), max_length=10)
    rank = forms.CharField(label=_("名次"), max_length=6)


class StageForm(forms.Form):
    prefix = "sd"

    stage = forms.UUIDField(widget=forms.HiddenInput())
    reason = forms.CharField(label=_("退回原因"), max_length=300, required=False)  # the service names it


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


class WithdrawForm(forms.Form):
    prefix = "wd"

    contestant = forms.UUIDField(widget=forms.HiddenInput())
    reason = forms.CharField(label=_("退赛原因"), max_length=300, required=False)  # the service names it


class ObjectionForm(forms.Form):
    prefix = "obj"

    result = forms.ChoiceField(label=_("异议涉及的成绩"), required=False)
    reason = forms.CharField(label=_("异议的事实和理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    name = forms.CharField(label=_("提出人姓名或单位（可空）"), max_length=100, required=False)

    def __init__(self, *args: Any, results: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["result"].choices = [("", _("全部成绩"))] + (results or [])  # type: ignore[attr-defined]


class DecideForm(forms.Form):
    prefix = "dec"

    objection = forms.UUIDField(widget=forms.HiddenInput())
    outcome = forms.ChoiceField(label=_("处理结果"), choices=[(ObjectionStatus.UPHELD.value, ObjectionStatus.UPHELD.label),
                                                         (ObjectionStatus.DISMISSED.value, ObjectionStatus.DISMISSED.label)])  # fmt: skip
    decision = forms.CharField(label=_("处理意见"), max_length=300, required=False)  # the service names it
    score = forms.CharField(label=_("更正后成绩（异议成立且涉及某一成绩时可填）"), max_length=10, required=False)
    rank = forms.CharField(label=_("更正后名次"), max_length=6, required=False)


class RulesForm(forms.Form):
    region = forms.CharField(label=_("地区"), max_length=6, min_length=6, widget=RegionInput())
    valid_from = forms.DateField(label=_("生效日期"), widget=_DATE)
    basis = forms.CharField(label=_("依据（文件名称、文号）"), max_length=300)


class RuleLineForm(forms.Form):
    event_level = forms.ChoiceField(label=_("赛事级别"), choices=[("", "—")] + list(EventLevel.choices), required=False)
    event_class = forms.ChoiceField(label=_("类别"), choices=EventClass.choices, required=False)
    rank_max = forms.IntegerField(label=_("前几名"), min_value=1, max_value=1000, required=False)
    title = forms.CharField(label=_("称号"), max_length=60, required=False)
    prerequisite = forms.ChoiceField(label=_("前提等级"), required=False)
    grants = forms.ChoiceField(label=_("晋升等级"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ladder = ladder_choices()
        self.fields["prerequisite"].choices = [("", _("不晋升"))] + ladder  # type: ignore[attr-defined]
        self.fields["grants"].choices = [("", _("不晋升")), ("next", _("高一级"))] + ladder  # type: ignore[attr-defined]


RuleLineFormSet = forms.formset_factory(RuleLineForm, extra=0, max_num=100, absolute_max=100, validate_max=True)
