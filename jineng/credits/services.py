"""Every write of the skill credit bank (docs/credits.md): rule sets, the derivation of the ledger from the
records of training, learning, certificates and competitions, recognition (互认) and conversion (转换).

The ledger is append-only: an entry is never changed; a source that no longer stands is answered by a reversing
entry, a conversion by negative entries naming the entries they take credits from (``offsets``)."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jineng.accounts.api import Actor, actor_user, require, visible
from jineng.certificates import api as certificates_api
from jineng.common.audit.services import audit_event
from jineng.common.errors import NotFound, invalid
from jineng.competitions import api as competitions_api
from jineng.credits.errors import Code
from jineng.credits.events import Event as E
from jineng.credits.models import (
    Category,
    ConsentMethod,
    Conversion,
    ConversionStatus,
    ConversionTarget,
    CreditEntry,
    CreditRuleSet,
    EntryKind,
    Recognition,
    RecognitionStatus,
    RuleSetStatus,
)
from jineng.learning import api as learning_api
from jineng.refdata.api import SkillLevel, region_ancestors, region_is_within, region_validate
from jineng.registry.api import Person
from jineng.rules import credits as r
from jineng.rules.certificates import display_number
from jineng.training import api as training_api

ZERO = Decimal("0")
DERIVED_KINDS = ("training", "online", "certificate", "competition")  # source key prefixes the derivation owns


def _clean(text: Any, limit: int) -> str:
    return " ".join(str(text or "").split())[:limit]


# ---- rules ------------------------------------------------------------------------------------------------------


def rules_parse(data: dict[str, Any]) -> r.CreditRules:
    try:
        return r.rules_from_data(data, SkillLevel.objects.values_list("code", flat=True))
    except r.RuleError as exc:
        raise invalid(field=f"rules.{exc.field}", code=exc.code, message=exc.message) from None


def rules_set(
    *, actor: Actor, region_code: str, valid_from: dt.date, basis: str, rules: dict[str, Any]
) -> CreditRuleSet:
    """A published version at once, by one actor — the seed and the command line (``jineng credits``) only; the
    pages and the API draft (``rules_draft``) and a second official publishes (``rules_publish``)."""
    region = region_validate(region_code)
    require(actor, "settings.edit", region_code=region.code)
    basis = _basis(basis)
    parsed = rules_parse(rules)
    with transaction.atomic():
        rule_set = CreditRuleSet.objects.create(
            region=region, version=_next_version(region.code), valid_from=valid_from, basis=basis,
            rules=parsed.as_dict(), created_by=actor_user(actor), published_by=actor_user(actor),
            published_at=timezone.now(),
        )  # fmt: skip
        audit_event(E.CREDITS_RULES_PUBLISH, actor=actor, object_id=rule_set.pk, region_code=region.code,
                    after={"version": rule_set.version, "valid_from": valid_from, "rules": rule_set.rules})  # fmt: skip
    return rule_set


def _next_version(region_code: str) -> int:
    last = (
        CreditRuleSet.objects.select_for_update()
        .filter(region_id=region_code, version__isnull=False)
        .order_by("-version")
        .first()
    )
    return (last.version or 0) + 1 if last else 1


def _basis(basis: str) -> str:
    basis = _clean(basis, 400)
    if not 2 <= len(basis) <= 300:
        raise invalid(
            field="basis", code=Code.REASON_REQUIRED, message=_("请填写规则依据（文件名称、文号），2–300 字。")
        )
    return basis


RULES_AHEAD_DAYS = 5 * 366  # a version takes effect within five years


def rules_draft(
    *, actor: Actor, region_code: str, valid_from: dt.date, basis: str, rules: dict[str, Any]
) -> CreditRuleSet:
    """起草学分规则 — a draft of a region's next version (``settings.edit`` over the region). It counts for nothing
    until another official publishes it (``rules_publish``); it takes effect on ``valid_from`` (today or later: a
    published rule never reaches back)."""
    region = region_validate(region_code)
    require(actor, "settings.edit", region_code=region.code)
    basis = _basis(basis)
    today = timezone.localdate()
    if not today <= valid_from <= today + dt.timedelta(days=RULES_AHEAD_DAYS):
        raise invalid(field="valid_from", code=Code.BAD_DATE,
                      message=_("生效日期须在今天至五年内：规则不溯及既往。"))  # fmt: skip
    parsed = rules_parse(rules)
    with transaction.atomic():
        rule_set = CreditRuleSet.objects.create(
            region=region, version=None, valid_from=valid_from, basis=basis, rules=parsed.as_dict(),
            status=RuleSetStatus.DRAFT, created_by=actor_user(actor),
        )  # fmt: skip
        audit_event(E.CREDITS_RULES_DRAFT, actor=actor, object_id=rule_set.pk, region_code=region.code,
                    after={"valid_from": valid_from, "basis": basis, "rules": rule_set.rules})  # fmt: skip
    return rule_set


def rules_publish(*, actor: Actor, rule_set: CreditRuleSet, approve: bool, reason: str = "") -> CreditRuleSet:
    """发布学分规则 — a second official with ``settings.edit`` over the region (never the drafter) publishes the
    draft as the region's next version, in force from its date, or returns it with a reason."""
    require(actor, "settings.edit", region_code=rule_set.region_id)
    reason = _clean(reason, 400)
    if not approve and not 2 <= len(reason) <= 300:
        raise invalid(field="reason", code=Code.REASON_REQUIRED, message=_("退回须写明理由（2–300 字）。"))
    if len(reason) > 300:
        raise invalid(field="reason", code=Code.REASON_REQUIRED, message=_("审核意见至多 300 字。"))
    with transaction.atomic():
        rs: CreditRuleSet = CreditRuleSet.objects.select_for_update().get(pk=rule_set.pk)
        if rs.status != RuleSetStatus.DRAFT:
            raise invalid(field="status", code=Code.RULES_STATE, message=_("该规则草稿已发布或已退回。"))
        user = actor_user(actor)
        if user is None or rs.created_by_id == user.pk:
            raise invalid(field="reviewer", code=Code.SELF_REVIEW,
                          message=_("起草人不能发布自己起草的规则，须由另一人审核发布。"))  # fmt: skip
        if approve and rs.valid_from < timezone.localdate():
            raise invalid(field="valid_from", code=Code.BAD_DATE,
                          message=_("生效日期 %(d)s 已过：规则不溯及既往，请退回后重新起草。")
                          % {"d": rs.valid_from.isoformat()})  # fmt: skip
        rules_parse(rs.rules)
        if approve:
            rs.version, rs.status = _next_version(rs.region_id), RuleSetStatus.PUBLISHED
        else:
            rs.status = RuleSetStatus.REJECTED
        rs.published_by, rs.published_at, rs.decision_reason = user, timezone.now(), reason
        rs.save(update_fields=["version", "status", "published_by", "published_at", "decision_reason", "updated_at"])
        event = E.CREDITS_RULES_PUBLISH if approve else E.CREDITS_RULES_RETURN
        audit_event(event, actor=actor, object_id=rs.pk, region_code=rs.region_id, reason=reason,
                    after={"version": rs.version, "valid_from": rs.valid_from, "status": rs.status})  # fmt: skip
    return rs


