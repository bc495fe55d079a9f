"""Demo data of evaluation (``jineng seed --scale demo``): the demo evaluation organization's filing, two pool
examiners, one exam session in 天河 two weeks ago with the demo worker 李明 and a few demo candidates (and the
trainees of any completed demo class of the same occupation and level), results, and the certificates issued to
those who passed; yesterday's retake of those who failed or were absent, results still to enter; a session in ten
days with no roster yet; and a 电工（三级/高级工）session held this year whose certificates count as 高级工及以上
(``seed_high_skill_session``). Idempotent: a second run finds the sessions (by venue) and changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from jineng.accounts.api import Actor, Operator, Organization, User
from jineng.certificates import services, training_link
from jineng.certificates.models import Certificate, EvaluatorFiling, ExamSession
from jineng.providers.api import PoolRole, PoolRoleKind
from jineng.registry.api import Person, person_create, person_resolve
from jineng.rules.idcard import check_character

PROGRAMMER = "4-04-05-01"
VENUE_ADDRESS = "广州市天河区天河路 100 号 职业技能评价考点"
RETAKE_ADDRESS = "广州市天河区天河路 100 号 职业技能评价考点（补考）"
UPCOMING_ADDRESS = "广州市天河区中山大道 8 号 职业技能评价考点"
# (name, ID body without its check character, theory, practical); None scores: absent.
CANDIDATES: list[tuple[str, str, int | None, int | None]] = [
    ("陈晓峰", "44010619920415231", 82, 90),
    ("黄丽娟", "44010619960823142", 74, 68),
    ("刘建国", "44010619880109051", 55, 71),
    ("周敏", "44010619990302162", None, None),
]
EXAMINERS = [("何志强", "44010419750611371"), ("林淑芬", "44010419800927282")]


# The demo writes its past sessions today: their rosters are past the deadline (exam.roster_days_before), so the
# seeding reopens them the way an official would, with this reason.
DEMO_HISTORY = "演示数据：补录历史场次的考生名册"


def _person(actor: Actor, name: str, body: str, region: str) -> Person:
    number = body + check_character(body)
    existing = person_resolve(number)
    if existing is not None:
        return existing
    return person_create(
        actor=actor, name=name, id_number=number, residence_region=region, source="manual", check_permission=False
    )


def seed_demo(*, evaluator: Organization) -> list[Certificate]:
    """Create the demo sessions and the certificates unless they exist; returns the certificates issued now."""
    issued = _seed_held(evaluator)
    _seed_pending(evaluator)
    return issued


def _seed_pending(evaluator: Organization) -> None:
    """The evaluator's work of today (issue 15: the workbench had no to-dos): yesterday's 补考 of those who failed or
    missed the exam, examiners booked, results not entered yet (成绩录入); and a session in ten days with nobody on
    its roster yet (考前准备: the roster is due ``exam.roster_days_before`` days before)."""
    actor = Operator("seed")
    today = timezone.localdate()
    if not EvaluatorFiling.objects.filter(organization=evaluator, occupation__code=PROGRAMMER).exists():
        return
    with transaction.atomic():
        if not ExamSession.objects.filter(organization=evaluator, venue_address=RETAKE_ADDRESS).exists():
            starts = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=1), dt.time(9, 0)))
            session = services.session_create(actor=actor, organization=evaluator, data=services.SessionData(
                occupation_code=PROGRAMMER, level_code="grade4", venue_region="440106", venue_address=RETAKE_ADDRESS,
                starts_at=starts, duration_minutes=120, terminals=["TH-KD-01"]))  # fmt: skip
            role = PoolRole.objects.filter(person__in=[_person(actor, n, b, "440104") for n, b in EXAMINERS],
                                           role=PoolRoleKind.EXAMINER).order_by("created_at").first()  # fmt: skip
            if role is not None:
                services.examiner_add(actor=actor, session=session, pool_role_id=role.pk)
            session = services.session_roster_reopen(actor=actor, session=session, reason=DEMO_HISTORY)
            for name, body, theory, _practical in CANDIDATES:
                if theory is None or theory < 60:  # absent or failed: they retake it
                    services.candidate_add(actor=actor, session=session, person=_person(actor, name, body, "440106"))
        if not ExamSession.objects.filter(organization=evaluator, venue_address=UPCOMING_ADDRESS).exists():
            starts = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=10), dt.time(9, 0)))
            services.session_create(actor=actor, organization=evaluator, data=services.SessionData(
                occupation_code=PROGRAMMER, level_code="grade4", venue_region="440106", venue_address=UPCOMING_ADDRESS,
                starts_at=starts, duration_minutes=120, terminals=[]))  # fmt: skip


def _seed_held(evaluator: Organization) -> list[Certificate]:
    if ExamSession.objects.filter(organization=evaluator, venue_address=VENUE_ADDRESS).exists():
        return []
    actor = Operator("seed")
    today = timezone.localdate()
    with transaction.atomic():
        if not EvaluatorFiling.objects.filter(organization=evaluator, occupation__code=PROGRAMMER).exists():
            services.filing_create(
                actor=actor, organization=evaluator, route="social", occupation_code=PROGRAMMER, level_code="grade4",
                valid_from=dt.date(today.year - 1, 1, 1), document_number="穗人社评备〔示例〕1号",
            )  # fmt: skip
        roles = []
        for name, body in EXAMINERS:
            person = _person(actor, name, body, "440104")
            role = PoolRole.objects.filter(person=person, role=PoolRoleKind.EXAMINER).first()
            if role is None:
                role = PoolRole.objects.create(
                    person=person, role=PoolRoleKind.EXAMINER, region_id="440100", employer_name="广州市职业技能评价中心",
                    title="高级考评员", valid_from=dt.date(today.year - 2, 1, 1),
                )  # fmt: skip
            roles.append(role)
        exam_day = today - dt.timedelta(days=14)
        starts = timezone.make_aware(dt.datetime.combine(exam_day, dt.time(9, 0)))
        session = services.session_create(
            actor=actor,
            organization=evaluator,
            data=services.SessionData(
                occupation_code=PROGRAMMER, level_code="grade4", venue_region="440106", venue_address=VENUE_ADDRESS,
                starts_at=starts, duration_minutes=120, terminals=["TH-KD-01", "TH-KD-02"],
            ),
        )  # fmt: skip
        bookings = [services.examiner_add(actor=actor, session=session, pool_role_id=r.pk) for r in roles]
        session = services.session_roster_reopen(actor=actor, session=session, reason=DEMO_HISTORY)
        scores: list[tuple[Any, int | None, int | None]] = []
        worker = User.objects.filter(username="demo-worker", person_id__isnull=False).first()
        if worker is not None and worker.person_id is not None:
            demo_worker = Person.objects.get(pk=worker.person_id)
            scores.append((services.candidate_add(actor=actor, session=session, person=demo_worker), 85, 88))
        for name, body, theory, practical in CANDIDATES:
            person = _person(actor, name, body, "440106")
            scores.append((services.candidate_add(actor=actor, session=session, person=person), theory, practical))
        # Trainees of completed demo classes of the same occupation and level sit the exam too.
        for class_id in _completed_class_ids():
            for candidate in services.candidates_add_from_class(
                actor=actor, session=session, training_class_id=class_id
            ):
                scores.append((candidate, 78, 80))
        for i, (candidate, theory, practical) in enumerate(scores):
            # Candidates are shared between the examiners, never one who taught them (回避).
            rotation = bookings[i % len(bookings) :] + bookings[: i % len(bookings)]
            booking = next((b for b in rotation if not training_link.taught(b.person_id, candidate.person_id)), None)
            services.result_record(
                actor=actor,
                session=session,
                now=starts + dt.timedelta(minutes=150),
                data=services.ResultData(
                    candidate_id=candidate.pk, examiner_id=booking.pk if booking and theory is not None else None,
                    theory_score=theory, practical_score=practical, absent=theory is None,
                    terminal=session.terminals[i % len(session.terminals)] if theory is not None else "",
                ),
            )  # fmt: skip
        services.session_close(actor=actor, session=session)
        return services.certificates_issue(actor=actor, session=session, issued_on=exam_day + dt.timedelta(days=7))


def _completed_class_ids() -> list[Any]:
    from jineng.training import api as training

    rows = training.completed_enrollments_queryset(occupation=PROGRAMMER, level="grade4").values_list(
        "training_class_id", flat=True
    )
    return list(dict.fromkeys(rows))[:3]


def _demo_examiners() -> list[Any]:
    """The demo's pool examiners (registered with the 四级 session, ``_seed_held``), each by its first role."""
    return [
        role
        for name, body in EXAMINERS
        if (person := person_resolve(body + check_character(body))) is not None
        for role in PoolRole.objects.filter(person=person, role=PoolRoleKind.EXAMINER).order_by("created_at")[:1]
    ]


