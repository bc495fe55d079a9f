"""Payments (资金拨付): batches of approved claims, the bank payment file, the bank's return file, payee change
requests after a failed payment (approved by a second person), clawback of a paid claim found invalid, and recovery of the debt.

A claim is never paid twice: ``PaymentLine`` has a partial unique index allowing one pending-or-paid line per
claim, and a batch locks its claims (in id order) before checking their status. Concurrent requests for the same
claims therefore put each claim in exactly one batch; the others get 409 ``claim_in_live_batch``.

Four eyes (``subsidy.four_eyes.*``, docs/subsidies.md): whoever reviewed a claim (受理/初审/复审/审批) may not batch,
export or confirm it; whoever created or exported a batch may not confirm its return; a payee change is approved by
someone other than the one who asked. Refusals are 403 ``same_person_forbidden`` and change nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jineng.accounts.api import Actor, actor_user, can, require, visible
from jineng.common.audit.services import audit_event
from jineng.common.crypto import decrypt, encrypt
from jineng.common.errors import Conflict, FieldError, InvalidState, NotFound, ValidationFailed, invalid
from jineng.common.ids import uuid7
from jineng.common.masking import mask_bank_account
from jineng.imports.api import XlsxWriter, escape_cell
from jineng.providers.api import SANCTION_CLAIM, sanction_refusal
from jineng.refdata.api import region_common_ancestor as common_ancestor
from jineng.rules.subsidy import format_fen
from jineng.subsidies.catalog import ClaimStatus
from jineng.subsidies.errors import ClaimInLiveBatch, Code, SamePersonForbidden
from jineng.subsidies.events import Event
from jineng.subsidies.models import (
    BatchStatus,
    Claim,
    ClaimHold,
    ClaimStep,
    Debt,
    DebtStatus,
    FundAccount,
    GrantLine,
    LedgerKind,
    LedgerTransaction,
    LineState,
    PayeeChange,
    PaymentBatch,
    PaymentLine,
    RequestStatus,
)
from jineng.subsidies.money import actor_id, forbid_same, four_eyes_required
from jineng.subsidies.services.claims import ACCOUNT_CONTEXT
from jineng.subsidies.services.grants import grant_line_confirm
from jineng.subsidies.services.ledger import fund_account_for, post, post_payments
from jineng.subsidies.services.support import (
    PAY,
    REVIEW,
    actor_name,
    is_org_staff,
    next_number,
    reason_required,
    step_record,
    user_or_none,
)
from jineng.subsidies.settings_specs import FOUR_EYES_BATCH_CONFIRM, FOUR_EYES_PAYEE_CHANGE, FOUR_EYES_REVIEW_PAY

# ---- batches -------------------------------------------------------------------------------------------------------


# Claims are locked, checked and written this many at a time: memory stays flat however large the batch.
BATCH_SLICE = 5_000
# How many offending claim numbers an error message names.
NAMED_IN_ERRORS = 20


def _claim_uuids(claim_ids: list[Any]) -> list[uuid.UUID]:
    """The requested ids, parsed and deduplicated in the order given."""
    ids: dict[uuid.UUID, None] = {}
    for raw in claim_ids:
        try:
            ids.setdefault(raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw)), None)
        except (ValueError, TypeError, AttributeError):
            raise invalid(field="claim_ids", code="bad_id", message="申请编号格式不正确。") from None
    if not ids:
        raise invalid(field="claim_ids", code="required", message="请选择要拨付的申请。")
    return list(ids)


def _named(items: list[str], total: int) -> list[str]:
    return items if total <= len(items) else [*items, f"等 {total} 件"]


@dataclass
class _BatchCheck:
    """What the first pass over the locked claims found (counts and a few numbers, never every claim)."""

    count: int = 0
    total_fen: int = 0
    pairs: set[tuple[str, str]] = field(default_factory=set)  # (fund source, claim region)
    missing: set[uuid.UUID] = field(default_factory=set)
    live: list[str] = field(default_factory=list)
    live_count: int = 0
    wrong: list[str] = field(default_factory=list)
    wrong_count: int = 0
    zero: str = ""
    me: Any = None  # the actor's id: claims they reviewed are gathered (four eyes)
    reviewed: list[tuple[str, str]] = field(default_factory=list)  # (claim number, claim region)

    def take(self, rows: list[tuple[Any, ...]]) -> None:
        labels = dict(ClaimStatus.choices)
        for _pk, number, status, fund_source, region_id, payable_fen, *reviewers in rows:
            if self.me is not None and self.me in reviewers:
                self.reviewed.append((number, region_id))
            if status in (ClaimStatus.IN_PAYMENT, ClaimStatus.PAID):
                self.live_count += 1
                if len(self.live) < NAMED_IN_ERRORS:
                    self.live.append(number)
            elif status != ClaimStatus.APPROVED:
                self.wrong_count += 1
                if len(self.wrong) < NAMED_IN_ERRORS:
                    self.wrong.append(f"{number}（{labels.get(status, status)}）")
            if payable_fen <= 0 and not self.zero:
                self.zero = number
            self.count += 1
            self.total_fen += payable_fen
            self.pairs.add((fund_source, region_id))


# Who reviewed a claim (受理, 初审, 复审, 审批): under ``subsidy.four_eyes.review_pay`` none of them may put it in a
# batch, export that batch or confirm its payment.
REVIEWER_FIELDS = ("accepted_by_id", "first_reviewer_id", "second_reviewer_id", "approved_by_id")


def _reviewed_refused(actor: Actor, reviewed: Iterable[tuple[str, str]], doing: str) -> None:
    """Four eyes between review and payment: refuse when the actor reviewed any of the (number, region) claims and
    the claim's region requires different people."""
    required: dict[str, bool] = {}
    numbers = []
    for number, region_id in reviewed:
        if region_id not in required:
            required[region_id] = four_eyes_required(FOUR_EYES_REVIEW_PAY, region_id)
        if required[region_id]:
            numbers.append(number)
    if numbers:
        raise SamePersonForbidden(
            f"您审核过以下申请，不能{doing}（审核与拨付须由不同人员办理）："
            + "、".join(_named(numbers[:NAMED_IN_ERRORS], len(numbers))),
            pair=FOUR_EYES_REVIEW_PAY,
            claims=numbers[:NAMED_IN_ERRORS],
        )


