"""Found on the demo walk: an official's /inspections/ opened on 我的任务 (empty) though the region had tasks, and a
draw with only its commitment published offered 重抽. The list opens on the tab with the user's work; 重抽 is
offered only once drawn."""

from __future__ import annotations

import pytest

from jineng.inspections import services

pytestmark = pytest.mark.django_db


def _draw(world):
    return services.draw_create(actor=world["official"], region_code="440106", title="任务", kinds=["provider"],
                                count=2, per_task=1, risk_weighting=False)  # fmt: skip


def test_the_task_list_opens_on_the_tab_with_the_users_work(world, make_user, client):
    draw = _draw(world)
    draw = services.draw_run(actor=world["official"], draw=services.draw_freeze(actor=world["official"], draw=draw))
    tasks = list(draw.tasks.order_by("number"))
    province = make_user("province_official", region="440000")
    client.force_login(province)
    page = client.get("/inspections/").content.decode()
    assert all(t.number in page for t in tasks)  # 辖区全部: no task of theirs
    inspector = tasks[0].inspectors.get()
    client.force_login(inspector)
    page = client.get("/inspections/").content.decode()
    assert tasks[0].number in page  # 我的任务
    others = [t for t in tasks if inspector not in t.inspectors.all()]
    assert all(t.number not in page for t in others)


def test_redraw_is_offered_only_once_drawn(world, client):
    draw = _draw(world)
    client.force_login(world["official"])
    page = client.get(f"/inspections/draws/{draw.pk}/").content.decode()
    assert 'value="redraw"' not in page
    draw = services.draw_run(actor=world["official"], draw=services.draw_freeze(actor=world["official"], draw=draw))
    assert 'value="redraw"' in client.get(f"/inspections/draws/{draw.pk}/").content.decode()
