"""What other apps may use of the skill credit bank.

- ``balance_of(person_id)`` — category → credits available today (the site shell's worker home card);
- ``pending_recognitions(user)`` — 互认待审, the official's to-do (jineng.web);
- ``pending_conversions(user)`` — 学分转换待审, the second official's to-do (jineng.web);
- ``pending_rule_drafts(user)`` — 学分规则待发布, the second official's to-do (jineng.web);
- ``conversions_awaiting_consent(user)`` — 学分转换待本人确认, the worker's to-do (jineng.web).
"""

from __future__ import annotations

from jineng.credits.selectors import (
    conversions_awaiting_consent,
    pending_conversions,
    pending_recognitions,
    pending_rule_drafts,
)
from jineng.credits.services import balance_of

__all__ = [
    "balance_of",
    "conversions_awaiting_consent",
    "pending_conversions",
    "pending_recognitions",
    "pending_rule_drafts",
]