def _sanctioned_refused(ids: list[uuid.UUID]) -> None:
    """A sanction in force today (停业整顿, 黑名单, 吊销许可, the card rule) on a claim's training provider, applicant or
    payee holds an already-approved claim back from payment: the batch is refused naming the claims and why (the claim
    waits 待拨付 until the sanction ends or is lifted; docs/sanctions.md)."""
    orgs: dict[str, list[str]] = {}
    for start in range(0, len(ids), BATCH_SLICE):
        rows = Claim.objects.filter(pk__in=ids[start : start + BATCH_SLICE]).values_list(
            "number", "applicant_org_id", "payee_org_id", "enrollment__training_class__organization_id"
        )
        for number, *org_ids in rows:
            for org in {str(o) for o in org_ids if o}:
                orgs.setdefault(org, []).append(number)
    today_ = timezone.localdate()
    for org in sorted(orgs):
        why = sanction_refusal(org, SANCTION_CLAIM, today_)
        if why:
            numbers = sorted(set(orgs[org]))
            raise InvalidState(
                _("以下申请因机构受处罚暂停拨付：%(claims)s。%(why)s")
                % {"claims": "、".join(_named(numbers[:NAMED_IN_ERRORS], len(numbers))), "why": why},
                code=Code.CLAIM_SANCTIONED,
            )


def _reviewed_in_batch(actor: Actor, batch: PaymentBatch) -> list[tuple[str, str]]:
    me = actor_id(actor)
    if me is None:
        return []
    who = Q()
    for name in REVIEWER_FIELDS:
        who |= Q(**{f"claim__{name}": me})
    claims = list(batch.lines.filter(who).values_list("claim__number", "claim__region_id")[:1000])
    grants = batch.grant_lines.filter(Q(grant__requested_by_id=me) | Q(grant__reviewed_by_id=me))
    return claims + list(grants.values_list("grant__number", "grant__region_id")[:1000])


def _lock_and_check(actor: Actor, ids: list[uuid.UUID]) -> _BatchCheck:
    """Lock the claims in id order, slice by slice, and gather what the checks need."""
    check = _BatchCheck(me=actor_id(actor))
    ordered = sorted(ids)
    for start in range(0, len(ordered), BATCH_SLICE):
        part = ordered[start : start + BATCH_SLICE]
        rows = list(
            Claim.objects.select_for_update()
            .filter(pk__in=part)
            .order_by("pk")
            .values_list("pk", "number", "status", "fund_source", "region_id", "payable_fen", *REVIEWER_FIELDS)
        )
        seen = set(visible(Claim, actor, "records.view").filter(pk__in=part).values_list("pk", flat=True))
        check.missing |= set(part) - ({row[0] for row in rows} & seen)
        check.take([row for row in rows if row[0] in seen])
    return check


def batch_create(*, actor: Actor, claim_ids: list[Any], note: str = "") -> PaymentBatch:
    """生成拨付批次 — approved claims, locked in id order; each gets one line on its fund account. Needs
    ``finance.pay`` over every paying region.

    Set-based: the claims are locked and checked in slices (only their status, amount, fund source and region are
    read), then each slice's lines and steps are bulk-inserted and its claims updated by one statement. The audit
    entry records the count, the total, the first and last claim numbers and a SHA-256 digest of all of them."""
    ids = _claim_uuids(claim_ids)
    with transaction.atomic():
        check = _lock_and_check(actor, ids)
        if check.missing:
            first = next(i for i in ids if i in check.missing)
            raise NotFound(f"申请不存在：{first}", code="claim_not_found")
        if check.live_count:
            raise ClaimInLiveBatch(_named(check.live, check.live_count))
        if check.wrong_count:
            raise InvalidState(
                "只有审批通过（待拨付）的申请可以拨付：" + "、".join(_named(check.wrong, check.wrong_count)),
                code="claim_not_approved",
            )
        accounts = {pair: fund_account_for(*pair) for pair in sorted(check.pairs)}
        for region_code in sorted({a.region_id for a in accounts.values()}):
            require(actor, PAY, region_code=region_code)
        if check.zero:
            raise InvalidState(f"申请 {check.zero} 本次拨付金额为 0。", code="nothing_to_pay")
        held = list(
            # From the holds themselves: a filter across the reverse relation (holds__released_at__isnull=True) would
            # also match every claim that has no hold at all (a LEFT JOIN's NULL), refusing every batch.
            ClaimHold.objects.filter(claim_id__in=ids, released_at__isnull=True)
            .values_list("claim__number", flat=True)
            .distinct()[:50]
        )
        if held:
            raise InvalidState(
                "以下申请因监管线索核查止付，不能拨付：" + "、".join(_named(sorted(held), len(held))),
                code="claim_on_hold",
            )
        _sanctioned_refused(ids)
        _reviewed_refused(actor, check.reviewed, "将其列入拨付批次")
        region = common_ancestor(sorted({a.region_id for a in accounts.values()}))
        batch = PaymentBatch.objects.create(
            number=next_number(f"BF{timezone.now():%Y}{region}"),
            region_id=region,
            created_by=user_or_none(actor),
            note=note[:300],
            line_count=check.count,
            total_fen=check.total_fen,
        )
        digest, first_number, last_number = _write_lines(batch, sorted(ids), accounts, actor)
        audit_event(Event.PAYMENT_BATCH_CREATE, actor=actor, object_id=batch.pk, region_code=region,
                    after={"number": batch.number, "lines": batch.line_count, "total_fen": batch.total_fen,
                            "claims_first": first_number, "claims_last": last_number,
                            "claims_sha256": digest})  # fmt: skip
    return batch


LINE_COLUMNS = (
    "pk", "number", "region_id", "fund_source", "payable_fen", "payee_name", "payee_bank", "payee_channel",
    "payee_account_enc", "payee_account_masked",
)  # fmt: skip


def _write_lines(
    batch: PaymentBatch, ordered: list[uuid.UUID], accounts: dict[tuple[str, str], FundAccount], actor: Actor
) -> tuple[str, str, str]:
    """The lines (seq in claim-id order), the claims' status and their steps, one slice at a time. Returns the
    SHA-256 of the claim numbers (one a line, in seq order) and the first and last number."""
    digest = hashlib.sha256()
    first_number = last_number = ""
    write = _write_slice_sql if connection.vendor == "postgresql" else _write_slice_orm
    for start in range(0, len(ordered), BATCH_SLICE):
        part = ordered[start : start + BATCH_SLICE]
        try:
            with transaction.atomic():
                numbers = write(batch, part, start, accounts, actor)
        except IntegrityError:  # a line already live for one of these claims: the partial unique index held
            numbers = list(Claim.objects.filter(pk__in=part).order_by("pk").values_list("number", flat=True))
            raise ClaimInLiveBatch(_named(numbers[:NAMED_IN_ERRORS], len(numbers))) from None
        for number in numbers:
            digest.update(f"{number}\n".encode())
        first_number = first_number or numbers[0]
        last_number = numbers[-1]
    return digest.hexdigest(), first_number, last_number


