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
  progress.
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
    Apprenticeship,
    ClassSession,
    ClassStatus,
    Enrollment,
    TrainingClass,
)
from jineng.training.services import apprenticeships, attendance, classes, completion, rosters

TZ = ZoneInfo("Asia/Shanghai")
TRAINEES_PER_CLASS = 9


@dataclass(frozen=True)
class DemoClass:
    name: str
    provider: str  # key of providers.demo.DEMO_ORGS
    program: str  # code of providers.demo.PROGRAMS
    region: str  # the venue's county
    venue: str
    status: str  # the state to bring it to
    start: dt.date  # the first session's day (a Monday)
    # Days of 09:00–15:00 (7 学时 credited a day): 18 cover the demo programs' 120 学时 (providers.demo.PROGRAMS),
    # which meet the 职业培训补贴 standard of their level, so that a completed demo class can be claimed for.
    sessions: int = 18
    online: bool = False
    worker: bool = False  # the demo worker 李明 is on its roster


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _plan(today: dt.date) -> list[DemoClass]:
    """The demo's classes: past ones every ~10 weeks from 2022 on, alternating providers and programs; current ones
    around today. Dates are computed from today, never fixed."""
    out: list[DemoClass] = []
    gz = [("GD-DEMO-01", "计算机程序设计员"), ("GD-DEMO-02", "养老护理员"), ("GD-DEMO-03", "家政服务员")]
    sz = [("GD-DEMO-04", "电工"), ("GD-DEMO-05", "电子商务师")]
    day = _monday(dt.date(2022, 3, 7))
    last = _monday(today - dt.timedelta(days=35))
    n = 0
    while day <= last:
        if n % 3 == 2:
            code, occ = sz[(n // 3) % len(sz)]
            out.append(DemoClass(f"{day.year}年第{n + 1}期 {occ}就业技能培训班（福田）", "provider_sz", code, "440304",
                                 "福田高级技工学校 实训楼", "completed", day))  # fmt: skip
        else:
            code, occ = gz[n % len(gz)]
            out.append(DemoClass(f"{day.year}年第{n + 1}期 {occ}就业技能培训班", "provider", code, "440106",
                                 "天河实训基地 3 楼", "completed", day))  # fmt: skip
        n += 1
        day = _monday(day + dt.timedelta(days=70))
    this_week = _monday(today)
    # The demo worker's class of this year, completed two months ago (exam and claim follow it).
    out.append(
        DemoClass(
            f"{today.year}年 计算机程序设计员技能提升班",
            "provider",
            "GD-DEMO-01",
            "440106",
            "天河实训基地 5 楼",
            "completed",
            _monday(today - dt.timedelta(days=63)),
            worker=True,
        )
    )
    # Completed about two weeks ago with 120 学时: its trainees' 职业培训补贴 claims are within the claim period.
    out.append(
        DemoClass(
            f"{today.year}年秋季 计算机程序设计员就业技能培训班（120学时）",
            "provider",
            "GD-DEMO-01",
            "440106",
            "天河实训基地 4 楼",
            "completed",
            _monday(today - dt.timedelta(days=42)),
            sessions=20,
        )
    )
    out.append(
        DemoClass(
            f"{today.year}年 电子商务师线上培训班",
            "platform",
            "GD-DEMO-06",
            "440106",
            "线上直播课堂",
            "completed",
            _monday(today - dt.timedelta(days=49)),
            online=True,
        )
    )
    out += [
        DemoClass(f"{today.year}年冬季 计算机程序设计员就业技能培训班", "provider", "GD-DEMO-01", "440106",
                  "天河实训基地 3 楼", "running", this_week - dt.timedelta(days=7)),
        DemoClass(f"{today.year}年冬季 电工就业技能培训班（福田）", "provider_sz", "GD-DEMO-04", "440304",
                  "福田高级技工学校 实训楼", "running", this_week - dt.timedelta(days=7)),
        # Its last session ended last week: the provider's 结业 is what it waits for.
        DemoClass(f"{today.year}年秋冬 养老护理员就业技能培训班（待结业）", "provider", "GD-DEMO-02", "440106",
                  "天河实训基地 2 楼", "running", this_week - dt.timedelta(days=28)),
        DemoClass(f"{today.year + 1}年第1期 养老护理员就业技能培训班", "provider", "GD-DEMO-02", "440106",
                  "天河实训基地 2 楼", "approved", this_week + dt.timedelta(days=21)),
        DemoClass(f"{today.year + 1}年第1期 家政服务员就业技能培训班", "provider", "GD-DEMO-03", "440106",
                  "天河实训基地 1 楼", "submitted", this_week + dt.timedelta(days=35)),
        DemoClass(f"{today.year + 1}年第1期 电子商务师就业技能培训班（福田）", "provider_sz", "GD-DEMO-05", "440304",
                  "福田高级技工学校 实训楼", "submitted", this_week + dt.timedelta(days=35)),
        DemoClass(f"{today.year + 1}年第2期 计算机程序设计员就业技能培训班", "provider", "GD-DEMO-01", "440106",
                  "天河实训基地 3 楼", "draft", this_week + dt.timedelta(days=56)),
        DemoClass(f"{today.year + 1}年第2期 养老护理员就业技能培训班", "provider", "GD-DEMO-02", "440106",
                  "天河实训基地 2 楼", "rejected", this_week + dt.timedelta(days=42)),
        DemoClass(f"{today.year}年 家政服务员就业技能培训班（已撤销）", "provider", "GD-DEMO-03", "440106",
                  "天河实训基地 1 楼", "cancelled", this_week + dt.timedelta(days=28)),
    ]  # fmt: skip
    return out


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def _session_days(start: dt.date, count: int) -> list[dt.date]:
    days: list[dt.date] = []
    day = start
    while len(days) < count:
        if day.weekday() < 5:
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
    days = _session_days(spec.start, spec.sessions)
    teachers = _teachers(profile, spec.start)
    busy = _busy_teachers(days)
    sessions = []
    for i, d in enumerate(days):
        # Rotate the school's teachers, skipping one who teaches another of its classes that day (the service refuses
        # a teacher in two classes at once; the demo's classes of a school overlap by a week or two).
        free = [t for k in range(len(teachers)) if (d, (t := teachers[(i + k) % len(teachers)]).person_id) not in busy]
        sessions.append(
            classes.SessionInput(starts_at=_at(d, 9), ends_at=_at(d, 15), mode="online" if spec.online else "offline",
                                 teacher=free[0].pk if free else None, topic=f"第{i + 1}次课")
        )  # fmt: skip
    # Filed a month before the start, but never after today (a class starting soon was filed already).
    filed = (
        min(_at(spec.start - dt.timedelta(days=30), 10), now - dt.timedelta(hours=3)) if spec.status != "draft" else now
    )
    data = classes.ClassInput(name=spec.name, program=program.pk, venue_name=spec.venue, region=spec.region,
                              venue_address=profile.address, planned_size=30, sessions=sessions)  # fmt: skip
    created_at = min(filed, now)
    tc = classes.class_create(actor=staff, provider=profile, data=data, now=created_at)
    if spec.status not in ("draft", "cancelled"):
        rows = people.take(TRAINEES_PER_CLASS - (1 if spec.worker else 0))
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
    for k, s in enumerate(sessions):
        if s.ends_at > now:
            break
        events = []
        for j, e in enumerate(enrollments):
            # The last trainee of a class misses most sessions; another misses one: not everyone passes.
            if (j == len(enrollments) - 1 and k % 4 != 0) or (j == 2 and k == 1):
                continue
            stamp = f"{tc.code}-{k}-{j}"
            events += [
                attendance.AttendanceInput(event_id=f"{stamp}-in", enrollment=e.pk, kind="in",
                                           at=s.starts_at - dt.timedelta(minutes=5 + j), method="face"),
                attendance.AttendanceInput(event_id=f"{stamp}-out", enrollment=e.pk, kind="out",
                                           at=s.ends_at + dt.timedelta(minutes=2 + j), method="face"),
            ]  # fmt: skip
        if events:
            attendance.attendance_record(actor=staff, device=f"DEMO-{profile.pk}"[:64], events=events,
                                         now=s.ends_at + dt.timedelta(minutes=30))  # fmt: skip
    if spec.status == "running":
        return tc
    return completion.class_complete(actor=staff, training_class=tc, now=sessions[-1].ends_at + dt.timedelta(hours=2))


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
                       source="演示数据")  # fmt: skip
        apprentice = apprenticeships.apprentice_add(
            actor=hr, apprenticeship=plan, id_number=number, name=name,
            enterprise_mentor=mentor.pk if mentor else None, school_mentor=school_mentor.pk, joined_on=start,
        )  # fmt: skip
        apprenticeships.apprentice_progress(actor=hr, apprentice=apprentice, year_no=1, hours_done=620,
                                            concentrated_hours=310, online_hours=80, assessment="第一年度考核合格")  # fmt: skip
        added += 1
    return added


LEGACY_WORKER_CLASS_SUFFIX = "（李明所在班）"


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
    existing = set(TrainingClass.objects.filter(organization_id__in=[o.pk for o in orgs.values()])
                   .values_list("name", flat=True))  # fmt: skip
    people = _People(person_numbers)
    made = 0
    for spec in _plan(today):
        user, reviewer = staff.get(spec.provider), reviewers.get(spec.region)
        # Before issue 15 the worker's class was named after him (“（李明所在班）”): a demo made then has it already.
        if spec.worker and any(name.endswith(LEGACY_WORKER_CLASS_SUFFIX) for name in existing):
            continue
        if spec.name in existing or user is None or reviewer is None or spec.provider not in profiles:
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
    if stdout is not None:
        by_status = {s: TrainingClass.objects.filter(status=s).count() for s in ClassStatus.values}
        stdout.write(f"Training: {made} classes created ({by_status}), "
                     f"{Enrollment.objects.count()} enrollments, {apprentices} apprentices.\n")  # fmt: skip
    return made
