"""Demo data of the training app (``jineng seed --scale demo``), through the training services with explicit
``now`` (each step happens on the day it would have happened); idempotent (a class of the demo is recognised by its
name and skipped).

- completed classes (已结业) of the 天河 school and the 福田 technical school from 2022 to last month, with rosters
  of demo persons, attendance by face recognition on every session (a few trainees miss some, so not everyone
  passes) and 培训合格证书; one online class of the platform;
- this week: a running class (培训中) with the sessions so far attended; ahead: an approved class (已批准) with its
  roster, a submitted one (待审核, the county's to-do), a draft (草稿), a refused one (未通过) and a cancelled one;
- the demo worker 李明 in a completed class of this year (for their archive and a claim);
- an apprenticeship plan (企业新型学徒制) of the demo enterprise with the 天河 school, three apprentices, a year of
  progress; and this year's cohort (``seed_apprentice_cohort``): a second plan, four new hires who joined this spring.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from jineng.accounts.api import Organization, User
from jineng.common.errors import DomainError
from jineng.providers.api import OrganizationProfile, PoolRole, Program, teachers_of
from jineng.training.models import (
    OCCUPYING_STATUSES,
    Apprentice,
    ApprenticeProgress,
    Apprenticeship,
    ClassSession,
    ClassStatus,
    Enrollment,
    TrainingClass,
)
from jineng.training.services import apprenticeships, attendance, classes, completion, rosters

TZ = ZoneInfo("Asia/Shanghai")
# Classes differ as real ones do (issue 15: every finished class read “结业 9（合格 8） / 30”): the planned size, the
# share of it enrolled, how many fail on attendance and whether someone drops out (退训) are drawn per class from these
# cycles (by the class's position in the plan, so a re-run draws the same).
PLANNED_SIZES = (10, 12, 8, 15, 12, 10, 14, 8, 12)
UNFILLED = (0, 2, 1, 3, 0, 2, 1, 1)  # planned places left empty
FAILING = (1, 0, 2, 1, 0, 0, 3, 1, 0, 2)  # trainees who miss most sessions (结业考核不合格)
DROPOUT_EVERY = 4  # one class in four: a trainee leaves (退训) after the second session
# A day's session: 09:00–13:30 (270 minutes = 6 学时 of 45 minutes, within the 7-a-day cap), 20 days = 120 学时 —
# exactly the demo programs' 120 学时 (providers.demo.PROGRAMS): credited 学时 never exceed the program's, and 120
# 学时 are the sessions' 90 clock hours (issue 15: 126 学时 were credited on a 120-学时 program over 108 clock hours).
SESSION_START, SESSION_END = (9, 0), (13, 30)
SESSION_DAYS = 20


@dataclass(frozen=True)
class DemoClass:
    name: str
    provider: str  # key of providers.demo.DEMO_ORGS
    program: str  # code of providers.demo.PROGRAMS
    region: str  # the venue's county
    venue: str
    status: str  # the state to bring it to
    start: dt.date  # the first session's day (a Monday)
    # Days of 09:00–13:30 (6 学时 a day): 20 make the demo programs' 120 学时 (providers.demo.PROGRAMS), which meet
    # the 职业培训补贴 standard of their level, so that a completed demo class can be claimed for.
    sessions: int = SESSION_DAYS
    online: bool = False
    online_sessions: int = 0  # the first sessions are online theory (credited from the learning record store)
    worker: bool = False  # the demo worker 李明 is on its roster
    planned: int = 15  # 计划人数
    trainees: int = 12  # enrolled (李明 included)
    failing: int = 1  # miss most sessions and fail
    dropout: bool = False  # one trainee leaves after the second session


def workday_after(day: dt.date, days: int = 7) -> dt.date:
    """A working day about ``days`` after ``day`` (Monday–Friday)."""
    day += dt.timedelta(days=days)
    return day + dt.timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


BLENDED_MARK = "线上线下融合"  # in the name of the class whose theory is online (learning.demo finds it by it)
# What a provider calls its class: by its program's kind (培训类型) — issue 15: 李明's class read 岗位技能提升培训班 on
# a 就业技能培训 program — and, for a program delivered online, 线上; a class held partly online says so.
KIND_NAMES = {
    "employment": "就业技能培训班",
    "upgrading": "岗位技能提升培训班",
    "digital": "数字技能线上培训班",
}
# The occupation, level and kind of the demo programs (providers.demo.PROGRAMS, which another app's demo may not
# import).
PROGRAM_NAMES = {
    "GD-DEMO-01": ("计算机程序设计员", "grade4", "employment"), "GD-DEMO-02": ("养老护理员", "grade4", "employment"),
    "GD-DEMO-03": ("家政服务员", "grade4", "employment"), "GD-DEMO-04": ("电工", "grade4", "employment"),
    "GD-DEMO-05": ("电子商务师", "grade4", "employment"), "GD-DEMO-06": ("电子商务师", "grade4", "digital"),
}  # fmt: skip
LEVEL_NAMES = {"grade5": "五级", "grade4": "四级", "grade3": "三级", "grade2": "二级", "grade1": "一级"}


def _named(specs: list[tuple[str, str, str, str, str, dt.date, dict[str, Any]]]) -> list[DemoClass]:
    """Name the classes as a provider files them — “2026年第3期养老护理员（四级）就业技能培训班”: numbered 第N期 per
    provider and year in the order they start, the occupation and level of the program, never a state, a venue or
    a trainee in the name (issue 15: “（待结业）”, “第25期” counted across schools). ``specs``: (provider key,
    region, program code, venue, status, first day, the other DemoClass fields)."""
    counters: dict[tuple[str, int], int] = {}
    out: list[DemoClass] = []
    for i, (provider, region, code, venue, status, start, extra) in enumerate(sorted(specs, key=lambda s: s[5])):
        n = counters[(provider, start.year)] = counters.get((provider, start.year), 0) + 1
        occupation, level, kind = PROGRAM_NAMES[code]
        mode = BLENDED_MARK if extra.get("online_sessions") else ""
        name = f"{start.year}年第{n}期{occupation}（{LEVEL_NAMES.get(level, '')}）{mode}{KIND_NAMES[kind]}"
        planned = extra.pop("planned", PLANNED_SIZES[i % len(PLANNED_SIZES)])
        sized = {
            "planned": planned,
            "trainees": planned - UNFILLED[i % len(UNFILLED)],
            "failing": FAILING[i % len(FAILING)],
            "dropout": i % DROPOUT_EVERY == 3,
        }
        out.append(DemoClass(name, provider, code, region, venue, status, start, **(sized | extra)))
    return out


def _plan(today: dt.date) -> list[DemoClass]:
    """The demo's classes: past ones every ~10 weeks from 2022 on, alternating providers and programs; current ones
    around today. Dates are computed from today, never fixed."""
    th, th_venue = ("provider", "440106"), "天河实训基地"
    ft = ("provider_sz", "440304")
    ft_venue = "福田高级技工学校 实训楼"
    specs: list[tuple[str, str, str, str, str, dt.date, dict[str, Any]]] = []
    gz = [("GD-DEMO-01", "3 楼"), ("GD-DEMO-02", "2 楼"), ("GD-DEMO-03", "1 楼")]
    sz = ["GD-DEMO-04", "GD-DEMO-05"]
    day = _monday(dt.date(2022, 3, 7))
    last = _monday(today - dt.timedelta(days=35))
    n = 0
    while day <= last:
        if n % 3 == 2:
            specs.append((*ft, sz[(n // 3) % len(sz)], ft_venue, "completed", day, {}))
        else:
            # The 天河 school's programs in turn (issue 15: ``gz[n % 3]`` on the 天河 turns never reached 家政服务员).
            code, floor = gz[(n - n // 3) % len(gz)]
            specs.append((*th, code, f"{th_venue} {floor}", "completed", day, {}))
        n += 1
        day = _monday(day + dt.timedelta(days=70))
    this_week = _monday(today)
    specs += [
        # The demo worker's class of this year, completed two months ago (exam and claim follow it).
        (*th, "GD-DEMO-01", f"{th_venue} 5 楼", "completed", _monday(today - dt.timedelta(days=63)),
         {"worker": True}),
        # Completed about two weeks ago with 120 学时: its trainees' 职业培训补贴 claims are within the claim period.
        (*th, "GD-DEMO-01", f"{th_venue} 4 楼", "completed", _monday(today - dt.timedelta(days=42)),
         {"planned": 15, "trainees": 14, "failing": 1, "dropout": False}),
        ("platform", "440106", "GD-DEMO-06", "线上直播课堂", "completed", _monday(today - dt.timedelta(days=49)),
         {"online": True}),
        # Online theory on the platform 粤技通 (its learner accounts map to this roster: learning.demo), then practice.
        (*th, "GD-DEMO-01", f"{th_venue} 6 楼", "running", this_week - dt.timedelta(days=14),
         {"online_sessions": 10, "worker": True}),
        (*th, "GD-DEMO-01", f"{th_venue} 3 楼", "running", this_week - dt.timedelta(days=7), {}),
        (*ft, "GD-DEMO-04", ft_venue, "running", this_week - dt.timedelta(days=7), {}),
        # Its last session ended last week: the provider's 结业 is what it waits for.
        (*th, "GD-DEMO-02", f"{th_venue} 2 楼", "running", this_week - dt.timedelta(days=28), {}),
        (*th, "GD-DEMO-02", f"{th_venue} 2 楼", "approved", this_week + dt.timedelta(days=21), {}),
        (*th, "GD-DEMO-03", f"{th_venue} 1 楼", "submitted", this_week + dt.timedelta(days=35), {}),
        (*ft, "GD-DEMO-05", ft_venue, "submitted", this_week + dt.timedelta(days=35), {}),
        (*th, "GD-DEMO-01", f"{th_venue} 3 楼", "draft", this_week + dt.timedelta(days=56), {}),
        (*th, "GD-DEMO-02", f"{th_venue} 2 楼", "rejected", this_week + dt.timedelta(days=42), {}),
        (*th, "GD-DEMO-03", f"{th_venue} 1 楼", "cancelled", this_week + dt.timedelta(days=28), {}),
    ]  # fmt: skip
    return _named(specs)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def _holiday(day: dt.date) -> bool:
    """A national public holiday on a weekday (国庆, 春节 …; issue 15: demo classes sat through 国庆 and 春节)."""
    try:
        import chinese_calendar

        return not chinese_calendar.is_workday(day)
    except (ImportError, NotImplementedError):  # a year the calendar package does not know yet
        return False


def _session_days(start: dt.date, count: int, *, holidays: bool = False) -> list[dt.date]:
    """``count`` weekdays from ``start``; with ``holidays``, public holidays skipped (a past class: one close to
    today keeps its weeks, so that its state — ended last week, running — does not move with the calendar)."""
    days: list[dt.date] = []
    day = start
    while len(days) < count:
        if day.weekday() < 5 and not (holidays and _holiday(day)):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


class _People:
    """Demo persons handed out once each (a person is in one class at a time), in the registry's stable order."""

    def __init__(self, numbers: list[str]) -> None:
        from jineng.registry.api import person_resolve

        used = set(Enrollment.objects.values_list("person_id", flat=True))
        self.queue: list[tuple[str, Any]] = []
        for number in numbers:
            person = person_resolve(number)
            if person is not None and person.pk not in used:
                self.queue.append((number, person))

    def take(self, n: int) -> list[tuple[str, Any]]:
        out, self.queue = self.queue[:n], self.queue[n:]
        return out


