"""One-off grants to bases and studios (高技能人才培训基地、技能大师工作室一次性补助).

The clusters plan gives 国家级高技能人才培养基地、技能大师工作室 a one-off grant (一次性补助支持); the other plans build
bases and studios at national and provincial level and pay them from the employment subsidy fund. The life of a grant:

1. ``grant_request`` — the host's staff (``org.edit`` of the host organization) or an official with review rights over
   the base's region asks: the base, the amount (bounded by ``base_grant.max_amount_fen``), the fund, the basis (文号)
   and the host's bank account (encrypted at rest, shown masked). One standing grant per base (一次性): a second one
   is refused while the first is not refused.
2. ``grant_review`` — a second person with ``records.review`` over the region approves or refuses (reason required);
   the one who asked may not (``subsidy.four_eyes.base_grant``). The payee account was typed by the requester: it
   is compared with the host organization's bank-verified accounts (``verified_accounts``: the accounts its earlier
   claims and grants were paid on, confirmed by the bank's return) — 一致 / 不一致 / 无已核验账户 (a first payment:
   flagged on the review page, not blocking). A mismatch blocks the approval until a person other than the
   requester and the approver confirms the account with a reason (``grant_payee_confirm``, audited; only a mismatch
   is confirmed: an unverified account has nothing to be checked against — ``payee_unverified``); a reviewer may see the full number with a reason (``grant_payee_reveal``,
   audited like every reveal).
3. ``grant_batch_create`` — a finance official (``finance.pay`` over the paying region) puts approved grants in a
   payment batch (the same ``PaymentBatch`` claims are paid in, its lines ``GrantLine``); whoever asked or reviewed a
   grant may not (``subsidy.four_eyes.review_pay``). At most one pending-or-paid line per grant (partial unique
   index): a grant is never paid twice.
4. ``grant_line_confirm`` — the bank's answer per line: paid (the payment is posted on the ledger, once per line:
   ``ledger_posted_once``) or failed (the grant may be batched again). Whoever created the batch may not confirm it
   (``subsidy.four_eyes.batch_confirm``), nor whoever asked or reviewed the grant.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jineng.accounts.api import Actor, can, require
from jineng.common.audit.services import audit_event
from jineng.common.crypto import decrypt, encrypt
from jineng.common.errors import Conflict, InvalidState, NotFound, PermissionDenied, invalid
from jineng.common.ids import uuid_or_none
from jineng.common.masking import mask_bank_account
from jineng.providers import api as providers_api
from jineng.refdata.api import region_common_ancestor as common_ancestor
from jineng.subsidies.catalog import FundSource
from jineng.subsidies.errors import Code
from jineng.subsidies.events import Event
from jineng.subsidies.models import (
    BaseGrant,
    BatchStatus,
    GrantLine,
    GrantStatus,
    LedgerKind,
    LineState,
    PayeeCheck,
    PaymentBatch,
    PaymentLine,
)
from jineng.subsidies.money import amount_checked, forbid_same
from jineng.subsidies.services.claims import ACCOUNT_CONTEXT
from jineng.subsidies.services.ledger import fund_account_for, post
from jineng.subsidies.services.support import (
    PAY,
    REVIEW,
    actor_name,
    is_org_staff,
    next_number,
    reason_required,
    today,
    user_or_none,
)
from jineng.subsidies.settings_specs import (
    FOUR_EYES_BASE_GRANT,
    FOUR_EYES_BATCH_CONFIRM,
    FOUR_EYES_REVIEW_PAY,
    MAX_BASE_GRANT,
)

# How many grants one batch takes at most (a batch of grants is a handful a year; the bound keeps the form bounded).
MAX_GRANTS_PER_BATCH = 500
BANK_REFERENCE_MAX = 64  # the column's length: a longer reference is refused, never cut


# How many earlier paid accounts are compared (the distinct masked ones, the most recent first).
VERIFIED_ACCOUNTS_MAX = 20


def verified_accounts(organization_id: Any, *, exclude_grant: Any = None) -> list[tuple[str, str]]:
    """已核验账户 — (masked, full number) of the accounts the organization was paid on: a claim's or a grant's payment
    the bank confirmed. The most recent first, each once; decrypted on the server only (pages show the masked)."""
    if organization_id is None:
        return []
    claim_lines = (
        PaymentLine.objects.filter(claim__payee_org_id=organization_id, state=LineState.PAID)
        .exclude(payee_account_enc="")
        .order_by("-confirmed_at")
        .values_list("payee_account_masked", "payee_account_enc")[:200]
    )
    paid_grants = (
        BaseGrant.objects.filter(payee_org_id=organization_id, status=GrantStatus.PAID)
        .exclude(pk=exclude_grant)
        .order_by("-paid_at")
        .values_list("payee_account_masked", "payee_account_enc")[:200]
    )
    found: dict[str, str] = {}  # full number → masked
    for masked, token in [*claim_lines, *paid_grants]:
        if len(found) >= VERIFIED_ACCOUNTS_MAX:
            break
        found.setdefault(decrypt(token, context=ACCOUNT_CONTEXT), masked)
    return [(masked, account) for account, masked in found.items()]


def payee_check_of(grant: BaseGrant) -> tuple[str, list[str]]:
    """(``PayeeCheck`` value, the masked verified accounts) of the grant's payee account now."""
    known = verified_accounts(grant.payee_org_id, exclude_grant=grant.pk)
    masked = [m for m, _account in known]
    if not known:
        return PayeeCheck.UNVERIFIED, masked
    account = decrypt(grant.payee_account_enc, context=ACCOUNT_CONTEXT)
    return (PayeeCheck.MATCH if account in {a for _m, a in known} else PayeeCheck.MISMATCH), masked


