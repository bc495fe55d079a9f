"""Issue 18 leftovers: a task from a supervision case on a page (and the button on the case page), the daily job
that publishes results past their deadline, the call-back list (phone revealed with a reason, audited; the call's
result recorded), the algorithm's refusals and the services' messages in English."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from jineng.common.audit.models import AuditEntry
from jineng.common.errors import DomainError
from jineng.inspections import services
from jineng.inspections.models import InspectionTask

pytestmark = pytest.mark.django_db
PHONE = "13912345678"


@pytest.fixture
def case(world: dict[str, Any]) -> Any:
    from jineng.supervision.models import Case

    return Case.objects.create(number="XS20269990002", rule="shared_phone", fingerprint="f" * 64, severity="high",
                               region_id="440106", provider=world["orgs"][3], summary="6 人共用一个手机号")  # fmt: skip


# ---- 1. a task from a case, on a page ------------------------------------------------------------------------------


def test_the_case_page_offers_the_task_and_the_page_creates_it_once(world, case, client):
    client.force_login(world["official"])
    page = client.get(f"/supervision/cases/{case.pk}/").content.decode()
    assert f"/inspections/tasks/new/?case={case.pk}" in page
    page = client.get(f"/inspections/tasks/new/?case={case.pk}").content.decode()
    assert world["orgs"][3].name in page and world["members"][1].code in page
    picked = [str(world["inspectors"][1].pk), str(world["inspectors"][2].pk)]
    r = client.post("/inspections/tasks/new/", {"case": str(case.pk), "inspectors": picked})
    task = InspectionTask.objects.get(case_id=case.pk)
    assert r.status_code == 302 and r["Location"] == f"/inspections/tasks/{task.pk}/"
    assert task.organization == world["orgs"][3] and {str(u.pk) for u in task.inspectors.all()} == set(picked)
    r = client.post("/inspections/tasks/new/", {"case": str(case.pk), "inspectors": picked})  # a double click
    assert r.status_code == 422 and "未办结的检查任务" in r.content.decode()
    assert InspectionTask.objects.filter(case_id=case.pk).count() == 1


def test_the_tasks_page_links_to_the_new_task_page_for_who_may_inspect_only(world, make_user, client):
    client.force_login(world["inspectors"][0])
    assert "/inspections/tasks/new/" in client.get("/inspections/").content.decode()
    county = make_user("county_official", region="440106")
    client.force_login(county)
    assert "/inspections/tasks/new/" not in client.get("/inspections/").content.decode()
    assert client.get("/inspections/tasks/new/").status_code == 403


@pytest.mark.parametrize("what", ["none", "stranger", "conflicted", "unknown_case"])
def test_a_bad_team_or_case_is_refused_with_its_reason(world, case, client, make_user, what):
    from jineng.accounts.services import grant_create

    client.force_login(world["official"])
    data: dict[str, Any] = {"case": str(case.pk), "inspectors": []}
    if what == "stranger":  # not in the pool
        data["inspectors"] = [str(make_user("inspector", region="440106", valid_until=timezone.now()
                                            + dt.timedelta(days=30)).pk)]  # fmt: skip
    elif what == "conflicted":  # works for the inspected organization: 回避
        grant_create(actor="test", user=world["inspectors"][0], function="provider_staff", organization=case.provider)
        data["inspectors"] = [str(world["inspectors"][0].pk)]
    elif what == "unknown_case":
        data["case"] = "00000000-0000-0000-0000-000000000000"
    r = client.post("/inspections/tasks/new/", data)
    body = r.content.decode()
    assert r.status_code == 422 and not InspectionTask.objects.exists()
    assert {"none": "请至少选择一名检查人员", "stranger": "请从名录库中选择检查人员", "conflicted": "应当回避",
            "unknown_case": "线索不存在"}[what] in body  # fmt: skip
    if what == "conflicted":
        assert "须回避" in body
        with pytest.raises(DomainError) as exc:  # the service refuses it too (the API's path)
            services.task_from_case(actor=world["official"], case_id=case.pk, inspectors=[world["inspectors"][0]])
        assert exc.value.code == "conflict_of_interest"


# ---- 2. publish-due -----------------------------------------------------------------------------------------------


def _drawn_tasks(world: dict[str, Any], n: int = 3) -> list[InspectionTask]:
    official = world["official"]
    draw = services.draw_create(actor=official, region_code="440106", title="公示", kinds=["provider"], count=n,
                                per_task=1, risk_weighting=False)  # fmt: skip
    draw = services.draw_run(actor=official, draw=services.draw_freeze(actor=official, draw=draw))
    return list(draw.tasks.order_by("number"))


def test_publish_due_publishes_inspected_results_past_their_deadline_once(world, client):
    inspected, rectifying, untouched = _drawn_tasks(world)
    services.task_checklist_save(actor=inspected.inspectors.get(), task=inspected, results={"venue": "ok"}, notes={})
    services.finding_record(actor=rectifying.inspectors.get(), task=rectifying, item="venue", description="场地不足",
                            rectify_workdays=10)  # fmt: skip
    deadline = inspected.publish_by
    assert services.publish_due(on=deadline) == {"published": 0, "overdue_not_inspected": 0}  # not yet passed
    after = deadline + dt.timedelta(days=1)
    call_command("inspections", "publish-due", "--on", after.isoformat())
    published = set(InspectionTask.objects.filter(published_at__isnull=False).values_list("pk", flat=True))
    assert published == {inspected.pk, rectifying.pk}
    assert services.publish_due(on=after) == {"published": 0, "overdue_not_inspected": 1}  # idempotent
    assert AuditEntry.objects.filter(action="inspections.task_publish").count() == 2
    assert rectifying.object_name in client.get("/public/inspections/").content.decode()


def test_publish_due_is_a_job_kind_an_administrator_may_queue():
    from jineng.common.jobs.services import job_kinds, job_queue_permission

    assert "inspections.publish_due" in job_kinds()
    assert job_queue_permission("inspections.publish_due") == "admin.access"


def test_publish_due_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("inspections", "publish-due", "--on", "2026-13-40")


# ---- 3. the call-back list -----------------------------------------------------------------------------------------


@pytest.fixture
def class_task(world: dict[str, Any]) -> InspectionTask:
    """A class in training in 天河 with three trainees (phones on record), drawn: 10 % → one to call back."""
    from jineng.providers.models import OrganizationProfile, Program
    from jineng.refdata.models import Occupation
    from jineng.registry.api import person_create
    from jineng.rules.idcard import check_character
    from jineng.training.models import Enrollment, TrainingClass

    org = world["orgs"][0]
    profile = OrganizationProfile.objects.create(organization=org, provider_type="private_training")
    occ = Occupation.objects.get(code="4-04-05-01", level="occupation")
    program = Program.objects.create(code="PC-CB", name="程序设计", occupation=occ, level_id="grade4",
                                     training_kind="employment", hours_theory=40, hours_practice=40,
                                     delivery="offline", subsidy_category="A", region_id="440000")  # fmt: skip
    today = timezone.localdate()
    klass = TrainingClass.objects.create(
        code="HF00000001", name="程序设计就业技能培训班", provider=profile, organization=org, program=program,
        occupation=occ, level_id="grade4", training_kind="employment", subsidy_category="A",
        start_date=today - dt.timedelta(days=5), end_date=today + dt.timedelta(days=25), planned_size=30,
        venue_name="实训基地", region_id="440106", status="running",
    )  # fmt: skip
    for i, name in enumerate(("杨雪梅", "陈志强", "林晓东")):
        first17 = f"44010619900101{i:03d}"
        person = person_create(actor=None, name=name, id_number=first17 + check_character(first17),
                               phone=f"1391234567{i}", residence_region="440106", check_permission=False)  # fmt: skip
        Enrollment.objects.create(training_class=klass, person=person, region_id="440106", organization=org,
                                  status="enrolled", source="import", enrolled_on=today - dt.timedelta(days=5),
                                  person_name=person.name, id_number_masked="4401**********0000")  # fmt: skip
    official = world["official"]
    draw = services.draw_create(actor=official, region_code="440106", title="班级", kinds=["class"], count=1,
                                per_task=1, risk_weighting=False)  # fmt: skip
    draw = services.draw_run(actor=official, draw=services.draw_freeze(actor=official, draw=draw))
    return draw.tasks.get()


def test_the_inspector_reveals_a_phone_with_a_reason_audited_and_records_the_call(class_task, client):
    inspector = class_task.inspectors.get()
    entry = class_task.callback_sample[0]
    client.force_login(inspector)
    page = client.get(f"/inspections/tasks/{class_task.pk}/").content.decode()
    assert "139****567" in page and "1391234567" not in page  # masked by default
    url = f"/inspections/tasks/{class_task.pk}/callback/"
    r = client.post(url, {"action": "reveal", "enrollment": entry["enrollment"], "reason": "电话回访核实出勤"})
    assert r.status_code == 200 and "no-store" in r["Cache-Control"]
    assert 'data-testid="callback-phone">1391234567' in r.content.decode()
    audit = AuditEntry.objects.get(action="inspections.reveal")
    assert audit.reason == "电话回访核实出勤" and "1391234567" not in str(audit.after)
    person = AuditEntry.objects.get(action="person.reveal")  # the registry decrypts and records it on the person
    assert person.reason == "电话回访核实出勤" and person.after["purpose"] == f"inspections.task:{class_task.pk}"
    assert person.after["value"].startswith("139****") and "1391234567" not in str(person.after)

    r = client.post(url, {"action": "record", "enrollment": entry["enrollment"], "result": "disputed",
                          "note": "学员称只上过两次课"})  # fmt: skip
    assert r.status_code == 302
    class_task.refresh_from_db()
    assert class_task.callback_sample[0]["result"] == "disputed"
    assert "学员称只上过两次课" in client.get(f"/inspections/tasks/{class_task.pk}/").content.decode()


def test_no_app_but_the_registry_spells_its_encryption_contexts():
    """The registry's contexts live in jineng/registry/identity.py; another app asks registry.api to reveal."""
    import pathlib

    import jineng

    root = pathlib.Path(jineng.__file__).parent
    contexts = ("registry.person.phone", "registry.identity_document.number", "registry.bank_account.account")
    spelled = [str(p.relative_to(root)) for p in root.rglob("*.py")
               if not p.is_relative_to(root / "registry") and "tests" not in p.parts
               and any(c in p.read_text(encoding="utf-8") for c in contexts)]  # fmt: skip
    assert spelled == []