def _write_slice_sql(
    batch: PaymentBatch, part: list[uuid.UUID], offset: int, accounts: dict[tuple[str, str], FundAccount], actor: Actor
) -> list[str]:
    """PostgreSQL: the slice's claim ids, each with its new line id, step id and place, go by ``COPY`` into a
    temporary table (no array of thousands of ids quoted into the statement's text and parsed back); the lines are
    one ``INSERT … SELECT`` from it, the claims one ``UPDATE … FROM … RETURNING``, the steps one ``INSERT … SELECT``.
    The claims were locked by ``_lock_and_check``; a claim already on a live line fails the lines' partial unique
    index (``IntegrityError``), so no claim is ever paid twice. Returns the claim numbers in id order."""
    now = timezone.now()
    line, claim, step = PaymentLine._meta.db_table, Claim._meta.db_table, ClaimStep._meta.db_table
    sources, regions, account_ids, account_regions = (
        [list(x) for x in zip(*((fs, rg, a.pk, a.region_id) for (fs, rg), a in accounts.items()), strict=True)]
    )  # fmt: skip
    ids = "subsidies_batch_ids"  # per session; emptied at the end of each transaction and before each slice
    with connection.cursor() as cur:
        cur.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {ids} (claim_id uuid PRIMARY KEY, line_id uuid NOT NULL, "
            "step_id uuid NOT NULL, n integer NOT NULL) ON COMMIT DELETE ROWS"
        )
        cur.execute(f"TRUNCATE {ids}")
        raw: Any = cur.cursor  # the psycopg 3 cursor under Django's wrapper
        with raw.copy(f"COPY {ids} (claim_id, line_id, step_id, n) FROM STDIN") as copy:
            copy.write("".join(f"{c.hex}\t{uuid7().hex}\t{uuid7().hex}\t{n}\n" for n, c in enumerate(part, 1)))
        cur.execute(
            f"INSERT INTO {line} (id, created_at, updated_at, batch_id, seq, claim_id, region_id, fund_account_id, "  # noqa: S608
            "amount_fen, payee_name, payee_bank, payee_channel, payee_account_enc, payee_account_masked, state, "
            "failure_reason, bank_reference) "
            "SELECT u.line_id, %(now)s, %(now)s, %(batch)s, %(offset)s + u.n, c.id, m.account_region, m.account_id, "
            "c.payable_fen, c.payee_name, c.payee_bank, c.payee_channel, c.payee_account_enc, c.payee_account_masked, "
            f"%(pending)s, '', '' FROM {ids} u JOIN {claim} c ON c.id = u.claim_id "
            "JOIN unnest(%(sources)s::text[], %(regions)s::text[], %(accounts)s::uuid[], %(account_regions)s::text[]) "
            "AS m(fund_source, region_id, account_id, account_region) "
            "ON m.fund_source = c.fund_source AND m.region_id = c.region_id",
            {"now": now, "batch": batch.pk, "offset": offset, "pending": LineState.PENDING, "sources": sources,
             "regions": regions, "accounts": account_ids, "account_regions": account_regions},
        )  # fmt: skip
        cur.execute(
            f"UPDATE {claim} c SET status = %s, updated_at = %s FROM {ids} u WHERE c.id = u.claim_id "  # noqa: S608
            "RETURNING c.id, c.number",
            [ClaimStatus.IN_PAYMENT, now],
        )
        numbers = [number for _id, number in sorted(cur.fetchall())]
        cur.execute(
            f"INSERT INTO {step} (id, claim_id, region_id, step, outcome, from_status, to_status, actor_id, "  # noqa: S608
            "actor_name, at, reason, data) SELECT u.step_id, c.id, c.region_id, 'batch', 'in_payment', %(approved)s, "
            "%(in_payment)s, %(actor)s, %(name)s, %(now)s, '', %(data)s::jsonb "
            f"FROM {ids} u JOIN {claim} c ON c.id = u.claim_id",
            {"approved": ClaimStatus.APPROVED, "in_payment": ClaimStatus.IN_PAYMENT,
             "actor": getattr(user_or_none(actor), "pk", None), "name": actor_name(actor), "now": now,
             "data": json.dumps({"batch": batch.number}, ensure_ascii=False)},
        )  # fmt: skip
    return numbers


def _write_slice_orm(
    batch: PaymentBatch, part: list[uuid.UUID], offset: int, accounts: dict[tuple[str, str], FundAccount], actor: Actor
) -> list[str]:
    """Other databases (SQLite in development and tests): the same rows through bulk_create."""
    now = timezone.now()
    user, name = user_or_none(actor), actor_name(actor)
    lines: list[PaymentLine] = []
    steps: list[ClaimStep] = []
    numbers: list[str] = []
    for row in Claim.objects.filter(pk__in=part).order_by("pk").values_list(*LINE_COLUMNS):
        pk, number, region_id, fund_source, amount, payee, bank, channel, enc, masked = row
        account = accounts[(fund_source, region_id)]
        lines.append(
            PaymentLine(
                batch=batch,
                seq=offset + len(lines) + 1,
                claim_id=pk,
                region_id=account.region_id,
                fund_account=account,
                amount_fen=amount,
                payee_name=payee,
                payee_bank=bank,
                payee_channel=channel,
                payee_account_enc=enc,
                payee_account_masked=masked,
            )  # fmt: skip
        )
        steps.append(
            ClaimStep(
                claim_id=pk,
                region_id=region_id,
                step="batch",
                outcome="in_payment",
                from_status=ClaimStatus.APPROVED,
                to_status=ClaimStatus.IN_PAYMENT,
                actor=user,
                actor_name=name,
                at=now,
                data={"batch": batch.number},
            )  # fmt: skip
        )
        numbers.append(number)
    PaymentLine.objects.bulk_create(lines, batch_size=1000)
    Claim.objects.filter(pk__in=part).update(status=ClaimStatus.IN_PAYMENT, updated_at=now)
    ClaimStep.objects.bulk_create(steps, batch_size=1000)
    return numbers


# ---- the bank payment file -------------------------------------------------------------------------------------------

# docs/subsidies.md documents this layout; the return file carries the first column back.
PAYMENT_FILE_HEADERS = [
    "明细编号", "批次号", "序号", "申请编号", "收款户名", "收款账号", "开户银行", "收款渠道",
    "金额（元）", "金额（分）", "资金来源", "资金账户地区", "用途",
]  # fmt: skip
CHANNEL_NAMES = {"bank_account": "银行账户", "social_security_card": "社会保障卡"}


