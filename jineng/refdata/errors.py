"""The error codes of reference data (the typed errors themselves: ``jineng.common.errors``)."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    """Every error code reference data answers with: stable, matched on by clients; the message says it in Chinese."""

    BAD_CODE = "bad_code"
    BAD_ENCODING = "bad_encoding"
    BAD_LEVEL = "bad_level"
    BAD_VALUE = "bad_value"
    BEFORE_START = "before_start"
    DUPLICATE_CODE = "duplicate_code"
    FILE_NOT_FOUND = "file_not_found"
    MALFORMED_FILE = "malformed_file"
    MISSING_COLUMNS = "missing_columns"
    NEGATIVE = "negative"
    NOT_AN_OCCUPATION = "not_an_occupation"
    REGION_CYCLE = "region_cycle"
    REQUIRED = "required"
    RETIRED_REGION = "retired_region"
    TOO_SMALL = "too_small"  # a setting below its floor (SettingSpec.minimum)
    UNKNOWN_CERTIFICATE_KIND = "unknown_certificate_kind"
    UNKNOWN_LEVEL = "unknown_level"
    UNKNOWN_OCCUPATION = "unknown_occupation"
    UNKNOWN_PARENT = "unknown_parent"
    UNKNOWN_PLAN = "unknown_plan"
    UNKNOWN_REGION = "unknown_region"
    UNKNOWN_SETTING = "unknown_setting"
    UNKNOWN_TAG = "unknown_tag"
