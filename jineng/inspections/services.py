"""Every write of inspections: the pool, the draw's three published steps (commit → freeze → run), redraws, tasks
(from a draw or a supervision case), the checklist, findings and their 整改, closing and publishing.

A draw is never redone silently: ``draw_redraw`` supersedes it with its reason (audited) and commits a new one.
The algorithm is ``jineng.rules.draw`` (stdlib only: the same file is ``scripts/verify_draw.py``).
"""

from __future__ import annotations

import hashlib
import math
import secrets
import uuid
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jineng.accounts.api import Actor, actor_user, can, require
from jineng.common.attachments.services import attachment_store
from jineng.common.audit.services import audit_event
from jineng.common.errors import InvalidState, PermissionDenied, invalid
from jineng.common.ids import uuid_or_none
from jineng.common.serials import serial_reserve
from jineng.inspections import checklists, selectors
from jineng.inspections.errors import Code
from jineng.inspections.events import Event, Object
from jineng.inspections.models import (
    Draw,
    DrawStatus,
    Finding,
    FindingStatus,
    InspectionTask,
    ObjectKind,
    PoolMember,
    SerialCounter,
    TaskStatus,
)
from jineng.inspections.settings_specs import CALLBACK_PERCENT, PUBLISH_WORKDAYS
from jineng.refdata.api import add_workdays, setting_value
from jineng.rules import draw as D

MAX_TEXT = 2000
MAX_TEAM = 10
OPEN_FINDINGS = (FindingStatus.RECTIFY, FindingStatus.ANSWERED, FindingStatus.REOPENED)