def _file_rows(batch: PaymentBatch) -> Iterable[list[Any]]:
    lines = batch.lines.select_related("claim", "fund_account").order_by("seq")
    for line in lines.iterator(chunk_size=2000):  # streamed: a batch of 100,000 lines is never held as objects
        if line.state == LineState.FAILED:
            continue
        yield [
            str(line.pk),
            batch.number,
            line.seq,
            line.claim.number,
            line.payee_name,
            decrypt(line.payee_account_enc, context=ACCOUNT_CONTEXT) if line.payee_account_enc else "",
            line.payee_bank,
            CHANNEL_NAMES.get(line.payee_channel, line.payee_channel),
            f"{line.amount_fen // 100}.{line.amount_fen % 100:02d}",
            line.amount_fen,
            line.fund_account.get_fund_source_display(),
            line.fund_account.region_id,
            f"{line.claim.get_subsidy_type_display()} {line.claim.number}",
        ]
    # One-off grants to bases and studios ride the same file, numbered after the claims' lines (ADR 0024).
    offset = batch.lines.count()
    grant_lines = batch.grant_lines.select_related("grant", "fund_account").order_by("seq")
    for g in grant_lines.iterator(chunk_size=500):
        if g.state == LineState.FAILED:
            continue
        grant = g.grant
        yield [
            str(g.pk),
            batch.number,
            offset + g.seq,
            grant.number,
            g.payee_name,
            decrypt(grant.payee_account_enc, context=ACCOUNT_CONTEXT) if grant.payee_account_enc else "",
            grant.payee_bank,
            CHANNEL_NAMES["bank_account"],
            f"{g.amount_fen // 100}.{g.amount_fen % 100:02d}",
            g.amount_fen,
            g.fund_account.get_fund_source_display(),
            g.fund_account.region_id,
            f"基地与工作室一次性补助 {grant.number}",
        ]


def bank_file(*, actor: Actor, batch: PaymentBatch, fmt: str) -> tuple[bytes, str, str]:
    """The bank payment file (CSV, UTF-8 with BOM, or xlsx): full account numbers, every cell formula-escaped.
    The export is audited; the batch becomes "exported"."""
    require(actor, PAY, region_code=batch.region_id)
    if fmt not in ("csv", "xlsx"):
        raise invalid(field="format", code="bad_choice", message="格式只能是 csv 或 xlsx。")
    _reviewed_refused(actor, _reviewed_in_batch(actor, batch), "导出含有这些申请的支付文件")
    count = 0
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(PAYMENT_FILE_HEADERS)
        for row in _file_rows(batch):
            writer.writerow([escape_cell(v) for v in row])
            count += 1
        content = ("\ufeff" + buffer.getvalue()).encode("utf-8")
        mime = "text/csv; charset=utf-8"
    else:
        xlsx = XlsxWriter(PAYMENT_FILE_HEADERS, title="支付明细")
        for row in _file_rows(batch):
            xlsx.append(row)
            count += 1
        out = io.BytesIO()
        xlsx.save(out)
        content = out.getvalue()
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    with transaction.atomic():
        if batch.status == BatchStatus.CREATED:
            PaymentBatch.objects.filter(pk=batch.pk, status=BatchStatus.CREATED).update(
                status=BatchStatus.EXPORTED, exported_at=timezone.now(), exported_by=user_or_none(actor)
            )
        audit_event(Event.PAYMENT_BATCH_EXPORT, actor=actor, object_id=batch.pk, region_code=batch.region_id,
                    after={"format": fmt, "lines": count, "accounts": "收款账号明文（银行支付文件）"})  # fmt: skip
    return content, f"{batch.number}.{fmt}", mime


# ---- the bank's return file ----------------------------------------------------------------------------------------

PAID_WORDS = {"paid", "success", "成功", "支付成功", "已支付", "1"}
FAILED_WORDS = {"failed", "fail", "失败", "支付失败", "退票", "0"}


@dataclass(frozen=True)
class ReturnRow:
    row: int
    line_id: str
    claim_number: str
    result: str  # as written in the file
    reason: str = ""
    bank_reference: str = ""
    amount_fen: int | None = None


# A return answers one batch at most: its claim lines (``BatchIn``: 5000) and its grant lines (``MAX_GRANTS_PER_BATCH``).
MAX_RETURN_ROWS = 5500
# The longest text each column of a return row may hold (the line's own columns are no longer).
RETURN_TEXT_MAX = {"line_id": 36, "claim_number": 40, "result": 20, "reason": 300, "bank_reference": 64}
RETURN_TEXT_LABELS = {"line_id": "明细编号", "claim_number": "申请编号", "result": "支付结果", "reason": "失败原因",
                      "bank_reference": "银行流水号"}  # fmt: skip


@dataclass(frozen=True)
class ReturnIssue:
    row: int
    field: str
    code: str
    message: str


def _outcome(word: str) -> str | None:
    w = (word or "").strip().lower()
    if w in PAID_WORDS:
        return LineState.PAID
    if w in FAILED_WORDS:
        return LineState.FAILED
    return None


def _line_uuid(text: str) -> uuid.UUID | None:
    if not re.fullmatch(r"[0-9a-fA-F-]{32,36}", text or ""):
        return None
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def _find_lines(rows: list[ReturnRow], batch: PaymentBatch | None) -> dict[int, PaymentLine]:
    """Row number → its line, looked up for all rows at once (by line id, else the claim's latest not-failed line),
    a slice of ids or numbers per query."""
    qs = PaymentLine.objects.select_related("claim", "batch", "fund_account")
    if batch is not None:
        qs = qs.filter(batch=batch)
    by_id: dict[uuid.UUID, PaymentLine] = {}
    by_number: dict[str, PaymentLine] = {}
    wanted_ids = sorted({u for r in rows if r.line_id and (u := _line_uuid(r.line_id)) is not None})
    wanted_numbers = sorted({r.claim_number for r in rows if not r.line_id and r.claim_number})
    for start in range(0, len(wanted_ids), BATCH_SLICE):
        by_id.update((line.pk, line) for line in qs.filter(pk__in=wanted_ids[start : start + BATCH_SLICE]))
    for start in range(0, len(wanted_numbers), BATCH_SLICE):
        part = wanted_numbers[start : start + BATCH_SLICE]
        live = qs.filter(claim__number__in=part).exclude(state=LineState.FAILED).order_by("created_at")
        by_number.update((line.claim.number, line) for line in live)  # the latest line of a claim wins
    found: dict[int, PaymentLine] = {}
    for r in rows:
        line = None
        if r.line_id:
            u = _line_uuid(r.line_id)
            line = by_id.get(u) if u is not None else None
        elif r.claim_number:
            line = by_number.get(r.claim_number)
        if line is not None:
            found[r.row] = line
    return found