def rules_in_force(region_code: str, on: dt.date) -> CreditRuleSet | None:
    """The latest version, valid on ``on``, of the nearest region at or above ``region_code`` that has rules."""
    for code in region_ancestors(region_code):
        found: CreditRuleSet | None = (
            CreditRuleSet.objects.filter(region_id=code, valid_from__lte=on, status=RuleSetStatus.PUBLISHED)
            .order_by("-version")
            .first()
        )
        if found is not None:
            return found
    return None


# ---- derivation ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Fact:
    person_id: Any
    region_code: str
    source: r.Source


def _facts(person_ids: list[Any]) -> list[_Fact]:
    """The persons' records that may earn credits, as they stand today."""
    facts: list[_Fact] = []
    level_names = dict(SkillLevel.objects.values_list("code", "name"))
    event_levels = dict(competitions_api.EventLevel.choices)
    completed = training_api.completed_enrollments_for_evaluation(person_ids=person_ids)
    online = learning_api.online_hours_of([c.enrollment_id for c in completed])
    for c in completed:
        online_hours = min(online.get(str(c.enrollment_id), 0), c.credited_hours)
        label = f"{c.class_code} 结业"
        facts.append(_Fact(c.person_id, c.region_code, r.Source(
            f"training:{c.enrollment_id}", r.TRAINING, c.completion_date, True,
            hours=c.credited_hours - online_hours, label=label)))  # fmt: skip
        if online_hours:
            facts.append(_Fact(c.person_id, c.region_code, r.Source(
                f"online:{c.enrollment_id}", r.ONLINE, c.completion_date, True, hours=online_hours,
                label=f"{c.class_code} 线上学习")))  # fmt: skip
    for cert in certificates_api.certificate_facts(person_ids=person_ids):
        facts.append(_Fact(cert.person_id, cert.region_code, r.Source(
            f"certificate:{cert.id}", r.CERTIFICATE, cert.issued_on, cert.valid, level=cert.level,
            label=f"证书 {display_number(cert.number)}", level_label=level_names.get(cert.level, ""))))  # fmt: skip
    for award in competitions_api.awards_of(person_ids):
        facts.append(_Fact(award.person_id, award.event_region_code, r.Source(
            f"competition:{award.id}", r.COMPETITION, award.awarded_on, award.active, level=award.event_level,
            label=f"{award.event_name} 第 {award.rank} 名", level_label=str(event_levels.get(award.event_level, "")))))  # fmt: skip
    return facts


