"""A second person's decision on a pending 黑名单 / 吊销许可 is JSON true/false: "no", 0 or 1 are refused."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from jineng.supervision.rest.v1 import SanctionDecisionIn


@pytest.mark.parametrize("value", ["off", "no", "yes", 0, 1, "true"])
def test_a_sanction_decision_that_is_not_true_or_false_is_refused(value):
    with pytest.raises(ValidationError):
        SanctionDecisionIn(approve=value)


def test_true_and_false_are_taken():
    assert SanctionDecisionIn(approve=False, reason="证据不足").approve is False
