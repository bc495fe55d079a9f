"""开班 — class applications and the one state machine: draft → submitted → approved / rejected → running →
completed, or cancelled. Every transition is timestamped, kept (``ClassTransition``) and audited under a row lock.

A class is refused when its provider is suspended or not listed for the program's occupation × level × kind, when
the program is not listed for the venue's region, when a teacher is not in the pool for the provider or already
teaches an overlapping session of another class, when it is larger than ``class.max_trainees``, or (at submission)
when it starts sooner than ``class.file_before_start_workdays`` working days ahead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from jineng.accounts.api import Actor, actor_user, can
from jineng.common.audit.services import audit_event
from jineng.common.errors import FieldError, NotFound, PermissionDenied, ValidationFailed, invalid
from jineng.providers.api import (
    SANCTION_CLASS,
    OrganizationProfile,
    Program,
    SubsidyCategory,
    profile_of,
    program_get,
    program_require_listed,
    provider_is_suspended,
    provider_require_listed_for,
    require_not_sanctioned,
    teacher_for_provider,
)
from jineng.refdata.api import add_workdays
from jineng.rules.training import HoursRules, Interval, ScheduledSession, credit_hours, first_overlap
from jineng.training.errors import TeacherBusy, TransitionRefused
from jineng.training.events import Event
from jineng.training.models import (
    OCCUPYING_STATUSES,
    ClassSession,
    ClassStatus,
    Enrollment,
    EnrollmentStatus,
    SessionMode,
    TrainingClass,
    TrainingForm,
)
from jineng.training.services.rosters import overlapping_enrollments
from jineng.training.services.support import (
    ORG_EDIT,
    class_code,
    local_date,
    lock_class,
    now_or,
    require_reviewer,
    setting,
    transition,
    venue_region,
)

PROVIDER_PLEDGE = (
    "本机构承诺：所报培训班真实开展，学员名册、教学计划、授课师资、培训场地及考勤记录真实有效，"
    "不虚报学员、不虚增课时、不以其他培训冒充补贴性培训；如有虚假，愿承担相应责任并退还补贴资金。"
)
TRAINEE_PLEDGE = "本人承诺：身份信息真实，本人亲自参加培训，不冒名顶替、不代签到，如有虚假愿承担相应责任。"


@dataclass
class SessionInput:
    starts_at: dt.datetime
    ends_at: dt.datetime
    mode: str = SessionMode.OFFLINE
    teacher: Any = None  # a PoolRole id (a teacher of the pool affiliated with the provider)
    topic: str = ""


@dataclass
class ClassInput:
    name: str
    program: Any  # Program or its id
    venue_name: str
    region: str  # the venue's county
    planned_size: int
    sessions: list[SessionInput] = field(default_factory=list)
    subsidy_category: str = ""  # default: the program's
    training_form: str = TrainingForm.REGULAR
    venue_address: str = ""
    venue_latitude: Decimal | float | None = None
    venue_longitude: Decimal | float | None = None
    start_date: dt.date | None = None  # default: the first session's day
    end_date: dt.date | None = None  # default: the last session's day
    teaching_plan_attachment_id: Any = None


def _provider(provider: Any) -> OrganizationProfile:
    profile = profile_of(provider)
    if profile is None:
        raise invalid(message="培训机构不存在。", field="provider", code="provider_unknown")
    return profile


def _program(program: Any) -> Program:
    found = program if isinstance(program, Program) else program_get(program)
    if found is None or found.retired_at is not None:
        raise invalid(message="培训项目不存在。", field="program", code="program_unknown")
    return found


def _require_provider_staff(actor: Actor, profile: OrganizationProfile) -> None:
    if not can(actor, ORG_EDIT, organization_id=profile.organization_id):
        raise PermissionDenied("只有该培训机构的工作人员可以申请开班。")


def _coordinate(value: Any, field_name: str, low: int, high: int, errors: list[FieldError]) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except ArithmeticError:
        errors.append(FieldError(field_name, "bad_coordinate", "坐标格式不正确。"))
        return None
    if not low <= number <= high:
        errors.append(FieldError(field_name, "bad_coordinate", f"坐标应在 {low} 与 {high} 之间。"))
        return None
    return number


@dataclass
class _Checked:
    profile: OrganizationProfile
    program: Program
    region_code: str
    start: dt.date
    end: dt.date
    category: str
    latitude: Decimal | None
    longitude: Decimal | None
    sessions: list[tuple[SessionInput, Any]]  # (input, PoolRole or None)


def planned_hours(sessions: list[SessionInput], region_code: str, on: dt.date) -> int:
    """课程安排合计学时 — the 学时 the schedule can credit with full presence, under the rules attendance credits
    by (``hours.minutes_per_hour``, at most ``hours.per_day_max`` a day)."""
    rules = HoursRules(
        minutes_per_hour=setting("hours.minutes_per_hour", region_code, on),
        per_day_max=setting("hours.per_day_max", region_code, on),
    )
    scheduled = [
        ScheduledSession(str(i), Interval(s.starts_at, s.ends_at), local_date(s.starts_at))
        for i, s in enumerate(sessions)
    ]
    return credit_hours(scheduled, (), rules).creditable_hours


def _check_hours(
    program: Program, sessions: list[SessionInput], region_code: str, on: dt.date, errors: list[FieldError]
) -> None:
    """The schedule must cover the program's 学时 (理论 + 实操): a 15-学时 schedule for an 80-学时 program is refused."""
    planned = planned_hours(sessions, region_code, on)
    if planned < program.hours_total:
        minutes = setting("hours.minutes_per_hour", region_code, on)
        per_day = setting("hours.per_day_max", region_code, on)
        errors.append(
            FieldError(
                "sessions",
                "hours_short",
                f"课程安排合计 {planned} 学时，少于培训项目“{program.name}”规定的 {program.hours_total} 学时"
                f"（理论 {program.hours_theory}、实操 {program.hours_practice}；每学时 {minutes} 分钟，"
                f"每天最多计 {per_day} 学时），请增加课次。",
            )
        )


