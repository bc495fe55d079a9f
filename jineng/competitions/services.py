"""Writes of competitions. Each service checks permission, locks what it changes, checks the state it starts from,
writes, and appends its audit entry in the same transaction.

Who may do what:

- **the organizer** (an organization grant, ``org.edit`` over the event's organizer): creates and files an event,
  registers contestants, records results;
- **an enterprise** (``org.edit`` over its organization): registers its own workers for an approved event;
- **officials** (``records.review`` over the event's region): approve or return a filed event, review, publish
  (公示) and finalize its results — finalizing applies the region's award rules and issues the promotion
  certificates through the certificates app — restate a result after publication and decide objections; propose and
  publish award rules (``settings.edit`` over the rule set's region);
- **anyone signed in**: objects (异议) to published results during the 公示 period;
- **the organizer or the recommending organization**: withdraws a registration (退赛) before the event starts.

Four eyes (双人复核, docs/competitions.md): whoever entered a result may not review, publish or finalize the event's
results; whoever reviewed may not publish; whoever created an event may not approve it; whoever proposed award rules
may not publish them (``same_person``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from jineng.accounts.api import Actor, Organization, actor_user, principal_for, require
from jineng.certificates import api as certificates_api
from jineng.common.audit.services import audit_event
from jineng.common.errors import DomainError, InvalidState, PermissionDenied, invalid
from jineng.common.numbers import int_or_none
from jineng.competitions import selectors
from jineng.competitions.errors import Code
from jineng.competitions.events import Event as E
from jineng.competitions.events import award_changed
from jineng.competitions.models import (
    AdvanceMode,
    Award,
    AwardRuleSet,
    AwardStatus,
    Contestant,
    ContestantStatus,
    Event,
    EventClass,
    EventLevel,
    EventStatus,
    Objection,
    ObjectionStatus,
    Result,
    ResultsStage,
    RuleSetStatus,
    Stage,
    StageKind,
    StageResult,
    StageStatus,
)
from jineng.refdata.api import (
    SkillLevel,
    level_lookup,
    level_validate,
    occupation_validate,
    region_ancestors,
    region_is_within,
    region_validate,
)
from jineng.registry.api import person_resolve
from jineng.rules.competitions import (
    AwardFacts,
    AwardRules,
    RuleError,
    decide,
    ladder_from,
    rank_contradiction,
    rules_from_data,
    tied_first,
)

# 公示期: published results stay open to objections this many days before they can be made final.
OBJECTION_DAYS = 5
SCORE_MAX = Decimal("1000")
RANK_MAX = 10000
# Levels whose contestants need not live (or work) in the event's region.
OPEN_LEVELS = set(selectors.OPEN_LEVELS)
OTHER_OCCUPATIONS_MAX = 10
OBJECTION_MAX = 500


def _reason(text: str, field: str = "reason") -> str:
    text = " ".join(str(text or "").split())
    if not 2 <= len(text) <= 300:
        raise invalid(field=field, code=Code.REASON_REQUIRED, message="请填写原因（2–300 字）。")
    return text


def _require_organizer(actor: Actor, event: Event) -> None:
    require(actor, "org.edit", organization_id=event.organizer_id)


def _require_official(actor: Actor, event: Event) -> None:
    require(actor, "records.review", region_code=event.region_id)


def can_organize(actor: Actor, event: Event) -> bool:
    p = principal_for(actor)
    return p.superuser or "org.edit" in p.org_perms.get(event.organizer_id, set())


def can_review(actor: Actor, event: Event) -> bool:
    p = principal_for(actor)
    return p.superuser or any(region_is_within(event.region_id, c) for c in p.regions_with("records.review"))


def _user_id(actor: Actor) -> Any:
    user = actor_user(actor)
    return user.pk if user is not None else None


def _not_same(actor: Actor, others: Any, message: str) -> None:
    """Four eyes: refuse ``actor`` if they are one of ``others`` (user ids; system operators are no one)."""
    uid = _user_id(actor)
    if uid is not None and uid in {o for o in others if o is not None}:
        raise InvalidState(message, code=Code.SAME_PERSON)


def _recorders(event: Event) -> set[Any]:
    return set(Result.objects.filter(contestant__event=event).values_list("recorded_by_id", flat=True))


def can_set_rules(actor: Actor, rule_set: AwardRuleSet) -> bool:
    """Whether ``actor`` may publish or return a draft: ``settings.edit`` over its region, and not its proposer."""
    p = principal_for(actor)
    allowed = p.superuser or any(region_is_within(rule_set.region_id, c) for c in p.regions_with("settings.edit"))
    return allowed and _user_id(actor) != rule_set.created_by_id


def _locked(event: Event) -> Event:
    locked: Event = (
        Event.objects.select_for_update(of=("self",)).select_related("occupation", "region").get(pk=event.pk)
    )
    return locked


# ---- events ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventData:
    name: str
    level: str
    event_class: str
    occupation: str
    approving_department: str
    region: str
    starts_on: dt.date
    ends_on: dt.date
    min_age: int = 16
    max_age: int = 65
    other_occupations: tuple[str, ...] = ()
    min_level: str = ""
    max_level: str = ""


def _check_eligibility(data: EventData) -> tuple[list[str], Any, Any]:
    """报名条件: further occupations (at most ``OTHER_OCCUPATIONS_MAX``, each a known occupation, none twice) and a
    level range on the certificate ladder (minimum not above maximum)."""
    others: list[str] = []
    for code in data.other_occupations:
        code = str(code or "").strip()
        if not code:
            continue
        occupation_validate(code, "other_occupations")
        if code == data.occupation.strip() or code in others:
            raise invalid(field="other_occupations", code=Code.BAD_OCCUPATIONS, message=f"职业重复：{code}")
        others.append(code)
    if len(others) > OTHER_OCCUPATIONS_MAX:
        raise invalid(field="other_occupations", code=Code.BAD_OCCUPATIONS,
                      message=f"其他可报名职业不超过 {OTHER_OCCUPATIONS_MAX} 个。")  # fmt: skip
    ladder = {r.code for r in certificate_ladder()}
    levels = []
    for field in ("min_level", "max_level"):
        code = getattr(data, field).strip()
        level = level_validate(code, field) if code else None
        if level is not None and level.code not in ladder:
            raise invalid(field=field, code=Code.BAD_LEVEL_RANGE, message="等级须是职业技能等级（五级至一级）。")
        levels.append(level)
    low, high = levels
    if low is not None and high is not None and low.rank > high.rank:
        raise invalid(field="max_level", code=Code.BAD_LEVEL_RANGE, message="报名最高等级不能低于最低等级。")
    return others, low, high


def _check_event(data: EventData) -> tuple[str, Any, Any]:
    name = " ".join(data.name.split())
    if not 4 <= len(name) <= 200:
        raise invalid(field="name", code=Code.BAD_NAME, message="赛事名称须为 4–200 字。")
    if data.level not in EventLevel.values:
        raise invalid(field="level", code=Code.BAD_LEVEL, message="赛事级别不正确。")
    if data.event_class and data.level != EventLevel.PROVINCE:
        raise invalid(field="event_class", code=Code.BAD_CLASS, message="一类、二类只适用于省级赛事。")
    if data.event_class not in EventClass.values:
        raise invalid(field="event_class", code=Code.BAD_CLASS, message="赛事类别不正确。")
    if not 2 <= len(data.approving_department.strip()) <= 200:
        raise invalid(field="approving_department", code=Code.DEPARTMENT_REQUIRED, message="请填写批准部门。")
    if not dt.date(2000, 1, 1) <= data.starts_on <= dt.date(2100, 12, 31):  # a web form's date has no bound of its own
        raise invalid(field="starts_on", code=Code.BAD_DATES, message="开赛日期须在 2000–2100 年之间。")
    if data.ends_on < data.starts_on or (data.ends_on - data.starts_on).days > 366:
        raise invalid(field="ends_on", code=Code.BAD_DATES, message="结束日期须不早于开赛日期，且赛期不超过一年。")
    if not 14 <= data.min_age <= data.max_age <= 80:
        raise invalid(field="max_age", code=Code.BAD_AGES, message="年龄范围须在 14–80 岁之间，且下限不高于上限。")
    occupation = occupation_validate(data.occupation)
    region = region_validate(data.region)
    return name, occupation, region


def event_create(*, actor: Actor, organizer: Organization, data: EventData) -> Event:
    """新建赛事 — by the organizer's staff (or an official over the event's region), as a draft."""
    name, occupation, region = _check_event(data)
    others, min_level, max_level = _check_eligibility(data)
    p = principal_for(actor)
    if not (p.superuser or "org.edit" in p.org_perms.get(organizer.pk, set())):
        require(actor, "records.review", region_code=region.code)
    with transaction.atomic():
        prefix = f"JS{region.code}{data.starts_on.year}"
        n = Event.objects.filter(code__startswith=prefix).count() + 1
        event = Event.objects.create(
            code=f"{prefix}{n:04d}", name=name, level=data.level, event_class=data.event_class,
            occupation=occupation, organizer=organizer, approving_department=data.approving_department.strip(),
            region=region, starts_on=data.starts_on, ends_on=data.ends_on, min_age=data.min_age,
            max_age=data.max_age, created_by=actor_user(actor), other_occupations=others, min_level=min_level,
            max_level=max_level,
        )  # fmt: skip
        audit_event(E.COMPETITION_CREATE, actor=actor, object_id=event.pk, region_code=region.code,
                    after={"code": event.code, "name": name, "level": data.level, "class": data.event_class,
                           "occupation": occupation.code, "organizer": str(organizer.pk),
                           "other_occupations": others, "min_level": min_level.code if min_level else None,
                           "max_level": max_level.code if max_level else None})  # fmt: skip
    return event


def event_file(*, actor: Actor, event: Event) -> Event:
    """报备 — the organizer files a draft (or a returned) event for approval."""
    _require_organizer(actor, event)
    with transaction.atomic():
        event = _locked(event)
        if event.status not in (EventStatus.DRAFT, EventStatus.REJECTED):
            raise InvalidState("只有草稿或已退回的赛事可以报备。", code=Code.EVENT_STATE)
        before = event.status
        event.status = EventStatus.FILED
        event.filed_at = timezone.now()
        event.save(update_fields=["status", "filed_at", "updated_at"])
        audit_event(E.COMPETITION_FILE, actor=actor, object_id=event.pk, region_code=event.region_id,
                    before={"status": before}, after={"status": event.status})  # fmt: skip
    return event


def event_decide(*, actor: Actor, event: Event, approve: bool, document_number: str = "", reason: str = "") -> Event:
    """批准 (with the approval's document number) or 退回 (with a reason) — an official over the event's region."""
    _require_official(actor, event)
    document_number = document_number.strip()
    if approve and not 2 <= len(document_number) <= 60:
        raise invalid(field="document_number", code=Code.BAD_CODE, message="请填写批准文号（2–60 字）。")
    if not approve:
        reason = _reason(reason)
    with transaction.atomic():
        event = _locked(event)
        if event.status != EventStatus.FILED:
            raise InvalidState("只有已报备的赛事可以审批。", code=Code.EVENT_STATE)
        _not_same(actor, [event.created_by_id], "新建赛事的人不能审批本赛事（须由另一人审批）。")
        event.status = EventStatus.APPROVED if approve else EventStatus.REJECTED
        event.document_number = document_number if approve else event.document_number
        event.reject_reason = "" if approve else reason
        event.decided_at = timezone.now()
        event.decided_by = actor_user(actor)
        event.save()
        audit_event(E.COMPETITION_APPROVE if approve else E.COMPETITION_REJECT, actor=actor, object_id=event.pk,
                    region_code=event.region_id, before={"status": EventStatus.FILED},
                    after={"status": event.status, "document_number": document_number}, reason=reason)  # fmt: skip
    return event


# ---- contestants -------------------------------------------------------------------------------------------------


def contestant_register(
    *,
    actor: Actor,
    event: Event,
    id_number: str,
    name: str,
    team_name: str = "",
    organization: Organization | None = None,
) -> Contestant:
    """报名 — a registry person, matched by document number and name (the real-name check of any import), by the
    organizer or by an enterprise for its own workers; eligibility: age on the first day, and (below national
    level) living or working in the event's region. A person registers once per event."""
    p = principal_for(actor)
    if organization is None or organization.pk == event.organizer_id:
        _require_organizer(actor, event)
        organization = organization or event.organizer
    elif not (p.superuser or "org.edit" in p.org_perms.get(organization.pk, set())):
        raise PermissionDenied()
    name = " ".join(str(name or "").split())
    team_name = " ".join(str(team_name or "").split())
    if len(team_name) > 100:
        raise invalid(field="team_name", code=Code.BAD_NAME, message="团队名称不超过 100 字。")
    if not 1 <= len(name) <= 60:
        raise invalid(field="name", code=Code.BAD_NAME, message="请填写姓名。")
    person = person_resolve(id_number)
    if person is None:
        raise invalid(field="id_number", code=Code.NOT_IN_REGISTRY,
                      message="该证件号码不在实名制人员库中，请先登记入库。")  # fmt: skip
    if person.name != name:
        raise invalid(field="name", code=Code.NAME_MISMATCH, message="姓名与实名制人员库登记的不一致。")
    with transaction.atomic():
        event = _locked(event)
        if event.status != EventStatus.APPROVED or event.results_stage != ResultsStage.OPEN:
            raise InvalidState("只有已批准、尚未提交成绩的赛事可以报名。", code=Code.EVENT_STATE)
        if StageResult.objects.filter(stage__event=event).exists():
            raise InvalidState("初赛已录入成绩，报名已截止。", code=Code.EVENT_STATE)
        if event.level not in OPEN_LEVELS:
            places = [c for c in (person.residence_region_id, organization.region_id) if c]
            if not any(region_is_within(c, event.region_id) for c in places):
                raise invalid(field="id_number", code=Code.OUTSIDE_REGION,
                              message=f"选手的居住地和推荐单位都不在{event.region.name}，不符合报名条件。")  # fmt: skip
        if person.birth_date is not None:
            s, b = event.starts_on, person.birth_date
            age = s.year - b.year - ((s.month, s.day) < (b.month, b.day))
            if not event.min_age <= age <= event.max_age:
                raise invalid(field="id_number", code=Code.AGE_NOT_ELIGIBLE,
                              message=f"开赛时年龄 {age} 岁，不在 {event.min_age}–{event.max_age} 岁之间。")  # fmt: skip
        _check_levels(event, person.pk)
        earlier: Contestant | None = Contestant.objects.select_for_update().filter(event=event, person=person).first()
        if earlier is not None and earlier.status == ContestantStatus.REGISTERED:
            raise invalid(field="id_number", code=Code.DUPLICATE_REGISTRATION, message="该选手已报名本赛事。")
        fields = {"name": person.name, "team_name": team_name, "organization": organization,
                  "organization_name": organization.name, "registered_by": actor_user(actor)}  # fmt: skip
        if earlier is not None:  # withdrawn earlier: registered again on the same record
            contestant = earlier
            for key, value in fields.items():
                setattr(contestant, key, value)
            contestant.status, contestant.withdrawn_at, contestant.withdraw_reason = (
                ContestantStatus.REGISTERED,
                None,
                "",
            )
            contestant.save()
        else:
            contestant = Contestant.objects.create(event=event, person=person, **fields)
        audit_event(E.COMPETITION_REGISTER, actor=actor, object_id=contestant.pk, region_code=event.region_id,
                    after={"event": event.code, "person": str(person.pk), "team": team_name,
                           "organization": organization.name})  # fmt: skip
    return contestant


def _level_name(level: Any) -> str:
    return str(level.label if level is not None else "")


def _check_levels(event: Event, person_id: Any) -> None:
    """报名条件 by occupation and level: with a minimum, the contestant holds a valid certificate of that level or
    above in one of the event's occupations; with a maximum, none above it."""
    if event.min_level_id is None and event.max_level_id is None:
        return
    occupations = {event.occupation.code, *event.other_occupations}
    held = [
        c
        for c in certificates_api.certificate_facts(person_ids=[person_id])
        if c.valid and c.occupation in occupations and c.level
    ]
    best = max(held, key=lambda c: c.level_rank) if held else None
    names = "、".join(sorted(occupations))
    if event.min_level is not None and (best is None or best.level_rank < event.min_level.rank):
        now = f"现持{level_lookup(best.level).label}" if best is not None else "未持有本赛事职业的等级证书"  # type: ignore[union-attr]
        raise invalid(field="id_number", code=Code.LEVEL_NOT_HELD,
                      message=f"报名须持有本赛事职业（{names}）{_level_name(event.min_level)}及以上证书，{now}。")  # fmt: skip
    if event.max_level is not None and best is not None and best.level_rank > event.max_level.rank:
        raise invalid(field="id_number", code=Code.LEVEL_ABOVE_LIMIT,
                      message=f"本赛事限{_level_name(event.max_level)}及以下报名，"
                              f"该选手已持有{level_lookup(best.level).label}证书。")  # type: ignore[union-attr]  # fmt: skip


def may_withdraw(actor: Actor, contestant: Contestant) -> bool:
    """The organizer's staff or the recommending organization's (推荐单位, ``org.edit``) may withdraw."""
    p = principal_for(actor)
    orgs = {o for o in (contestant.event.organizer_id, contestant.organization_id) if o is not None}
    return p.superuser or any("org.edit" in p.org_perms.get(o, set()) for o in orgs)


def _may_withdraw(actor: Actor, contestant: Contestant) -> None:
    if not may_withdraw(actor, contestant):
        raise PermissionDenied()


def contestant_withdraw(*, actor: Actor, contestant: Contestant, reason: str,
                        today: dt.date | None = None) -> Contestant:  # fmt: skip
    """退赛 — by the organizer or the organization that registered the contestant (推荐单位), with a reason, up to the
    day before the event starts and while no result is entered. The person may be registered again later."""
    _may_withdraw(actor, contestant)
    reason = _reason(reason)
    today = today or timezone.localdate()
    with transaction.atomic():
        event = _locked(contestant.event)
        contestant = Contestant.objects.select_for_update().get(pk=contestant.pk)
        if contestant.status == ContestantStatus.WITHDRAWN:
            raise InvalidState("该选手已退赛。", code=Code.ALREADY_WITHDRAWN)
        if today >= event.starts_on or event.results_stage != ResultsStage.OPEN:
            raise InvalidState(f"退赛须在开赛（{event.starts_on:%Y-%m-%d}）前办理。", code=Code.WITHDRAW_CLOSED)
        if (
            Result.objects.filter(contestant=contestant).exists()
            or StageResult.objects.filter(contestant=contestant).exists()
        ):
            raise InvalidState("已录入成绩的选手不能退赛。", code=Code.WITHDRAW_CLOSED)
        contestant.status = ContestantStatus.WITHDRAWN
        contestant.withdrawn_at, contestant.withdraw_reason = timezone.now(), reason
        contestant.save(update_fields=["status", "withdrawn_at", "withdraw_reason", "updated_at"])
        audit_event(E.COMPETITION_WITHDRAW, actor=actor, object_id=contestant.pk, region_code=event.region_id,
                    before={"status": ContestantStatus.REGISTERED}, after={"status": ContestantStatus.WITHDRAWN},
                    reason=reason)  # fmt: skip
    return contestant


# ---- results -----------------------------------------------------------------------------------------------------


def _score(value: Any) -> Decimal:
    try:
        score = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise invalid(field="score", code=Code.BAD_SCORE, message="成绩须为数字。") from None
    if not score.is_finite() or not Decimal(0) <= score <= SCORE_MAX or score != score.quantize(Decimal("0.01")):
        raise invalid(field="score", code=Code.BAD_SCORE, message=f"成绩须在 0–{SCORE_MAX} 之间，最多两位小数。")
    return score


def _rank(value: Any) -> int:
    try:
        rank = int(str(value).strip())
    except ValueError:
        raise invalid(field="rank", code=Code.BAD_RANK, message="名次须为正整数。") from None
    if not 1 <= rank <= RANK_MAX:
        raise invalid(field="rank", code=Code.BAD_RANK, message=f"名次须在 1–{RANK_MAX} 之间。")
    return rank


def result_record(*, actor: Actor, event: Event, id_number: str = "", score: Any, rank: Any,
                  contestant_id: Any = None) -> Result:  # fmt: skip
    """录入成绩 — by the organizer, once the event has started and before the results are reviewed; for a registered
    contestant only (matched by document number, or ``contestant_id``: the one picked from the page's list).
    Recording again replaces the score and rank."""
    _require_organizer(actor, event)
    score_d, rank_i = _score(score), _rank(rank)
    person = person_resolve(id_number) if contestant_id is None else None
    with transaction.atomic():
        event = _locked(event)
        if event.status != EventStatus.APPROVED or event.results_stage != ResultsStage.OPEN:
            raise InvalidState("成绩已提交审核，不能再录入；发布后的更改请走更正。", code=Code.RESULTS_STATE)
        _check_started(event)
        contestant = _registered(event, person, contestant_id)
        _check_in_stage(event, final_stage(event), contestant)
        result, created = Result.objects.update_or_create(
            contestant=contestant, defaults={"score": score_d, "rank": rank_i, "recorded_by": actor_user(actor)}
        )
        audit_event(E.COMPETITION_RESULT_RECORD, actor=actor, object_id=result.pk, region_code=event.region_id,
                    after={"event": event.code, "contestant": str(contestant.pk), "score": score_d,
                           "rank": rank_i})  # fmt: skip
    return result


def _check_started(event: Event) -> None:
    """Results (of any stage) are entered from the day the event starts (China time), never before."""
    if timezone.localdate() < event.starts_on:
        raise InvalidState(gettext("赛事 %(date)s 开赛，开赛前不能录入成绩。") % {"date": f"{event.starts_on:%Y-%m-%d}"},
                           code=Code.NOT_STARTED)  # fmt: skip


def _registered(event: Event, person: Any, picked: Any = None) -> Contestant:
    """The registered contestant of ``event`` who is ``person`` (resolved from a document number) or whose id is
    ``picked`` (chosen from the page's list, checked again here), or the error a result for someone not registered
    gets (on ``contestant`` when picked, else on ``id_number``)."""
    registered = Contestant.objects.filter(event=event, status=ContestantStatus.REGISTERED)
    if picked is not None:
        found: Contestant | None = registered.filter(pk=picked).first()
    else:
        found = registered.filter(person=person).first() if person is not None else None
    if found is None:
        raise invalid(field="id_number" if picked is None else "contestant", code=Code.NOT_REGISTERED,
                      message="该人员未报名本赛事，不能录入成绩。")  # fmt: skip
    return found


def _no_tie_at_first(event: Event) -> None:
    """Rank 1 is one contestant's, or one team's (its members share it): equal scores at the top are ordered by the
    event's tie-break before the results go on. Checked at 审核, 公示 and 确认, and by a restatement of final results."""
    results = Result.objects.filter(contestant__event=event, rank=1).select_related("contestant")
    tied = tied_first([(r.contestant.name, r.contestant.team_name or f"#{r.contestant.pk}") for r in results])
    if tied:
        raise invalid(field="rank", code=Code.TIED_FIRST,
                      message=f"第 1 名只能有一名选手（或一个团队）：{'、'.join(tied)} 并列第 1 名，"
                              "请按竞赛规则的同分排序办法（用时、实操成绩等）排出名次。")  # fmt: skip


def _ranks_agree_with_scores(event: Event) -> None:
    """At 审核 and 公示, a higher score with a worse rank is refused (ties: any order), naming the two contestants.
    (Not at 录入, where one row at a time may pass through a contradiction, nor at 更正, where a swap takes two.)"""
    _no_tie_at_first(event)
    rows = [(r, r.score, r.rank) for r in Result.objects.filter(contestant__event=event).select_related("contestant")]
    found = rank_contradiction(rows)
    if found is not None:
        better, worse = found
        raise invalid(field="rank", code=Code.RANK_CONTRADICTS_SCORE,
                      message=f"名次与成绩不符：{better.contestant.name}（{better.score} 分）排第 {better.rank} 名，"
                              f"{worse.contestant.name}（{worse.score} 分）却排第 {worse.rank} 名；"
                              "成绩高者名次须在前（同分者按竞赛规则排序）。")  # fmt: skip


def _advance(actor: Actor, event: Event, frm: str, to: str, audit: E, message: str) -> Event:
    _require_official(actor, event)
    with transaction.atomic():
        event = _locked(event)
        if event.status != EventStatus.APPROVED or event.results_stage != frm:
            raise InvalidState(message, code=Code.RESULTS_STATE)
        if not Result.objects.filter(contestant__event=event).exists():
            raise InvalidState("本赛事还没有成绩。", code=Code.NO_RESULTS)
        _not_same(actor, _recorders(event), "录入成绩的人不能审核、公示本赛事的成绩（须由另一人办理）。")
        if to == ResultsStage.PUBLISHED:
            _not_same(actor, [event.reviewed_by_id], "审核成绩的人不能再公示（须由另一人办理）。")
        _ranks_agree_with_scores(event)
        event.results_stage = to
        fields = ["results_stage", "updated_at"]
        if to == ResultsStage.REVIEWED:
            event.reviewed_by = actor_user(actor)
            fields += ["reviewed_by"]
        if to == ResultsStage.PUBLISHED:
            event.published_at = timezone.now()
            event.published_by = actor_user(actor)
            event.objection_until = timezone.localdate() + dt.timedelta(days=OBJECTION_DAYS)
            fields += ["published_at", "published_by", "objection_until"]
        event.save(update_fields=fields)
        audit_event(audit, actor=actor, object_id=event.pk, region_code=event.region_id,
                    before={"results_stage": frm}, after={"results_stage": to,
                                                          "objection_until": event.objection_until})  # fmt: skip
    return event


def results_review(*, actor: Actor, event: Event) -> Event:
    """审核 — an official over the event's region accepts the recorded results."""
    return _advance(actor, event, ResultsStage.OPEN, ResultsStage.REVIEWED, E.COMPETITION_RESULTS_REVIEW,
                    "只有未提交的成绩可以审核。")  # fmt: skip


def results_publish(*, actor: Actor, event: Event) -> Event:
    """公示 — reviewed results become public, open to objections for ``OBJECTION_DAYS`` days; by an official other
    than the reviewer."""
    return _advance(actor, event, ResultsStage.REVIEWED, ResultsStage.PUBLISHED, E.COMPETITION_RESULTS_PUBLISH,
                    "须先审核成绩，再公示。")  # fmt: skip


# ---- stages (初赛 → 复赛 → 决赛) --------------------------------------------------------------------------------------

STAGE_ORDER = [StageKind.PRELIMINARY.value, StageKind.SEMIFINAL.value, StageKind.FINAL.value]


@dataclass(frozen=True)
class StageData:
    kind: str
    advance_mode: str = ""
    advance_value: Any = None


def _check_stages(stages: list[StageData]) -> list[tuple[str, str, Decimal | None]]:
    """Stages in order (初赛, 复赛, 决赛; 复赛 optional), ending with the 决赛; each stage before it advances its
    top N (a whole number 1–``RANK_MAX``) or those at or above a score line (0–``SCORE_MAX``)."""
    if not stages:
        return []
    kinds = [s.kind for s in stages]
    if (
        len(kinds) < 2
        or kinds[-1] != StageKind.FINAL
        or any(k not in STAGE_ORDER for k in kinds)
        or [STAGE_ORDER.index(k) for k in kinds] != sorted({STAGE_ORDER.index(k) for k in kinds})
    ):
        raise invalid(field="stages", code=Code.BAD_STAGES,
                      message="赛段须按初赛、复赛、决赛的顺序设置，最后一段为决赛（复赛可不设）。")  # fmt: skip
    out: list[tuple[str, str, Decimal | None]] = []
    for i, st in enumerate(stages):
        field = f"stages[{i}].advance_value"
        if st.kind == StageKind.FINAL:
            out.append((st.kind, "", None))
            continue
        if st.advance_mode not in AdvanceMode.values:
            raise invalid(field=f"stages[{i}].advance_mode", code=Code.BAD_ADVANCE,
                          message="请选择晋级办法：前 N 名晋级，或达到分数线晋级。")  # fmt: skip
        if st.advance_mode == AdvanceMode.TOP_N:
            raw = str(st.advance_value if st.advance_value is not None else "").strip()
            number = int_or_none(raw)
            if number is None or not 1 <= number <= RANK_MAX:
                raise invalid(field=field, code=Code.BAD_ADVANCE, message=f"晋级人数须为 1–{RANK_MAX} 的整数。")
            out.append((st.kind, st.advance_mode, Decimal(number)))
        else:
            try:
                line = _score(st.advance_value)
            except DomainError:
                raise invalid(field=field, code=Code.BAD_ADVANCE,
                              message=f"分数线须在 0–{SCORE_MAX} 之间，最多两位小数。") from None  # fmt: skip
            out.append((st.kind, st.advance_mode, line))
    return out


def event_stages_set(*, actor: Actor, event: Event, stages: list[StageData]) -> list[Stage]:
    """设置赛段 — by the organizer, before any result (of any stage) is entered: none (one round), or 初赛 (→ 复赛)
    → 决赛 with each earlier stage's advancement rule. Replaces the stages set before."""
    _require_organizer(actor, event)
    checked = _check_stages(stages)
    with transaction.atomic():
        event = _locked(event)
        if event.status == EventStatus.FILED or event.results_stage != ResultsStage.OPEN:
            raise InvalidState("赛段只能在报备前或批准后、录入成绩前设置。", code=Code.STAGE_STATE)
        if (
            StageResult.objects.filter(stage__event=event).exists()
            or Result.objects.filter(contestant__event=event).exists()
        ):
            raise InvalidState("已录入成绩，不能再修改赛段。", code=Code.STAGE_STATE)
        before = [f"{s.kind}:{s.advance_mode}:{s.advance_value}" for s in stages_of(event)]
        _live(event).update(status=StageStatus.RETIRED, updated_at=timezone.now())
        rows = [
            Stage.objects.create(event=event, position=i + 1, kind=kind, advance_mode=mode, advance_value=value)
            for i, (kind, mode, value) in enumerate(checked)
        ]
        audit_event(E.COMPETITION_STAGES_SET, actor=actor, object_id=event.pk, region_code=event.region_id,
                    before={"stages": before},
                    after={"stages": [f"{k}:{m}:{v}" for k, m, v in checked]})  # fmt: skip
    return rows


def _live(event: Event) -> Any:
    return Stage.objects.filter(event=event).exclude(status=StageStatus.RETIRED)


def stages_of(event: Event) -> list[Stage]:
    return list(_live(event).order_by("position"))


def current_stage(event: Event) -> Stage | None:
    """The first stage not yet advanced from (the 决赛 once every earlier one is); None for an event without
    stages."""
    found: Stage | None = _live(event).exclude(status=StageStatus.CLOSED).order_by("position").first()
    return found


def final_stage(event: Event) -> Stage | None:
    found: Stage | None = _live(event).filter(kind=StageKind.FINAL).first()
    return found


def _check_in_stage(event: Event, stage: Stage | None, contestant: Contestant) -> None:
    """A result in ``stage`` needs the stage before it advanced from (confirmed), and the contestant among those
    who advanced."""
    if stage is None:
        return
    before = _live(event).filter(position__lt=stage.position).exclude(status=StageStatus.CLOSED)
    earlier = before.order_by("position").first()
    if earlier is not None:
        raise InvalidState(f"{earlier.get_kind_display()}晋级名单尚未确认，不能录入{stage.get_kind_display()}成绩。",
                           code=Code.STAGE_STATE)  # fmt: skip
    if contestant.eliminated_in_id is not None:
        raise invalid(field="id_number", code=Code.NOT_ADVANCED,
                      message=f"{contestant.name}未晋级{stage.get_kind_display()}，不能录入成绩。")  # fmt: skip


def stage_result_record(*, actor: Actor, stage: Stage, id_number: str = "", score: Any, rank: Any,
                        contestant_id: Any = None) -> StageResult:  # fmt: skip
    """录入赛段成绩 — by the organizer, once the event has started, for a stage before the 决赛 that is under way (the
    earlier ones advanced from), for a registered contestant (by document number or picked) who advanced to it.
    Recording again replaces the score and rank."""
    event = stage.event
    _require_organizer(actor, event)
    score_d, rank_i = _score(score), _rank(rank)
    person = person_resolve(id_number) if contestant_id is None else None
    with transaction.atomic():
        event = _locked(event)
        stage = Stage.objects.select_for_update().get(pk=stage.pk)
        if event.status != EventStatus.APPROVED or stage.kind == StageKind.FINAL:
            raise InvalidState("决赛成绩在“录入成绩”中录入；赛段成绩只能在赛事批准后录入。", code=Code.STAGE_STATE)
        if stage.status == StageStatus.RETIRED:
            raise InvalidState("该赛段已取消。", code=Code.STAGE_STATE)
        if stage.status != StageStatus.OPEN:
            raise InvalidState(f"{stage.get_kind_display()}晋级名单已提出，不能再录入成绩。", code=Code.STAGE_STATE)
        _check_started(event)
        contestant = _registered(event, person, contestant_id)
        _check_in_stage(event, stage, contestant)
        row, _created = StageResult.objects.update_or_create(
            stage=stage, contestant=contestant,
            defaults={"score": score_d, "rank": rank_i, "recorded_by": actor_user(actor), "advanced": False},
        )  # fmt: skip
        audit_event(E.COMPETITION_STAGE_RESULT_RECORD, actor=actor, object_id=row.pk, region_code=event.region_id,
                    after={"event": event.code, "stage": stage.kind, "contestant": str(contestant.pk),
                           "score": score_d, "rank": rank_i})  # fmt: skip
    return row


def advancing(stage: Stage, rows: list[StageResult]) -> list[StageResult]:
    """Who advances from ``stage``: ranks up to N (all sharing rank N advance), or scores at or above the line."""
    value = stage.advance_value if stage.advance_value is not None else Decimal(0)
    if stage.advance_mode == AdvanceMode.TOP_N:
        return [r for r in rows if r.rank <= value]
    return [r for r in rows if r.score >= value]


def _stage_locked(stage: Stage) -> tuple[Event, Stage]:
    event = _locked(stage.event)
    locked: Stage = Stage.objects.select_for_update().get(pk=stage.pk)
    return event, locked


def stage_advance_propose(*, actor: Actor, stage: Stage) -> Stage:
    """提出晋级名单 — the organizer (or an official over the event's region) applies the stage's rule to its results;
    another person confirms (``stage_advance_decide``)."""
    event = stage.event
    if not (can_organize(actor, event) or can_review(actor, event)):
        raise PermissionDenied()
    with transaction.atomic():
        event, stage = _stage_locked(stage)
        if stage.kind == StageKind.FINAL or stage.status != StageStatus.OPEN:
            raise InvalidState("只有进行中的初赛、复赛可以提出晋级名单。", code=Code.STAGE_STATE)
        current = current_stage(event)
        if current is None or current.pk != stage.pk:
            raise InvalidState("须先确认前一赛段的晋级名单。", code=Code.STAGE_STATE)
        rows = list(StageResult.objects.filter(stage=stage).select_related("contestant"))
        if not rows:
            raise InvalidState(f"{stage.get_kind_display()}还没有成绩。", code=Code.NO_RESULTS)
        found = rank_contradiction([(r, r.score, r.rank) for r in rows])
        if found is not None:
            better, worse = found
            raise invalid(field="rank", code=Code.RANK_CONTRADICTS_SCORE,
                          message=f"名次与成绩不符：{better.contestant.name}（{better.score} 分）排第 {better.rank} 名，"
                                  f"{worse.contestant.name}（{worse.score} 分）却排第 {worse.rank} 名。")  # fmt: skip
        chosen = advancing(stage, rows)
        if not chosen:
            raise invalid(field="advance_value", code=Code.NOBODY_ADVANCES,
                          message="按本赛段的晋级办法没有人晋级，请核对成绩或晋级办法。")  # fmt: skip
        ids = {r.pk for r in chosen}
        StageResult.objects.filter(stage=stage).update(advanced=False)
        StageResult.objects.filter(pk__in=ids).update(advanced=True)
        stage.status, stage.proposed_by, stage.proposed_at = StageStatus.PROPOSED, actor_user(actor), timezone.now()
        stage.return_reason = ""
        stage.save()
        audit_event(E.COMPETITION_STAGE_PROPOSE, actor=actor, object_id=stage.pk, region_code=event.region_id,
                    after={"event": event.code, "stage": stage.kind, "advanced": len(ids), "of": len(rows),
                           "rule": f"{stage.advance_mode}:{stage.advance_value}"})  # fmt: skip
    return stage


def stage_advance_decide(*, actor: Actor, stage: Stage, approve: bool, reason: str = "") -> Stage:
    """确认 (or 退回) a proposed advancement — an official over the event's region who neither proposed it nor
    entered the stage's results. Confirmed: those not advancing are 未晋级 (``eliminated_in``) and the next stage
    is under way."""
    event = stage.event
    _require_official(actor, event)
    if not approve:
        reason = _reason(reason)
    with transaction.atomic():
        event, stage = _stage_locked(stage)
        if stage.status != StageStatus.PROPOSED:
            raise InvalidState("只有待确认的晋级名单可以确认或退回。", code=Code.STAGE_STATE)
        recorders = set(StageResult.objects.filter(stage=stage).values_list("recorded_by_id", flat=True))
        _not_same(actor, {stage.proposed_by_id, *recorders},
                  "提出晋级名单或录入本赛段成绩的人不能确认（须由另一人办理）。")  # fmt: skip
        if approve:
            stage.status, stage.confirmed_by, stage.confirmed_at = StageStatus.CLOSED, actor_user(actor), timezone.now()
            advanced = StageResult.objects.filter(stage=stage, advanced=True).values("contestant_id")
            Contestant.objects.filter(event=event, eliminated_in__isnull=True).exclude(pk__in=advanced).update(
                eliminated_in=stage
            )
        else:
            StageResult.objects.filter(stage=stage).update(advanced=False)
            stage.status, stage.return_reason = StageStatus.OPEN, reason
        stage.save()
        audit_event(E.COMPETITION_STAGE_CONFIRM if approve else E.COMPETITION_STAGE_RETURN, actor=actor,
                    object_id=stage.pk, region_code=event.region_id, before={"status": StageStatus.PROPOSED},
                    after={"status": stage.status}, reason=reason)  # fmt: skip
    return stage


# ---- award rules -------------------------------------------------------------------------------------------------


def certificate_ladder() -> tuple[Any, ...]:
    """The certificate ladder (五级/初级工 … 一级/高级技师): the levels with a national grade."""
    return ladder_from(SkillLevel.objects.filter(grade_no__isnull=False).values_list("code", "rank", "name"))


def _check_rules(actor: Actor, region_code: str, valid_from: Any, basis: str,
                 lines: list[dict[str, Any]]) -> tuple[Any, str, AwardRules]:  # fmt: skip
    region = region_validate(region_code)
    require(actor, "settings.edit", region_code=region.code)
    if not isinstance(valid_from, dt.date) or not dt.date(2000, 1, 1) <= valid_from <= dt.date(2100, 12, 31):
        raise invalid(field="valid_from", code=Code.BAD_DATES, message="请填写生效日期（2000–2100 年）。")
    basis = " ".join(str(basis or "").split())
    if not 2 <= len(basis) <= 300:
        raise invalid(field="basis", code=Code.REASON_REQUIRED, message="请填写规则依据（文件名称、文号）。")
    if not 1 <= len(lines) <= 100:
        raise invalid(field="lines", code=Code.BAD_RULES, message="规则须有 1–100 条。")
    try:
        rules = rules_from_data(lines, certificate_ladder())
    except RuleError as exc:
        raise invalid(field=f"lines[{exc.line - 1}].{exc.field}", code=exc.code, message=exc.message) from None
    return region, basis, rules


def award_rules_propose(
    *, actor: Actor, region_code: str, valid_from: Any, basis: str, lines: list[dict[str, Any]]
) -> AwardRuleSet:
    """拟订奖励规则 — a draft of a new version of a region's rules (``settings.edit`` over the region), published
    by another holder (``award_rules_publish``). The lines are checked by ``rules_from_data``: a rule promoting past
    the ladder's top, or not upward, is refused and named ``lines[i].field``."""
    region, basis, rules = _check_rules(actor, region_code, valid_from, basis, lines)
    with transaction.atomic():
        rule_set = AwardRuleSet.objects.create(
            region=region, version=None, valid_from=valid_from, basis=basis, status=RuleSetStatus.DRAFT,
            lines=[ln.as_dict() for ln in rules.lines], created_by=actor_user(actor),
        )  # fmt: skip
        audit_event(E.COMPETITION_RULES_PROPOSE, actor=actor, object_id=rule_set.pk, region_code=region.code,
                    after={"valid_from": valid_from, "basis": basis, "lines": rule_set.lines})  # fmt: skip
    return rule_set


def award_rules_edit(
    *, actor: Actor, rule_set: AwardRuleSet, valid_from: Any, basis: str, lines: list[dict[str, Any]]
) -> AwardRuleSet:
    """修改草稿 — the proposer changes a draft before it is published (the same checks as ``award_rules_propose``);
    the publisher is still another person. Nobody else edits it: a second person's change would leave no one to
    check it."""
    _region, basis, rules = _check_rules(actor, rule_set.region_id, valid_from, basis, lines)
    with transaction.atomic():
        locked: AwardRuleSet = AwardRuleSet.objects.select_for_update().get(pk=rule_set.pk)
        if locked.status != RuleSetStatus.DRAFT:
            raise InvalidState("只有待审批的奖励规则草稿可以修改。", code=Code.RULES_STATE)
        if _user_id(actor) != locked.created_by_id:
            raise PermissionDenied("只有拟订人可以修改草稿；其他人可以退回或发布。", code=Code.NOT_PROPOSER)
        before = {"valid_from": locked.valid_from, "basis": locked.basis, "lines": locked.lines}
        locked.valid_from, locked.basis, locked.lines = valid_from, basis, [ln.as_dict() for ln in rules.lines]
        locked.save(update_fields=["valid_from", "basis", "lines", "updated_at"])
        audit_event(E.COMPETITION_RULES_EDIT, actor=actor, object_id=locked.pk, region_code=locked.region_id,
                    before=before, after={"valid_from": valid_from, "basis": basis, "lines": locked.lines})  # fmt: skip
    return locked


def _locked_draft(actor: Actor, rule_set: AwardRuleSet) -> AwardRuleSet:
    require(actor, "settings.edit", region_code=rule_set.region_id)
    locked: AwardRuleSet = AwardRuleSet.objects.select_for_update().get(pk=rule_set.pk)
    if locked.status != RuleSetStatus.DRAFT:
        raise InvalidState("只有待审批的奖励规则可以发布或退回。", code=Code.RULES_STATE)
    _not_same(actor, [locked.created_by_id], "拟订奖励规则的人不能发布或退回（须由另一人审批）。")
    return locked


def award_rules_publish(*, actor: Actor, rule_set: AwardRuleSet) -> AwardRuleSet:
    """发布奖励规则 — a draft becomes the region's next version, by a ``settings.edit`` holder other than its
    proposer; results made final from then on are decided by it (from its ``valid_from``)."""
    with transaction.atomic():
        rule_set = _locked_draft(actor, rule_set)
        last = (
            AwardRuleSet.objects.select_for_update()
            .filter(region_id=rule_set.region_id, version__isnull=False)
            .order_by("-version")
            .first()
        )
        rule_set.version = (last.version or 0) + 1 if last else 1
        rule_set.status, rule_set.approved_by, rule_set.approved_at = (
            RuleSetStatus.PUBLISHED,
            actor_user(actor),
            timezone.now(),
        )
        rule_set.save()
        audit_event(E.COMPETITION_RULES_SET, actor=actor, object_id=rule_set.pk, region_code=rule_set.region_id,
                    after={"version": rule_set.version, "valid_from": rule_set.valid_from,
                           "lines": rule_set.lines})  # fmt: skip
    return rule_set


def award_rules_return(*, actor: Actor, rule_set: AwardRuleSet, reason: str) -> AwardRuleSet:
    """退回 — a draft is not published; a new draft is proposed instead."""
    reason = _reason(reason)
    with transaction.atomic():
        rule_set = _locked_draft(actor, rule_set)
        rule_set.status, rule_set.return_reason = RuleSetStatus.DISCARDED, reason
        rule_set.approved_by, rule_set.approved_at = actor_user(actor), timezone.now()
        rule_set.save()
        audit_event(E.COMPETITION_RULES_RETURN, actor=actor, object_id=rule_set.pk, region_code=rule_set.region_id,
                    before={"status": RuleSetStatus.DRAFT}, after={"status": rule_set.status},
                    reason=reason)  # fmt: skip
    return rule_set


def award_rules_set(*, actor: Actor, approver: Actor, region_code: str, valid_from: dt.date, basis: str,
                    lines: list[dict[str, Any]]) -> AwardRuleSet:  # fmt: skip
    """Proposed by ``actor`` and published by ``approver`` (two people; the demo and tests)."""
    draft = award_rules_propose(actor=actor, region_code=region_code, valid_from=valid_from, basis=basis, lines=lines)
    return award_rules_publish(actor=approver, rule_set=draft)


def rules_for(event: Event) -> AwardRuleSet | None:
    """The rule set in force on the event's last day for the nearest region at or above the event's region, its
    latest version."""
    for code in region_ancestors(event.region_id):
        found: AwardRuleSet | None = (
            AwardRuleSet.objects.filter(region_id=code, valid_from__lte=event.ends_on, status=RuleSetStatus.PUBLISHED)
            .order_by("-version")
            .first()
        )
        if found is not None:
            return found
    return None


def _held_level(person_id: Any, occupation_code: str) -> str:
    held = [
        c
        for c in certificates_api.certificate_facts(person_ids=[person_id])
        if c.valid and c.occupation == occupation_code and c.level
    ]
    return max(held, key=lambda c: c.level_rank).level if held else ""


def _apply_award(actor: Actor, event: Event, result: Result, rule_set: AwardRuleSet | None, rules: AwardRules | None,
                 on: dt.date) -> Award | None:  # fmt: skip
    contestant = result.contestant
    if rules is None:
        return None
    held = _held_level(contestant.person_id, event.occupation.code)
    decision = decide(rules, AwardFacts(event.level, event.event_class, result.rank, held))
    if not decision.awards_anything:
        return None
    level = level_lookup(decision.promote_to) if decision.promote_to else None
    certificate = None
    if level is not None:
        assert rule_set is not None
        certificate = certificates_api.certificate_award(
            actor=actor, person=contestant.person, occupation=event.occupation, level=level, issued_on=on,
            region_code=event.region_id, issuer_name=event.approving_department,
            legal_basis=f"{rule_set.basis}（奖励规则第 {rule_set.version} 版）；{event.name} 第 {result.rank} 名",
        )  # fmt: skip
    award = Award.objects.create(
        result=result, event=event, person_id=contestant.person_id, rank=result.rank, title=decision.title,
        promoted_level=level, certificate_id=certificate.id if certificate else None,
        certificate_number=certificate.number if certificate else "", rule_set=rule_set,
        lines=[ln.as_dict() for ln in decision.lines],
    )  # fmt: skip
    audit_event(E.COMPETITION_AWARD, actor=actor, object_id=award.pk, region_code=event.region_id,
                after={"event": event.code, "rank": result.rank, "title": award.title,
                       "level": level.code if level else None, "certificate": award.certificate_number})  # fmt: skip
    award_changed(award.person_id)
    return award


def _rules_of(rule_set: AwardRuleSet | None) -> AwardRules | None:
    return rules_from_data(rule_set.lines, certificate_ladder()) if rule_set is not None else None


def results_finalize(*, actor: Actor, event: Event, today: dt.date | None = None) -> list[Award]:
    """确认 — after the objection period, with every objection decided, by an official who entered none of the
    results: the results are final; the region's award rules turn each rank into a title and a promotion, and each
    promotion is a certificate issued through the certificates app."""
    _require_official(actor, event)
    today = today or timezone.localdate()
    with transaction.atomic():
        event = _locked(event)
        if event.results_stage != ResultsStage.PUBLISHED:
            raise InvalidState("只有公示中的成绩可以确认。", code=Code.RESULTS_STATE)
        if event.objection_until is not None and today <= event.objection_until:
            raise InvalidState(f"公示期至 {event.objection_until:%Y-%m-%d}，期满后才能确认。",
                               code=Code.OBJECTION_PERIOD)  # fmt: skip
        open_objections = Objection.objects.filter(event=event, status=ObjectionStatus.OPEN).count()
        if open_objections:
            raise InvalidState(f"还有 {open_objections} 条异议未处理，处理后才能确认。", code=Code.OBJECTION_OPEN)
        _not_same(actor, _recorders(event), "录入成绩的人不能确认本赛事的成绩（须由另一人办理）。")
        _ranks_agree_with_scores(event)
        rule_set = rules_for(event)
        rules = _rules_of(rule_set)
        awards = []
        results = Result.objects.filter(contestant__event=event).select_related("contestant__person")
        for result in results.order_by("rank", "created_at"):
            award = _apply_award(actor, event, result, rule_set, rules, today)
            if award is not None:
                awards.append(award)
        event.results_stage = ResultsStage.FINAL
        event.finalized_at = timezone.now()
        event.save(update_fields=["results_stage", "finalized_at", "updated_at"])
        audit_event(E.COMPETITION_RESULTS_FINALIZE, actor=actor, object_id=event.pk, region_code=event.region_id,
                    before={"results_stage": ResultsStage.PUBLISHED},
                    after={"results_stage": ResultsStage.FINAL, "awards": len(awards),
                           "rules_version": rule_set.version if rule_set else None})  # fmt: skip
    return awards


def result_restate(
    *, actor: Actor, result: Result, score: Any, rank: Any, reason: str, today: dt.date | None = None
) -> Result:
    """更正 — a result changed after publication, by an official, with a reason: an audited restatement. Once the
    results are final, the award it brought is revoked (its certificate revoked through the certificates app) and
    the corrected rank is decided again under the same rules."""
    event = result.contestant.event
    _require_official(actor, event)
    reason = _reason(reason)
    score_d, rank_i = _score(score), _rank(rank)
    today = today or timezone.localdate()
    with transaction.atomic():
        event = _locked(event)
        if event.results_stage not in (ResultsStage.PUBLISHED, ResultsStage.FINAL):
            raise InvalidState("公示前的成绩由主办单位修改，不需要更正。", code=Code.RESULTS_STATE)
        result = Result.objects.select_for_update().select_related("contestant__person").get(pk=result.pk)
        if (result.score, result.rank) == (score_d, rank_i):
            raise invalid(field="rank", code=Code.NOTHING_CHANGED, message="成绩和名次都没有变化。")
        before = {"score": result.score, "rank": result.rank}
        result.score, result.rank = score_d, rank_i
        result.restated_at, result.restate_reason = timezone.now(), reason
        result.save()
        audit_event(E.COMPETITION_RESULT_RESTATE, actor=actor, object_id=result.pk, region_code=event.region_id,
                    before=before, after={"score": score_d, "rank": rank_i}, reason=reason)  # fmt: skip
        if event.results_stage == ResultsStage.FINAL:
            _no_tie_at_first(event)
            old = Award.objects.select_for_update().filter(result=result, status=AwardStatus.ACTIVE).first()
            rule_set = old.rule_set if old is not None and old.rule_set_id else rules_for(event)
            if old is not None:
                if old.certificate_id:
                    certificates_api.certificate_withdraw(
                        actor=actor, certificate_id=old.certificate_id, reason=f"竞赛成绩更正：{reason}"[:300]
                    )
                old.status, old.revoked_at, old.revoke_reason = AwardStatus.REVOKED, timezone.now(), reason
                old.save(update_fields=["status", "revoked_at", "revoke_reason", "updated_at"])
                audit_event(E.COMPETITION_AWARD_REVOKE, actor=actor, object_id=old.pk, region_code=event.region_id,
                            before={"status": AwardStatus.ACTIVE}, after={"status": AwardStatus.REVOKED,
                                                                          "certificate": old.certificate_number},
                            reason=reason)  # fmt: skip
                award_changed(old.person_id)
            _apply_award(actor, event, result, rule_set, _rules_of(rule_set), today)
    return result


# ---- objections (异议) during 公示 ----------------------------------------------------------------------------------


def objection_raise(*, actor: Actor, event: Event, reason: str, result: Result | None = None, name: str = "",
                    today: dt.date | None = None) -> Objection:  # fmt: skip
    """提出异议 — anyone signed in, while the results are announced (公示, up to ``objection_until``), about the
    results or one contestant's result. The same person's same objection, still open, is answered as it is."""
    user = actor_user(actor)
    if user is None:
        raise PermissionDenied("请先登录后提出异议。", code="not_authenticated")
    reason = " ".join(str(reason or "").split())
    if not 5 <= len(reason) <= OBJECTION_MAX:
        raise invalid(
            field="reason", code=Code.REASON_REQUIRED, message=f"请写明异议的事实和理由（5–{OBJECTION_MAX} 字）。"
        )
    name = " ".join(str(name or "").split())[:100]
    today = today or timezone.localdate()
    with transaction.atomic():
        event = _locked(event)
        if event.results_stage != ResultsStage.PUBLISHED or (
            event.objection_until is not None and today > event.objection_until
        ):
            raise InvalidState("只能在成绩公示期内提出异议。", code=Code.OBJECTION_PERIOD_OVER)
        if result is not None and result.contestant.event_id != event.pk:
            raise invalid(field="result", code=Code.NOT_REGISTERED, message="该成绩不属于本赛事。")
        same: Objection | None = Objection.objects.filter(event=event, result=result, raised_by=user, reason=reason,
                                                          status=ObjectionStatus.OPEN).first()  # fmt: skip
        if same is not None:
            return same  # the same objection submitted again (a double click, a retry): one to decide, not two
        objection = Objection.objects.create(event=event, result=result, region_id=event.region_id, reason=reason,
                                             raised_by=user, raised_by_name=name)  # fmt: skip
        audit_event(E.COMPETITION_OBJECTION_RAISE, actor=actor, object_id=objection.pk, region_code=event.region_id,
                    after={"event": event.code, "result": str(result.pk) if result else None}, reason=reason)  # fmt: skip
    return objection


def objection_decide(*, actor: Actor, objection: Objection, upheld: bool, decision: str, score: Any = None,
                     rank: Any = None) -> Objection:  # fmt: skip
    """处理异议 — an official over the event's region, with the decision in words, while the results are announced.
    An upheld objection about one result may carry the corrected score and rank: the result is restated with it
    (an audited 更正). Results cannot be made final while an objection is undecided."""
    event = objection.event
    _require_official(actor, event)
    decision = _reason(decision, "decision")
    correct = upheld and objection.result_id is not None and str(score or "").strip() != ""
    with transaction.atomic():
        event = _locked(event)
        objection = Objection.objects.select_for_update(of=("self",)).select_related("result").get(pk=objection.pk)
        if objection.status != ObjectionStatus.OPEN:
            raise InvalidState("该异议已处理。", code=Code.OBJECTION_CLOSED)
        if event.results_stage != ResultsStage.PUBLISHED:
            raise InvalidState("只有公示中的成绩的异议可以处理。", code=Code.RESULTS_STATE)
        objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
        objection.decision, objection.decided_by, objection.decided_at = decision, actor_user(actor), timezone.now()
        objection.save()
        audit_event(E.COMPETITION_OBJECTION_DECIDE, actor=actor, object_id=objection.pk, region_code=event.region_id,
                    before={"status": ObjectionStatus.OPEN}, after={"status": objection.status},
                    reason=decision)  # fmt: skip
        if correct:
            assert objection.result is not None
            result_restate(actor=actor, result=objection.result, score=score, rank=rank,
                           reason=f"异议成立：{decision}"[:300])  # fmt: skip
    return objection
