"""工作台待办 — what waits for this user: the records at the step this user acts on, with their deadlines.

Every deadline is the one the record stored when it entered the step (computed then from the per-region settings
and the working-day calendar, e.g. ``claim.review_workdays``); where a step stores none (grading an exam session), it
is computed here the same way (``exam.results_workdays`` after the exam date). Overdue items come first, then the
nearest deadline. The web shell sits above every app, so it reads their selectors directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jineng.accounts.api import principal_for

# How many records of each kind the workbench lists (the queue pages list them all).
PER_SOURCE = 50
# A deadline this many working days away or nearer counts as approaching (for the notification bell): the per-region
# setting ``notify.approaching_workdays`` of the record's region (default 2), counted on that region's calendar.
APPROACHING_SETTING = "notify.approaching_workdays"
APPROACHING_DAYS = 2  # when a to-do names no region


@dataclass(frozen=True)
class Todo:
    """One waiting record: what kind of work (``kind`` names it in Chinese), which record, until when, where to act."""

    kind: str
    title: str
    detail: str
    url: str
    due: dt.date | None
    since: dt.datetime | None = None
    region: str = ""  # the record's region: its calendar and settings decide when a deadline is near
    list_url: str = ""  # the page listing every record of this kind (the workbench's counts link there)

    def days_left(self, today: dt.date) -> int | None:
        return None if self.due is None else (self.due - today).days

    def overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today

    def approaching(self, today: dt.date, horizon: dt.date | None = None) -> bool:
        """Due today or later, and no later than ``horizon`` (by default ``APPROACHING_DAYS`` calendar days)."""
        left = self.days_left(today)
        if left is None or left < 0:
            return False
        return self.due is not None and self.due <= (horizon or today + dt.timedelta(days=APPROACHING_DAYS))


def approaching_horizon(region: str, today: dt.date) -> dt.date:
    """The last day a deadline counts as near in ``region``: ``notify.approaching_workdays`` working days ahead."""
    from jineng.refdata.api import add_workdays, setting_value

    if not region:
        return today + dt.timedelta(days=APPROACHING_DAYS)
    days = max(0, int(setting_value(APPROACHING_SETTING, region, today)))
    return add_workdays(today, days, region)


TodoSource = Callable[[Any], Iterable[Todo]]
_SOURCES: list[tuple[str, TodoSource]] = []


def register_todos(permission: str, source: TodoSource) -> None:
    _SOURCES.append((permission, source))


def todos_for(user: Any, *, today: dt.date | None = None) -> list[Todo]:
    """Every to-do of ``user``, overdue first, then by deadline (no deadline last), then oldest first."""
    day = today or timezone.localdate()
    p = principal_for(user)
    items: list[Todo] = []
    for permission, source in _SOURCES:
        if p.has(permission):
            items.extend(source(user))
    far = dt.date.max
    oldest = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(items, key=lambda t: (not t.overdue(day), t.due or far, t.since or oldest))


def notifications_for(user: Any, *, today: dt.date | None = None) -> list[Todo]:
    """The bell: to-dos overdue or whose deadline is near, and to-dos that arrived in the last day."""
    day = today or timezone.localdate()
    recent = timezone.now() - dt.timedelta(days=1)
    horizons: dict[str, dt.date] = {}

    def near(t: Todo) -> bool:
        if t.due is None or t.due < day:
            return False
        if t.region not in horizons:
            horizons[t.region] = approaching_horizon(t.region, day)
        return t.approaching(day, horizons[t.region])

    return [
        t
        for t in todos_for(user, today=day)
        if t.overdue(day) or near(t) or (t.since is not None and t.since >= recent)
    ]


def has_todo_sources(user: Any) -> bool:
    """Whether any to-do source applies to this user (their workbench shows a 待办 section, even when empty)."""
    p = principal_for(user)
    return any(p.has(permission) for permission, _source in _SOURCES)


def todo_summary(items: list[Todo], today: dt.date) -> list[dict[str, Any]]:
    """One line per kind of to-do: how many, how many overdue, and the page where they are done (the first to-do's
    list page, else its own page)."""
    kinds: dict[str, dict[str, Any]] = {}
    for t in items:
        k = kinds.setdefault(t.kind, {"kind": t.kind, "count": 0, "overdue": 0, "url": t.list_url or t.url})
        k["count"] += 1
        k["overdue"] += 1 if t.overdue(today) else 0
    return list(kinds.values())


def todo_rows(items: list[Todo], today: dt.date) -> list[dict[str, Any]]:
    """What a page shows of each to-do: the to-do, whether it is overdue, days left, days late."""
    rows = []
    for t in items:
        left = t.days_left(today)
        rows.append({"todo": t, "overdue": t.overdue(today), "left": left, "late": -left if left and left < 0 else 0})
    return rows


# ---- which level of office takes a step ----------------------------------------------------------------------------

# An official's to-do is a step their level of office takes (docs/workbench.md): a claim is accepted (受理) and
# first-reviewed (初审) at the county or the city's window, second-reviewed (复审) and its 公示 closed at the city or the
# province; a class application is approved by the county of its venue. The services leave the step to anyone with
# ``records.review`` over the record (the queue pages list all of them); the workbench lists only the level's own. A
# record attributed to an office above the step's levels (a claim of 东莞, a city without counties) is that office's.
DEPTH = {"country": 0, "province": 1, "city": 2, "county": 3}
LOWER_OFFICES = ("county", "city")
UPPER_OFFICES = ("city", "province")
CLASS_REVIEW_OFFICES = ("county",)


def acting_on(user: Any, levels: Iterable[str], field: str = "region_id", permission: str = "records.review") -> Any:
    """A filter (Q) of the records whose step, taken by the offices at ``levels``, is this user's: under a region
    where the user holds ``permission`` at one of those levels, or attributed to the user's own region when it
    sits above them (nobody below takes the step)."""
    from django.db.models import Q

    from jineng.refdata.api import Region, RegionClosure

    wanted = set(levels)
    top = min(DEPTH[level] for level in wanted)
    codes = principal_for(user).regions_with(permission)
    q = Q(pk__in=[])
    for code, level in Region.objects.filter(code__in=codes).values_list("code", "level"):
        if level in wanted:
            q |= Q(**{f"{field}__in": RegionClosure.objects.filter(ancestor_id=code).values("descendant_id")})
        elif DEPTH[level] < top:
            q |= Q(**{field: code})
    return q


# ---- sources -------------------------------------------------------------------------------------------------------


def _claims_to_review(user: Any) -> Iterable[Todo]:
    """Claims at the step this user's office takes (``CLAIM_STEP_OFFICES``); a claim in 公示 only once the 公示 is
    over or while an objection waits (before that nobody can act on it)."""
    from django.db.models import Q

    from jineng.subsidies.api import REVIEW_QUEUES, ClaimStatus, queue

    today = timezone.localdate()
    offices = {ClaimStatus.SUBMITTED: LOWER_OFFICES, ClaimStatus.ACCEPTED: LOWER_OFFICES,
               ClaimStatus.FIRST_PASSED: UPPER_OFFICES, ClaimStatus.PUBLICITY: UPPER_OFFICES}  # fmt: skip
    for status, step in REVIEW_QUEUES.items():
        qs = queue(user, status)  # four eyes: a claim whose earlier step the user took is not their to-do
        qs = qs.filter(acting_on(user, offices.get(status, UPPER_OFFICES)))
        if status == ClaimStatus.PUBLICITY:
            qs = qs.filter(Q(publicity_end__lt=today) | Q(objections__status="open")).distinct()
        for claim in qs[:PER_SOURCE]:
            yield Todo(
                kind=_("补贴%(step)s") % {"step": step},
                title=f"{claim.number} · {claim.get_subsidy_type_display()}",
                detail=f"{claim.region.name} · {claim.get_status_display()}",
                url=reverse("subsidies:claim", args=[claim.pk]),
                due=claim.publicity_end if status == "publicity" else claim.review_due,
                since=claim.submitted_at,
                region=claim.region_id,
                list_url=reverse("subsidies:review") + f"?status={status}",
            )


def _claims_to_pay(user: Any) -> Iterable[Todo]:
    from jineng.subsidies.api import ClaimStatus, claims_visible

    qs = claims_visible(user, "finance.pay").filter(status=ClaimStatus.APPROVED).order_by("payment_due")
    # Whoever reviewed a claim may not pay it (payments.REVIEWER_FIELDS): it waits for someone else.
    for reviewer in ("accepted_by", "first_reviewer", "second_reviewer", "approved_by"):
        if any(f.name == reviewer for f in qs.model._meta.get_fields()):
            qs = qs.exclude(**{reviewer: user})
    for claim in qs[:PER_SOURCE]:
        yield Todo(
            kind=_("待拨付"),
            title=f"{claim.number} · {claim.get_subsidy_type_display()}",
            detail=claim.region.name,
            url=reverse("subsidies:claim", args=[claim.pk]),
            due=claim.payment_due,
            since=claim.approved_at,
            region=claim.region_id,
            list_url=reverse("subsidies:payments"),
        )


def _batches_to_finish(user: Any) -> Iterable[Todo]:
    """Payment batches not settled: to export as the bank's payment file, then to confirm with the bank's return
    (回盘). Whoever made or exported a batch does not confirm its return (``subsidy.four_eyes.batch_confirm``), and
    whoever reviewed one of its claims does neither: that batch waits for another finance official."""
    from django.db.models import Q

    from jineng.accounts.api import visible
    from jineng.subsidies.api import BatchStatus, PaymentBatch

    qs = visible(PaymentBatch, user, "finance.pay").select_related("region")
    # Whoever reviewed one of a batch's claims neither exports nor confirms it (subsidy.four_eyes.review_pay).
    reviewed = Q()
    for field in ("accepted_by", "first_reviewer", "second_reviewer", "approved_by"):
        reviewed |= Q(**{f"lines__claim__{field}": user})
    qs = qs.exclude(pk__in=PaymentBatch.objects.filter(reviewed).values("pk"))
    created = qs.filter(status=BatchStatus.CREATED)
    exported = qs.filter(status=BatchStatus.EXPORTED).exclude(Q(created_by=user) | Q(exported_by=user))
    for batch, kind in [*((b, _("拨付批次待导出支付文件")) for b in created.order_by("created_at")[:PER_SOURCE]),
                        *((b, _("拨付批次待回盘确认")) for b in exported.order_by("exported_at")[:PER_SOURCE])]:  # fmt: skip
        yield Todo(
            kind=kind,
            title=batch.number,
            detail=_("%(region)s · %(n)d 笔 · 合计 %(yuan)s 元")
            % {"region": batch.region.name, "n": batch.line_count, "yuan": f"{batch.total_fen / 100:,.2f}"},
            url=reverse("subsidies:batch", args=[batch.pk]),
            due=None,
            since=batch.exported_at or batch.created_at,
            region=batch.region_id,
            list_url=reverse("subsidies:payments"),
        )


def _recoveries_to_check(user: Any) -> Iterable[Todo]:
    """追回单 waiting for a second finance person: orders to 复核 (not by whoever ordered them) and money back to
    confirm (not by whoever recorded it) — from a case, a paid claim's page, an advance or the ledger's debts."""
    from jineng.accounts.api import visible
    from jineng.subsidies.api import RecoveryOrder

    qs = visible(RecoveryOrder, user, "finance.pay").select_related("claim")
    pending = qs.filter(status="pending").exclude(requested_by=user).order_by("due_date")[:PER_SOURCE]
    received = (
        qs.filter(status="open", receipts__status="pending").exclude(receipts__recorded_by=user).distinct()
        .order_by("due_date")[:PER_SOURCE]
    )  # fmt: skip
    for order, kind in [*((o, _("追回单待复核")) for o in pending), *((o, _("追回到账待确认")) for o in received)]:
        yield Todo(
            kind=kind,
            title=f"{order.number} · {order.claim.number}",
            detail=_("应追回 %(yuan)s 元") % {"yuan": f"{order.amount_fen / 100:,.2f}"},
            url=reverse("subsidies:recovery", args=[order.pk]),
            due=order.due_date,
            since=order.created_at,
            region=order.region_id,
            list_url=reverse("subsidies:recoveries"),
        )


def _claims_returned(user: Any) -> Iterable[Todo]:
    """A provider's or an enterprise's claims sent back for correction (退回补正), to resubmit within
    ``claim.resubmit_workdays`` working days of the return."""
    from django.db.models import Max, Q

    from jineng.refdata.api import add_workdays, setting_value
    from jineng.subsidies.api import ClaimStatus, claims_visible
    from jineng.web.settings_specs import CLAIM_RESUBMIT_WORKDAYS

    qs = (
        claims_visible(user, "org.view")
        .filter(status=ClaimStatus.RETURNED)
        .annotate(returned_at=Max("steps__at", filter=Q(steps__step="return")))
        .order_by("-updated_at")
    )
    for claim in qs[:PER_SOURCE]:
        returned = timezone.localdate(claim.returned_at or claim.updated_at)
        days = setting_value(CLAIM_RESUBMIT_WORKDAYS, claim.region_id, returned)
        yield Todo(
            kind=_("补贴退回补正"),
            title=f"{claim.number} · {claim.get_subsidy_type_display()}",
            detail=claim.closing_reason[:80],
            url=reverse("subsidies:claim", args=[claim.pk]),
            due=add_workdays(returned, int(days), claim.region_id),
            since=claim.returned_at,
            region=claim.region_id,
            list_url=reverse("subsidies:org_claims"),
        )


def _advances_to_repay(user: Any) -> Iterable[Todo]:
    """An enterprise's paid 学徒制补贴预支 whose apprentice's plan ended unfinished (中途终止 or 考核不合格): the
    advance is to be repaid (待追回) — finance records the recovery, the enterprise pays it back."""
    from jineng.subsidies.api import EventKind, advances_due_recovery, claims_visible

    mine = claims_visible(user, "org.view").filter(event_kind=EventKind.APPRENTICE_ADVANCE)
    for claim, state in advances_due_recovery(mine)[:PER_SOURCE]:
        yield Todo(
            kind=_("学徒制预支待追回"),
            title=f"{claim.number} · {claim.event_label}",
            detail=_("中途终止") if state.status == "terminated" else _("考核不合格"),
            url=reverse("subsidies:claim", args=[claim.pk]),
            due=None,
            region=claim.region_id,
            list_url=reverse("subsidies:advances"),
        )


def _provider_classes(user: Any, statuses: Iterable[str]) -> Any:
    """The classes of the provider(s) this user edits for (an organization grant), in ``statuses``."""
    from jineng.training.api import classes_visible

    orgs = principal_for(user).orgs_with("org.edit")
    return classes_visible(user).filter(organization_id__in=orgs, status__in=list(statuses))


def _classes_to_submit(user: Any) -> Iterable[Todo]:
    """A provider's drafts and refused applications not yet (re)submitted, due on the last day they may still be
    filed (``class.file_before_start_workdays`` working days before the start)."""
    from jineng.training.api import ClassStatus, filing_deadline

    today = timezone.localdate()
    qs = _provider_classes(user, (ClassStatus.DRAFT, ClassStatus.REJECTED)).filter(start_date__gte=today)
    for c in qs.order_by("start_date")[:PER_SOURCE]:
        yield Todo(
            kind=_("开班申请待提交") if c.status == ClassStatus.DRAFT else _("开班申请未通过，待修改重报"),
            title=f"{c.code} · {c.name}",
            detail=_("开班日期 %(d)s · 已报名 %(n)s / 计划 %(p)s")
            % {"d": f"{c.start_date:%Y-%m-%d}", "n": c.enrolled, "p": c.planned_size},
            url=reverse("training:class_detail", args=[c.pk]),
            due=filing_deadline(c),
            since=c.status_changed_at,
            region=c.region_id,
            list_url=reverse("training:classes"),
        )


def _join_requests(user: Any) -> Iterable[Todo]:
    """Workers asking to join the provider's classes: to accept into the roster or refuse, by the class's start."""
    from jineng.training.api import join_requests_pending

    for r in join_requests_pending(principal_for(user).orgs_with("org.edit"))[:PER_SOURCE]:
        c = r.training_class
        yield Todo(
            kind=_("学员报名申请待处理"),
            title=f"{c.code} · {c.name}",
            detail=_("%(name)s 申请报名") % {"name": r.person_name},
            url=reverse("training:join_requests"),
            due=c.start_date,
            since=r.created_at,
            region=c.region_id,
            list_url=reverse("training:join_requests"),
        )


def _corrections_to_answer(user: Any) -> Iterable[Todo]:
    """A person's request to correct a record of the user's region (PIPL 第46条)."""
    from jineng.registry.api import corrections_open

    for c in corrections_open(user)[:PER_SOURCE]:
        yield Todo(
            kind=_("更正申请待答复"),
            title=c.about,
            detail=_("%(name)s 申请更正") % {"name": c.person.name},
            url=reverse("registry:corrections"),
            due=None,
            since=c.created_at,
            region=c.region_id,
            list_url=reverse("registry:corrections"),
        )


def _rosters_to_complete(user: Any) -> Iterable[Todo]:
    """Classes whose roster is short of the planned size while additions are still open: due on the last day of
    additions (the start date plus ``class.late_addition_days``)."""
    from django.db.models import F

    from jineng.training.api import ClassStatus, roster_closes_on

    today = timezone.localdate()
    open_statuses = (ClassStatus.DRAFT, ClassStatus.SUBMITTED, ClassStatus.REJECTED, ClassStatus.APPROVED,
                     ClassStatus.RUNNING)  # fmt: skip
    qs = _provider_classes(user, open_statuses).filter(enrolled__lt=F("planned_size"))
    qs = qs.filter(start_date__gte=today - dt.timedelta(days=31))
    for c in qs.order_by("start_date")[:PER_SOURCE]:
        closes = roster_closes_on(c)
        if closes < today:
            continue
        yield Todo(
            kind=_("花名册待补齐"),
            title=f"{c.code} · {c.name}",
            detail=_("在训 %(n)s / 计划 %(p)s · %(s)s")
            % {"n": c.enrolled, "p": c.planned_size, "s": c.get_status_display()},
            url=reverse("training:class_detail", args=[c.pk]) + "#roster",
            due=closes,
            region=c.region_id,
            list_url=reverse("training:classes"),
        )


def _classes_to_complete(user: Any) -> Iterable[Todo]:
    """Running classes whose last session has ended: 结业 within ``class.complete_within_workdays`` working days."""
    from django.db.models import OuterRef, Subquery

    from jineng.refdata.api import add_workdays, setting_value
    from jineng.training.api import ClassSession, ClassStatus
    from jineng.web.settings_specs import CLASS_COMPLETE_WORKDAYS

    now = timezone.now()
    # A subquery, not a join on the sessions: a join multiplied the 在训 count by the sessions (“在训 40 人” for 5).
    last = ClassSession.objects.filter(training_class=OuterRef("pk"), cancelled_at__isnull=True).order_by("-ends_at")
    qs = (
        _provider_classes(user, (ClassStatus.RUNNING,))
        .annotate(last_end=Subquery(last.values("ends_at")[:1]))
        .filter(last_end__lte=now)
        .order_by("last_end")
    )
    for c in qs[:PER_SOURCE]:
        ended = timezone.localdate(c.last_end)
        days = setting_value(CLASS_COMPLETE_WORKDAYS, c.region_id, ended)
        yield Todo(
            kind=_("待结业"),
            title=f"{c.code} · {c.name}",
            detail=_("末次课 %(d)s · 在训 %(n)s 人") % {"d": f"{ended:%Y-%m-%d}", "n": c.enrolled},
            url=reverse("training:class_detail", args=[c.pk]),
            due=add_workdays(ended, int(days), c.region_id),
            since=c.last_end,
            region=c.region_id,
            list_url=reverse("training:classes"),
        )


def _classes_to_review(user: Any) -> Iterable[Todo]:
    """Class applications of the venues where this user's office approves them (the county; ``acting_on``)."""
    from jineng.training.api import review_queue

    for c in review_queue(user).filter(acting_on(user, CLASS_REVIEW_OFFICES))[:PER_SOURCE]:
        yield Todo(
            kind=_("开班审核"),
            title=f"{c.code} · {c.name}",
            detail=f"{c.provider.organization.name} · {c.region.name}",
            url=reverse("training:class_detail", args=[c.pk]),
            due=c.review_due,
            since=c.submitted_at,
            region=c.region_id,
            list_url=reverse("training:review_queue"),
        )


