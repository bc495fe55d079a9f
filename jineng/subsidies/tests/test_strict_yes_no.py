"""Money decisions are JSON true/false: a grant line's paid, a recovery order's and a receipt's approval and an
objection's upheld refuse "no", "off", 0 or 1 instead of reading them as a decision."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from jineng.subsidies.rest.schemas import GrantConfirmIn, ReceiptDecisionIn, RecoveryDecisionIn, ResolveIn

CASES = [
    (GrantConfirmIn, "paid", {}),
    (RecoveryDecisionIn, "approve", {}),
    (ReceiptDecisionIn, "approve", {}),
    (ResolveIn, "upheld", {"resolution": "经核查属实"}),
]


@pytest.mark.parametrize(("schema", "field", "rest"), CASES)
@pytest.mark.parametrize("value", ["off", "no", "yes", 0, 1, "true"])
def test_a_money_decision_that_is_not_true_or_false_is_refused(schema, field, rest, value):
    with pytest.raises(ValidationError):
        schema(**{field: value, **rest})


@pytest.mark.parametrize(("schema", "field", "rest"), CASES)
def test_true_and_false_are_taken(schema, field, rest):
    assert getattr(schema(**{field: False, **rest}), field) is False