def _find_grant_lines(rows: list[ReturnRow], batch: PaymentBatch | None, taken: set[int]) -> dict[int, GrantLine]:
    """Row number → its grant line, for the rows no claim line answered: by line id, else by the grant's number (its
    latest line not failed). A return carries a handful of grants; one query each way."""
    rest = [r for r in rows if r.row not in taken]
    if not rest:
        return {}
    qs = GrantLine.objects.select_related("grant", "batch", "fund_account")
    if batch is not None:
        qs = qs.filter(batch=batch)
    ids = sorted({u for r in rest if r.line_id and (u := _line_uuid(r.line_id)) is not None})[:BATCH_SLICE]
    numbers = sorted({r.claim_number for r in rest if not r.line_id and r.claim_number})[:BATCH_SLICE]
    by_id = {g.pk: g for g in qs.filter(pk__in=ids)} if ids else {}
    by_number: dict[str, GrantLine] = {}
    if numbers:
        live = qs.filter(grant__number__in=numbers).exclude(state=LineState.FAILED).order_by("created_at")
        by_number.update((g.grant.number, g) for g in live)
    found: dict[int, GrantLine] = {}
    for r in rest:
        u = _line_uuid(r.line_id) if r.line_id else None
        g = by_id.get(u) if u is not None else (by_number.get(r.claim_number) if not r.line_id else None)
        if g is not None:
            found[r.row] = g
    return found


def _same_person_grant(actor: Actor, line: GrantLine, required: dict[tuple[str, str], bool]) -> str:
    """Four eyes on confirming a grant's payment, as ``grants.grant_line_confirm`` checks it ("" when allowed)."""
    me = actor_id(actor)
    if me is None:
        return ""
    for key, people, region_id, why in (
        (FOUR_EYES_BATCH_CONFIRM, (line.batch.created_by_id, line.batch.exported_by_id), line.region_id,
         "生成或导出该批次的人员不能确认其回盘（须由另一人确认）"),
        (FOUR_EYES_REVIEW_PAY, (line.grant.requested_by_id, line.grant.reviewed_by_id), line.grant.region_id,
         "申请或审核过该补助的人员不能确认其支付结果"),
    ):  # fmt: skip
        if me in people:
            if (key, region_id) not in required:
                required[(key, region_id)] = four_eyes_required(key, region_id)
            if required[(key, region_id)]:
                return why
    return ""


def _line_number(line: PaymentLine | GrantLine) -> str:
    return line.grant.number if isinstance(line, GrantLine) else line.claim.number


def _same_person(actor: Actor, line: PaymentLine, required: dict[tuple[str, str], bool]) -> str:
    """Four eyes on confirming a payment: why the actor may not confirm this line ("" when they may)."""
    me = actor_id(actor)
    if me is None:
        return ""

    def on(key: str, region_id: str) -> bool:
        if (key, region_id) not in required:
            required[(key, region_id)] = four_eyes_required(key, region_id)
        return required[(key, region_id)]

    if me in (line.batch.created_by_id, line.batch.exported_by_id) and on(FOUR_EYES_BATCH_CONFIRM, line.region_id):
        return "生成或导出该批次的人员不能确认其回盘（须由另一人确认）"
    if me in [getattr(line.claim, name) for name in REVIEWER_FIELDS] and on(FOUR_EYES_REVIEW_PAY, line.claim.region_id):
        return "审核过该申请的人员不能确认其支付结果"
    return ""


ReturnAction = tuple[ReturnRow, PaymentLine | GrantLine, str]


def return_row_too_long(row: ReturnRow) -> ReturnIssue | None:
    """The first text of the row longer than its column allows (``too_long``), or None."""
    for name, limit in RETURN_TEXT_MAX.items():
        value = str(getattr(row, name) or "")
        if len(value) > limit:
            return ReturnIssue(row.row, name, Code.TOO_LONG,
                               f"{RETURN_TEXT_LABELS[name]}超过 {limit} 个字符（共 {len(value)} 个）")  # fmt: skip
    return None


def return_rows_bounded(rows: list[ReturnRow]) -> None:
    """A return of more rows than a batch can hold is refused whole (``too_many_rows`` on ``lines``)."""
    if len(rows) > MAX_RETURN_ROWS:
        raise invalid(field="lines", code=Code.TOO_MANY_ROWS,
                      message=f"回盘文件最多 {MAX_RETURN_ROWS} 行（本文件 {len(rows)} 行），未做任何确认。")  # fmt: skip


def bank_references_taken(refs: set[str]) -> dict[str, Any]:
    """银行流水号 → the line (claim or grant) already holding it: a bank reference confirms one line only."""
    taken: dict[str, Any] = {}
    ordered = sorted(refs)
    for start in range(0, len(ordered), BATCH_SLICE):
        part = ordered[start : start + BATCH_SLICE]
        taken.update(PaymentLine.objects.filter(bank_reference__in=part).values_list("bank_reference", "pk"))
        taken.update(GrantLine.objects.filter(bank_reference__in=part).values_list("bank_reference", "pk"))
    return taken


def _bank_reference_issue(
    row: ReturnRow, line: PaymentLine | GrantLine, number: str, taken: dict[str, Any], in_file: dict[str, int]
) -> ReturnIssue | None:
    ref = row.bank_reference.strip()
    if not ref:
        return None
    if ref in in_file and in_file[ref] != row.row:
        return ReturnIssue(row.row, "bank_reference", Code.DUPLICATE_BANK_REFERENCE,
                           f"银行流水号 {ref} 在文件第{in_file[ref]}行已用于另一条明细（每笔支付一个流水号）")  # fmt: skip
    if ref in taken and taken[ref] != line.pk:
        return ReturnIssue(row.row, "bank_reference", Code.DUPLICATE_BANK_REFERENCE,
                           f"银行流水号 {ref} 已用于确认另一条支付明细，不能再确认明细 {number}")  # fmt: skip
    return None


