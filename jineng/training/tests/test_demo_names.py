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
    assert worker_classes[0].name.endswith("计算机程序设计员（四级）岗位技能提升培训班")


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
