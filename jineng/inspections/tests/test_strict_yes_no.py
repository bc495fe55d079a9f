"""A follow-up's acceptance and a draw's risk weighting are JSON true/false: "no", 0 or 1 are refused."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from jineng.inspections.rest.v1 import DrawIn, FollowUpIn


@pytest.mark.parametrize("value", ["off", "no", "yes", 0, 1, "true"])
def test_a_follow_up_acceptance_that_is_not_true_or_false_is_refused(value):
    with pytest.raises(ValidationError):
        FollowUpIn(accept=value)


@pytest.mark.parametrize("value", ["off", 0, 1])
def test_a_draw_risk_weighting_that_is_not_true_or_false_is_refused(value):
    with pytest.raises(ValidationError):
        DrawIn(region="440106", title="双随机抽查", kinds=["provider"], risk_weighting=value)


def test_true_and_false_are_taken():
    assert FollowUpIn(accept=False).accept is False