def return_check(
    rows: list[ReturnRow], *, actor: Actor, batch: PaymentBatch | None = None, amounts_required: bool = False,
    in_file: dict[str, int] | None = None, references_required: bool = False,
) -> tuple[list[ReturnIssue], list[ReturnAction]]:  # fmt: skip
    """Validate return lines: each names a line of a live batch — a claim's or a grant's (unknown →
    ``unknown_payment_line``), a result (paid/failed), the amount it was sent with (required in a return file:
    ``amounts_required``), a reason for a failure, texts within their columns (``too_long``) and a bank reference
    no other line holds, in the file or before (``duplicate_bank_reference``; ``in_file`` carries the references of
    earlier parts of the same file). A line confirmed paid — from the return file, by hand or through the API —
    carries its bank reference (``references_required``, which every one of them sets: the bank's return gives each
    successful payment its 交易流水号, a claim's line and a grant's alike; a grant's line always needs it; only the
    demo's and tests' direct calls may omit a claim line's). A failed line needs its reason, not a reference.
    Returns (issues, actions)."""
    issues: list[ReturnIssue] = []
    actions: list[ReturnAction] = []
    seen: set[Any] = set()
    long = {row.row: issue for row in rows if (issue := return_row_too_long(row)) is not None}
    issues.extend(long.values())
    rows = [row for row in rows if row.row not in long]
    lines: dict[int, PaymentLine | GrantLine] = {}
    lines.update(_find_lines(rows, batch))
    lines.update(_find_grant_lines(rows, batch, set(lines)))
    taken = bank_references_taken({r.bank_reference.strip() for r in rows if r.bank_reference.strip()})
    in_file = in_file if in_file is not None else {}
    allowed: dict[str, bool] = {}
    required: dict[tuple[str, str], bool] = {}
    for row in rows:
        line = lines.get(row.row)
        ref = row.line_id or row.claim_number
        if line is None:
            where = f"批次 {batch.number} 中" if batch is not None else ""
            issues.append(
                ReturnIssue(
                    row.row,
                    "line_id",
                    "unknown_payment_line",
                    f"{where}没有明细 {ref!r}（未知的申请或支付明细），不予处理",
                )
            )
            continue
        if line.region_id not in allowed:
            allowed[line.region_id] = can(actor, PAY, region_code=line.region_id)
        if not allowed[line.region_id]:
            issues.append(ReturnIssue(row.row, "line_id", "permission_denied", f"明细 {ref} 不在您的拨付权限范围内"))
            continue
        if line.pk in seen:
            issues.append(ReturnIssue(row.row, "line_id", "duplicate_row", f"明细 {ref} 在文件中重复出现"))
            continue
        number = _line_number(line)
        if isinstance(line, GrantLine):
            same = _same_person_grant(actor, line, required)
        else:
            same = _same_person(actor, line, required)
        if same:
            issues.append(ReturnIssue(row.row, "line_id", "same_person_forbidden", f"明细 {number}：{same}"))
            continue
        if line.batch.status == BatchStatus.CREATED:
            issues.append(ReturnIssue(row.row, "line_id", Code.BATCH_NOT_EXPORTED,
                                      f"批次 {line.batch.number} 尚未导出支付文件，不能确认回盘（须先导出并交银行支付）"))  # fmt: skip
            continue
        seen.add(line.pk)
        outcome = _outcome(row.result)
        if outcome is None:
            issues.append(
                ReturnIssue(row.row, "result", "bad_result", f"支付结果 {row.result!r} 无法识别（应为 成功 或 失败）")
            )
            continue
        if row.amount_fen is None and amounts_required:
            issues.append(ReturnIssue(row.row, "amount", Code.REQUIRED,
                                      f"明细 {number} 未填写金额：回盘的每一行须有金额，与支付文件核对后才能确认"))  # fmt: skip
            continue
        if row.amount_fen is not None and row.amount_fen != line.amount_fen:
            issues.append(
                ReturnIssue(
                    row.row,
                    "amount",
                    "amount_mismatch",
                    f"明细 {number} 金额 {format_fen(row.amount_fen)} 与支付文件 {format_fen(line.amount_fen)} 不符",
                )  # fmt: skip
            )
            continue
        if outcome == LineState.FAILED and not row.reason.strip():
            issues.append(ReturnIssue(row.row, "reason", "reason_required", f"明细 {number} 支付失败须写明原因"))
            continue
        if (
            outcome == LineState.PAID
            and not row.bank_reference.strip()
            and (references_required or isinstance(line, GrantLine))
        ):
            what = "补助" if isinstance(line, GrantLine) else "明细"
            issues.append(ReturnIssue(row.row, "bank_reference", "required",
                                      f"{what} {number} 支付成功须填写银行流水号（银行回单上的交易流水号）"))  # fmt: skip
            continue
        dup = _bank_reference_issue(row, line, number, taken, in_file)
        if dup is not None:
            issues.append(dup)
            continue
        if row.bank_reference.strip():
            in_file.setdefault(row.bank_reference.strip(), row.row)
        if line.state != LineState.PENDING:
            if line.state == outcome:
                continue  # the same return again: nothing to do
            issues.append(
                ReturnIssue(
                    row.row,
                    "result",
                    "line_already_confirmed",
                    f"明细 {number} 已确认为「{line.get_state_display()}」，与回盘结果不符",
                )  # fmt: skip
            )
            continue
        actions.append((row, line, outcome))
    return issues, actions


def _settle(batch_ids: set[Any]) -> None:
    for batch in PaymentBatch.objects.filter(pk__in=batch_ids):
        pending = (
            batch.lines.filter(state=LineState.PENDING).exists()
            or batch.grant_lines.filter(state=LineState.PENDING).exists()
        )
        if not pending and batch.status != BatchStatus.SETTLED:
            batch.status = BatchStatus.SETTLED
            batch.settled_at = timezone.now()
            batch.save(update_fields=["status", "settled_at", "updated_at"])


def returns_apply(
    *,
    actor: Actor,
    rows: list[ReturnRow],
    batch: PaymentBatch | None = None,
    amounts_required: bool = False,
    references_required: bool = False,
) -> dict[str, int]:
    """回盘确认 — all or nothing: any bad line refuses the whole return (422, each line's rule and figures). A return
    file (the API, the import) gives every row its amount (``amounts_required``); a line confirmed by hand on the
    batch page is picked from the page, which shows its amount."""
    if batch is not None:
        require(actor, PAY, region_code=batch.region_id)
    return_rows_bounded(rows)
    with transaction.atomic():
        issues, actions = return_check(rows, actor=actor, batch=batch, amounts_required=amounts_required,
                                       references_required=references_required)  # fmt: skip
        same = [i for i in issues if i.code == "same_person_forbidden"]
        if same:
            raise SamePersonForbidden(
                f"回盘有 {len(same)} 行须由另一人确认，未做任何确认："
                + "；".join(f"第{i.row}行 {i.message}" for i in same[:5]),
                pair=FOUR_EYES_BATCH_CONFIRM,
            )
        if issues:
            raise ValidationFailed(
                f"回盘文件有 {len(issues)} 行不能处理，未做任何确认："
                + "；".join(f"第{i.row}行 {i.message}" for i in issues[:5]),
                [FieldError(i.field, i.code, i.message, row=i.row) for i in issues],
                code="return_rejected",
            )
        apply_actions(actions, actor=actor)
    return {
        "paid": sum(1 for a in actions if a[2] == LineState.PAID),
        "failed": sum(1 for a in actions if a[2] == LineState.FAILED),
        "unchanged": len(rows) - len(actions),
    }


