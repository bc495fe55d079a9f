"""Fixtures of the learning tests: training's small world (its fixtures reused) and a blended class."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jineng.training import api as training
from jineng.training.tests.conftest import make_class, trainee, week_sessions, world  # noqa: F401


@pytest.fixture
def blended(world: Any, make_class: Any) -> Any:  # noqa: F811
    """A running class: a week of online theory (5 × 3 h), then a week of offline practice (5 × 3 h)."""
    theory = week_sessions(world.start, world.teacher)
    for s in theory:
        s.mode = "online"
    practice = week_sessions(world.start + dt.timedelta(days=7), world.teacher)
    tc = make_class("running", sessions=theory + practice)
    enrollment = training.Enrollment.objects.get(training_class=tc)
    return tc, enrollment