def _check(profile: OrganizationProfile, data: ClassInput) -> _Checked:
    errors: list[FieldError] = []
    program = _program(data.program)
    name = " ".join((data.name or "").split())
    if not name:
        errors.append(FieldError("name", "required", "请填写班级名称。"))
    if not (data.venue_name or "").strip():
        errors.append(FieldError("venue_name", "required", "请填写培训场地。"))
    region = venue_region(data.region)
    if data.training_form not in TrainingForm.values:
        errors.append(FieldError("training_form", "bad_choice", f"未知的组织形式：{data.training_form}"))
    category = data.subsidy_category or program.subsidy_category
    if category not in SubsidyCategory.values:
        errors.append(FieldError("subsidy_category", "bad_choice", f"未知的补贴类别：{category}"))
    elif category not in (program.subsidy_category, SubsidyCategory.NONE):
        errors.append(
            FieldError(
                "subsidy_category",
                "subsidy_category_mismatch",
                "拟申请的补贴类别须与培训项目目录一致（或不申请补贴）。",
            )
        )
    latitude = _coordinate(data.venue_latitude, "venue_latitude", -90, 90, errors)
    longitude = _coordinate(data.venue_longitude, "venue_longitude", -180, 180, errors)
    if not data.sessions:
        errors.append(FieldError("sessions", "sessions_required", "请填写课程安排（至少一个课次）。"))
    for i, s in enumerate(data.sessions):
        if s.starts_at is None or s.ends_at is None or timezone.is_naive(s.starts_at) or timezone.is_naive(s.ends_at):
            errors.append(FieldError(f"sessions[{i}]", "bad_time", "课次须有开始和结束时间（含时区）。"))
        elif s.ends_at <= s.starts_at:
            errors.append(FieldError(f"sessions[{i}]", "session_ends_before_start", "课次结束时间须晚于开始时间。"))
        if s.mode not in SessionMode.values:
            errors.append(FieldError(f"sessions[{i}].mode", "bad_choice", "课次方式只能是线上或线下。"))
    if errors:
        raise ValidationFailed("开班申请信息不正确。", errors)
    days = sorted({local_date(s.starts_at) for s in data.sessions} | {local_date(s.ends_at) for s in data.sessions})
    start = data.start_date or days[0]
    end = data.end_date or days[-1]
    if end < start:
        raise invalid(message="结业日期早于开班日期。", field="end_date", code="bad_date_range")
    for i, s in enumerate(data.sessions):
        if local_date(s.starts_at) < start or local_date(s.ends_at) > end:
            errors.append(
                FieldError(f"sessions[{i}]", "session_outside_class_dates", "课次不在开班日期与结业日期之间。")
            )
    own = [Interval(s.starts_at, s.ends_at) for s in data.sessions]
    for i, a in enumerate(own):
        if any(a.start < b.end and b.start < a.end for b in own[i + 1 :]):
            errors.append(FieldError(f"sessions[{i}]", "sessions_overlap", "本班课次之间时间重叠。"))
    max_size = setting("class.max_trainees", region.code, start)
    if data.planned_size is None or data.planned_size < 1:
        errors.append(FieldError("planned_size", "required", "请填写计划人数。"))
    elif data.planned_size > max_size:
        errors.append(FieldError("planned_size", "class_too_large", f"每班人数不得超过 {max_size} 人。"))
    if errors:
        raise ValidationFailed("开班申请信息不正确。", errors)
    # The catalogs: the provider listed (and not suspended) for the program on the start date, the program listed
    # for the venue's region.
    provider_require_listed_for(profile, program.occupation_id, program.level_id, program.training_kind, start)
    program_require_listed(program, region.code, start)
    _check_hours(program, data.sessions, region.code, start, errors)
    if errors:
        raise ValidationFailed("开班申请信息不正确。", errors)
    sessions: list[tuple[SessionInput, Any]] = []
    for s in data.sessions:
        role = teacher_for_provider(s.teacher, profile, local_date(s.starts_at)) if s.teacher else None
        sessions.append((s, role))
    if not any(role for _s, role in sessions):
        raise invalid(message="请为课次安排授课教师（师资库中的教师）。", field="sessions", code="teacher_required")
    return _Checked(profile, program, region.code, start, end, category, latitude, longitude, sessions)