def _teachers(profile: OrganizationProfile, on: dt.date) -> list[PoolRole]:
    return sorted(teachers_of(profile, on), key=lambda r: (r.created_at, r.pk))


def _worker_row(number: str) -> list[tuple[str, Any]]:
    from jineng.registry.api import person_resolve

    person = person_resolve(number) if number else None
    return [(number, person)] if person is not None else []


def _busy_teachers(days: list[dt.date]) -> set[tuple[dt.date, Any]]:
    """(day, teacher person) of the sessions of classes that hold or held their teachers (submitted, approved,
    running, completed: a class built earlier in the seed is completed by the time the next one is planned)."""
    if not days:
        return set()
    rows = ClassSession.objects.filter(
        cancelled_at__isnull=True, teacher_person_id__isnull=False,
        training_class__status__in=(*OCCUPYING_STATUSES, ClassStatus.COMPLETED),
        starts_at__gte=_at(days[0], 0), starts_at__lt=_at(days[-1] + dt.timedelta(days=1), 0),
    ).values_list("starts_at", "teacher_person_id")  # fmt: skip
    return {(timezone.localtime(at, TZ).date(), person) for at, person in rows}


def _build(spec: DemoClass, profile: OrganizationProfile, staff: User, reviewer: User, people: _People,
           worker_number: str, now: dt.datetime) -> TrainingClass | None:  # fmt: skip
    program = Program.objects.get(code=spec.program)
    days = _session_days(
        spec.start,
        spec.sessions,
        holidays=spec.status == "completed" and spec.start <= now.date() - dt.timedelta(days=56),
    )
    teachers = _teachers(profile, spec.start)
    busy = _busy_teachers(days)
    sessions = []
    for i, d in enumerate(days):
        # Rotate the school's teachers, skipping one who teaches another of its classes that day (the service refuses
        # a teacher in two classes at once; the demo's classes of a school overlap by a week or two).
        free = [t for k in range(len(teachers)) if (d, (t := teachers[(i + k) % len(teachers)]).person_id) not in busy]
        sessions.append(
            classes.SessionInput(starts_at=_at(d, *SESSION_START), ends_at=_at(d, *SESSION_END), mode="online" if spec.online or i < spec.online_sessions else "offline",
                                 teacher=free[0].pk if free else None, topic=f"第{i + 1}次课")
        )  # fmt: skip
    # Filed a month before the start, but never after today (a class starting soon was filed already).
    filed = (
        min(_at(spec.start - dt.timedelta(days=30), 10), now - dt.timedelta(hours=3)) if spec.status != "draft" else now
    )
    data = classes.ClassInput(name=spec.name, program=program.pk, venue_name=spec.venue, region=spec.region,
                              venue_address=profile.address, planned_size=spec.planned, sessions=sessions)  # fmt: skip
    created_at = min(filed, now)
    tc = classes.class_create(actor=staff, provider=profile, data=data, now=created_at)
    if spec.status not in ("draft", "cancelled"):
        rows = people.take(spec.trainees - (1 if spec.worker else 0))
        if spec.worker:
            rows = _worker_row(worker_number) + rows
        roster = [rosters.RosterRow(name=p.name, id_number=number, row=i + 1, pledge=True)
                  for i, (number, p) in enumerate(rows)]  # fmt: skip
        rosters.enrollments_add(actor=staff, training_class=tc, rows=roster, mode="partial", now=created_at)
    if spec.status == "draft":
        return tc
    if spec.status == "cancelled":
        return classes.class_cancel(actor=staff, training_class=tc, reason="场地改造，本期暂停招生", now=now)
    tc = classes.class_submit(actor=staff, training_class=tc, pledge=True, now=filed)
    if spec.status == "submitted":
        return tc
    review_at = min(filed + dt.timedelta(days=3), now - dt.timedelta(hours=1))
    if spec.status == "rejected":
        return classes.class_review(actor=reviewer, training_class=tc, approved=False,
                                    reasons=["教学计划课时不足", "未提供场地租赁合同"], now=review_at)  # fmt: skip
    tc = classes.class_review(actor=reviewer, training_class=tc, approved=True, opinion="同意开班", now=review_at)
    if spec.status == "approved":
        return tc
    first = sessions[0].starts_at
    tc = classes.class_start(actor=staff, training_class=tc, now=first)
    enrollments = list(Enrollment.objects.filter(training_class=tc).order_by("created_at", "pk"))
    if spec.worker:  # the demo worker attends every session (the absentees are picked by position below)
        worker = _worker_row(worker_number)
        enrollments.sort(key=lambda e: not worker or e.person_id != worker[0][1].pk)
    # The last ``failing`` trainees miss most sessions (below the 80 % 结业 minimum); the third misses one, and in a
    # class where nobody fails the fourth too (114 学时: still above the 110 the 职业培训补贴 asks, so every passed
    # trainee of the class waiting for 结业 can be claimed for); in one class in four one of those who stay leaves.
    failing = min(spec.failing, max(len(enrollments) - 3, 0))
    dropout = enrollments[-failing - 2] if spec.dropout and len(enrollments) > failing + 3 else None
    for k, s in enumerate(sessions):
        if s.ends_at > now:
            break
        if dropout is not None and k == 2:
            rosters.enrollment_drop(actor=staff, enrollment=dropout, reason="本人找到工作，申请退训", now=s.starts_at)
        if k < spec.online_sessions:
            continue  # online theory: its 学时 come from the platform's statements, not from punches
        events = []
        for j, e in enumerate(enrollments):
            if (
                (j >= len(enrollments) - failing and k % 4 != 0)
                or (j == 2 and k == 1)
                or (j == 3 and spec.failing == 0 and k == 5)
                or (dropout is not None and e.pk == dropout.pk and k >= 2)
            ):
                continue
            stamp = f"{tc.code}-{k}-{j}"
            events += [
                attendance.AttendanceInput(event_id=f"{stamp}-in", enrollment=e.pk, kind="in",
                                           at=s.starts_at - dt.timedelta(minutes=5 + j), method="face"),
                attendance.AttendanceInput(event_id=f"{stamp}-out", enrollment=e.pk, kind="out",
                                           at=s.ends_at + dt.timedelta(minutes=2 + j), method="face"),
            ]  # fmt: skip
        if events:
            attendance.attendance_record(actor=staff, device=f"DEMO-{profile.organization.region_id}-{profile.organization.credit_code[-4:]}", events=events,
                                         now=s.ends_at + dt.timedelta(minutes=30))  # fmt: skip
    if spec.status == "running":
        return tc
    return completion.class_complete(actor=staff, training_class=tc, now=sessions[-1].ends_at + dt.timedelta(hours=2))


