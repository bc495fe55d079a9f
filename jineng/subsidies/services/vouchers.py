"""Vouchers (职业培训券): 发放 → 领用 → 使用（验证）→ 核销.

An issue (发放批次) names its kind (面值券, 抵用券, 通用券, 定向券, 签到券), content, usable providers and programs,
eligible groups, validity and quantity. Vouchers go to eligible persons by group (a bulk issue) or on application;
each is the holder's only (non-transferable: the provider checks the holder's ID number at use), used once at a
listed provider for a listed program before it expires, then redeemed (核销) by the department.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from jineng.accounts.api import Actor, Organization, require
from jineng.common.audit.services import audit_event
from jineng.common.errors import Conflict, InvalidState, NotFound, PermissionDenied, invalid
from jineng.providers.api import Program, program_is_listed, provider_is_listed_for
from jineng.refdata.api import region_ancestors, region_subtree, region_validate
from jineng.registry.api import Group, Person, person_groups_on, person_resolve
from jineng.rules.subsidy import apply_bp, format_fen, percent_bp
from jineng.subsidies.catalog import FundSource
from jineng.subsidies.events import Event
from jineng.subsidies.models import Voucher, VoucherIssue, VoucherIssueStatus, VoucherKind, VoucherState
from jineng.subsidies.money import amount_checked
from jineng.subsidies.services.claims import claim_create_for_voucher
from jineng.subsidies.services.support import OFFICIAL_EDIT, REVIEW, actor_person_id, is_org_staff, today, user_or_none
from jineng.subsidies.settings_specs import MAX_VOUCHER

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


@dataclass(frozen=True)
class IssueData:
    region_code: str
    kind: str
    title: str
    valid_from: dt.date
    valid_until: dt.date
    quantity: int
    fund_source: str = FundSource.EMPLOYMENT_FUND
    content: str = ""
    face_value_fen: int = 0
    discount_percent: int = 0
    providers: list[str] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)


def _validate(data: IssueData) -> None:
    if data.kind not in VoucherKind.values:
        raise invalid(field="kind", code="bad_choice", message=f"未知的券种：{data.kind}")
    if data.fund_source not in FundSource.values:
        raise invalid(field="fund_source", code="bad_choice", message=f"未知的资金来源：{data.fund_source}")
    if not data.title.strip():
        raise invalid(field="title", code="required", message="请填写名称。")
    if data.valid_until < data.valid_from:
        raise invalid(field="valid_until", code="bad_range", message="有效期至不能早于有效期起。")
    if data.quantity <= 0:
        raise invalid(field="quantity", code="not_positive", message="发放数量应大于0。")
    if data.kind == VoucherKind.FACE_VALUE and data.face_value_fen <= 0:
        raise invalid(field="face_value_fen", code="required", message="面值券须填写面值。")
    amount_checked(data.face_value_fen, field="face_value_fen", label="培训券面值", key=MAX_VOUCHER,
                   region_code=data.region_code, allow_zero=True)  # fmt: skip
    if data.quantity > 2_000_000_000:  # the column's range; a real issue is far smaller
        raise invalid(field="quantity", code="too_large", message="发放数量过大。")
    if data.kind == VoucherKind.DISCOUNT and not 0 < data.discount_percent <= 100:
        raise invalid(field="discount_percent", code="bad_range", message="抵用券的抵用比例应为1–100。")
    if data.kind == VoucherKind.DIRECTED and len(data.providers) + len(data.programs) != 1:
        raise invalid(field="providers", code="directed_one_target", message="定向券须且只能指定一个机构或一个项目。")
    if data.kind == VoucherKind.GENERAL and (data.providers or data.programs):
        raise invalid(field="providers", code="general_any", message="通用券适用于任一目录内机构和项目，不能限定。")
    if data.kind == VoucherKind.CHECK_IN and (data.face_value_fen or data.discount_percent):
        raise invalid(field="face_value_fen", code="check_in_no_value", message="签到券仅用于培训签到，没有金额。")
    for g in data.groups:
        if g not in Group.values:
            raise invalid(field="groups", code="bad_choice", message=f"未知的人员类别：{g}")


def voucher_issue_create(*, actor: Actor, data: IssueData) -> VoucherIssue:
    region = region_validate(data.region_code)
    require(actor, OFFICIAL_EDIT, region_code=region.code)
    _validate(data)
    with transaction.atomic():
        issue = VoucherIssue.objects.create(
            region=region,
            kind=data.kind,
            title=data.title.strip()[:200],
            content=data.content,
            face_value_fen=data.face_value_fen,
            discount_percent=data.discount_percent,
            providers=[str(p) for p in data.providers],
            programs=[str(p) for p in data.programs],
            groups=list(data.groups),
            valid_from=data.valid_from,
            valid_until=data.valid_until,
            quantity=data.quantity,
            fund_source=data.fund_source,
            created_by=user_or_none(actor),
        )
        audit_event(Event.VOUCHER_ISSUE_CREATE, actor=actor, object_id=issue.pk, region_code=region.code,
                    after={"kind": issue.kind, "title": issue.title, "quantity": issue.quantity,
                            "valid_until": issue.valid_until})  # fmt: skip
    return issue


def _new_code() -> str:
    return "PX" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))


def _create(issue: VoucherIssue, person: Person, source: str) -> Voucher | None:
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return Voucher.objects.create(
                    issue=issue, code=_new_code(), person=person, person_name=person.name, region_id=issue.region_id,
                    source=source,
                )  # fmt: skip
        except IntegrityError:
            if Voucher.objects.filter(issue=issue, person=person).exists():
                return None  # already holds one of this issue
    raise Conflict("券号生成冲突，请重试。", code="voucher_code_conflict")


def _locked_issue(issue: VoucherIssue) -> VoucherIssue:
    issue = VoucherIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.status != VoucherIssueStatus.OPEN:
        raise InvalidState("该批次已停止发放。", code="issue_closed")
    if today() > issue.valid_until:
        raise InvalidState("该批次已过有效期。", code="issue_expired")
    return issue


def _eligible(issue: VoucherIssue, person: Person, on: dt.date) -> bool:
    return not issue.groups or bool(set(issue.groups) & set(person_groups_on(person, on)))


def vouchers_issue_to_group(*, actor: Actor, issue: VoucherIssue) -> int:
    """按人群发放 — to persons residing in the issue's region who hold one of its groups today, up to the quantity."""
    require(actor, OFFICIAL_EDIT, region_code=issue.region_id)
    on = today()
    with transaction.atomic():
        issue = _locked_issue(issue)
        left = issue.quantity - issue.vouchers.count()
        subtree = region_subtree(issue.region_id)
        persons = Person.objects.filter(residence_region_id__in=subtree, status="active").exclude(
            pk__in=issue.vouchers.values("person_id")
        )
        if issue.groups:
            persons = persons.filter(
                Q(memberships__group__in=issue.groups, memberships__valid_from__lte=on)
                & (Q(memberships__valid_to__isnull=True) | Q(memberships__valid_to__gte=on))
            )
        made = 0
        for person in persons.distinct().order_by("created_at")[: max(left, 0)]:
            if _create(issue, person, "group") is not None:
                made += 1
        audit_event(Event.VOUCHER_ISSUE_ISSUE_GROUP, actor=actor, object_id=issue.pk, region_code=issue.region_id,
                    after={"issued": made})  # fmt: skip
    return made