def grant_request(
    *,
    actor: Actor,
    base_id: Any,
    amount_fen: Any,
    fund_source: str,
    basis: str,
    payee_bank: str,
    payee_account: str,
    note: str = "",
    year: int | None = None,
) -> BaseGrant:
    """申请一次性补助 — see the module. Refusals name the field: ``unknown_base``, ``base_not_eligible`` (a kind other
    than a high-skill base or a master studio, or revoked), ``bad_choice`` (fund), ``required`` (basis, bank),
    ``bank_account_bad_format``, the amount's codes, ``grant_exists`` (409: one standing grant per base)."""
    base = providers_api.base_get(base_id)
    if base is None:
        raise invalid(field="base", code=Code.UNKNOWN_BASE, message="未找到该基地或工作室。")
    host_org = base.host.organization if base.host is not None else None
    if not (
        can(actor, REVIEW, region_code=base.region_id) or (host_org is not None and is_org_staff(actor, host_org.pk))
    ):
        raise PermissionDenied("只有依托单位的经办人员或本地区审核人员可以申请一次性补助。")
    if base.kind not in providers_api.GRANT_BASE_KINDS or base.revoked_year is not None:
        raise invalid(
            field="base",
            code=Code.BASE_NOT_ELIGIBLE,
            message=f"{base.name}不是在册的高技能人才培训基地或技能大师工作室，不能申请一次性补助。",
        )
    if fund_source not in FundSource.values:
        raise invalid(field="fund_source", code=Code.BAD_CHOICE, message="请选择资金来源。")
    amount = amount_checked(
        amount_fen, field="amount_fen", label="补助金额", key=MAX_BASE_GRANT, region_code=base.region_id
    )
    basis = (basis or "").strip()
    if not basis:
        raise invalid(field="basis", code=Code.REQUIRED, message="请填写补助依据（文件或文号）。")
    bank = (payee_bank or "").strip()
    if not bank:
        raise invalid(field="payee_bank", code=Code.REQUIRED, message="请填写开户银行。")
    account = re.sub(r"[\s-]", "", payee_account or "")
    if not re.fullmatch(r"\d{8,30}", account):
        raise invalid(field="payee_account", code=Code.BANK_ACCOUNT_BAD_FORMAT, message="收款账号应为8–30位数字。")
    the_year = year or today().year
    if the_year < base.approval_year or the_year > today().year:
        raise invalid(
            field="year",
            code=Code.BAD_RANGE,
            message=f"补助年度应在批准年度 {base.approval_year} 至今年之间。",
        )
    with transaction.atomic():
        if BaseGrant.objects.select_for_update().filter(base_id=base.pk).exclude(status=GrantStatus.REJECTED).exists():
            raise Conflict(f"{base.name}已申请过一次性补助（每个基地或工作室只补助一次）。", code=Code.GRANT_EXISTS)
        try:
            with transaction.atomic():
                grant = BaseGrant.objects.create(
                    number=next_number(f"JDBZ{the_year}{base.region_id}"),
                    base_id=base.pk,
                    base_name=base.name[:200],
                    base_kind=base.kind,
                    base_level=base.level,
                    region_id=base.region_id,
                    year=the_year,
                    amount_fen=amount,
                    fund_source=fund_source,
                    basis=basis[:200],
                    note=(note or "").strip()[:2000],
                    payee_org=host_org,
                    payee_name=(host_org.name if host_org is not None else base.host_name)[:200],
                    payee_bank=bank[:100],
                    payee_account_enc=encrypt(account, context=ACCOUNT_CONTEXT),
                    payee_account_masked=mask_bank_account(account),
                    requested_by=user_or_none(actor),
                    requested_by_name=actor_name(actor)[:150],
                )
        except IntegrityError:  # the partial unique index held against a concurrent request
            raise Conflict(f"{base.name}已申请过一次性补助。", code=Code.GRANT_EXISTS) from None
        grant.payee_check = payee_check_of(grant)[0]
        grant.save(update_fields=["payee_check", "updated_at"])
        audit_event(Event.GRANT_REQUEST, actor=actor, object_id=grant.pk, region_code=grant.region_id,
                    after={"number": grant.number, "base": base.name, "amount_fen": amount,
                           "fund_source": fund_source, "payee_account": grant.payee_account_masked,
                           "payee_check": grant.payee_check})  # fmt: skip
    return grant