def _catalog_applications(user: Any) -> Iterable[Todo]:
    from jineng.providers.api import review_queue

    for a in review_queue(user)[:PER_SOURCE]:
        yield Todo(
            kind=_("目录申请审核"),
            title=str(a.profile.organization.name),
            detail=f"{a.get_kind_display()} · {a.get_status_display()}",
            url=reverse("providers:application", args=[a.pk]),
            due=a.due,  # type: ignore[arg-type]
            since=a.submitted_at,
            region=a.region_id or "",
            list_url=reverse("providers:review"),
        )


def _sessions_to_grade(user: Any) -> Iterable[Todo]:
    """An evaluator's exam sessions held and not yet closed: results to enter within ``exam.results_workdays``."""
    from jineng.certificates.api import SessionStatus, sessions_visible
    from jineng.refdata.api import add_workdays, setting_value
    from jineng.web.settings_specs import EXAM_RESULTS_WORKDAYS

    today = timezone.localdate()
    qs = sessions_visible(user).filter(status=SessionStatus.SCHEDULED, exam_date__lte=today).order_by("exam_date")
    for s in qs[:PER_SOURCE]:
        days = setting_value(EXAM_RESULTS_WORKDAYS, s.venue_region_id, s.exam_date)
        yield Todo(
            kind=_("成绩录入"),
            title=f"{s.code} · {s.occupation.name}",
            detail=f"{s.organization.name} · {s.exam_date:%Y-%m-%d}",
            url=reverse("certificates:session", args=[s.pk]),
            due=add_workdays(s.exam_date, int(days), s.venue_region_id),
            region=s.venue_region_id,
        )


