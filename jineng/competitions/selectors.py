"""Reads of competitions: one filter per list, used by the page and the API alike; scope through
``accounts.api.visible``. Public reads show approved events and published results only — names and organizations,
no document numbers."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from jineng.accounts.api import visible
from jineng.competitions.models import (
    Award,
    AwardRuleSet,
    AwardStatus,
    Contestant,
    Event,
    EventStatus,
    Result,
    ResultsStage,
)

PUBLISHED_STAGES = (ResultsStage.PUBLISHED, ResultsStage.FINAL)


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
    return event_filter(qs.annotate(n_contestants=Count("contestants")), **filters)


def contestants_of(event: Event) -> QuerySet[Contestant]:
    return (
        Contestant.objects.filter(event=event).select_related("person", "result").order_by("result__rank", "created_at")
    )


def awards_of(event: Event) -> QuerySet[Award]:
    return (
        Award.objects.filter(event=event)
        .select_related("promoted_level", "result__contestant")
        .order_by("status", "rank")
    )


def rule_sets_visible(user: Any) -> QuerySet[AwardRuleSet]:
    return visible(AwardRuleSet, user, "records.view").select_related("region").order_by("region_id", "-version")


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
