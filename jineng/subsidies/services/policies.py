"""Policy versions (补贴政策版本): officials edit a draft and publish it; the version that applies to a claim is the
one published for the paying region (or its nearest ancestor) and valid on the qualifying event's date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jineng.accounts.api import Actor, require
from jineng.common.audit.services import audit_event
from jineng.common.errors import Conflict, InvalidState, invalid
from jineng.refdata.api import Region, region_ancestors, region_validate
from jineng.rules.subsidy import PolicyError, PolicyRules, policy_from_data, policy_to_data
from jineng.rules.subsidy.policy import EligibleGroup, ShortageFloat
from jineng.subsidies.catalog import SubsidyType, type_spec
from jineng.subsidies.errors import NoPolicy
from jineng.subsidies.events import Event
from jineng.subsidies.models import PolicyStatus, PolicyVersion
from jineng.subsidies.money import amount_checked
from jineng.subsidies.services.support import POLICY_EDIT, user_or_none
from jineng.subsidies.settings_specs import MAX_CLAIM
from jineng.training.api import EnrollmentGroups


def rules_of(version: PolicyVersion) -> PolicyRules:
    return policy_from_data(version.rules)


def policy_for(subsidy_type: str, region_code: str, on: dt.date) -> PolicyVersion:
    """The published version for the region or its nearest ancestor, valid on ``on``."""
    chain = region_ancestors(region_code)
    rows: list[PolicyVersion] = list(
        PolicyVersion.objects.filter(
            subsidy_type=subsidy_type, status=PolicyStatus.PUBLISHED, region_id__in=chain, valid_from__lte=on
        ).exclude(valid_to__lt=on)
    )
    if not rows:
        raise NoPolicy(str(SubsidyType(subsidy_type).label), region_code, on)
    depth = {code: i for i, code in enumerate(chain)}
    rows.sort(key=lambda v: (depth[v.region_id], -v.valid_from.toordinal(), -v.version_no))
    return rows[0]


def training_enrollment_groups(region_code: str, on: dt.date) -> EnrollmentGroups:
    """Who may enroll in a subsidized class of the region on ``on``: the ``eligible_group`` rule of the 职业培训补贴
    version in force (``None``: the version names no groups, or none is in force — anyone may enroll). Registered
    with training when the app loads, so a new version changes who may enroll from its effective date only."""
    try:
        version = policy_for(SubsidyType.TRAINING, region_code, on)
    except NoPolicy:
        return EnrollmentGroups(None)
    named = [rule.groups for rule in rules_of(version).eligibility if isinstance(rule, EligibleGroup)]
    groups = frozenset(g for rule_groups in named for g in rule_groups) if named else None
    return EnrollmentGroups(groups, str(version.pk))


def _validated(subsidy_type: str, rules: Any, region_code: str) -> dict[str, Any]:
    type_spec(subsidy_type)
    try:
        policy = policy_from_data(rules)
    except PolicyError as exc:
        raise invalid(
            field=f"rules.{exc.path.removeprefix('policy.')}", code="policy_invalid", message=f"规则不正确：{exc}"
        ) from None
    for i, adj in enumerate(policy.adjustments):
        # The float names the region whose published 急需紧缺职业目录 applies (ADR 0022); the version in force on
        # the class's start date is read when a claim is checked.
        if isinstance(adj, ShortageFloat) and adj.catalog and not Region.objects.filter(code=adj.catalog).exists():
            raise invalid(
                field=f"rules.adjustments[{i}].catalog",
                code="catalog_missing",
                message=f"引用的急需紧缺职业目录所属地区不存在：{adj.catalog}。",
            )
    if policy.subsidy_type != subsidy_type:
        raise invalid(
            field="rules.subsidy_type", code="policy_type_mismatch", message="规则中的补贴类型与政策版本不一致。"
        )
    # Every amount of the table within the region's bound for one claim (claim.max_amount_fen).
    table = policy.amount
    for i, row in enumerate(table.rows):
        for name in ("amount_fen", "per_hour_fen"):
            amount_checked(getattr(row, name), field=f"rules.amount.rows[{i}].{name}", label=f"金额表第{i + 1}行金额",
                           key=MAX_CLAIM, region_code=region_code, allow_zero=True)  # fmt: skip
    amount_checked(table.max_fen, field="rules.amount.max_fen", label="封顶金额", key=MAX_CLAIM,
                   region_code=region_code, allow_zero=True)  # fmt: skip
    return policy_to_data(policy)


def _dates(valid_from: dt.date, valid_to: dt.date | None) -> None:
    if valid_to is not None and valid_to < valid_from:
        raise invalid(field="valid_to", code="bad_range", message="截止日期不能早于生效日期。")


def _snapshot(v: PolicyVersion) -> dict[str, Any]:
    return {
        "subsidy_type": v.subsidy_type,
        "version_no": v.version_no,
        "valid_from": v.valid_from,
        "valid_to": v.valid_to,
        "status": v.status,
        "title": v.title,
    }


def policy_draft_create(
    *,
    actor: Actor,
    region_code: str,
    subsidy_type: str,
    title: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    rules: Any,
    citation: str = "",
    source_url: str = "",
    note: str = "",
    based_on: PolicyVersion | None = None,
    check_permission: bool = True,
) -> PolicyVersion:
    region = region_validate(region_code)
    if check_permission:
        require(actor, POLICY_EDIT, region_code=region.code)
    data = _validated(subsidy_type, rules, region.code)
    _dates(valid_from, valid_to)
    if not title.strip():
        raise invalid(field="title", code="required", message="请填写政策名称。")
    with transaction.atomic():
        last = PolicyVersion.objects.filter(region=region, subsidy_type=subsidy_type).aggregate(n=Max("version_no"))
        version = PolicyVersion.objects.create(
            region=region,
            subsidy_type=subsidy_type,
            version_no=(last["n"] or 0) + 1,
            title=title.strip()[:200],
            valid_from=valid_from,
            valid_to=valid_to,
            rules=data,
            citation=citation,
            source_url=source_url,
            note=note,
            based_on=based_on,
            created_by=user_or_none(actor),
        )
        audit_event(
            Event.POLICY_DRAFT_CREATE,
            actor=actor,
            object_id=version.pk,
            region_code=region.code,
            after=_snapshot(version),
        )
    return version


def policy_draft_update(*, actor: Actor, version: PolicyVersion, changes: dict[str, Any]) -> PolicyVersion:
    require(actor, POLICY_EDIT, region_code=version.region_id)
    with transaction.atomic():
        version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != PolicyStatus.DRAFT:
            raise InvalidState("只有草稿可以修改；已发布的版本请另建新版本。", code="policy_not_draft")
        before = _snapshot(version)
        if "rules" in changes:
            version.rules = _validated(version.subsidy_type, changes["rules"], version.region_id)
        for name in ("title", "valid_from", "valid_to", "citation", "source_url", "note"):
            if name in changes:
                setattr(version, name, changes[name])
        _dates(version.valid_from, version.valid_to)
        version.save()
        audit_event(
            Event.POLICY_DRAFT_UPDATE,
            actor=actor,
            object_id=version.pk,
            region_code=version.region_id,
            before=before,
            after=_snapshot(version),
        )
    return version


def policy_publish(*, actor: Actor, version: PolicyVersion, check_permission: bool = True) -> PolicyVersion:
    """Publish a draft. An open earlier version of the same type and region is closed the day before; a version
    that starts on or after this one's start makes the periods overlap and is refused."""
    if check_permission:
        require(actor, POLICY_EDIT, region_code=version.region_id)
    with transaction.atomic():
        version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != PolicyStatus.DRAFT:
            raise InvalidState("只有草稿可以发布。", code="policy_not_draft")
        _validated(version.subsidy_type, version.rules, version.region_id)
        published = PolicyVersion.objects.select_for_update().filter(
            region_id=version.region_id, subsidy_type=version.subsidy_type, status=PolicyStatus.PUBLISHED
        )
        for other in published:
            if other.valid_from >= version.valid_from:
                if version.valid_to is None or other.valid_from <= version.valid_to:
                    raise Conflict(
                        f"与已发布的版本 v{other.version_no}（{other.valid_from} 起）有效期重叠。",
                        code="policy_overlap",
                    )
            elif other.valid_to is None or other.valid_to >= version.valid_from:
                before = _snapshot(other)
                other.valid_to = version.valid_from - dt.timedelta(days=1)
                other.save(update_fields=["valid_to", "updated_at"])
                audit_event(
                    Event.POLICY_CLOSE,
                    actor=actor,
                    object_id=other.pk,
                    region_code=other.region_id,
                    before=before,
                    after=_snapshot(other),
                    reason=f"新版本 v{version.version_no} 自 {version.valid_from} 起施行",
                )
        version.status = PolicyStatus.PUBLISHED
        version.published_at = timezone.now()
        version.published_by = user_or_none(actor)
        version.save(update_fields=["status", "published_at", "published_by", "updated_at"])
        audit_event(
            Event.POLICY_PUBLISH,
            actor=actor,
            object_id=version.pk,
            region_code=version.region_id,
            after=_snapshot(version),
        )
    return version


def policy_discard(*, actor: Actor, version: PolicyVersion, reason: str) -> PolicyVersion:
    require(actor, POLICY_EDIT, region_code=version.region_id)
    with transaction.atomic():
        version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != PolicyStatus.DRAFT:
            raise InvalidState("只有草稿可以作废。", code="policy_not_draft")
        version.status = PolicyStatus.DISCARDED
        version.save(update_fields=["status", "updated_at"])
        audit_event(
            Event.POLICY_DISCARD,
            actor=actor,
            object_id=version.pk,
            region_code=version.region_id,
            after=_snapshot(version),
            reason=reason,
        )
    return version