def voucher_apply(*, actor: Actor, issue: VoucherIssue, person: Person | None = None) -> Voucher:
    """申请领券 — a person applies (themselves, or an official for them) and gets a voucher if eligible."""
    if person is None:
        person = Person.objects.filter(pk=actor_person_id(actor)).first()
        if person is None:
            raise PermissionDenied("您的账号没有关联实名信息。")
    elif str(actor_person_id(actor) or "") != str(person.pk):
        require(actor, OFFICIAL_EDIT, region_code=issue.region_id)
    on = today()
    with transaction.atomic():
        issue = _locked_issue(issue)
        if not _eligible(issue, person, on):
            raise Conflict("不属于本批次的发放人群。", code="voucher_not_eligible")
        if issue.vouchers.count() >= issue.quantity:
            raise Conflict("本批次培训券已发放完毕。", code="voucher_sold_out")
        voucher = _create(issue, person, "application")
        if voucher is None:
            raise Conflict("已领取过本批次的培训券。", code="voucher_already_held")
        voucher.state = VoucherState.CLAIMED
        voucher.claimed_at = timezone.now()
        voucher.save(update_fields=["state", "claimed_at", "updated_at"])
        _audit(actor, voucher, Event.VOUCHER_APPLY)
    return voucher


def _audit(actor: Actor, voucher: Voucher, event: Event, **after: Any) -> None:
    audit_event(event, actor=actor, object_id=voucher.pk,
                region_code=voucher.region_id, after={"code": voucher.code, "state": voucher.state, **after})  # fmt: skip


