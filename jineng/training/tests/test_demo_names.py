"""The demo's classes are named as a provider names them: the demo worker's class showed “（李明所在班）”."""

from __future__ import annotations

import datetime as dt

from jineng.training.demo import _plan


def test_no_demo_class_is_named_after_a_trainee():
    plan = _plan(dt.date(2026, 12, 7))
    worker_classes = [c for c in plan if c.worker]
    assert len(worker_classes) == 1
    assert all("李明" not in c.name and "所在班" not in c.name for c in plan)
    assert worker_classes[0].name == "2026年 计算机程序设计员技能提升班"
