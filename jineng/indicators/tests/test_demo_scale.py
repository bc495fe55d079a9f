"""Indicators a demo official believes (issue 15): the demo plan's targets are set at the demo's scale so its
signals spread as a real province's do, a real plan read against demo records says 数据为演示规模 instead of judging
them 明显滞后, and every region of the by-region table drills down (东莞 and 中山 have no counties below)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from jineng.indicators.demo import DEMO_DOCUMENT, _nice, size_demo_plan

pytestmark = pytest.mark.django_db

GD = "guangdong-2021"
DEMO = "test-demo-plan"


def _demo_plan() -> None:
    """A copy of the Guangdong plan over the current years, marked as demo data (what ``jineng seed`` makes)."""
    from jineng.refdata.models import Plan, PlanTarget

    source = Plan.objects.get(code=GD)
    year = timezone.localdate().year
    plan = Plan.objects.create(code=DEMO, name="演示规划", issuer=source.issuer, document_number=DEMO_DOCUMENT,
                               region_id=source.region_id, period_start=year, period_end=year + 4)  # fmt: skip
    for t in PlanTarget.objects.filter(plan=source, parent__isnull=True).order_by("seq"):
        t.pk, t.plan, t.period_start, t.period_end = None, plan, year, year + 4
        t.save()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_real_plan_says_its_figures_are_demo_scale_once_the_database_holds_a_demo_plan(fresh_rollups, client, admin):
    client.force_login(admin)
    before = client.get(f"/indicators/?plan={GD}&region=440000&year=2025").content.decode()
    assert "数据为演示规模" not in before and "明显滞后" in before  # a real database: the signals judge
    _demo_plan()
    after = client.get(f"/indicators/?plan={GD}&region=440000&year=2025").content.decode()
    assert 'id="demo-scale-note"' in after
    assert "明显滞后" not in _text(after) and "数据为演示规模" in after
    public = client.get(f"/indicators/public/?plan={GD}&year=2025").content.decode()
    assert 'id="demo-scale-note"' in public and "明显滞后" not in _text(public)


def test_the_demo_plan_itself_is_judged_by_its_signals(fresh_rollups, client, admin):
    _demo_plan()
    client.force_login(admin)
    html = client.get(f"/indicators/?plan={DEMO}&region=440000").content.decode()
    assert 'id="demo-scale-note"' not in html


def test_the_demo_plans_targets_are_sized_so_progress_follows_the_time_elapsed(fresh_rollups, certificate, read):
    today = timezone.localdate()
    for _ in range(4):
        certificate("440106", today - dt.timedelta(days=1))
    _demo_plan()
    read(DEMO, "440000", today.year)  # the roll-ups are fresh
    assert size_demo_plan(DEMO) > 0
    item = read(DEMO, "440000", today.year, fresh=False)["certificates-new"]
    assert item["actual"] == 4
    assert item["target"] < 100  # the demo's scale, not 300 万
    assert item["progress"] >= item["time_elapsed"] * 0.8  # on track or slightly behind, not 0 %
    assert item["signal"] in ("on_track", "at_risk", "met")


def test_sizing_leaves_a_real_plan_alone(fresh_rollups):
    from jineng.refdata.models import PlanTarget

    before = list(PlanTarget.objects.filter(plan__code=GD).values_list("value", flat=True))
    assert size_demo_plan(GD) == 0
    assert list(PlanTarget.objects.filter(plan__code=GD).values_list("value", flat=True)) == before


@pytest.mark.parametrize(("x", "nice"), [(0.2, 1), (1, 1), (7.2, 8), (37.2, 38), (1234, 1300), (100, 100)])
def test_a_demo_target_is_rounded_up_to_two_significant_digits(x, nice):
    assert _nice(x) == nice


def test_every_region_of_the_by_region_table_links_to_its_figures(fresh_rollups, client, admin):
    client.force_login(admin)
    html = client.get(f"/indicators/?plan={GD}&region=440000&year=2025").content.decode()
    table = html[html.index("分地区") :]
    for name, code in (("东莞市", "441900"), ("中山市", "442000"), ("广州市", "440100")):
        row = table[table.rfind("<tr", 0, table.index(name)) : table.index("</tr>", table.index(name))]
        assert f"region={code}" in row.split(name)[0], name
    assert client.get(f"/indicators/?plan={GD}&region=441900&year=2025").status_code == 200


def test_the_dashboard_opens_on_the_plan_in_force_and_the_current_year(fresh_rollups, client, make_user):
    _demo_plan()
    client.force_login(make_user("city_official", region="440100"))
    html = client.get("/indicators/").content.decode()
    year = timezone.localdate().year
    assert re.search(rf'<option value="{DEMO}" selected>', html)
    assert re.search(rf'<option value="{year}" selected>{year}</option>', html)
