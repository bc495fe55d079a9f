"""The error codes of demand monitoring (the typed errors themselves: ``jineng.common.errors``)."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    """Every error code the labour market answers with (imports' row issues included): stable, matched on by
    clients; the message says it in Chinese."""

    APPROVER_EDITED = "approver_edited"
    BAD_COUNT = "bad_count"
    BAD_CREDIT_CODE = "bad_credit_code"
    BAD_DATE = "bad_date"
    BAD_QUARTER = "bad_quarter"
    BAD_RANGE = "bad_range"
    BAD_WAGE = "bad_wage"
    BAD_YEAR = "bad_year"
    CATALOG_EMPTY = "catalog_empty"
    CATALOG_NOT_APPROVED = "catalog_not_approved"
    CATALOG_NOT_DRAFT = "catalog_not_draft"
    DATE_IN_FUTURE = "date_in_future"
    DRAFT_EXISTS = "draft_exists"
    DUPLICATE_ROW = "duplicate_row"
    EFFECTIVE_BEFORE_PREVIOUS = "effective_before_previous"
    EMPLOYER_REQUIRED = "employer_required"
    NEGATIVE_COUNT = "negative_count"
    NEGATIVE_WAGE = "negative_wage"
    REASON_REQUIRED = "reason_required"
    REF_REQUIRED = "ref_required"
    REGION_OUT_OF_SCOPE = "region_out_of_scope"
    REGION_REQUIRED = "region_required"
    UNKNOWN_LEVEL = "unknown_level"
    UNKNOWN_OCCUPATION = "unknown_occupation"
    UNKNOWN_REGION = "unknown_region"