def grant_review(*, actor: Actor, grant: BaseGrant, approve: bool, reason: str = "") -> BaseGrant:
    """审核 — a second person with review rights approves or refuses (reason required to refuse)."""
    require(actor, REVIEW, region_code=grant.region_id)
    if not approve:
        reason = reason_required(reason)
    with transaction.atomic():
        grant = BaseGrant.objects.select_for_update().get(pk=grant.pk)
        if grant.status != GrantStatus.SUBMITTED:
            raise InvalidState("该补助申请已审核。", code=Code.GRANT_NOT_SUBMITTED)
        forbid_same(actor, [grant.requested_by_id], pair_key=FOUR_EYES_BASE_GRANT, region_code=grant.region_id,
                    message="一次性补助须由申请人以外的另一人审核。")  # fmt: skip
        if approve:
            grant.payee_check = payee_check_of(grant)[0]  # checked again now: a payment may have come in since
            if grant.payee_check == PayeeCheck.MISMATCH and grant.payee_confirmed_by_id is None:
                raise InvalidState(
                    f"收款账号{grant.get_payee_check_display()}：须由申请人和审核人以外的另一人核实账号并填写理由"
                    "确认后，才能审核通过。", code=Code.PAYEE_NOT_CONFIRMED)  # fmt: skip
            if grant.payee_confirmed_by_id is not None:
                forbid_same(actor, [grant.payee_confirmed_by_id], pair_key=FOUR_EYES_BASE_GRANT,
                            region_code=grant.region_id,
                            message="确认收款账号的人不能再审核通过该补助（须由另一人审核）。")  # fmt: skip
        before = grant.status
        grant.status = GrantStatus.APPROVED if approve else GrantStatus.REJECTED
        grant.reviewed_by = user_or_none(actor)
        grant.reviewed_by_name = actor_name(actor)[:150]
        grant.reviewed_at = timezone.now()
        grant.review_reason = (reason or "").strip()[:2000]
        grant.save()
        audit_event(Event.GRANT_APPROVE if approve else Event.GRANT_REJECT, actor=actor, object_id=grant.pk,
                    region_code=grant.region_id, before={"status": before}, after={"status": grant.status},
                    reason=grant.review_reason)  # fmt: skip
    return grant


