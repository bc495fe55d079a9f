"""Every read of inspections: the inspection-object list and the inspector pool of a region, draws (the published
ones for everyone), tasks and findings — all through ``accounts.api.visible`` (officials and inspectors over the
region with ``supervision.view``; a provider sees the tasks and findings about its own organization, ``org.view``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from jineng.accounts.api import Function, Grant, Organization, OrganizationKind, User, can, visible
from jineng.inspections.models import Draw, DrawStatus, Finding, InspectionTask, ObjectKind, PoolMember
from jineng.providers.api import PoolRole
from jineng.refdata.api import region_subtree
from jineng.training.api import Apprentice, ClassStatus, TrainingClass

VIEW = "supervision.view"
INSPECT = "supervision.inspect"
MANAGE = "supervision.scan"  # plans draws and keeps the pool: the officials (and inspectors) who start scans
ORG_VIEW = "org.view"


@dataclass(frozen=True)
class InspectionObject:
    """检查对象 — one entry of a region's inspection-object list."""

    id: str
    kind: str
    name: str
    organization_id: str
    region_id: str


def inspection_objects(region: str, kinds: list[str]) -> list[InspectionObject]:
    """检查对象名录 — the region's (and below) providers, classes in training (培训中), evaluation organizations and
    enterprises with apprentices in training, ordered by kind then id."""
    codes = region_subtree(region)
    out: list[InspectionObject] = []
    org_kinds = {ObjectKind.PROVIDER: OrganizationKind.PROVIDER, ObjectKind.EVALUATOR: OrganizationKind.EVALUATOR}
    for kind, org_kind in org_kinds.items():
        if kind in kinds:
            for pk, name, reg in Organization.objects.filter(kind=org_kind, status="active", region_id__in=codes
                                                             ).values_list("pk", "name", "region_id"):  # fmt: skip
                out.append(InspectionObject(str(pk), kind, name, str(pk), reg))
    if ObjectKind.CLASS in kinds:
        for pk, code, name, org, reg in TrainingClass.objects.filter(status=ClassStatus.RUNNING, region_id__in=codes
                                                                     ).values_list("pk", "code", "name",
                                                                                   "organization_id", "region_id"):  # fmt: skip
            out.append(InspectionObject(str(pk), ObjectKind.CLASS, f"{code} {name}", str(org), reg))
    if ObjectKind.ENTERPRISE in kinds:
        orgs = Apprentice.objects.filter(status="active", region_id__in=codes).values_list("organization_id", flat=True)
        for pk, name, reg in Organization.objects.filter(pk__in=orgs).values_list("pk", "name", "region_id"):
            out.append(InspectionObject(str(pk), ObjectKind.ENTERPRISE, name, str(pk), reg))
    return sorted(out, key=lambda o: (o.kind, o.id))


def pool_visible(user: Any) -> QuerySet[PoolMember]:
    return visible(PoolMember, user, VIEW).select_related("user", "region")


def pool_of(region: str) -> QuerySet[PoolMember]:
    """The active pool members drawable in ``region``: those of the region and of every region above it."""
    from jineng.refdata.api import region_ancestors

    return PoolMember.objects.filter(active=True, region_id__in=region_ancestors(region)).select_related("user")


def inspector_candidates(region: str) -> QuerySet[User]:
    """Users holding a live inspector grant over ``region`` (or above) — whom the pool may take in."""
    from django.utils import timezone

    from jineng.refdata.api import region_ancestors

    now = timezone.now()
    grants = Grant.objects.filter(function=Function.INSPECTOR, region_id__in=region_ancestors(region),
                                  revoked_at__isnull=True, valid_from__lte=now).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=now))  # fmt: skip
    return User.objects.filter(pk__in=grants.values("user_id"), is_active=True).order_by("username")


def conflicts(users: list[Any], objects: list[InspectionObject]) -> set[tuple[str, str]]:
    """回避 — (user id, object id) pairs where the inspector works for the object's organization (holds a grant on
    it), or teaches, examines or mentors for it (an entry of its teacher/examiner pool, 师资库/考评员库)."""
    by_org: dict[str, list[str]] = {}
    for o in objects:
        by_org.setdefault(o.organization_id, []).append(o.id)
    out: set[tuple[str, str]] = set()
    user_ids = [u.pk for u in users]
    for uid, org in Grant.objects.filter(user_id__in=user_ids, organization_id__in=list(by_org),
                                         revoked_at__isnull=True).values_list("user_id", "organization_id"):  # fmt: skip
        out |= {(str(uid), oid) for oid in by_org.get(str(org), [])}
    person_user = {u.person_id: u.pk for u in users if u.person_id}
    if person_user:
        for person, org in PoolRole.objects.filter(person_id__in=list(person_user), organization_id__in=list(by_org)
                                                   ).values_list("person_id", "organization_id"):  # fmt: skip
            out |= {(str(person_user[person]), oid) for oid in by_org.get(str(org), [])}
    return out


