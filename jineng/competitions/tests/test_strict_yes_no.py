"""An objection's decision is a JSON true/false: "off", "no", 0 or 1 are refused, not read as a decision."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from jineng.competitions.rest.schemas import ObjectionDecideIn


@pytest.mark.parametrize("value", ["off", "no", "yes", 0, 1, "true"])
def test_an_objection_decision_that_is_not_true_or_false_is_refused(value):
    with pytest.raises(ValidationError):
        ObjectionDecideIn(upheld=value, decision="经核查，成绩无误")


def test_an_objection_decision_of_true_or_false_is_taken():
    assert ObjectionDecideIn(upheld=False, decision="经核查，成绩无误").upheld is False
