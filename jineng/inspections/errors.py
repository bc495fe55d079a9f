"""The error codes of inspections (the typed errors themselves: ``jineng.common.errors``)."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    """Every error code inspections answers with: stable, matched on by clients; the message says it in Chinese."""

    BAD_CHOICE = "bad_choice"
    BAD_TRANSITION = "bad_transition"
    REASON_REQUIRED = "reason_required"
    NOT_INSPECTOR = "not_inspector"
    ALREADY_IN_POOL = "already_in_pool"
    EMPTY_OBJECTS = "empty_objects"
    EMPTY_INSPECTORS = "empty_inspectors"
    BAD_COUNT = "bad_count"
    TOO_MANY_OBJECTS = "too_many_objects"
    TOO_MANY_INSPECTORS = "too_many_inspectors"
    TOO_FEW_ELIGIBLE = "too_few_eligible"
    BAD_WEIGHT = "bad_weight"
    TEXT_REQUIRED = "text_required"
    UNKNOWN_ITEM = "unknown_item"
    CONFLICT = "conflict_of_interest"
    TASK_EXISTS = "task_exists"
    REVEAL_NOT_PERMITTED = "reveal_not_permitted"
