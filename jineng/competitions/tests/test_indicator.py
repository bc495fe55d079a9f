"""Shandong's “技能兴鲁”省级重点赛事 (每年不少于60项) is counted from the events: approved province 一类/二类 events by
the year they start, attributed to their region."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db


def test_shandong_key_competitions_count_approved_province_class_events_exactly(world, make_event, client, admin_user):
    from jineng.indicators.freshness import refresh

    for region, klass in (("370000", "class1"), ("370000", "class2"), ("370100", "class1"), ("370200", "class2")):
        make_event(
            region=region, event_class=klass, starts_on=dt.date(2025, 5, 1), name=f"山东省技能兴鲁大赛{region}{klass}"
        )
    make_event(region="370000", event_class="", starts_on=dt.date(2025, 6, 1), name="山东省未分类省级赛事")  # no class
    make_event(level="city", event_class="", region="370100", starts_on=dt.date(2025, 6, 1), name="济南市焊工大赛")
    make_event(region="370000", event_class="class1", starts_on=dt.date(2025, 7, 1), approve=False,
               name="山东省待批赛事")  # fmt: skip
    make_event(region="370000", event_class="class1", starts_on=dt.date(2024, 7, 1), name="山东省上年度赛事")
    make_event(region="440000", event_class="class1", starts_on=dt.date(2025, 7, 1), name="广东省一类赛事")

    refresh()
    client.force_login(admin_user)
    items = {i["code"]: i for i in client.get("/api/v1/indicators?plan=shandong-2022&region=370000&year=2025")
             .json()["items"]}  # fmt: skip
    item = items["provincial-key-competitions"]
    assert item["actual"] == 4 and item["no_data_reason"] in ("", None)
    assert item["definition"] == "provincial-key-competitions"
    last_year = client.get("/api/v1/indicators?plan=shandong-2022&region=370000&year=2024").json()["items"]
    assert next(i for i in last_year if i["code"] == "provincial-key-competitions")["actual"] == 1
    records = client.get("/api/v1/indicators/records?plan=shandong-2022&indicator=provincial-key-competitions"
                         "&year=2025").json()  # fmt: skip
    assert records["count"] == 4 and {r["kind"] for r in records["items"]} == {"competition"}
