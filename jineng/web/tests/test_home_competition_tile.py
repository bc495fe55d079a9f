"""The province workbench's 竞赛成绩待办 tile counts every results step its to-do list shows."""

from __future__ import annotations

from unittest import mock


class _Steps(list):
    def count(self) -> int:
        return len(self)

    def exists(self) -> bool:
        return bool(self)


def test_the_results_tile_counts_advancement_lists_and_objections():
    from jineng.web import home

    steps = {k: _Steps() for k in ("approve", "review", "publish", "finalize", "objections", "advance")}
    steps["advance"].append(object())
    steps["objections"].append(object())
    with mock.patch("jineng.competitions.api.official_steps", return_value=steps):
        cards = home._competition_official_cards(None)
    assert [c.value for c in cards] == [0, 2]
