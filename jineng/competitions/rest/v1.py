"""API of competitions: the events in the caller's scope and an event's results and stages; the public events and
their published results (names and organizations, never a document number). Writes call the same services as the
pages: events (新建, 报备, 批准/退回), registration (报名, by the organizer or a recommending organization), final
results (录入, 审核, 公示, 确认, 更正), stages (set, stage results, advancement proposed and confirmed by two people), withdrawal (退赛), objections
(异议: raise, decide) and award-rule drafts (propose, edit by the proposer, publish or return by another)."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from jineng.accounts.api import Organization, current_user, get_visible, principal_for
from jineng.common.errors import NotFound, invalid
from jineng.common.ids import uuid_or_none
from jineng.common.rest.pagination import Paging, page_items, page_of
from jineng.common.rest.types import Year
from jineng.competitions import selectors, services
from jineng.competitions.errors import Code
from jineng.competitions.models import (
    Award,
    AwardRuleSet,
    Contestant,
    Event,
    EventLevel,
    Objection,
    Result,
    Stage,
    StageStatus,
)
from jineng.competitions.rest import schemas as s

router = Router(tags=["competitions 职业技能竞赛"])
public_router = Router(auth=None, tags=["public 公开"])
EventPage = page_of(s.CompetitionEventOut)


def event_dict(e: Event) -> dict[str, Any]:
    return {
        "id": str(e.pk), "code": e.code, "name": e.name, "level": e.level, "level_label": e.get_level_display(),
        "event_class": e.event_class, "occupation": e.occupation.code, "occupation_name": e.occupation.name,
        "organizer": e.organizer.name, "approving_department": e.approving_department,
        "document_number": e.document_number, "region": e.region_id, "starts_on": e.starts_on, "ends_on": e.ends_on,
        "status": e.status, "status_label": e.get_status_display(), "results_stage": e.results_stage,
        "results_stage_label": e.get_results_stage_display(), "objection_until": e.objection_until,
    }  # fmt: skip


def _results(e: Event, *, published_only: bool = True) -> dict[str, Any]:
    rows = [
        {**r, "id": str(r["id"]), "score": str(r["score"])}
        for r in selectors.public_results(e, published_only=published_only)
    ]
    return {"event": event_dict(e), "results": rows}


def _level(level: str) -> str:
    return level if level in EventLevel.values else ""


@router.get("/competitions", response=EventPage, summary="职业技能竞赛 Events in scope")
def event_list(request: HttpRequest, paging: Query[Paging], level: str = "", status: str = "", q: str = "",
               year: Year | None = None) -> dict[str, Any]:  # fmt: skip
    qs = selectors.events_visible(request.user, level=_level(level), status=status, year=year, q=q[:60])
    return page_items(qs.order_by("-starts_on", "code"), paging, event_dict)


@router.get("/competitions/{event_id}", response=s.EventResultsOut, summary="赛事与公示成绩 An event and its results")
def event_detail(request: HttpRequest, event_id: uuid.UUID) -> dict[str, Any]:
    qs = Event.objects.select_related("occupation", "region", "organizer")
    return _results(get_visible(qs, request.user, event_id), published_only=False)


@public_router.get("/competitions", response=EventPage, summary="职业技能竞赛（公开）Approved events")
def public_event_list(request: HttpRequest, paging: Query[Paging], level: str = "", q: str = "",
                      year: Year | None = None) -> dict[str, Any]:  # fmt: skip
    return page_items(selectors.public_events(level=_level(level), year=year, q=q[:60]), paging, event_dict)


@public_router.get("/competitions/{code}/results", response=s.EventResultsOut,
                   summary="竞赛成绩（公开）Published results")  # fmt: skip
def public_event_results(request: HttpRequest, code: str) -> dict[str, Any]:
    event = selectors.public_events().filter(code=code[:40]).first()
    if event is None:
        raise NotFound()
    return _results(event)


TitlePage = page_of(s.CompetitionTitleOut)


@public_router.get("/competitions/titles", response=TitlePage, summary="技术能手名单（公开）Titles granted")
def public_titles(request: HttpRequest, paging: Query[Paging], year: Year | None = None) -> dict[str, Any]:
    def row(a: Award) -> dict[str, Any]:
        c = a.result.contestant
        return {"title": a.title, "name": c.name, "organization": c.organization_name, "event_code": a.event.code,
                "event_name": a.event.name, "rank": a.rank, "year": a.event.starts_on.year}  # fmt: skip

    return page_items(selectors.public_titles(year), paging, row)


# ---- stages (初赛 → 复赛 → 决赛) ------------------------------------------------------------------------------------


def _visible_event(request: HttpRequest, event_id: uuid.UUID) -> Event:
    event: Event = get_visible(Event.objects.select_related("occupation", "region", "organizer"), request.user,
                               event_id)  # fmt: skip
    return event


def _stages(e: Event) -> dict[str, Any]:
    rows = []
    for st, results in selectors.stages_with_results(e):
        rows.append({
            "id": str(st.pk), "position": st.position, "kind": st.kind, "kind_label": st.get_kind_display(),
            "advance_mode": st.advance_mode,
            "advance_value": st.advance_value_text,
            "status": st.status,
            "results": [{"rank": r.rank, "name": r.contestant.name, "organization": r.contestant.organization_name,
                         "score": str(r.score), "advanced": None if st.status == "open" else r.advanced}
                        for r in results],
        })  # fmt: skip
    final = services.final_stage(e)
    if final is not None:
        rows.append({"id": str(final.pk), "position": final.position, "kind": final.kind,
                     "kind_label": final.get_kind_display(), "advance_mode": "", "advance_value": "",
                     "status": final.status, "results": []})  # fmt: skip
    return {"event": event_dict(e), "stages": rows}


@router.get("/competitions/{event_id}/stages", response=s.EventStagesOut, summary="赛段与晋级 Stages and their results")
def competition_stages(request: HttpRequest, event_id: uuid.UUID) -> dict[str, Any]:
    return _stages(_visible_event(request, event_id))


@router.put("/competitions/{event_id}/stages", response=s.EventStagesOut,
            summary="设置赛段 Set the stages (organizer, before any result)")  # fmt: skip
def competition_stages_set(request: HttpRequest, event_id: uuid.UUID, payload: s.StagesIn) -> dict[str, Any]:
    event = _visible_event(request, event_id)
    data = [services.StageData(kind=st.kind, advance_mode=st.advance_mode, advance_value=st.advance_value or None)
            for st in payload.stages]  # fmt: skip
    services.event_stages_set(actor=current_user(request), event=event, stages=data)
    return _stages(event)


def _visible_stage(request: HttpRequest, event_id: uuid.UUID, stage_id: uuid.UUID) -> Stage:
    event = _visible_event(request, event_id)
    stage: Stage | None = Stage.objects.filter(pk=stage_id, event=event).exclude(status=StageStatus.RETIRED).first()
    if stage is None:
        raise NotFound()
    return stage


@router.post("/competitions/{event_id}/stages/{stage_id}/results", response=s.EventStagesOut,
             summary="录入赛段成绩 A contestant's result in a stage before the final")  # fmt: skip
def competition_stage_result(request: HttpRequest, event_id: uuid.UUID, stage_id: uuid.UUID,
                             payload: s.StageResultIn) -> dict[str, Any]:  # fmt: skip
    stage = _visible_stage(request, event_id, stage_id)
    services.stage_result_record(actor=current_user(request), stage=stage, id_number=payload.id_number,
                                 score=payload.score, rank=payload.rank)  # fmt: skip
    return _stages(stage.event)


@router.post("/competitions/{event_id}/stages/{stage_id}/advance", response=s.EventStagesOut,
             summary="提出晋级名单 Apply the stage's advancement rule (another person confirms)")  # fmt: skip
def competition_stage_propose(request: HttpRequest, event_id: uuid.UUID, stage_id: uuid.UUID) -> dict[str, Any]:
    stage = _visible_stage(request, event_id, stage_id)
    services.stage_advance_propose(actor=current_user(request), stage=stage)
    return _stages(stage.event)


@router.post("/competitions/{event_id}/stages/{stage_id}/confirm", response=s.EventStagesOut,
             summary="确认晋级名单 Confirm the advancement (second person)")  # fmt: skip
def competition_stage_confirm(request: HttpRequest, event_id: uuid.UUID, stage_id: uuid.UUID) -> dict[str, Any]:
    stage = _visible_stage(request, event_id, stage_id)
    services.stage_advance_decide(actor=current_user(request), stage=stage, approve=True)
    return _stages(stage.event)


@router.post("/competitions/{event_id}/stages/{stage_id}/return", response=s.EventStagesOut,
             summary="退回晋级名单 Return the advancement with a reason")  # fmt: skip
def competition_stage_return(request: HttpRequest, event_id: uuid.UUID, stage_id: uuid.UUID,
                             payload: s.CompetitionReasonIn) -> dict[str, Any]:  # fmt: skip
    stage = _visible_stage(request, event_id, stage_id)
    services.stage_advance_decide(actor=current_user(request), stage=stage, approve=False, reason=payload.reason)
    return _stages(stage.event)


# ---- withdrawal (退赛) ------------------------------------------------------------------------------------------------


@router.post("/competitions/contestants/{contestant_id}/withdraw", response=s.ContestantOut,
             summary="退赛 Withdraw a registration (organizer or recommending organization)")  # fmt: skip
def competition_withdraw(
    request: HttpRequest, contestant_id: uuid.UUID, payload: s.CompetitionReasonIn
) -> dict[str, Any]:
    user = current_user(request)
    contestant = Contestant.objects.filter(pk=contestant_id).select_related("event__region").first()
    if contestant is None or not services.may_withdraw(user, contestant):
        raise NotFound()  # the same answer for a registration of another organization
    c = services.contestant_withdraw(actor=user, contestant=contestant, reason=payload.reason)
    return {"id": str(c.pk), "name": c.name, "team": c.team_name, "organization": c.organization_name,
            "status": c.status, "withdraw_reason": c.withdraw_reason}  # fmt: skip


# ---- objections (异议) -----------------------------------------------------------------------------------------------


def objection_dict(o: Objection) -> dict[str, Any]:
    return {
        "id": str(o.pk), "event": o.event.code, "result_rank": o.result.rank if o.result else None,
        "result_name": o.result.contestant.name if o.result else "", "reason": o.reason,
        "raised_by_name": o.raised_by_name, "status": o.status, "decision": o.decision, "created_at": o.created_at,
    }  # fmt: skip


@router.get("/competitions/{event_id}/objections", response=list[s.CompetitionObjectionOut],
            summary="公示异议 An event's objections")  # fmt: skip
def competition_objections(request: HttpRequest, event_id: uuid.UUID) -> list[dict[str, Any]]:
    event = _visible_event(request, event_id)
    return [objection_dict(o) for o in selectors.objections_of(event).select_related("event")[:500]]


@router.post("/competitions/{event_id}/objections", response={201: s.CompetitionObjectionOut},
             summary="提出异议 Object to published results (anyone signed in, during 公示)")  # fmt: skip
def competition_objection_raise(request: HttpRequest, event_id: uuid.UUID, payload: s.CompetitionObjectionIn) -> Any:
    event = selectors.public_events().filter(pk=event_id).first()
    if event is None:
        raise NotFound()
    result = None
    if payload.result is not None:
        result = Result.objects.filter(pk=payload.result, contestant__event=event).select_related("contestant").first()
        if result is None:
            raise NotFound("该成绩不属于本赛事。")
    o = services.objection_raise(actor=current_user(request), event=event, reason=payload.reason, result=result,
                                 name=payload.name)  # fmt: skip
    return 201, objection_dict(o)


@router.post("/competitions/objections/{objection_id}/decide", response=s.CompetitionObjectionOut,
             summary="处理异议 Decide an objection (official of the event's region)")  # fmt: skip
def competition_objection_decide(request: HttpRequest, objection_id: uuid.UUID,
                                 payload: s.ObjectionDecideIn) -> dict[str, Any]:  # fmt: skip
    user = current_user(request)
    qs = Objection.objects.select_related("event", "result__contestant")
    objection = get_visible(qs, user, objection_id)
    o = services.objection_decide(actor=user, objection=objection, upheld=payload.upheld, decision=payload.decision,
                                  score=payload.score or None, rank=payload.rank or None)  # fmt: skip
    return objection_dict(Objection.objects.select_related("event", "result__contestant").get(pk=o.pk))


# ---- award-rule drafts (奖励规则：拟订、修改、审核发布) ----------------------------------------------------------------


def rule_set_dict(rs: AwardRuleSet) -> dict[str, Any]:
    by = rs.created_by
    return {
        "id": str(rs.pk), "region": rs.region_id, "version": rs.version, "status": rs.status,
        "valid_from": rs.valid_from, "basis": rs.basis, "lines": rs.lines,
        "proposed_by": (by.get_full_name() or by.username) if by is not None else "", "return_reason": rs.return_reason,
    }  # fmt: skip


def _lines(payload: s.RuleSetEditIn | s.RuleSetIn) -> list[dict[str, Any]]:
    return [ln.dict() for ln in payload.lines]


@router.get("/competition-rules", response=list[s.RuleSetOut], summary="竞赛奖励规则 Versions and drafts")
def competition_rules(request: HttpRequest) -> list[dict[str, Any]]:
    return [rule_set_dict(rs) for rs in selectors.rule_sets_visible(request.user)[:100]]


@router.post("/competition-rules", response={201: s.RuleSetOut},
             summary="拟订奖励规则 Propose a draft (another person publishes it)")  # fmt: skip
def competition_rules_propose(request: HttpRequest, payload: s.RuleSetIn) -> Any:
    rs = services.award_rules_propose(actor=current_user(request), region_code=payload.region,
                                      valid_from=payload.valid_from, basis=payload.basis, lines=_lines(payload))  # fmt: skip
    return 201, rule_set_dict(rs)


def _rule_set(request: HttpRequest, rule_set_id: uuid.UUID) -> AwardRuleSet:
    rs = selectors.rule_sets_visible(request.user).filter(pk=rule_set_id).first()
    if rs is None:
        raise NotFound()
    return rs


@router.put("/competition-rules/{rule_set_id}", response=s.RuleSetOut, summary="修改草稿 Edit a draft (its proposer)")
def competition_rules_edit(request: HttpRequest, rule_set_id: uuid.UUID, payload: s.RuleSetEditIn) -> dict[str, Any]:
    rs = services.award_rules_edit(actor=current_user(request), rule_set=_rule_set(request, rule_set_id),
                                   valid_from=payload.valid_from, basis=payload.basis, lines=_lines(payload))  # fmt: skip
    return rule_set_dict(rs)


@router.post("/competition-rules/{rule_set_id}/publish", response=s.RuleSetOut,
             summary="审核发布 Publish a draft (not its proposer)")  # fmt: skip
def competition_rules_publish(request: HttpRequest, rule_set_id: uuid.UUID) -> dict[str, Any]:
    rs = services.award_rules_publish(actor=current_user(request), rule_set=_rule_set(request, rule_set_id))
    return rule_set_dict(rs)


@router.post("/competition-rules/{rule_set_id}/return", response=s.RuleSetOut,
             summary="退回草稿 Return a draft with a reason (not its proposer)")  # fmt: skip
def competition_rules_return(
    request: HttpRequest, rule_set_id: uuid.UUID, payload: s.CompetitionReasonIn
) -> dict[str, Any]:
    rs = services.award_rules_return(actor=current_user(request), rule_set=_rule_set(request, rule_set_id),
                                     reason=payload.reason)  # fmt: skip
    return rule_set_dict(rs)


# ---- events: 新建 → 报备 → 批准 / 退回 -----------------------------------------------------------------------------------


def _organizer_of(request: HttpRequest, raw: str) -> Organization:
    """The organizing organization: the one named by id, or the caller's own (the first they edit for, as the page)."""
    if raw.strip():
        org_id = uuid_or_none(raw.strip())
        org = Organization.objects.filter(pk=org_id).first() if org_id is not None else None
        if org is None:
            raise invalid(field="organizer", code=Code.UNKNOWN_ORGANIZER, message="主办单位不存在，请填写单位编号。")
        return org
    org = Organization.objects.filter(pk__in=principal_for(request.user).orgs_with("org.edit")).order_by("name").first()
    if org is None:
        raise invalid(field="organizer", code=Code.UNKNOWN_ORGANIZER,
                      message="请指定主办单位：只有主办单位（培训机构、企业、评价机构）的人员可以不填。")  # fmt: skip
    return org


