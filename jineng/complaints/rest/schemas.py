"""API schemas of complaints."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

from jineng.common.rest.schemas import InputSchema


class ComplaintOut(Schema):
    id: str
    number: str
    region: str
    region_name: str
    object_kind: str
    object_name: str
    organization_id: str | None = None
    class_ref: str
    category: str
    status: str
    status_label: str
    received_on: dt.date
    ack_due: dt.date
    answer_due: dt.date
    ack_overdue: bool
    answer_overdue: bool
    reopened: bool
    anonymous: bool
    contact_name: str = Field("", description="姓名（脱敏）")
    contact_phone: str = Field("", description="联系电话（脱敏）")
    case: str = Field("", description="关联的监管线索编号")


class ComplaintStepOut(Schema):
    kind: str
    text: str
    actor: str
    at: dt.datetime


class ComplaintDetailOut(ComplaintOut):
    content: str
    reply: str
    reopen_reason: str
    steps: list[ComplaintStepOut]


class ComplaintTextIn(InputSchema):
    text: str = Field("", max_length=2000)


class ComplaintRevealIn(InputSchema):
    field: str = Field(..., max_length=10, description="name | phone")
    reason: str = Field(..., max_length=200)


class ComplaintRevealOut(Schema):
    value: str


class ComplaintCodeIn(InputSchema):
    code: str = Field(..., max_length=40, description="查询码 XXXX-XXXX-XXXX")


class ComplaintReopenIn(ComplaintCodeIn):
    reason: str = Field(..., max_length=2000)


class ComplaintFirstAnswerOut(Schema):
    on: dt.date
    text: str


class ComplaintStatusOut(Schema):
    """After a reopening: answered_on and reply are the new round's (none until answered again), first_answer the old."""

    status: str
    status_label: str
    received_on: dt.date
    ack_due: dt.date
    answer_due: dt.date
    acknowledged_on: dt.date | None = None
    answered_on: dt.date | None = None
    closed_on: dt.date | None = None
    reply: str
    reopened: bool
    reopened_on: dt.date | None = None
    first_answer: ComplaintFirstAnswerOut | None = None
    can_reopen: bool


class ComplaintTaskIn(InputSchema):
    inspectors: list[Annotated[str, StringConstraints(max_length=40)]] = Field(..., max_length=10)  # user ids