def persons_with_sources() -> list[Any]:
    """Every person with a record that may earn credits (or had one: a revoked certificate is still listed)."""
    ids = set(training_api.completed_enrollments_queryset().values_list("person_id", flat=True))
    ids |= set(certificates_api.Certificate.objects.values_list("person_id", flat=True))
    ids |= set(competitions_api.awarded_person_ids())
    return sorted(ids, key=str)


def _ledger(entries: Iterable[CreditEntry]) -> r.Ledger:
    net: dict[str, Decimal] = defaultdict(lambda: ZERO)
    earned: set[str] = set()
    years: dict[tuple[str, int], Decimal] = defaultdict(lambda: ZERO)
    lots: dict[Any, CreditEntry] = {}
    rows = list(entries)
    for e in rows:
        if e.kind == EntryKind.EARN:
            earned.add(e.source_key)
            lots[e.pk] = e
            net[e.source_key] += e.credits
            years[(e.category, e.on.year)] += e.credits
    for e in rows:
        lot = lots.get(e.offsets_id)
        if lot is None:
            continue
        net[lot.source_key] += e.credits  # a reversal or a conversion takes from what is left of the lot
        if e.kind == EntryKind.REVERSE:
            years[(lot.category, lot.on.year)] += e.credits
    return r.Ledger(net=dict(net), earned=frozenset(earned), year_totals=dict(years))


class _RuleBook:
    """The rule sets in force, looked up once per (region, date) and parsed once per version."""

    def __init__(self) -> None:
        self.sets: dict[tuple[str, dt.date], CreditRuleSet | None] = {}
        self.parsed: dict[Any, r.CreditRules] = {}

    def rule_set(self, region_code: str, on: dt.date) -> CreditRuleSet | None:
        if (region_code, on) not in self.sets:
            self.sets[(region_code, on)] = rules_in_force(region_code, on)
        return self.sets[(region_code, on)]

    def rules(self, rule_set: CreditRuleSet | None) -> r.CreditRules | None:
        if rule_set is None:
            return None
        if rule_set.pk not in self.parsed:
            self.parsed[rule_set.pk] = rules_parse(rule_set.rules)
        return self.parsed[rule_set.pk]


def credits_derive(*, actor: Actor, person_ids: Iterable[Any]) -> int:
    """记入学分 — bring the persons' ledgers up to date with their records; returns the entries written. Run by the
    nightly job (``jineng credits derive``), after the demo seed, and by an official from a person's page (the
    caller checks the official may see the person). Idempotent: a second run writes nothing."""
    ids = list(dict.fromkeys(person_ids))
    by_person: dict[Any, list[_Fact]] = defaultdict(list)
    for fact in _facts(ids):
        by_person[fact.person_id].append(fact)
    book = _RuleBook()
    return sum(_derive_person(actor, person_id, by_person.get(person_id, []), book) for person_id in ids)