@router.post("/competitions", response={201: s.CompetitionEventOut},
             summary="新建赛事 Create an event (a draft; the organizer files it)")  # fmt: skip
def competition_create(request: HttpRequest, payload: s.CompetitionEventIn) -> Any:
    organizer = _organizer_of(request, payload.organizer)
    data = services.EventData(
        name=payload.name, level=payload.level, event_class=payload.event_class, occupation=payload.occupation,
        approving_department=payload.approving_department, region=payload.region, starts_on=payload.starts_on,
        ends_on=payload.ends_on, min_age=payload.min_age, max_age=payload.max_age,
        other_occupations=tuple(payload.other_occupations), min_level=payload.min_level, max_level=payload.max_level,
    )  # fmt: skip
    event = services.event_create(actor=current_user(request), organizer=organizer, data=data)
    return 201, event_dict(_visible_event(request, event.pk))


@router.post("/competitions/{event_id}/file", response=s.CompetitionEventOut,
             summary="报备 File a draft or returned event for approval (organizer)")  # fmt: skip
def competition_file(request: HttpRequest, event_id: uuid.UUID) -> dict[str, Any]:
    event = services.event_file(actor=current_user(request), event=_visible_event(request, event_id))
    return event_dict(_visible_event(request, event.pk))


@router.post("/competitions/{event_id}/approve", response=s.CompetitionEventOut,
             summary="批准 Approve a filed event with the document number (official, not its creator)")  # fmt: skip
