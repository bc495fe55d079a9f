"""Award rules (jineng.rules.competitions): checked when read, decided line by line — properties over generated
rule sets and facts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jineng.rules.competitions import (
    EVENT_CLASSES,
    EVENT_LEVELS,
    NEXT,
    AwardFacts,
    RuleError,
    decide,
    ladder_from,
    rank_contradiction,
    rules_from_data,
)

LADDER = ladder_from([("grade5", 2, "初级工"), ("grade4", 3, "中级工"), ("grade3", 4, "高级工"), ("grade2", 5, "技师"),
                      ("grade1", 6, "高级技师")])  # fmt: skip
CODES = [r.code for r in LADDER]
RANK = {r.code: r.rank for r in LADDER}

line = st.fixed_dictionaries({
    "event_level": st.sampled_from(EVENT_LEVELS),
    "event_class": st.sampled_from(EVENT_CLASSES),
    "rank_max": st.integers(1, 20),
    "title": st.sampled_from(["", "省技术能手", "全国技术能手"]),
    "prerequisite": st.sampled_from(["", *CODES]),
    "grants": st.sampled_from(["", NEXT, *CODES]),
})  # fmt: skip
facts = st.builds(AwardFacts, event_level=st.sampled_from(EVENT_LEVELS), event_class=st.sampled_from(EVENT_CLASSES),
                  rank=st.integers(0, 30), held_level=st.sampled_from(["", *CODES]))  # fmt: skip


def _read(data):
    try:
        return rules_from_data(data, LADDER)
    except RuleError:
        return None


@given(st.lists(line, max_size=8), facts)
def test_a_promotion_is_upward_within_the_ladder_and_needs_its_prerequisite(data, f):
    rules = _read(data)
    if rules is None:
        return
    d = decide(rules, f)
    if d.promote_to:
        assert d.promote_to in CODES  # never past the top
        assert f.held_level and RANK[d.promote_to] > RANK[f.held_level]
        assert any(ln.prerequisite and RANK[f.held_level] >= RANK[ln.prerequisite] and f.rank <= ln.rank_max
                   for ln in rules.lines)  # fmt: skip
        assert d.lines[-1].code == "promotion"
    if f.rank < 1:
        assert not d.awards_anything


@given(st.lists(line, max_size=8), facts)
def test_every_decision_is_explained(data, f):
    rules = _read(data)
    if rules is None:
        return
    d = decide(rules, f)
    assert d.lines and all(ln.message for ln in d.lines)
    assert bool(d.title) == any(ln.code == "title" for ln in d.lines)


@given(st.lists(line, max_size=8), facts, st.integers(1, 5))
def test_a_better_rank_never_earns_less(data, f, better_by):
    rules = _read(data)
    if rules is None or f.rank <= better_by:
        return
    worse = decide(rules, f)
    better = decide(rules, AwardFacts(f.event_level, f.event_class, f.rank - better_by, f.held_level))
    if worse.promote_to:
        assert better.promote_to and RANK[better.promote_to] >= RANK[worse.promote_to]
    if worse.title:
        assert better.title


@given(st.sampled_from(CODES))
def test_next_above_the_top_is_refused_when_read(code):
    data = [{"event_level": "national", "rank_max": 1, "prerequisite": code, "grants": NEXT}]
    if code == CODES[-1]:
        with pytest.raises(RuleError) as exc:
            rules_from_data(data, LADDER)
        assert exc.value.code == "past_ladder_top" and exc.value.line == 1
    else:
        rules = rules_from_data(data, LADDER)
        assert RANK[rules.granted(rules.lines[0]).code] == RANK[code] + 1


@pytest.mark.parametrize(("raw", "code"), [
    ({"event_level": "moon", "rank_max": 1, "title": "x"}, "bad_event_level"),
    ({"event_level": "city", "event_class": "class9", "rank_max": 1, "title": "x"}, "bad_event_class"),
    ({"event_level": "city", "rank_max": 0, "title": "x"}, "bad_rank_max"),
    ({"event_level": "city", "rank_max": "abc", "title": "x"}, "bad_rank_max"),
    ({"event_level": "city", "rank_max": 1, "title": "长" * 61}, "title_too_long"),
    ({"event_level": "city", "rank_max": 1, "prerequisite": "grade3"}, "promotion_incomplete"),
    ({"event_level": "city", "rank_max": 1, "prerequisite": "grade9", "grants": NEXT}, "level_not_on_ladder"),
    ({"event_level": "city", "rank_max": 1, "prerequisite": "grade3", "grants": "chief"}, "level_not_on_ladder"),
    ({"event_level": "city", "rank_max": 1, "prerequisite": "grade3", "grants": "grade4"}, "promotion_not_upward"),
    ({"event_level": "city", "rank_max": 1}, "line_awards_nothing"),
])  # fmt: skip
def test_bad_rule_lines_are_named(raw, code):
    with pytest.raises(RuleError) as exc:
        rules_from_data([raw], LADDER)
    assert exc.value.code == code


def test_a_duplicate_line_is_refused():
    raw = {"event_level": "city", "rank_max": 1, "title": "市技术能手"}
    with pytest.raises(RuleError) as exc:
        rules_from_data([raw, raw], LADDER)
    assert exc.value.code == "duplicate_line" and exc.value.line == 2


def test_a_holder_at_the_granted_level_is_told_why_nothing_is_granted():
    rules = rules_from_data([{"event_level": "province", "event_class": "class1", "rank_max": 1, "title": "省技术能手",
                              "prerequisite": "grade3", "grants": "grade2"}], LADDER)  # fmt: skip
    d = decide(rules, AwardFacts("province", "class1", 1, "grade2"))
    assert d.title == "省技术能手" and d.promote_to == ""
    assert [ln.code for ln in d.lines] == ["title", "already_held"]


# ---- ranks agree with scores -----------------------------------------------------------------------------------------


def test_the_walks_welder_event_is_refused_and_its_reverse_accepted():
    walk = [("刘建国", Decimal("86.25"), 1), ("黄丽娟", Decimal("91.00"), 2), ("陈晓峰", Decimal("95.50"), 3)]
    assert rank_contradiction(walk) is not None
    assert rank_contradiction([(k, s, 4 - r) for k, s, r in walk]) is None


def test_equal_scores_may_share_a_rank_or_be_ordered_by_the_tie_break():
    assert rank_contradiction([("a", 90, 1), ("b", 90, 1), ("c", 80, 3)]) is None
    assert rank_contradiction([("a", 90, 2), ("b", 90, 1), ("c", 80, 3)]) is None
    assert rank_contradiction([("a", 90, 1), ("b", 90, 3), ("c", 80, 2)]) == ("b", "c")
    assert rank_contradiction([("a", 90, 1), ("c", 80, 1)]) == ("a", "c")  # a lower score cannot share a rank


@given(st.lists(st.tuples(st.integers(0, 10), st.integers(1, 8)), max_size=8))
def test_a_contradiction_is_found_exactly_when_a_higher_score_is_not_ranked_before(rows):
    keyed = [(i, s, r) for i, (s, r) in enumerate(rows)]
    bad = [(a, b) for a in keyed for b in keyed if a[1] > b[1] and a[2] >= b[2]]
    found = rank_contradiction(keyed)
    assert (found is None) == (not bad)
    if found is not None:
        a, b = keyed[found[0]], keyed[found[1]]
        assert a[1] > b[1] and a[2] >= b[2]
