"""The codes of what the public portal tells a visitor about their input (a notice on the page, never an error
page): stable, matched on by tests and clients; the message says it in Chinese."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    QUERY_TOO_LONG = "query_too_long"
    QUERY_EMPTY = "query_empty"
    UNKNOWN_REGION = "unknown_region"
    UNKNOWN_FILTER = "unknown_filter"
    UNKNOWN_VALUE = "unknown_value"
    PAGE_OUT_OF_RANGE = "page_out_of_range"
    UNKNOWN_DATASET = "unknown_dataset"
    UNKNOWN_OCCUPATION = "unknown_occupation"