def _derive_person(actor: Actor, person_id: Any, found: list[_Fact], book: _RuleBook) -> int:
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person_id).first()  # one derivation per person at a time
        entries = list(CreditEntry.objects.filter(person_id=person_id))
        facts = {f.source.key: f for f in found}
        earn_of = {e.source_key: e for e in entries if e.kind == EntryKind.EARN}
        for key, lot in earn_of.items():  # a source that vanished (a class result undone) no longer stands
            if key not in facts and key.split(":")[0] in DERIVED_KINDS:
                facts[key] = _Fact(person_id, lot.region_id, r.Source(key, lot.category, lot.on, False))
        planned = r.plan(
            [f.source for f in facts.values()],
            _ledger(entries),
            lambda source: book.rules(book.rule_set(facts[source.key].region_code, source.on)),
        )
        today = timezone.localdate()
        for p in planned:
            fact = facts[p.key]
            if p.reverses:
                lot = earn_of[p.key]
                CreditEntry.objects.create(
                    person_id=person_id, region_id=lot.region_id, category=lot.category, kind=EntryKind.REVERSE,
                    credits=p.credits, source_key=p.key, source_label=lot.source_label, rule_set=lot.rule_set,
                    rule_version=lot.rule_version, explanation=p.explanation, on=today,
                    expires_on=lot.expires_on, offsets=lot,
                )  # fmt: skip
            else:
                rule_set = book.rule_set(fact.region_code, p.on)
                CreditEntry.objects.create(
                    person_id=person_id, region_id=fact.region_code, category=p.category, kind=EntryKind.EARN,
                    credits=p.credits, source_key=p.key, source_label=fact.source.label[:200],
                    rule_set=rule_set, rule_version=rule_set.version if rule_set else None,
                    explanation=p.explanation[:300], on=p.on, expires_on=p.expires_on,
                )  # fmt: skip
        if planned:
            audit_event(E.CREDITS_DERIVE, actor=actor, object_id=person_id,
                        after={"entries": len(planned), "credits": str(sum((p.credits for p in planned), ZERO))})  # fmt: skip
    return len(planned)


# ---- balances ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lot:
    """An earned or recognized entry and what is left of it."""

    entry: CreditEntry
    remaining: Decimal
    expired: bool


def lots_of(person_id: Any, on: dt.date | None = None) -> list[Lot]:
    on = on or timezone.localdate()
    entries = list(CreditEntry.objects.filter(person_id=person_id).order_by("on", "created_at"))
    taken: dict[Any, Decimal] = defaultdict(lambda: ZERO)
    for e in entries:
        if e.offsets_id is not None:
            taken[e.offsets_id] += e.credits
    return [
        Lot(e, e.credits + taken[e.pk], e.expires_on is not None and e.expires_on <= on)
        for e in entries
        if e.kind in (EntryKind.EARN, EntryKind.RECOGNIZE)
    ]


def balance_of(person_id: Any, on: dt.date | None = None) -> dict[str, Decimal]:
    """Category → credits available (earned and recognized, less reversed and converted, not expired)."""
    out = {c: Decimal("0.0") for c in Category.values}
    for lot in lots_of(person_id, on):
        if not lot.expired:
            out[lot.entry.category] += lot.remaining
    return out


# ---- recognition (互认) ------------------------------------------------------------------------------------------


def _credits_input(value: Any, field: str) -> Decimal:
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise invalid(field=field, code=Code.BAD_CREDITS, message=_("学分须为数字。")) from None
    if not d.is_finite() or d <= 0 or d > r.CREDITS_MAX or d != d.quantize(r.TENTH, rounding=ROUND_DOWN):
        raise invalid(field=field, code=Code.BAD_CREDITS, message=_("学分须在 0.1–100 之间，至多一位小数。"))
    return d


def recognition_request(*, actor: Actor, person: Person, region_code: str, from_region: str, record_ref: str,
                        issuer: str, description: str, category: str, credits: Any,
                        earned_on: dt.date) -> Recognition:  # fmt: skip
    """申请互认 — an official of the recognizing region records another region's record of the person and the
    credits it should count for; a second person reviews it (``recognition_decide``)."""
    region = region_validate(region_code)
    require(actor, "records.review", region_code=region.code)
    user = actor_user(actor)
    if user is not None and not visible(Person.objects.filter(pk=person.pk), user).exists():
        raise NotFound()  # a person the official cannot see: the same answer as for no such person
    source = region_validate(from_region, field="from_region")
    if source.code == region.code or region_is_within(source.code, region.code):
        raise invalid(field="from_region", code=Code.SAME_REGION,
                      message=_("互认的是外地记录：原记录地区不能是本地区或其下级。"))  # fmt: skip
    record_ref = _clean(record_ref, 80)
    if not 2 <= len(record_ref) <= 60:
        raise invalid(field="record_ref", code=Code.RECORD_REQUIRED, message=_("请填写原记录编号（2–60 字）。"))
    issuer = _clean(issuer, 300)
    if not 2 <= len(issuer) <= 200:
        raise invalid(field="issuer", code=Code.RECORD_REQUIRED, message=_("请填写原记录出具单位（2–200 字）。"))
    description = _clean(description, 400)
    if not 2 <= len(description) <= 300:
        raise invalid(field="description", code=Code.RECORD_REQUIRED, message=_("请填写原记录内容（2–300 字）。"))
    if category not in Category.values:
        raise invalid(field="category", code=Code.UNKNOWN_CATEGORY, message=_("不是学分类别。"))
    amount = _credits_input(credits, "credits")
    today = timezone.localdate()
    if not dt.date(1990, 1, 1) <= earned_on <= today:
        raise invalid(field="earned_on", code=Code.BAD_DATE, message=_("取得日期须在 1990-01-01 与今天之间。"))
    taken = Recognition.objects.filter(from_region=source, record_ref=record_ref).exclude(
        status=RecognitionStatus.REJECTED
    )
    if taken.exists():
        raise invalid(field="record_ref", code=Code.RECORD_TAKEN, message=_("该原记录已申请或已认定互认，不能重复。"))
    try:
        with transaction.atomic():
            rec = Recognition.objects.create(
                person=person, region=region, from_region=source, record_ref=record_ref, issuer=issuer,
                description=description, category=category, credits=amount, earned_on=earned_on,
                requested_by=actor_user(actor),
            )  # fmt: skip
            audit_event(E.CREDITS_RECOGNITION_REQUEST, actor=actor, object_id=rec.pk, region_code=region.code,
                        after={"from_region": source.code, "record_ref": record_ref, "category": category,
                               "credits": str(amount)})  # fmt: skip
    except IntegrityError:
        raise invalid(field="record_ref", code=Code.RECORD_TAKEN,
                      message=_("该原记录已申请或已认定互认，不能重复。")) from None  # fmt: skip
    return rec