# The enterprise's apprentices of this year (issue 15): 企业新型学徒制培训人次 counts apprentices by the day they join,
# and the first cohort joined last year, so the demo plan showed 0 % for this year. New hires of this year (name, ID
# body without its check character, residence), their employment registered before they join.
COHORT_THIS_YEAR = [
    ("谭志远", "44010420030412151", "440104"),
    ("邓雅琪", "44011320040826262", "440113"),
    ("梁浩然", "44010520021109173", "440105"),
    ("冯思琪", "44011120050217284", "440111"),
]


def seed_apprentice_cohort(orgs: dict[str, Organization]) -> int:
    """A second 学徒制培养计划 of the demo enterprise with the 天河 school, started this spring (or today, early in the
    year), its four apprentices joined on the start date; no plan year is recorded yet. Idempotent (a plan of the
    enterprise starting this year is found). Returns how many apprentices were added."""
    from jineng.registry.api import employment_add, person_create, person_resolve
    from jineng.rules.idcard import check_character

    today = timezone.localdate()
    hr = _user("demo-enterprise")
    enterprise, school = orgs.get("enterprise"), orgs.get("provider")
    if hr is None or enterprise is None or school is None:
        return 0
    if Apprenticeship.objects.filter(enterprise_org_id=enterprise.pk, start_date__year=today.year).exists():
        return 0
    start = min(dt.date(today.year, 3, 2), today)
    school_profile = OrganizationProfile.objects.get(organization=school)
    mentor = PoolRole.objects.filter(organization_id=enterprise.pk, role="teacher").first()
    school_mentors = _teachers(school_profile, start)
    if mentor is None or not school_mentors:
        return 0
    school_mentor = school_mentors[1 % len(school_mentors)]  # the first cohort's mentor is the first teacher
    with transaction.atomic():
        plan = apprenticeships.apprenticeship_create(
            actor=hr,
            data=apprenticeships.ApprenticeshipInput(
                enterprise=enterprise, school=school, occupation="4-04-05-01", level="grade4", start_date=start,
                end_date=dt.date(start.year + 2, start.month, 1) - dt.timedelta(days=1), hours_per_year=600,
                concentrated_hours_per_year=300,
            ),
            now=_at(start - dt.timedelta(days=20), 10),
        )  # fmt: skip
        added = 0
        for name, body, region in COHORT_THIS_YEAR:
            number = body + check_character(body)
            person = person_resolve(number) or person_create(
                actor="seed", name=name, id_number=number, residence_region=region, source="manual",
                check_permission=False,
            )  # fmt: skip
            employment_add(actor="seed", person=person, status="employed", started_on=start - dt.timedelta(days=45),
                           employer_name=enterprise.name, employer_credit_code=enterprise.credit_code,
                           source="企业登记", contract_months=36, insured_from=start - dt.timedelta(days=45))  # fmt: skip
            apprenticeships.apprentice_add(
                actor=hr, apprenticeship=plan, id_number=number, name=name, enterprise_mentor=mentor.pk,
                school_mentor=school_mentor.pk, joined_on=start,
            )  # fmt: skip
            added += 1
    return added