# ---- an evaluation organization's sessions: to prepare, to issue (the grading above) -------------------------------


def _own_sessions(user: Any) -> Any:
    """The sessions of the organizations this user works for (an official sees sessions, but does not run them)."""
    from jineng.certificates.api import sessions_visible

    return sessions_visible(user).filter(organization_id__in=principal_for(user).orgs_with("org.edit"))


def _sessions_to_prepare(user: Any) -> Iterable[Todo]:
    """Upcoming sessions still without candidates or examiners: the roster (考生名册) is due
    ``exam.roster_days_before`` calendar days before the exam date (鉴定花名册提前报送)."""
    from django.db.models import Count, Q

    from jineng.certificates.api import SessionStatus
    from jineng.refdata.api import setting_value

    today = timezone.localdate()
    booked = Q(examiners__released_at__isnull=True)
    qs = (
        _own_sessions(user)
        .filter(status=SessionStatus.SCHEDULED, exam_date__gt=today)
        .annotate(
            n_candidates=Count("candidates", distinct=True),
            n_examiners=Count("examiners", filter=booked, distinct=True),
        )  # fmt: skip
        .filter(Q(n_candidates=0) | Q(n_examiners=0))
        .order_by("exam_date")
    )
    for s in qs[:PER_SOURCE]:
        days = int(setting_value(ROSTER_DAYS_BEFORE, s.venue_region_id, s.exam_date))
        missing = [label for label, n in ((_("考生"), s.n_candidates), (_("考评员"), s.n_examiners)) if not n]
        yield Todo(
            kind=_("考前准备"),
            title=f"{s.code} · {s.occupation.name}",
            detail=_("%(date)s 开考；尚缺%(missing)s，名册须于考前 %(days)d 日报送")
            % {"date": f"{s.exam_date:%Y-%m-%d}", "missing": "、".join(missing), "days": days},
            url=reverse("certificates:session", args=[s.pk]),
            due=s.exam_date - dt.timedelta(days=days),
            since=s.created_at,
        )


