"""Online 学时 reach training: learner accounts mapped to enrollments, and the derivation recorded on them.

- ``learner_map``: a platform's learner account (the statements' actor ``account``: ``homePage`` + ``name``) is
  mapped to one enrollment of training by the platform or the class's provider (never by an ID number).
- ``online_sync``: for every mapped account of a platform, the statements are read (``selectors.learner_events``),
  kept within the class's dates and before its first offline session (theory online before practice offline),
  credited by ``rules.online_hours.credit_online`` with the online share as ``online_max``, and recorded through
  ``training.api.online_hours_record`` — training's attendance crediting and completion then include them.
- ``unknown_accounts``: accounts the platform sent statements about that map to no enrollment — stored, credited to
  nothing, listed for the platform's officials.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from jineng.common.audit.services import audit_event
from jineng.common.errors import invalid
from jineng.learning import selectors, services
from jineng.learning.errors import Code
from jineng.learning.events import Event
from jineng.learning.models import IndexKind, LearnerAccount, StatementIndex
from jineng.rules.online_hours import LearningEvent, credit_online
from jineng.rules.training import ONLINE_SHARE_MAX_PERCENT, HoursRules
from jineng.training import api as training

CN = ZoneInfo("Asia/Shanghai")
NAME_MAX = 255
HOME_PAGE_MAX = 2048


def learner_map(*, actor: Any, organization: Any, home_page: str, name: str, enrollment_id: Any) -> LearnerAccount:
    """Map the platform's learner account to an enrollment (a class on the roster, not finished)."""
    home_page, name = (home_page or "").strip(), (name or "").strip()
    if not home_page or len(home_page) > HOME_PAGE_MAX:
        raise invalid(field="home_page", code=Code.BAD_ACCOUNT, message=_("平台主页不能为空，且不超过 2048 个字符。"))
    if not name or len(name) > NAME_MAX:
        raise invalid(field="name", code=Code.BAD_ACCOUNT, message=_("学员账号不能为空，且不超过 255 个字符。"))
    enrollment = training.online_enrollment(enrollment_id)
    if enrollment is None:
        raise invalid(field="enrollment", code=Code.UNKNOWN_ENROLLMENT, message=_("没有这个学员名册记录。"))
    if enrollment.status != training.EnrollmentStatus.ENROLLED:
        raise invalid(
            field="enrollment", code=Code.ENROLLMENT_NOT_ACTIVE, message=_("该学员不在训，不能关联线上学习账号。")
        )
    with transaction.atomic():
        if LearnerAccount.objects.filter(organization=organization, home_page=home_page, name=name).exists():
            raise invalid(field="name", code=Code.ACCOUNT_TAKEN, message=_("该平台学员账号已关联学员名册。"))
        account = LearnerAccount.objects.create(
            organization=organization, home_page=home_page, name=name, enrollment_id=enrollment.enrollment_id,
            training_class_id=enrollment.class_id, class_code=enrollment.class_code,
            person_name_masked=enrollment.person_name_masked, person_id=enrollment.person_id,
            region_id=enrollment.region_code, provider_organization_id=enrollment.organization_id,
        )  # fmt: skip
        audit_event(Event.LEARNER_MAP, actor=actor, object_id=account.id, region_code=enrollment.region_code)
    return account


def note_text(key: str, params: dict[str, Any]) -> str:
    """A derivation note in the active language (notes are stored as a key and values, never as words)."""
    if key == "cap":
        return _("线上学时上限：应计 %(creditable)s 学时 × %(share)s%% = %(cap)s 学时") % params
    if key == "dropped":
        reason = (
            _("首次线下实操课之后（先理论后实操）") if params.get("reason") == "theory_first" else _("开班日期之外")
        )
        return _("%(n)s 条记录不计：%(reason)s，计至 %(until)s") % {**params, "reason": reason}
    if key == "signal":
        return f"! {params.get('kind', '')}: {params.get('line', '')}"
    return str(params)


