"""Writes of evaluation and certificates. Each service checks permission, locks what it changes, checks the state
it starts from, writes, and appends its audit entry in the same transaction.

Who may do what:

- **officials** (a region grant): file an evaluation organization's scope (``records.review`` over the
  organization's region), set pass rules (``settings.edit``), revoke and correct certificates (``records.review``
  over the certificate's region); they supervise sessions through the selectors (``records.view``);
- **evaluation organizations** (an organization grant, ``org.edit``): run their sessions — examiners, candidates,
  results, closing, issuing — and revoke or correct the certificates they issued.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from jineng.accounts.api import Actor, Organization, actor_user, principal_for, require
from jineng.certificates import training_link
from jineng.certificates.errors import ExaminerRefused, OutsideFiling, SessionState
from jineng.certificates.events import Event, certificate_changed
from jineng.certificates.models import (
    Candidate,
    CandidateResult,
    CandidateSource,
    Certificate,
    CertificateCorrection,
    CertificateSource,
    CertificateStatus,
    EvaluationRoute,
    EvaluatorFiling,
    ExamSession,
    NumberSerial,
    PassRule,
    SessionExaminer,
    SessionStatus,
)
from jineng.certificates.selectors import roster_due
from jineng.certificates.settings_specs import EXAM_MIN_MINUTES
from jineng.common.audit.services import audit_event
from jineng.common.errors import FieldError, PermissionDenied, ValidationFailed, invalid
from jineng.common.ids import uuid7, uuid_or_none
from jineng.common.serials import serial_reserve
from jineng.providers.api import PoolRole, examiner_for
from jineng.refdata.api import (
    CertificateKind,
    Occupation,
    SkillLevel,
    certificate_kind_validate,
    level_validate,
    occupation_validate,
    region_ancestors,
    region_is_within,
    region_validate,
    setting_value,
)
from jineng.registry.api import Person, person_attribute
from jineng.rules.certificates import ScoreRule, decide, format_number, kind_letter, score_problems

# Which kinds of organization may file on which route: an evaluation organization on any; an enterprise evaluates
# its own workforce (企业自主评价); a school (技工院校 …, a provider) its students (院校).
ROUTES_BY_KIND: dict[str, set[str]] = {
    "evaluator": {r.value for r in EvaluationRoute},
    "enterprise": {EvaluationRoute.EMPLOYER.value},
    "provider": {EvaluationRoute.SCHOOL.value, EvaluationRoute.SPECIAL.value},
}
DEFAULT_KIND_BY_ROUTE = {EvaluationRoute.SPECIAL.value: "special_ability"}


def _reason(text: str, field: str = "reason") -> str:
    text = " ".join((text or "").split())
    if len(text) < 2:
        raise invalid(message="请填写原因。", field=field, code="reason_required", detail="须填写原因（至少2个字）。")
    return text[:300]


def _require_org_staff(actor: Actor, organization_id: Any) -> None:
    require(actor, "org.edit", organization_id=organization_id)


def _require_official_or_org(actor: Actor, *, region_code: str, organization_id: Any, permission: str) -> None:
    """An official with ``permission`` over the region, or the organization's own staff (``org.edit``)."""
    try:
        require(actor, permission, region_code=region_code)
    except PermissionDenied:
        if organization_id is None:
            raise
        require(actor, "org.edit", organization_id=organization_id)


# ---- filings (备案) --------------------------------------------------------------------------------------------


def filing_create(
    *,
    actor: Actor,
    organization: Organization,
    route: str,
    occupation_code: str,
    level_code: str = "",
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    document_number: str = "",
) -> EvaluatorFiling:
    """备案 — record that an organization may evaluate an occupation (at a level) on a route."""
    require(actor, "records.review", region_code=organization.region_id)
    if route not in EvaluationRoute.values:
        raise invalid(message="评价途径不正确。", field="route", code="bad_route", detail=f"评价途径不存在：{route!r}")
    if route not in ROUTES_BY_KIND.get(organization.kind, set()):
        raise invalid(
            message="该类机构不能按此途径备案。",
            field="route",
            code="route_not_allowed",
            detail=f"{organization.get_kind_display()}不能备案“{EvaluationRoute(route).label}”。",
        )
    occupation = occupation_validate(occupation_code)
    level: SkillLevel | None = None
    if route == EvaluationRoute.SPECIAL:
        if level_code:
            raise invalid(message="专项职业能力考核不分等级。", field="level", code="level_not_applicable")
    else:
        level = level_validate(level_code)
        if level.grade_no is None:
            raise invalid(
                message="该等级不通过职业技能等级认定评价。",
                field="level",
                code="level_not_evaluated",
                detail=f"{level.label}由企业评聘。",
            )
    if valid_until is not None and valid_until < valid_from:
        raise invalid(message="有效期至不能早于备案日期。", field="valid_until", code="bad_period")
    with transaction.atomic():
        duplicate = EvaluatorFiling.objects.filter(
            organization=organization, route=route, occupation=occupation, level=level, revoked_at__isnull=True
        )
        if duplicate.exists():  # the unique constraint does not cover a blank level (NULLs are distinct)
            raise invalid(message="该机构已有相同的备案。", field="occupation", code="filing_exists")
        try:
            with transaction.atomic():
                filing = EvaluatorFiling.objects.create(
                    organization=organization,
                    route=route,
                    occupation=occupation,
                    level=level,
                    region_id=organization.region_id,
                    valid_from=valid_from,
                    valid_until=valid_until,
                    document_number=document_number.strip()[:60],
                    filed_by=actor_user(actor),
                )
        except IntegrityError:
            raise invalid(message="该机构已有相同的备案。", field="occupation", code="filing_exists") from None
        audit_event(
            Event.EVALUATION_FILING_CREATE,
            actor=actor,
            object_id=filing.pk,
            region_code=filing.region_id,
            after=_filing_audit(filing),
        )
    return filing


