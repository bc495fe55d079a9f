"""Who may enroll (参训对象) — read from the versioned, per-region policies, never from a table in code.

The groups a subsidized class admits are those of the 职业培训补贴 policy version in force on the enrollment date in the
class's region (or its nearest ancestor): its ``eligible_group`` rule. Policies belong to subsidies, a higher layer, so
subsidies registers the reader here when it loads (``register_enrollment_groups_source``); the pure rule
(``rules.training.enrollment_eligibility``) receives the groups as input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class EnrollmentGroups:
    """The groups a policy admits (``None``: it names none, or no version is in force — anyone may enroll), and the
    policy version that said so (its id, ``None`` without one), kept on the enrollment's eligibility record."""

    groups: frozenset[str] | None
    policy_version_id: str | None = None


EnrollmentGroupsSource = Callable[[str, dt.date], EnrollmentGroups]
_source: list[EnrollmentGroupsSource] = []


def register_enrollment_groups_source(source: EnrollmentGroupsSource) -> None:
    """``source(region_code, on)`` → the groups the policy in force there on that date admits."""
    _source[:] = [source]


def enrollment_groups(region_code: str, on: dt.date) -> EnrollmentGroups:
    if not _source:
        # Subsidies registers its reader when the app registry is ready; a project without it admits anyone.
        return EnrollmentGroups(None)
    return _source[0](region_code, on)
