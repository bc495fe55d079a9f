"""Forms of the training pages: they parse what a person types; the services decide."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jineng.training.models import SessionMode, TrainingForm
from jineng.training.services.classes import SessionInput

_LINE = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s+(\d{1,2}):(\d{2})\s*[-–~至]\s*(\d{1,2}):(\d{2})\s*(线上|线下|online|offline)?\s*(.*)$"
)


class _Styled(forms.Form):
    """Bootstrap's classes on every widget (no inline styles: the CSP forbids them)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                css = "form-select form-select-sm"
            else:
                css = "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)


def parse_sessions(text: str, teacher: Any) -> list[SessionInput]:
    """One session a line: ``2026-12-28 09:00-12:00 [线上|线下] [内容]``."""
    sessions: list[SessionInput] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        m = _LINE.match(line)
        if not m:
            raise forms.ValidationError(
                _("第 %(n)s 行格式不正确，应为“2026-12-28 09:00-12:00 线下 内容”。"), params={"n": number}
            )
        y, mo, d, h1, m1, h2, m2 = (int(g) for g in m.groups()[:7])
        try:
            day = dt.date(y, mo, d)
            start = timezone.make_aware(dt.datetime.combine(day, dt.time(h1, m1)))
            end = timezone.make_aware(dt.datetime.combine(day, dt.time(h2, m2)))
        except ValueError:
            raise forms.ValidationError(_("第 %(n)s 行的日期或时间不存在。"), params={"n": number}) from None
        mode = SessionMode.ONLINE if (m.group(8) or "") in ("线上", "online") else SessionMode.OFFLINE
        sessions.append(
            SessionInput(starts_at=start, ends_at=end, mode=mode, teacher=teacher, topic=m.group(9).strip())
        )
    if not sessions:
        raise forms.ValidationError(_("请填写课程安排（每行一个课次）。"))
    return sessions


