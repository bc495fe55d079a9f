"""企业新型学徒制 — an enterprise and a partner school (a provider listed for apprenticeship training) train the
enterprise's employees over ``apprenticeship.min_years``–``max_years`` years, each apprentice with an enterprise
mentor and a school mentor from the teachers' pool (at most ``apprenticeship.mentor_max_apprentices`` apprentices a
mentor), with yearly progress and a final evaluation. Attributed to the enterprise's region (ADR 0004).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from jineng.accounts.api import Actor, OrganizationKind, actor_user, can
from jineng.common.audit.services import audit_event
from jineng.common.errors import Conflict, FieldError, PermissionDenied, ValidationFailed, invalid
from jineng.providers.api import (
    OrganizationProfile,
    PoolRole,
    profile_of,
    provider_require_listed_for,
    teacher_for_provider,
)
from jineng.refdata.api import level_validate, occupation_validate
from jineng.registry import api as registry
from jineng.training.errors import TransitionRefused
from jineng.training.events import Event
from jineng.training.models import (
    Apprentice,
    ApprenticeProgress,
    ApprenticeResult,
    Apprenticeship,
    ApprenticeshipStatus,
)
from jineng.training.services.support import OFFICIAL_EDIT, ORG_EDIT, local_date, next_serial, now_or, setting

APPRENTICESHIP_KIND = "apprenticeship"


@dataclass
class ApprenticeshipInput:
    enterprise: Any  # profile or organization (or id)
    school: Any
    occupation: str  # occupation code
    level: str  # level code
    start_date: dt.date
    end_date: dt.date
    hours_per_year: int
    concentrated_hours_per_year: int


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return dt.date(day.year + years, 3, 1)


def _require_enterprise_side(actor: Actor, organization_id: Any, region_code: str) -> None:
    if can(actor, ORG_EDIT, organization_id=organization_id) or can(actor, OFFICIAL_EDIT, region_code=region_code):
        return
    raise PermissionDenied("只有该企业的工作人员或当地人社部门可以办理学徒制培训。")


def _profile(value: Any, field_name: str, label: str) -> OrganizationProfile:
    profile = profile_of(value)
    if profile is None:
        raise invalid(message=f"{label}不存在。", field=field_name, code="organization_unknown")
    return profile


def apprenticeship_create(*, actor: Actor, data: ApprenticeshipInput, now: dt.datetime | None = None) -> Apprenticeship:
    """学徒制培养计划 — checked: the enterprise is an enterprise, the school is listed for apprenticeship training
    of the occupation and level, the plan lasts within the allowed years and plans enough hours a year."""
    now = now_or(now)
    enterprise = _profile(data.enterprise, "enterprise", "企业")
    school = _profile(data.school, "school", "合作院校（培训机构）")
    region = enterprise.organization.region_id
    _require_enterprise_side(actor, enterprise.organization_id, region)
    errors: list[FieldError] = []
    if enterprise.organization.kind != OrganizationKind.ENTERPRISE:
        errors.append(FieldError("enterprise", "not_an_enterprise", "学徒制的主体须为企业。"))
    occupation = occupation_validate(data.occupation, "occupation")
    level = level_validate(data.level, "level")
    if data.end_date <= data.start_date:
        errors.append(FieldError("end_date", "bad_date_range", "培养结束日期须晚于开始日期。"))
    min_years = setting("apprenticeship.min_years", region, data.start_date)
    max_years = setting("apprenticeship.max_years", region, data.start_date)
    if data.end_date > _add_years(data.start_date, max_years):
        errors.append(FieldError("end_date", "plan_too_long", f"学徒培养期最长 {max_years} 年。"))
    elif data.end_date < _add_years(data.start_date, min_years) - dt.timedelta(days=1):
        errors.append(FieldError("end_date", "plan_too_short", f"学徒培养期至少 {min_years} 年。"))
    min_hours = setting("apprenticeship.min_hours_per_year", region, data.start_date)
    min_concentrated = setting("apprenticeship.min_concentrated_hours_per_year", region, data.start_date)
    if data.hours_per_year < min_hours:
        errors.append(FieldError("hours_per_year", "too_few_hours", f"每年培训课时不少于 {min_hours} 课时。"))
    if data.concentrated_hours_per_year < min_concentrated or data.concentrated_hours_per_year > data.hours_per_year:
        errors.append(
            FieldError("concentrated_hours_per_year", "too_few_hours",
                       f"每年集中培训课时不少于 {min_concentrated} 课时，且不超过全年课时。")
        )  # fmt: skip
    if errors:
        raise ValidationFailed("学徒制培养计划不正确。", errors)
    provider_require_listed_for(school, occupation, level, APPRENTICESHIP_KIND, data.start_date)
    with transaction.atomic():
        plan = Apprenticeship.objects.create(
            code=f"XT{region}{data.start_date.year}{next_serial('apprenticeship-' + region, data.start_date.year):04d}",
            enterprise=enterprise,
            enterprise_org_id=enterprise.organization_id,
            school=school,
            school_org_id=school.organization_id,
            region_id=region,
            occupation=occupation,
            level=level,
            start_date=data.start_date,
            end_date=data.end_date,
            hours_per_year=data.hours_per_year,
            concentrated_hours_per_year=data.concentrated_hours_per_year,
            created_by=actor_user(actor),
        )
        audit_event(Event.APPRENTICESHIP_CREATE,
            actor=actor,
            object_id=plan.pk,
            region_code=region,
            after={"code": plan.code, "enterprise": str(enterprise.pk), "school": str(school.pk),
                   "occupation": occupation.code, "level": level.code, "start": plan.start_date,
                   "end": plan.end_date},
        )  # fmt: skip
    return plan


def enterprise_mentors(enterprise_org_id: Any, on: dt.date) -> QuerySet[PoolRole]:
    """企业导师 who may be chosen on ``on``: teachers of the pool registered by the enterprise (the role's
    organization), active and within their term."""
    return PoolRole.objects.filter(
        organization_id=enterprise_org_id, role="teacher", status="active", valid_from__lte=on
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))


def enterprise_mentor_role(role_id: Any, enterprise_org_id: Any, on: dt.date) -> PoolRole:
    """企业导师 — one of ``enterprise_mentors(enterprise_org_id, on)``, with a reason when it is not."""
    role: PoolRole | None = PoolRole.objects.filter(pk=role_id).first() if role_id else None
    if role is None:
        raise invalid(message="师资库中没有该导师。", field="enterprise_mentor", code="unknown_teacher")
    if not enterprise_mentors(enterprise_org_id, on).filter(pk=role.pk).exists():
        raise invalid(
            message="企业导师须为本企业登记在师资库中、在聘期内的教师。",
            field="enterprise_mentor",
            code="mentor_not_available",
        )
    return role


def mentor_load(person_id: Any) -> int:
    """Active apprentices a mentor (a registry person) guides, as enterprise or school mentor."""
    return Apprentice.objects.filter(
        Q(enterprise_mentor_person_id=person_id) | Q(school_mentor_person_id=person_id),
        status=ApprenticeshipStatus.ACTIVE,
    ).count()


def apprentice_add(
    *,
    actor: Actor,
    apprenticeship: Apprenticeship,
    id_number: str,
    name: str,
    enterprise_mentor: Any,
    school_mentor: Any,
    joined_on: dt.date | None = None,
) -> Apprentice:
    """学徒 — an employee of the enterprise (registry employment on the joining date), with two mentors."""
    joined_on = joined_on or apprenticeship.start_date
    with transaction.atomic():
        plan = Apprenticeship.objects.select_for_update().select_related("enterprise_org").get(pk=apprenticeship.pk)
        _require_enterprise_side(actor, plan.enterprise_org_id, plan.region_id)
        if plan.status != ApprenticeshipStatus.ACTIVE:
            raise TransitionRefused("该学徒制培养计划已结束。", code="apprenticeship_closed")
        if not plan.start_date <= joined_on <= plan.end_date:
            raise invalid(message="入学日期须在培养期内。", field="joined_on", code="outside_plan")
        person = registry.person_resolve(id_number)
        if person is None:
            raise invalid(message="该人员尚未在实名制人员库登记。", field="id_number", code="person_unknown")
        if person.name != " ".join((name or "").split()):
            raise invalid(message="姓名与证件号码不符。", field="name", code="id_name_mismatch")
        job = registry.employment_on(person, joined_on)
        if (
            job is None
            or job.status != registry.EmploymentStatus.EMPLOYED
            or (job.employer_credit_code or "").upper() != (plan.enterprise_org.credit_code or "").upper()
        ):
            raise invalid(
                message="学徒须为本企业在职职工（实名制人员库中无本企业的就业登记）。",
                field="id_number",
                code="not_an_employee",
            )
        e_mentor = enterprise_mentor_role(enterprise_mentor, plan.enterprise_org_id, joined_on)
        s_mentor = teacher_for_provider(school_mentor, plan.school_id, joined_on)
        cap = setting("apprenticeship.mentor_max_apprentices", plan.region_id, joined_on)
        for role, label in ((e_mentor, "企业导师"), (s_mentor, "院校导师")):
            if mentor_load(role.person_id) >= cap:
                raise Conflict(f"{label}已带 {cap} 名学徒，达到上限。", code="mentor_full")
        try:
            with transaction.atomic():
                apprentice = Apprentice.objects.create(
                    apprenticeship=plan,
                    person=person,
                    region_id=plan.region_id,
                    organization_id=plan.enterprise_org_id,
                    employment_record_id=job.pk,
                    enterprise_mentor=e_mentor,
                    enterprise_mentor_person_id=e_mentor.person_id,
                    school_mentor=s_mentor,
                    school_mentor_person_id=s_mentor.person_id,
                    joined_on=joined_on,
                )
        except IntegrityError:
            raise Conflict("该职工已在本培养计划中。", code="already_apprentice") from None
        registry.person_attribute(person_id=person.pk, region_code=plan.region_id, kind="training.apprentice",
                                  ref=str(apprentice.pk), occurred_on=joined_on)  # fmt: skip
        audit_event(Event.APPRENTICE_ADD,
            actor=actor,
            object_id=apprentice.pk,
            region_code=plan.region_id,
            after={"apprenticeship": plan.code, "person": str(person.pk), "enterprise_mentor": str(e_mentor.pk),
                   "school_mentor": str(s_mentor.pk), "joined_on": joined_on},
        )  # fmt: skip
    return apprentice


def plan_years(plan: Apprenticeship) -> int:
    years = 1
    while _add_years(plan.start_date, years) < plan.end_date:
        years += 1
    return years


def apprentice_progress(
    *,
    actor: Actor,
    apprentice: Apprentice,
    year_no: int,
    hours_done: int,
    concentrated_hours: int,
    online_hours: int = 0,
    assessment: str = "",
) -> ApprenticeProgress:
    """年度进度 — one plan year's hours (online at most half of the concentrated hours) and its assessment."""
    with transaction.atomic():
        locked: Apprentice = (
            Apprentice.objects.select_for_update().select_related("apprenticeship").get(pk=apprentice.pk)
        )
        plan = locked.apprenticeship
        _require_enterprise_side(actor, plan.enterprise_org_id, plan.region_id)
        errors: list[FieldError] = []
        if not 1 <= year_no <= plan_years(plan):
            errors.append(FieldError("year_no", "outside_plan", f"培养年度应在 1 至 {plan_years(plan)} 之间。"))
        if min(hours_done, concentrated_hours, online_hours) < 0 or concentrated_hours > hours_done:
            errors.append(FieldError("concentrated_hours", "bad_hours", "课时须为非负数，集中课时不超过完成课时。"))
        if online_hours * 2 > concentrated_hours:
            errors.append(FieldError("online_hours", "online_hours_over_half", "线上课时不得超过集中培训课时的50%。"))
        if errors:
            raise ValidationFailed("年度进度不正确。", errors)
        if locked.status != ApprenticeshipStatus.ACTIVE:
            raise TransitionRefused("该学徒已结束培养。", code="apprentice_not_active")
        progress, created = ApprenticeProgress.objects.update_or_create(
            apprentice=locked,
            year_no=year_no,
            defaults={
                "region_id": locked.region_id,
                "organization_id": locked.organization_id,
                "person_id": locked.person_id,
                "hours_done": hours_done,
                "concentrated_hours": concentrated_hours,
                "online_hours": online_hours,
                "assessment": assessment.strip(),
                "recorded_by": actor_user(actor),
            },
        )
        audit_event(Event.APPRENTICE_PROGRESS,
            actor=actor,
            object_id=locked.pk,
            region_code=locked.region_id,
            after={"year": year_no, "hours": hours_done, "concentrated": concentrated_hours, "online": online_hours,
                   "created": created},
        )  # fmt: skip
    return progress


