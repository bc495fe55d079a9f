"""Region scope of every model of this app (jineng.accounts.scope): an event and everything of it is attributed to
the event's region, and reached by its organizer too; a contestant's own records reach the contestant."""

from __future__ import annotations

from jineng.accounts.api import ScopeSpec, register_scope


def register() -> None:
    from jineng.competitions import models as m

    register_scope(m.Event, ScopeSpec(region="region_id", organization="organizer_id"))
    register_scope(
        m.Contestant, ScopeSpec(region="event__region_id", organization="event__organizer_id", person="person_id")
    )
    register_scope(
        m.Result,
        ScopeSpec(
            region="contestant__event__region_id",
            organization="contestant__event__organizer_id",
            person="contestant__person_id",
        ),
    )
    register_scope(
        m.Award, ScopeSpec(region="event__region_id", organization="event__organizer_id", person="person_id")
    )
    # An objection: the event's region and organizer, and whoever raised it.
    register_scope(m.Objection, ScopeSpec(region="region_id", organization="event__organizer_id", owner="raised_by_id"))
    # Award rules are published policy without personal data: every signed-in official reads them.
    register_scope(m.AwardRuleSet, ScopeSpec(region="region_id", public=True))
    register_scope(m.Stage, ScopeSpec(region="event__region_id", organization="event__organizer_id"))
    register_scope(
        m.StageResult,
        ScopeSpec(
            region="stage__event__region_id",
            organization="stage__event__organizer_id",
            person="contestant__person_id",
        ),
    )