# 就业挂钩 (issue 15: /public/employment/ showed 0 %): where the demo's passed trainees found work, by the occupation
# they trained for. Recorded by the school (机构报送) or from the social-insurance records, some weeks after 结业.
EMPLOYERS = {
    "计算机程序设计员": ("广州云启软件有限公司", "深圳云创信息技术有限公司"),
    "养老护理员": ("广州康养服务有限公司", "天河区颐年养老院"),
    "家政服务员": ("广州好帮手家政服务有限公司", "广州康养服务有限公司"),
    "电工": ("深圳精密机械有限公司", "广州电梯工程有限公司"),
    "电子商务师": ("深圳湾电商运营有限公司", "广州城市物流有限公司"),
}
OUTCOME_AFTER_DAYS = 21  # a class that ended more recently has no outcome yet (its trainees are still looking)


def seed_employment_outcomes(orgs: dict[str, Organization]) -> int:
    """Employment after training for about two in three passed trainees of the completed demo classes, through
    ``employment_outcome_record`` by the school's staff, dated 2–8 weeks after the class ended (never after today).
    A trainee enrolled as unemployed (失业人员) is recorded as 灵活就业 — an 已就业 record would read, to the
    supervision rule of 已就业却按失业人员报名, as held before the enrollment (no earlier record). Idempotent (an
    enrollment with an outcome is skipped). Returns how many were recorded."""
    from jineng.training.models import EmploymentOutcome, EnrollmentResult, EnrollmentStatus
    from jineng.training.services.outcomes import employment_outcome_record

    today = timezone.localdate()
    staff = {orgs[k].pk: _user(u) for k, u in (("provider", "demo-provider"), ("provider_sz", "demo-provider-sz"),
                                               ("platform", "demo-platform")) if k in orgs}  # fmt: skip
    done = set(EmploymentOutcome.objects.values_list("enrollment_id", flat=True))
    rows = (
        Enrollment.objects.filter(organization_id__in=list(staff), status=EnrollmentStatus.FINISHED,
                                  result=EnrollmentResult.PASSED, training_class__status=ClassStatus.COMPLETED,
                                  training_class__end_date__lte=today - dt.timedelta(days=OUTCOME_AFTER_DAYS))
        .select_related("training_class__occupation")
        .order_by("training_class__start_date", "created_at", "pk")
    )  # fmt: skip
    made = 0
    for i, e in enumerate(rows):
        if i % 3 == 2 or e.pk in done or staff.get(e.organization_id) is None:
            continue  # one in three has no work registered (yet)
        tc = e.training_class
        occupation = tc.occupation.name if tc.occupation else ""
        employers = EMPLOYERS.get(occupation, ("广州城市物流有限公司", "深圳湾餐饮管理有限公司"))
        flexible = "unemployed" in (e.groups or [])
        with transaction.atomic():
            employment_outcome_record(
                actor=staff[e.organization_id], enrollment=e,
                status="flexible" if flexible else ("self_employed" if i % 11 == 0 else "employed"),
                started_on=min(tc.end_date + dt.timedelta(days=14 + (i * 5) % 42), today),
                source="social_insurance" if i % 2 else "provider",
                employer_name="" if flexible or i % 11 == 0 else employers[i % len(employers)],
            )  # fmt: skip
        made += 1
    return made


