"""The demo's classes are named as a provider names them: the demo worker's class showed “（李明所在班）”."""

from __future__ import annotations

import datetime as dt

from jineng.training.demo import _plan


def test_no_demo_class_is_named_after_a_trainee():
    plan = _plan(dt.date(2026, 12, 7))
    # 李明 is in one classroom class and in the blended class whose online theory the learning record store credits.
    worker_classes = [c for c in plan if c.worker and not c.online_sessions]
    assert len(worker_classes) == 1
    assert len([c for c in plan if c.worker and c.online_sessions]) == 1
    assert all("李明" not in c.name and "所在班" not in c.name for c in plan)
    # Named by its program's kind (issue 15: 岗位技能提升培训班 on a 就业技能培训 program).
    assert worker_classes[0].name.endswith("计算机程序设计员（四级）就业技能培训班")


def test_demo_classes_are_named_as_a_provider_files_them():
    """Issue 15: “（待结业）” and “（已撤销）” in names, “第25期” counted across schools and years."""
    import re

    plan = _plan(dt.date(2026, 12, 7))
    names = [c.name for c in plan]
    assert len(set(names)) == len(names)
    for c in plan:
        assert re.fullmatch(r"20\d\d年第\d{1,2}期[^（）]+（[一二三四五]级）[^（）]+班", c.name), c.name
        assert c.name.startswith(f"{c.start.year}年")
    for provider in {c.provider for c in plan}:
        for year in {c.start.year for c in plan}:
            mine = sorted((c for c in plan if c.provider == provider and c.start.year == year), key=lambda c: c.start)
            assert [int(re.search(r"第(\d+)期", c.name).group(1)) for c in mine] == list(range(1, len(mine) + 1))


def test_demo_classes_differ_in_size_and_results_and_keep_to_their_program():
    """Issue 15: every finished demo class read “结业 9（合格 8） / 30”, and 126 学时 were scheduled (and credited) for
    a 120-学时 program over 108 clock hours."""
    from jineng.training.demo import KIND_NAMES, PROGRAM_NAMES, SESSION_END, SESSION_START, _session_days

    plan = _plan(dt.date(2026, 12, 7))
    assert len({(c.planned, c.trainees, c.failing) for c in plan}) >= 10
    assert all(0 < c.trainees <= c.planned for c in plan)
    assert {c.failing for c in plan} >= {0, 1, 2} and any(c.dropout for c in plan)
    minutes = (SESSION_END[0] - SESSION_START[0]) * 60 + SESSION_END[1] - SESSION_START[1]
    for c in plan:
        assert minutes * len(_session_days(c.start, c.sessions)) == 120 * 45, c.name  # the programs' 120 学时
        assert minutes // 45 <= 7  # within the 7-学时-a-day cap: nothing scheduled goes uncredited
        assert c.name.endswith(KIND_NAMES[PROGRAM_NAMES[c.program][2]]), c.name
    assert {c.program for c in plan if c.status == "completed"} >= {"GD-DEMO-01", "GD-DEMO-02", "GD-DEMO-03"}