def _certificates_to_issue(user: Any) -> Iterable[Todo]:
    """Sessions whose results are confirmed with candidates who passed and hold no certificate yet (发证)."""
    from django.db.models import Count, Q

    from jineng.certificates.api import SessionStatus

    qs = (
        _own_sessions(user)
        .filter(status=SessionStatus.RESULTS_CLOSED)
        .annotate(
            waiting=Count("candidates", filter=Q(candidates__result="passed", candidates__certificate__isnull=True))
        )
        .filter(waiting__gt=0)
        .order_by("closed_at")
    )
    for s in qs[:PER_SOURCE]:
        yield Todo(
            kind=_("待发证"),
            title=f"{s.code} · {s.occupation.name}",
            detail=_("%(n)d 名合格考生待发证") % {"n": s.waiting},
            url=reverse("certificates:session", args=[s.pk]),
            due=None,
            since=s.closed_at,
        )


ROSTER_DAYS_BEFORE = "exam.roster_days_before"


# ---- an enterprise's hires and apprentices: the claims it has not filed yet -----------------------------------------


def _enterprises(user: Any) -> Any:
    from jineng.accounts.api import Organization

    return Organization.objects.filter(pk__in=principal_for(user).orgs_with("org.edit"), kind="enterprise")


def _claim_new_url(subsidy_type: str, event_ref: str, org: Any) -> str:
    from django.utils.http import urlencode

    query = {"type": subsidy_type, "event_ref": event_ref, "applicant_kind": "enterprise", "applicant_org": str(org.pk)}
    return f"{reverse('subsidies:new')}?{urlencode(query)}"


