"""API of competitions: the events in the caller's scope and an event's results; the public events and their
published results (names and organizations, never a document number). Writes go through the pages (services)."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from jineng.accounts.api import get_visible
from jineng.common.errors import NotFound
from jineng.common.rest.pagination import Paging, page_items, page_of
from jineng.common.rest.types import Year
from jineng.competitions import selectors
from jineng.competitions.models import Event, EventLevel
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
        "status": e.status, "results_stage": e.results_stage, "objection_until": e.objection_until,
    }  # fmt: skip


def _results(e: Event, *, published_only: bool = True) -> dict[str, Any]:
    rows = [{**r, "score": str(r["score"])} for r in selectors.public_results(e, published_only=published_only)]
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