def teacher_conflicts(sessions: list[tuple[Interval, Any]], exclude_class_id: Any = None) -> list[str]:
    """Messages naming each teacher (registry person) already teaching an overlapping session of another class that
    occupies its teachers (submitted, approved, running). One indexed query by teacher person and time range."""
    persons = {p for _i, p in sessions if p}
    if not persons:
        return []
    lo = min(i.start for i, _p in sessions)
    hi = max(i.end for i, _p in sessions)
    rows = (
        ClassSession.objects.filter(
            teacher_person_id__in=persons,
            cancelled_at__isnull=True,
            training_class__status__in=OCCUPYING_STATUSES,
            starts_at__lt=hi,
            ends_at__gt=lo,
        )
        .exclude(training_class_id=exclude_class_id)
        .values_list("teacher_person_id", "starts_at", "ends_at", "training_class__code")
    )
    theirs: dict[Any, list[tuple[Interval, str]]] = {}
    for person_id, starts_at, ends_at, code in rows:
        theirs.setdefault(person_id, []).append((Interval(starts_at, ends_at), code))
    messages = []
    for person_id, busy in theirs.items():
        mine = [i for i, p in sessions if p == person_id]
        found = first_overlap(mine, [i for i, _c in busy])
        if found is not None:
            code = next(c for i, c in busy if i == found[1])
            when = timezone.localtime(found[0].start).strftime("%Y-%m-%d %H:%M")
            messages.append(f"授课教师在 {when} 的课次与培训班 {code} 的课次时间重叠。")
    return messages


def _check_teachers_free(training_class: TrainingClass) -> None:
    sessions = [
        (Interval(s.starts_at, s.ends_at), s.teacher_person_id)
        for s in training_class.sessions.filter(cancelled_at__isnull=True)
    ]
    problems = teacher_conflicts(sessions, exclude_class_id=training_class.pk)
    if problems:
        raise TeacherBusy(problems[0])


def _write_sessions(training_class: TrainingClass, checked: _Checked) -> None:
    ClassSession.objects.bulk_create(
        [
            ClassSession(
                training_class=training_class,
                region_id=training_class.region_id,
                organization_id=training_class.organization_id,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                mode=s.mode,
                topic=(s.topic or "")[:200],
                teacher=role,
                teacher_person_id=role.person_id if role else None,
            )
            for s, role in checked.sessions
        ]
    )


def _class_audit(c: TrainingClass) -> dict[str, Any]:
    return {
        "code": c.code,
        "name": c.name,
        "provider": str(c.provider_id),
        "program": str(c.program_id),
        "region": c.region_id,
        "start_date": c.start_date,
        "end_date": c.end_date,
        "planned_size": c.planned_size,
        "subsidy_category": c.subsidy_category,
        "training_form": c.training_form,
        "venue": c.venue_name,
        "status": c.status,
    }


