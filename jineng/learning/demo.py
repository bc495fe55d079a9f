"""Demo data of the learning record store: the demo online platform (粤技通) gets an LRS credential and a fortnight
of statements — honest learners (launched → progressed → terminated, an hour or two a day) and one bot account
(two courses at once around the clock, durations beyond the time spent). Idempotent: nothing if the platform already
holds a credential."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from jineng.accounts.api import User
from jineng.learning import online, services
from jineng.learning.models import LearnerAccount, LrsCredential
from jineng.training import api as training

HOME_PAGE = "https://example.invalid/"
VERB = "http://adlnet.gov/expapi/verbs/"
COURSES = ("https://example.invalid/courses/electrician-basics", "https://example.invalid/courses/safety")
CN = ZoneInfo("Asia/Shanghai")
# Three honest learners and one bot (enr-9999: two courses at once, round the clock, durations doubled);
# enr-0404 is sent by the platform but matches no enrollment (listed for officials).
ACCOUNTS = ("enr-1001", "enr-1002", "enr-1003", "enr-9999")


def _statement(
    account: str, verb: str, course: str, registration: str, at: dt.datetime, **extra: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{account}|{registration}|{verb}|{at.isoformat()}")),
        "actor": {"objectType": "Agent", "account": {"homePage": HOME_PAGE, "name": account}},
        "verb": {"id": VERB + verb, "display": {"zh-CN": verb}},
        "object": {"objectType": "Activity", "id": course},
        "context": {"registration": registration, "platform": "粤技通"},
        "timestamp": at.isoformat(),
    }
    data.update(extra)
    return data


def _session(
    account: str, course: str, start: dt.datetime, minutes: int, claimed: int | None = None
) -> list[dict[str, Any]]:
    registration = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{account}|{course}|{start.isoformat()}"))
    out = [_statement(account, "launched", course, registration, start)]
    out += [
        _statement(account, "progressed", course, registration, start + dt.timedelta(minutes=m))
        for m in range(15, minutes, 15)
    ]
    out.append(
        _statement(
            account,
            "terminated",
            course,
            registration,
            start + dt.timedelta(minutes=minutes),
            result={"duration": f"PT{claimed or minutes}M"},
        )
    )
    return out


# training.demo's blended class (BLENDED_MARK in its name): online theory on this platform, then offline practice.
ONLINE_CLASS_MARK = "线上线下融合"


def seed_learner_accounts(platform: Any, stdout: Any = None) -> int:
    """Map the platform's demo learner accounts to the roster of the demo's blended class (线上线下融合…培训班: the
    demo worker first, the bot account last) and derive their online 学时; idempotent. Returns how many accounts were mapped."""
    if LearnerAccount.objects.filter(organization=platform).exists():
        return 0
    users = set(User.objects.filter(person_id__isnull=False).values_list("person_id", flat=True))
    roster = training.Enrollment.objects.filter(
        training_class__name__contains=ONLINE_CLASS_MARK, status=training.EnrollmentStatus.ENROLLED
    ).order_by("created_at", "pk")
    # The demo worker (a person with an account) first, so that demo-worker sees their online learning.
    ordered = sorted(roster.values_list("pk", "person_id"), key=lambda row: row[1] not in users)
    enrollments = [pk for pk, _person in ordered[: len(ACCOUNTS)]]
    for account, enrollment_id in zip(ACCOUNTS, enrollments, strict=False):
        online.learner_map(
            actor="seed", organization=platform, home_page=HOME_PAGE, name=account, enrollment_id=enrollment_id
        )
    online.online_sync(actor="seed", organization=platform)
    if stdout is not None:
        stdout.write(f"Demo LRS: {len(enrollments)} learner accounts of {platform.name} mapped to enrollments.")
    return len(enrollments)


def seed_resource_ratings() -> int:
    """数字培训资源评价: demo-worker rates the listed resources they studied (the first two, 5 and 4 stars), so
    /learning/resources/ shows averages and the worker's own ratings. Idempotent (a rating replaces itself)."""
    from jineng.providers.api import listed_resources

    worker = User.objects.filter(username="demo-worker", person_id__isnull=False).first()
    if worker is None:
        return 0
    made = 0
    for resource, stars in zip(listed_resources()[:2], (5, 4), strict=False):
        services.resource_rate(actor=worker, resource_id=resource.pk, stars=stars, comment="演示：讲解清楚，练习实用")
        made += 1
    return made


def seed_demo(platform: Any, stdout: Any = None) -> str | None:
    """Seed the platform's credential and statements; returns "KEY SECRET" when created now."""
    seed_resource_ratings()
    if LrsCredential.objects.filter(organization=platform).exists():
        seed_learner_accounts(platform, stdout)
        return None
    issued = services.credential_create(actor="seed", organization=platform)
    first = dt.datetime.now(CN).replace(hour=0, minute=0, second=0, microsecond=0) - dt.timedelta(days=14)
    statements: list[dict[str, Any]] = []
    for day in range(14):
        date = first + dt.timedelta(days=day)
        for index, account in enumerate(("enr-1001", "enr-1002", "enr-1003")):
            if (day + index) % 3 == 2:
                continue  # honest learners skip days
            statements += _session(account, COURSES[0], date.replace(hour=19 + index), 60 + 15 * index)
    statements += _session("enr-0404", COURSES[1], first.replace(hour=20), 50)
    for day in range(2):
        date = first + dt.timedelta(days=day)
        for hour in range(0, 24, 2):
            for course in COURSES:  # two courses at once, round the clock, durations doubled
                statements += _session("enr-9999", course, date.replace(hour=hour), 105, claimed=210)
    authority = {
        "objectType": "Agent",
        "name": platform.name,
        "account": {"homePage": "http://127.0.0.1/xapi/", "name": issued.key},
    }
    for index in range(0, len(statements), 500):
        services.statements_store(
            organization=platform,
            statements=statements[index : index + 500],
            authority=authority,
            version="2.0.0",
            attachments={},
        )
    line = f"{issued.key} {issued.secret}"
    seed_learner_accounts(platform, stdout)
    if stdout is not None:
        stdout.write(f"Demo LRS (/xapi/) credential of {platform.name}: {line} ({len(statements)} statements)")
    return line
