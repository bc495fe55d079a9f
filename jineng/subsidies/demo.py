"""Demo data of the subsidies app, loaded by ``jineng seed`` (idempotent):

- the demo policy versions with their citations (``demo_policies.py``), published;
- allocations into the demo province's fund accounts;
- 以工代训 claims of the demo enterprise (广州智造科技, 越秀 440104) and 职业培训补贴 claims of the demo provider for
  its completed enrollments of the last months, each brought to a stage of the review (``STAGES``): 待受理, 已受理,
  初审通过, 公示中, 审批通过 (awaiting payment), 已拨付 (a settled payment batch) and 不予通过. Every step is done by
  a different person (four eyes, ``subsidy.four_eyes.*``): 受理 the county (demo-county / demo-county2), 初审
  demo-city, 复审 demo-reviewer, 审批 when the 公示 ends (the system), the payment batch demo-province (who reviewed
  none of them), the bank's return confirmed by demo-finance (who did not make the batch);
- 企业新型学徒制培训补贴 claims of the demo enterprise for its apprentices' first plan year, approved;
- a voucher issue of 广州 for unemployed persons; the demo worker takes up theirs and uses it at the demo provider,
  demo-province redeems it (核销) and the 职业培训补贴 claim it makes is approved — so the dashboard's 补贴性培训 figure
  counts 以工代训, 学徒制 and voucher training as well as the provider's training claims.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from jineng.accounts.api import Organization, User
from jineng.common.audit.services import audit_event
from jineng.common.errors import DomainError
from jineng.registry.api import Person, employment_add, person_create, person_resolve
from jineng.rules.idcard import check_character
from jineng.subsidies.catalog import LIVE_STATUSES, ClaimStatus, EventKind
from jineng.subsidies.demo_policies import DEMO_POLICIES
from jineng.subsidies.demo_timeline import second_review_day, spread, spread_payment, workdays_back
from jineng.subsidies.events import Event
from jineng.subsidies.models import Claim, LedgerKind, LedgerTransaction, PolicyVersion, VoucherIssue
from jineng.subsidies.services import claims as claim_services
from jineng.subsidies.services import review
from jineng.subsidies.services.ledger import fund_account_for, post
from jineng.subsidies.services.policies import policy_draft_create, policy_publish
from jineng.subsidies.services.support import today
from jineng.subsidies.services.vouchers import IssueData, voucher_issue_create, vouchers_issue_to_group


@dataclass(frozen=True)
class _Membership:
    """The shape registry's person_create takes for a group membership (its MembershipInput is not in its api)."""

    group: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    graduation_year: int | None = None
    source: str = "演示数据"
    evidence: str = ""


# (name, body of the ID number without its check character, group, months employed before today)
DEMO_HIRES = [
    ("王晓红", "44010419980312204", "college_graduate", 8),
    ("陈志强", "44010419850707301", "unemployed", 7),
    ("赵丽娜", "44010419900215402", "employment_difficulty", 9),
    ("刘振邦", "44010419870920503", "unemployed", 7),
    ("孙伟", "44010419920614705", "employment_difficulty", 8),
    ("周雅琴", "44010419970830806", "college_graduate", 7),
    ("吴海涛", "44010419881111907", "unemployed", 9),
    ("黄小梅", "44010419960101604", "college_graduate", 8),
]
# Hired like the above but with no claim yet: the enterprise's 以工代训补贴待申领 to-dos (the claim form offers them).
HIRES_TO_CLAIM = [
    ("林晓东", "44010419990518201", "college_graduate", 6),
    ("郭美华", "44010419860923302", "employment_difficulty", 6),
]
# The stage each demo claim is brought to, in the order the claims are made (a claim per hire / per enrollment).
WORK_STAGES = ["paid", "paid", "approved", "approved", "publicity", "first_passed", "accepted", "submitted"]
TRAINING_STAGES = ["paid", "accepted", "rejected", "paid", "approved", "publicity", "first_passed", "submitted"]
ENTERPRISE_ACCOUNT = ("中国工商银行广州越秀支行", "6222020200012345678")
PROVIDER_ACCOUNT = ("中国建设银行广州天河支行", "6217003320001234567")
# Not an account demo-provider was ever paid on: its grant's payee check reads 不一致 and blocks the approval.
MISMATCHED_ACCOUNT = ("中国工商银行广州黄埔支行", "6222023602009876543")


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def load_policies() -> int:
    made = 0
    for p in DEMO_POLICIES:
        if PolicyVersion.objects.filter(
            region_id=p.region, subsidy_type=p.subsidy_type, valid_from=p.valid_from
        ).exists():
            continue
        version = policy_draft_create(
            actor="seed", region_code=p.region, subsidy_type=p.subsidy_type, title=p.title, valid_from=p.valid_from,
            valid_to=p.valid_to, rules=p.rules, citation=p.citation, source_url=p.source_url, note=p.note,
            check_permission=False,
        )  # fmt: skip
        policy_publish(actor="seed", version=version, check_permission=False)
        made += 1
    return made