def apply_actions(actions: list[ReturnAction], *, actor: Actor) -> None:
    """Confirm the checked lines, set-based: lines locked in id order a slice at a time (those no longer pending are
    skipped), their claims locked; then per slice one bulk update of the lines, one UPDATE of the claims per
    outcome, the payment postings and their entries, and the steps, bulk-inserted. Audit: per batch one entry per
    outcome with the count and a digest of its claims, and the batch's return summary. A grant's line is confirmed
    as on its own page (``grants.grant_line_confirm``: posted once, audited per grant)."""
    for row, line, outcome in actions:
        if isinstance(line, GrantLine):
            grant_line_confirm(actor=actor, line=line, paid=outcome == LineState.PAID,
                               bank_reference=row.bank_reference, reason=row.reason)  # fmt: skip
    wanted = {line.pk: (row, outcome) for row, line, outcome in actions if isinstance(line, PaymentLine)}
    if not wanted:
        return
    ordered = sorted(wanted)
    done: dict[Any, dict[str, list[dict[str, Any]]]] = {}  # batch id → outcome → audit rows
    for start in range(0, len(ordered), BATCH_SLICE):
        part = ordered[start : start + BATCH_SLICE]
        _confirm_slice(part, wanted, actor, done)
    batch_ids = set(done)
    _settle(batch_ids)
    for batch in PaymentBatch.objects.filter(pk__in=batch_ids).order_by("pk"):
        outcomes = done[batch.pk]
        for outcome, event in ((LineState.PAID, Event.CLAIM_PAID), (LineState.FAILED, Event.CLAIM_PAYMENT_FAILED)):
            if outcomes.get(outcome):
                audit_event(event, actor=actor, rows=outcomes[outcome], region_code=batch.region_id,
                            after={"batch": batch.number})  # fmt: skip
        audit_event(Event.PAYMENT_BATCH_RETURN, actor=actor, object_id=batch.pk, region_code=batch.region_id,
                    after={"paid": len(outcomes.get(LineState.PAID, [])),
                           "failed": len(outcomes.get(LineState.FAILED, [])), "status": batch.status})  # fmt: skip


def _confirm_slice(
    part: list[Any],
    wanted: dict[Any, tuple[ReturnRow, str]],
    actor: Actor,
    done: dict[Any, dict[str, list[dict[str, Any]]]],
) -> None:
    now = timezone.now()
    user, name = user_or_none(actor), actor_name(actor)
    lines = list(
        PaymentLine.objects.select_for_update(of=("self",))
        .select_related("claim", "batch", "fund_account")
        .filter(pk__in=part, state=LineState.PENDING)
        .order_by("pk")
    )
    if not lines:
        return
    before = dict(
        Claim.objects.select_for_update()
        .filter(pk__in=sorted({line.claim_id for line in lines}))
        .order_by("pk")
        .values_list("pk", "status")
    )
    txns: list[LedgerTransaction] = []
    steps: list[ClaimStep] = []
    paid_claims: list[Any] = []
    failed_claims: list[Any] = []
    for line in lines:
        row, outcome = wanted[line.pk]
        line.state = outcome
        line.bank_reference = row.bank_reference.strip()[:64]
        line.failure_reason = row.reason.strip()[:300] if outcome == LineState.FAILED else ""
        line.confirmed_at = now
        line.confirmed_by = user
        line.updated_at = now
        claim = line.claim
        audit_row: dict[str, Any] = {"claim": claim.number, "line": str(line.pk), "amount_fen": line.amount_fen}
        if outcome == LineState.PAID:
            paid_claims.append(claim.pk)
            txns.append(
                LedgerTransaction(
                    kind=LedgerKind.PAYMENT,
                    fund_account=line.fund_account,
                    region_id=line.fund_account.region_id,
                    amount_fen=line.amount_fen,
                    reference=str(line.pk),
                    memo=f"{line.batch.number} #{line.seq} {claim.number}"[:300],
                    created_by=user,
                )  # fmt: skip
            )
            to_status, step, data = ClaimStatus.PAID, ("paid", "paid"), {
                "batch": line.batch.number, "amount_fen": line.amount_fen, "bank_reference": line.bank_reference}  # fmt: skip
            audit_row["bank_reference"] = line.bank_reference
        else:
            failed_claims.append(claim.pk)
            to_status, step, data = (
                ClaimStatus.PAYMENT_FAILED,
                ("payment_failed", "failed"),
                {"batch": line.batch.number},
            )
            audit_row["reason"] = line.failure_reason
        steps.append(
            ClaimStep(
                claim_id=claim.pk,
                region_id=claim.region_id,
                step=step[0],
                outcome=step[1],
                from_status=before.get(claim.pk, claim.status),
                to_status=to_status,
                actor=user,
                actor_name=name,
                at=now,
                reason=line.failure_reason,
                data=data,
            )  # fmt: skip
        )
        done.setdefault(line.batch_id, {}).setdefault(outcome, []).append(audit_row)
    try:
        with transaction.atomic():
            PaymentLine.objects.bulk_update(
                lines, ["state", "bank_reference", "failure_reason", "confirmed_at", "confirmed_by", "updated_at"],
                batch_size=1000,
            )  # fmt: skip
    except IntegrityError:  # the unique 银行流水号 held against a concurrent return
        raise Conflict("银行流水号已用于确认另一条支付明细。", code=Code.DUPLICATE_BANK_REFERENCE) from None
    if paid_claims:
        Claim.objects.filter(pk__in=paid_claims).update(status=ClaimStatus.PAID, paid_at=now, updated_at=now)
    if failed_claims:
        Claim.objects.filter(pk__in=failed_claims).update(status=ClaimStatus.PAYMENT_FAILED, updated_at=now)
    try:
        with transaction.atomic():
            post_payments(txns)
    except IntegrityError:
        raise Conflict("该支付明细已记账。", code="already_posted") from None
    ClaimStep.objects.bulk_create(steps, batch_size=1000)


# ---- after a failed payment --------------------------------------------------------------------------------------


def payee_change_request(
    *, actor: Actor, claim: Claim, payee_bank: str, payee_account: str, reason: str
) -> PayeeChange:
    """申请变更收款信息 — after a failed payment the applicant, its organization's staff or an official asks for a new
    account, with the reason. The claim stays 支付失败 until a different official with review rights approves
    (``payee_change_decide``); the new account is encrypted at rest and shown masked."""
    reason = reason_required(reason)
    if not (
        can(actor, REVIEW, region_code=claim.region_id)
        or (claim.applicant_user_id and getattr(actor, "pk", None) == claim.applicant_user_id)
        or is_org_staff(actor, claim.applicant_org_id)
    ):
        require(actor, REVIEW, region_code=claim.region_id)
    account = re.sub(r"[\s-]", "", payee_account or "")
    if not re.fullmatch(r"\d{8,30}", account):
        raise invalid(field="payee_account", code="bank_account_bad_format", message="收款账号应为8–30位数字。")
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        if claim.status != ClaimStatus.PAYMENT_FAILED:
            raise InvalidState("只有支付失败的申请可以变更收款信息。", code="claim_not_failed")
        if claim.payee_changes.filter(status=RequestStatus.PENDING).exists():
            raise Conflict("该申请已有待审核的收款信息变更。", code="payee_change_pending")
        change = PayeeChange.objects.create(
            claim=claim, region_id=claim.region_id, payee_bank=(payee_bank or claim.payee_bank).strip()[:100],
            payee_account_enc=encrypt(account, context=ACCOUNT_CONTEXT), payee_account_masked=mask_bank_account(account),
            previous_account_masked=claim.payee_account_masked, reason=reason, requested_by=user_or_none(actor),
            requested_by_name=actor_name(actor)[:150],
        )  # fmt: skip
        step_record(claim=claim, step="payee_change_request", actor=actor, outcome="pending",
                    from_status=claim.status, reason=reason,
                    data={"change": str(change.pk), "before": change.previous_account_masked,
                          "payee_account": change.payee_account_masked, "payee_bank": change.payee_bank})  # fmt: skip
    return change