def _lock_active(actor: Actor, apprentice: Apprentice) -> tuple[Apprentice, Apprenticeship]:
    """The apprentice locked with its plan, for its enterprise's side, still in training (else 409). Call inside the
    transaction of the change."""
    locked: Apprentice = Apprentice.objects.select_for_update().select_related("apprenticeship").get(pk=apprentice.pk)
    plan = locked.apprenticeship
    _require_enterprise_side(actor, plan.enterprise_org_id, plan.region_id)
    if locked.status != ApprenticeshipStatus.ACTIVE:
        raise TransitionRefused("该学徒已结束培养。", code="apprentice_not_active")
    return locked, plan


def apprentice_evaluate(
    *, actor: Actor, apprentice: Apprentice, result: str, note: str = "", now: dt.datetime | None = None
) -> Apprentice:
    """考核评价 — the end of an apprentice's plan: passed or failed, on the archive; the plan completes when its
    last active apprentice does."""
    now = now_or(now)
    if result not in ApprenticeResult.values:
        raise invalid(message="考核结果只能是合格或不合格。", field="result", code="bad_choice")
    with transaction.atomic():
        locked, plan = _lock_active(actor, apprentice)
        if not locked.progress.exists():
            raise invalid(message="考核前须至少登记一个年度的培养进度。", field="progress", code="progress_required")
        locked.status = ApprenticeshipStatus.COMPLETED
        locked.result = result
        locked.evaluated_on = local_date(now)
        locked.evaluation_note = note.strip()
        locked.save()
        if not plan.apprentices.filter(status=ApprenticeshipStatus.ACTIVE).exists():
            Apprenticeship.objects.filter(pk=plan.pk).update(status=ApprenticeshipStatus.COMPLETED)
        audit_event(
            Event.APPRENTICE_EVALUATE,
            actor=actor,
            object_id=locked.pk,
            region_code=locked.region_id,
            after={"result": result, "evaluated_on": locked.evaluated_on},
            reason=locked.evaluation_note,
        )
    return locked


