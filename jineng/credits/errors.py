"""Coded errors of the skill credit bank (stable codes; Chinese messages)."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    """Every error code the credits app answers with."""

    # rule sets (jineng.rules.credits.rules_from_data names the field)
    BAD_RULES = "bad_rules"
    BAD_CREDITS = "bad_credits"
    BAD_HOURS = "bad_hours"
    BAD_EXPIRY = "bad_expiry"
    UNKNOWN_LEVEL = "unknown_level"
    UNKNOWN_EVENT_LEVEL = "unknown_event_level"
    UNKNOWN_CATEGORY = "unknown_category"
    REASON_REQUIRED = "reason_required"
    NO_RULES = "no_rules"
    RULES_STATE = "rules_state"
    # recognition (互认)
    SAME_REGION = "same_region"
    RECORD_REQUIRED = "record_required"
    RECORD_TAKEN = "record_already_recognized"
    BAD_DATE = "bad_date"
    SELF_REVIEW = "self_review"
    RECOGNITION_STATE = "recognition_state"
    # conversion
    BAD_TARGET = "bad_target"
    BEYOND_BALANCE = "beyond_balance"
    NOT_OFFERED = "conversion_not_offered"
    CONVERSION_TAKEN = "conversion_already_requested"
    CONVERSION_STATE = "conversion_state"
    CONSENT_REQUIRED = "consent_required"
    CONSENT_PENDING = "consent_pending"
    NOT_YOURS = "not_yours"
    # trusted issuers and imported transcripts (学分证明导入)
    BAD_KEYS = "bad_keys"
    OWN_KEY = "own_key"
    ISSUER_TAKEN = "issuer_already_trusted"
    MALFORMED = "malformed_transcript"
    UNKNOWN_ISSUER = "unknown_issuer"
    BAD_SIGNATURE = "bad_signature"
    NOT_TRANSCRIPT = "not_transcript"
    OWN_TRANSCRIPT = "own_transcript"
    TRANSCRIPT_DATES = "transcript_not_valid_now"
    PERSON_MISMATCH = "person_mismatch"
    ALREADY_IMPORTED = "transcript_already_imported"
    NOTHING_TO_IMPORT = "nothing_to_import"
