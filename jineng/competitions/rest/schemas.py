"""API schemas of competitions."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class CompetitionEventOut(Schema):
    id: str
    code: str
    name: str
    level: str
    level_label: str
    event_class: str
    occupation: str
    occupation_name: str
    organizer: str
    approving_department: str
    document_number: str
    region: str
    starts_on: dt.date
    ends_on: dt.date
    status: str
    results_stage: str
    objection_until: dt.date | None = None


class ResultOut(Schema):
    rank: int
    name: str
    team: str
    organization: str
    score: str
    title: str
    promotion: str
    restated: bool


class EventResultsOut(Schema):
    event: CompetitionEventOut
    results: list[ResultOut]
