"""Reads of competitions: one filter per list, used by the page and the API alike; scope through
``accounts.api.visible``. Public reads show approved events and published results only — names and organizations,
no document numbers."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from jineng.accounts.api import Organization, principal_for, visible
from jineng.competitions.models import (
    Award,
    AwardRuleSet,
    AwardStatus,
    Contestant,
    ContestantStatus,
    Event,
    EventLevel,
    EventStatus,
    Objection,
    ObjectionStatus,
    Result,
    ResultsStage,
    RuleSetStatus,
    Stage,
    StageResult,
    StageStatus,
)
from jineng.refdata.api import region_ancestors, region_is_within

PUBLISHED_STAGES = (ResultsStage.PUBLISHED, ResultsStage.FINAL)
# Levels whose contestants need not live (or work) in the event's region (services.contestant_register).
OPEN_LEVELS = (EventLevel.NATIONAL, EventLevel.WORLD_SELECTION)


def event_filter(qs: QuerySet[Event], *, level: str = "", status: str = "", year: int | None = None,
                 q: str = "") -> QuerySet[Event]:  # fmt: skip
    if level:
        qs = qs.filter(level=level)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(starts_on__year=year)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    return qs


def events_visible(user: Any, **filters: Any) -> QuerySet[Event]:
    qs = visible(Event, user, "records.view").select_related("occupation", "region", "organizer")
    registered = Q(contestants__status=ContestantStatus.REGISTERED)
    # explicit order: Meta.ordering is dropped from a GROUP BY (the count), and the list's pages then repeat or skip rows
    qs = qs.annotate(n_contestants=Count("contestants", filter=registered)).order_by("-starts_on", "code")
    return event_filter(qs, **filters)


# The organizations that put workers forward for events from the registration page (an evaluator's does not).
REGISTERING_KINDS = ("enterprise", "provider")


def registering_organization(user: Any) -> Organization | None:
    """The organization this user registers workers for: an enterprise or provider they edit for (``org.edit``)."""
    orgs = principal_for(user).orgs_with("org.edit")
    qs = Organization.objects.filter(pk__in=orgs, kind__in=REGISTERING_KINDS).select_related("region")
    return qs.order_by("name").first()


def events_open_to(organization: Organization, *, today: Any = None, **filters: Any) -> QuerySet[Event]:
    """报名中 — approved events whose results are not yet submitted and which have not ended, that ``organization``'s
    workers may enter: national and world-selection events anywhere, others of a region containing the organization's
    (a worker living in the region may still be registered there by the organizer or through the event's page). Events
    the organization runs itself are registered from their workbench, not here."""
    from django.utils import timezone

    day = today or timezone.localdate()
    regions = region_ancestors(organization.region_id) if organization.region_id else []
    qs = (
        Event.objects.filter(status=EventStatus.APPROVED, results_stage=ResultsStage.OPEN, ends_on__gte=day)
        .filter(Q(level__in=OPEN_LEVELS) | Q(region_id__in=regions))
        .exclude(organizer=organization)
        .exclude(Exists(StageResult.objects.filter(stage__event=OuterRef("pk"))))  # the 初赛 has begun: closed
        .select_related("occupation", "region", "organizer")
        .annotate(
            n_own=Count(
                "contestants",
                filter=Q(contestants__organization=organization, contestants__status=ContestantStatus.REGISTERED),
            )
        )
        .order_by("starts_on", "code")
    )
    return event_filter(qs, **filters)


# ---- the workbench: steps waiting for this user --------------------------------------------------------------------


def official_steps(user: Any, *, today: Any = None) -> dict[str, QuerySet[Event]]:
    """Events waiting for an official's step, for the office **of the event's region** (the department that approves
    it): 报备待批准; results entered after the event ended, to review (审核); reviewed, to publish (公示); published
    with the objection period over, to confirm (确认) — each leaving out what four eyes refuses this user. Offices above or below the event's region act through the list
    page, but it is not their to-do (docs/workbench.md)."""
    from django.utils import timezone

    day = today or timezone.localdate()
    regions = principal_for(user).regions_with("records.review")
    qs = Event.objects.filter(region_id__in=regions).select_related("region", "organizer", "occupation")
    approved = qs.filter(status=EventStatus.APPROVED)
    # Four eyes: not a to-do of whoever may not take the step (services: entered a result, reviewed, created).
    uid = getattr(user, "pk", None)
    entered = Result.objects.filter(recorded_by_id=uid).values("contestant__event_id") if uid else None
    if entered is not None:
        approved = approved.exclude(pk__in=entered)
    return {
        "approve": qs.filter(status=EventStatus.FILED).exclude(created_by_id=uid).order_by("filed_at"),
        "review": approved.filter(results_stage=ResultsStage.OPEN, ends_on__lt=day)
        .filter(contestants__result__isnull=False)
        .distinct()
        .order_by("ends_on"),
        "publish": approved.filter(results_stage=ResultsStage.REVIEWED).exclude(reviewed_by_id=uid).order_by("ends_on"),
        "finalize": approved.filter(results_stage=ResultsStage.PUBLISHED, objection_until__lt=day).order_by(
            "objection_until"
        ),
        # 异议待处理: objections open while the results are announced, due by the end of the 公示 period.
        "objections": approved.filter(results_stage=ResultsStage.PUBLISHED, objections__status=ObjectionStatus.OPEN)
        .distinct()
        .order_by("objection_until"),
        # 晋级名单待确认: proposed by someone else, whose stage results this user did not enter.
        "advance": approved.filter(pk__in=_stages_to_confirm(uid)).order_by("starts_on"),
    }


def _stages_to_confirm(uid: Any) -> Any:
    qs = Stage.objects.filter(status=StageStatus.PROPOSED)
    if uid:
        qs = qs.exclude(proposed_by_id=uid).exclude(results__recorded_by_id=uid)
    return qs.values("event_id")


def rule_drafts_to_publish(user: Any) -> QuerySet[AwardRuleSet]:
    """奖励规则草稿待发布: drafts of the regions where ``user`` holds ``settings.edit`` (or below them), proposed by
    someone else (the proposer may not publish their own)."""
    p = principal_for(user)
    regions = p.regions_with("settings.edit")
    if not regions and not p.superuser:
        return AwardRuleSet.objects.none()
    qs = AwardRuleSet.objects.filter(status=RuleSetStatus.DRAFT).select_related("region", "created_by")
    if not p.superuser:
        drafts = qs.values_list("pk", "region_id")
        qs = qs.filter(pk__in=[pk for pk, r in drafts if any(region_is_within(r, c) for c in regions)])
    uid = getattr(user, "pk", None)
    return qs.exclude(created_by_id=uid).order_by("created_at") if uid else qs.order_by("created_at")


def organizer_steps(user: Any, *, today: Any = None) -> dict[str, QuerySet[Event]]:
    """Events waiting for their organizer (``org.edit`` over the organizer): drafts and returned events to file
    (报备), and events ended whose results are not all entered (成绩待录入)."""
    from django.utils import timezone

    day = today or timezone.localdate()
    orgs = principal_for(user).orgs_with("org.edit")
    qs = Event.objects.filter(organizer_id__in=orgs).select_related("region", "organizer", "occupation")
    registered = Q(contestants__status=ContestantStatus.REGISTERED)
    # Contestants who did not advance past a stage (未晋级) get no result of the final.
    missing = Count(
        "contestants",
        filter=registered & Q(contestants__result__isnull=True, contestants__eliminated_in__isnull=True),
    )
    return {
        "file": qs.filter(status__in=[EventStatus.DRAFT, EventStatus.REJECTED]).order_by("starts_on"),
        "results": qs.filter(status=EventStatus.APPROVED, results_stage=ResultsStage.OPEN, ends_on__lt=day)
        .annotate(n_missing=missing, n_all=Count("contestants", filter=registered))
        .filter(Q(n_missing__gt=0) | Q(n_all=0))
        .order_by("ends_on"),
    }


def contestants_registered_by(event: Event, organization: Organization) -> QuerySet[Contestant]:
    """The contestants ``organization`` put forward for ``event`` (推荐单位)."""
    return (
        Contestant.objects.filter(event=event, organization=organization)
        .select_related("person")
        .order_by("created_at")
    )


def contestants_of(event: Event) -> QuerySet[Contestant]:
    return (
        Contestant.objects.filter(event=event)
        .select_related("person", "result", "eliminated_in")
        .order_by("result__rank", "created_at")
    )


def stages_with_results(event: Event, *, public: bool = False) -> list[tuple[Stage, list[StageResult]]]:
    """The stages before the final with their results (rank order); ``public``: confirmed stages only, whose
    advancement is decided (names and organizations; the page shows no document numbers)."""
    stages = Stage.objects.filter(event=event).exclude(kind="final").exclude(status=StageStatus.RETIRED)
    stages = stages.order_by("position")
    if public:
        stages = stages.filter(status=StageStatus.CLOSED)
    rows = StageResult.objects.filter(stage__in=stages).select_related("contestant").order_by("rank", "created_at")
    by_stage: dict[Any, list[StageResult]] = {}
    for r in rows:
        by_stage.setdefault(r.stage_id, []).append(r)
    return [(st, by_stage.get(st.pk, [])) for st in stages]


def awards_of(event: Event) -> QuerySet[Award]:
    return (
        Award.objects.filter(event=event)
        .select_related("promoted_level", "result__contestant")
        .order_by("status", "rank")
    )


def rule_sets_visible(user: Any) -> QuerySet[AwardRuleSet]:
    """Published versions and drafts (待审批), newest first per region; returned drafts are not listed."""
    return (
        visible(AwardRuleSet, user, "records.view")
        .exclude(status=RuleSetStatus.DISCARDED)
        .select_related("region", "created_by")
        .order_by("region_id", "status", "-version", "-created_at")
    )


def rule_set_in_force(region_code: str) -> AwardRuleSet | None:
    """The latest published version of the region or its nearest ancestor (the start of a new draft)."""
    for code in region_ancestors(region_code):
        found = AwardRuleSet.objects.filter(region_id=code, status=RuleSetStatus.PUBLISHED).order_by("-version")
        if found.exists():
            return found.first()
    return None


def objections_of(event: Event) -> QuerySet[Objection]:
    return Objection.objects.filter(event=event).select_related("result__contestant").order_by("created_at")


def eligibility_text(event: Event) -> str:
    """报名条件 by occupation and level, in words ("" when the event sets none)."""
    if event.min_level_id is None and event.max_level_id is None:
        return ""
    from django.utils.translation import gettext as _

    from jineng.refdata.api import occupation_get

    names = [event.occupation.name] + [occupation_get(c).name for c in event.other_occupations]
    held = "、".join(names)
    low, high = event.min_level, event.max_level
    if low is not None and high is not None:
        return _("持有%(occ)s%(low)s至%(high)s证书") % {"occ": held, "low": low.label, "high": high.label}
    if low is not None:
        return _("持有%(occ)s%(low)s及以上证书") % {"occ": held, "low": low.label}
    assert high is not None
    return _("未持有%(occ)s%(high)s以上证书") % {"occ": held, "high": high.label}


# ---- public ------------------------------------------------------------------------------------------------------


def public_events(**filters: Any) -> QuerySet[Event]:
    qs = Event.objects.filter(status=EventStatus.APPROVED).select_related("occupation", "region", "organizer")
    return event_filter(qs, **filters)


def public_results(event: Event, *, published_only: bool = True) -> list[dict[str, Any]]:
    """The results of an event: rank, name, team, organization, score, title, promotion — published ones only unless
    ``published_only`` is False (the organizer and officials, through the scoped API)."""
    if published_only and event.results_stage not in PUBLISHED_STAGES:
        return []
    awards = {
        a.result_id: a
        for a in Award.objects.filter(event=event, status=AwardStatus.ACTIVE).select_related("promoted_level")
    }
    rows = []
    for r in Result.objects.filter(contestant__event=event).select_related("contestant").order_by("rank"):
        award = awards.get(r.pk)
        rows.append({
            "id": r.pk,
            "rank": r.rank,
            "name": r.contestant.name,
            "team": r.contestant.team_name,
            "organization": r.contestant.organization_name,
            "score": r.score,
            "title": award.title if award else "",
            "promotion": award.promoted_level.label if award and award.promoted_level else "",
            "restated": r.restated_at is not None,
        })  # fmt: skip
    return rows


def public_titles(year: int | None = None) -> QuerySet[Award]:
    qs = Award.objects.filter(status=AwardStatus.ACTIVE, event__results_stage=ResultsStage.FINAL).exclude(title="")
    if year:
        qs = qs.filter(event__starts_on__year=year)
    return qs.select_related("event", "result__contestant").order_by("-event__starts_on", "event__code", "rank")