def competition_approve(request: HttpRequest, event_id: uuid.UUID, payload: s.CompetitionApproveIn) -> dict[str, Any]:
    event = services.event_decide(actor=current_user(request), event=_visible_event(request, event_id), approve=True,
                                  document_number=payload.document_number)  # fmt: skip
    return event_dict(_visible_event(request, event.pk))


@router.post("/competitions/{event_id}/reject", response=s.CompetitionEventOut,
             summary="退回 Return a filed event with a reason (official)")  # fmt: skip
def competition_reject(request: HttpRequest, event_id: uuid.UUID, payload: s.CompetitionReasonIn) -> dict[str, Any]:
    event = services.event_decide(actor=current_user(request), event=_visible_event(request, event_id),
                                  approve=False, reason=payload.reason)  # fmt: skip
    return event_dict(_visible_event(request, event.pk))


# ---- registration (报名) --------------------------------------------------------------------------------------------


def contestant_dict(c: Contestant) -> dict[str, Any]:
    return {"id": str(c.pk), "name": c.name, "team": c.team_name, "organization": c.organization_name,
            "status": c.status, "withdraw_reason": c.withdraw_reason}  # fmt: skip


def _registering(request: HttpRequest, event_id: uuid.UUID) -> tuple[Event, Organization | None]:
    """The event and the organization registering for it: None for the organizer (and officials, whom the service
    refuses); a recommending organization (推荐单位) for an event open to it or one it has registered for. 404 for an event neither reaches."""
    user = current_user(request)
    event = Event.objects.select_related("occupation", "region", "organizer").filter(pk=event_id).first()
    if event is not None and not services.can_organize(user, event):
        org = selectors.registering_organization(user)
        if org is not None and (
            selectors.events_open_to(org).filter(pk=event.pk).exists()
            or selectors.contestants_registered_by(event, org).exists()
        ):
            return event, org
    return _visible_event(request, event_id), None