def grant_payee_confirm(*, actor: Actor, grant: BaseGrant, reason: str) -> BaseGrant:
    """核实收款账号 — a person with review rights, other than the requester, confirms an account that does not match
    the organization's verified accounts (one that has none to match is refused, ``payee_unverified``): the reason says how it was checked (开户许可证,
    银行回单 …). Audited; the approval then needs yet another person."""
    require(actor, REVIEW, region_code=grant.region_id)
    reason = reason_required(reason)
    if len(reason) > 500:
        raise invalid(field="reason", code=Code.TOO_LONG, message="确认理由最多 500 个字符。")
    with transaction.atomic():
        grant = BaseGrant.objects.select_for_update().get(pk=grant.pk)
        if grant.status != GrantStatus.SUBMITTED:
            raise InvalidState("该补助申请已审核。", code=Code.GRANT_NOT_SUBMITTED)
        if grant.payee_confirmed_by_id is not None:
            raise InvalidState(f"收款账号已由{grant.payee_confirmed_by_name}确认。", code=Code.PAYEE_ALREADY_CONFIRMED)
        check = payee_check_of(grant)[0]
        if check == PayeeCheck.MATCH:
            raise InvalidState("收款账号与已核验账户一致，无须另行确认。", code=Code.PAYEE_MATCHES)
        if check == PayeeCheck.UNVERIFIED:
            # nothing on file to compare with: a "confirmation" would stamp an account nobody could check as
            # verified before any review — the reviewer checks the documents when approving (the page says so)
            raise InvalidState("该单位没有已核验账户，无可比对的账户：由审核人审核时核实开户许可证等材料，无须另行确认。",
                               code=Code.PAYEE_UNVERIFIED)  # fmt: skip
        forbid_same(actor, [grant.requested_by_id], pair_key=FOUR_EYES_BASE_GRANT, region_code=grant.region_id,
                    message="申请人不能确认自己填写的收款账号（须由另一人核实）。")  # fmt: skip
        grant.payee_check = check
        grant.payee_confirmed_by = user_or_none(actor)
        grant.payee_confirmed_by_name = actor_name(actor)[:150]
        grant.payee_confirmed_at = timezone.now()
        grant.payee_confirm_reason = reason
        grant.save()
        audit_event(Event.GRANT_PAYEE_CONFIRM, actor=actor, object_id=grant.pk, region_code=grant.region_id,
                    reason=reason, after={"number": grant.number, "payee_account": grant.payee_account_masked,
                                          "payee_check": check})  # fmt: skip
    return grant


def grant_payee_reveal(*, actor: Actor, grant: BaseGrant, reason: str) -> str:
    """查看完整收款账号 — a reviewer over the grant's region, for a stated reason; audited (the masked number and the
    reason), never cached (the page answers ``no-store``)."""
    reason = " ".join((reason or "").split())
    if len(reason) < 2:
        raise invalid(field="reason", code=Code.REASON_REQUIRED, message="查看完整账号须填写原因。")
    if len(reason) > 200:
        raise invalid(field="reason", code=Code.TOO_LONG, message="原因最多 200 个字符。")
    require(actor, REVIEW, region_code=grant.region_id)
    audit_event(Event.GRANT_PAYEE_REVEAL, actor=actor, object_id=grant.pk, region_code=grant.region_id,
                reason=reason, after={"field": "payee_account", "value": grant.payee_account_masked})  # fmt: skip
    return decrypt(grant.payee_account_enc, context=ACCOUNT_CONTEXT)


def _grant_ids(raw_ids: list[Any]) -> list[Any]:
    ids: dict[Any, None] = {}
    for raw in raw_ids:
        pk = uuid_or_none(raw)
        if pk is None:
            raise invalid(field="grant_ids", code=Code.BAD_ID, message="补助编号格式不正确。")
        ids.setdefault(pk, None)
    if not ids:
        raise invalid(field="grant_ids", code=Code.REQUIRED, message="请选择要拨付的补助。")
    if len(ids) > MAX_GRANTS_PER_BATCH:
        raise invalid(field="grant_ids", code=Code.TOO_MANY, message=f"一个批次最多 {MAX_GRANTS_PER_BATCH} 笔补助。")
    return sorted(ids)


def _grants_sanctioned_refused(grants: list[BaseGrant]) -> None:
    """A sanction in force today (停业整顿, 黑名单, 吊销许可, the card rule) on a grant's payee or its base's host holds
    the approved grant back from payment, as a claim's (``claim_sanctioned``): the batch is refused naming the grants
    and why; the grant stays 待拨付 until the sanction ends or is lifted (docs/sanctions.md)."""
    orgs: dict[str, list[str]] = {}
    hosts = dict(
        BaseGrant.objects.filter(pk__in=[g.pk for g in grants]).values_list("pk", "base__host__organization_id")
    )
    for g in grants:
        for org in {str(o) for o in (g.payee_org_id, hosts.get(g.pk)) if o}:
            orgs.setdefault(org, []).append(g.number)
    day = today()
    for org in sorted(orgs):
        why = providers_api.sanction_refusal(org, providers_api.SANCTION_CLAIM, day)
        if why:
            numbers = sorted(set(orgs[org]))
            raise InvalidState(
                _("以下补助因机构受处罚暂停拨付：%(grants)s。%(why)s")
                % {"grants": "、".join(numbers[:20]), "why": why},
                code=Code.GRANT_SANCTIONED,
            )


