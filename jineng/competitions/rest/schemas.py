"""API schemas of competitions."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator, Field, StrictBool

from jineng.common.rest.types import BoundedDate, Code, Name, Text


def _number_text(value: Any) -> Any:
    # A score or rank may come as a JSON number or as text ("91.5", "1"); the service checks it (bad_score, bad_rank).
    # true/false are not numbers (left as they are: refused as not text).
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


NumberText = Annotated[str, BeforeValidator(_number_text), Field(max_length=64)]


def _whole_age(v: Any) -> Any:
    if isinstance(v, float) and v.is_integer():  # true/false stay as they are: the strict int refuses them
        return int(v)
    return v


Age = Annotated[int, BeforeValidator(_whole_age)]


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
    status_label: str
    results_stage: str
    results_stage_label: str
    objection_until: dt.date | None = None


class ResultOut(Schema):
    id: str
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


class StageResultOut(Schema):
    rank: int
    name: str
    organization: str
    score: str
    advanced: bool | None = None  # None while the stage is under way


class StageOut(Schema):
    id: str
    position: int
    kind: str
    kind_label: str
    advance_mode: str
    advance_value: str
    status: str
    results: list[StageResultOut]


class EventStagesOut(Schema):
    event: CompetitionEventOut
    stages: list[StageOut]


class StageIn(Schema):
    kind: Code
    advance_mode: Code = ""
    advance_value: Code = ""  # top N (whole number) or a score line; checked by the service


class StagesIn(Schema):
    stages: list[StageIn] = Field(default_factory=list, max_length=3)


class StageResultIn(Schema):
    id_number: Code
    score: NumberText
    rank: NumberText


class CompetitionReasonIn(Schema):
    reason: Text = ""


class ContestantOut(Schema):
    id: str
    name: str
    team: str
    organization: str
    status: str
    withdraw_reason: str


class CompetitionObjectionIn(Schema):
    reason: Text
    result: uuid.UUID | None = None
    name: Name = ""


class ObjectionDecideIn(Schema):
    upheld: StrictBool  # "off", 0 are not a yes/no
    decision: Text
    score: Code = ""  # the corrected score and rank of the result objected to (upheld only)
    rank: Code = ""


class CompetitionObjectionOut(Schema):
    id: str
    event: str
    result_rank: int | None = None
    result_name: str = ""
    reason: str
    raised_by_name: str
    status: str
    decision: str
    created_at: dt.datetime


class RuleLineIn(Schema):
    event_level: Code
    event_class: Code = ""
    rank_max: int = Field(ge=1, le=1000)
    title: Name = ""
    prerequisite: Code = ""
    grants: Code = ""


class RuleSetIn(Schema):
    region: Code
    valid_from: BoundedDate
    basis: Name
    lines: list[RuleLineIn] = Field(max_length=100)


class RuleSetEditIn(Schema):
    valid_from: BoundedDate
    basis: Name
    lines: list[RuleLineIn] = Field(max_length=100)


class RuleSetOut(Schema):
    id: str
    region: str
    version: int | None = None
    status: str
    valid_from: dt.date
    basis: str
    lines: list[dict[str, Any]]
    proposed_by: str
    return_reason: str


# ---- events: create, file, decide; registration; final results, review, publish, finalize, restatement ----------


class CompetitionEventIn(Schema):
    """新建赛事 (a draft of the organizer). ``organizer``: the organizing organization's id — by default the caller's
    own (the organization they edit for); an official over the event's region may name another."""

    name: Name
    level: Code
    event_class: Code = ""
    occupation: Code
    approving_department: Name
    region: Code
    starts_on: BoundedDate
    ends_on: BoundedDate
    # a whole number (70.0 is 70, as JSON Schema's integer allows), never true/false
    min_age: Age = Field(16, ge=0, le=200, strict=True)
    max_age: Age = Field(65, ge=0, le=200, strict=True)
    other_occupations: list[Code] = Field(default_factory=list, max_length=10)
    min_level: Code = ""
    max_level: Code = ""
    organizer: Code = ""


class CompetitionApproveIn(Schema):
    document_number: Code


class CompetitionRegisterIn(Schema):
    id_number: Code
    name: Name
    team_name: Name = ""


class CompetitionResultIn(Schema):
    id_number: Code
    score: NumberText
    rank: NumberText


class CompetitionRestateIn(Schema):
    score: NumberText
    rank: NumberText
    reason: Text


class CompetitionAwardOut(Schema):
    rank: int
    name: str
    title: str
    promotion: str
    certificate_number: str
    status: str
    explanation: list[str]


class CompetitionTitleOut(Schema):
    """A title (技术能手) granted at 确认 — names and organizations only, never a document number."""

    title: str
    name: str
    organization: str
    event_code: str
    event_name: str
    rank: int
    year: int
