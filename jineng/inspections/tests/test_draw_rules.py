"""The draw algorithm (jineng.rules.draw): deterministic from its published inputs, respects conflicts of interest and
rotation, balances the inspectors, and refuses what cannot be drawn — with the reason."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jineng.rules import draw as D


def lists(n_obj: int, n_insp: int, conflicts=(), previous=None, weight=1):
    return {"objects": [{"id": f"o{i:03d}", "kind": "provider", "weight": weight} for i in range(n_obj)],
            "inspectors": [f"JC{i:04d}" for i in range(n_insp)], "conflicts": [list(c) for c in conflicts],
            "previous": previous or {}}  # fmt: skip


@given(seed=st.text(alphabet="0123456789abcdef", min_size=8, max_size=64), n_obj=st.integers(1, 30),
       n_insp=st.integers(2, 12), data=st.data())  # fmt: skip
def test_a_draw_is_the_same_every_time_and_respects_conflicts_and_rotation(seed, n_obj, n_insp, data):
    count = data.draw(st.integers(1, n_obj))
    conflict = ("JC0000", "o000")
    previous = {"o001": ["JC0001"]}
    lst = lists(n_obj, n_insp, [conflict], previous)
    try:
        first = D.run_draw(seed=seed, lists=lst, count=count, per_task=2)
    except D.DrawRefused as exc:
        assert exc.code == "too_few_eligible"
        return
    assert first == D.run_draw(seed=seed, lists=lst, count=count, per_task=2)
    assert len(first) == count and len({r["object"] for r in first}) == count
    for r in first:
        assert len(set(r["inspectors"])) == 2
        assert not (r["object"] == "o000" and "JC0000" in r["inspectors"])
        assert not (r["object"] == "o001" and "JC0001" in r["inspectors"])
    loads = [sum(i in r["inspectors"] for r in first) for i in lst["inspectors"]]
    assert max(loads) - min(loads) <= 2  # balanced: the least loaded eligible inspectors go first


def test_another_seed_or_other_lists_give_another_draw():
    lst = lists(40, 6)
    a = D.run_draw(seed="aa" * 32, lists=lst, count=5, per_task=2)
    assert a != D.run_draw(seed="bb" * 32, lists=lst, count=5, per_task=2)
    assert D.lists_hash(lst) != D.lists_hash(lists(41, 6))


def test_risk_weight_makes_an_object_likelier():
    lst = lists(10, 4)
    lst["objects"][0]["weight"] = 5
    hits = sum(any(r["object"] == "o000" for r in D.run_draw(seed=f"{s:064x}", lists=lst, count=1, per_task=1))
               for s in range(300))  # fmt: skip
    assert hits > 300 * 5 / 14 * 0.7  # expected 5/14 of the draws; equal weights would give 1/10


@pytest.mark.parametrize("lst,count,per_task,code", [
    (lists(0, 3), 1, 1, "empty_objects"),
    (lists(3, 0), 1, 1, "empty_inspectors"),
    (lists(3, 3), 4, 1, "too_many_objects"),
    (lists(3, 2), 1, 3, "too_many_inspectors"),
    (lists(3, 2), 0, 1, "bad_count"),
    (lists(1, 2, conflicts=[("JC0000", "o000")]), 1, 2, "too_few_eligible"),
    (lists(2, 2, weight=0), 1, 1, "bad_weight"),
])  # fmt: skip
def test_what_cannot_be_drawn_is_refused_with_the_reason(lst, count, per_task, code):
    with pytest.raises(D.DrawRefused) as exc:
        D.run_draw(seed="ab" * 32, lists=lst, count=count, per_task=per_task)
    assert exc.value.code == code and str(exc.value)


def test_verify_names_a_tampered_seed_list_or_result():
    lst = lists(5, 4)
    seed = "cd" * 32
    pub = {"format": D.FORMAT, "seed": seed, "commitment": D.commitment_of(seed), "lists": lst,
           "lists_sha256": D.lists_hash(lst), "plan": {"count": 2, "per_task": 2},
           "result": D.run_draw(seed=seed, lists=lst, count=2, per_task=2)}  # fmt: skip
    assert D.verify(pub)[0]
    assert not D.verify({**pub, "commitment": "0" * 64})[0]
    assert not D.verify({**pub, "lists_sha256": "0" * 64})[0]
    assert not D.verify({**pub, "result": list(reversed(pub["result"]))})[0]
    assert not D.verify({**pub, "seed": None})[0]


@given(seed=st.text(alphabet="0123456789abcdef", min_size=8, max_size=64), per_task=st.integers(1, 4),
       count=st.integers(1, 5))  # fmt: skip
def test_as_many_seats_as_inspectors_put_every_inspector_on_one_team(seed, per_task, count):
    """Without conflicts or rotation, a draw with count × per_task seats for as many inspectors puts each on exactly
    one team whatever the seed — what the demo's class draw relies on to give demo-inspector call-backs to make
    (jineng/inspections/demo.py runs it first, before any task sets a rotation)."""
    lst = lists(count + 2, count * per_task)
    result = D.run_draw(seed=seed, lists=lst, count=count, per_task=per_task)
    seats = sorted(i for r in result for i in r["inspectors"])
    assert seats == sorted(lst["inspectors"])