# 高级工 (三级) certificates of this year (issue 15): the demo's sessions are at 四级, so the plan's 其中：高级工及以上证书
# showed 0 %. A 电工（三级）session of the evaluator in 天河 some six weeks ago: electricians of 广州 (name, ID body
# without its check character, residence, theory, practical), one of whom fails the practical part.
ELECTRICIAN = "6-31-01-03"
HIGH_SKILL_ADDRESS = "广州市天河区天河路 100 号 职业技能评价考点（电工实操室）"
HIGH_SKILL_CANDIDATES: list[tuple[str, str, str, int, int]] = [
    ("吴国栋", "44010619860714235", "440106", 81, 86),
    ("郑海涛", "44010519900228157", "440105", 76, 79),
    ("许文斌", "44011119870503318", "440111", 88, 91),
    ("曾志明", "44010419930916139", "440104", 69, 72),
    ("潘伟强", "44011319891120255", "440113", 73, 58),
    ("邱健华", "44010619920601379", "440106", 84, 80),
]


def seed_high_skill_session(*, evaluator: Organization) -> list[Certificate]:
    """The evaluator's 电工（三级/高级工）filing and a session held this year (about six weeks ago, never before 2
    January), results by the demo examiners, certificates issued ten days after the exam (not after today).
    Idempotent (the session is found by its venue). Returns the certificates issued now."""
    if ExamSession.objects.filter(organization=evaluator, venue_address=HIGH_SKILL_ADDRESS).exists():
        return []
    actor = Operator("seed")
    today = timezone.localdate()
    exam_day = max(today - dt.timedelta(days=45), dt.date(today.year, 1, 2))
    if exam_day >= today:
        return []  # the first days of a year: nothing held yet
    examiners = _demo_examiners()
    if not examiners:
        return []  # the examiners come with the 四级 session (_seed_held)
    with transaction.atomic():
        if not EvaluatorFiling.objects.filter(
            organization=evaluator, occupation__code=ELECTRICIAN, level_id="grade3", revoked_at__isnull=True
        ).exists():
            services.filing_create(
                actor=actor, organization=evaluator, route="social", occupation_code=ELECTRICIAN, level_code="grade3",
                valid_from=dt.date(today.year - 1, 1, 1), document_number="穗人社评备〔示例〕2号",
            )  # fmt: skip
        starts = timezone.make_aware(dt.datetime.combine(exam_day, dt.time(9, 0)))
        session = services.session_create(actor=actor, organization=evaluator, data=services.SessionData(
            occupation_code=ELECTRICIAN, level_code="grade3", venue_region="440106", venue_address=HIGH_SKILL_ADDRESS,
            starts_at=starts, duration_minutes=180, terminals=["TH-DG-01", "TH-DG-02"]))  # fmt: skip
        bookings = [services.examiner_add(actor=actor, session=session, pool_role_id=r.pk) for r in examiners]
        session = services.session_roster_reopen(actor=actor, session=session, reason=DEMO_HISTORY)
        for i, (name, body, region, theory, practical) in enumerate(HIGH_SKILL_CANDIDATES):
            candidate = services.candidate_add(actor=actor, session=session, person=_person(actor, name, body, region))
            services.result_record(
                actor=actor, session=session, now=starts + dt.timedelta(minutes=210),
                data=services.ResultData(
                    candidate_id=candidate.pk, examiner_id=bookings[i % len(bookings)].pk, theory_score=theory,
                    practical_score=practical, terminal=session.terminals[i % len(session.terminals)],
                ),
            )  # fmt: skip
        services.session_close(actor=actor, session=session)
        return services.certificates_issue(
            actor=actor, session=session, issued_on=min(exam_day + dt.timedelta(days=10), today)
        )