def _allocate(fund_source: str, region: str, amount_fen: int, memo: str) -> None:
    if LedgerTransaction.objects.filter(kind=LedgerKind.ALLOCATION, memo=memo).exists():
        return
    with transaction.atomic():
        account = fund_account_for(fund_source, region)
        txn = post(kind=LedgerKind.ALLOCATION, account=account, amount_fen=amount_fen, memo=memo, actor="seed")
        audit_event(Event.LEDGER_ALLOCATION, actor="seed", object_id=txn.pk, region_code=account.region_id,
                    after={"amount_fen": amount_fen, "memo": memo})  # fmt: skip


def _person(name: str, body: str, group: str, months: int, enterprise: Organization) -> tuple[Person, Any]:
    number = body + check_character(body)
    person = person_resolve(number)
    start = (today().replace(day=1) - dt.timedelta(days=months * 31)).replace(day=1)
    if person is None:
        person = person_create(
            actor="seed", name=name, id_number=number, residence_region="440104", source="manual",
            groups=[_Membership(group=group, valid_from=start - dt.timedelta(days=90),
                                graduation_year=today().year - 1 if group == "college_graduate" else None)],  # type: ignore[list-item]
            check_permission=False,
        )  # fmt: skip
    from jineng.registry.api import EmploymentRecord

    record = EmploymentRecord.objects.filter(person=person, employer_credit_code=enterprise.credit_code).first()
    if record is None:
        # Declared as the 新招用职工 page declares a hire: a labour contract's term and the first day insured.
        record = employment_add(actor="seed", person=person, status="employed", started_on=start,
                                employer_name=enterprise.name, employer_credit_code=enterprise.credit_code,
                                source="企业登记", contract_months=(36, 24, 0)[months % 3],
                                insured_from=start)  # fmt: skip
    return person, record


# The 天河 claim waiting for 初审 was accepted at the city's window, so that demo-county has an 初审 to do; the 越秀
# one was accepted by its county as usual, so that demo-city has one too (issue 15: demo-city had none).
CITY_WINDOW_REGION = "440106"


def _officials(region: str) -> dict[str, Any]:
    county = "demo-county2" if region.startswith("440104") else "demo-county"
    names = {"accept": county, "first": "demo-city", "second": "demo-reviewer"}
    return {step: _user(name) for step, name in names.items()}


def _advance(claim: Claim, stage: str) -> Claim:
    """Take a submitted claim to ``stage`` ("paid" stops at approved: the payment batch pays it), each step by its
    own official, then date its steps on the working days they would have been done (demo_timeline)."""
    claim = _advance_steps(claim, stage)
    spread(claim, stage)
    claim.refresh_from_db()
    return claim


def _advance_steps(claim: Claim, stage: str) -> Claim:
    if stage == "submitted":
        return claim
    who = _officials(claim.region_id)
    if not all(who.values()):
        return claim
    if stage == "accepted" and claim.region_id == CITY_WINDOW_REGION:
        # Accepted at the city's window (市局受理), so the county official has an 初审 to do (four eyes: the one who
        # accepted a claim may not review it next).
        return review.claim_accept(actor=who["first"], claim=claim, reason="材料齐全，予以受理")
    claim = review.claim_accept(actor=who["accept"], claim=claim, reason="材料齐全，予以受理")
    if stage == "accepted":
        return claim
    if stage == "rejected":
        return review.claim_reject(
            actor=who["first"], claim=claim, reason="培训期间同一人员已享受同类补贴，不予重复补贴"
        )
    claim = review.claim_first_review(actor=who["first"], claim=claim, reason="材料齐全，符合条件")
    if stage == "first_passed":
        return claim
    started = second_review_day(claim.event_date, stage, today())
    claim = review.claim_second_review(actor=who["second"], claim=claim, reason="同意公示", on=started)
    if stage == "publicity":
        return claim
    return review.claim_publicity_close(actor="system", claim=claim)  # the end of 公示 (publicity_close_due)