def _reason(value: str, field: str = "reason", *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise invalid(field=field, code=Code.TEXT_REQUIRED, message=_("请填写内容。"))
    if len(value) > MAX_TEXT:
        raise invalid(field=field, code=Code.TEXT_REQUIRED, message=_("不能超过 %(n)s 字。") % {"n": MAX_TEXT})
    return value


# ---- 执法检查人员名录库 -------------------------------------------------------------------------------------------


def pool_add(*, actor: Actor, user: Any, region_code: str) -> PoolMember:
    """Take an inspector into the region's pool: the user must hold a live inspector grant over the region."""
    require(actor, selectors.MANAGE, region_code=region_code)
    if not selectors.inspector_candidates(region_code).filter(pk=user.pk).exists():
        raise invalid(
            field="user",
            code=Code.NOT_INSPECTOR,
            message=_("%(u)s 没有该地区的监管检查员职能。") % {"u": user.username},
        )
    with transaction.atomic():
        if PoolMember.objects.filter(user=user, region_id=region_code, active=True).exists():
            raise invalid(
                field="user", code=Code.ALREADY_IN_POOL, message=_("%(u)s 已在名录库中。") % {"u": user.username}
            )
        n = PoolMember.objects.filter(region_id=region_code).count() + 1
        member = PoolMember.objects.create(user=user, region_id=region_code, code=f"JC{region_code}{n:04d}",
                                           added_by=actor_user(actor))  # fmt: skip
        audit_event(Event.POOL_ADD, actor=actor, object_id=member.pk, region_code=region_code,
                    after={"user": user.username, "code": member.code})  # fmt: skip
    return member


def pool_remove(*, actor: Actor, member: PoolMember, reason: str) -> PoolMember:
    require(actor, selectors.MANAGE, region_code=member.region_id)
    reason = _reason(reason)[:200]
    with transaction.atomic():
        member = PoolMember.objects.select_for_update().get(pk=member.pk)
        if not member.active:
            raise InvalidState(_("该人员已移出名录库。"), code=Code.BAD_TRANSITION)
        member.active, member.removed_at, member.removed_reason = False, timezone.now(), reason
        member.save(update_fields=["active", "removed_at", "removed_reason", "updated_at"])
        audit_event(Event.POOL_REMOVE, actor=actor, object_id=member.pk, region_code=member.region_id, reason=reason)
    return member


# ---- draws --------------------------------------------------------------------------------------------------------


def draw_create(*, actor: Actor, region_code: str, title: str, kinds: list[str], count: int = 0, percent: int = 0,
                per_task: int = 2, risk_weighting: bool = True, replaces: Draw | None = None,
                redraw_reason: str = "") -> Draw:  # fmt: skip
    """抽查计划 — record the plan and publish the commitment ``sha256(seed)``; the seed stays secret until the run."""
    require(actor, selectors.MANAGE, region_code=region_code)
    title = _reason(title, "title")[:120]
    bad = [k for k in kinds if k not in ObjectKind.values]
    if not kinds or bad:
        raise invalid(
            field="kinds",
            code=Code.BAD_CHOICE,
            message=_("请选择检查对象类别（培训机构、在训班级、评价机构、学徒制企业）。"),
        )
    if count < 0 or count > 500 or percent < 0 or percent > 100 or (count == 0) == (percent == 0):
        raise invalid(
            field="count", code=Code.BAD_COUNT, message=_("请填写抽取数量（1–500）或抽取比例（1–100 %），二选一。")
        )
    if per_task < 1 or per_task > 10:
        raise invalid(field="per_task", code=Code.BAD_COUNT, message=_("每组检查人员须为 1–10 人。"))
    seed = secrets.token_hex(32)
    now = timezone.now()
    with transaction.atomic():
        first = serial_reserve(SerialCounter, series="draw", year=now.year)
        draw = Draw.objects.create(
            number=f"CJ{now.year}{first:05d}", title=title, region_id=region_code, kinds=sorted(set(kinds)),
            count=count, percent=percent, per_task=per_task, risk_weighting=risk_weighting, seed=seed,
            commitment=D.commitment_of(seed), committed_at=now, replaces=replaces, redraw_reason=redraw_reason,
            created_by=actor_user(actor),
        )  # fmt: skip
        audit_event(Event.DRAW_COMMIT, actor=actor, object_id=draw.pk, region_code=region_code,
                    after={"number": draw.number, "commitment": draw.commitment, "kinds": draw.kinds,
                           "replaces": replaces.number if replaces else None}, reason=redraw_reason)  # fmt: skip
    return draw


def _weights(actor: Actor, region: str, objects: list[selectors.InspectionObject], on: bool) -> dict[str, int]:
    """差异化监管: weight ``1 + floor(risk score / 25)`` (1–5) of the object's organization; 1 without weighting."""
    if not on:
        return {o.id: 1 for o in objects}
    from jineng.supervision.api import provider_risks

    score = {str(p.provider_id): p.risk.score for p in provider_risks(actor, region=region)}
    return {o.id: 1 + min(4, math.floor(score.get(o.organization_id, 0.0) / 25)) for o in objects}


def draw_freeze(*, actor: Actor, draw: Draw) -> Draw:
    """冻结名录 — take the object list and the pool as they are now, with conflicts and rotation, and publish their
    hash. Refuses an empty list, or more inspectors per task than the pool holds (named)."""
    with transaction.atomic():
        draw = Draw.objects.select_for_update().get(pk=draw.pk)
        require(actor, selectors.MANAGE, region_code=draw.region_id)
        if draw.status != DrawStatus.COMMITTED:
            raise InvalidState(_("名录已冻结，不能再次冻结。"), code=Code.BAD_TRANSITION)
        objects = selectors.inspection_objects(draw.region_id, draw.kinds)
        members = list(selectors.pool_of(draw.region_id))
        if not objects:
            raise invalid(
                field="kinds", code=Code.EMPTY_OBJECTS, message=_("该地区的检查对象名录为空，不能冻结和抽取。")
            )
        if len(members) < draw.per_task:
            raise invalid(field="per_task", code=Code.TOO_MANY_INSPECTORS,
                          message=_("每组 %(k)s 名检查人员，名录库仅有 %(n)s 人。") % {"k": draw.per_task, "n": len(members)})  # fmt: skip
        code_of = {str(m.user_id): m.code for m in members}
        pairs = selectors.conflicts([m.user for m in members], objects)
        weights = _weights(actor, draw.region_id, objects, draw.risk_weighting)
        lists = {
            "objects": [{"id": o.id, "kind": o.kind, "weight": weights[o.id]} for o in objects],
            "inspectors": sorted(code_of.values()),
            "conflicts": sorted([code_of[u], o] for u, o in pairs if u in code_of),
            "previous": _previous(draw, [o.id for o in objects], code_of),
        }
        draw.lists, draw.lists_sha256 = lists, D.lists_hash(lists)
        draw.labels = {o.id: {"kind": o.kind, "name": o.name, "organization": o.organization_id,
                              "region": o.region_id} for o in objects}  # fmt: skip
        draw.status, draw.frozen_at = DrawStatus.FROZEN, timezone.now()
        draw.save()
        audit_event(Event.DRAW_FREEZE, actor=actor, object_id=draw.pk, region_code=draw.region_id,
                    after={"lists_sha256": draw.lists_sha256, "objects": len(objects),
                           "inspectors": len(members)})  # fmt: skip
    return draw


def _previous(draw: Draw, object_ids: list[str], code_of: dict[str, str]) -> dict[str, list[str]]:
    """轮换 — for each object, the pool codes of the inspectors of its last drawn inspection (none: not listed)."""
    out: dict[str, list[str]] = {}
    tasks = (InspectionTask.objects.filter(object_id__in=object_ids, draw__isnull=False)
             .exclude(status=TaskStatus.CANCELLED).exclude(draw=draw).order_by("object_id", "-created_at")
             .prefetch_related("inspectors"))  # fmt: skip
    for t in tasks:
        if t.object_id in out:
            continue
        codes = sorted(code_of[str(u.pk)] for u in t.inspectors.all() if str(u.pk) in code_of)
        if codes:
            out[t.object_id] = codes
    return out


def draw_count(draw: Draw) -> int:
    """How many objects the draw takes: its count, or its percent of the frozen list rounded up (at least 1)."""
    n = len(draw.lists.get("objects", []))
    return draw.count if draw.count else max(1, math.ceil(n * draw.percent / 100))


def draw_run(*, actor: Actor, draw: Draw) -> Draw:
    """抽取 — reveal the seed, run the algorithm, publish the result and give each drawn object its task."""
    with transaction.atomic():
        draw = Draw.objects.select_for_update().get(pk=draw.pk)
        require(actor, selectors.MANAGE, region_code=draw.region_id)
        if draw.status != DrawStatus.FROZEN:
            raise InvalidState(_("请先冻结名录（并公布其哈希）再抽取。") if draw.status == DrawStatus.COMMITTED
                               else _("该抽查已抽取。"), code=Code.BAD_TRANSITION)  # fmt: skip
        try:
            result = D.run_draw(seed=draw.seed, lists=draw.lists, count=draw_count(draw), per_task=draw.per_task)
        except D.DrawRefused as exc:
            raise invalid(field="draw", code=Code(exc.code), message=_refusal(draw, exc)) from None
        today = timezone.localdate()
        draw.result, draw.status, draw.drawn_at = result, DrawStatus.DRAWN, timezone.now()
        draw.publish_by = add_workdays(today, int(setting_value(PUBLISH_WORKDAYS, draw.region_id, today)),
                                       draw.region_id)  # fmt: skip
        draw.save()
        users = {m.code: m.user for m in PoolMember.objects.filter(code__in=draw.lists["inspectors"])
                 .select_related("user")}  # fmt: skip
        for n, row in enumerate(result, 1):
            label = draw.labels[row["object"]]
            _task_create(actor, draw=draw, number=f"{draw.number}-{n:02d}", kind=label["kind"], object_id=row["object"],
                         name=label["name"], organization_id=label["organization"], region=label["region"],
                         inspectors=[users[c] for c in row["inspectors"]], publish_by=draw.publish_by)  # fmt: skip
        audit_event(Event.DRAW_RUN, actor=actor, object_id=draw.pk, region_code=draw.region_id,
                    after={"seed": draw.seed, "result": result})  # fmt: skip
    return draw


def _refusal(draw: Draw, exc: D.DrawRefused) -> str:
    """The algorithm's refusal (``jineng.rules.draw`` is stdlib only, its messages Chinese) in the user's language."""
    n_objects, n_inspectors = len(draw.lists.get("objects", [])), len(draw.lists.get("inspectors", []))
    messages = {
        "empty_objects": _("检查对象名录为空，不能抽取。"),
        "empty_inspectors": _("执法检查人员名录为空，不能抽取。"),
        "bad_count": _("抽取数量和每组检查人员数须至少为 1。"),
        "too_many_objects": _("抽取数量 %(k)s 超过名录中的检查对象数 %(n)s。") % {"k": draw_count(draw), "n": n_objects},
        "too_many_inspectors": _("每组 %(k)s 名检查人员，超过名录中的 %(n)s 人。") % {"k": draw.per_task,
                                                                                  "n": n_inspectors},
    }  # fmt: skip
    if exc.code in messages:
        return messages[exc.code]
    if exc.code == "too_few_eligible":
        oid = str(exc.details.get("object", ""))
        name = draw.labels.get(oid, {}).get("name") or oid
        return _("回避、轮换后可派的检查人员不足每组 %(k)s 名：检查对象「%(name)s」仅剩 %(n)s 名可派。") % {
            "k": draw.per_task, "name": name, "n": exc.details.get("eligible", 0)}  # fmt: skip
    detail = str(exc)
    for oid, label in draw.labels.items():
        detail = detail.replace(oid, label["name"])
    return detail


def draw_redraw(*, actor: Actor, draw: Draw, reason: str) -> Draw:
    """重抽 — supersede a draw (its unstarted tasks cancelled) with the reason, and commit a new one of the same plan.
    A draw whose tasks have started is not redrawn."""
    reason = _reason(reason)[:500]
    with transaction.atomic():
        draw = Draw.objects.select_for_update().get(pk=draw.pk)
        require(actor, selectors.MANAGE, region_code=draw.region_id)
        if draw.status == DrawStatus.SUPERSEDED:
            raise InvalidState(_("该抽查已被重抽取代。"), code=Code.BAD_TRANSITION)
        if draw.tasks.exclude(status=TaskStatus.ASSIGNED).exists():
            raise InvalidState(_("已有任务开始检查，不能重抽。"), code=Code.BAD_TRANSITION)
        draw.tasks.update(status=TaskStatus.CANCELLED, updated_at=timezone.now())
        draw.status = DrawStatus.SUPERSEDED
        draw.save(update_fields=["status", "updated_at"])
        audit_event(Event.DRAW_SUPERSEDE, actor=actor, object_id=draw.pk, region_code=draw.region_id, reason=reason)
        return draw_create(actor=actor, region_code=draw.region_id, title=draw.title, kinds=draw.kinds,
                           count=draw.count, percent=draw.percent, per_task=draw.per_task,
                           risk_weighting=draw.risk_weighting, replaces=draw, redraw_reason=reason)  # fmt: skip


def draw_published_json(draw: Draw) -> dict[str, Any]:
    """The published record of a draw, as ``verify_draw.py`` reads it (the seed only once drawn)."""
    drawn = draw.status in (DrawStatus.DRAWN, DrawStatus.SUPERSEDED) and draw.drawn_at is not None
    return {
        "format": D.FORMAT, "number": draw.number, "title": draw.title, "region": draw.region_id,
        "status": draw.status, "commitment": draw.commitment, "committed_at": draw.committed_at.isoformat(),
        "plan": {"kinds": draw.kinds, "count": draw_count(draw) if draw.lists else draw.count,
                 "percent": draw.percent, "per_task": draw.per_task, "risk_weighting": draw.risk_weighting},
        "lists_sha256": draw.lists_sha256 or None, "lists": draw.lists or None,
        "frozen_at": draw.frozen_at.isoformat() if draw.frozen_at else None,
        "seed": draw.seed if drawn else None, "result": draw.result if drawn else None,
        "drawn_at": draw.drawn_at.isoformat() if draw.drawn_at else None,
        "objects": {k: {"kind": v["kind"], "name": v["name"]} for k, v in draw.labels.items()} if drawn else None,
        "replaces": draw.replaces.number if draw.replaces_id and draw.replaces else None,
        "redraw_reason": draw.redraw_reason,
    }  # fmt: skip


# ---- tasks --------------------------------------------------------------------------------------------------------


def _callback_sample(task: InspectionTask) -> list[dict[str, str]]:
    """电话回访 — ``supervision.callback_percent`` of the class's trainees in training (at least 1), picked by the
    task's number (reproducible), names masked."""
    from jineng.common.masking import mask_name
    from jineng.training.api import Enrollment

    rows = list(Enrollment.objects.filter(training_class_id=uuid.UUID(task.object_id), status="enrolled")
                .values_list("pk", "person__name"))  # fmt: skip
    if not rows:
        return []
    pct = int(setting_value(CALLBACK_PERCENT, task.region_id, timezone.localdate()))
    n = max(1, math.ceil(len(rows) * pct / 100))
    rows.sort(key=lambda r: hashlib.sha256(f"{task.number}:{r[0]}".encode()).hexdigest())
    return [{"enrollment": str(pk), "label": mask_name(name or "")} for pk, name in rows[:n]]


def _task_create(actor: Actor, *, draw: Draw | None, number: str, kind: str, object_id: str, name: str,
                 organization_id: Any, region: str, inspectors: list[Any], publish_by: Any,
                 case_id: Any = None) -> InspectionTask:  # fmt: skip
    task = InspectionTask.objects.create(number=number, draw=draw, case_id=case_id, region_id=region,
                                         organization_id=organization_id, object_kind=kind, object_id=object_id,
                                         object_name=name[:200], publish_by=publish_by)  # fmt: skip
    task.inspectors.set(inspectors)
    if kind == ObjectKind.CLASS:
        task.callback_sample = _callback_sample(task)
        task.save(update_fields=["callback_sample"])
    audit_event(Event.TASK_CREATE, actor=actor, object_id=task.pk, region_code=region,
                after={"number": number, "object": name[:200], "inspectors": [u.username for u in inspectors]})  # fmt: skip
    return task


def task_from_case(*, actor: Actor, case_id: Any, inspectors: list[Any]) -> InspectionTask:
    """A task from a supervision case (线索): the case's provider inspected by the chosen inspectors."""
    from jineng.supervision.api import cases_visible

    case = cases_visible(actor).filter(pk=case_id).select_related("provider").first()
    if case is None or case.provider is None:
        raise invalid(field="case", code=Code.BAD_CHOICE, message=_("线索不存在，或线索没有涉及的机构。"))
    require(actor, selectors.INSPECT, region_code=case.region_id)
    if not inspectors:
        raise invalid(field="inspectors", code=Code.EMPTY_INSPECTORS, message=_("请至少选择一名检查人员。"))
    if len(inspectors) > MAX_TEAM:
        raise invalid(field="inspectors", code=Code.BAD_COUNT, message=_("每组检查人员须为 1–10 人。"))
    for u in inspectors:
        if not can(u, selectors.INSPECT, region_code=case.region_id):
            raise invalid(
                field="inspectors", code=Code.NOT_INSPECTOR, message=_("%(u)s 不能检查该地区。") % {"u": u.username}
            )
    conflicted = {uid for uid, _oid in selectors.conflicts(inspectors, [selectors.InspectionObject(
        str(case.provider_id), ObjectKind.PROVIDER, case.provider.name, str(case.provider_id), case.region_id)])}  # fmt: skip
    for u in inspectors:
        if str(u.pk) in conflicted:
            raise invalid(field="inspectors", code=Code.CONFLICT,
                          message=_("%(u)s 与被检查机构有利害关系，应当回避。") % {"u": u.display_name or u.username})  # fmt: skip
    today = timezone.localdate()
    with transaction.atomic():
        # A retried request (a double click) never opens a second task: one open task per case.
        open_task = (InspectionTask.objects.select_for_update().filter(case_id=case.pk)
                     .exclude(status__in=(TaskStatus.CLOSED, TaskStatus.CANCELLED)).first())  # fmt: skip
        if open_task is not None:
            raise invalid(field="case", code=Code.TASK_EXISTS,
                          message=_("该线索已有未办结的检查任务 %(n)s。") % {"n": open_task.number})  # fmt: skip
        first = serial_reserve(SerialCounter, series="task", year=today.year)
        return _task_create(actor, draw=None, number=f"JCRW{today.year}{first:05d}", kind=ObjectKind.PROVIDER,
                            object_id=str(case.provider_id), name=case.provider.name,
                            organization_id=case.provider_id, region=case.region_id, inspectors=inspectors,
                            publish_by=add_workdays(today, int(setting_value(PUBLISH_WORKDAYS, case.region_id, today)),
                                                    case.region_id), case_id=case.pk)  # fmt: skip


def _require_inspector(actor: Actor, task: InspectionTask) -> None:
    require(actor, selectors.INSPECT, region_code=task.region_id)
    user = actor_user(actor)
    if user is not None and not user.is_superuser and not task.inspectors.filter(pk=user.pk).exists():
        raise PermissionDenied(_("只有该任务的检查人员可以记录检查情况。"))


def task_checklist_save(*, actor: Actor, task: InspectionTask, results: dict[str, str], notes: dict[str, str],
                        inspected_on: Any = None) -> InspectionTask:  # fmt: skip
    """记录检查清单 — each item's result (符合 / 发现问题 / 不适用) and note; the task becomes 已检查."""
    items = dict(checklists.items_of(task.object_kind))
    unknown = [k for k in results if k not in items]
    if unknown:
        raise invalid(
            field="checklist",
            code=Code.UNKNOWN_ITEM,
            message=_("未知的检查项：%(items)s") % {"items": "、".join(unknown[:5])},
        )
    bad = [k for k, v in results.items() if v not in checklists.RESULTS]
    if bad:
        raise invalid(
            field=f"checklist.{bad[0]}", code=Code.BAD_CHOICE, message=_("检查结果须为 符合、发现问题 或 不适用。")
        )
    with transaction.atomic():
        task = InspectionTask.objects.select_for_update().get(pk=task.pk)
        _require_inspector(actor, task)
        if task.status in (TaskStatus.CLOSED, TaskStatus.CANCELLED):
            raise InvalidState(_("任务已办结或已撤销。"), code=Code.BAD_TRANSITION)
        task.checklist = {k: {"result": v, "note": _reason(notes.get(k, ""), f"note.{k}", required=False)[:500]}
                          for k, v in results.items()}  # fmt: skip
        task.inspected_on = inspected_on or timezone.localdate()
        if task.status == TaskStatus.ASSIGNED:
            task.status = TaskStatus.INSPECTED
        task.save()
        audit_event(Event.TASK_CHECKLIST, actor=actor, object_id=task.pk, region_code=task.region_id,
                    after={"checklist": results})  # fmt: skip
    return task


def finding_record(*, actor: Actor, task: InspectionTask, item: str, description: str,
                   rectify_workdays: int | None = None, files: list[tuple[str, str, IO[bytes]]] | None = None
                   ) -> Finding:  # fmt: skip
    """检查发现 — a problem on one item, with evidence files; with ``rectify_workdays`` a 整改 request whose
    deadline is that many working days from today (the region's calendar)."""
    if item not in dict(checklists.items_of(task.object_kind)):
        raise invalid(field="item", code=Code.UNKNOWN_ITEM, message=_("请选择该任务清单中的检查项。"))
    description = _reason(description, "description")
    if rectify_workdays is not None and not 1 <= rectify_workdays <= 120:
        raise invalid(field="rectify_workdays", code=Code.BAD_COUNT, message=_("整改期限须为 1–120 个工作日。"))
    today = timezone.localdate()
    with transaction.atomic():
        task = InspectionTask.objects.select_for_update().get(pk=task.pk)
        _require_inspector(actor, task)
        if task.status in (TaskStatus.CLOSED, TaskStatus.CANCELLED):
            raise InvalidState(_("任务已办结或已撤销。"), code=Code.BAD_TRANSITION)
        finding = Finding.objects.create(
            task=task, region_id=task.region_id, organization_id=task.organization_id, item=item,
            description=description, recorded_by=actor_user(actor),
            status=FindingStatus.RECTIFY if rectify_workdays else FindingStatus.NOTED,
            rectify_workdays=rectify_workdays,
            rectify_by=add_workdays(today, rectify_workdays, task.region_id) if rectify_workdays else None,
        )  # fmt: skip
        for name, content_type, stream in files or []:
            attachment_store(actor=actor, kind="evidence", filename=name, content_type=content_type, stream=stream,
                             region_code=task.region_id, organization_id=task.organization_id,
                             object_type=Object.FINDING.value, object_id=str(finding.pk))  # fmt: skip
        if rectify_workdays:
            task.status = TaskStatus.RECTIFYING
        elif task.status == TaskStatus.ASSIGNED:
            task.status = TaskStatus.INSPECTED
        task.inspected_on = task.inspected_on or today
        task.save(update_fields=["status", "inspected_on", "updated_at"])
        audit_event(Event.FINDING_RECORD, actor=actor, object_id=finding.pk, region_code=task.region_id,
                    after={"task": task.number, "item": item, "rectify_by": str(finding.rectify_by or "")})  # fmt: skip
    return finding


def finding_answer(*, actor: Actor, finding: Finding, answer: str,
                   files: list[tuple[str, str, IO[bytes]]] | None = None) -> Finding:  # fmt: skip
    """整改回复 — the inspected organization answers a rectification request (its staff, ``org.edit``)."""
    answer = _reason(answer, "answer")
    with transaction.atomic():
        finding = Finding.objects.select_for_update().get(pk=finding.pk)
        require(actor, "org.edit", organization_id=finding.organization_id)
        if finding.status not in (FindingStatus.RECTIFY, FindingStatus.REOPENED):
            raise InvalidState(_("该问题不需要或已回复整改情况。"), code=Code.BAD_TRANSITION)
        for name, content_type, stream in files or []:
            attachment_store(actor=actor, kind="evidence", filename=name, content_type=content_type, stream=stream,
                             region_code=finding.region_id, organization_id=finding.organization_id,
                             object_type=Object.FINDING.value, object_id=str(finding.pk))  # fmt: skip
        finding.answer, finding.answered_at, finding.answered_by = answer, timezone.now(), actor_user(actor)
        finding.status = FindingStatus.ANSWERED
        finding.save()
        audit_event(Event.FINDING_ANSWER, actor=actor, object_id=finding.pk, region_code=finding.region_id,
                    after={"late": bool(finding.rectify_by and timezone.localdate() > finding.rectify_by)})  # fmt: skip
    return finding


def finding_follow_up(*, actor: Actor, finding: Finding, accept: bool, note: str) -> Finding:
    """复查 — the inspector accepts the answered rectification, or reopens it with a note (the deadline stays)."""
    note = _reason(note, "note", required=not accept)
    with transaction.atomic():
        finding = Finding.objects.select_for_update().select_related("task").get(pk=finding.pk)
        _require_inspector(actor, finding.task)
        if finding.status != FindingStatus.ANSWERED:
            raise InvalidState(_("只有已回复的整改可以复查。"), code=Code.BAD_TRANSITION)
        finding.status = FindingStatus.ACCEPTED if accept else FindingStatus.REOPENED
        finding.follow_up, finding.followed_up_at = note, timezone.now()
        finding.save()
        audit_event(Event.FINDING_FOLLOW_UP, actor=actor, object_id=finding.pk, region_code=finding.region_id,
                    after={"status": finding.status}, reason=note)  # fmt: skip
    return finding


def task_close(*, actor: Actor, task: InspectionTask, conclusion: str) -> InspectionTask:
    """办结 — with a conclusion, once every rectification is accepted; the result is published (一公开) at once."""
    conclusion = _reason(conclusion, "conclusion")
    with transaction.atomic():
        task = InspectionTask.objects.select_for_update().get(pk=task.pk)
        _require_inspector(actor, task)
        if task.status in (TaskStatus.ASSIGNED, TaskStatus.CLOSED, TaskStatus.CANCELLED):
            raise InvalidState(_("请先记录检查情况；已办结或已撤销的任务不能再办结。"), code=Code.BAD_TRANSITION)
        if task.findings.filter(status__in=OPEN_FINDINGS).exists():
            raise InvalidState(_("还有未通过复查的整改，不能办结。"), code=Code.BAD_TRANSITION)
        now = timezone.now()
        task.status, task.conclusion, task.closed_at, task.published_at = TaskStatus.CLOSED, conclusion, now, now
        task.save()
        audit_event(Event.TASK_CLOSE, actor=actor, object_id=task.pk, region_code=task.region_id,
                    after={"conclusion": conclusion[:200]})  # fmt: skip
    return task


def task_publish(*, actor: Actor, task: InspectionTask) -> InspectionTask:
    """一公开 before closing — publish the findings as recorded so far (within the publish deadline)."""
    with transaction.atomic():
        task = InspectionTask.objects.select_for_update().get(pk=task.pk)
        _require_inspector(actor, task)
        if task.status in (TaskStatus.ASSIGNED, TaskStatus.CANCELLED) or task.published_at:
            raise InvalidState(_("尚未检查或已公示。"), code=Code.BAD_TRANSITION)
        task.published_at = timezone.now()
        task.save(update_fields=["published_at", "updated_at"])
        audit_event(Event.TASK_PUBLISH, actor=actor, object_id=task.pk, region_code=task.region_id)
    return task


# ---- 一公开: the publish deadline ---------------------------------------------------------------------------------


def publish_due(*, actor: Actor = "system", on: Any = None) -> dict[str, int]:
    """公示期限已到 — publish the result, as recorded so far, of every inspected task whose publish deadline
    (``publish_by``, ``inspections.publish_workdays`` after the draw or the task) has passed. Idempotent: a task
    published is never published again; a task not yet inspected has nothing to publish and is counted as overdue
    (it stays on the inspector's workbench). Run daily (``jineng inspections publish-due`` or the job kind
    ``inspections.publish_due``)."""
    today = on or timezone.localdate()
    due = InspectionTask.objects.filter(publish_by__lt=today, published_at__isnull=True)
    published = 0
    for pk in due.filter(status__in=(TaskStatus.INSPECTED, TaskStatus.RECTIFYING)).values_list("pk", flat=True):
        with transaction.atomic():
            task = InspectionTask.objects.select_for_update().get(pk=pk)
            if task.published_at is not None:  # published meanwhile (by its inspector, or a parallel run)
                continue
            task.published_at = timezone.now()
            task.save(update_fields=["published_at", "updated_at"])
            audit_event(Event.TASK_PUBLISH, actor=actor, object_id=task.pk, region_code=task.region_id,
                        after={"publish_by": str(task.publish_by), "due": True},
                        reason="公示期限已到，自动公示")  # fmt: skip
            published += 1
    return {"published": published, "overdue_not_inspected": due.filter(status=TaskStatus.ASSIGNED).count()}


# ---- 电话回访: the call-back list --------------------------------------------------------------------------------

CALLBACK_RESULTS = {
    "confirmed": gettext_lazy("已接通，情况属实"),
    "disputed": gettext_lazy("已接通，所述与记录不符"),
    "unreachable": gettext_lazy("未接通"),
    "refused": gettext_lazy("拒绝回访"),
}


def _callback_entry(task: InspectionTask, enrollment: str) -> dict[str, Any]:
    entry: dict[str, Any] | None = next((c for c in task.callback_sample if c.get("enrollment") == enrollment), None)
    if entry is None or uuid_or_none(entry.get("enrollment")) is None:
        raise invalid(field="enrollment", code=Code.BAD_CHOICE, message=_("该学员不在本任务的电话回访名单中。"))
    return entry


def callback_reveal(*, actor: Actor, task: InspectionTask, enrollment: str, reason: str) -> str:
    """查看回访电话 — the full phone number of one trainee on the task's call-back list, for a stated reason: only
    the task's own inspectors (``supervision.inspect`` over its region), never the inspected provider; audited with
    the masked number, as the registry's reveals. Not once the task is closed or cancelled."""
    reason = " ".join((reason or "").split())
    if len(reason) < 2 or len(reason) > 200:
        raise invalid(field="reason", code=Code.REASON_REQUIRED, message=_("查看完整电话须填写原因（2–200 字）。"))
    try:
        _require_inspector(actor, task)
    except PermissionDenied:
        raise PermissionDenied(_("只有该任务的检查人员可以查看回访电话。"), code=Code.REVEAL_NOT_PERMITTED) from None
    if task.status in (TaskStatus.CLOSED, TaskStatus.CANCELLED):  # the call-backs are over: no more phone numbers
        raise InvalidState(_("任务已办结或已撤销，不能再查看回访电话。"), code=Code.BAD_TRANSITION)
    entry = _callback_entry(task, enrollment)
    from jineng.registry.api import phone_reveal
    from jineng.training.api import Enrollment

    row = (Enrollment.objects.filter(pk=entry["enrollment"], training_class_id=uuid_or_none(task.object_id))
           .values_list("person_id", "person__phone_masked").first())  # fmt: skip
    person_id, masked = row if row else (None, "")
    with transaction.atomic():  # the person's reveal (registry) and the task's, both or neither
        value = (
            phone_reveal(person_id, reason=reason, actor=actor, purpose=f"inspections.task:{task.pk}") if row else ""
        )
        audit_event(Event.CALLBACK_REVEAL, actor=actor, object_id=task.pk, region_code=task.region_id,
                    after={"enrollment": enrollment, "field": "phone", "value": masked}, reason=reason)  # fmt: skip
    return value


def callback_record(
    *, actor: Actor, task: InspectionTask, enrollment: str, result: str, note: str = ""
) -> dict[str, Any]:
    """记录回访结果 — what the call of one trainee gave (接通属实 / 不符 / 未接通 / 拒绝) and a note; a later call
    replaces it (each one audited)."""
    if result not in CALLBACK_RESULTS:
        raise invalid(field="result", code=Code.BAD_CHOICE, message=_("请选择回访结果。"))
    note = _reason(note, "note", required=result == "disputed")[:500]
    with transaction.atomic():
        task = InspectionTask.objects.select_for_update().get(pk=task.pk)
        _require_inspector(actor, task)
        if task.status in (TaskStatus.CLOSED, TaskStatus.CANCELLED):
            raise InvalidState(_("任务已办结或已撤销。"), code=Code.BAD_TRANSITION)
        entry = _callback_entry(task, enrollment)
        user = actor_user(actor)
        entry.update({"result": result, "note": note, "called_on": timezone.localdate().isoformat(),
                      "called_by": user.username if user else str(actor)})  # fmt: skip
        task.save(update_fields=["callback_sample", "updated_at"])
        audit_event(Event.CALLBACK_RECORD, actor=actor, object_id=task.pk, region_code=task.region_id,
                    after={"enrollment": enrollment, "result": result})  # fmt: skip
    return entry