def grant_batch_create(*, actor: Actor, grant_ids: list[Any], note: str = "") -> PaymentBatch:
    """生成拨付批次 — approved (or failed and not yet re-batched) grants, locked in id order; one line each on the
    fund account of its fund and region."""
    ids = _grant_ids(grant_ids)
    with transaction.atomic():
        grants = list(BaseGrant.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        found = {g.pk for g in grants}
        missing = [pk for pk in ids if pk not in found]
        if missing:
            raise NotFound(f"补助不存在：{missing[0]}", code=Code.GRANT_NOT_FOUND)
        live = [g.number for g in grants if g.status in (GrantStatus.IN_PAYMENT, GrantStatus.PAID)]
        if live:
            raise Conflict("以下补助已在待支付或已支付的批次中，不能重复拨付：" + "、".join(live[:20]),
                           code=Code.GRANT_IN_LIVE_BATCH)  # fmt: skip
        wrong = [g.number for g in grants if g.status not in (GrantStatus.APPROVED, GrantStatus.PAYMENT_FAILED)]
        if wrong:
            raise InvalidState("只有审核通过（待拨付）的补助可以拨付：" + "、".join(wrong[:20]),
                               code=Code.GRANT_NOT_APPROVED)  # fmt: skip
        accounts = {g.pk: fund_account_for(g.fund_source, g.region_id) for g in grants}
        for region_code in sorted({a.region_id for a in accounts.values()}):
            require(actor, PAY, region_code=region_code)
        _grants_sanctioned_refused(grants)
        for g in grants:
            forbid_same(actor, [g.requested_by_id, g.reviewed_by_id], pair_key=FOUR_EYES_REVIEW_PAY,
                        region_code=g.region_id,
                        message=f"您申请或审核过补助 {g.number}，不能将其列入拨付批次（须由另一人办理）。")  # fmt: skip
        region = common_ancestor(sorted({a.region_id for a in accounts.values()}))
        batch = PaymentBatch.objects.create(
            number=next_number(f"BF{timezone.now():%Y}{region}"),
            region_id=region,
            created_by=user_or_none(actor),
            note=(note or "基地与工作室一次性补助").strip()[:300],
            line_count=len(grants),
            total_fen=sum(g.amount_fen for g in grants),
        )
        try:
            with transaction.atomic():
                GrantLine.objects.bulk_create(
                    [
                        GrantLine(
                            batch=batch,
                            seq=n,
                            grant=g,
                            region_id=accounts[g.pk].region_id,
                            fund_account=accounts[g.pk],
                            amount_fen=g.amount_fen,
                            payee_name=g.payee_name,
                            payee_account_masked=g.payee_account_masked,
                        )  # fmt: skip
                        for n, g in enumerate(grants, start=1)
                    ]
                )
        except IntegrityError:
            raise Conflict("补助已在待支付或已支付的批次中，不能重复拨付。", code=Code.GRANT_IN_LIVE_BATCH) from None
        BaseGrant.objects.filter(pk__in=ids).update(status=GrantStatus.IN_PAYMENT, updated_at=timezone.now())
        audit_event(Event.PAYMENT_BATCH_CREATE, actor=actor, object_id=batch.pk, region_code=region,
                    after={"number": batch.number, "grants": [g.number for g in grants],
                           "total_fen": batch.total_fen})  # fmt: skip
    return batch


def grant_line_confirm(
    *, actor: Actor, line: GrantLine, paid: bool, bank_reference: str = "", reason: str = ""
) -> GrantLine:
    """回盘确认 — one line paid (posted on the ledger once: the posting's reference is the line) or failed (a reason
    required; the grant becomes 支付失败 and may be batched again)."""
    require(actor, PAY, region_code=line.region_id)
    reference = (bank_reference or "").strip()
    if paid and not reference:
        raise invalid(field="bank_reference", code=Code.REQUIRED, message="请填写银行流水号。")
    if len(reference) > BANK_REFERENCE_MAX:
        raise invalid(field="bank_reference", code=Code.TOO_LONG,
                      message=f"银行流水号最多 {BANK_REFERENCE_MAX} 个字符。")  # fmt: skip
    if reference and (
        PaymentLine.objects.filter(bank_reference=reference).exists()
        or GrantLine.objects.filter(bank_reference=reference).exclude(pk=line.pk).exists()
    ):
        raise invalid(field="bank_reference", code=Code.DUPLICATE_BANK_REFERENCE,
                      message=f"银行流水号 {reference} 已用于确认另一条支付明细（每笔支付一个流水号）。")  # fmt: skip
    if not paid:
        reason = reason_required(reason)
    with transaction.atomic():
        line = GrantLine.objects.select_for_update().select_related("batch", "fund_account").get(pk=line.pk)
        grant = BaseGrant.objects.select_for_update().get(pk=line.grant_id)
        if line.state != LineState.PENDING:
            raise InvalidState("该明细已确认。", code=Code.LINE_NOT_PENDING)
        if line.batch.status == BatchStatus.CREATED:
            raise InvalidState(f"批次 {line.batch.number} 尚未导出支付文件，不能确认回盘（须先导出并交银行支付）。",
                               code=Code.BATCH_NOT_EXPORTED)  # fmt: skip
        forbid_same(actor, [line.batch.created_by_id, line.batch.exported_by_id], pair_key=FOUR_EYES_BATCH_CONFIRM,
                    region_code=line.region_id, message="生成该批次的人员不能确认其支付结果（须由另一人确认）。")  # fmt: skip
        forbid_same(actor, [grant.requested_by_id, grant.reviewed_by_id], pair_key=FOUR_EYES_REVIEW_PAY,
                    region_code=grant.region_id, message="申请或审核过该补助的人员不能确认其支付结果。")  # fmt: skip
        now = timezone.now()
        line.state = LineState.PAID if paid else LineState.FAILED
        line.bank_reference = reference
        line.failure_reason = "" if paid else reason[:300]
        line.confirmed_at = now
        line.confirmed_by = user_or_none(actor)
        try:
            with transaction.atomic():
                line.save()
        except IntegrityError:  # the unique 银行流水号 held against a concurrent confirmation
            raise Conflict(
                f"银行流水号 {reference} 已用于确认另一条支付明细。", code=Code.DUPLICATE_BANK_REFERENCE
            ) from None
        if paid:
            try:
                with transaction.atomic():
                    post(kind=LedgerKind.PAYMENT, account=line.fund_account, amount_fen=line.amount_fen,
                         reference=str(line.pk), memo=f"{line.batch.number} #{line.seq} 一次性补助 {grant.number}",
                         actor=actor)  # fmt: skip
            except IntegrityError:
                raise Conflict("该补助明细已记账。", code=Code.ALREADY_POSTED) from None
            grant.status, grant.paid_at = GrantStatus.PAID, now
        else:
            grant.status = GrantStatus.PAYMENT_FAILED
        grant.save(update_fields=["status", "paid_at", "updated_at"])
        _settle_batch(line.batch)
        audit_event(Event.GRANT_PAID if paid else Event.GRANT_PAYMENT_FAILED, actor=actor, object_id=grant.pk,
                    region_code=grant.region_id,
                    after={"batch": line.batch.number, "amount_fen": line.amount_fen,
                           "bank_reference": line.bank_reference, "reason": line.failure_reason})  # fmt: skip
    return line


def _settle_batch(batch: PaymentBatch) -> None:
    if (
        not batch.grant_lines.filter(state=LineState.PENDING).exists()
        and not batch.lines.filter(state=LineState.PENDING).exists()
    ):
        PaymentBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.SETTLED, settled_at=timezone.now())


def grants_paid_fen(region_codes: list[str], year: int) -> int:
    """The grants paid in ``year`` to bases in ``region_codes`` (fen)."""
    start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)
    rows = BaseGrant.objects.filter(
        status=GrantStatus.PAID, region_id__in=region_codes, paid_at__gte=start, paid_at__lt=end
    ).values_list("amount_fen", flat=True)
    return sum(rows)