def class_create(*, actor: Actor, provider: Any, data: ClassInput, now: dt.datetime | None = None) -> TrainingClass:
    """开班申请（草稿） — a listed provider's staff draft a class of a listed program; checked at once, again at
    submission."""
    now = now_or(now)
    profile = _provider(provider)
    _require_provider_staff(actor, profile)
    require_not_sanctioned(profile.organization_id, SANCTION_CLASS, local_date(now))
    checked = _check(profile, data)
    problems = teacher_conflicts(
        [(Interval(s.starts_at, s.ends_at), r.person_id if r else None) for s, r in checked.sessions]
    )
    if problems:
        raise TeacherBusy(problems[0])
    with transaction.atomic():
        training_class = TrainingClass.objects.create(
            code=class_code(checked.region_code, checked.start.year),
            name=" ".join(data.name.split())[:200],
            provider=profile,
            organization_id=profile.organization_id,
            program=checked.program,
            occupation_id=checked.program.occupation_id,
            level_id=checked.program.level_id,
            training_kind=checked.program.training_kind,
            training_form=data.training_form,
            subsidy_category=checked.category,
            start_date=checked.start,
            end_date=checked.end,
            planned_size=data.planned_size,
            venue_name=data.venue_name.strip()[:200],
            venue_address=(data.venue_address or "").strip()[:300],
            venue_latitude=checked.latitude,
            venue_longitude=checked.longitude,
            region_id=checked.region_code,
            status=ClassStatus.DRAFT,
            status_changed_at=now,
            teaching_plan_attachment_id=data.teaching_plan_attachment_id or None,
            created_by=actor_user(actor),
        )
        _write_sessions(training_class, checked)
        audit_event(
            Event.CLASS_CREATE,
            actor=actor,
            object_id=training_class.pk,
            region_code=training_class.region_id,
            after={**_class_audit(training_class), "sessions": len(checked.sessions)},
        )
    return training_class


def class_update(
    *, actor: Actor, training_class: TrainingClass, data: ClassInput, now: dt.datetime | None = None
) -> TrainingClass:
    """修改开班申请 — a draft or a refused application: replace its details and schedule (old sessions are kept as
    cancelled rows)."""
    now = now_or(now)
    profile = _provider(training_class.provider_id)
    _require_provider_staff(actor, profile)
    checked = _check(profile, data)
    problems = teacher_conflicts(
        [(Interval(s.starts_at, s.ends_at), r.person_id if r else None) for s, r in checked.sessions],
        exclude_class_id=training_class.pk,
    )
    if problems:
        raise TeacherBusy(problems[0])
    with transaction.atomic():
        locked = lock_class(training_class)
        if locked.status not in (ClassStatus.DRAFT, ClassStatus.REJECTED):
            raise TransitionRefused("只有草稿或未通过的开班申请可以修改。", code="class_not_editable")
        if locked.region_id != checked.region_code:
            raise invalid(
                message="不能更改培训场地所在县区；请撤销后重新申请。", field="region", code="region_change_refused"
            )
        before = _class_audit(locked)
        locked.name = " ".join(data.name.split())[:200]
        locked.program = checked.program
        locked.occupation_id = checked.program.occupation_id
        locked.level_id = checked.program.level_id
        locked.training_kind = checked.program.training_kind
        locked.training_form = data.training_form
        locked.subsidy_category = checked.category
        locked.start_date, locked.end_date = checked.start, checked.end
        locked.planned_size = data.planned_size
        locked.venue_name = data.venue_name.strip()[:200]
        locked.venue_address = (data.venue_address or "").strip()[:300]
        locked.venue_latitude, locked.venue_longitude = checked.latitude, checked.longitude
        if data.teaching_plan_attachment_id:
            locked.teaching_plan_attachment_id = data.teaching_plan_attachment_id
        locked.save()
        locked.sessions.filter(cancelled_at__isnull=True).update(cancelled_at=now)
        _write_sessions(locked, checked)
        _require_roster_fits(locked)
        audit_event(
            Event.CLASS_UPDATE,
            actor=actor,
            object_id=locked.pk,
            region_code=locked.region_id,
            before=before,
            after={**_class_audit(locked), "sessions": len(checked.sessions)},
        )
    return locked