def _work_claims(stdout: Any) -> tuple[int, list[Any]]:
    enterprise = Organization.objects.filter(kind="enterprise", name="广州智造科技有限公司").first()
    hr = _user("demo-enterprise")
    if enterprise is None or hr is None:
        return 0, []
    made, to_pay = 0, []
    for n, (name, body, group, months) in enumerate(DEMO_HIRES):
        person, record = _person(name, body, group, months, enterprise)
        if Claim.objects.filter(event_key=f"employment:{record.pk}", status__in=LIVE_STATUSES).exists():
            continue
        data = claim_services.ClaimInput(
            subsidy_type="work_for_training", event_ref=str(record.pk), applicant_kind="enterprise",
            applicant_org_id=enterprise.pk, months=6, payee_bank=ENTERPRISE_ACCOUNT[0],
            payee_account=ENTERPRISE_ACCOUNT[1], note="演示数据",
        )  # fmt: skip
        try:
            stage = WORK_STAGES[n % len(WORK_STAGES)]
            claim = _advance(claim_services.claim_submit(actor=hr, data=data), stage)
            if stage == "paid":
                to_pay.append(claim.pk)
            made += 1
        except DomainError as exc:
            stdout.write(f"  subsidies: demo claim for {name} not created: {exc}")
    for name, body, group, months in HIRES_TO_CLAIM:
        _person(name, body, group, months, enterprise)
    return made, to_pay


def _apprenticeship_claims(stdout: Any) -> int:
    """企业新型学徒制培训补贴 of the demo enterprise for each apprentice's recorded plan year, approved (when the
    training demo data has the apprentices)."""
    from jineng.subsidies.facts import apprentices_of_org

    enterprise = Organization.objects.filter(kind="enterprise", name="广州智造科技有限公司").first()
    hr = _user("demo-enterprise")
    if enterprise is None or hr is None:
        return 0
    made = 0
    for ref, label in apprentices_of_org(enterprise.pk):
        if Claim.objects.filter(event_key=f"apprentice_year:{ref}", status__in=LIVE_STATUSES).exists():
            continue
        data = claim_services.ClaimInput(
            subsidy_type="apprenticeship", event_ref=ref, applicant_kind="enterprise", applicant_org_id=enterprise.pk,
            payee_bank=ENTERPRISE_ACCOUNT[0], payee_account=ENTERPRISE_ACCOUNT[1], note="演示数据",
        )  # fmt: skip
        try:
            claim = claim_services.claim_submit(actor=hr, data=data)
            if claim.decision == "approve":
                _advance(claim, "approved")
            made += 1
        except DomainError as exc:
            stdout.write(f"  subsidies: apprenticeship claim for {label} not created: {exc.message}")
    return made


def _training_claims(stdout: Any) -> tuple[int, list[Any]]:
    """职业培训补贴 claims of the demo provider for its enrollments completed in the last 30 days (the claim period) (when the training
    demo data exists), brought to the stages of ``TRAINING_STAGES``."""
    from jineng.training import api

    provider = Organization.objects.filter(kind="provider", name="广州市天河区职业培训学校").first()
    staff = _user("demo-provider")
    if provider is None or staff is None:
        return 0, []
    worker = _user("demo-worker")
    rows = list(api.completed_enrollments_for_evaluation(completed_since=today() - dt.timedelta(days=30)))
    # A re-run counts the claims an earlier run made (issue 15: a class of 14 gave a second run 5 more claims).
    made = already = Claim.objects.filter(event_key__in=[f"enrollment:{row.enrollment_id}" for row in rows]).count()
    to_pay: list[Any] = []
    for row in rows:
        if str(row.provider_organization_id) != str(provider.pk) or made >= len(TRAINING_STAGES):
            continue
        if worker is not None and str(row.person_id) == str(worker.person_id):
            continue  # the demo worker claims 技能提升补贴 for their certificate instead
        if Claim.objects.filter(event_key=f"enrollment:{row.enrollment_id}").exists():
            continue
        if claim_services.enrollment_project_code(row.enrollment_id):
            continue  # a 项目制 class is paid by its project's settlement (demo-city settles it), not claim by claim
        data = claim_services.ClaimInput(
            subsidy_type="training", event_ref=str(row.enrollment_id), applicant_kind="provider",
            applicant_org_id=provider.pk, payee_bank=PROVIDER_ACCOUNT[0], payee_account=PROVIDER_ACCOUNT[1],
            note="演示数据",
        )  # fmt: skip
        try:
            claim = claim_services.claim_submit(actor=staff, data=data)
            if claim.decision != "approve":
                made += 1
                continue
            stage = TRAINING_STAGES[made % len(TRAINING_STAGES)]
            claim = _advance(claim, stage)
            if stage == "paid":
                to_pay.append(claim.pk)
            made += 1
        except DomainError as exc:
            stdout.write(f"  subsidies: training claim for enrollment {row.enrollment_id} not created: {exc.message}")
    return made - already, to_pay