def _expire_due(**where: Any) -> None:
    """Mark the matching vouchers past their validity as expired — committed on its own, so that a refused use
    still leaves the voucher in its true state."""
    Voucher.objects.filter(
        state__in=[VoucherState.ISSUED, VoucherState.CLAIMED], issue__valid_until__lt=today(), **where
    ).update(state=VoucherState.EXPIRED)


def voucher_claim(*, actor: Actor, voucher: Voucher) -> Voucher:
    """领用 — the holder takes up a voucher issued to them."""
    if str(actor_person_id(actor) or "") != str(voucher.person_id):
        raise PermissionDenied("只能领用本人的培训券。")
    _expire_due(pk=voucher.pk)
    with transaction.atomic():
        voucher = Voucher.objects.select_for_update().select_related("issue").get(pk=voucher.pk)
        if voucher.state == VoucherState.EXPIRED:
            raise InvalidState("培训券已过期。", code="voucher_expired")
        if voucher.state != VoucherState.ISSUED:
            raise InvalidState(f"培训券当前为「{voucher.get_state_display()}」。", code="voucher_wrong_state")
        voucher.state = VoucherState.CLAIMED
        voucher.claimed_at = timezone.now()
        voucher.save(update_fields=["state", "claimed_at", "updated_at"])
        _audit(actor, voucher, Event.VOUCHER_CLAIM)
    return voucher


def _refuse_use(voucher: Voucher, organization_id: Any, program: Program, on: dt.date) -> None:
    """Why this voucher cannot be used at this provider for this program today (raises), else nothing."""
    issue = voucher.issue
    if voucher.state == VoucherState.EXPIRED or (
        voucher.state in (VoucherState.ISSUED, VoucherState.CLAIMED) and on > issue.valid_until
    ):
        raise InvalidState(f"培训券已于 {issue.valid_until} 过期。", code="voucher_expired")
    if on < issue.valid_from:
        raise InvalidState(f"培训券自 {issue.valid_from} 起可用。", code="voucher_not_yet_valid")
    if voucher.state != VoucherState.CLAIMED:
        raise InvalidState(f"培训券当前为「{voucher.get_state_display()}」，不能使用（每张券只能使用一次）。",
                           code="voucher_wrong_state")  # fmt: skip
    if issue.providers and str(organization_id) not in issue.providers:
        raise Conflict("该培训券不能在本机构使用。", code="voucher_provider_not_allowed")
    if issue.programs and str(program.pk) not in issue.programs:
        raise Conflict("该培训券不能用于此培训项目。", code="voucher_program_not_allowed")
    if not program_is_listed(program, issue.region_id, on):
        raise Conflict("该培训项目不在培训需求目录内。", code="program_not_listed")
    if not provider_is_listed_for(organization_id, program.occupation, program.level, program.training_kind, on):
        raise Conflict("本机构不在培训机构目录内，或目录范围不含此项目。", code="provider_not_listed")


