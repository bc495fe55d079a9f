"""What certificates hands other apps: frozen values, never its models."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CertificateFacts:
    """持证事实 — a certificate as another app may know it: who holds it, for which occupation and level, whether it
    still stands (not revoked), and the class enrollment the holder sat the exam from, if any."""

    id: str
    number: str
    kind: str
    occupation: str  # the occupation's code; "" when the certificate names none
    level: str  # the skill level's code; "" when none
    level_rank: int  # 0 when no level
    issued_on: dt.date
    valid: bool
    person_id: Any
    region_code: str  # the region the certificate is attributed to
    enrollment_id: Any = None
