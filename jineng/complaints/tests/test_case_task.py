"""From a complaint to supervision: the handler opens a NEW case (prefilled: object, region, summary; the complaint
keeps its number and the case page lists the complaint back, masked for those who do not handle complaints) and,
with ``supervision.inspect``, sends an inspection task from it to inspectors of the pool (through supervision's and
inspections' api.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from jineng.common.errors import InvalidState, PermissionDenied, ValidationFailed
from jineng.complaints import services
from jineng.complaints.models import Complaint, ComplaintStep

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool(world: Any, make_user: Any) -> Any:
    """Two inspectors in 天河's pool: one free, one working for the school (回避)."""
    from jineng.accounts.services import grant_create
    from jineng.inspections.services import pool_add

    until = timezone.now() + dt.timedelta(days=90)
    free = make_user("inspector", region="440106", valid_until=until, username="insp-free")
    tied = make_user("inspector", region="440106", valid_until=until, username="insp-tied")
    grant_create(actor=None, user=tied, function="provider_staff", organization=world.school)
    for u in (free, tied):
        pool_add(actor=world.city, user=u, region_code="440106")
    return free, tied


def test_the_handler_opens_a_new_case_prefilled_from_the_complaint(world: Any, file_one: Any) -> None:
    from jineng.supervision.models import Case

    complaint, _code = file_one()
    opened = services.complaint_open_case(actor=world.handler, complaint=complaint, text="\u200b ")
    case = Case.objects.get(number=opened.case_ref)
    assert (case.rule, case.status, case.region_id, case.provider_id) == ("complaint", "new", "440106", world.school.pk)
    assert case.summary == services.case_summary_default(complaint) and case.severity == "high"
    assert "周建华" not in case.summary and "13760001234" not in repr(case.evidence)
    assert ComplaintStep.objects.filter(complaint=complaint, kind="case", text=case.number).exists()
    with pytest.raises(InvalidState) as again:
        services.complaint_open_case(actor=world.handler, complaint=Complaint.objects.get(pk=complaint.pk))
    assert again.value.code == "case_exists" and Case.objects.count() == 1


def test_opening_a_case_is_refused_out_of_region_closed_or_too_long(world: Any, file_one: Any) -> None:
    complaint, _code = file_one()
    with pytest.raises(PermissionDenied):
        services.complaint_open_case(actor=world.other, complaint=complaint)
    with pytest.raises(ValidationFailed) as long:
        services.complaint_open_case(actor=world.handler, complaint=complaint, text="摘" * 301)
    assert (long.value.code, long.value.fields[0].field) == ("content_too_long", "text")
    services.complaint_reply(actor=world.handler, complaint=complaint, text="已核查。")
    closed = services.complaint_close(actor=world.handler, complaint=complaint)
    with pytest.raises(InvalidState):
        services.complaint_open_case(actor=world.handler, complaint=closed)


def test_a_free_text_object_opens_a_case_without_an_organization(world: Any, file_one: Any) -> None:
    from jineng.supervision.models import Case

    complaint, _code = file_one(object_name="天河某工作室", region="440106", category="fees")
    opened = services.complaint_open_case(actor=world.handler, complaint=complaint, text="传单承诺包过")
    case = Case.objects.get(number=opened.case_ref)
    assert case.provider_id is None and case.summary == "传单承诺包过" and case.severity == "medium"
    with pytest.raises(ValidationFailed) as refused:
        services.complaint_open_task(actor=world.city, complaint=opened, inspector_ids=["x"])
    assert refused.value.code == "no_organization"