def recognition_decide(*, actor: Actor, recognition: Recognition, approve: bool, reason: str = "") -> Recognition:
    """审核互认 — another official of the region (not the one who asked) approves, which records the credits as a
    互认 entry, or refuses with a reason."""
    require(actor, "records.review", region_code=recognition.region_id)
    reason = _clean(reason, 400)
    if not approve and not 2 <= len(reason) <= 300:
        raise invalid(field="reason", code=Code.REASON_REQUIRED, message=_("不予认定须写明理由（2–300 字）。"))
    if len(reason) > 300:
        raise invalid(field="reason", code=Code.REASON_REQUIRED, message=_("审核意见至多 300 字。"))
    with transaction.atomic():
        rec: Recognition = Recognition.objects.select_for_update().get(pk=recognition.pk)
        if rec.status != RecognitionStatus.PENDING:
            raise invalid(field="status", code=Code.RECOGNITION_STATE, message=_("该申请已审核。"))
        user = actor_user(actor)
        if user is not None and rec.requested_by_id == user.pk:
            raise invalid(
                field="reviewer", code=Code.SELF_REVIEW, message=_("申请人不能审核自己的互认申请，须由另一人审核。")
            )
        rec.status = RecognitionStatus.APPROVED if approve else RecognitionStatus.REJECTED
        rec.decided_by, rec.decided_at, rec.decision_reason = user, timezone.now(), reason
        rec.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"])
        if approve:
            rule_set = rules_in_force(rec.region_id, rec.earned_on) or rules_in_force(
                rec.region_id, timezone.localdate()
            )
            expires = None
            if rule_set is not None:
                expires = r.expiry_of(rules_parse(rule_set.rules), rec.category, rec.earned_on)
            CreditEntry.objects.create(
                person_id=rec.person_id, region_id=rec.region_id, category=rec.category, kind=EntryKind.RECOGNIZE,
                credits=rec.credits, source_key=f"recognition:{rec.pk}",
                source_label=f"互认 {rec.from_region.name} {rec.record_ref}"[:200], rule_set=rule_set,
                rule_version=rule_set.version if rule_set else None,
                explanation=f"{rec.issuer}：{rec.description}"[:300], on=rec.earned_on, expires_on=expires,
            )  # fmt: skip
        audit_event(E.CREDITS_RECOGNITION_DECIDE, actor=actor, object_id=rec.pk, region_code=rec.region_id,
                    after={"status": rec.status, "credits": str(rec.credits)}, reason=reason)  # fmt: skip
    return rec


# ---- conversion (转换) ------------------------------------------------------------------------------------------


def _target_key(label: str) -> str:
    """The target as compared for duplicates: spaces collapsed, case folded (电工基础模块 = 电工基础 模块 is not)."""
    return " ".join(label.split()).casefold()[:200]


def _available(person_id: Any, on: dt.date, category: str) -> tuple[list[Lot], Decimal]:
    lots = [lot for lot in lots_of(person_id, on) if not lot.expired and lot.remaining > 0
            and (not category or lot.entry.category == category)]  # fmt: skip
    return lots, sum((lot.remaining for lot in lots), ZERO)