def _pay(claim_ids: list[Any], stdout: Any) -> int:
    """A payment batch of the given approved claims, made and exported by demo-province (finance) and settled by the
    bank's return (every line paid), confirmed by demo-finance: four eyes."""
    from jineng.subsidies.services import payments

    maker, finance = _user("demo-province"), _user("demo-finance")
    if maker is None or finance is None or not claim_ids:
        return 0
    try:
        batch = payments.batch_create(actor=maker, claim_ids=claim_ids, note="演示：第一批拨付")
        payments.bank_file(actor=maker, batch=batch, fmt="csv")  # the bank file goes out before its return
        rows = [payments.ReturnRow(row=i + 1, line_id=str(line.pk), claim_number="", result="成功",
                                   bank_reference=f"{batch.number}-{line.seq:05d}")
                for i, line in enumerate(batch.lines.order_by("pk"))]  # fmt: skip
        payments.returns_apply(actor=finance, rows=rows, batch=batch)
        spread_payment(claim_ids, made_on=workdays_back(today(), 2), returned_on=workdays_back(today(), 1))
    except DomainError as exc:
        stdout.write(f"  subsidies: demo payment batch not made: {exc.message}")
        return 0
    return len(rows)


def _certificate_claims(stdout: Any) -> int:
    """The demo worker (李明) applies for 职业技能提升补贴 for the certificates the certificates demo issued."""
    from jineng.subsidies.facts import certificate_choices

    worker = _user("demo-worker")
    if worker is None or worker.person_id is None:
        return 0
    made = 0
    for record in certificate_choices(worker.person_id):
        if not record.fact.valid or record.fact.kind not in ("qualification", "skill_level"):
            continue
        if Claim.objects.filter(event_key=f"certificate:{record.fact.id}", status__in=LIVE_STATUSES).exists():
            continue
        data = claim_services.ClaimInput(
            subsidy_type="skill_upgrade", event_ref=record.fact.id, applicant_kind="person", insurance_region="440106",
            payee_account="6214830200001234567", note="演示数据",
        )  # fmt: skip
        try:
            claim_services.claim_submit(actor=worker, data=data)
            made += 1
        except DomainError as exc:
            stdout.write(
                f"  subsidies: skill-upgrade claim for certificate {record.fact.number} not created: {exc.message}"
            )
    return made


def _vouchers(worker_id_number: str) -> int:
    official = _user("demo-city")
    if official is None:
        return 0
    issue = VoucherIssue.objects.filter(region_id="440100", title="广州市职业培训券（失业人员）").first()
    if issue is None:
        issue = voucher_issue_create(
            actor=official,
            data=IssueData(region_code="440100", kind="general", title="广州市职业培训券（失业人员）",
                           content="目录内任一职业技能培训项目", face_value_fen=80000, valid_from=today() - dt.timedelta(days=30),
                           valid_until=today() + dt.timedelta(days=335), quantity=100, groups=["unemployed"]),
        )  # fmt: skip
    issued = vouchers_issue_to_group(actor=official, issue=issue)
    _worker_uses_voucher(issue, worker_id_number)
    return issued


