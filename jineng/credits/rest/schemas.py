"""API schemas of the skill credit bank."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Schema
from pydantic import StrictBool, StringConstraints


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


Text = Annotated[str, StringConstraints(max_length=400)]
Code6 = Annotated[str, StringConstraints(max_length=6)]
Id = Annotated[str, StringConstraints(max_length=40)]


class CreditDecisionIn(Schema):
    approve: StrictBool
    reason: Text = ""


class CreditConsentIn(Schema):
    agree: StrictBool


class ConversionRequestIn(Schema):
    person_id: Id
    region: Code6
    target: Annotated[str, StringConstraints(max_length=20)]
    target_label: Text
    credits: Annotated[str, StringConstraints(max_length=12)] = ""
    category: Annotated[str, StringConstraints(max_length=16)] = ""
    reason: Text
    consent_method: Annotated[str, StringConstraints(max_length=16)]
    consent_ref: Text = ""
    consent_on: dt.date | None = None


class ConversionOut(Schema):
    id: str
    person_name: str  # masked
    region: str
    target: str
    target_label: str
    category: str
    credits: str
    hours_waived: int
    status: str
    consent_method: str
    consent_on: dt.date | None = None
    consented: bool


class RecognitionRequestIn(Schema):
    person_id: Id
    region: Code6
    from_region: Code6
    record_ref: Text
    issuer: Text
    description: Text
    category: Annotated[str, StringConstraints(max_length=16)]
    credits: Annotated[str, StringConstraints(max_length=12)]
    earned_on: dt.date


class CreditRuleSetOut(Schema):
    id: str
    region: str
    version: int | None = None
    status: str
    valid_from: dt.date
    basis: str
    rules: dict[str, Any]


class RuleDraftIn(Schema):
    region: Code6
    valid_from: dt.date
    basis: Text
    rules: dict[str, Any]


class TrustedIssuerOut(Schema):
    id: str
    name: str
    issuer_url: str
    region: str
    kids: list[str]
    active: bool


class TrustedIssuerIn(Schema):
    name: Text
    issuer_url: Text
    region: Code6
    keys: Annotated[str, StringConstraints(max_length=20_000)]


class IssuerDeactivateIn(Schema):
    reason: Text


class TranscriptImportIn(Schema):
    person_id: Id
    region: Code6
    token: Annotated[str, StringConstraints(max_length=65_536)]


class TranscriptImportOut(Schema):
    id: str
    person_name: str  # masked
    region: str
    issuer: str
    credential_id: str
    issued_on: dt.date | None = None
    as_of: dt.date | None = None
    credits: str
    entries_recorded: int
    skipped: list[dict[str, str]]