def payee_change_decide(*, actor: Actor, change: PayeeChange, approve: bool, reason: str = "") -> PayeeChange:
    """审核收款信息变更 — an official with review rights over the claim, not the one who asked
    (``subsidy.four_eyes.payee_change``), approves (the claim takes the new account and is 审批通过 again, payable in
    a new batch) or rejects it (a reason required; the claim stays 支付失败)."""
    require(actor, REVIEW, region_code=change.region_id)
    if not approve:
        reason = reason_required(reason)
    with transaction.atomic():
        change = PayeeChange.objects.select_for_update().get(pk=change.pk)
        if change.status != RequestStatus.PENDING:
            raise InvalidState("该变更申请已处理。", code="request_closed")
        claim = Claim.objects.select_for_update().get(pk=change.claim_id)
        if getattr(actor_user(actor), "pk", None) == claim.applicant_user_id and claim.applicant_user_id:
            raise SamePersonForbidden("申请人不能审核本人申请的收款信息变更。", pair=FOUR_EYES_PAYEE_CHANGE)
        forbid_same(actor, [change.requested_by_id], pair_key=FOUR_EYES_PAYEE_CHANGE, region_code=claim.region_id,
                    message="收款信息变更须由申请人以外的另一名审核人员审核。")  # fmt: skip
        if claim.status != ClaimStatus.PAYMENT_FAILED:
            raise InvalidState("该申请已不是「支付失败」状态，不能变更收款信息。", code="claim_not_failed")
        change.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
        change.decided_by = user_or_none(actor)
        change.decided_at = timezone.now()
        change.decision_reason = (reason or "").strip()[:2000]
        change.save()
        before = {"payee_account": claim.payee_account_masked, "payee_bank": claim.payee_bank}
        if approve:
            claim.payee_account_enc = change.payee_account_enc
            claim.payee_account_masked = change.payee_account_masked
            claim.payee_bank = change.payee_bank or claim.payee_bank
            claim.status = ClaimStatus.APPROVED
            claim.save(update_fields=["payee_account_enc", "payee_account_masked", "payee_bank", "status",
                                      "updated_at"])  # fmt: skip
        step_record(claim=claim, step="payee_change_" + ("approve" if approve else "reject"), actor=actor,
                    outcome=change.status, from_status=ClaimStatus.PAYMENT_FAILED, reason=change.decision_reason,
                    data={"change": str(change.pk), "before": before, "payee_account": change.payee_account_masked,
                          "requested_by": change.requested_by_name})  # fmt: skip
    return change


def claim_clawback(*, actor: Actor, claim: Claim, reason: str, amount_fen: int | None = None) -> Debt:
    """追回 — a paid claim found invalid: the claim is clawed back, the payee's debt recorded, the expense reversed
    into a receivable. ``amount_fen``: a part of what was paid (a recovery order's amount); all of it by default."""
    reason = reason_required(reason)
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        if claim.status != ClaimStatus.PAID:
            raise InvalidState("只有已拨付的申请可以追回。", code="claim_not_paid")
        line = claim.payment_lines.select_related("fund_account").filter(state=LineState.PAID).first()
        if line is None:
            raise InvalidState("没有找到该申请的支付明细。", code="no_paid_line")
        require(actor, PAY, region_code=line.region_id)
        owed = line.amount_fen if amount_fen is None else amount_fen
        if isinstance(owed, bool) or not isinstance(owed, int) or not 0 < owed <= line.amount_fen:
            raise invalid(field="amount_fen", code="over_recovery",
                          message=f"追回金额应为正数且不超过已拨付的 {format_fen(line.amount_fen)}。")  # fmt: skip
        debt = Debt.objects.create(
            claim=claim,
            fund_account=line.fund_account,
            region_id=line.region_id,
            payee_kind=claim.payee_kind,
            payee_name=claim.payee_name,
            person_id=claim.person_id if claim.payee_kind == "person" else None,
            organization=claim.payee_org,
            amount_fen=owed,
            reason=reason,
        )
        try:
            with transaction.atomic():
                post(kind=LedgerKind.CLAWBACK, account=line.fund_account, amount_fen=owed,
                     reference=str(claim.pk), memo=f"追回 {claim.number}：{reason}", actor=actor)  # fmt: skip
        except IntegrityError:
            raise Conflict("该申请已追回。", code="already_clawed_back") from None
        claim.status = ClaimStatus.CLAWED_BACK
        claim.closing_reason = reason
        claim.save(update_fields=["status", "closing_reason", "updated_at"])
        step_record(claim=claim, step="clawback", actor=actor, outcome="clawed_back", from_status=ClaimStatus.PAID,
                    reason=reason, data={"amount_fen": owed, "debt": str(debt.pk)})  # fmt: skip
    return debt


def debt_receive(*, actor: Actor, debt: Debt, amount_fen: int, memo: str = "") -> LedgerTransaction:
    """Money back on a debt (locked by the caller, inside its transaction): never more than is still owed; the
    ledger's 追回到账 (Dr 资金存款 / Cr 应收追回款) posted, the debt settled when nothing is left."""
    left = debt.amount_fen - debt.recovered_fen
    if amount_fen > left:
        raise invalid(
            field="amount_fen",
            code="over_recovery",
            message=f"追回金额 {format_fen(amount_fen)} 超过未追回余额 {format_fen(left)}。",
        )
    txn = post(kind=LedgerKind.RECOVERY, account=debt.fund_account, amount_fen=amount_fen,
               reference=str(debt.pk), memo=memo or f"追回到账 {debt.claim.number}", actor=actor)  # fmt: skip
    debt.recovered_fen += amount_fen
    if debt.recovered_fen == debt.amount_fen:
        debt.status = DebtStatus.SETTLED
    debt.save(update_fields=["recovered_fen", "status", "updated_at"])
    audit_event(Event.DEBT_RECOVER, actor=actor, object_id=debt.pk,
                region_code=debt.region_id, after={"amount_fen": amount_fen, "recovered_fen": debt.recovered_fen})  # fmt: skip
    return txn
