"""工作台: each role's to-dos with deadlines, overdue first; the bell; the sidebar grouped by task per role."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_bell():
    cache.clear()


def _text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_county_official_sees_the_claims_to_accept_overdue_first(api, world, submit_work):
    on_time = submit_work(name="甲一")
    late = submit_work(name="乙二")
    late.review_due = timezone.localdate() - dt.timedelta(days=3)
    late.save(update_fields=["review_due"])
    html = api(world.county).get("/").content.decode()
    assert on_time.number in html and late.number in html
    assert html.index(late.number) < html.index(on_time.number)
    assert "已逾期 3 天" in html
    assert "近7天审计事件" not in html  # the administrator's counts are not an official's workbench


def test_the_workbench_deadline_is_the_one_computed_from_the_region_settings(api, world, submit_work):
    from jineng.refdata.api import add_workdays, setting_value

    claim = submit_work(name="丙三")
    submitted_on = timezone.localdate(claim.submitted_at)  # the day in China: after 16:00 UTC it is tomorrow there
    days = setting_value("claim.review_workdays", "440104", submitted_on)
    assert claim.review_due == add_workdays(submitted_on, int(days), "440104")
    assert f"{claim.review_due:%Y-%m-%d}" in api(world.county).get("/").content.decode()


def test_each_official_sees_only_the_step_they_act_on(api, world, submit_work, approve):
    from jineng.subsidies.services import review

    claim = review.claim_accept(actor=world.county, claim=submit_work(name="丁四"))
    # 初审 waits in the city's queue (records.review over 440100); the enterprise sees nothing to do.
    assert claim.number in api(world.city).get("/").content.decode()
    assert claim.number not in api(world.hr).get("/").content.decode()


def test_the_bell_counts_new_and_overdue_to_dos_and_lists_them(api, world, submit_work):
    claim = submit_work(name="戊五")
    client = api(world.county)
    html = client.get("/").content.decode()
    assert re.search(r'jn-bell-count">1<', html)
    listing = client.get("/notifications/")
    assert listing.status_code == 200 and claim.number in listing.content.decode()


def test_nothing_to_do_says_so(api, make_user):
    text = _text(api(make_user("county_official", region="440106")).get("/"))
    assert "当前没有等待您办理的事项" in text


def test_an_exam_session_held_and_not_closed_is_the_evaluators_to_do(api, make_user, make_org):
    from jineng.web.todos import _sessions_to_grade

    evaluator = make_user("evaluator", organization=make_org(kind="evaluator"))
    assert list(_sessions_to_grade(evaluator)) == []  # none held: nothing to grade


# ---- the sidebar ----------------------------------------------------------------------------------------------------


def _sidebar(response) -> str:
    html = response.content.decode()
    return html[html.index('id="jn-sidebar"') : html.index("</nav>")]


@pytest.mark.parametrize(
    ("function", "kind", "shown", "hidden"),
    [
        (
            "provider_staff",
            "provider",
            ["培训班", "补贴申报", "师资库", "基地与工作室补助"],
            ["考试与评价", "证书</span>", "新招用职工"],
        ),
        ("evaluator", "evaluator", ["考试与评价", "证书</span>"], ["培训班", "补贴申报", "师资库", "基地与工作室补助"]),
        (
            "enterprise_hr",
            "enterprise",
            ["企业新型学徒制", "补贴申报", "新招用职工", "基地与工作室补助"],
            ["考试与评价", "师资库"],
        ),
    ],
)
def test_the_three_organization_roles_see_different_sidebars(api, make_user, make_org, function, kind, shown, hidden):
    sidebar = _sidebar(api(make_user(function, organization=make_org(kind=kind))).get("/"))
    for label in shown:
        assert label in sidebar, label
    for label in hidden:
        assert label not in sidebar, label


def test_the_sidebar_is_grouped_by_task(api, make_user):
    sidebar = _sidebar(api(make_user("province_official", region="440000")).get("/"))
    headings = re.findall(r'jn-nav-section"[^>]*>([^<]+)<', sidebar)
    assert headings == ["登记", "培训", "评价", "补贴", "监管", "规划", "公开服务", "管理"]


def test_a_worker_sees_only_their_own_entries_and_the_public_ones(api, make_user):
    sidebar = _sidebar(api(make_user("worker")).get("/"))
    for label in ("我的档案", "我的培训", "我的证书", "我的补贴", "我的培训券", "证书查询", "补贴公示"):
        assert label in sidebar
    for label in ("实名制人员库", "补贴审核", "规划指标", "参数设置"):
        assert label not in sidebar


def test_a_step_the_user_already_did_does_not_wait_for_them(api, world, submit_work):
    from jineng.subsidies.services import review

    claim = review.claim_accept(actor=world.city, claim=submit_work(name="己六"))
    assert claim.number not in api(world.city).get("/").content.decode()  # the next step needs other eyes
    # 初审 is the county's (the province does not first-review: issue 15, only steps the user's office takes).
    assert claim.number in api(world.county).get("/").content.decode()
    assert claim.number not in api(world.province).get("/").content.decode()


# ---- approaching deadlines: working days, per region -----------------------------------------------------------------


def _bell_with(monkeypatch, user, todos, today):
    from jineng.web import todos as t

    monkeypatch.setattr(t, "_SOURCES", [("records.review", lambda _user: todos)])
    return [x.title for x in t.notifications_for(user, today=today)]


def test_a_deadline_is_near_within_the_regions_working_days(monkeypatch, make_user):
    from jineng.web.todos import Todo

    friday = dt.date(2026, 12, 11)
    user = make_user("county_official", region="440106")
    todos = [
        Todo("补贴受理", "周一到期", "", "/", due=dt.date(2026, 12, 14), region="440106"),  # 1 working day on
        Todo("补贴受理", "周三到期", "", "/", due=dt.date(2026, 12, 16), region="440106"),  # 3 working days on
        Todo("补贴受理", "已逾期", "", "/", due=dt.date(2026, 12, 10), region="440106"),
        Todo("补贴受理", "无期限", "", "/", due=None, region="440106"),
    ]
    # Two working days (the default) from a Friday reach Tuesday: Monday is near although three days away.
    assert _bell_with(monkeypatch, user, todos, friday) == ["已逾期", "周一到期"]


def test_a_region_sets_how_many_working_days_before_a_deadline_it_warns(monkeypatch, make_user):
    from jineng.refdata.api import setting_set
    from jineng.web.todos import Todo

    friday = dt.date(2026, 12, 11)
    setting_set(actor=None, key="notify.approaching_workdays", region_code="440106", value=3,
                valid_from=dt.date(2026, 1, 1), reason="提前提醒")  # fmt: skip
    user = make_user("county_official", region="440000")
    todos = [
        Todo("补贴受理", "越秀周三到期", "", "/", due=dt.date(2026, 12, 16), region="440106"),
        Todo("补贴受理", "荔湾周三到期", "", "/", due=dt.date(2026, 12, 16), region="440103"),
    ]
    assert _bell_with(monkeypatch, user, todos, friday) == ["越秀周三到期"]