def _beyond(available: Decimal, amount: Decimal) -> Exception:
    return invalid(field="credits", code=Code.BEYOND_BALANCE,
                   message=_("可用学分 %(available)s，不足本次转换所需 %(amount)s。")
                   % {"available": available, "amount": amount})  # fmt: skip


def _pending_reserved(person_id: Any, category: str, exclude: Any = None) -> Decimal:
    """Credits the person's other pending conversions would take (of ``category``, or any when blank)."""
    qs = Conversion.objects.filter(person_id=person_id, status=ConversionStatus.PENDING).exclude(pk=exclude)
    if category:
        qs = qs.filter(category__in=[category, ""])
    return sum((c.credits for c in qs), ZERO)


def conversion_request(*, actor: Actor, person: Person, region_code: str, target: str, target_label: str,
                       credits: Any = None, category: str = "", reason: str, consent_method: str = "",
                       consent_ref: str = "", consent_on: dt.date | None = None) -> Conversion:  # fmt: skip
    """申请学分转换 — an official asks to spend a person's credits (of ``category``, or of any, oldest first) on the
    exemption of a training module's 学时 (``credits`` × the rule's 学时 per credit) or of an evaluation's theory part
    (the rule's fixed credits), recording how the person consented. Nothing is spent until another official approves
    (``conversion_decide``). Refused: beyond the balance less the person's other pending requests, a second request
    for the same target while one is pending or done, a missing consent."""
    region = region_validate(region_code)
    require(actor, "records.review", region_code=region.code)
    if target not in ConversionTarget.values:
        raise invalid(field="target", code=Code.BAD_TARGET, message=_("请选择转换用途。"))
    target_label = _clean(target_label, 300)
    if not 2 <= len(target_label) <= 200:
        raise invalid(
            field="target_label", code=Code.BAD_TARGET, message=_("请写明免修的培训模块或免考的评价（2–200 字）。")
        )
    reason = _clean(reason, 400)
    if not 2 <= len(reason) <= 300:
        raise invalid(field="reason", code=Code.REASON_REQUIRED, message=_("请填写转换依据（2–300 字）。"))
    if category and category not in Category.values:
        raise invalid(field="category", code=Code.UNKNOWN_CATEGORY, message=_("不是学分类别。"))
    today = timezone.localdate()
    if consent_method not in ConsentMethod.values:
        raise invalid(field="consent_method", code=Code.CONSENT_REQUIRED,
                      message=_("学分转换须经本人同意：请选择本人同意的方式。"))  # fmt: skip
    online = consent_method == ConsentMethod.ONLINE
    consent_ref = "" if online else _clean(consent_ref, 100)
    if not online and not 2 <= len(consent_ref) <= 60:
        raise invalid(field="consent_ref", code=Code.CONSENT_REQUIRED,
                      message=_("请填写本人同意的凭证（申请表编号或存档位置，2–60 字）。"))  # fmt: skip
    if online:
        consent_on = None  # the person consents on their own page (conversion_consent); the request waits for it
    elif consent_on is None or not today - dt.timedelta(days=90) <= consent_on <= today:
        raise invalid(field="consent_on", code=Code.CONSENT_REQUIRED,
                      message=_("同意日期须在最近 90 天内，且不晚于今天。"))  # fmt: skip
    rule_set = rules_in_force(region.code, today)
    if rule_set is None:
        raise invalid(field="region", code=Code.NO_RULES, message=_("本地区尚未发布学分规则，不能转换。"))
    rules = rules_parse(rule_set.rules)
    if target == ConversionTarget.THEORY_WAIVER:
        if rules.theory_waiver_credits <= 0:
            raise invalid(field="target", code=Code.NOT_OFFERED, message=_("本地区规则未开放学分免考理论部分。"))
        amount, hours = rules.theory_waiver_credits, 0
    else:
        amount = _credits_input(credits, "credits")
        hours = int((amount * rules.conversion_hours_per_credit).to_integral_value(rounding=ROUND_DOWN))
    key = _target_key(target_label)
    taken = _("该人员对同一%(target)s已有待审核或已完成的转换，不能重复。")
    try:
        with transaction.atomic():
            Person.objects.select_for_update().filter(pk=person.pk).first()  # one request or approval at a time
            live = Conversion.objects.filter(person_id=person.pk, target=target, target_key=key,
                                             status__in=[ConversionStatus.PENDING, ConversionStatus.APPROVED])  # fmt: skip
            if live.exists():
                raise invalid(field="target_label", code=Code.CONVERSION_TAKEN,
                              message=taken % {"target": ConversionTarget(target).label})  # fmt: skip
            _lots, available = _available(person.pk, today, category)
            free = available - _pending_reserved(person.pk, category)
            if amount > free:
                raise _beyond(free, amount)
            conversion = Conversion.objects.create(
                person=person, region=region, target=target, target_label=target_label, target_key=key,
                category=category, credits=amount, hours_waived=hours, rule_set=rule_set, reason=reason,
                consent_method=consent_method, consent_ref=consent_ref, consent_on=consent_on,
                created_by=actor_user(actor),
            )  # fmt: skip
            audit_event(E.CREDITS_CONVERSION_REQUEST, actor=actor, object_id=conversion.pk, region_code=region.code,
                        after={"person": str(person.pk), "target": target, "target_label": target_label,
                               "credits": str(amount), "hours": hours, "consent_method": consent_method,
                               "consent_ref": consent_ref, "consent_on": consent_on}, reason=reason)  # fmt: skip
    except IntegrityError:  # a concurrent request for the same target
        raise invalid(field="target_label", code=Code.CONVERSION_TAKEN,
                      message=taken % {"target": ConversionTarget(target).label}) from None  # fmt: skip
    return conversion


