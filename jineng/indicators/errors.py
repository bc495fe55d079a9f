"""The error codes of plan indicators (the typed errors themselves: ``jineng.common.errors``)."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    """Every error code plan indicators answers with: stable, matched on by clients; the message says it in Chinese."""

    BAD_CHOICE = "bad_choice"
    BAD_YEAR = "bad_year"
    NO_DATA = "no_data"
    OUTSIDE_PERIOD = "outside_period"
    OUTSIDE_PLAN = "outside_plan"
    REGION_OUTSIDE_PLAN = "region_outside_plan"
    UNKNOWN_INDICATOR = "unknown_indicator"
    UNKNOWN_PLAN = "unknown_plan"
    UNKNOWN_REGION = "unknown_region"
    YEAR_CLOSED = "year_closed"
    YEAR_NOT_ENDED = "year_not_ended"
    YEAR_OUTSIDE_PLAN = "year_outside_plan"