@router.get("/competitions/{event_id}/contestants", response=list[s.ContestantOut],
            summary="选手 An event's contestants (organizer and officials; an organization sees its own)")  # fmt: skip
def competition_contestants(request: HttpRequest, event_id: uuid.UUID) -> list[dict[str, Any]]:
    event, org = _registering(request, event_id)
    qs = selectors.contestants_registered_by(event, org) if org is not None else selectors.contestants_of(event)
    return [contestant_dict(c) for c in qs[:2000]]


@router.post("/competitions/{event_id}/contestants", response={201: s.ContestantOut},
             summary="报名 Register a contestant (organizer, or a recommending organization)")  # fmt: skip
def competition_register(request: HttpRequest, event_id: uuid.UUID, payload: s.CompetitionRegisterIn) -> Any:
    event, org = _registering(request, event_id)
    c = services.contestant_register(actor=current_user(request), event=event, id_number=payload.id_number,
                                     name=payload.name, team_name=payload.team_name, organization=org)  # fmt: skip
    return 201, contestant_dict(c)


# ---- final results: 录入 → 审核 → 公示 → 确认; 更正 --------------------------------------------------------------------


@router.post("/competitions/{event_id}/results", response=s.EventResultsOut,
             summary="录入成绩 A contestant's score and rank (organizer, before review; again replaces)")  # fmt: skip