def _apprenticeship(orgs: dict[str, Organization], today: dt.date) -> int:
    from jineng.registry.api import employment_add, person_create, person_resolve
    from jineng.rules.idcard import check_character

    hr = _user("demo-enterprise")
    enterprise, school = orgs.get("enterprise"), orgs.get("provider")
    if hr is None or enterprise is None or school is None:
        return 0
    if Apprenticeship.objects.filter(enterprise_org_id=enterprise.pk).exists():
        return 0
    start = dt.date(today.year - 1, 3, 1)
    plan = apprenticeships.apprenticeship_create(
        actor=hr,
        data=apprenticeships.ApprenticeshipInput(
            enterprise=enterprise, school=school, occupation="4-04-05-01", level="grade4", start_date=start,
            end_date=dt.date(today.year + 1, 2, 28), hours_per_year=600, concentrated_hours_per_year=300,
        ),
        now=_at(start - dt.timedelta(days=20), 10),
    )  # fmt: skip
    mentor = PoolRole.objects.filter(organization_id=enterprise.pk, role="teacher").first()
    school_profile = OrganizationProfile.objects.get(organization=school)
    school_mentor = _teachers(school_profile, start)[0]
    added = 0
    for name, body in [
        ("韦嘉豪", "44010420010304127"),
        ("蓝晓雯", "44010420000922228"),
        ("莫俊杰", "44010419990517139"),
    ]:
        number = body + check_character(body)
        person = person_resolve(number) or person_create(
            actor="seed", name=name, id_number=number, residence_region="440104", source="manual",
            check_permission=False,
        )  # fmt: skip
        employment_add(actor="seed", person=person, status="employed", started_on=start - dt.timedelta(days=60),
                       employer_name=enterprise.name, employer_credit_code=enterprise.credit_code,
                       source="企业登记", contract_months=36, insured_from=start - dt.timedelta(days=60))  # fmt: skip
        apprentice = apprenticeships.apprentice_add(
            actor=hr, apprenticeship=plan, id_number=number, name=name,
            enterprise_mentor=mentor.pk if mentor else None, school_mentor=school_mentor.pk, joined_on=start,
        )  # fmt: skip
        progress = apprenticeships.apprentice_progress(actor=hr, apprentice=apprentice, year_no=1, hours_done=620,
                                                       concentrated_hours=310, online_hours=80,
                                                       assessment="第一年度考核合格")  # fmt: skip
        # Recorded when the first plan year ended, not on the seed's day (issue 15: its 学徒制 claim, dated by this
        # record, was still in 公示 and the seed could not take it to 审批通过).
        year_end = _at(workday_after(dt.date(start.year + 1, start.month, start.day)), 10)
        ApprenticeProgress.objects.filter(pk=progress.pk).update(created_at=min(year_end, timezone.now()))
        added += 1
    return added


