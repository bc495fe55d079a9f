"""The error codes of the person registry (the typed errors themselves: ``jineng.common.errors``)."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    """Every error code the person registry answers with: stable, matched on by clients; the message says it in Chinese."""

    BAD_CHOICE = "bad_choice"
    BAD_RANGE = "bad_range"
    BANK_ACCOUNT_BAD_FORMAT = "bank_account_bad_format"
    BIRTH_DATE_MISMATCH = "birth_date_mismatch"
    DOCUMENT_NOT_PENDING = "document_not_pending"
    GRADUATION_YEAR_REQUIRED = "graduation_year_required"
    MERGE_SAME_PERSON = "merge_same_person"
    NAME_BAD_FORMAT = "name_bad_format"
    NAME_REQUIRED = "name_required"
    PERSON_EXISTS = "person_exists"
    PERSON_MERGED = "person_merged"
    REASON_REQUIRED = "reason_required"
    REQUIRED = "required"
    REVEAL_NOT_PERMITTED = "reveal_not_permitted"
    SEX_MISMATCH = "sex_mismatch"
    SHRED_NOT_PERMITTED = "shred_not_permitted"
    UNKNOWN_GROUP = "unknown_group"