def shown_lines(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stored lines with each note put into the viewer's words (lines stored before notes had keys keep their text)."""
    return [
        {**line, "text": note_text(line["note"], line.get("params") or {})} if line.get("note") else line
        for line in lines
    ]


@dataclass(frozen=True)
class Derivation:
    hours: int
    lines: list[dict[str, Any]]  # {"day": ISO date or "", "hours": int, "text": the explaining line}
    signals: int


def _window(enrollment: training.OnlineEnrollment) -> tuple[dt.datetime, dt.datetime, bool]:
    """From the class's first day to the end of its last day, or to its first offline session (theory first)."""
    start = dt.datetime.combine(enrollment.start_date, dt.time(), tzinfo=CN)
    end = dt.datetime.combine(enrollment.end_date + dt.timedelta(days=1), dt.time(), tzinfo=CN)
    practice = enrollment.first_offline_start
    if practice is not None and practice < end:
        return start, practice, True
    return start, end, False


def derive(account: LearnerAccount, enrollment: training.OnlineEnrollment, rules: HoursRules) -> Derivation:
    """The account's online 学时 for its enrollment, with one line per day and per rule applied."""
    events = selectors.learner_events(account.organization, account.home_page, account.name)
    start, end, theory_first = _window(enrollment)
    kept: list[LearningEvent] = [e for e in events if start <= e.at < end]
    dropped = len(events) - len(kept)
    online_max = enrollment.creditable_hours * ONLINE_SHARE_MAX_PERCENT // 100
    credit = credit_online(kept, rules, tz=CN, online_max=online_max)
    lines: list[dict[str, Any]] = [{"day": d.day.isoformat(), "hours": d.hours, "text": d.line} for d in credit.days]

    def note(key: str, **params: Any) -> None:
        # Stored as a key and its values, put into words when shown: the page reads in the viewer's language.
        lines.append({"day": "", "hours": 0, "note": key, "params": params, "text": note_text(key, params)})

    note("cap", creditable=enrollment.creditable_hours, share=ONLINE_SHARE_MAX_PERCENT, cap=online_max)
    if dropped:
        until = end.astimezone(CN).strftime("%Y-%m-%d %H:%M")
        note("dropped", n=dropped, reason="theory_first" if theory_first else "outside_dates", until=until)
    found = selectors.learner_signals(account.organization, account.home_page, account.name, tz=CN)
    for signal in found:
        note("signal", kind=signal.kind, line=signal.line)
    return Derivation(hours=credit.hours, lines=lines, signals=len(found))


def online_sync(*, actor: Any, organization: Any, now: dt.datetime | None = None) -> int:
    """Derive and record the online 学时 of every mapped account of the platform; returns how many were recorded."""
    now = now or timezone.now()
    recorded = 0
    for account in LearnerAccount.objects.filter(organization=organization).select_related("organization"):
        enrollment = training.online_enrollment(account.enrollment_id)
        if enrollment is None:
            continue
        rules = HoursRules()
        derivation = derive(account, enrollment, rules)
        with transaction.atomic():
            if enrollment.status == training.EnrollmentStatus.ENROLLED:
                training.online_hours_record(enrollment.enrollment_id, derivation.hours)
                recorded += 1
            account.online_hours = derivation.hours
            account.lines = derivation.lines
            account.signals = derivation.signals
            account.synced_at = now
            account.save(update_fields=["online_hours", "lines", "signals", "synced_at", "updated_at"])
            audit_event(
                Event.ONLINE_SYNC, actor=actor, object_id=account.id, region_code=enrollment.region_code,
                after={"online_hours": derivation.hours, "signals": derivation.signals},
            )  # fmt: skip
    return recorded


@dataclass(frozen=True)
class UnknownAccount:
    home_page: str
    name: str
    statements: int


def unknown_accounts(organization: Any) -> list[UnknownAccount]:
    """The learner accounts of the platform's statements that map to no enrollment (credited to nothing)."""
    mapped = {
        services.agent_key({"account": {"homePage": h, "name": n}})
        for h, n in LearnerAccount.objects.filter(organization=organization).values_list("home_page", "name")
    }
    rows = (
        StatementIndex.objects.filter(
            statement__organization=organization,
            statement__voided=False,
            kind=IndexKind.AGENT,
            direct=True,
            value__startswith="account:",
        )
        .values("value")
        .annotate(n=Count("statement"))
        .order_by("value")
    )
    out: list[UnknownAccount] = []
    for row in rows:
        if row["value"] in mapped:
            continue
        parts = row["value"].removeprefix("account:").rsplit("|", 1)
        if len(parts) == 2:
            out.append(UnknownAccount(home_page=parts[0], name=parts[1], statements=row["n"]))
    return out
