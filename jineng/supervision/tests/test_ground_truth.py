"""The five injected patterns of the synthetic province are found exactly: every rule scored against the generator's
ground truth (precision and recall both 1 on this province), and a second scan finds the same cases (idempotent)."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import pytest

from jineng.synthetic import plan as plan_module
from jineng.synthetic.runner import seed_province

pytestmark = pytest.mark.django_db


def truth_keys(records: list[dict[str, Any]]) -> dict[str, set[frozenset[str]]]:
    """What each injected anomaly is about, in the evidence's terms (a set of ids per expected case)."""
    out: dict[str, set[frozenset[str]]] = defaultdict(set)
    for r in records:
        p = r["pattern"]
        if p == "shared_phone":
            out["shared_phone"].add(frozenset(r["person_ids"]))
        elif p == "shared_bank":
            out["shared_bank_account"].add(frozenset(r["person_ids"]))
        elif p == "ghost":
            out["ghost_trainee"].add(frozenset([r["enrollment_id"]]))
        elif p == "double_booking":
            out["double_booking"].add(frozenset(r["enrollment_ids"]))
        elif p == "far_attendance":
            out["far_attendance"].add(frozenset([r["enrollment_id"]]))
    return out


def found_keys(rule: str) -> set[frozenset[str]]:
    from jineng.supervision.models import Case

    kind = "person" if rule in ("shared_phone", "shared_bank_account") else "enrollment"
    return {frozenset(e["id"] for e in c.evidence if e["kind"] == kind) for c in Case.objects.filter(rule=rule)}


def precision_recall(found: set[frozenset[str]], truth: set[frozenset[str]]) -> tuple[float, float]:
    hits = len(found & truth)
    return (hits / len(found) if found else 1.0), (hits / len(truth) if truth else 1.0)


@pytest.fixture
def province(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, set[frozenset[str]]]:
    monkeypatch.setattr(plan_module, "DOUBLE_RATE", 0.01)
    monkeypatch.setattr(plan_module, "FAR_RATE", 0.01)
    path = tmp_path / "truth.jsonl"
    seed_province(scale="tiny", seed=9, persons=1500, anomalies=True, ground_truth=path, progress=False)
    return truth_keys([json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()])


def test_every_injected_pattern_is_found_exactly_and_a_rescan_adds_nothing(province, make_user):
    from jineng.supervision.models import Case, ScanStatus
    from jineng.supervision.services import scan_create, scan_run

    official = make_user("province_official", region="440000")
    scan = scan_run(scan_create(actor=official))
    assert scan.status == ScanStatus.DONE
    for rule in ("shared_phone", "shared_bank_account", "ghost_trainee", "double_booking", "far_attendance"):
        assert province[rule], f"the generator injected no {rule}"
        precision, recall = precision_recall(found_keys(rule), province[rule])
        assert (rule, precision, recall) == (rule, 1.0, 1.0)
    # The rules the generator does not inject find nothing in its clean records.
    others = set(Case.objects.values_list("rule", flat=True)) - set(province)
    assert others == set(), others
    before = set(Case.objects.values_list("fingerprint", flat=True))
    again = scan_run(scan_create(actor=official))
    assert set(Case.objects.values_list("fingerprint", flat=True)) == before
    assert sum(v["new"] for v in again.found.values()) == 0
