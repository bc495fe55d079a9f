"""The demo's supervision data: believable fraud planted through the owning apps' services, then a full scan, so the
inspector (demo-inspector) and the officials find cases waiting (docs/demo.md).

- an agent (中介) registered six trainees in 天河 with their own phone (shared_phone);
- a trainee of a demo class whose registry record says retired since before the class, with a claim behind it
  (ghost_trainee — confirming it puts that claim on hold);
- the far check-ins are moved by the seed command itself (it writes attendance the way fixtures do);
- a second ghost trainee whose training subsidy was already paid: the inspector confirmed it, ordered its recovery
  (追回单), demo-finance approved it and recorded part of the money back, demo-province confirmed it (ADR 0027);
- that class's provider under 整改 (30 days, a recorded decision), and a provider closed down after fraud (it trained
  nobody in the demo) on the 黑名单 (the public /public/blacklist/ page).
Idempotent: the persons are found by their numbers, the scan finds the same cases again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jineng.rules.idcard import check_character

AGENT_PHONE = "13926000000"
AGENT_PERSONS = ["陈晓燕", "黄志强", "林美玲", "吴俊辉", "郑丽华", "何建新"]


def _number(seq: int) -> str:
    body = f"440106{dt.date(1979, 3, 1) + dt.timedelta(days=seq * 211):%Y%m%d}{700 + seq:03d}"
    return body + check_character(body)


def seed_demo(stdout: Any) -> int:
    from jineng.registry.api import employment_add, person_create, person_resolve
    from jineng.subsidies.api import LIVE_STATUSES, Claim
    from jineng.supervision.models import Scan
    from jineng.supervision.services import scan_run

    for seq, name in enumerate(AGENT_PERSONS):
        if person_resolve(_number(seq)) is None:
            person_create(actor="seed", name=name, id_number=_number(seq), phone=AGENT_PHONE,
                          residence_region="440106", source="manual", check_permission=False)  # fmt: skip
    claim = (Claim.objects.filter(status__in=LIVE_STATUSES, enrollment__isnull=False)
             .select_related("enrollment").order_by("number").first())  # fmt: skip
    paid = (Claim.objects.filter(status__in=["paid", "clawed_back"], enrollment__isnull=False)
            .exclude(pk=getattr(claim, "pk", None))
            .select_related("enrollment").order_by("number").first())  # fmt: skip
    for c in (claim, paid):
        if c is None:
            continue
        from jineng.registry.api import EmploymentRecord, Person

        person = Person.objects.get(pk=c.person_id)
        if not EmploymentRecord.objects.filter(person=person, status="retired").exists():
            employment_add(actor="seed", person=person, status="retired", source="社保退休待遇领取记录（演示）",
                           started_on=c.enrollment.enrolled_on - dt.timedelta(days=400))  # fmt: skip
    scan = Scan.objects.create(region_id="440000", rules=[], progress_total=0)
    from jineng.rules.supervision import RULES

    scan.rules, scan.progress_total = list(RULES), len(RULES)
    scan.save(update_fields=["rules", "progress_total"])
    scan = scan_run(scan)
    found = sum(int(v["hits"]) for v in scan.found.values())
    per_rule = ", ".join(f"{rule} {counts['hits']}" for rule, counts in scan.found.items() if counts["hits"])
    stdout.write(f"Demo supervision scan: {found} cases ({per_rule}).\n")
    if paid is not None:
        _seed_clawback_and_sanctions(paid, stdout)
    _seed_blacklisted_provider(stdout)  # whatever the scan found: the public 黑名单 is never empty in the demo
    return found


def _seed_clawback_and_sanctions(paid: Any, stdout: Any) -> None:
    """The confirmed ghost case of a paid claim: its recovery order, approved, 40 % back; its provider under 整改."""
    from django.utils import timezone

    from jineng.accounts.api import User
    from jineng.subsidies.api import (
        RecoveryOrder,
        recovery_order_decide,
        recovery_receipt_confirm,
        recovery_receipt_record,
    )
    from jineng.supervision.models import Case, Sanction
    from jineng.supervision.services import case_recover, case_transition, sanction_decide

    inspector, finance, province = (User.objects.get(username=u) for u in
                                    ("demo-inspector", "demo-finance", "demo-province"))  # fmt: skip
    case = next((c for c in Case.objects.filter(rule="ghost_trainee")
                 if any(e.get("id") == str(paid.enrollment_id) for e in c.evidence)), None)  # fmt: skip
    if case is None:
        return
    if not RecoveryOrder.objects.filter(claim=paid).exists():
        if case.status == "new":
            case = case_transition(actor=inspector, case=case, to="investigating")
        if case.status == "investigating":
            case = case_transition(actor=inspector, case=case, to="confirmed",
                                   reason="社保记录显示该学员开班前已领取退休待遇，培训补贴已拨付，予以追回。")  # fmt: skip
        orders = case_recover(actor=inspector, case=case, reason="退休人员冒充失业人员参加补贴性培训",
                              due_date=timezone.localdate() + dt.timedelta(days=30))  # fmt: skip
        for order in orders:
            order = recovery_order_decide(actor=finance, order=order, approve=True, reason="核对支付明细无误")
            part = max(1, order.amount_fen * 2 // 5)
            receipt = recovery_receipt_record(actor=finance, order=order, amount_fen=part, memo="机构首笔退回款（演示）",
                                              key=f"DEMO-{order.number}-1")  # fmt: skip
            recovery_receipt_confirm(actor=province, receipt=receipt)
    if case.provider_id and not Sanction.objects.filter(organization_id=case.provider_id).exists():
        sanction_decide(actor=inspector, organization=case.provider, kind="rectify", days=30, case=case,
                        reason="学员身份核验不严，招收退休人员参加补贴性培训：限期 30 日整改学员信息核验流程。",
                        document_number="粤人社监〔2026〕12号")  # fmt: skip
    stdout.write(f"Demo clawback: the recovery order of {case.number}, 40 % returned; its provider under 整改.\n")


def _seed_blacklisted_provider(stdout: Any) -> None:
    """A listed provider on the 黑名单 (3 years) after fraud: the public catalog marks its listing, /public/blacklist/
    lists it. It trained nobody in the demo, so blacklisting it blocks no demo journey; seeded apart from the clawback case, which a fresh demo may not find."""
    from jineng.accounts.api import Organization, User, organization_create
    from jineng.common.codes import credit_code_check_char
    from jineng.supervision.models import Sanction
    from jineng.supervision.services import sanction_approve, sanction_decide

    province, second = (User.objects.get(username=u) for u in ("demo-province", "demo-reviewer"))
    # providers' demo lists it in the catalog (DEMO_ORGS «sanctioned», the same credit code): its public catalog row
    # then shows the 黑名单 badge; made here when that demo did not run
    first17 = "524401056180000" + "37"
    code = first17 + credit_code_check_char(first17)
    org = Organization.objects.filter(credit_code=code).first() or organization_create(
        actor="seed", kind="provider", name="广州市海珠区速成职业技能培训中心", credit_code=code, region_code="440105"
    )
    if not Sanction.objects.filter(organization=org).exists():
        s = sanction_decide(actor=province, organization=org, kind="blacklist", years=3,
                            reason="伪造培训签到记录、虚报学员 46 人骗取职业培训补贴，已追回并移送公安机关。",
                            document_number="粤人社罚〔2026〕3号")  # fmt: skip
        sanction_approve(actor=second, sanction=s)  # the second person: in force and public from now
    # a 吊销许可 recorded by demo-province that waits for demo-reviewer (待复核: not in force, not public)
    first17 = "524401116180000" + "41"
    code = first17 + credit_code_check_char(first17)
    pending = Organization.objects.filter(credit_code=code).first() or organization_create(
        actor="seed", kind="provider", name="广州市白云区金牌职业培训学校", credit_code=code, region_code="440111"
    )
    if not Sanction.objects.filter(organization=pending).exists():
        sanction_decide(actor=province, organization=pending, kind="revoke", reason="以欺骗手段取得办学许可证，经查证属实。",
                        document_number="粤人社罚〔2026〕15号")  # fmt: skip
    stdout.write(f"Demo 黑名单: {org.name}; 吊销许可 待复核: {pending.name}.\n")