class ClassForm(_Styled):
    name = forms.CharField(label=_("班级名称"), max_length=200)
    program = forms.ChoiceField(
        label=_("培训项目（本机构目录培训范围内的项目）"),
        help_text=_("只列出纳入本地区培训项目目录、且在本机构目录培训范围内的项目；课程安排合计学时不得少于项目学时。"),
    )
    training_form = forms.ChoiceField(label=_("组织形式"), choices=TrainingForm.choices, initial=TrainingForm.REGULAR)
    subsidy_category = forms.ChoiceField(
        label=_("拟申请补贴类别"),
        required=False,
        choices=[("", _("按培训项目目录")), ("none", _("不申请补贴"))],
    )
    planned_size = forms.IntegerField(label=_("计划人数"), min_value=1, max_value=500)
    venue_name = forms.CharField(label=_("培训场地"), max_length=200)
    venue_address = forms.CharField(label=_("场地地址"), max_length=300, required=False)
    region = forms.ChoiceField(label=_("场地所在县（市、区）"))
    venue_latitude = forms.DecimalField(label=_("纬度"), required=False, max_digits=9, decimal_places=6)
    venue_longitude = forms.DecimalField(label=_("经度"), required=False, max_digits=9, decimal_places=6)
    teacher = forms.ChoiceField(label=_("授课教师（本机构任教的师资库教师）"))
    sessions = forms.CharField(
        label=_("课程安排"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("每行一个课次：2026-12-28 09:00-12:00 线下 内容"),
    )

    def __init__(
        self,
        *args: Any,
        programs: list[tuple[str, str]],
        teachers: list[tuple[str, str]],
        venue_regions: list[tuple[str, str]],
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = [("", "—"), *programs]  # type: ignore[attr-defined]
        self.fields["teacher"].choices = teachers  # type: ignore[attr-defined]
        # The provider's venues lie in its own city: its counties, by name (no code typed).
        self.fields["region"].choices = [("", "—"), *venue_regions]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("sessions") and data.get("teacher"):
            try:
                data["session_inputs"] = parse_sessions(data["sessions"], data["teacher"])
            except forms.ValidationError as exc:
                self.add_error("sessions", exc)
        return data


class SubmitForm(_Styled):
    pledge = forms.BooleanField(
        label=_("本机构承诺：所报培训真实开展，学员名册、教学计划、授课师资、培训场地及考勤记录真实有效。"),
        required=True,
        error_messages={"required": _("提交开班申请须签署机构承诺：请勾选上面的承诺。")},
    )


class ReviewForm(_Styled):
    decision = forms.ChoiceField(
        label=_("审核结论"), choices=[("", _("请选择")), ("approve", _("通过")), ("reject", _("不予通过"))]
    )
    opinion = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reasons = forms.CharField(
        label=_("不予通过的理由（每行一条）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(_Styled):
    reason = forms.CharField(label=_("原因"), max_length=500)


# ---- 企业新型学徒制 --------------------------------------------------------------------------------------------------


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class ApprenticeshipForm(_Styled):
    """学徒制培养计划 — the enterprise chooses its partner school, the occupation and level, the dates and hours."""

    enterprise = forms.ChoiceField(label=_("企业"))
    school = forms.ChoiceField(label=_("合作院校（目录内可开展学徒制培训的机构）"))
    occupation = forms.CharField(label=_("职业（工种）编码"), max_length=20, help_text=_("如 4-04-05-01"))
    level = forms.ChoiceField(label=_("技能等级"))
    start_date = forms.DateField(label=_("培养开始日期"), widget=_DateInput())
    end_date = forms.DateField(label=_("培养结束日期"), widget=_DateInput())
    hours_per_year = forms.IntegerField(label=_("每年培训课时"), min_value=1, max_value=5000)
    concentrated_hours_per_year = forms.IntegerField(label=_("每年集中培训课时"), min_value=0, max_value=5000)

    def __init__(
        self,
        *args: Any,
        enterprises: list[tuple[str, str]],
        schools: list[tuple[str, str]],
        levels: list[tuple[str, str]],
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        if enterprises:
            self.fields["enterprise"].choices = enterprises  # type: ignore[attr-defined]
        else:  # an official acts for an enterprise of their region: named by its credit code
            self.fields["enterprise"] = forms.CharField(
                label=_("企业统一社会信用代码"),
                min_length=18,
                max_length=18,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )
        self.fields["school"].choices = [("", "—"), *schools]  # type: ignore[attr-defined]
        self.fields["level"].choices = [("", "—"), *levels]  # type: ignore[attr-defined]


class ApprenticeForm(_Styled):
    """学徒 — an employee of the enterprise with two mentors."""

    name = forms.CharField(label=_("姓名"), max_length=60)
    id_number = forms.CharField(
        label=_("身份证号码"), max_length=18, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    enterprise_mentor = forms.TypedChoiceField(label=_("企业导师"), coerce=uuid.UUID)
    school_mentor = forms.TypedChoiceField(label=_("院校导师"), coerce=uuid.UUID)
    joined_on = forms.DateField(label=_("入学日期（默认为培养开始日期）"), required=False, widget=_DateInput())

    def __init__(
        self,
        *args: Any,
        enterprise_mentors: list[tuple[str, str]],
        school_mentors: list[tuple[str, str]],
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["enterprise_mentor"].choices = [("", "—"), *enterprise_mentors]  # type: ignore[attr-defined]
        self.fields["school_mentor"].choices = [("", "—"), *school_mentors]  # type: ignore[attr-defined]


class _ApprenticeChoice(_Styled):
    apprentice = forms.ChoiceField(label=_("学徒"))

    def __init__(self, *args: Any, apprentices: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["apprentice"].choices = [("", "—"), *apprentices]  # type: ignore[attr-defined]


class ProgressForm(_ApprenticeChoice):
    """年度进度 — one plan year's hours and assessment."""

    year_no = forms.IntegerField(label=_("培养年度"), min_value=1, max_value=9)
    hours_done = forms.IntegerField(label=_("完成课时"), min_value=0)
    concentrated_hours = forms.IntegerField(label=_("集中培训课时"), min_value=0)
    online_hours = forms.IntegerField(label=_("其中线上课时"), min_value=0, initial=0, required=False)
    assessment = forms.CharField(label=_("年度考核"), required=False, max_length=500)


class EvaluationForm(_ApprenticeChoice):
    """考核评价 — the end of an apprentice's plan."""

    result = forms.ChoiceField(label=_("考核结果"), choices=[("passed", _("考核合格")), ("failed", _("考核不合格"))])
    note = forms.CharField(label=_("考核评价"), required=False, max_length=500)


class TerminationForm(_Styled):
    """中途终止 — one apprentice leaves the plan before it ends; the reason is kept on the record."""

    reason = forms.CharField(label=_("终止原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class AmendmentForm(_Styled):
    """花名册变更 — 退训 / 延期 / 转班 of one enrollment; the target class only for a transfer."""

    reason = forms.CharField(label=_("变更原因"), max_length=500)
    target_class = forms.ChoiceField(label=_("转入班级"), required=False)

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["target_class"].choices = [("", _("（转班时选择）")), *targets]  # type: ignore[attr-defined]


# ---- 花名册：逐个添加学员 ----------------------------------------------------------------------------------------------


class TraineeForm(_Styled):
    """添加学员 — one trainee by the real-name document: a registered person is found by the number (within the
    registry, matched on the keyed hash), anyone else is registered on the spot with these fields. The roster
    service checks it as it checks an imported row (name and number, pledge, overlap, capacity, eligibility)."""

    doc_type = forms.ChoiceField(label=_("证件类型"))
    id_number = forms.CharField(
        label=_("证件号码"), max_length=32, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    name = forms.CharField(label=_("姓名"), max_length=60)
    phone = forms.CharField(label=_("手机号码"), max_length=20, required=False)
    groups = forms.MultipleChoiceField(
        label=_("人员类别（新登记人员；已登记人员以登记信息为准）"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    graduation_year = forms.IntegerField(
        label=_("毕业年度（高校毕业生）"), required=False, min_value=1950, max_value=2100
    )
    residence_region = forms.ChoiceField(label=_("居住地"), required=False)
    pledge = forms.BooleanField(label=_("学员已签署参训承诺（承诺身份真实、本人参训）"), required=False)
    reason = forms.CharField(label=_("补录原因（开班后补录时填写）"), max_length=500, required=False)

    def __init__(
        self,
        *args: Any,
        doc_types: list[tuple[str, str]],
        groups: list[tuple[str, str]],
        regions: list[tuple[str, str]],
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["doc_type"].choices = doc_types  # type: ignore[attr-defined]
        self.fields["groups"].choices = groups  # type: ignore[attr-defined]
        self.fields["groups"].widget.attrs["class"] = "jn-check-list"
        self.fields["residence_region"].choices = [("", "—"), *regions]  # type: ignore[attr-defined]


ROLL_CALL_MARKS = (("present", _("出勤")), ("late", _("迟到")), ("absent", _("缺勤")))
