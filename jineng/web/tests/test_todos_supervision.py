"""The inspector's workbench lists new supervision cases in their scope (the walk: 共 0 件 with 17 new cases open)."""

from __future__ import annotations

import pytest

from jineng.supervision.models import Case
from jineng.web.todos import todos_for

pytestmark = pytest.mark.django_db


def _case(n: int, region: str, status: str = "new") -> Case:
    return Case.objects.create(number=f"XS-T-{n:04d}", rule="shared_phone", fingerprint=f"fp-{n}", severity="high",
                               status=status, region_id=region, summary=f"同一手机号 {n}")  # fmt: skip


def test_new_cases_in_scope_are_the_inspectors_todos(make_user):
    inspector = make_user("inspector", region="440106")
    mine = _case(1, "440106")
    _case(2, "440106", status="investigating")  # taken already: not new
    _case(3, "440304")  # another county: out of scope
    todos = [t for t in todos_for(inspector) if t.title.startswith("XS-T-")]
    assert [t.title for t in todos] == [mine.number]
    assert todos[0].url.endswith(f"/{mine.pk}/") and todos[0].list_url.endswith("?status=new")


def test_officials_without_inspection_get_no_case_todos(make_user):
    _case(1, "440106")
    assert not [t for t in todos_for(make_user("county_official", region="440106")) if t.title.startswith("XS-T-")]


def test_the_case_todo_reads_in_the_users_language(make_user):
    """The stored summary is the scan's Chinese sentence; the to-do makes it again from the case's facts under English
    (the walk: 新线索待核查 showed 「3 人共用同一手机号」 on an English page)."""
    from django.utils import translation

    inspector = make_user("inspector", region="440106")
    case = _case(1, "440106")
    case.summary, case.facts = "3 人共用同一手机号", {"persons": 3}
    case.save(update_fields=["summary", "facts"])
    with translation.override("en"):
        [todo] = [t for t in todos_for(inspector) if t.title == case.number]
    assert todo.detail.startswith("3 persons share one phone number") and "人" not in todo.detail.split(" · ")[0]
    with translation.override("zh-hans"):
        [todo] = [t for t in todos_for(inspector) if t.title == case.number]
    assert todo.detail.startswith("3 人共用同一手机号")


def test_an_official_is_listed_the_cases_of_their_office_only(make_user):
    """A city office checks its counties' cases; the province's officials are not listed every county's case (the
    walk: demo-province and demo-reviewer saw all of them); an inspector is listed every case in their scope."""
    county_case = _case(1, "440106")
    province_case = _case(2, "440000")
    city = make_user("city_official", region="440100")
    province = make_user("province_official", region="440000")
    inspector = make_user("inspector", region="440000")

    def listed(user):
        return {t.title for t in todos_for(user) if t.title.startswith("XS-T-")}

    assert listed(city) == {county_case.number}
    assert listed(province) == {province_case.number}
    assert listed(inspector) == {county_case.number, province_case.number}


def test_a_pending_blacklisting_is_the_second_persons_todo(make_user, make_org):
    """A 黑名单 waits 待复核 for a second person with the province's authority: it is their to-do (linking to the
    sanction), not its decider's nor an inspector's; approved, it leaves the list."""
    from jineng.supervision.services import sanction_approve, sanction_decide

    org = make_org("440106", "provider", "天河某培训学校")
    decider = make_user("province_official", region="440000")
    second = make_user("province_official", region="440000")
    inspector = make_user("inspector", region="440000")
    s = sanction_decide(actor=decider, organization=org, kind="blacklist", reason="虚构学员骗取补贴", years=3,
                        document_number="粤人社罚〔2026〕7号")  # fmt: skip

    def waiting(user):
        return [t for t in todos_for(user) if t.title.startswith(s.number)]

    [todo] = waiting(second)
    assert todo.url.endswith(f"/sanctions/{s.pk}/") and todo.list_url.endswith("?status=pending")
    assert not waiting(decider) and not waiting(inspector)
    sanction_approve(actor=second, sanction=s, approve=True)
    assert not waiting(second)
