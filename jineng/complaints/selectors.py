"""Every read of complaints: the handler's list (scoped through ``accounts.api.visible`` on ``complaints.handle``)
with its overdue flags, and what a tracking code shows (the status, its dates and the answer — nothing else)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from jineng.accounts.api import can, visible
from jineng.complaints.models import OPEN_STATUSES, Complaint, Status, StepKind
from jineng.supervision.data import CaseComplaint

HANDLE = "complaints.handle"
OVERDUE_CHOICES = ("ack", "answer", "any")


def overdue_q(today: dt.date, which: str = "any") -> Q:
    """受理告知 overdue: still 已收到 after ``ack_due``; 答复 overdue: still open after ``answer_due``."""
    ack = Q(status=Status.RECEIVED, ack_due__lt=today)
    answer = Q(status__in=OPEN_STATUSES, answer_due__lt=today)
    return {"ack": ack, "answer": answer}.get(which, ack | answer)


def complaints_visible(user: Any, *, status: str = "", overdue: str = "", q: str = "",
                       region: str = "") -> QuerySet[Complaint]:  # fmt: skip
    qs = visible(Complaint, user, HANDLE).select_related("region", "organization", "handler")
    if status in Status.values:
        qs = qs.filter(status=status)
    elif status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    if overdue in OVERDUE_CHOICES:
        qs = qs.filter(overdue_q(timezone.localdate(), overdue))
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(object_name__icontains=q))
    if region:
        from jineng.refdata.api import RegionClosure

        qs = qs.filter(region_id__in=RegionClosure.objects.filter(ancestor_id=region).values("descendant_id"))
    return qs.order_by("answer_due", "created_at")


def flags(c: Complaint, today: dt.date | None = None) -> dict[str, bool]:
    day = today or timezone.localdate()
    return {
        "ack_overdue": c.status == Status.RECEIVED and c.ack_due < day,
        "answer_overdue": c.status in OPEN_STATUSES and c.answer_due < day,
    }


def public_status(c: Complaint) -> dict[str, Any]:
    """What the tracking code shows: the status, the dates and deadlines, the answer, and whether it may be reopened.
    Not the object, the content, the contact, the handler or the internal notes.

    Reopened: the first answer (date and text) apart as ``first_answer``; ``answer_due``, ``answered_on`` and ``reply``
    are the new round's (none until it is answered again), so the new deadline never stands beside the old answer."""
    answered_on, reply, first_answer = c.answered_at, c.reply, None
    if c.reopened_at is not None:
        first = c.steps.filter(kind=StepKind.REPLY, at__lte=c.reopened_at).order_by("at", "pk").first()
        if first is not None:
            first_answer = {"on": timezone.localdate(first.at), "text": first.text}
        if c.answered_at is None or c.answered_at <= c.reopened_at:
            answered_on, reply = None, ""
    return {
        "status": c.status, "status_label": str(Status(c.status).label), "received_on": c.received_on,
        "ack_due": c.ack_due, "answer_due": c.answer_due,
        "acknowledged_on": timezone.localdate(c.acknowledged_at) if c.acknowledged_at else None,
        "answered_on": timezone.localdate(answered_on) if answered_on else None,
        "closed_on": timezone.localdate(c.closed_at) if c.closed_at else None,
        "reply": reply, "reopened": c.reopened_at is not None, "first_answer": first_answer,
        "reopened_on": timezone.localdate(c.reopened_at) if c.reopened_at else None,
        "can_reopen": c.reopened_at is None and c.status in (Status.ANSWERED, Status.CLOSED),
    }  # fmt: skip


def object_suggestions(q: str, kind: str = "", limit: int = 10) -> list[str]:
    """The names containing ``q`` of what is published anyway: providers in the public catalog (培训机构目录: listed
    and in force today), or for an evaluation organization the public 评价机构名录 (``/catalog/evaluators/``). Any
    other organization (a provider applying, exited or expired, an enterprise) is never offered: its name is typed
    as free text."""
    from jineng.providers.api import public_evaluators, public_providers

    q = " ".join((q or "").split())[:60]
    if len(q) < 2:
        return []
    if kind == "evaluator":
        evaluators = public_evaluators(q=q).values_list("name", flat=True)
        return list(evaluators.order_by("name").distinct()[:limit])
    if kind not in ("", "provider", "class"):
        return []
    qs = public_providers(status="listed", q=q, on=timezone.localdate())
    names = qs.order_by("profile__organization__name").values_list("profile__organization__name", flat=True)
    return list(names.distinct()[:limit])


def region_suggestions(q: str, limit: int = 10) -> list[tuple[str, str]]:
    """Current regions (cities, counties) in the provinces this deployment serves whose name contains ``q``: (code,
    name with its parents)."""
    from jineng.complaints.services import handled_provinces
    from jineng.refdata.api import Region

    q = " ".join((q or "").split())[:30]
    if not q:
        return []
    provinces = handled_provinces()
    qs = Region.objects.filter(valid_to__isnull=True, level__in=["county", "city"]).select_related("parent")
    qs = qs.filter(code__startswith=q) if q.isdigit() else qs.filter(name__icontains=q)
    rows = [(r.code, f"{r.parent.name if r.parent else ''}{r.name}") for r in qs.order_by("code")]
    return [row for row in rows if f"{row[0][:2]}0000" in provinces][:limit]


def rate_key(address: str) -> str:
    """Whom a rate limit counts: an IPv4 address as it is, an IPv6 address by its /64 (one subscriber's network: a
    client picks any of its 2^64 addresses at will); an IPv4-mapped IPv6 address as the IPv4 one. Anything else (no
    address) as it is."""
    import ipaddress

    try:
        ip = ipaddress.ip_address((address or "").strip().split("%")[0])
    except ValueError:
        return address or ""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


def mask_number(number: str) -> str:
    """TS2026000002 → TS2026****02."""
    return f"{number[:6]}****{number[-2:]}" if len(number) > 8 else "****"


def case_complaints(user: Any, case_number: str) -> list[CaseComplaint]:
    """The complaints a supervision case came from or was linked to, for its case page (``supervision.api``'s
    hook): a reader who handles complaints over the complaint's region (``complaints.handle``) gets its number and a
    link; anyone else who sees the case (an inspector) the number masked and no link. Never the complainant or the
    text."""
    rows = []
    for c in Complaint.objects.filter(case_ref=case_number).order_by("received_on", "number")[:20]:
        handles = can(user, HANDLE, region_code=c.region_id)
        rows.append(CaseComplaint(
            number=c.number if handles else mask_number(c.number),
            url=reverse("complaints:detail", kwargs={"complaint_id": c.pk}) if handles else "",
            category=str(c.get_category_display()), status=str(c.get_status_display()), received_on=c.received_on,
        ))  # fmt: skip
    return rows