def voucher_use(
    *, actor: Actor, code: str, holder_id_number: str, organization: Organization, program: Program, fee_fen: int = 0
) -> Voucher:
    """使用（验证）— at a listed provider for a listed program, by the holder in person (the ID number must match),
    once, before it expires."""
    if not is_org_staff(actor, organization.pk):
        raise PermissionDenied("您不是该机构的经办人员。")
    on = today()
    _expire_due(code=(code or "").strip().upper())
    with transaction.atomic():
        voucher: Voucher | None = (
            Voucher.objects.select_for_update()
            .select_related("issue")
            .filter(code=(code or "").strip().upper())
            .first()
        )
        if voucher is None:
            raise NotFound("培训券不存在。", code="voucher_not_found")
        issue = voucher.issue
        holder = person_resolve(holder_id_number)
        if holder is None or holder.pk != voucher.person_id:
            raise PermissionDenied("持券人身份不符：培训券仅限本人使用，不得转让。", code="voucher_not_holder")
        _refuse_use(voucher, organization.pk, program, on)
        if issue.kind == VoucherKind.DISCOUNT:
            if fee_fen <= 0:
                raise invalid(field="fee_fen", code="required", message="抵用券须填写培训费用。")
            value = apply_bp(fee_fen, percent_bp(issue.discount_percent))
        else:
            value = issue.face_value_fen
        _mark_used(actor, voucher, organization, program, value)
    return voucher


def voucher_redeem(*, actor: Actor, voucher: Voucher) -> Voucher:
    """核销 — the department settles a used voucher: its value becomes a 职业培训补贴 claim of the provider
    (``claims.claim_create_for_voucher``), reviewed, paid and counted like any other — in the same transaction, so a
    redemption that cannot make its claim (no policy, already subsidized) is refused whole."""
    require(actor, REVIEW, region_code=voucher.region_id)
    with transaction.atomic():
        updated = Voucher.objects.filter(pk=voucher.pk, state=VoucherState.USED).update(
            state=VoucherState.REDEEMED, redeemed_at=timezone.now(), redeemed_by=user_or_none(actor)
        )
        if not updated:
            raise InvalidState("只有已使用的培训券可以核销。", code="voucher_wrong_state")
        voucher.refresh_from_db()
        claim = claim_create_for_voucher(actor=actor, voucher=voucher)
        _audit(actor, voucher, Event.VOUCHER_REDEEM, claim=claim.number if claim else "")
    return voucher


def vouchers_expire(*, on: dt.date | None = None) -> int:
    day = on or today()
    return Voucher.objects.filter(
        state__in=[VoucherState.ISSUED, VoucherState.CLAIMED], issue__valid_until__lt=day
    ).update(state=VoucherState.EXPIRED)


def issue_counts(issue_ids: list[Any]) -> dict[Any, dict[str, int]]:
    """Per issue: issued (all), claimed (taken up, incl. later states), used (incl. redeemed), redeemed."""
    rows = (
        Voucher.objects.filter(issue_id__in=issue_ids)
        .values("issue_id")
        .annotate(
            issued=Count("id"),
            claimed=Count("id", filter=Q(state__in=[VoucherState.CLAIMED, VoucherState.USED, VoucherState.REDEEMED])),
            used=Count("id", filter=Q(state__in=[VoucherState.USED, VoucherState.REDEEMED])),
            redeemed=Count("id", filter=Q(state=VoucherState.REDEEMED)),
        )
    )
    out = {i: {"issued": 0, "claimed": 0, "used": 0, "redeemed": 0} for i in issue_ids}
    for r in rows:
        out[r["issue_id"]] = {k: r[k] for k in ("issued", "claimed", "used", "redeemed")}
    return out


# ---- the worker's side: apply, and use through a join request (training.subsidy_port) ------------------------------


def issues_open_to(person: Person, on: dt.date | None = None) -> list[VoucherIssue]:
    """申领 — the open issues of the person's residence region (and its ancestors) valid today, whose groups the
    person holds, not yet held by them and not sold out: what the worker may apply for."""
    on = on or today()
    if not person.residence_region_id:
        return []
    held = Voucher.objects.filter(person=person).values("issue_id")
    issues = (
        VoucherIssue.objects.filter(status=VoucherIssueStatus.OPEN, region_id__in=region_ancestors(
            person.residence_region_id), valid_from__lte=on, valid_until__gte=on)
        .exclude(pk__in=held)
        .exclude(kind=VoucherKind.CHECK_IN)
        .annotate(n=Count("vouchers"))
        .order_by("valid_until")
    )  # fmt: skip
    return [i for i in issues if i.n < i.quantity and _eligible(i, person, on)]