def _filing_audit(filing: EvaluatorFiling) -> dict[str, Any]:
    return {
        "organization": str(filing.organization_id),
        "route": filing.route,
        "occupation": filing.occupation.code,
        "level": filing.level_id,
        "valid_from": filing.valid_from,
        "valid_until": filing.valid_until,
        "document_number": filing.document_number,
    }


def filing_revoke(*, actor: Actor, filing: EvaluatorFiling, reason: str) -> EvaluatorFiling:
    require(actor, "records.review", region_code=filing.region_id)
    reason = _reason(reason)
    with transaction.atomic():
        filing = EvaluatorFiling.objects.select_for_update().get(pk=filing.pk)
        if filing.revoked_at is not None:
            raise SessionState("该备案已撤销。", code="filing_revoked")
        filing.revoked_at = timezone.now()
        filing.revoke_reason = reason
        filing.save(update_fields=["revoked_at", "revoke_reason", "updated_at"])
        audit_event(
            Event.EVALUATION_FILING_REVOKE,
            actor=actor,
            object_id=filing.pk,
            region_code=filing.region_id,
            reason=reason,
        )
    return filing


def filing_in_force(organization_id: Any, occupation: Occupation, level: SkillLevel | None, on: dt.date) -> Any:
    return (
        EvaluatorFiling.objects.filter(
            organization_id=organization_id, occupation=occupation, level=level, revoked_at__isnull=True
        )
        .filter(valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .select_related("occupation", "level")
        .first()
    )


# ---- pass rules (合格标准) --------------------------------------------------------------------------------------


def _decimal(value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise invalid(
            message="分数格式不正确。", field=field, code="not_a_number", detail=f"不是数字：{value!r}"
        ) from None
    if not number.is_finite():
        raise invalid(message="分数格式不正确。", field=field, code="not_a_number")
    return number


def pass_rule_set(
    *,
    actor: Actor,
    region_code: str,
    valid_from: dt.date,
    occupation_code: str = "",
    level_code: str = "",
    theory_max: Any = 100,
    practical_max: Any = 100,
    theory_pass: Any = 60,
    practical_pass: Any = 60,
) -> PassRule:
    """合格标准 — score ranges and pass marks for sessions in a region, per occupation and level where given."""
    region = region_validate(region_code)
    require(actor, "settings.edit", region_code=region.code)
    occupation = occupation_validate(occupation_code) if occupation_code else None
    level = level_validate(level_code) if level_code else None
    values = {
        name: _decimal(value, name)
        for name, value in (
            ("theory_max", theory_max),
            ("practical_max", practical_max),
            ("theory_pass", theory_pass),
            ("practical_pass", practical_pass),
        )
    }
    problems = []
    for part in ("theory", "practical"):
        maximum, mark = values[f"{part}_max"], values[f"{part}_pass"]
        if maximum < 0 or maximum > 1000:
            problems.append(FieldError(f"{part}_max", "bad_maximum", "满分须在 0–1000 之间。"))
        elif mark < 0 or mark > maximum:
            problems.append(FieldError(f"{part}_pass", "bad_pass_mark", f"合格线须在 0–{maximum} 之间。"))
    if values["theory_max"] == 0 and values["practical_max"] == 0:
        problems.append(FieldError("theory_max", "nothing_examined", "理论与实操不能都不考。"))
    if problems:
        raise ValidationFailed("合格标准不正确。", problems)
    with transaction.atomic():
        rule = PassRule.objects.create(
            region=region,
            occupation=occupation,
            level=level,
            valid_from=valid_from,
            created_by=actor_user(actor),
            **values,
        )
        audit_event(
            Event.EVALUATION_PASS_RULE_SET,
            actor=actor,
            object_id=rule.pk,
            region_code=region.code,
            after={
                "occupation": occupation_code or None,
                "level": level_code or None,
                "valid_from": valid_from,
                **{k: str(v) for k, v in values.items()},
            },
        )
    return rule


def pass_rule_for(*, region_code: str, occupation: Any, level: Any, on: dt.date) -> tuple[ScoreRule, PassRule | None]:
    """The most specific rule in force on ``on``: occupation and level named beat blanks, a nearer region beats a
    higher one, a later start beats an earlier one. No rule: 100/100 with 60/60."""
    chain = region_ancestors(region_code)
    depth = {code: i for i, code in enumerate(chain)}
    occupation_id = getattr(occupation, "pk", occupation)
    level_id = getattr(level, "pk", level)
    candidates = PassRule.objects.filter(region_id__in=chain, valid_from__lte=on).filter(
        Q(occupation__isnull=True) | Q(occupation_id=occupation_id)
    )
    candidates = (
        candidates.filter(Q(level__isnull=True) | Q(level_id=level_id))
        if level_id
        else candidates.filter(level__isnull=True)
    )
    best = sorted(
        candidates,
        key=lambda r: (r.occupation_id is None, r.level_id is None, depth[r.region_id], -r.valid_from.toordinal()),
    )
    if not best:
        return ScoreRule(), None
    r = best[0]
    return ScoreRule(r.theory_max, r.practical_max, r.theory_pass, r.practical_pass), r


def session_rule(session: ExamSession) -> ScoreRule:
    return pass_rule_for(
        region_code=session.venue_region_id, occupation=session.occupation_id, level=session.level_id,
        on=session.exam_date,
    )[0]  # fmt: skip


# ---- sessions (考试场次) ----------------------------------------------------------------------------------------


@dataclass
class SessionData:
    occupation_code: str
    level_code: str
    venue_region: str
    venue_address: str
    starts_at: dt.datetime
    duration_minutes: int
    terminals: list[str]
    certificate_kind: str = ""


def session_create(*, actor: Actor, organization: Organization, data: SessionData) -> ExamSession:
    """安排考试场次 — for an occupation × level the organization has filed, at a venue, long enough."""
    _require_org_staff(actor, organization.pk)
    occupation = occupation_validate(data.occupation_code)
    level = level_validate(data.level_code) if data.level_code else None
    venue = region_validate(data.venue_region, "venue_region")
    address = " ".join((data.venue_address or "").split())
    if len(address) < 4:
        raise invalid(message="请填写考场地址。", field="venue_address", code="address_required")
    if timezone.is_naive(data.starts_at):
        raise invalid(message="开考时间须带时区。", field="starts_at", code="naive_datetime")
    exam_date = timezone.localtime(data.starts_at).date()
    minimum = int(setting_value(EXAM_MIN_MINUTES, venue.code, exam_date))
    if data.duration_minutes < minimum or data.duration_minutes > 24 * 60:
        raise invalid(
            message="考试时长过短。" if data.duration_minutes < minimum else "考试时长不正确。",
            field="duration_minutes",
            code="exam_too_short" if data.duration_minutes < minimum else "bad_duration",
            detail=f"考试时长须不少于 {minimum} 分钟（{venue.name}现行标准），填写的是 {data.duration_minutes} 分钟。",
        )
    terminals = sorted({t.strip() for t in data.terminals if t and t.strip()})
    if any(len(t) > 60 for t in terminals):
        raise invalid(message="考试终端编号过长。", field="terminals", code="terminal_too_long")
    filing = filing_in_force(organization.pk, occupation, level, exam_date)
    if filing is None:
        what = f"{occupation.name}" + (f"（{level.label}）" if level else "")
        raise OutsideFiling(f"{organization.name}在 {exam_date} 没有“{what}”的备案，不能安排该职业等级的考试。")
    kind_code = data.certificate_kind or DEFAULT_KIND_BY_ROUTE.get(filing.route, "skill_level")
    kind = certificate_kind_validate(kind_code)
    if kind.has_level != (level is not None):
        raise invalid(
            message="证书类别与等级不符。",
            field="certificate_kind",
            code="kind_level_mismatch",
            detail=f"{kind.name}{'须' if kind.has_level else '不'}区分等级。",
        )
    with transaction.atomic():
        session = ExamSession.objects.create(
            code=f"KS{exam_date:%Y%m%d}{uuid7().hex[-6:].upper()}",
            organization=organization,
            filing=filing,
            route=filing.route,
            certificate_kind=kind,
            occupation=occupation,
            level=level,
            venue_region=venue,
            venue_address=address[:300],
            starts_at=data.starts_at,
            exam_date=exam_date,
            duration_minutes=data.duration_minutes,
            terminals=terminals,
            created_by=actor_user(actor),
        )
        audit_event(
            Event.EXAM_SESSION_CREATE,
            actor=actor,
            object_id=session.pk,
            region_code=venue.code,
            after={
                "code": session.code,
                "organization": str(organization.pk),
                "occupation": occupation.code,
                "level": session.level_id,
                "starts_at": session.starts_at,
                "duration_minutes": session.duration_minutes,
                "terminals": terminals,
            },
        )
    return session


def _lock_open_session(session: ExamSession) -> ExamSession:
    locked: ExamSession = ExamSession.objects.select_for_update().get(pk=session.pk)
    if locked.status == SessionStatus.RESULTS_CLOSED:
        raise SessionState("该场次成绩已确认，不能再修改。", code="session_closed")
    if locked.status == SessionStatus.CANCELLED:
        raise SessionState("该场次已取消。", code="session_cancelled")
    return locked


def _examiner_serves(role: PoolRole, venue_region: str) -> bool:
    if region_is_within(venue_region, role.region_id):
        return True
    return any(region_is_within(venue_region, code) for code in role.served_regions.values_list("code", flat=True))


def examiner_add(*, actor: Actor, session: ExamSession, pool_role_id: Any) -> SessionExaminer:
    """Book a pool examiner (考评员) for a session.

    Refused: not an examiner of the pool, inactive or out of term on the exam date, bound to another
    organization, not serving the venue's region; or already booked the same day in a session of another district
    (one examiner in two districts on the same day — a fraud pattern of borrowed credentials)."""
    _require_org_staff(actor, session.organization_id)
    with transaction.atomic():
        session = _lock_open_session(session)
        # The examiner's pool role is locked, so two bookings of one examiner on one day are decided one at a time.
        role = examiner_for(pool_role_id, lock=True)
        if role is None:
            raise ExaminerRefused("该人员不是考评员库中的考评员。", code="not_an_examiner")
        day = session.exam_date
        if role.status != "active" or role.valid_from > day or (role.valid_until and role.valid_until < day):
            raise ExaminerRefused(f"该考评员在 {day} 不在库（状态或聘期不符）。", code="examiner_not_available")
        if role.organization_id and role.organization_id != session.organization_id:
            raise ExaminerRefused("该考评员隶属其他评价机构。", code="examiner_other_organization")
        if not _examiner_serves(role, session.venue_region_id):
            raise ExaminerRefused("该考评员不服务于考场所在地区。", code="examiner_outside_region")
        elsewhere = (
            SessionExaminer.objects.filter(person_id=role.person_id, exam_date=day, released_at__isnull=True)
            .exclude(session__status=SessionStatus.CANCELLED)
            .exclude(venue_region_id=session.venue_region_id)
            .select_related("session", "venue_region")
            .first()
        )
        if elsewhere is not None:
            raise ExaminerRefused(
                f"该考评员 {day} 已在{elsewhere.venue_region.name}的场次 {elsewhere.session.code} 担任考评，"
                "同一考评员不能同日在两个区县考评。",
                code="examiner_other_district_same_day",
                extra={"session": elsewhere.session.code, "district": elsewhere.venue_region_id},
            )
        if SessionExaminer.objects.filter(session=session, person_id=role.person_id, released_at__isnull=True).exists():
            raise ExaminerRefused("该考评员已在本场次。", code="examiner_already_booked")
        if Candidate.objects.filter(session=session, person_id=role.person_id).exists():
            raise ExaminerRefused("考评员不能是本场次的考生。", code="examiner_is_candidate")
        booking = SessionExaminer.objects.create(
            session=session,
            pool_role=role,
            person_id=role.person_id,
            exam_date=day,
            venue_region_id=session.venue_region_id,
            added_by=actor_user(actor),
        )
        audit_event(
            Event.EXAM_EXAMINER_ADD,
            actor=actor,
            object_id=session.pk,
            region_code=session.venue_region_id,
            after={"examiner": str(role.person_id), "pool_role": str(role.pk), "exam_date": day},
        )
    return booking


def _check_roster_open(session: ExamSession) -> None:
    """鉴定花名册提前报送 — after the due day only a roster an official reopened takes candidates."""
    due = roster_due(session)
    if timezone.localdate() > due and session.roster_reopened_at is None:
        raise SessionState(
            f"考生名单应在考试前报送（截止 {due}），已过截止日期；如确需补报，请由考场所在地人社部门批准补报。",
            code="roster_closed",
        )


def session_roster_reopen(*, actor: Any, session: ExamSession, reason: str) -> ExamSession:
    """批准补报 — an official of the venue's region (``records.review``) lets candidates be added after the roster
    deadline, with a reason (kept on the session and in the audit trail)."""
    require(actor, "records.review", region_code=session.venue_region_id)
    reason = _reason(reason)
    with transaction.atomic():
        session = _lock_open_session(session)
        if session.roster_reopened_at is not None:
            raise SessionState("该场次已批准补报。", code="roster_already_reopened")
        session.roster_reopened_at = timezone.now()
        session.roster_reopened_by = actor if getattr(actor, "pk", None) else None
        session.roster_reopen_reason = reason
        session.save(update_fields=["roster_reopened_at", "roster_reopened_by", "roster_reopen_reason", "updated_at"])
        audit_event(
            Event.EXAM_ROSTER_REOPEN,
            actor=actor,
            object_id=session.pk,
            region_code=session.venue_region_id,
            after={"due": roster_due(session).isoformat()},
            reason=reason,
        )
    return session


def candidate_add(
    *,
    actor: Actor,
    session: ExamSession,
    person: Person,
    source: str = CandidateSource.APPLICATION,
    training_class_id: Any = None,
    enrollment_id: Any = None,
) -> Candidate:
    """报名 — add a candidate: an individual application, or a trainee of a completed class."""
    _require_org_staff(actor, session.organization_id)
    if getattr(person, "status", "active") != "active":
        raise invalid(message="该人员记录已合并或注销。", field="person", code="person_inactive")
    with transaction.atomic():
        session = _lock_open_session(session)
        _check_roster_open(session)
        if session.examiners.filter(person_id=person.pk, released_at__isnull=True).exists():
            raise invalid(message="考评员不能作为本场次考生。", field="person", code="candidate_is_examiner")
        try:
            with transaction.atomic():
                candidate = Candidate.objects.create(
                    session=session,
                    person=person,
                    source=source,
                    training_class_id=training_class_id,
                    enrollment_id=enrollment_id,
                    added_by=actor_user(actor),
                )
        except IntegrityError:
            raise invalid(message="该人员已在本场次考生名单中。", field="person", code="already_candidate") from None
        person_attribute(
            person_id=person.pk,
            region_code=session.venue_region_id,
            kind="exam",
            ref=str(candidate.pk),
            occurred_on=session.exam_date,
        )
        audit_event(
            Event.EXAM_CANDIDATE_ADD,
            actor=actor,
            object_id=session.pk,
            region_code=session.venue_region_id,
            after={
                "candidate": str(candidate.pk),
                "person": str(person.pk),
                "source": source,
                "class": str(training_class_id) if training_class_id else None,
            },
        )
    return candidate


def candidates_add_from_class(*, actor: Actor, session: ExamSession, training_class_id: Any) -> list[Candidate]:
    """结业学员报考 — add every trainee who completed the class with a pass and is not yet a candidate.

    The class must be completed (结业) and of the session's occupation and level."""
    _require_org_staff(actor, session.organization_id)
    info = training_link.class_info(training_class_id)
    if info is None or not info.completed:
        raise invalid(message="培训班不存在或尚未结业。", field="training_class_id", code="class_not_completed")
    if info.occupation_id != session.occupation_id or (session.level_id and info.level_id != session.level_id):
        raise invalid(
            message="培训班的职业或等级与考试场次不符。",
            field="training_class_id",
            code="class_occupation_mismatch",
            detail=f"培训班 {info.code} 的职业等级与场次 {session.code} 不同。",
        )
    added = []
    with transaction.atomic():
        existing = set(Candidate.objects.filter(session=session).values_list("person_id", flat=True))
        trainees = training_link.completed_trainees(info.id)
        persons = {p.pk: p for p in Person.objects.filter(pk__in=[t.person_id for t in trainees])}
        for trainee in trainees:
            person = persons.get(trainee.person_id)
            if person is None or person.pk in existing:
                continue
            added.append(
                candidate_add(
                    actor=actor,
                    session=session,
                    person=person,
                    source=CandidateSource.CLASS,
                    training_class_id=info.id,
                    enrollment_id=trainee.enrollment_id,
                )
            )
    return added


@dataclass
class ResultData:
    candidate_id: Any
    examiner_id: Any = None  # the SessionExaminer booking (or the examiner's pool role) that examined
    theory_score: Any = None
    practical_score: Any = None
    absent: bool = False
    terminal: str = ""


def _score(value: Any, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    return _decimal(value, field)


def result_record(*, actor: Actor, session: ExamSession, data: ResultData, now: dt.datetime | None = None) -> Candidate:
    """录入成绩 — theory and practical scores of one candidate, the examiner who examined, and the result.

    Refused with a clear reason: the session has not started or is closed; the candidate is not in the session;
    the examiner is not booked for it, or taught the candidate's class (an examiner examining their own trainees),
    or is the candidate; a score is missing or outside its range; the terminal is not registered for the session.
    """
    _require_org_staff(actor, session.organization_id)
    now = now or timezone.now()
    with transaction.atomic():
        session = _lock_open_session(session)
        if now < session.starts_at:
            raise SessionState(f"考试尚未开始（开考时间 {timezone.localtime(session.starts_at):%Y-%m-%d %H:%M}）。",
                               code="session_not_started")  # fmt: skip
        candidate: Candidate | None = (
            Candidate.objects.select_for_update().filter(session=session, pk=uuid_or_none(data.candidate_id)).first()
        )
        if candidate is None:
            raise invalid(message="该考生不在本场次。", field="candidate_id", code="candidate_not_in_session", detail="考生不在本场次的考生名单中，不能录入成绩。")  # fmt: skip
        if candidate.result != CandidateResult.PENDING and hasattr(candidate, "certificate"):
            raise SessionState("该考生已发证，成绩不能再修改。", code="certificate_issued")
        terminal = (data.terminal or "").strip()
        if terminal and session.terminals and terminal not in session.terminals:
            raise invalid(message="考试终端未登记。", field="terminal", code="terminal_not_registered", detail=f"终端 {terminal} 不在本场次登记的考试终端中。")  # fmt: skip
        if data.absent:
            examiner = _booking_or_none(session, data.examiner_id)
            theory = practical = None
            result = CandidateResult.ABSENT
        else:
            examiner = _booking_or_none(session, data.examiner_id)
            if examiner is None:
                raise invalid(message="请指定本场次的考评员。", field="examiner_id", code="examiner_not_in_session", detail="成绩须由本场次登记的考评员录入（谁考评了谁）。")  # fmt: skip
            _check_conflict_of_interest(examiner, candidate)
            rule = session_rule(session)
            theory = _score(data.theory_score, "theory_score")
            practical = _score(data.practical_score, "practical_score")
            problems = score_problems(rule, theory, practical)
            if problems:
                raise ValidationFailed(
                    "成绩不正确：" + "；".join(p.message for p in problems),
                    [FieldError(p.field, p.code, p.message) for p in problems],
                    code=problems[0].code,
                )
            result = CandidateResult.PASSED if decide(rule, theory, practical).passed else CandidateResult.FAILED
        before = {"theory": candidate.theory_score, "practical": candidate.practical_score, "result": candidate.result}
        candidate.theory_score = theory
        candidate.practical_score = practical
        candidate.result = result
        candidate.examiner = examiner
        candidate.terminal = terminal
        candidate.recorded_at = now
        candidate.recorded_by = actor_user(actor)
        candidate.save()
        audit_event(
            Event.EXAM_RESULT_RECORD,
            actor=actor,
            object_id=candidate.pk,
            region_code=session.venue_region_id,
            before=before,
            after={
                "theory": theory,
                "practical": practical,
                "result": result,
                "examiner": str(examiner.person_id) if examiner else None,
                "terminal": terminal,
            },
        )
    return candidate


def _booking_or_none(session: ExamSession, examiner_id: Any) -> SessionExaminer | None:
    key = uuid_or_none(examiner_id)
    if key is None:
        return None
    return (
        SessionExaminer.objects.filter(session=session, released_at__isnull=True)
        .filter(Q(pk=key) | Q(pool_role_id=key))
        .first()
    )


def _check_conflict_of_interest(examiner: SessionExaminer, candidate: Candidate) -> None:
    """回避 — an examiner may not examine themselves, nor a trainee of a class they taught (this candidate's class,
    or any class the candidate was on the roster of)."""
    if examiner.person_id == candidate.person_id:
        raise ExaminerRefused("考评员不能考评自己。", code="examiner_is_candidate")
    taught_their_class = bool(candidate.training_class_id) and examiner.person_id in (
        training_link.class_teacher_person_ids(candidate.training_class_id)
    )
    if taught_their_class or training_link.taught(examiner.person_id, candidate.person_id):
        raise ExaminerRefused(
            "该考评员是该考生参加的培训班的授课教师，不能考评自己的学员（须回避）。",
            code="examiner_taught_candidate",
        )


def session_close(*, actor: Actor, session: ExamSession) -> ExamSession:
    """成绩确认 — close the session once every candidate has a result; results are final from then on."""
    _require_org_staff(actor, session.organization_id)
    with transaction.atomic():
        session = _lock_open_session(session)
        pending = session.candidates.filter(result=CandidateResult.PENDING).count()
        if pending:
            raise SessionState(f"还有 {pending} 名考生没有成绩，不能确认。", code="results_incomplete")
        if not session.candidates.exists():
            raise SessionState("本场次没有考生。", code="no_candidates")
        session.status = SessionStatus.RESULTS_CLOSED
        session.closed_at = timezone.now()
        session.save(update_fields=["status", "closed_at", "updated_at"])
        counts = {r: session.candidates.filter(result=r).count() for r in CandidateResult.values}
        audit_event(
            Event.EXAM_SESSION_CLOSE,
            actor=actor,
            object_id=session.pk,
            region_code=session.venue_region_id,
            after=counts,
        )
    return session


def session_cancel(*, actor: Actor, session: ExamSession, reason: str) -> ExamSession:
    """取消场次 — cancel a session that has no result yet, with a reason. Its examiners are released (free to be
    booked elsewhere that day) and its candidates stay on record, so they can be entered in another session."""
    _require_org_staff(actor, session.organization_id)
    reason = _reason(reason)
    with transaction.atomic():
        session = _lock_open_session(session)
        recorded = session.candidates.exclude(result=CandidateResult.PENDING).count()
        if recorded:
            raise SessionState(f"已有 {recorded} 名考生录入成绩，不能取消该场次。", code="session_has_results")
        now = timezone.now()
        released = session.examiners.filter(released_at__isnull=True).update(released_at=now)
        session.status = SessionStatus.CANCELLED
        session.closed_at = now
        session.save(update_fields=["status", "closed_at", "updated_at"])
        audit_event(
            Event.EXAM_SESSION_CANCEL,
            actor=actor,
            object_id=session.pk,
            region_code=session.venue_region_id,
            after={"candidates": session.candidates.count(), "examiners_released": released},
            reason=reason,
        )
    return session


# ---- certificates ------------------------------------------------------------------------------------------------


def _next_number(region_code: str, year: int, kind_code: str) -> str:
    prefix = f"{region_code}{year:04d}{kind_letter(kind_code)}"
    return format_number(region_code, year, kind_code, serial_reserve(NumberSerial, prefix=prefix))


def certificates_issue(*, actor: Actor, session: ExamSession, issued_on: dt.date | None = None) -> list[Certificate]:
    """发证 — a certificate for every candidate who passed and has none yet (running it again issues nothing twice).

    Attributed to the venue's region; numbered from the venue's region, the year of issue and the kind."""
    _require_org_staff(actor, session.organization_id)
    issued_on = issued_on or timezone.localdate()
    issued: list[Certificate] = []
    with transaction.atomic():
        session = (
            ExamSession.objects.select_for_update(of=("self",))
            .select_related("organization", "occupation", "level", "certificate_kind")
            .get(pk=session.pk)
        )
        if session.status != SessionStatus.RESULTS_CLOSED:
            raise SessionState("须先确认本场次成绩，再发证。", code="session_not_closed")
        if issued_on < session.exam_date:
            raise invalid(message="发证日期不能早于考试日期。", field="issued_on", code="bad_issue_date")
        passed = (
            session.candidates.filter(result=CandidateResult.PASSED, certificate__isnull=True)
            .select_related("person")
            .order_by("created_at")
        )
        for candidate in passed:
            issued.append(
                _certificate_create(
                    actor=actor,
                    kind=session.certificate_kind,
                    person=candidate.person,
                    occupation=session.occupation,
                    level=session.level,
                    issuer=session.organization,
                    issued_on=issued_on,
                    region_code=session.venue_region_id,
                    candidate=candidate,
                )
            )
    return issued


def _certificate_create(
    *,
    actor: Actor,
    kind: CertificateKind,
    person: Person,
    occupation: Occupation | None,
    level: SkillLevel | None,
    issuer: Organization | None,
    issued_on: dt.date,
    region_code: str,
    candidate: Candidate | None = None,
    number: str = "",
    holder_name: str = "",
    occupation_name: str = "",
    issuer_name: str = "",
    source: str = CertificateSource.EXAM,
    legal_basis: str = "",
) -> Certificate:
    certificate = Certificate.objects.create(
        number=number or _next_number(region_code, issued_on.year, kind.code),
        kind=kind,
        person=person,
        holder_name=holder_name or person.name,
        occupation=occupation,
        occupation_name=occupation_name or (occupation.name if occupation else ""),
        level=level,
        issuer=issuer,
        issuer_name=issuer_name or (issuer.name if issuer else ""),
        issued_on=issued_on,
        region_id=region_code,
        candidate=candidate,
        source=source,
        legal_basis=legal_basis,
        issued_by=actor_user(actor),
    )
    person_attribute(
        person_id=person.pk, region_code=region_code, kind="certificate", ref=str(certificate.pk), occurred_on=issued_on
    )
    audit_event(
        _ISSUE_EVENTS[CertificateSource(source)],
        actor=actor,
        object_id=certificate.pk,
        region_code=region_code,
        after={
            "number": certificate.number,
            "kind": kind.code,
            "person": str(person.pk),
            "occupation": occupation.code if occupation else certificate.occupation_name,
            "level": level.code if level else None,
            "issuer": certificate.issuer_name,
            "issued_on": issued_on,
        },
    )
    return certificate


_ISSUE_EVENTS = {
    CertificateSource.EXAM: Event.CERTIFICATE_ISSUE,
    CertificateSource.IMPORT: Event.CERTIFICATE_IMPORT,
    CertificateSource.COMPETITION: Event.CERTIFICATE_AWARD,
}


def certificate_award(
    *,
    actor: Actor,
    person: Person,
    occupation: Occupation,
    level: SkillLevel,
    issued_on: dt.date,
    region_code: str,
    issuer_name: str,
    legal_basis: str,
) -> Certificate:
    """竞赛晋升发证 — a 职业技能等级证书 a competition result brings (the competitions app decides who, by its award
    rules), by an official over the region it is attributed to; the legal basis is kept on the certificate."""
    require(actor, "records.review", region_code=region_code)
    kind = CertificateKind.objects.get(pk="skill_level")  # 职业技能等级证书
    with transaction.atomic():
        return _certificate_create(
            actor=actor,
            kind=kind,
            person=person,
            occupation=occupation,
            level=level,
            issuer=None,
            issued_on=issued_on,
            region_code=region_code,
            issuer_name=issuer_name,
            source=CertificateSource.COMPETITION,
            legal_basis=legal_basis[:300],
        )


def certificate_import(
    *,
    actor: Actor,
    number: str,
    kind: CertificateKind,
    person: Person,
    holder_name: str,
    occupation: Occupation | None,
    occupation_name: str,
    level: SkillLevel | None,
    issuer: Organization | None,
    issuer_name: str,
    issued_on: dt.date,
    region_code: str,
) -> Certificate:
    """历史证书导入 — a certificate issued before this platform, kept with its original number."""
    require(actor, "records.review", region_code=region_code)
    with transaction.atomic():
        return _certificate_create(
            actor=actor,
            kind=kind,
            person=person,
            occupation=occupation,
            level=level,
            issuer=issuer,
            issued_on=issued_on,
            region_code=region_code,
            number=number,
            holder_name=holder_name,
            occupation_name=occupation_name,
            issuer_name=issuer_name,
            source=CertificateSource.IMPORT,
        )


def certificate_revoke(*, actor: Actor, certificate: Certificate, reason: str) -> Certificate:
    """撤销 — by an official over the certificate's region or by the issuing organization; with a reason."""
    _require_official_or_org(
        actor, region_code=certificate.region_id, organization_id=certificate.issuer_id, permission="records.review"
    )
    reason = _reason(reason)
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.status == CertificateStatus.REVOKED:
            raise SessionState("该证书已撤销。", code="certificate_revoked")
        certificate.status = CertificateStatus.REVOKED
        certificate.revoked_at = timezone.now()
        certificate.revoked_by = actor_user(actor)
        certificate.revoke_reason = reason
        certificate.save(update_fields=["status", "revoked_at", "revoked_by", "revoke_reason", "updated_at"])
        audit_event(
            Event.CERTIFICATE_REVOKE,
            actor=actor,
            object_id=certificate.pk,
            region_code=certificate.region_id,
            before={"status": CertificateStatus.VALID},
            after={"status": CertificateStatus.REVOKED, "number": certificate.number},
            reason=reason,
        )
        certificate_changed(certificate.person_id)
    return certificate


CORRECTABLE = ("holder_name", "occupation", "level", "issued_on")


def certificate_correct(*, actor: Actor, certificate: Certificate, changes: dict[str, Any], reason: str) -> Certificate:
    """更正 — fix the holder's name as printed, the occupation, the level or the date of issue, with a reason.

    The number stays; the correction (before → after) is kept on the certificate and in the audit trail."""
    _require_official_or_org(
        actor, region_code=certificate.region_id, organization_id=certificate.issuer_id, permission="records.review"
    )
    reason = _reason(reason)
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise invalid(
            message="不能更正该项。",
            field=sorted(unknown)[0],
            code="not_correctable",
            detail=f"可更正：{'、'.join(CORRECTABLE)}",
        )
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("occupation", "level")
            .get(pk=certificate.pk)
        )
        if certificate.status == CertificateStatus.REVOKED:
            raise SessionState("已撤销的证书不能更正。", code="certificate_revoked")
        diff: dict[str, list[Any]] = {}
        if "holder_name" in changes:
            name = " ".join(str(changes["holder_name"] or "").split())
            if not 1 <= len(name) <= 60:
                raise invalid(message="姓名不正确。", field="holder_name", code="bad_name")
            if name != certificate.holder_name:
                diff["holder_name"] = [certificate.holder_name, name]
                certificate.holder_name = name
        if "occupation" in changes:
            occupation = occupation_validate(str(changes["occupation"] or ""))
            if occupation.pk != certificate.occupation_id:
                diff["occupation"] = [certificate.occupation.code if certificate.occupation else None, occupation.code]
                certificate.occupation = occupation
                certificate.occupation_name = occupation.name
        if "level" in changes:
            if not certificate.kind.has_level:
                raise invalid(message="该类证书不分等级。", field="level", code="level_not_applicable")
            level = level_validate(str(changes["level"] or ""))
            if level.pk != certificate.level_id:
                diff["level"] = [certificate.level_id, level.pk]
                certificate.level = level
        if "issued_on" in changes:
            issued_on = changes["issued_on"]
            if not isinstance(issued_on, dt.date):
                raise invalid(message="发证日期不正确。", field="issued_on", code="bad_date")
            if issued_on > timezone.localdate():
                raise invalid(message="发证日期不能晚于今天。", field="issued_on", code="date_in_future")
            if issued_on != certificate.issued_on:
                diff["issued_on"] = [certificate.issued_on.isoformat(), issued_on.isoformat()]
                certificate.issued_on = issued_on
        if not diff:
            raise invalid(message="没有需要更正的内容。", field="changes", code="nothing_changed")
        certificate.save()
        CertificateCorrection.objects.create(
            certificate=certificate,
            changes=diff,
            reason=reason,
            corrected_by=actor_user(actor),
        )
        audit_event(
            Event.CERTIFICATE_CORRECT,
            actor=actor,
            object_id=certificate.pk,
            region_code=certificate.region_id,
            before={k: v[0] for k, v in diff.items()},
            after={k: v[1] for k, v in diff.items()},
            reason=reason,
        )
    return certificate


def is_official(actor: Actor) -> bool:
    return bool(principal_for(actor).region_perms)
