"""The demo's workbenches and plan as a demo official meets them (issue 15, part A): finance has a batch waiting for
the bank's return, the enterprise has hires to claim for, the province and its reviewer see no county step, and the
demo plan's indicators show believable progress (most on track) while the real plan says 数据为演示规模.

One test seeds once and checks everything (the seed takes a while)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=False)


def test_every_demo_role_sees_what_it_can_act_on_and_the_demo_plan_is_believable(client):
    from jineng.accounts.models import User
    from jineng.indicators.api import indicator_items
    from jineng.web.management.commands.seed import DEMO_PLAN
    from jineng.web.todos import todos_for

    call_command("seed", "--scale", "demo", stdout=StringIO())

    def kinds(username: str) -> set[str]:
        return {str(t.kind) for t in todos_for(User.objects.get(username=username))}

    assert "拨付批次待回盘确认" in kinds("demo-finance")
    assert "拨付批次待回盘确认" not in kinds("demo-province")  # it made and exported the batch
    assert "以工代训补贴待申领" in kinds("demo-enterprise")
    for official in ("demo-province", "demo-reviewer"):
        assert not kinds(official) & {"补贴受理", "补贴初审", "开班审核"}, official
    assert {"补贴受理", "开班审核"} <= kinds("demo-county")
    # 初审 at both lower offices (issue 15: demo-city had none, every waiting claim was accepted by demo-city itself)
    assert "补贴初审" in kinds("demo-county") and "补贴初审" in kinds("demo-city")

    client.force_login(User.objects.get(username="demo-enterprise"))
    assert 'id="todo-kinds"' in client.get("/").content.decode()

    # The demo plan: most indicators with records this year on track, none judged against real-scale targets.
    items = [i for i in indicator_items(DEMO_PLAN, "440000", timezone.localdate().year) if i["actual"]]
    on_track = [i for i in items if i["signal"] in ("on_track", "met")]
    assert len(on_track) * 2 > len(items), [(i["code"], i["signal"]) for i in items]
    assert all(i["signal"] != "behind" for i in items), [(i["code"], i["signal"]) for i in items]
    client.force_login(User.objects.get(username="demo-province"))
    real = client.get("/indicators/?plan=guangdong-2021&region=440000").content.decode()
    assert "数据为演示规模" in real and "明显滞后" not in real