def _hires_to_claim(user: Any) -> Iterable[Todo]:
    """An enterprise's hires (新招用职工) without a live 以工代训 claim that the claim form offers (the same rule,
    hire_offer_refusal, as the hires list and the form): the claim to file, from the hire's line."""
    from jineng.subsidies.api import LIVE_STATUSES, Claim, hire_offer_refusal, hires_of

    for org in _enterprises(user):
        records = list(hires_of(org)[: PER_SOURCE * 4])
        claimed = set(
            Claim.objects.filter(
                event_key__in=[f"employment:{r.pk}" for r in records], status__in=LIVE_STATUSES
            ).values_list("event_key", flat=True)
        )
        offered = [r for r in records if f"employment:{r.pk}" not in claimed
                   and not hire_offer_refusal(r, str(org.region_id))]  # fmt: skip
        for r in offered[:PER_SOURCE]:
            yield Todo(
                kind=_("以工代训补贴待申领"),
                title=f"{r.person.name} · {org.name}",
                detail=_("入职 %(d)s") % {"d": f"{r.started_on:%Y-%m-%d}"},
                url=_claim_new_url("work_for_training", str(r.pk), org),
                due=None,
                since=r.created_at,
                region=org.region_id,
                list_url=reverse("subsidies:hires"),
            )


