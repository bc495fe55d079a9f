"""A second person's decision on a pending 黑名单 / 吊销许可 is JSON true/false ("no", 0 or 1 refused); a recovery
amount is a whole positive number as its schema says (586.0 is 586; 1.5, "100", true are refused)."""

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


@pytest.mark.parametrize("value", [True, 1.5, "100", float("inf"), float("nan"), 0.0, -3.0])
def test_a_recovery_amount_that_is_not_a_whole_positive_number_is_refused(value):
    from jineng.supervision.rest.v1 import CaseRecoverIn

    with pytest.raises(ValidationError):
        CaseRecoverIn(reason="虚报", due_date="2026-12-31", amounts={"TS1": value})


def test_a_recovery_amount_written_586_point_0_is_586_fen_as_its_published_schema_says():
    from jineng.supervision.rest.v1 import CaseRecoverIn

    assert CaseRecoverIn(reason="虚报", due_date="2026-12-31", amounts={"TS1": 586.0}).amounts == {"TS1": 586}