def _worker_uses_voucher(issue: VoucherIssue, worker_id_number: str) -> None:
    """The demo worker takes up (领用) their voucher and uses it at the demo provider for a listed program."""
    from jineng.providers.api import Program
    from jineng.subsidies.models import Voucher
    from jineng.subsidies.services.vouchers import voucher_claim, voucher_redeem, voucher_use

    worker, staff = _user("demo-worker"), _user("demo-provider")
    provider = Organization.objects.filter(kind="provider", name="广州市天河区职业培训学校").first()
    program = Program.objects.filter(code="GD-DEMO-01").first()
    if None in (worker, staff, provider, program) or not worker_id_number:
        return
    assert worker is not None and staff is not None and provider is not None and program is not None
    if worker.person_id is None:
        return
    voucher = Voucher.objects.filter(issue=issue, person_id=worker.person_id, state="issued").first()
    if voucher is None:
        return
    try:
        voucher = voucher_claim(actor=worker, voucher=voucher)
        voucher = voucher_use(actor=staff, code=voucher.code, holder_id_number=worker_id_number,
                              organization=provider, program=program)  # fmt: skip
        official = _user("demo-province")  # not demo-city: the one who redeems does not review the claim it makes
        if official is not None:
            # 核销 makes the provider's 职业培训补贴 claim; it goes through the review like any other.
            voucher_redeem(actor=official, voucher=voucher)
            claim = Claim.objects.filter(event_key=f"voucher:{voucher.pk}", status__in=LIVE_STATUSES).first()
            if claim is not None:
                _advance(claim, "approved")
    except DomainError:
        pass  # the voucher stays where it got to; the demo goes on


# One-off grants (一次性补助) of the demo studios and bases: (base name, asked by, amount in yuan, stage, basis).
GRANTS = [
    (
        "李建华数控车工技能大师工作室",
        "demo-provider",
        100_000,
        "paid",
        "人社部函〔演示〕21号：国家级技能大师工作室一次性补助",
    ),
    (
        "天河职业培训学校高技能人才培训基地",
        "demo-provider",
        500_000,
        "approved",
        "粤人社函〔演示〕5号：省级高技能人才培训基地一次性补助",
    ),
    (  # typed with another account than the one demo-provider was paid on: the review page shows the block
        "广州市高技能人才培训基地（国家级，演示）",
        "demo-provider",
        300_000,
        "mismatch",
        "人社部函〔演示〕30号：国家级高技能人才培训基地一次性补助",
    ),
    (
        "陈志强电工技能大师工作室",
        "demo-provider-sz",
        50_000,
        "submitted",
        "深人社函〔演示〕8号：省级技能大师工作室一次性补助",
    ),
]


def _grants(stdout: Any) -> int:
    """Each demo studio's grant taken to its stage: asked by the host's staff, approved by demo-city, batched by
    demo-province (finance) and confirmed paid by demo-finance — four eyes at each step."""
    from jineng.providers.api import bases_for_grant
    from jineng.subsidies.models import BaseGrant, GrantLine
    from jineng.subsidies.services import grants as grant_services
    from jineng.subsidies.services import payments

    made = 0
    for name, asker, yuan, stage, basis in GRANTS:
        base = bases_for_grant().filter(name=name).first()
        user = _user(asker)
        if base is None or user is None or BaseGrant.objects.filter(base_id=base.pk).exists():
            continue
        account = ("中国银行深圳福田支行", "6216613200004567890") if asker == "demo-provider-sz" else PROVIDER_ACCOUNT
        if stage == "mismatch":
            account = MISMATCHED_ACCOUNT
        try:
            grant = grant_services.grant_request(
                actor=user, base_id=base.pk, amount_fen=yuan * 100, fund_source="employment_fund", basis=basis,
                payee_bank=account[0], payee_account=account[1], year=today().year,
                note="依托单位申请，附工作室建设方案与年度绩效自评。",
            )  # fmt: skip
            made += 1
            if stage in ("submitted", "mismatch"):
                continue
            grant = grant_services.grant_review(actor=_user("demo-city"), grant=grant, approve=True,
                                                reason="材料齐全，符合补助条件")  # fmt: skip
            if stage == "paid":
                batch = grant_services.grant_batch_create(actor=_user("demo-province"), grant_ids=[grant.pk],
                                                          note="演示：基地与工作室一次性补助")  # fmt: skip
                payments.bank_file(actor=_user("demo-province"), batch=batch, fmt="csv")  # exported, then confirmed
                line = GrantLine.objects.get(batch=batch)
                grant_services.grant_line_confirm(actor=_user("demo-finance"), line=line, paid=True,
                                                  bank_reference=f"{batch.number}-G{line.seq:04d}")  # fmt: skip
        except DomainError as exc:
            stdout.write(f"  subsidies: demo grant for {name} stopped: {exc.message}")
    return made