def _apprentice_years_to_claim(user: Any) -> Iterable[Todo]:
    """An enterprise's apprentices' recorded plan years (培养年度) without a live 企业新型学徒制培训补贴 claim."""
    from jineng.subsidies.api import LIVE_STATUSES, Claim, apprentices_of_org

    for org in _enterprises(user):
        years = apprentices_of_org(org.pk)[:PER_SOURCE]
        claimed = set(
            Claim.objects.filter(
                event_key__in=[f"apprentice_year:{ref}" for ref, _label in years], status__in=LIVE_STATUSES
            ).values_list("event_key", flat=True)
        )
        for ref, label in years:
            if f"apprentice_year:{ref}" in claimed:
                continue
            yield Todo(
                kind=_("学徒制补贴待申领"),
                title=label,
                detail=str(org.name),
                url=_claim_new_url("apprenticeship", ref, org),
                due=None,
                region=org.region_id,
                list_url=reverse("training:apprenticeships"),
            )


# ---- competitions: officials approve events and take results through 审核 → 公示 → 确认; organizers file and enter ----


def _competition_todo(kind: Any, event: Any, detail: str, due: dt.date | None, since: Any, list_query: str) -> Todo:
    return Todo(
        kind=kind,
        title=f"{event.code} · {event.name}",
        detail=detail,
        url=reverse("competitions:detail", args=[event.pk]),
        due=due,
        since=since,
        region=event.region_id,
        list_url=reverse("competitions:list") + list_query,
    )


def _competitions_official(user: Any) -> Iterable[Todo]:
    """The office of an event's region approves it (报备待批准) and takes its results through 审核, 公示 and — once
    the objection period is over — 确认 (docs/competitions.md)."""
    from jineng.competitions.api import official_steps

    steps = official_steps(user)
    kinds = {"approve": _("赛事报备待批准"), "review": _("竞赛成绩待审核"), "publish": _("竞赛成绩待公示"),
             "finalize": _("竞赛公示期满待确认"), "objections": _("竞赛成绩异议待处理"),
             "advance": _("竞赛晋级名单待确认")}  # fmt: skip
    for step, qs in steps.items():
        for e in qs[:PER_SOURCE]:
            detail = f"{e.organizer.name} · {e.get_level_display()} · {e.region.name}"
            query = "?status=filed" if step == "approve" else "?status=approved"
            due = e.objection_until if step == "objections" else None
            yield _competition_todo(kinds[step], e, detail, due, e.filed_at if step == "approve" else None, query)