def competition_result(request: HttpRequest, event_id: uuid.UUID, payload: s.CompetitionResultIn) -> dict[str, Any]:
    event = _visible_event(request, event_id)
    services.result_record(actor=current_user(request), event=event, id_number=payload.id_number,
                           score=payload.score, rank=payload.rank)  # fmt: skip
    return _results(_visible_event(request, event_id), published_only=False)


@router.post("/competitions/{event_id}/review", response=s.EventResultsOut,
             summary="审核成绩 Review the results (official who entered none)")  # fmt: skip
def competition_review(request: HttpRequest, event_id: uuid.UUID) -> dict[str, Any]:
    services.results_review(actor=current_user(request), event=_visible_event(request, event_id))
    return _results(_visible_event(request, event_id), published_only=False)


@router.post("/competitions/{event_id}/publish", response=s.EventResultsOut,
             summary="公示成绩 Publish reviewed results, open to objections (official, not the reviewer)")  # fmt: skip
def competition_publish(request: HttpRequest, event_id: uuid.UUID) -> dict[str, Any]:
    services.results_publish(actor=current_user(request), event=_visible_event(request, event_id))
    return _results(_visible_event(request, event_id), published_only=False)


@router.post("/competitions/{event_id}/finalize", response=s.EventResultsOut,
             summary="确认成绩 Make the results final after 公示; awards and promotions take effect")  # fmt: skip
