"""Frozen records competitions hands to other apps (``api.py`` returns them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AwardFacts:
    """竞赛奖励 as another app may know it (the credit bank counts it): whose, of which event level, whether it
    still stands (not revoked by a restated result)."""

    id: str
    person_id: Any
    event_name: str
    event_level: str
    event_region_code: str
    rank: int
    title: str
    awarded_on: dt.date
    active: bool