def _competition_rules_to_publish(user: Any) -> Iterable[Todo]:
    """竞赛奖励规则草稿 proposed by another holder of ``settings.edit``, waiting for this one to publish or return
    (双人复核, docs/competitions.md)."""
    from jineng.competitions.api import rule_drafts_to_publish

    list_url = reverse("competitions:rules")
    for rs in rule_drafts_to_publish(user)[:PER_SOURCE]:
        yield Todo(kind=_("竞赛奖励规则待发布"), title=f"{rs.region.name} · {rs.basis[:60]}",
                   detail=_("%(n)d 条规则 · 自 %(d)s 起") % {"n": len(rs.lines), "d": f"{rs.valid_from:%Y-%m-%d}"},
                   url=f"{list_url}#rs-{rs.pk}", due=None, since=rs.created_at, region=rs.region_id,
                   list_url=list_url)  # fmt: skip


def _competitions_organizer(user: Any) -> Iterable[Todo]:
    """An organizer's events to file (drafts, returned ones: due the day before the event starts) and results to
    enter once the event has ended."""
    from jineng.competitions.api import organizer_steps

    steps = organizer_steps(user)
    for e in steps["file"][:PER_SOURCE]:
        returned = e.status == "rejected"
        yield _competition_todo(
            _("赛事被退回，待修改重报") if returned else _("赛事待报备"), e,
            e.reject_reason[:80] if returned else f"{e.get_level_display()} · {e.region.name}",
            e.starts_on - dt.timedelta(days=1), e.decided_at if returned else e.created_at, "?status=" + e.status,
        )  # fmt: skip
    for e in steps["results"][:PER_SOURCE]:
        missing: int = getattr(e, "n_missing", 0)
        yield _competition_todo(
            _("竞赛成绩待录入"), e,
            _("%(n)d 名选手尚无成绩 · 赛期至 %(d)s") % {"n": missing, "d": f"{e.ends_on:%Y-%m-%d}"},
            None, None, "?status=approved",
        )  # fmt: skip


# 监管: an inspector (检查员) checks the cases anywhere in their scope; among officials, the city office checks its
# counties' cases (a county office does not inspect) and the province only the cases attributed to itself.
CASE_OFFICES = ("city",)
# 投诉举报 go to the office of the region owning the object (the county's desk; a city without counties, its own).
COMPLAINT_OFFICES = ("county",)


def _cases_to_check(user: Any) -> Iterable[Todo]:
    """New supervision cases (新线索待核查) this user checks, oldest first: an inspector's in their scope, an
    official's at their office's level (``CASE_OFFICES``); the count links to the case list filtered to new cases.
    No deadline: the rules set none."""
    from jineng.accounts.api import Function, can
    from jineng.supervision.api import case_summary, cases_visible

    list_url = reverse("supervision:cases") + "?status=new"
    cases = cases_visible(user).filter(status="new")
    if Function.INSPECTOR not in principal_for(user).functions:
        cases = cases.filter(acting_on(user, CASE_OFFICES, permission="supervision.inspect"))
    for c in cases.order_by("created_at")[: PER_SOURCE * 4]:
        if not can(user, "supervision.inspect", region_code=c.region_id):
            continue
        yield Todo(kind=_("新线索待核查"), title=c.number, detail=f"{case_summary(c)[:80]} · {c.region.name}",
                   url=reverse("supervision:case", args=[c.pk]), due=None, since=c.created_at, region=c.region_id,
                   list_url=list_url)  # fmt: skip


def _inspection_tasks(user: Any) -> Iterable[Todo]:
    """An inspector's own inspection tasks (检查任务) not closed yet, by their publish deadline (一公开)."""
    from jineng.inspections.api import open_tasks_of_inspector

    list_url = reverse("inspections:tasks") + "?mine=1&status=open"
    for t in open_tasks_of_inspector(user)[:PER_SOURCE]:
        yield Todo(kind=_("检查任务"), title=t.number, detail=f"{t.object_name[:60]} · {t.get_status_display()}",
                   url=reverse("inspections:task", args=[t.pk]), due=t.publish_by, since=t.created_at,
                   region=t.region_id, list_url=list_url)  # fmt: skip


def _rectifications(user: Any) -> Iterable[Todo]:
    """整改 requests an inspected organization has to answer, by their deadline."""
    from jineng.inspections.api import rectifications_to_answer

    list_url = reverse("inspections:tasks") + "?status=rectifying"
    for f in rectifications_to_answer(user)[:PER_SOURCE]:
        yield Todo(kind=_("整改待回复"), title=f.task.number, detail=f.description[:80],
                   url=reverse("inspections:task", args=[f.task_id]), due=f.rectify_by, since=f.created_at,
                   region=f.region_id, list_url=list_url)  # fmt: skip


def _recognitions_to_review(user: Any) -> Iterable[Todo]:
    """学分互认待审: pending requests of the user's regions that another person filed (docs/credits.md)."""
    from jineng.credits.api import pending_recognitions

    list_url = reverse("credits:recognitions") + "?status=pending"
    for r in pending_recognitions(user).select_related("from_region", "region").order_by("created_at")[:PER_SOURCE]:
        yield Todo(kind=_("学分互认待审核"), title=f"{r.from_region.name} {r.record_ref}",
                   detail=f"{r.description[:60]} · {r.credits} · {r.region.name}",
                   url=reverse("credits:recognition", args=[r.pk]), due=None, since=r.created_at,
                   region=r.region_id, list_url=list_url)  # fmt: skip


