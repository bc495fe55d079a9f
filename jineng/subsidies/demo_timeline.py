"""The demo claims' working days (issue 15: every step of every demo claim was dated the moment ``jineng seed`` ran,
“today 16:00”). A claim is brought to its stage through the services, which stamp the real clock; its steps are then
dated as an office would have done them: submitted on a working day after its event, 受理/初审 a few working days
apart within office hours, 复审 on the day its 公示 starts, 审批 the working day after the 公示 ends, the payment
batch and the bank's return in the last days. Dates only move back, never past the claim's event or into the
future; the audit log keeps the real time of the seeding."""

from __future__ import annotations

import datetime as dt
import zlib
from zoneinfo import ZoneInfo

from django.utils import timezone

from jineng.refdata.api import add_workdays
from jineng.subsidies.models import Claim, ClaimStep
from jineng.subsidies.services.support import setting_int

TZ = ZoneInfo("Asia/Shanghai")
PRE_STEPS = ("submit", "accept", "first_review", "reject")
# Working days from the submission to the last step before 复审, by the stage the demo brings the claim to.
SPAN = {"submitted": 0, "accepted": 3, "rejected": 6, "first_passed": 6}
PUBLICITY_LEAD = 8  # 复审 this many working days ago: its 5-day 公示 is over and 审批 followed


def workdays_back(day: dt.date, n: int) -> dt.date:
    while n > 0 or day.weekday() >= 5:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def workdays_forward(day: dt.date, n: int) -> dt.date:
    while n > 0 or day.weekday() >= 5:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def second_review_day(event_date: dt.date, stage: str, today: dt.date) -> dt.date:
    """The day 复审 starts the claim's 公示: today for a claim left in 公示, else far enough back that the 公示 is
    over — but not before the claim could have been filed and reviewed after its event."""
    if stage == "publicity":
        return today
    return min(max(workdays_back(today, PUBLICITY_LEAD), workdays_forward(event_date, 3)), today)


def office_time(day: dt.date, key: str, *, morning: bool = False, latest: dt.datetime | None = None) -> dt.datetime:
    """A time within office hours (09:00–11:50 or 14:00–17:20) on ``day``, stable for ``key``, never after
    ``latest`` (now)."""
    h = zlib.crc32(key.encode())
    hour = 9 + h % 3 if morning or h % 2 == 0 else 14 + h % 4
    minute = (h // 7) % 50 + (0 if hour < 17 else -30 if (h // 7) % 50 >= 30 else 0)
    at = dt.datetime(day.year, day.month, day.day, hour, max(minute, 0), tzinfo=TZ)
    latest = latest or timezone.now()
    return min(at, latest - dt.timedelta(minutes=5 + h % 20))


def spread(claim: Claim, stage: str) -> None:
    """Date the claim's steps (and its own stamps) on working days as described above."""
    now = timezone.now()
    today = timezone.localdate(now)
    steps = list(ClaimStep.objects.filter(claim=claim).order_by("at"))
    if not steps:
        return
    claim.refresh_from_db()
    review_day = claim.publicity_start if claim.second_reviewed_at else None
    pre = [s for s in steps if s.step in PRE_STEPS]
    earliest = min(workdays_forward(claim.event_date, 1), today)
    if review_day is not None:
        last_pre = max(workdays_back(review_day, 1), earliest)
        first = max(workdays_back(last_pre, 3 * max(len(pre) - 1, 0)), earliest)
    else:
        last_pre = max(workdays_back(today, 1) if stage != "submitted" else today, earliest)
        first = max(workdays_back(last_pre, SPAN.get(stage, 3)), earliest)
    days: dict[str, dt.date] = {}
    for i, step in enumerate(pre):
        span = (last_pre - first).days
        day = first + dt.timedelta(days=round(span * i / max(len(pre) - 1, 1))) if len(pre) > 1 else first
        on = workdays_forward(day, 0)
        days[str(step.pk)] = on if on <= last_pre else workdays_back(day, 0)
    for step in steps:
        if step.step == "second_review" and review_day is not None:
            days[str(step.pk)] = review_day
        elif step.step == "approve" and claim.publicity_end is not None:
            days[str(step.pk)] = min(workdays_forward(claim.publicity_end, 1), today)
    stamps: dict[str, dt.datetime] = {}
    previous: dt.datetime | None = None
    for step in steps:
        when = days.get(str(step.pk))
        if when is None:  # batch, paid, …: dated by the payment demo, or today
            previous = step.at if previous is None or step.at > previous else previous
            continue
        at = office_time(when, f"{claim.number}:{step.step}", morning=step.step == "approve", latest=now)
        if previous is not None and at <= previous:
            at = min(previous + dt.timedelta(minutes=40), now - dt.timedelta(minutes=1))
        ClaimStep.objects.filter(pk=step.pk).update(at=at)
        stamps[step.step] = previous = at
    fields: dict[str, object] = {}
    if "submit" in stamps:
        submitted = stamps["submit"]
        fields.update(submitted_at=submitted, applied_on=timezone.localdate(submitted, TZ))
        workdays = setting_int("claim.review_workdays", claim.region_id, timezone.localdate(submitted, TZ))
        fields["review_due"] = add_workdays(timezone.localdate(submitted, TZ), workdays, claim.region_id)
    for name, field in (("accept", "accepted_at"), ("first_review", "first_reviewed_at"),
                        ("second_review", "second_reviewed_at"), ("approve", "approved_at")):  # fmt: skip
        if name in stamps and getattr(claim, field) is not None:
            fields[field] = stamps[name]
    if fields:
        Claim.objects.filter(pk=claim.pk).update(**fields)


def spread_payment(claim_ids: list[object], *, made_on: dt.date, returned_on: dt.date) -> None:
    """The payment batch's steps: made on ``made_on`` (morning), the bank's return confirmed on ``returned_on``."""
    now = timezone.now()
    for step in ClaimStep.objects.filter(claim_id__in=claim_ids, step__in=("batch", "paid")).select_related("claim"):
        approved = timezone.localdate(step.claim.approved_at, TZ) if step.claim.approved_at else made_on
        day = max(made_on if step.step == "batch" else returned_on, approved)
        at = office_time(day, f"{step.claim.number}:{step.step}", morning=step.step == "batch", latest=now)
        ClaimStep.objects.filter(pk=step.pk).update(at=at)
        if step.step == "paid":
            Claim.objects.filter(pk=step.claim_id).update(paid_at=at)