def draws_visible(user: Any) -> QuerySet[Draw]:
    return visible(Draw, user, VIEW).select_related("region")


def draws_public() -> QuerySet[Draw]:
    """一公开 — the draws whose result is published (and those a redraw replaced, marked so)."""
    return Draw.objects.filter(status__in=(DrawStatus.DRAWN, DrawStatus.SUPERSEDED)).select_related("region")


def tasks_visible(user: Any) -> QuerySet[InspectionTask]:
    """Officials and inspectors over the region; a provider its own organization's tasks (``org.view``)."""
    if can(user, VIEW):
        qs = visible(InspectionTask, user, VIEW)
    else:
        qs = visible(InspectionTask, user, ORG_VIEW)
    return qs.select_related("region", "organization", "draw")


def sees_inside(user: Any, task: InspectionTask) -> bool:
    """The call-back list (电话回访名单) and the checklist are the inspectors' and officials' own: the inspected
    provider sees only the findings and the rectification asked of it, never whom will be called back."""
    return can(user, VIEW, region_code=task.region_id) or can(user, INSPECT, region_code=task.region_id)


def task_filter(qs: QuerySet[InspectionTask], *, status: str = "", kind: str = "", mine: Any = None,
                q: str = "") -> QuerySet[InspectionTask]:  # fmt: skip
    if status == "open":
        qs = qs.exclude(status__in=("closed", "cancelled"))
    elif status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(object_kind=kind)
    if mine is not None:
        qs = qs.filter(inspectors=mine)
    if q:
        qs = qs.filter(Q(number__icontains=q[:40]) | Q(object_name__icontains=q[:40]))
    return qs


def findings_open_count(qs: QuerySet[InspectionTask]) -> dict[Any, int]:
    rows = qs.values("pk").annotate(n=Count("findings", filter=Q(findings__status__in=("rectify", "reopened"))))
    return {r["pk"]: r["n"] for r in rows}


def findings_of(task: InspectionTask) -> QuerySet[Finding]:
    return task.findings.all()


def tasks_published() -> QuerySet[InspectionTask]:
    """The inspection results published (一公开): closed or with findings recorded, and published."""
    return InspectionTask.objects.filter(published_at__isnull=False).select_related("region", "draw")


def case_choices(user: Any) -> list[Any]:
    """The supervision cases (线索) a task may come from: visible to ``user``, about an organization, not dismissed
    nor closed, the newest first (at most 200 in the picker)."""
    from jineng.supervision.api import cases_visible

    return list(cases_visible(user).filter(provider__isnull=False).exclude(status__in=("dismissed", "closed"))
                .order_by("-created_at")[:200])  # fmt: skip


def team_choices(case: Any) -> list[dict[str, Any]]:
    """The pool members (名录库) who may inspect a case's organization: those of its region and above, each with
    ``conflict`` set when 回避 applies (they work, teach or examine for it)."""
    members = list(pool_of(case.region_id).order_by("code"))
    obj = InspectionObject(str(case.provider_id), ObjectKind.PROVIDER, case.provider.name, str(case.provider_id),
                           case.region_id)  # fmt: skip
    conflicted = {uid for uid, _oid in conflicts([m.user for m in members], [obj])}
    seen: set[Any] = set()
    out = []
    for m in members:
        if m.user_id in seen:
            continue
        seen.add(m.user_id)
        out.append({"user": m.user, "code": m.code, "conflict": str(m.user_id) in conflicted})
    return out


def callback_rows(task: InspectionTask) -> list[dict[str, Any]]:
    """电话回访名单 — each trainee of the task's call-back sample with the masked phone and the call's result."""
    from jineng.common.ids import uuid_or_none
    from jineng.training.api import Enrollment

    ids = [pk for c in task.callback_sample if (pk := uuid_or_none(str(c.get("enrollment", ""))))]
    phones = {str(pk): masked for pk, masked in Enrollment.objects.filter(pk__in=ids).values_list(
        "pk", "person__phone_masked")}  # fmt: skip
    return [{**c, "phone_masked": phones.get(c.get("enrollment", ""), "") or "—"} for c in task.callback_sample]