def _conversions_to_review(user: Any) -> Iterable[Todo]:
    """学分转换待审: pending conversions of the user's regions that another person asked for (docs/credits.md)."""
    from jineng.credits.api import pending_conversions

    list_url = reverse("credits:conversions") + "?status=pending"
    for c in pending_conversions(user).select_related("region").order_by("created_at")[:PER_SOURCE]:
        yield Todo(kind=_("学分转换待审核"), title=f"{c.get_target_display()}：{c.target_label[:40]}",
                   detail=f"{c.credits} · {c.region.name}", url=reverse("credits:conversion", args=[c.pk]), due=None,
                   since=c.created_at, region=c.region_id, list_url=list_url)  # fmt: skip


def _sanctions_to_approve(user: Any) -> Iterable[Todo]:
    """处罚决定待复核: a pending 黑名单 / 吊销许可 that this user may approve and did not decide (the second person,
    docs/sanctions.md); the count links to the list of pending decisions."""
    from jineng.supervision.api import sanctions_to_approve

    list_url = reverse("supervision:sanctions") + "?status=pending"
    for s in sanctions_to_approve(user)[:PER_SOURCE]:
        yield Todo(kind=_("处罚决定待复核"), title=f"{s.number} · {s.organization_name[:40]}",
                   detail=f"{s.get_kind_display()} · {s.document_number} · {s.decided_by_name}",
                   url=reverse("supervision:sanction", args=[s.pk]), due=None, since=s.created_at,
                   region=s.region_id, list_url=list_url)  # fmt: skip


def _credit_rules_to_publish(user: Any) -> Iterable[Todo]:
    """学分规则待发布: drafts of the user's regions that another official drafted (docs/credits.md)."""
    from jineng.credits.api import pending_rule_drafts

    list_url = reverse("credits:rules")
    for rs in pending_rule_drafts(user)[:PER_SOURCE]:
        yield Todo(kind=_("学分规则待发布"), title=rs.region.name, detail=rs.basis[:80],
                   url=reverse("credits:rules_draft", args=[rs.pk]), due=None, since=rs.created_at,
                   region=rs.region_id, list_url=list_url)  # fmt: skip


def _complaints_to_answer(user: Any) -> Iterable[Todo]:
    """投诉举报 waiting for this handler: still 已收到 (due: the acknowledgement) or 办理中 (due: the answer), of the
    regions whose office the user is (``COMPLAINT_OFFICES``: a province or city official is not listed its counties'
    complaints — the list page still shows them — unless they took one as its handler); the count links to the list of open complaints."""
    from jineng.complaints.api import Status, complaints_visible

    list_url = reverse("complaints:list") + "?status=open"
    from django.db.models import Q

    mine = complaints_visible(user, status="open").filter(
        acting_on(user, COMPLAINT_OFFICES, permission="complaints.handle") | Q(handler_id=user.pk)
    )
    for c in mine[:PER_SOURCE]:
        received = c.status == Status.RECEIVED
        yield Todo(kind=_("投诉举报待受理") if received else _("投诉举报待答复"),
                   title=f"{c.number} · {c.object_name[:40]}", detail=f"{c.get_category_display()} · {c.region.name}",
                   url=reverse("complaints:detail", args=[c.pk]), due=c.ack_due if received else c.answer_due,
                   since=c.created_at, region=c.region_id, list_url=list_url)  # fmt: skip


register_todos("records.review", _claims_to_review)
register_todos("finance.pay", _claims_to_pay)
register_todos("finance.pay", _batches_to_finish)
register_todos("finance.pay", _recoveries_to_check)
register_todos("org.view", _claims_returned)
register_todos("org.view", _advances_to_repay)
register_todos("records.review", _classes_to_review)
register_todos("records.review", _catalog_applications)  # the queue itself keeps catalog.review / catalog.approve
register_todos("org.edit", _sessions_to_grade)
register_todos("org.edit", _classes_to_submit)
register_todos("org.edit", _rosters_to_complete)
register_todos("org.edit", _join_requests)
register_todos("registry.edit", _corrections_to_answer)
register_todos("org.edit", _classes_to_complete)
# An evaluation organization's sessions (issue 15): to prepare before the roster is due, to issue after closing.
register_todos("org.edit", _sessions_to_prepare)
register_todos("org.edit", _certificates_to_issue)
register_todos("org.edit", _hires_to_claim)
register_todos("org.edit", _apprentice_years_to_claim)
register_todos("records.review", _competitions_official)
register_todos("settings.edit", _competition_rules_to_publish)
register_todos("records.review", _recognitions_to_review)
register_todos("records.review", _conversions_to_review)
register_todos("settings.edit", _credit_rules_to_publish)
register_todos("org.edit", _competitions_organizer)
register_todos("supervision.inspect", _cases_to_check)
register_todos("supervision.inspect", _inspection_tasks)
register_todos("org.edit", _rectifications)
register_todos("complaints.handle", _complaints_to_answer)
register_todos("supervision.sanction_province", _sanctions_to_approve)
