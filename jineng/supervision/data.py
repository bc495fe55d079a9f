"""The frozen records supervision takes from other apps through its hooks (ADR 0007)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class CaseComplaint:
    """A complaint a case came from or was linked to, as the case page shows it to one reader: the number (masked,
    ``TS2026****02``, and no ``url`` for a reader who does not handle complaints there), the kind of problem, the
    status and the date — never the complainant or the text."""

    number: str
    url: str
    category: str
    status: str
    received_on: dt.date
