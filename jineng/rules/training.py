"""Training rules — pure: session overlap, 学时 crediting, attendance rate, enrollment eligibility, class workflow.

No Django, no database: services translate models into these frozen dataclasses and translate the decisions back.

学时 crediting (docs/training.md):

- a session's presence is the part of the session covered by the union of the trainee's presence intervals
  (check-in → check-out pairs); an unclosed check-in credits nothing;
- credited 学时 of a session = ⌊min(scheduled minutes, presence minutes) / minutes_per_hour⌋ — whole 学时 only;
- the 学时 credited on one day are capped at ``per_day_max``, sessions taken in time order;
- the attendance rate is credited 学时 over creditable 学时 (what full presence would have earned under the same
  rules), so full attendance is 100 % even on a day scheduled beyond the cap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# ---- intervals -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    """A half-open time interval [start, end)."""

    start: dt.datetime
    end: dt.datetime

    def minutes(self) -> int:
        return max(int((self.end - self.start).total_seconds() // 60), 0)


def overlaps(a: Interval, b: Interval) -> bool:
    """Half-open: a session ending at 12:00 does not overlap one starting at 12:00."""
    return a.start < b.end and b.start < a.end


def first_overlap(mine: Sequence[Interval], theirs: Sequence[Interval]) -> tuple[Interval, Interval] | None:
    """The first pair (mine, theirs) of overlapping intervals, or None — a sweep over both lists sorted by start.

    O((n + m) log(n + m)); an evening class and a weekend class in the same weeks do not overlap."""
    a = sorted(mine, key=lambda i: (i.start, i.end))
    b = sorted(theirs, key=lambda i: (i.start, i.end))
    i = j = 0
    while i < len(a) and j < len(b):
        if overlaps(a[i], b[j]):
            return a[i], b[j]
        if a[i].end <= b[j].end:
            i += 1
        else:
            j += 1
    return None


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """The union of intervals as disjoint intervals in time order."""
    out: list[Interval] = []
    for item in sorted(intervals, key=lambda i: (i.start, i.end)):
        if item.end <= item.start:
            continue
        if out and item.start <= out[-1].end:
            if item.end > out[-1].end:
                out[-1] = Interval(out[-1].start, item.end)
        else:
            out.append(item)
    return out


def covered_minutes(window: Interval, presence: Sequence[Interval]) -> int:
    """Minutes of ``window`` covered by the union of ``presence`` (whole minutes, rounded down)."""
    seconds = 0.0
    for item in merge(presence):
        start = max(item.start, window.start)
        end = min(item.end, window.end)
        if end > start:
            seconds += (end - start).total_seconds()
    return int(seconds // 60)


# ---- presence from check-in/out events -----------------------------------------------------------------------------

CHECK_IN = "in"
CHECK_OUT = "out"


@dataclass(frozen=True)
class Punch:
    """One check-in or check-out (考勤打卡)."""

    at: dt.datetime
    kind: str  # "in" | "out"


def presence_intervals(punches: Iterable[Punch]) -> list[Interval]:
    """Pair punches in time order: a check-in opens an interval (a second one while open is ignored), a check-out
    closes it (a check-out with nothing open is ignored). An interval left open credits nothing."""
    out: list[Interval] = []
    opened: dt.datetime | None = None
    for punch in sorted(punches, key=lambda p: (p.at, p.kind != CHECK_IN)):
        if punch.kind == CHECK_IN:
            if opened is None:
                opened = punch.at
        elif punch.kind == CHECK_OUT and opened is not None:
            out.append(Interval(opened, punch.at))
            opened = None
    return out


# ---- 学时 crediting ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduledSession:
    """A session of a class: its interval and the day its 学时 count on (the local date of its start)."""

    key: str
    interval: Interval
    day: dt.date


@dataclass(frozen=True)
class HoursRules:
    minutes_per_hour: int = 45  # hours.minutes_per_hour
    per_day_max: int = 7  # hours.per_day_max

    def __post_init__(self) -> None:
        if self.minutes_per_hour <= 0:
            raise ValueError("minutes_per_hour must be positive")
        if self.per_day_max < 0:
            raise ValueError("per_day_max must not be negative")


@dataclass(frozen=True)
class SessionCredit:
    key: str
    day: dt.date
    scheduled_hours: int  # ⌊scheduled minutes / minutes_per_hour⌋
    presence_minutes: int
    credited_hours: int  # after the daily cap


@dataclass(frozen=True)
class Credit:
    sessions: tuple[SessionCredit, ...]
    credited_hours: int
    creditable_hours: int  # what full presence earns under the same rules

    @property
    def rate_basis_points(self) -> int:
        """Credited over creditable in 1/100 of a percent, rounded down (10000 = 100 %)."""
        if self.creditable_hours == 0:
            return 0
        return self.credited_hours * 10000 // self.creditable_hours

    def meets(self, min_rate_percent: int) -> bool:
        """Exact integer comparison: credited / creditable ≥ min_rate_percent / 100."""
        if self.creditable_hours == 0:
            return False
        return self.credited_hours * 100 >= min_rate_percent * self.creditable_hours


def rate_percent_shown(credited_hours: int, creditable_hours: int) -> Decimal:
    """The attendance rate as a page shows it: credited over creditable in percent, rounded half up to two places
    (35 of 126 → 27.78). Display only: the stored rate (``rate_basis_points``, rounded down) and ``meets`` decide;
    issue 15 found 27.77 % printed for 35/126. No creditable hours: 0.00."""
    if creditable_hours <= 0:
        return Decimal("0.00")
    exact = Decimal(credited_hours * 100) / Decimal(creditable_hours)
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _credit(sessions: Sequence[ScheduledSession], minutes: dict[str, int], rules: HoursRules) -> list[SessionCredit]:
    used: dict[dt.date, int] = {}
    out: list[SessionCredit] = []
    for s in sorted(sessions, key=lambda s: (s.interval.start, s.interval.end, s.key)):
        scheduled = s.interval.minutes()
        present = min(minutes.get(s.key, 0), scheduled)
        hours = present // rules.minutes_per_hour
        room = max(rules.per_day_max - used.get(s.day, 0), 0)
        credited = min(hours, room)
        used[s.day] = used.get(s.day, 0) + credited
        out.append(SessionCredit(s.key, s.day, scheduled // rules.minutes_per_hour, present, credited))
    return out


def credit_hours(sessions: Sequence[ScheduledSession], presence: Sequence[Interval], rules: HoursRules) -> Credit:
    """Credited 学时 per session and in total, and the creditable total (full presence)."""
    actual = {s.key: covered_minutes(s.interval, presence) for s in sessions}
    full = {s.key: s.interval.minutes() for s in sessions}
    credited = _credit(sessions, actual, rules)
    creditable = _credit(sessions, full, rules)
    return Credit(
        sessions=tuple(credited),
        credited_hours=sum(c.credited_hours for c in credited),
        creditable_hours=sum(c.credited_hours for c in creditable),
    )


# The online share of a class's 学时 (DOMAIN.md: online ≤ 50% of the concentrated hours of an apprenticeship; the
# same share is applied to every class until a regional rule says otherwise).
ONLINE_SHARE_MAX_PERCENT = 50


def with_online(credit: Credit, online_hours: int, share_percent: int = ONLINE_SHARE_MAX_PERCENT) -> Credit:
    """The credit with the online 学时 added: at most ``share_percent`` of the creditable 学时, and never beyond the
    creditable total (an online hour does not make up for more than the class schedules)."""
    if online_hours <= 0:
        return credit
    cap = credit.creditable_hours * share_percent // 100
    credited = min(credit.credited_hours + min(online_hours, cap), credit.creditable_hours)
    return Credit(sessions=credit.sessions, credited_hours=credited, creditable_hours=credit.creditable_hours)


# ---- enrollment eligibility ------------------------------------------------------------------------------------------

# The program's subsidy categories; "none" (不享受补贴) carries no subsidy, so its classes admit anyone.
SUBSIDY_CATEGORIES = frozenset({"A", "B", "C", "special", "none"})
UNSUBSIDIZED = "none"

GROUP_LABELS = {
    "rural_labor": "农村转移劳动力",
    "migrant_worker": "农民工",
    "college_graduate": "高校毕业生",
    "unemployed": "失业人员",
    "employment_difficulty": "就业困难人员",
    "veteran": "退役军人",
    "disabled": "残疾人",
    "poverty_alleviated": "脱贫人口",
    "monitored": "防止返贫监测对象",
    "low_income": "城乡低保对象",
    "inmate": "服刑人员",
    "drug_rehab": "戒毒人员",
    "enterprise_employee": "企业职工",
    "community_corrections": "社区矫正对象",
    "retired_fisher": "退捕渔民",
    "struggling_worker_family": "困难职工家庭",
    "labor_preparatory": "未继续升学的初高中毕业生（劳动预备制）",
    "graduating_student": "毕业年度在校生",
    "high_quality_farmer": "高素质农民",
}


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    code: str
    message: str
    matched: tuple[str, ...] = ()


def enrollment_eligibility(subsidy_category: str, groups: Iterable[str], allowed: frozenset[str] | None) -> Eligibility:
    """Whether a person holding ``groups`` (on the enrollment date) may enroll in a class of ``subsidy_category``.

    ``allowed`` is who the policy in force admits — the groups of the 职业培训补贴 version valid on the enrollment date
    in the class's region (the service reads it; ``None``: the policy names no groups, or no version is in force, so
    anyone may enroll). A class of category "none" carries no subsidy and admits anyone."""
    if subsidy_category not in SUBSIDY_CATEGORIES:
        return Eligibility(False, "unknown_subsidy_category", f"未知的补贴类别：{subsidy_category}")
    held = set(groups)
    if allowed is None or subsidy_category == UNSUBSIDIZED:
        return Eligibility(True, "eligible", "符合参训条件。", tuple(sorted(held)))
    matched = tuple(sorted(held & allowed))
    if matched:
        return Eligibility(True, "eligible", "符合参训条件。", matched)
    wanted = "、".join(GROUP_LABELS.get(g, g) for g in sorted(allowed))
    return Eligibility(False, "ineligible_groups", f"该人员不属于本类补贴培训的对象（须为：{wanted}）。")


# ---- the class workflow ------------------------------------------------------------------------------------------------

DRAFT, SUBMITTED, APPROVED, REJECTED = "draft", "submitted", "approved", "rejected"
RUNNING, COMPLETED, CANCELLED = "running", "completed", "cancelled"

# from → allowed targets. One state machine for every class (开班 → 审核 → 开课 → 结业, or 撤销).
TRANSITIONS: dict[str, frozenset[str]] = {
    DRAFT: frozenset({SUBMITTED, CANCELLED}),
    SUBMITTED: frozenset({APPROVED, REJECTED, CANCELLED}),
    REJECTED: frozenset({SUBMITTED, CANCELLED}),
    APPROVED: frozenset({RUNNING, CANCELLED}),
    RUNNING: frozenset({COMPLETED, CANCELLED}),
    COMPLETED: frozenset(),
    CANCELLED: frozenset(),
}


def may_transition(source: str, target: str) -> bool:
    return target in TRANSITIONS.get(source, frozenset())


def completion_result(credit: Credit, min_rate_percent: int) -> str:
    """The default result of an enrollment at completion: absent (nothing credited), passed (rate reached),
    failed (otherwise)."""
    if credit.credited_hours == 0:
        return "absent"
    return "passed" if credit.meets(min_rate_percent) else "failed"