def conversion_decide(*, actor: Actor, conversion: Conversion, approve: bool, reason: str = "") -> Conversion:
    """审核学分转换 — another official of the region (never the one who asked) approves, which spends the credits
    (oldest first, the balance checked again now: credits reversed or converted meanwhile are gone), or refuses with
    a reason. A refusal frees the target for a new request."""
    require(actor, "records.review", region_code=conversion.region_id)
    reason = _clean(reason, 400)
    if not approve and not 2 <= len(reason) <= 300:
        raise invalid(field="reason", code=Code.REASON_REQUIRED, message=_("不予转换须写明理由（2–300 字）。"))
    if len(reason) > 300:
        raise invalid(field="reason", code=Code.REASON_REQUIRED, message=_("审核意见至多 300 字。"))
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=conversion.person_id).first()
        c: Conversion = Conversion.objects.select_for_update().get(pk=conversion.pk)
        if c.status != ConversionStatus.PENDING:
            raise invalid(field="status", code=Code.CONVERSION_STATE, message=_("该转换申请已审核。"))
        user = actor_user(actor)
        if user is None or c.created_by_id == user.pk:
            raise invalid(field="reviewer", code=Code.SELF_REVIEW,
                          message=_("申请人不能审核自己的转换申请，须由另一人审核。"))  # fmt: skip
        today = timezone.localdate()
        consumed: list[dict[str, str]] = []
        if approve and c.consent_method == ConsentMethod.ONLINE and c.consented_at is None:
            raise invalid(field="consent", code=Code.CONSENT_PENDING,
                          message=_("本人尚未在线确认同意，暂不能审核通过。"))  # fmt: skip
        if approve:
            lots, available = _available(c.person_id, today, c.category)
            if c.credits > available:
                raise _beyond(available, c.credits)
            left = c.credits
            for lot in lots:
                if left <= 0:
                    break
                take = min(lot.remaining, left)
                left -= take
                CreditEntry.objects.create(
                    person_id=c.person_id, region_id=c.region_id, category=lot.entry.category,
                    kind=EntryKind.CONVERT, credits=-take, source_key=f"conversion:{c.pk}",
                    source_label=f"{c.get_target_display()}：{c.target_label}"[:200], rule_set=c.rule_set,
                    rule_version=c.rule_set.version, explanation=c.reason[:300], on=today,
                    expires_on=lot.entry.expires_on, conversion=c, offsets=lot.entry,
                )  # fmt: skip
                consumed.append({"entry": str(lot.entry.pk), "source": lot.entry.source_label, "credits": str(take)})
        c.status = ConversionStatus.APPROVED if approve else ConversionStatus.REJECTED
        c.decided_by, c.decided_at, c.decision_reason, c.consumed = user, timezone.now(), reason, consumed
        c.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "consumed", "updated_at"])
        event = E.CREDITS_CONVERT if approve else E.CREDITS_CONVERSION_REJECT
        audit_event(event, actor=actor, object_id=c.pk, region_code=c.region_id,
                    after={"status": c.status, "person": str(c.person_id), "credits": str(c.credits),
                           "consumed": consumed}, reason=reason)  # fmt: skip
    return c