def competition_finalize(request: HttpRequest, event_id: uuid.UUID) -> dict[str, Any]:
    services.results_finalize(actor=current_user(request), event=_visible_event(request, event_id))
    return _results(_visible_event(request, event_id), published_only=False)


@router.post("/competitions/results/{result_id}/restate", response=s.EventResultsOut,
             summary="更正成绩 Restate a published or final result with a reason (official; revokes the award)")  # fmt: skip
def competition_restate(request: HttpRequest, result_id: uuid.UUID, payload: s.CompetitionRestateIn) -> dict[str, Any]:
    user = current_user(request)
    result = Result.objects.filter(pk=result_id).select_related("contestant__event").first()
    if result is None:
        raise NotFound()
    event = _visible_event(request, result.contestant.event_id)  # 404 outside the caller's scope
    services.result_restate(actor=user, result=result, score=payload.score, rank=payload.rank, reason=payload.reason)
    return _results(event, published_only=False)


def award_dict(a: Award) -> dict[str, Any]:
    return {
        "rank": a.rank, "name": a.result.contestant.name, "title": a.title,
        "promotion": a.promoted_level.label if a.promoted_level else "", "certificate_number": a.certificate_number,
        "status": a.status, "explanation": [str(ln.get("message", "")) for ln in a.lines],
    }  # fmt: skip


@router.get("/competitions/{event_id}/awards", response=list[s.CompetitionAwardOut],
            summary="奖励 Titles and promotions decided at 确认, explained line by line")  # fmt: skip
def competition_awards(request: HttpRequest, event_id: uuid.UUID) -> list[dict[str, Any]]:
    return [award_dict(a) for a in selectors.awards_of(_visible_event(request, event_id))[:2000]]