def _require_roster_fits(locked: TrainingClass) -> None:
    """The trainees a revised class already holds still fit it: no more of them than the planned size, and none
    enrolled in another class whose sessions overlap the new schedule — what adding a trainee checks
    (``rosters.roster_check``), checked again when the size or the sessions change. Raises inside the caller's
    transaction, so a refused revision writes nothing."""
    enrolled = list(
        Enrollment.objects.filter(training_class=locked, status=EnrollmentStatus.ENROLLED).values_list(
            "person_id", flat=True
        )
    )
    if len(enrolled) > locked.planned_size:
        raise invalid(
            message=f"花名册在册学员 {len(enrolled)} 人，多于计划人数 {locked.planned_size} 人：请先调整名册或计划人数。",
            field="planned_size",
            code="planned_size_below_roster",
        )
    clashes = overlapping_enrollments(locked, enrolled)
    if clashes:
        codes = "、".join(sorted(set(clashes.values())))
        raise invalid(
            message=f"名册中 {len(clashes)} 名学员已报名培训班 {codes}，其课次与修改后的课次时间重叠：请调整课次或名册。",
            field="sessions",
            code="overlapping_enrollment",
        )


def _recheck_catalogs(locked: TrainingClass, today: dt.date) -> None:
    if provider_is_suspended(locked.provider_id, today):
        from jineng.providers.api import ProviderSuspended

        raise ProviderSuspended()
    program = _program(locked.program_id)
    provider_require_listed_for(locked.provider_id, program.occupation_id, program.level_id, program.training_kind,
                                locked.start_date)  # fmt: skip
    program_require_listed(program, locked.region_id, locked.start_date)


def review_workdays(training_class: TrainingClass, on: dt.date) -> int:
    """``class.review_workdays``, or ``class.review_workdays_online`` for a class taught wholly online."""
    modes = set(training_class.sessions.filter(cancelled_at__isnull=True).values_list("mode", flat=True))
    key = "class.review_workdays_online" if modes == {SessionMode.ONLINE} else "class.review_workdays"
    return setting(key, training_class.region_id, on)


def _require_trainees(locked: TrainingClass, today: dt.date) -> None:
    """A class is filed with its roster: no fewer trainees than ``class.min_trainees`` (and never none) — a strict
    import that refused every row must not leave an empty class to be approved."""
    minimum = max(1, int(setting("class.min_trainees", locked.region_id, today)))
    enrolled = Enrollment.objects.filter(training_class=locked, status=EnrollmentStatus.ENROLLED).count()
    if enrolled < minimum:
        message = (
            "花名册中还没有学员：请先添加学员（逐个添加或上传花名册）再提交开班申请。"
            if enrolled == 0
            else f"花名册在册学员 {enrolled} 人，少于开班最少人数 {minimum} 人，不能提交开班申请。"
        )
        raise invalid(message=message, field="roster", code="too_few_trainees")


def class_submit(
    *,
    actor: Actor,
    training_class: TrainingClass,
    pledge: bool,
    pledge_attachment_id: Any = None,
    now: dt.datetime | None = None,
) -> TrainingClass:
    """提交开班申请 — with the provider's pledge (承诺), at least ``class.file_before_start_workdays`` working days
    before the start; the review deadline is ``class.review_workdays`` working days on."""
    now = now_or(now)
    today = local_date(now)
    if not pledge:
        raise invalid(message="提交开班申请须签署机构承诺。", field="pledge", code="pledge_required")
    with transaction.atomic():
        locked = lock_class(training_class)
        _require_provider_staff(actor, _provider(locked.provider_id))
        if locked.status not in (ClassStatus.DRAFT, ClassStatus.REJECTED):
            raise TransitionRefused(
                f"培训班当前状态为“{locked.get_status_display()}”，不能提交。", code="transition_refused"
            )
        lead = setting("class.file_before_start_workdays", locked.region_id, today)
        earliest = add_workdays(today, lead, locked.region_id)
        if locked.start_date < earliest:
            raise invalid(
                message=f"开班申请须在开班前至少 {lead} 个工作日提交：本次提交最早可于 {earliest:%Y-%m-%d} 开班。",
                field="start_date",
                code="filed_too_late",
            )
        require_not_sanctioned(locked.organization_id, SANCTION_CLASS, today)
        _require_trainees(locked, today)
        _recheck_catalogs(locked, today)
        _check_teachers_free(locked)
        locked.provider_pledge_at = now
        locked.provider_pledge_by = actor_user(actor)
        locked.provider_pledge_text = PROVIDER_PLEDGE
        if pledge_attachment_id:
            locked.provider_pledge_attachment_id = pledge_attachment_id
        locked.submitted_at = now
        locked.review_due = add_workdays(today, review_workdays(locked, today), locked.region_id)
        locked.rejection_reasons = []
        transition(locked, ClassStatus.SUBMITTED, actor=actor, now=now,
                   after={"review_due": locked.review_due, "pledge": True})  # fmt: skip
        locked.save()
    return locked