LEGACY_WORKER_CLASS_SUFFIX = "（李明所在班）"


def _projects(orgs: dict[str, Organization], today: dt.date) -> None:
    """项目制培训: 天河区 buys an e-commerce project from the demo provider (demo-county), its completed and running
    classes linked; left 实施中 for demo-city to settle (the one who bought it may not)."""
    from jineng.training.models import TrainingProject
    from jineng.training.services import projects

    county, city = _user("demo-county"), _user("demo-city")
    if "provider" not in orgs or county is None or city is None:
        return
    if TrainingProject.objects.filter(contract_number="天人社购〔演示〕2026-07号").exists():
        return
    project = projects.project_create(actor=county, data=projects.ProjectInput(
        name="天河区电子商务与直播销售职业技能培训项目（一县一项目）", region="440106",
        organization_id=orgs["provider"].pk, contract_number="天人社购〔演示〕2026-07号", theme="数字经济·电子商务",
        budget_fen=36_000_000, price_per_trainee_fen=180_000, target_trainees=200, target_employment_percent=60,
        start_date=today.replace(month=1, day=1), end_date=today.replace(month=12, day=31),
    ))  # fmt: skip
    # Only classes held within the project's period (this year), not those of earlier years.
    for cls in TrainingClass.objects.filter(organization=orgs["provider"], project__isnull=True,
                                            start_date__gte=project.start_date, end_date__lte=project.end_date,
                                            status__in=[ClassStatus.COMPLETED, ClassStatus.RUNNING]).order_by("code")[:2]:  # fmt: skip
        projects.project_add_class(actor=county, project=project, training_class=cls)


