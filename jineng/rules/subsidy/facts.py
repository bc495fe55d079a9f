"""What the subsidy rules are given: the claim's facts and the person's history, as frozen dataclasses.

Services build these from the database (the registry, training, certificates and earlier claims); the rules read
nothing else. Prior claims come from every region — a person's allowance is national.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class CertificateFact:
    """证书 — as found in the certificates module (never as declared by the applicant)."""

    id: str
    number: str
    kind: str  # CertificateKind code: qualification, skill_level, special_ability, training
    occupation: str  # occupation code ("" when none)
    level: str  # SkillLevel code ("" for ungraded)
    level_rank: int  # SkillLevel rank (0 for ungraded)
    issued_on: dt.date
    valid: bool = True


@dataclass(frozen=True)
class TrainingFact:
    """结业 — one enrollment of a class, as recorded by the training module."""

    enrollment_id: str
    class_code: str
    completed: bool
    passed: bool
    attendance_bp: int  # attendance rate in basis points (8250 = 82.50 %)
    hours: int  # credited 学时
    completed_on: dt.date | None = None


@dataclass(frozen=True)
class PersonFacts:
    sex: str = ""  # "male" | "female" | ""
    birth_date: dt.date | None = None
    groups: tuple[str, ...] = ()  # the groups held on the qualifying date


@dataclass(frozen=True)
class PriorClaim:
    """An earlier claim of the same person that still counts (submitted, in review, approved or paid)."""

    id: str
    subsidy_type: str
    event_year: int
    event_keys: tuple[str, ...]
    occupation: str = ""
    level: str = ""
    level_rank: int = 0
    counters: tuple[str, ...] = ()
    exclusion_groups: tuple[str, ...] = ()
    region: str = ""
    number: str = ""


@dataclass(frozen=True)
class ShortageList:
    """急需紧缺职业目录 — the published catalog version in force for the claim (on the class's start date)."""

    version: str  # e.g. "广东省急需紧缺职业（工种）目录 2026年第1版"
    occupations: tuple[str, ...]  # occupation codes
    effective_from: dt.date | None = None


@dataclass(frozen=True)
class ClaimFacts:
    subsidy_type: str
    event_date: dt.date  # the qualifying event: completion, certificate issue, apprenticeship year, employment
    applied_on: dt.date
    today: dt.date
    event_keys: tuple[str, ...]  # the first is the claim's own event; the others identify the same training
    occupation: str = ""
    level: str = ""
    level_rank: int = 0
    person: PersonFacts = field(default_factory=PersonFacts)
    certificate: CertificateFact | None = None
    training: TrainingFact | None = None
    insured_months: int | None = None
    units: int = 1  # months (以工代训) or plan years
    units_declared: int | None = None  # the months applied for, when more than worked so far (units is the lesser)
    hours: int = 0  # credited hours (apprenticeship year: hours done)
    concentrated_hours: int = 0
    employed_by_applicant: bool | None = None
    employment_dates: tuple[dt.date, ...] = ()  # employment starts after the event (就业挂钩)
    shortage: ShortageList | None = None  # the catalog in force, for a policy whose float references one
    settings: Mapping[str, int] = field(default_factory=dict)  # per-region settings in force on the event date
    labels: Mapping[str, str] = field(default_factory=dict)  # code → Chinese name (groups, levels, kinds)

    def label(self, code: str) -> str:
        return self.labels.get(code, code)

    def setting(self, key: str, default: int) -> int:
        if not key:
            return default
        value: Any = self.settings.get(key, default)
        return int(value)


@dataclass(frozen=True)
class PersonHistory:
    claims: tuple[PriorClaim, ...] = ()
    certificates: tuple[CertificateFact, ...] = ()
