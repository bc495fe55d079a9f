"""The demo's 双随机抽查 (docs/demo.md): demo-inspector in 天河's pool, one published draw of 天河's providers and
classes in training (at most six — the demo county has five, so all are drawn), each a task of demo-inspector; the
task of demo-provider's school has its checklist, a finding with a photo as evidence and a 整改 deadline, answered by
demo-provider and waiting for the inspector's follow-up. Idempotent: a second run finds the draw and leaves it."""

from __future__ import annotations

import io
from typing import Any

REGION = "440106"
TITLE = "2026年天河区职业技能培训机构和在训班级双随机抽查（演示）"
KINDS = ["provider", "class"]
# The smallest PDF the attachment service accepts as evidence (its magic number and an end marker).
EVIDENCE_PDF = b"%PDF-1.4\n% jineng demo: site photo record\n%%EOF\n"


def seed_demo(stdout: Any) -> int:
    from jineng.accounts.api import User
    from jineng.inspections import services
    from jineng.inspections.models import Draw, PoolMember
    from jineng.inspections.selectors import inspection_objects

    if Draw.objects.filter(title=TITLE).exists():
        return 0
    admin = User.objects.get(username="admin")
    inspector = User.objects.get(username="demo-inspector")
    provider = User.objects.get(username="demo-provider")
    if not PoolMember.objects.filter(user=inspector, region_id=REGION, active=True).exists():
        services.pool_add(actor=admin, user=inspector, region_code=REGION)
    n = len(inspection_objects(REGION, KINDS))
    if n == 0:
        stdout.write("Demo inspections: no provider in 天河, no draw.\n")
        return 0
    draw = services.draw_create(actor=admin, region_code=REGION, title=TITLE, kinds=KINDS, count=min(6, n),
                                per_task=1)  # fmt: skip
    draw = services.draw_run(actor=admin, draw=services.draw_freeze(actor=admin, draw=draw))
    tasks = list(draw.tasks.order_by("number"))
    org_ids = {g.organization_id for g in provider.grants.all() if g.organization_id}
    task = next((t for t in tasks if t.organization_id in org_ids and t.object_kind == "provider"), tasks[0])
    services.task_checklist_save(actor=inspector, task=task, results={"venue": "ok", "teachers": "problem",
                                                                      "records": "ok", "licence": "ok", "fees": "na"},
                                 notes={"teachers": "排课表所列两名教师当日不在岗，由未入库人员代课。"})  # fmt: skip
    finding = services.finding_record(
        actor=inspector, task=task, item="teachers", rectify_workdays=15,
        description="授课教师与备案不一致：排课表所列两名教师当日不在岗，代课人员未录入师资库。",
        files=[("现场检查记录.pdf", "application/pdf", io.BytesIO(EVIDENCE_PDF))],
    )  # fmt: skip
    if task.organization_id in org_ids:
        services.finding_answer(actor=provider, finding=finding,
                                answer="已将两名代课教师录入师资库并补充资格证明，调整排课表，授课前由教务核对到岗。")  # fmt: skip
    closed = next((t for t in tasks if t.pk != task.pk and t.object_kind == "provider"), None)
    if closed is not None:
        services.task_checklist_save(actor=inspector, task=closed, results={"venue": "ok", "teachers": "ok",
                                                                            "records": "ok", "licence": "ok"},
                                     notes={})  # fmt: skip
        services.task_close(actor=inspector, task=closed, conclusion="未发现问题。")
    stdout.write(f"Demo inspections: draw {draw.number} published, {len(tasks)} tasks of demo-inspector.\n")
    return len(tasks)
