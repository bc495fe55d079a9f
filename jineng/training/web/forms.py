"""Forms of the training pages: they parse what a person types; the services decide."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jineng.training.classes import SessionInput
from jineng.training.models import SessionMode, TrainingForm

_LINE = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s+(\d{1,2}):(\d{2})\s*[-–~至]\s*(\d{1,2}):(\d{2})\s*(线上|线下|online|offline)?\s*(.*)$"
)


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


class ClassForm(forms.Form):
    name = forms.CharField(label=_("班级名称"), max_length=200)
    program = forms.ChoiceField(label=_("培训项目（须在项目目录内）"))
    training_form = forms.ChoiceField(label=_("组织形式"), choices=TrainingForm.choices, initial=TrainingForm.REGULAR)
    subsidy_category = forms.ChoiceField(
        label=_("拟申请补贴类别"),
        required=False,
        choices=[("", _("按培训项目目录")), ("none", _("不申请补贴"))],
    )
    planned_size = forms.IntegerField(label=_("计划人数"), min_value=1, max_value=500)
    venue_name = forms.CharField(label=_("培训场地"), max_length=200)
    venue_address = forms.CharField(label=_("场地地址"), max_length=300, required=False)
    region = forms.CharField(label=_("场地所在县（市、区）行政区划代码"), max_length=6, min_length=6)
    venue_latitude = forms.DecimalField(label=_("纬度"), required=False, max_digits=9, decimal_places=6)
    venue_longitude = forms.DecimalField(label=_("经度"), required=False, max_digits=9, decimal_places=6)
    teacher = forms.ChoiceField(label=_("授课教师（本机构任教的师资库教师）"))
    sessions = forms.CharField(
        label=_("课程安排"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("每行一个课次：2026-12-28 09:00-12:00 线下 内容"),
    )

    def __init__(self, *args: Any, programs: list[tuple[str, str]], teachers: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = programs  # type: ignore[attr-defined]
        self.fields["teacher"].choices = teachers  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("sessions") and data.get("teacher"):
            try:
                data["session_inputs"] = parse_sessions(data["sessions"], data["teacher"])
            except forms.ValidationError as exc:
                self.add_error("sessions", exc)
        return data


class SubmitForm(forms.Form):
    pledge = forms.BooleanField(
        label=_("本机构承诺：所报培训真实开展，学员名册、教学计划、授课师资、培训场地及考勤记录真实有效。"),
        required=True,
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("审核结论"), choices=[("approve", _("通过")), ("reject", _("不予通过"))])
    opinion = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reasons = forms.CharField(
        label=_("不予通过的理由（每行一条）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=500)
