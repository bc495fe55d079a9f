"""The training lists as ``ListSpec``s (培训班, 企业新型学徒制): filters, sortable columns, export columns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jineng.common.listing import Column, ListSpec, register_list
from jineng.refdata.api import region_subtree
from jineng.training import selectors
from jineng.training.models import Apprenticeship, Enrollment, TrainingClass


def _class_rows(user: Any, params: Mapping[str, str]) -> QuerySet[TrainingClass]:
    return selectors.class_filter(
        selectors.classes_visible(user),
        status=params.get("status", ""),
        q=params.get("q", ""),
        region=params.get("region", ""),
    )


CLASSES = register_list(
    ListSpec(
        name="training.classes",
        title=_("培训班"),
        filters=("status", "q", "region"),
        rows=_class_rows,
        sorts={
            "code": ("code",),
            "name": ("name",),
            "provider": ("provider__organization__name",),
            "start_date": ("start_date",),
            "enrolled": ("enrolled",),
            "status": ("status",),
        },
        default_sort="-start_date",
        columns=(
            Column(_("班级编号"), lambda c: c.code),
            Column(_("班级名称"), lambda c: c.name),
            Column(_("培训机构"), lambda c: c.provider.organization.name),
            Column(_("职业（工种）"), lambda c: c.occupation.name if c.occupation_id else ""),
            Column(_("开班日期"), lambda c: c.start_date),
            Column(_("结业日期"), lambda c: c.end_date),
            Column(_("在训人数"), lambda c: c.enrolled),
            Column(_("计划人数"), lambda c: c.planned_size),
            Column(_("培训场地所在地"), lambda c: c.region.name),
            Column(_("状态"), lambda c: c.get_status_display()),
        ),
    )
)

PLAN_FILTERS = ("status", "q", "occupation", "level", "start_from", "start_to")


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def filter_plans(qs: QuerySet[Apprenticeship], filters: Mapping[str, str]) -> QuerySet[Apprenticeship]:
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("q"):
        q = filters["q"]
        qs = qs.filter(Q(code=q) | Q(enterprise_org__name__icontains=q) | Q(school_org__name__icontains=q))
    if filters.get("occupation"):
        qs = qs.filter(occupation__code__startswith=filters["occupation"])
    if filters.get("level"):
        qs = qs.filter(level_id=filters["level"])
    start_from, start_to = _date(filters.get("start_from", "")), _date(filters.get("start_to", ""))
    if start_from:
        qs = qs.filter(start_date__gte=start_from)
    if start_to:
        qs = qs.filter(start_date__lte=start_to)
    return qs


def _plan_rows(user: Any, params: Mapping[str, str]) -> QuerySet[Apprenticeship]:
    return filter_plans(selectors.apprenticeships_visible(user), params)


APPRENTICESHIPS = register_list(
    ListSpec(
        name="training.apprenticeships",
        title=_("企业新型学徒制"),
        filters=PLAN_FILTERS,
        rows=_plan_rows,
        sorts={
            "code": ("code",),
            "enterprise": ("enterprise_org__name",),
            "school": ("school_org__name",),
            "occupation": ("occupation__code",),
            "start_date": ("start_date",),
            "apprentices": ("apprentice_count",),
            "status": ("status",),
        },
        default_sort="-start_date",
        columns=(
            Column(_("计划编号"), lambda p: p.code),
            Column(_("企业"), lambda p: p.enterprise_org.name),
            Column(_("合作院校"), lambda p: p.school_org.name if p.school_org_id else ""),
            Column(_("职业（工种）"), lambda p: p.occupation.name),
            Column(_("技能等级"), lambda p: p.level.name if p.level_id else ""),
            Column(_("开始日期"), lambda p: p.start_date),
            Column(_("结束日期"), lambda p: p.end_date),
            Column(_("学徒人数"), lambda p: p.apprentice_count),
            Column(_("状态"), lambda p: p.get_status_display()),
        ),
    )
)


def _enrollment_rows(user: Any, params: Mapping[str, str]) -> QuerySet[Enrollment]:
    qs = selectors.enrollments_visible(user)
    if params.get("q"):
        q = params["q"]
        qs = qs.filter(Q(person_name__contains=q) | Q(training_class__code=q) | Q(training_class__name__icontains=q))
    if params.get("status"):
        qs = qs.filter(status=params["status"])
    if params.get("result"):
        qs = qs.filter(result=params["result"])
    if params.get("region"):
        qs = qs.filter(region_id__in=region_subtree(params["region"]))
    return qs


ENROLLMENTS = register_list(
    ListSpec(
        name="training.enrollments",
        title=_("学员名单"),
        filters=("q", "status", "result", "region"),
        rows=_enrollment_rows,
        sorts={
            "name": ("person_name",),
            "class": ("training_class__code",),
            "provider": ("organization__name",),
            "enrolled_on": ("enrolled_on",),
            "status": ("status",),
            "hours": ("credited_hours",),
            "attendance": ("attendance_rate_bp",),
            "result": ("result",),
        },
        default_sort="-enrolled_on",
        related=("training_class", "organization", "region"),
        columns=(
            Column(_("姓名"), lambda e: e.person_name),
            Column(_("证件号码"), lambda e: e.id_number_masked),
            Column(_("班级编号"), lambda e: e.training_class.code),
            Column(_("班级名称"), lambda e: e.training_class.name),
            Column(_("培训机构"), lambda e: e.organization.name),
            Column(_("报名日期"), lambda e: e.enrolled_on),
            Column(_("状态"), lambda e: e.get_status_display()),
            Column(_("认定学时"), lambda e: e.credited_hours),
            Column(_("出勤率（%）"), lambda e: float(e.attendance_percent)),
            Column(_("结业结果"), lambda e: e.get_result_display() if e.result else ""),
            Column(_("结业日期"), lambda e: e.completed_on),
            Column(_("培训场地所在地"), lambda e: e.region.name),
        ),
    )
)