@pytest.mark.parametrize(("data", "code"), [
    ({"action": "reveal", "reason": " "}, "reason_required"),
    ({"action": "reveal", "reason": "x" * 201}, "reason_required"),
    ({"action": "reveal", "reason": "核实", "enrollment": "not-on-the-list"}, "bad_choice"),
    ({"action": "record", "result": "maybe"}, "bad_choice"),
    ({"action": "record", "result": "disputed", "note": ""}, "text_required"),
])  # fmt: skip
def test_a_bad_reveal_or_call_record_is_refused(class_task, data, code):
    inspector = class_task.inspectors.get()
    enrollment = data.get("enrollment", class_task.callback_sample[0]["enrollment"])
    with pytest.raises(DomainError) as exc:
        if data["action"] == "reveal":
            services.callback_reveal(actor=inspector, task=class_task, enrollment=enrollment, reason=data["reason"])
        else:
            services.callback_record(actor=inspector, task=class_task, enrollment=enrollment, result=data["result"],
                                     note=data.get("note", ""))  # fmt: skip
    assert exc.value.code == code
    assert not AuditEntry.objects.filter(action="inspections.reveal").exists()


def test_only_the_tasks_inspectors_reveal_a_phone(world, class_task, client, make_user):
    entry = class_task.callback_sample[0]
    other = next(u for u in world["inspectors"] if u != class_task.inspectors.get())
    for user in (other, world["official"]):
        with pytest.raises(DomainError) as exc:
            services.callback_reveal(actor=user, task=class_task, enrollment=entry["enrollment"], reason="核实")
        assert exc.value.code == "reveal_not_permitted"
    staff = make_user("provider_staff", organization=class_task.organization)
    client.force_login(staff)
    r = client.post(f"/inspections/tasks/{class_task.pk}/callback/",
                    {"action": "reveal", "enrollment": entry["enrollment"], "reason": "核实"})  # fmt: skip
    assert r.status_code == 403 and "1391234567" not in r.content.decode()
    assert not AuditEntry.objects.filter(action="inspections.reveal").exists()


