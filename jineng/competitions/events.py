"""The audit events competitions writes — 赛事、报名、成绩、奖励规则和奖励.

Each member is an action code with the object type it is about (see ``jineng.common.audit.events``); services
record them with ``audit_event(Event.X, actor=…, object_id=…)``; the audit page labels them in
``jineng/web/audit_labels.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import partial
from typing import Any

from django.db import transaction

from jineng.common.audit.events import AuditEvent


class Object(StrEnum):
    """The object types, spelled ``app.model``."""

    EVENT = "competitions.event"
    CONTESTANT = "competitions.contestant"
    RESULT = "competitions.result"
    RULE_SET = "competitions.rule_set"
    AWARD = "competitions.award"
    OBJECTION = "competitions.objection"
    STAGE = "competitions.stage"
    STAGE_RESULT = "competitions.stage_result"


class Event(AuditEvent):
    COMPETITION_CREATE = "competition.create", Object.EVENT
    COMPETITION_FILE = "competition.file", Object.EVENT
    COMPETITION_APPROVE = "competition.approve", Object.EVENT
    COMPETITION_REJECT = "competition.reject", Object.EVENT
    COMPETITION_REGISTER = "competition.register", Object.CONTESTANT
    COMPETITION_RESULT_RECORD = "competition.result_record", Object.RESULT
    COMPETITION_RESULT_RESTATE = "competition.result_restate", Object.RESULT
    COMPETITION_RESULTS_REVIEW = "competition.results_review", Object.EVENT
    COMPETITION_RESULTS_PUBLISH = "competition.results_publish", Object.EVENT
    COMPETITION_RESULTS_FINALIZE = "competition.results_finalize", Object.EVENT
    COMPETITION_RULES_SET = "competition.rules_set", Object.RULE_SET
    COMPETITION_RULES_PROPOSE = "competition.rules_propose", Object.RULE_SET
    COMPETITION_RULES_RETURN = "competition.rules_return", Object.RULE_SET
    COMPETITION_WITHDRAW = "competition.withdraw", Object.CONTESTANT
    COMPETITION_OBJECTION_RAISE = "competition.objection_raise", Object.OBJECTION
    COMPETITION_OBJECTION_DECIDE = "competition.objection_decide", Object.OBJECTION
    COMPETITION_AWARD = "competition.award", Object.AWARD
    COMPETITION_AWARD_REVOKE = "competition.award_revoke", Object.AWARD
    COMPETITION_RULES_EDIT = "competition.rules_edit", Object.RULE_SET
    COMPETITION_STAGES_SET = "competition.stages_set", Object.EVENT
    COMPETITION_STAGE_RESULT_RECORD = "competition.stage_result_record", Object.STAGE_RESULT
    COMPETITION_STAGE_PROPOSE = "competition.stage_propose", Object.STAGE
    COMPETITION_STAGE_CONFIRM = "competition.stage_confirm", Object.STAGE
    COMPETITION_STAGE_RETURN = "competition.stage_return", Object.STAGE


# ---- hooks (ADR 0007): other apps re-derive what they hold from awards when it changes -----------------------------

_changed_handlers: list[Callable[[Any], None]] = []


def on_award_changed(handler: Callable[[Any], None]) -> None:
    """Call ``handler(person_id)`` after the commit of a change to a person's awards (an award granted or revoked)."""
    _changed_handlers.append(handler)


def award_changed(person_id: Any) -> None:
    """Emitted by the services inside the transaction; the handlers run once it commits."""
    for handler in _changed_handlers:
        transaction.on_commit(partial(handler, person_id))