def test_a_task_goes_out_from_the_complaints_case_to_a_free_inspector(world: Any, file_one: Any, pool: Any) -> None:
    from jineng.inspections.models import InspectionTask
    from jineng.supervision.models import Case

    free, tied = pool
    complaint, _code = file_one()
    with pytest.raises(PermissionDenied):  # the county desk refers; a city official or an inspector sends tasks
        services.complaint_open_task(actor=world.handler, complaint=complaint, inspector_ids=[str(free.pk)])
    for wrong, code in (([], "text_required"), ([str(tied.pk)], "bad_choice"), ([str(world.city.pk)], "bad_choice")):
        with pytest.raises(ValidationFailed) as refused:
            services.complaint_open_task(actor=world.city, complaint=complaint, inspector_ids=wrong)
        assert refused.value.code == code
    assert not Case.objects.exists() and not InspectionTask.objects.exists()
    task = services.complaint_open_task(actor=world.city, complaint=complaint, inspector_ids=[str(free.pk)])
    complaint.refresh_from_db()
    case = Case.objects.get(number=complaint.case_ref)  # opened on the way
    assert task.case_id == case.pk and task.organization_id == world.school.pk
    assert list(task.inspectors.all()) == [free]
    kinds = list(ComplaintStep.objects.filter(complaint=complaint).values_list("kind", flat=True))
    assert kinds[-2:] == ["case", "task"]


def test_the_complaint_page_opens_the_case_and_the_case_page_links_back(api: Any, world: Any, file_one: Any,
                                                                        make_user: Any) -> None:  # fmt: skip
    complaint, _code = file_one()
    county = api(world.handler)
    page = county.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "检查模块上线" not in page and 'data-testid="open-case"' in page and 'data-testid="open-task"' not in page
    assert services.case_summary_default(complaint) in page
    response = county.post(f"/complaints/{complaint.pk}/open_case/", {"text": "补贴到账后要求转回 800 元"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    from jineng.supervision.models import Case

    case = Case.objects.get(number=complaint.case_ref)
    assert case.summary == "补贴到账后要求转回 800 元"
    assert f"/supervision/cases/{case.pk}/" in county.get(f"/complaints/{complaint.pk}/").content.decode()
    seen_by_handler = api(world.city).get(f"/supervision/cases/{case.pk}/").content.decode()
    assert f'href="/complaints/{complaint.pk}/"' in seen_by_handler and complaint.number in seen_by_handler
    inspector = make_user("inspector", region="440106", valid_until=timezone.now() + dt.timedelta(days=9))
    seen_by_inspector = api(inspector).get(f"/supervision/cases/{case.pk}/").content.decode()
    assert complaint.number not in seen_by_inspector and f"/complaints/{complaint.pk}/" not in seen_by_inspector
    assert f"{complaint.number[:6]}****{complaint.number[-2:]}" in seen_by_inspector


def test_the_task_form_shows_the_pool_less_conflicts_and_sends_the_task(api: Any, world: Any, file_one: Any,
                                                                         pool: Any) -> None:  # fmt: skip
    free, tied = pool
    complaint, _code = file_one()
    city = api(world.city)
    page = city.get(f"/complaints/{complaint.pk}/").content.decode()
    assert 'data-testid="open-task"' in page and f'value="{free.pk}"' in page and f'value="{tied.pk}"' not in page
    refused = city.post(f"/complaints/{complaint.pk}/task/", {})
    assert refused.status_code == 422 and "请至少选择一名检查人员" in refused.content.decode()
    assert city.post(f"/complaints/{complaint.pk}/task/", {"inspectors": [str(free.pk)]}).status_code == 302
    page = city.get(f"/complaints/{complaint.pk}/").content.decode()
    assert 'data-testid="complaint-tasks"' in page and "JCRW" in page


def test_the_api_opens_the_case_and_sends_the_task(api: Any, world: Any, file_one: Any, pool: Any) -> None:
    import json

    free, _tied = pool
    complaint, _code = file_one()
    city = api(world.city)

    def post(path: str, body: dict[str, Any]) -> Any:
        return city.post(f"/api/v1/complaints/{complaint.pk}/{path}", json.dumps(body), content_type="application/json")

    assert post("task", {"inspectors": ["x" * 41]}).status_code == 422  # bounded
    assert post("task", {"inspectors": ["1"] * 11}).status_code == 422
    opened = post("open_case", {"text": "补贴转回"})
    assert opened.status_code == 200 and opened.json()["case"].startswith("XS")
    assert post("open_case", {"text": ""}).json()["code"] == "case_exists"
    assert post("task", {"inspectors": [str(free.pk)]}).json()["steps"][-1]["kind"] == "task"