def seed_demo(
    *, orgs: dict[str, Organization], person_numbers: list[str], worker_id_number: str = "", stdout: Any = None
) -> int:
    """Create the demo classes not yet there, their trainees drawn from the registered demo persons
    (``person_numbers``, in a stable order) and the demo worker in one of them; returns how many were created."""
    now = timezone.now()
    today = timezone.localdate()
    staff = {"provider": _user("demo-provider"), "provider_sz": _user("demo-provider-sz"),
             "platform": _user("demo-platform")}  # fmt: skip
    reviewers = {"440106": _user("demo-county"), "440304": _user("demo-futian")}
    profiles = {k: OrganizationProfile.objects.get(organization=orgs[k]) for k in staff if k in orgs}
    ours = TrainingClass.objects.filter(organization_id__in=[o.pk for o in orgs.values()])
    existing = set(ours.values_list("name", flat=True))
    # A demo class is recognised by its school, program and first day too: a demo made before the classes were
    # named as providers name them (issue 15) has them under their old names.
    started = {(str(o), p, d) for o, p, d in ours.values_list("organization_id", "program__code", "start_date")}
    people = _People(person_numbers)
    made = 0
    for spec in _plan(today):
        user, reviewer = staff.get(spec.provider), reviewers.get(spec.region)
        # Before issue 15 the worker's class was named after him (“（李明所在班）”): a demo made then has it already.
        if spec.worker and any(name.endswith(LEGACY_WORKER_CLASS_SUFFIX) for name in existing):
            continue
        key = (str(orgs[spec.provider].pk) if spec.provider in orgs else "", spec.program, spec.start)
        if spec.name in existing or key in started or user is None or reviewer is None or spec.provider not in profiles:
            continue
        try:
            with transaction.atomic():  # a class the services refuse leaves nothing half-made
                _build(spec, profiles[spec.provider], user, reviewer, people, worker_id_number, now)
            made += 1
        except DomainError as exc:
            if stdout is not None:
                stdout.write(
                    f"  training: demo class {spec.name} not created: {exc.message} {getattr(exc, 'fields', '')}\n"
                )
    try:
        apprentices = _apprenticeship(orgs, today)
    except DomainError as exc:
        apprentices = 0
        if stdout is not None:
            stdout.write(f"  training: demo apprenticeship not created: {exc.message}\n")
    try:
        _projects(orgs, today)
    except DomainError as exc:
        if stdout is not None:
            stdout.write(f"  training: demo project not created: {exc.message}\n")
    if stdout is not None:
        by_status = {s: TrainingClass.objects.filter(status=s).count() for s in ClassStatus.values}
        # What this run made and what is there (issue 15: a re-run printed “0 … classes created” alone).
        by_status = {k: v for k, v in by_status.items() if v}
        stdout.write(f"Training: {made} classes created now, {sum(by_status.values())} in all ({by_status}), "
                     f"{Enrollment.objects.count()} enrollments, {apprentices} apprentices added now "
                     f"({Apprentice.objects.count()} in all).\n")  # fmt: skip
    return made