def conversion_consent(*, actor: Actor, conversion: Conversion, agree: bool) -> Conversion:
    """本人确认 — the person whose credits a pending conversion would spend agrees to it on their own page (an online
    request waits for this before it can be approved), or withdraws (the request ends, nothing is spent, the target
    is free again). Only the person themselves; only while the request is pending."""
    user = actor_user(actor)
    with transaction.atomic():
        c: Conversion = Conversion.objects.select_for_update().get(pk=conversion.pk)
        if user is None or not user.person_id or user.person_id != c.person_id:
            raise invalid(field="person", code=Code.NOT_YOURS, message=_("只有本人可以确认或撤回自己的学分转换。"))
        if c.status != ConversionStatus.PENDING:
            raise invalid(field="status", code=Code.CONVERSION_STATE, message=_("该转换申请已审核，不能再确认或撤回。"))
        if agree and c.consent_method != ConsentMethod.ONLINE:
            raise invalid(field="consent", code=Code.CONVERSION_STATE,
                          message=_("该申请已按书面或到场方式记录了您的同意。"))  # fmt: skip
        if agree and c.consented_at is not None:
            raise invalid(field="consent", code=Code.CONVERSION_STATE, message=_("您已确认同意该转换。"))
        now = timezone.now()
        if agree:
            c.consented_at, c.consent_on, c.consent_ref = now, timezone.localdate(), _("本人在线确认")[:60]
        else:
            c.status, c.decided_at = ConversionStatus.WITHDRAWN, now
            c.decision_reason = _("本人撤回同意")[:300]
        c.save(update_fields=["consented_at", "consent_on", "consent_ref", "status", "decided_at", "decision_reason",
                              "updated_at"])  # fmt: skip
        audit_event(E.CREDITS_CONVERSION_CONSENT, actor=actor, object_id=c.pk, region_code=c.region_id,
                    after={"agree": agree, "status": c.status})  # fmt: skip
    return c


# ---- transcript (学分证明) ---------------------------------------------------------------------------------------


def transcript_payload(person: Person, issuer: dict[str, Any], on: dt.date | None = None) -> dict[str, Any]:
    """学分证明 — the person's account as a W3C VC 2.0 credential shaped after 1EdTech's Comprehensive Learner Record
    (``ClrCredential``/``ClrSubject``): each entry an achievement with its credits, category, source, rule version
    and dates; the balance by category. The holder by the masked name and a salted hash of the ID number
    (``nationalIdentityNumber``, ``sha256$…`` with its salt, as Open Badges 3.0 name a hashed identity): another
    deployment that knows the number checks it; the number itself is never in the transcript."""
    from jineng.common.masking import mask_name
    from jineng.registry.api import identity_hash

    on = on or timezone.localdate()
    entries = list(
        CreditEntry.objects.filter(person_id=person.pk).select_related("region").order_by("on", "created_at")
    )
    balance = balance_of(person.pk, on)
    remaining = {lot.entry.pk: lot for lot in lots_of(person.pk, on)}
    salt = secrets.token_hex(16)
    holder = [
        {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": mask_name(person.name)}
    ]
    hashed = identity_hash(person, salt)
    if hashed:
        holder.insert(0, {"type": "IdentityObject", "identityType": "nationalIdentityNumber", "hashed": True,
                          "identityHash": hashed, "salt": salt})  # fmt: skip
    issued = timezone.now().replace(microsecond=0)
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
        ],
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "ClrCredential", "JinengCreditTranscript"],
        "name": "技能学分证明",
        "description": f"核验：{str(issuer.get('url') or '/').rstrip('/')}/credits/verify/（公钥：/.well-known/jwks.json）",
        "issuer": issuer,
        "validFrom": issued.isoformat(),
        "credentialSubject": {
            "type": ["ClrSubject"],
            "identifier": holder,
            "asOf": on.isoformat(),
            "balance": {c: str(v) for c, v in balance.items()},
            "achievement": [
                {
                    "id": f"urn:uuid:{e.pk}",
                    "type": ["Achievement"],
                    "achievementType": "SkillCredit",
                    "name": e.source_label,
                    "category": e.category,
                    "kind": e.kind,
                    "creditsAvailable": str(e.credits),
                    # what is left of an earned or recognized credit (reversals and conversions taken off), and
                    # whether it has lapsed: what another deployment may recognize
                    **(
                        {"creditsRemaining": str(remaining[e.pk].remaining), "expired": remaining[e.pk].expired}
                        if e.pk in remaining
                        else {}
                    ),
                    "source": e.source_key.split(":")[0],
                    "region": e.region.name,
                    "ruleVersion": e.rule_version,
                    "on": e.on.isoformat(),
                    "expiresOn": e.expires_on.isoformat() if e.expires_on else None,
                }  # fmt: skip
                for e in entries
            ],
        },
    }
