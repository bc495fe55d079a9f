"""A NUL character typed into an inspection page's text (the pages read their posts by hand) is saved without it —
never a 500 where PostgreSQL refuses the text (QueryTextMiddleware)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from jineng.inspections import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(world):
    draw = services.draw_create(actor=world["official"], region_code="440106", title="任务", kinds=["provider"],
                                count=5, per_task=1, risk_weighting=False)  # fmt: skip
    draw = services.draw_run(actor=world["official"], draw=services.draw_freeze(actor=world["official"], draw=draw))
    return draw.tasks.order_by("number").first()


def test_a_finding_and_its_answer_typed_with_nul_are_saved_without_it(task, make_user, client):
    inspector = task.inspectors.get()
    client.force_login(inspector)
    r = client.post(f"/inspections/tasks/{task.pk}/act/?tab=%00",
                    urlencode({"action": "finding", "item": "teachers\x00", "description": "代课\x00人员未入库",
                               "rectify_workdays": "15"}), content_type="application/x-www-form-urlencoded")  # fmt: skip
    assert r.status_code in (200, 302), r.status_code
    finding = task.findings.get()
    assert finding.item == "teachers" and finding.description == "代课人员未入库"

    client.force_login(make_user("provider_staff", organization=task.organization))
    r = client.post(f"/inspections/findings/{finding.pk}/act/", urlencode({"action": "answer", "answer": "已\x00录入"}),
                    content_type="application/x-www-form-urlencoded")  # fmt: skip
    assert r.status_code == 302
    finding.refresh_from_db()
    assert finding.answer == "已录入"


def test_a_deadline_typed_in_superscript_digits_is_refused_by_name_not_a_500(task, client):
    client.force_login(task.inspectors.get())
    r = client.post(f"/inspections/tasks/{task.pk}/act/",
                    {"action": "finding", "item": "teachers", "description": "x", "rectify_workdays": "¹⁵"},
                    follow=True)  # fmt: skip
    assert r.status_code == 200
    assert not task.findings.exists()
    assert "整改期限须为 1–120 的整数（工作日）。" in r.content.decode()
