"""Every supervision rule scored against the synthetic province's ground truth: what each expected case is about
(a set of record ids), what each found case is about (the same ids, from its evidence), precision and recall.

Used by the supervision benchmark (``bench`` ``supervision_scan``) and the ground-truth tests."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# pattern of the ground truth → the rule that should find it
PATTERN_RULE = {
    "shared_phone": "shared_phone", "shared_bank": "shared_bank_account", "ghost": "ghost_trainee",
    "double_booking": "double_booking", "far_attendance": "far_attendance",
    "completion_too_fast": "completion_too_fast", "batch_signing": "batch_signing",
    "device_many_trainees": "device_many_trainees", "claim_low_attendance": "claim_low_attendance",
    "teacher_two_places": "teacher_two_places", "pass_rate_outlier": "pass_rate_outlier",
    "double_subsidy": "double_subsidy",
}  # fmt: skip
# the evidence kind whose ids say what a case of the rule is about
CASE_KIND = {
    "shared_phone": "person", "shared_bank_account": "person", "ghost_trainee": "enrollment",
    "double_booking": "enrollment", "far_attendance": "enrollment", "completion_too_fast": "enrollment",
    "batch_signing": "class", "device_many_trainees": "attendance", "claim_low_attendance": "claim",
    "teacher_two_places": "class", "pass_rate_outlier": "organization", "double_subsidy": "claim",
}  # fmt: skip


def truth_key(record: dict[str, Any]) -> frozenset[str]:
    p = record["pattern"]
    if p in ("shared_phone", "shared_bank"):
        return frozenset(record["person_ids"])
    if p in ("ghost", "far_attendance", "completion_too_fast"):
        return frozenset([record["enrollment_id"]])
    if p == "double_booking":
        return frozenset(record["enrollment_ids"])
    if p == "batch_signing":
        return frozenset([record["class_id"]])
    if p == "device_many_trainees":
        return frozenset(record["attendance_ids"])
    if p == "claim_low_attendance":
        return frozenset([record["claim_id"]])
    if p == "teacher_two_places":
        return frozenset(record["class_ids"])
    if p == "pass_rate_outlier":
        return frozenset([record["organization_id"]])
    return frozenset(record["claim_ids"])  # double_subsidy


def truth_keys(records: Iterable[dict[str, Any]]) -> dict[str, set[frozenset[str]]]:
    """rule → the expected cases, each as the set of ids it is about."""
    out: dict[str, set[frozenset[str]]] = defaultdict(set)
    for r in records:
        out[PATTERN_RULE[r["pattern"]]].add(truth_key(r))
    return out


def found_keys(rule: str) -> set[frozenset[str]]:
    from jineng.supervision.api import Case

    kind = CASE_KIND[rule]
    return {frozenset(e["id"] for e in c.evidence if e["kind"] == kind)
            for c in Case.objects.filter(rule=rule).only("evidence")}  # fmt: skip


@dataclass(frozen=True)
class Score:
    rule: str
    found: int
    expected: int
    hits: int

    @property
    def precision(self) -> float:
        return self.hits / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.hits / self.expected if self.expected else 1.0


def score(records: Iterable[dict[str, Any]]) -> list[Score]:
    """Each rule with a ground truth, scored against the cases in the database."""
    truth = truth_keys(records)
    out = []
    for rule in dict.fromkeys(PATTERN_RULE.values()):
        found = found_keys(rule)
        out.append(Score(rule, len(found), len(truth.get(rule, set())), len(found & truth.get(rule, set()))))
    return out
