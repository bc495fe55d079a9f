"""The demo's 双随机抽查 (docs/demo.md): a province pool (执法检查人员名录库) of four inspectors — demo-inspector and
three colleagues of the 省厅 who sign in nowhere in the demo —, a published draw of 2 of its classes in training
(电话回访专项, drawn first: four seats for four inspectors, so each is on a team whatever the seed), then one of 3 of
the province's inspection objects (providers, classes in training, evaluation organizations, enterprises with
apprentices: about ten), teams of two;
a task from a supervision case (线索) about demo-provider's school, with its checklist, a finding with a PDF
record and a 整改 deadline, answered by demo-provider and waiting for the inspector's follow-up; a drawn provider's
task closed and published; a drawn class's call-back list with one call recorded. Idempotent: a second run finds
the draw and leaves it."""

from __future__ import annotations

import io
from typing import Any

REGION = "440000"
TITLE = "2026年第四季度广东省职业技能培训双随机抽查（演示）"
CLASS_TITLE = "2026年第四季度广东省在训班级电话回访专项抽查（演示）"
KINDS = ["provider", "class", "evaluator", "enterprise"]
COUNT = 3
PER_TASK = 2  # 两名以上执法人员
# The pool's other inspectors (pool-only accounts: no password, no second factor; they sign in nowhere).
COLLEAGUES = [
    ("insp-gd-chen", "省厅监管检查员 陈立新"),
    ("insp-gd-huang", "省厅监管检查员 黄嘉怡"),
    ("insp-gd-zhou", "省厅监管检查员 周振华"),
]
# The smallest PDF the attachment service accepts as evidence (its magic number and an end marker).
EVIDENCE_PDF = b"%PDF-1.4\n% jineng demo: site photo record\n%%EOF\n"


def _colleague(username: str, display: str) -> Any:
    import datetime as dt

    from django.utils import timezone

    from jineng.accounts.api import Function, Grant, User, grant_create, user_create

    user = User.objects.filter(username=username).first() or user_create(
        actor="seed", username=username, password=None, display_name=display
    )
    if not Grant.objects.filter(user=user, function=Function.INSPECTOR, revoked_at__isnull=True).exists():
        grant_create(actor="seed", user=user, function=Function.INSPECTOR, region_code=REGION,
                     valid_until=timezone.now() + dt.timedelta(days=730))  # fmt: skip
    return user


def seed_demo(stdout: Any) -> int:
    from jineng.accounts.api import User
    from jineng.inspections import services
    from jineng.inspections.models import Draw, PoolMember
    from jineng.inspections.selectors import inspection_objects
    from jineng.supervision.api import cases_visible

    if Draw.objects.filter(title__in=[TITLE, CLASS_TITLE]).exists():
        return 0
    admin = User.objects.get(username="admin")
    inspector = User.objects.get(username="demo-inspector")
    provider = User.objects.get(username="demo-provider")
    pool = [inspector] + [_colleague(u, d) for u, d in COLLEAGUES]
    for user in pool:
        if not PoolMember.objects.filter(user=user, region_id=REGION, active=True).exists():
            services.pool_add(actor=admin, user=user, region_code=REGION)
    n = len(inspection_objects(REGION, KINDS))
    if n <= COUNT:
        stdout.write(f"Demo inspections: only {n} inspection objects in the province, no draw.\n")
        return 0
    # The class draw first: 2 classes × 2 seats for the pool's 4 inspectors, no task yet to rotate away from, none of
    # them working for a class's provider — the algorithm's load balance puts each inspector on exactly one team
    # whatever the seed, so demo-inspector always has call-backs to make (test_draw_rules: as many seats as inspectors).
    tasks = []
    if len(inspection_objects(REGION, ["class"])) >= 2:
        classes = services.draw_create(actor=admin, region_code=REGION, title=CLASS_TITLE, kinds=["class"], count=2,
                                       per_task=PER_TASK, risk_weighting=False)  # fmt: skip
        classes = services.draw_run(actor=admin, draw=services.draw_freeze(actor=admin, draw=classes))
        tasks += list(classes.tasks.order_by("number"))
    draw = services.draw_create(actor=admin, region_code=REGION, title=TITLE, kinds=KINDS, count=COUNT,
                                per_task=PER_TASK)  # fmt: skip
    draw = services.draw_run(actor=admin, draw=services.draw_freeze(actor=admin, draw=draw))
    tasks += list(draw.tasks.order_by("number"))
    mine = [t for t in tasks if t.inspectors.filter(pk=inspector.pk).exists()]

    # A task from a case: demo-provider's school, under a confirmed 线索 — the finding journey.
    org_ids = {g.organization_id for g in provider.grants.all() if g.organization_id}
    case = (cases_visible(admin).filter(provider_id__in=org_ids, status="confirmed").order_by("number").first()
            or cases_visible(admin).filter(provider_id__in=org_ids).order_by("number").first())  # fmt: skip
    if case is not None:
        partner = next(u for u in pool[1:] if u.pk != inspector.pk)
        task = services.task_from_case(actor=admin, case_id=case.pk, inspectors=[inspector, partner])
        services.task_checklist_save(actor=inspector, task=task, results={"venue": "ok", "teachers": "problem",
                                                                          "records": "ok", "licence": "ok", "fees": "na"},
                                     notes={"teachers": "排课表所列两名教师当日不在岗，由未入库人员代课。"})  # fmt: skip
        finding = services.finding_record(
            actor=inspector, task=task, item="teachers", rectify_workdays=15,
            description="授课教师与备案不一致：排课表所列两名教师当日不在岗，代课人员未录入师资库。",
            files=[("现场检查记录.pdf", "application/pdf", io.BytesIO(EVIDENCE_PDF))],
        )  # fmt: skip
        services.finding_answer(actor=provider, finding=finding,
                                answer="已将两名代课教师录入师资库并补充资格证明，调整排课表，授课前由教务核对到岗。")  # fmt: skip

    # A drawn organization inspected without a problem: closed and published.
    closed = next((t for t in mine if t.object_kind != "class"), None)
    if closed is not None:
        from jineng.inspections import checklists

        services.task_checklist_save(actor=inspector, task=closed,
                                     results={c: "ok" for c, _label in checklists.items_of(closed.object_kind)},
                                     notes={})  # fmt: skip
        services.task_close(actor=inspector, task=closed, conclusion="未发现问题。")
    # A drawn class: its first call back made (the rest are the demo's to call).
    klass = next((t for t in mine if t.object_kind == "class" and t.callback_sample), None)
    if klass is not None:
        services.callback_record(actor=inspector, task=klass, enrollment=klass.callback_sample[0]["enrollment"],
                                 result="confirmed", note="学员确认每周二、四晚上课，已上课 6 次。")  # fmt: skip
    stdout.write(f"Demo inspections: draw {draw.number} published ({COUNT} of {n} objects, a pool of {len(pool)}) and a "
                 f"class draw, "
                 f"{len(mine)} drawn task(s) of demo-inspector, a task from case "
                 f"{case.number if case else '—'}.\n")  # fmt: skip
    return len(tasks)