# Certificates of the last complete quarter (issue 15: /labour/ opens on that quarter and showed 取证 0 beside the
# occupations the demo trains — every demo session was held in the current quarter). A session of each of these
# occupations (四级) some three weeks before that quarter ended, for the trainees of the demo classes completed in
# the half year before it; certificates a week after the exam.
QUARTER_OCCUPATIONS = (("4-10-01-05", "穗人社评备〔示例〕3号"), ("4-01-06-01", "穗人社评备〔示例〕4号"))
QUARTER_ADDRESS = "广州市天河区天河路 100 号 职业技能评价考点（季度考核）"


def seed_last_quarter_sessions(*, evaluator: Organization) -> list[Certificate]:
    """One session per ``QUARTER_OCCUPATIONS`` in the last complete quarter, through the services; candidates from
    completed classes (``candidates_add_from_class``), every one but the last of each session passing. Idempotent
    (the sessions are found by their venue). Returns the certificates issued now."""
    from jineng.training import api as training

    if ExamSession.objects.filter(organization=evaluator, venue_address=QUARTER_ADDRESS).exists():
        return []
    examiners = _demo_examiners()
    if not examiners:
        return []  # the examiners come with the 四级 session (_seed_held)
    actor = Operator("seed")
    today = timezone.localdate()
    quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)  # the current quarter's first day
    year = (quarter_start - dt.timedelta(days=1)).year
    exam_day = quarter_start - dt.timedelta(days=21)  # three weeks before the last complete quarter ended
    exam_day -= dt.timedelta(days=max(0, exam_day.weekday() - 4))  # a working day
    issued: list[Certificate] = []
    for code, document in QUARTER_OCCUPATIONS:
        classes = list(dict.fromkeys(training.completed_enrollments_queryset(
            occupation=code, level="grade4", completed_since=exam_day - dt.timedelta(days=183),
            completed_until=exam_day - dt.timedelta(days=7),
        ).values_list("training_class_id", flat=True)))  # fmt: skip
        if not classes:
            continue
        with transaction.atomic():
            if not EvaluatorFiling.objects.filter(organization=evaluator, occupation__code=code).exists():
                services.filing_create(
                    actor=actor, organization=evaluator, route="social", occupation_code=code, level_code="grade4",
                    valid_from=dt.date(year - 1, 1, 1), document_number=document,
                )  # fmt: skip
            starts = timezone.make_aware(dt.datetime.combine(exam_day, dt.time(9, 0)))
            session = services.session_create(actor=actor, organization=evaluator, data=services.SessionData(
                occupation_code=code, level_code="grade4", venue_region="440106", venue_address=QUARTER_ADDRESS,
                starts_at=starts, duration_minutes=120, terminals=["TH-KD-03", "TH-KD-04"]))  # fmt: skip
            bookings = [services.examiner_add(actor=actor, session=session, pool_role_id=r.pk) for r in examiners]
            session = services.session_roster_reopen(actor=actor, session=session, reason=DEMO_HISTORY)
            candidates = [c for class_id in classes
                          for c in services.candidates_add_from_class(actor=actor, session=session,
                                                                      training_class_id=class_id)]  # fmt: skip
            for i, candidate in enumerate(candidates):
                services.result_record(
                    actor=actor, session=session, now=starts + dt.timedelta(minutes=150),
                    data=services.ResultData(
                        candidate_id=candidate.pk, examiner_id=bookings[i % len(bookings)].pk,
                        theory_score=58 if i == len(candidates) - 1 else 70 + (i * 7) % 25,
                        practical_score=66 + (i * 5) % 30, terminal=session.terminals[i % len(session.terminals)],
                    ),
                )  # fmt: skip
            services.session_close(actor=actor, session=session)
            issued += services.certificates_issue(actor=actor, session=session,
                                                  issued_on=exam_day + dt.timedelta(days=7))  # fmt: skip
    return issued
