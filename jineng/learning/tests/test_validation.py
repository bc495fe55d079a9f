"""Statement validation: each rule of the xAPI data section that a platform can break, refused with the property
named; well-formed statements of every object type accepted."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jineng.learning import validation as v

GOOD: dict[str, Any] = {
    "actor": {"objectType": "Agent", "account": {"homePage": "https://edu.example.cn", "name": "enr-1"}},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"zh-CN": "完成"}},
    "object": {"id": "https://edu.example.cn/course/1", "definition": {"name": {"zh-CN": "电工基础"}}},
    "result": {"duration": "PT1H30M", "score": {"scaled": 0.8, "raw": 80, "min": 0, "max": 100}},
    "context": {"registration": "b5b7e1c0-1d6a-4b8e-9a57-1c4b2f1a0c11", "language": "zh-CN"},
    "timestamp": "2026-03-01T08:00:00+08:00",
}


def _with(path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(GOOD)
    *parents, last = path.split(".")
    target = data
    for key in parents:
        target = target[key]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return data


def test_a_well_formed_statement_is_accepted():
    assert v.statement(copy.deepcopy(GOOD), v2=True)["verb"]["id"].endswith("completed")


@pytest.mark.parametrize(
    ("path", "value", "named"),
    [
        ("actor", KeyError, "statement.actor"),
        ("actor.mbox", "mailto:a@b.cn", "exactly one identifier"),
        ("actor.account", {"homePage": "not an iri", "name": "x"}, "homePage"),
        ("verb.id", "completed", "verb.id"),
        ("verb.display", {"not a tag!": "x"}, "display"),
        ("object.id", None, "must not be null"),
        ("result.score", {"scaled": 1.5}, "scaled"),
        ("result.score", {"raw": 120, "min": 0, "max": 100}, "raw"),
        ("result.duration", "1 hour", "duration"),
        ("result.duration", "P1W1D", "duration"),
        ("context.registration", "not-a-uuid", "registration"),
        ("context.Extensions", {}, "not a property"),
        ("timestamp", "2026-03-01T08:00:00-00:00", "timestamp"),
        ("timestamp", "yesterday", "timestamp"),
        ("version", "3.0.0", "version"),
        ("id", "1234", "id"),
    ],
)
def test_a_broken_rule_is_refused_naming_the_property(path, value, named):
    with pytest.raises(v.XapiInvalid, match=named):
        v.statement(_with(path, value), v2=True)


def test_revision_only_with_an_activity_object():
    data = _with("object", {"objectType": "Agent", "mbox": "mailto:t@example.cn"})
    data["context"]["revision"] = "2"
    with pytest.raises(v.XapiInvalid, match="revision"):
        v.statement(data, v2=True)


def test_a_voiding_statement_targets_a_statement():
    data = _with("verb", {"id": v.VOIDED})
    with pytest.raises(v.XapiInvalid, match="StatementRef"):
        v.statement(data, v2=True)
    data["object"] = {"objectType": "StatementRef", "id": "b5b7e1c0-1d6a-4b8e-9a57-1c4b2f1a0c11"}
    v.statement(data, v2=True)


def test_an_authority_group_is_anonymous_with_two_agents():
    member = {"mbox": "mailto:a@example.cn"}
    v.statement(
        _with("authority", {"objectType": "Group", "member": [member, {"mbox": "mailto:b@example.cn"}]}), v2=True
    )
    with pytest.raises(v.XapiInvalid, match="two Agents"):
        v.statement(_with("authority", {"objectType": "Group", "member": [member]}), v2=True)


def test_context_agents_are_2_0_only():
    data = _with("context.contextAgents", [{"objectType": "contextAgent", "agent": {"mbox": "mailto:t@example.cn"}}])
    v.statement(copy.deepcopy(data), v2=True)
    with pytest.raises(v.XapiInvalid, match="contextAgents"):
        v.statement(data, v2=False)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_scaled_score_is_accepted_exactly_within_minus_one_and_one(scaled):
    data = _with("result.score", {"scaled": scaled})
    if -1 <= scaled <= 1:
        v.statement(data, v2=True)
    else:
        with pytest.raises(v.XapiInvalid):
            v.statement(data, v2=True)


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=0, max_value=59))
def test_iso_durations_of_hours_and_minutes_are_accepted(hours, minutes):
    v.duration(f"PT{hours}H{minutes}M", "d")
