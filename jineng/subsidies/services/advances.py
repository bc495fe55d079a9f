"""企业新型学徒制补贴预支 — the advance of the apprenticeship subsidy and its recovery (DOMAIN.md: "up to 50% paid in
advance and recovered if the plan is not completed").

- ``advance_submit`` — the enterprise (its staff, ``org.edit``) asks, for one plan year of an active apprentice, for
  ``apprenticeship.advance_percent`` (default 50, at most 50) of the year's standard in the apprenticeship policy in
  force (the most specific amount row for the plan's level and occupation, before any shortage float). The advance is
  a claim of its own (``event_kind = apprentice_advance``, key ``apprentice_advance:<apprentice>:<year>``): it goes
  through the same review (受理 → 初审 → 复审 → 公示 → 审批) and the same payment batch and ledger as every claim. It
  counts toward no person's limits (``counters`` empty) and not in the plan indicators — the year's claim does.
- The year's claim (``apprentice_year``) deducts the advance (``claims._advance_deducted``): it pays the rest; while
  the advance is still under review the year's claim is refused (``advance_pending``).
- ``advance_recover`` — when the apprentice's plan ended unfinished (terminated early, or assessed 不合格), a paid
  advance is recovered through a 追回单 (a reason required): a second person's 复核 claws the claim back (a ``Debt`` of
  the enterprise and the ledger's clawback line); money back is recorded and confirmed on the order as any other.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from jineng.accounts.api import Actor, Organization
from jineng.common.errors import Conflict, InvalidState, NotFound, PermissionDenied, invalid
from jineng.rules.subsidy import format_fen
from jineng.rules.subsidy.advance import MAX_ADVANCE_PERCENT, advance_fen, year_standard_fen
from jineng.subsidies import facts as fx
from jineng.subsidies.catalog import LIVE_STATUSES, ApplicantKind, ClaimStatus, EventKind, SubsidyType
from jineng.subsidies.errors import Code
from jineng.subsidies.models import Claim, RecoveryOrder
from jineng.subsidies.services.claims import ClaimInput, insert_computed
from jineng.subsidies.services.policies import policy_for, rules_of
from jineng.subsidies.services.recovery import claim_recovery_order
from jineng.subsidies.services.support import is_org_staff, lock_person, setting_int, step_record, today
from jineng.subsidies.settings_specs import ADVANCE_PERCENT

# How many plan years an advance may be asked for (the plan's own length is checked by training: 3 at most).
MAX_PLAN_YEARS = 3


def advance_key(apprentice_id: Any, year_no: int) -> str:
    return f"{EventKind.APPRENTICE_ADVANCE}:{apprentice_id}:{year_no}"


def advance_submit(
    *, actor: Actor, apprentice_id: Any, year_no: Any, payee_bank: str, payee_account: str, on: dt.date | None = None
) -> Claim:
    """申请预支 — see the module. Refusals: ``event_not_found`` (404), 403 when the actor is not the enterprise's
    staff, ``bad_range`` (year), ``apprentice_not_active``, ``year_not_started`` (the plan year begins later),
    ``advance_outstanding`` (an earlier year's advance not yet deducted by that year's claim), ``no_advance`` (the region's percent is 0),
    ``no_policy`` / ``no_standard``, ``duplicate_claim`` (409: an advance or the year's claim exists)."""
    state = fx.apprentice_state(apprentice_id)
    if state is None:
        raise NotFound("未找到该学徒。", code=Code.EVENT_NOT_FOUND)
    if not is_org_staff(actor, state.organization_id):
        raise PermissionDenied("只有学徒所在企业的经办人员可以申请预支。")
    if isinstance(year_no, bool) or not isinstance(year_no, int) or not 1 <= year_no <= MAX_PLAN_YEARS:
        raise invalid(field="year_no", code=Code.BAD_RANGE, message=f"培养年度应为 1 至 {MAX_PLAN_YEARS}。")
    if year_no > state.plan_years:
        raise invalid(field="year_no", code=Code.BAD_RANGE,
                      message=f"该学徒的培养计划共 {state.plan_years} 个年度，没有第{year_no}年度。")  # fmt: skip
    if state.status != "active":
        raise InvalidState("该学徒已结束培养，不能申请预支。", code=Code.APPRENTICE_NOT_ACTIVE)
    now = on or today()
    begins = state.year_start(year_no)
    if begins is not None and begins > now:
        raise invalid(field="year_no", code=Code.YEAR_NOT_STARTED,
                      message=f"第{year_no}年度自 {begins:%Y-%m-%d} 开始，培养年度开始后方可预支。")  # fmt: skip
    percent = min(setting_int(ADVANCE_PERCENT, state.region_code, now), MAX_ADVANCE_PERCENT)
    if percent <= 0:
        raise InvalidState("本地区未开展企业新型学徒制补贴预支。", code=Code.NO_ADVANCE)
    version = policy_for(SubsidyType.APPRENTICESHIP, state.region_code, now)
    policy = rules_of(version)
    standard = year_standard_fen(policy.amount, level=state.level, occupation=state.occupation)
    if not standard:
        raise InvalidState("补贴标准中没有适用于该学徒等级的年度标准。", code=Code.NO_STANDARD)
    amount = advance_fen(standard, percent)
    org = Organization.objects.get(pk=state.organization_id)
    key = advance_key(state.id, year_no)
    year_key = f"{EventKind.APPRENTICE_YEAR}:{state.id}:{year_no}"
    line = {
        "code": "advance",
        "outcome": "info",
        "message": f"第{year_no}年度补贴标准 {format_fen(standard)}，预支 {percent}%：{format_fen(amount)}；"
        "培养计划未完成（中途终止或考核不合格）的，预支款予以追回",
        "figures": {"standard_fen": standard, "percent": percent, "advance_fen": amount},
    }
    data = ClaimInput(subsidy_type=SubsidyType.APPRENTICESHIP, event_ref=f"{state.id}:{year_no}",
                      applicant_kind=ApplicantKind.ENTERPRISE, applicant_org_id=org.pk, payee_bank=payee_bank,
                      payee_account=payee_account)  # fmt: skip
    with transaction.atomic():
        lock_person(state.person_id)
        live = Claim.objects.filter(subsidy_type=SubsidyType.APPRENTICESHIP, event_key__in=[key, year_key],
                                    status__in=LIVE_STATUSES).first()  # fmt: skip
        if live is not None:
            raise Conflict(f"该学徒第{year_no}年度已有补贴或预支申请 {live.number}。", code=Code.DUPLICATE_CLAIM)
        earlier = _unsettled_earlier_year(state.id, year_no)
        if earlier is not None:
            raise InvalidState(f"该学徒第{earlier}年度的预支尚未在年度补贴申请中扣除，请先申请第{earlier}年度补贴。",
                               code=Code.ADVANCE_OUTSTANDING)  # fmt: skip
        claim = insert_computed(
            actor=actor, data=data, person_id=state.person_id, region_code=state.region_code, version=version,
            org=org, event_kind=EventKind.APPRENTICE_ADVANCE, event_ref=f"{state.id}:{year_no}", event_key=key,
            event_date=now, event_label=f"{state.plan_code} {state.name} 第{year_no}年度 预支{percent}%",
            amount_fen=amount, lines=[line], fund_source=policy.fund_source, channel=policy.channel,
        )  # fmt: skip
        step_record(claim=claim, step="submit", actor=actor, outcome=claim.decision,
                    data={"amount_fen": amount, "advance_percent": percent})  # fmt: skip
    return claim


def _unsettled_earlier_year(apprentice_id: Any, year_no: int) -> int | None:
    """An earlier plan year whose advance is alive while that year's claim (which deducts it) is not: one advance
    outstanding per apprentice at a time."""
    keys = [f"{kind}:{apprentice_id}:{n}" for n in range(1, year_no) for kind in
            (EventKind.APPRENTICE_ADVANCE, EventKind.APPRENTICE_YEAR)]  # fmt: skip
    live = set(Claim.objects.filter(subsidy_type=SubsidyType.APPRENTICESHIP, event_key__in=keys,
                                    status__in=LIVE_STATUSES).values_list("event_key", flat=True))  # fmt: skip
    for n in range(1, year_no):
        if advance_key(apprentice_id, n) in live and f"{EventKind.APPRENTICE_YEAR}:{apprentice_id}:{n}" not in live:
            return n
    return None


def advance_offers(apprentices: list[tuple[str, str, int]]) -> list[tuple[str, str]]:
    """The advance form's choices: ("apprentice id:year", "plan code name · 第N年度") for each plan year begun of
    each apprentice that has neither an advance nor the year's claim alive (a refused one frees the year again), and
    no earlier year's advance still to be deducted by that year's claim."""
    keys = {
        key: (pk, label, year)
        for pk, label, years in apprentices
        for year in range(1, min(years, MAX_PLAN_YEARS) + 1)
        for key in (advance_key(pk, year), f"{EventKind.APPRENTICE_YEAR}:{pk}:{year}")
    }
    taken: set[tuple[str, int]] = set()
    advanced: set[tuple[str, int]] = set()
    claimed: set[tuple[str, int]] = set()
    wanted = sorted(keys)
    for start in range(0, len(wanted), 1000):
        live = Claim.objects.filter(subsidy_type=SubsidyType.APPRENTICESHIP, event_key__in=wanted[start : start + 1000],
                                    status__in=LIVE_STATUSES).values_list("event_key", flat=True)  # fmt: skip
        for k in live:
            pk_year = (keys[k][0], keys[k][2])
            taken.add(pk_year)
            (advanced if k.startswith(f"{EventKind.APPRENTICE_ADVANCE}:") else claimed).add(pk_year)
    outstanding = advanced - claimed
    return [
        (f"{pk}:{year}", f"{label} · 第{year}年度")
        for pk, label, years in apprentices
        for year in range(1, min(years, MAX_PLAN_YEARS) + 1)
        if (pk, year) not in taken and not any((pk, n) in outstanding for n in range(1, year))
    ]


def advances_due_recovery(qs: QuerySet[Claim]) -> list[tuple[Claim, fx.ApprenticeState]]:
    """The paid advances in ``qs`` whose apprentice's plan ended unfinished — to be recovered."""
    out = []
    for claim in qs.filter(event_kind=EventKind.APPRENTICE_ADVANCE, status=ClaimStatus.PAID).order_by("created_at"):
        state = fx.apprentice_state(claim.event_ref.rpartition(":")[0])
        if state is not None and state.ended_unfinished:
            out.append((claim, state))
    return out


def advance_recover(*, actor: Actor, claim: Claim, reason: str = "") -> RecoveryOrder:
    """追回预支 — a paid advance of an apprentice whose plan ended unfinished is ordered back (``finance.pay``, a
    reason): a 追回单 tracked like the others; a second person's 复核 records the enterprise's debt and posts the
    ledger's clawback line. Refused (``advance_not_due``) while the plan runs or after it was completed and passed."""
    if claim.event_kind != EventKind.APPRENTICE_ADVANCE:
        raise InvalidState("该申请不是学徒制补贴预支。", code=Code.NOT_AN_ADVANCE)
    state = fx.apprentice_state(claim.event_ref.rpartition(":")[0])
    if state is None or not state.ended_unfinished:
        raise InvalidState("该学徒的培养计划未终止且未考核不合格，预支款不需追回。", code=Code.ADVANCE_NOT_DUE)
    return claim_recovery_order(actor=actor, claim=claim, reason=reason, ref=f"subsidies.advance:{claim.pk}")
