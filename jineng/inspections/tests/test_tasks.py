"""Inspection tasks (issue 18 item 3, 7): the checklist, a finding with an evidence file and a 整改 deadline in
working days, the provider's answer on its own page, the inspector's follow-up, closing and publishing (一公开);
another organization sees none of it."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from jineng.common.errors import DomainError
from jineng.inspections import services
from jineng.refdata.api import add_workdays

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%test\n%%EOF\n"


@pytest.fixture
def task(world):
    draw = services.draw_create(actor=world["official"], region_code="440106", title="任务", kinds=["provider"],
                                count=5, per_task=1, risk_weighting=False)  # fmt: skip
    draw = services.draw_run(actor=world["official"], draw=services.draw_freeze(actor=world["official"], draw=draw))
    return draw.tasks.order_by("number").first()


def test_finding_rectification_answer_follow_up_close_and_publish(world, task, make_user, client):
    inspector = task.inspectors.get()
    staff = make_user("provider_staff", organization=task.organization)
    other = make_user("provider_staff", organization=world["orgs"][0] if world["orgs"][0] != task.organization
                      else world["orgs"][1])  # fmt: skip
    services.task_checklist_save(actor=inspector, task=task, results={"venue": "ok", "teachers": "problem"},
                                 notes={"teachers": "代课"})  # fmt: skip
    f = services.finding_record(actor=inspector, task=task, item="teachers", description="代课人员未入库",
                                rectify_workdays=15, files=[("记录.pdf", "application/pdf", io.BytesIO(PDF))])  # fmt: skip
    assert f.rectify_by == add_workdays(timezone.localdate(), 15, "440106")
    task.refresh_from_db()
    assert task.status == "rectifying"
    with pytest.raises(DomainError):  # not closed while a rectification is open
        services.task_close(actor=inspector, task=task, conclusion="x")

    client.force_login(staff)
    page = client.get(f"/inspections/tasks/{task.pk}/").content.decode()
    assert "代课人员未入库" in page and "记录.pdf" in page
    r = client.post(f"/inspections/findings/{f.pk}/act/", {"action": "answer", "answer": "已录入师资库"})
    assert r.status_code == 302
    f.refresh_from_db()
    assert f.status == "answered" and f.answer == "已录入师资库"
    client.force_login(other)
    assert client.get(f"/inspections/tasks/{task.pk}/").status_code == 404
    assert task.number not in client.get("/inspections/").content.decode()

    services.finding_follow_up(actor=inspector, finding=f, accept=True, note="")
    services.task_close(actor=inspector, task=task, conclusion="问题已整改。")
    task.refresh_from_db()
    assert task.status == "closed" and task.published_at is not None
    client.logout()
    assert "问题已整改。" in client.get("/public/inspections/").content.decode()


@pytest.mark.parametrize("item,description,days,code", [
    ("nope", "x", None, "unknown_item"),
    ("venue", "   ", None, "text_required"),
    ("venue", "x", 0, "bad_count"),
    ("venue", "x", 121, "bad_count"),
])  # fmt: skip
def test_a_bad_finding_is_refused_naming_the_field(task, item, description, days, code):
    with pytest.raises(DomainError) as exc:
        services.finding_record(actor=task.inspectors.get(), task=task, item=item, description=description,
                                rectify_workdays=days)  # fmt: skip
    assert exc.value.code == code


def test_only_the_tasks_inspectors_record_and_a_provider_cannot_answer_another_organizations_finding(
    world, task, make_user
):
    other_inspector = next(u for u in world["inspectors"] if u != task.inspectors.get())
    with pytest.raises(DomainError):
        services.finding_record(actor=other_inspector, task=task, item="venue", description="x")
    f = services.finding_record(actor=task.inspectors.get(), task=task, item="venue", description="x",
                                rectify_workdays=5)  # fmt: skip
    stranger = make_user("provider_staff", organization=next(o for o in world["orgs"] if o != task.organization))
    with pytest.raises(DomainError):
        services.finding_answer(actor=stranger, finding=f, answer="y")


def test_an_oversized_or_wrong_evidence_file_is_refused(task):
    with pytest.raises(DomainError) as exc:
        services.finding_record(actor=task.inspectors.get(), task=task, item="venue", description="x",
                                files=[("a.pdf", "application/pdf", io.BytesIO(b"not a pdf"))])  # fmt: skip
    assert exc.value.code == "content_mismatch" and exc.value.fields[0].field == "file"


def test_the_inspectors_workbench_lists_their_task_and_the_provider_its_rectification(task, make_user):
    from jineng.web.todos import todos_for

    inspector = task.inspectors.get()
    assert task.number in [t.title for t in todos_for(inspector)]
    f = services.finding_record(actor=inspector, task=task, item="venue", description="场地面积不足",
                                rectify_workdays=10)  # fmt: skip
    staff = make_user("provider_staff", organization=task.organization)
    todo = next(t for t in todos_for(staff) if t.title == task.number)
    assert todo.due == f.rectify_by


def test_a_task_from_a_supervision_case_inspects_its_provider(world, api):
    from jineng.supervision.models import Case

    org = world["orgs"][2]
    case = Case.objects.create(number="XS20269990001", rule="shared_phone", fingerprint="e" * 64, severity="high",
                               region_id="440106", provider=org, summary="6 人共用一个手机号")  # fmt: skip
    client = api(world["official"])
    r = client.post("/api/v1/inspections/tasks", {"case": str(case.pk), "inspectors": ["insp-1"]},
                    content_type="application/json")  # fmt: skip
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["case"] == str(case.pk) and body["object_name"] == org.name and body["inspectors"] == ["insp-1"]
    r = client.post("/api/v1/inspections/tasks", {"case": str(case.pk), "inspectors": ["nobody"]},
                    content_type="application/json")  # fmt: skip
    assert r.status_code == 404


def test_the_inspected_provider_never_sees_the_call_back_list_nor_the_checklist(world, task, make_user, client, api):
    inspector = task.inspectors.get()
    task.callback_sample = [{"enrollment": "x", "label": "杨*梅"}]
    task.save(update_fields=["callback_sample"])
    services.task_checklist_save(actor=inspector, task=task, results={"teachers": "problem"},
                                 notes={"teachers": "回访核实代课"})  # fmt: skip
    services.finding_record(actor=inspector, task=task, item="teachers", description="代课人员未入库",
                            rectify_workdays=15)  # fmt: skip
    staff = make_user("provider_staff", organization=task.organization)
    client.force_login(staff)
    page = client.get(f"/inspections/tasks/{task.pk}/").content.decode()
    assert "代课人员未入库" in page and "整改截止" in page  # the finding and what to rectify
    assert "杨*梅" not in page and "电话回访名单" not in page and "回访核实代课" not in page
    assert api(staff).get(f"/api/v1/inspections/tasks/{task.pk}").json()["checklist"] == {}
    listed = api(staff).get("/api/v1/inspections/tasks").json()["items"]
    assert [t["checklist"] for t in listed] == [{}]
    for insider in (inspector, world["official"]):
        client.force_login(insider)
        page = client.get(f"/inspections/tasks/{task.pk}/").content.decode()
        assert "杨*梅" in page and "回访核实代课" in page
        assert api(insider).get(f"/api/v1/inspections/tasks/{task.pk}").json()["checklist"]["teachers"]


def test_the_public_draw_page_scrolls_its_results_table_and_breaks_its_hashes_on_a_phone(task, client):
    page = client.get(f"/public/inspections/{task.draw.number}/").content.decode()
    assert 'data-testid="draw-row"' in page
    table = page.index('<table class="table table-sm jn-table mb-0"><thead><tr><th>#</th>')
    assert page[:table].endswith('<div class="table-responsive">')  # the table scrolls, not the page
    assert '<code class="jn-code text-break" data-testid="commitment">' in page  # a 64-digit hash wraps