@pytest.mark.parametrize("status", ["closed", "cancelled"])
def test_no_phone_is_revealed_once_the_task_is_closed_or_cancelled(class_task, client, status):
    inspector = class_task.inspectors.get()
    entry = class_task.callback_sample[0]
    InspectionTask.objects.filter(pk=class_task.pk).update(status=status)
    class_task.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        services.callback_reveal(actor=inspector, task=class_task, enrollment=entry["enrollment"], reason="核实出勤")
    assert exc.value.code == "bad_transition"
    client.force_login(inspector)
    r = client.post(f"/inspections/tasks/{class_task.pk}/callback/",
                    {"action": "reveal", "enrollment": entry["enrollment"], "reason": "核实出勤"})  # fmt: skip
    assert r.status_code == 409 and "1391234567" not in r.content.decode()
    assert not AuditEntry.objects.filter(action="inspections.reveal").exists()


# ---- 6. refusals in English ----------------------------------------------------------------------------------------


def test_refusals_read_in_english(world, case):
    with translation.override("en"):
        with pytest.raises(DomainError) as exc:
            services.task_from_case(actor=world["official"], case_id=case.pk, inspectors=[])
        assert exc.value.message == "Choose at least one inspector."
        official = world["official"]
        draw = services.draw_create(actor=official, region_code="440106", title="x", kinds=["provider"], count=9,
                                    per_task=1)  # fmt: skip
        draw = services.draw_freeze(actor=official, draw=draw)
        with pytest.raises(DomainError) as exc:
            services.draw_run(actor=official, draw=draw)
        assert exc.value.code == "too_many_objects"
        assert exc.value.fields[0].message == "The draw asks for 9 objects; the list holds 5."