def class_review(
    *,
    actor: Actor,
    training_class: TrainingClass,
    approved: bool,
    opinion: str = "",
    reasons: list[str] | None = None,
    now: dt.datetime | None = None,
) -> TrainingClass:
    """审核 — the official of the venue's region approves, or refuses with reasons."""
    now = now_or(now)
    reasons = [" ".join(r.split()) for r in (reasons or []) if r and r.strip()]
    opinion = (opinion or "").strip()
    if not approved and not reasons:
        raise invalid(message="不予通过须说明理由。", field="reasons", code="reasons_required")
    with transaction.atomic():
        locked = lock_class(training_class)
        require_reviewer(actor, locked)
        if locked.status != ClassStatus.SUBMITTED:
            raise TransitionRefused(
                f"培训班当前状态为“{locked.get_status_display()}”，不能审核。", code="transition_refused"
            )
        if approved:
            _recheck_catalogs(locked, local_date(now))
            _check_teachers_free(locked)
        locked.reviewed_at = now
        locked.reviewed_by = actor_user(actor)
        locked.review_opinion = opinion
        locked.rejection_reasons = [] if approved else reasons
        target = ClassStatus.APPROVED if approved else ClassStatus.REJECTED
        transition(locked, target, actor=actor, now=now, reason=opinion or "；".join(reasons),
                   after={"reasons": locked.rejection_reasons})  # fmt: skip
        locked.save()
    return locked


def class_start(*, actor: Actor, training_class: TrainingClass, now: dt.datetime | None = None) -> TrainingClass:
    """开课 — an approved class starts on or after its start date."""
    now = now_or(now)
    with transaction.atomic():
        locked = lock_class(training_class)
        _require_provider_staff(actor, _provider(locked.provider_id))
        if locked.status == ClassStatus.APPROVED and local_date(now) < locked.start_date:
            raise TransitionRefused(f"尚未到开班日期（{locked.start_date:%Y-%m-%d}）。", code="class_not_started_yet")
        transition(locked, ClassStatus.RUNNING, actor=actor, now=now)
        locked.started_at = now
        locked.save()
    return locked


def class_cancel(
    *, actor: Actor, training_class: TrainingClass, reason: str, now: dt.datetime | None = None
) -> TrainingClass:
    """撤销 — the provider before the class runs; the region's official once the class is submitted, at any time
    before completion (a draft is the provider's own work: nobody else may withdraw it)."""
    now = now_or(now)
    reason = " ".join((reason or "").split())
    if len(reason) < 2:
        raise invalid(message="请填写撤销原因。", field="reason", code="reason_required")
    with transaction.atomic():
        locked = lock_class(training_class)
        official = can(actor, "records.review", region_code=locked.region_id)
        if (
            official
            and locked.status == ClassStatus.DRAFT
            and not can(actor, ORG_EDIT, organization_id=locked.organization_id)
        ):
            raise PermissionDenied("草稿尚未提交，只能由培训机构撤销。")
        if not official:
            _require_provider_staff(actor, _provider(locked.provider_id))
            if locked.status == ClassStatus.RUNNING:
                raise PermissionDenied("培训中的班级只能由人社部门撤销。")
        transition(locked, ClassStatus.CANCELLED, actor=actor, now=now, reason=reason)
        locked.cancelled_at = now
        locked.cancel_reason = reason
        locked.save()
    return locked


def class_get(class_id: Any) -> TrainingClass:
    found: TrainingClass | None = TrainingClass.objects.filter(pk=class_id).first()
    if found is None:
        raise NotFound()
    return found
