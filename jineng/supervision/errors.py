"""The error codes of supervision (the typed errors themselves: ``jineng.common.errors``)."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    """Every error code supervision answers with: stable, matched on by clients; the message says it in Chinese."""

    BAD_TRANSITION = "bad_transition"
    REASON_REQUIRED = "reason_required"
    SCAN_RUNNING = "scan_running"
    UNKNOWN_RULE = "unknown_rule"
    BAD_CHOICE = "bad_choice"
    BAD_DURATION = "bad_duration"
    NOT_LISTED = "not_listed"
    NOTHING_TO_RECOVER = "nothing_to_recover"
    KIND_NOT_APPLICABLE = "kind_not_applicable"
    DOCUMENT_NUMBER = "document_number"
    SAME_PERSON = "same_person"
