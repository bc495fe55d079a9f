"""Coded errors of competitions (stable codes; Chinese messages)."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    """Every error code competitions answers with: stable, matched on by clients; the message says it in Chinese."""

    BAD_CODE = "bad_code"
    BAD_NAME = "bad_name"
    BAD_DATES = "bad_dates"
    BAD_AGES = "bad_ages"
    BAD_CLASS = "bad_class"
    BAD_LEVEL = "bad_level"
    CODE_TAKEN = "code_taken"
    DEPARTMENT_REQUIRED = "department_required"
    REASON_REQUIRED = "reason_required"
    EVENT_STATE = "event_state"
    RESULTS_STATE = "results_state"
    NOT_IN_REGISTRY = "contestant_not_in_registry"
    NAME_MISMATCH = "name_mismatch"
    DUPLICATE_REGISTRATION = "duplicate_registration"
    # The registration import (io/importers.py) refuses a file without an event it may register for:
    EVENT_REQUIRED = "event_required"
    UNKNOWN_EVENT = "unknown_event"
    # The API's 新建赛事 names an organizer that is not an organization (or the caller edits for none).
    UNKNOWN_ORGANIZER = "unknown_organizer"
    OUTSIDE_REGION = "outside_region"
    AGE_NOT_ELIGIBLE = "age_not_eligible"
    NOT_REGISTERED = "result_not_registered"
    # Results (final or stage) are entered from the event's start date on, never before.
    NOT_STARTED = "not_started"
    BAD_SCORE = "bad_score"
    BAD_RANK = "bad_rank"
    RANK_CONTRADICTS_SCORE = "rank_contradicts_score"
    NO_RESULTS = "no_results"
    OBJECTION_PERIOD = "objection_period_open"
    NOTHING_CHANGED = "nothing_changed"
    BAD_RULES = "bad_rules"
    # Four eyes (双人复核): whoever entered results may not review them, nor publish or finalize; the reviewer may
    # not publish; the proposer of award rules may not publish them; an event's creator may not approve it.
    SAME_PERSON = "same_person"
    # Withdrawal (退赛): before the event starts, once.
    WITHDRAW_CLOSED = "withdraw_closed"
    ALREADY_WITHDRAWN = "already_withdrawn"
    # Eligibility by occupation and level (报名条件).
    BAD_LEVEL_RANGE = "bad_level_range"
    BAD_OCCUPATIONS = "bad_occupations"
    LEVEL_NOT_HELD = "level_not_held"
    LEVEL_ABOVE_LIMIT = "level_above_limit"
    # Rank 1 shared by contestants of more than one team (the event's tie-break decides first place).
    TIED_FIRST = "tied_first"
    # Objections (异议) during 公示.
    OBJECTION_OPEN = "objection_open"
    OBJECTION_CLOSED = "objection_closed"
    OBJECTION_PERIOD_OVER = "objection_period_over"
    # The results import writes all rows or none.
    STRICT_ONLY = "strict_only"
    NAME_REQUIRED = "name_required"
    RULES_STATE = "rules_state"
    # A rule line refused when a rule set is read (jineng.rules.competitions.rules_from_data), on ``lines[i].field``:
    BAD_EVENT_LEVEL = "bad_event_level"
    BAD_EVENT_CLASS = "bad_event_class"
    BAD_RANK_MAX = "bad_rank_max"
    TITLE_TOO_LONG = "title_too_long"
    PROMOTION_INCOMPLETE = "promotion_incomplete"
    LEVEL_NOT_ON_LADDER = "level_not_on_ladder"
    PAST_LADDER_TOP = "past_ladder_top"
    PROMOTION_NOT_UPWARD = "promotion_not_upward"
    LINE_AWARDS_NOTHING = "line_awards_nothing"
    DUPLICATE_LINE = "duplicate_line"
    # Stages (初赛 → 复赛 → 决赛): set while no result is entered; advancement proposed, confirmed by another.
    BAD_STAGES = "bad_stages"
    BAD_ADVANCE = "bad_advance"
    STAGE_STATE = "stage_state"
    NOT_ADVANCED = "not_advanced"
    NOBODY_ADVANCES = "nobody_advances"
    NOT_PROPOSER = "not_proposer"
