"""API schemas of the skill credit bank."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class EntryOut(Schema):
    id: str
    on: dt.date
    category: str
    kind: str
    credits: str
    source: str
    source_label: str
    region: str
    rule_version: int | None = None
    expires_on: dt.date | None = None


class BalanceOut(Schema):
    category: str
    credits: str


class CreditAccountOut(Schema):
    person_id: str
    name: str  # masked
    total: str
    balance: list[BalanceOut]
    entries: list[EntryOut]


class RecognitionOut(Schema):
    id: str
    person_name: str  # masked
    region: str
    from_region: str
    record_ref: str
    description: str
    category: str
    credits: str
    earned_on: dt.date
    status: str