def apprentice_terminate(
    *, actor: Actor, apprentice: Apprentice, reason: str, now: dt.datetime | None = None
) -> Apprentice:
    """中途终止 — an apprentice leaves the plan before it ends (离职、解除劳动合同 …): the enterprise's side records it
    with the reason. The plan was not completed, so an advance of its subsidy is recovered (subsidies' advances)."""
    now = now_or(now)
    text = (reason or "").strip()
    if not text:
        raise invalid(message="请填写终止原因。", field="reason", code="reason_required")
    with transaction.atomic():
        locked, plan = _lock_active(actor, apprentice)
        locked.status = ApprenticeshipStatus.TERMINATED
        locked.end_reason = text[:2000]
        locked.evaluated_on = local_date(now)
        locked.save()
        if not plan.apprentices.filter(status=ApprenticeshipStatus.ACTIVE).exists():
            done = plan.apprentices.filter(status=ApprenticeshipStatus.COMPLETED).exists()
            Apprenticeship.objects.filter(pk=plan.pk).update(
                status=ApprenticeshipStatus.COMPLETED if done else ApprenticeshipStatus.TERMINATED
            )
        audit_event(Event.APPRENTICE_TERMINATE, actor=actor, object_id=locked.pk, region_code=locked.region_id,
                    after={"status": locked.status, "on": locked.evaluated_on}, reason=locked.end_reason)  # fmt: skip
    return locked