def _class_program(training_class: Any) -> Program:
    program: Program = Program.objects.select_related("occupation", "level").get(pk=training_class.program_id)
    return program


def usable_for_class(person_id: Any, training_class: Any) -> list[tuple[str, str]]:
    """The person's taken-up vouchers usable at the class's provider for its program, as ``(code, label)``."""
    on = today()
    program = _class_program(training_class)
    out = []
    for v in Voucher.objects.filter(person_id=person_id, state=VoucherState.CLAIMED).select_related("issue"):
        try:
            _refuse_use(v, training_class.organization_id, program, on)
            _refuse_kind(v)
        except (InvalidState, Conflict):
            continue
        out.append((v.code, f"{v.code} {v.issue.title}（{format_fen(v.issue.face_value_fen)}）"))
    return out


def _refuse_kind(voucher: Voucher) -> None:
    if voucher.issue.kind == VoucherKind.DISCOUNT:
        raise Conflict("抵用券须在培训机构现场按培训费用使用，不能随报名申请使用。", code="voucher_discount_in_person")
    if voucher.issue.kind == VoucherKind.CHECK_IN:
        raise Conflict("签到券仅用于培训签到，不能抵扣培训费用。", code="voucher_check_in_only")


def _held(person_id: Any, code: str, *, lock: bool = False) -> Voucher:
    qs = Voucher.objects.select_related("issue").filter(code=(code or "").strip().upper()[:20])
    voucher: Voucher | None = (qs.select_for_update() if lock else qs).first()
    if voucher is None or str(voucher.person_id) != str(person_id):
        # another's voucher is answered as an absent one: a code says nothing about its holder
        raise NotFound("培训券不存在，或不是您本人的培训券。", code="voucher_not_found")
    return voucher


def voucher_check_for_class(person_id: Any, code: str, training_class: Any) -> None:
    """The reason the person's voucher cannot be used for this class (raises), checked when they ask to join."""
    voucher = _held(person_id, code)
    _refuse_use(voucher, training_class.organization_id, _class_program(training_class), today())
    _refuse_kind(voucher)


def voucher_use_for_class(actor: Actor, person_id: Any, code: str, training_class: Any) -> Voucher:
    """使用 — when the provider accepts the holder's join request: the holder attached the voucher from their own
    real-name account (no ID number to check at a counter), the provider's staff accept; the voucher is used once,
    for the class's program at its provider, at its face value. Runs in the acceptance's transaction."""
    organization = Organization.objects.get(pk=training_class.organization_id)
    if not is_org_staff(actor, organization.pk):
        raise PermissionDenied("您不是该机构的经办人员。")
    on = today()
    program = _class_program(training_class)
    voucher = _held(person_id, code, lock=True)
    _refuse_use(voucher, organization.pk, program, on)
    _refuse_kind(voucher)
    value = voucher.issue.face_value_fen
    _mark_used(actor, voucher, organization, program, value, training_class=str(training_class.code))
    return voucher


def _mark_used(actor: Actor, voucher: Voucher, organization: Any, program: Any, value: int, **audit: Any) -> None:
    """The voucher (locked by the caller, still 已领取) becomes 已使用 at the organization for the program, worth
    ``value``; a voucher used meanwhile is refused (``voucher_wrong_state``), never used twice."""
    updated = Voucher.objects.filter(pk=voucher.pk, state=VoucherState.CLAIMED).update(
        state=VoucherState.USED, used_at=timezone.now(), used_organization=organization, used_program=program,
        used_by=user_or_none(actor), value_fen=value,
    )  # fmt: skip
    if not updated:
        raise InvalidState("培训券已被使用。", code="voucher_wrong_state")
    voucher.refresh_from_db()
    _audit(actor, voucher, Event.VOUCHER_USE, organization=str(organization.pk), program=str(program.pk),
           value=format_fen(value), **audit)  # fmt: skip