def seed_apprenticeship_advances(stdout: Any) -> int:
    """学徒制补贴预支 of the enterprise's apprentices who joined this year (run after the training demo's cohort): the first one's advance paid, the second's
    waiting for 受理, the third's paid and then recovered-to-be — the apprentice left (中途终止), so finance sees it
    under 待追回的预支. Idempotent: nothing is made when an advance exists."""
    from jineng.subsidies.services import advances
    from jineng.training import api as training_api

    enterprise = Organization.objects.filter(kind="enterprise", name="广州智造科技有限公司").first()
    hr = _user("demo-enterprise")
    if enterprise is None or hr is None or Claim.objects.filter(event_kind=EventKind.APPRENTICE_ADVANCE).exists():
        return 0
    cohort = [a for a in training_api.active_apprentices_of_organizations([enterprise.pk])
              if a.apprenticeship.start_date.year == today().year][:3]  # fmt: skip
    made, paid = [], []
    try:
        for n, a in enumerate(cohort):
            asked_on = min(a.joined_on + dt.timedelta(days=14), today())  # asked as the plan year began
            claim = advances.advance_submit(actor=hr, apprentice_id=a.pk, year_no=1, payee_bank=ENTERPRISE_ACCOUNT[0],
                                            payee_account=ENTERPRISE_ACCOUNT[1], on=asked_on)  # fmt: skip
            made.append(claim)
            if n != 1:
                paid.append(_advance(claim, "approved").pk)
        _pay(paid, stdout)
        if len(cohort) == 3:
            training_api.apprentice_end_early(actor=hr, apprentice_id=cohort[2].pk,
                                              reason="本人离职，解除劳动合同（演示）")  # fmt: skip
    except DomainError as exc:
        stdout.write(f"  subsidies: demo apprenticeship advance stopped: {exc.message}")
    if made:
        stdout.write(f"Demo apprenticeship advances: {len(made)} (one paid, one to review, one to recover).")
    return len(made)


def seed_demo(stdout: Any, *, worker_id_number: str = "") -> None:
    policies = load_policies()
    _allocate("unemployment_insurance", "440000", 50_000_000_00, "演示：2026年失业保险基金技能提升补贴资金")
    _allocate("special_account", "440000", 30_000_000_00, "演示：2026年职业技能提升行动专账资金")
    _allocate("employment_fund", "440100", 10_000_000_00, "演示：2026年广州市就业补助资金")
    work, pay_work = _work_claims(stdout)
    training, pay_training = _training_claims(stdout)
    training += _certificate_claims(stdout)
    work += _apprenticeship_claims(stdout)
    paid = _pay(pay_work + pay_training, stdout)
    vouchers = _vouchers(worker_id_number)
    grants = _grants(stdout)
    approved = Claim.objects.filter(status=ClaimStatus.APPROVED).count()
    # What this run made and what is there (issue 15: a re-run printed “0 policy versions”, as if there were none).
    from jineng.subsidies.models import PolicyVersion

    stdout.write(
        f"Subsidies: {policies} policy versions published now ({PolicyVersion.objects.count()} in all), "
        f"{work + training} claims created now ({Claim.objects.count()} in all; {approved} approved awaiting payment, "
        f"{Claim.objects.filter(status=ClaimStatus.PAID).count()} paid — {paid} in this run's batch), {vouchers} "
        f"vouchers issued now, {grants} one-off grants to bases and studios now."
    )


def seed_batch_awaiting_return(stdout: Any, *, claims: int = 2) -> int:
    """A second payment batch (issue 15): ``claims`` approved claims batched by demo-province and its bank file
    exported, the bank's return not yet in — demo-finance's 回盘确认 to do. Idempotent: none made while a batch
    awaits its return."""
    from jineng.subsidies.models import BatchStatus, PaymentBatch
    from jineng.subsidies.selectors import awaiting_payment
    from jineng.subsidies.services import payments

    maker = _user("demo-province")
    if maker is None or PaymentBatch.objects.filter(status=BatchStatus.EXPORTED).exists():
        return 0
    ids = list(awaiting_payment(Claim.objects.all()).order_by("number").values_list("pk", flat=True)[:claims])
    if not ids:
        return 0
    try:
        batch = payments.batch_create(actor=maker, claim_ids=ids, note="演示：第二批拨付，已导出支付文件，待银行回盘")
        payments.bank_file(actor=maker, batch=batch, fmt="csv")
    except DomainError as exc:
        stdout.write(f"  subsidies: demo batch awaiting return not made: {exc.message}")
        return 0
    stdout.write(f"Demo payment batch {batch.number}: {len(ids)} claims, bank file exported, return awaited.")
    return len(ids)
