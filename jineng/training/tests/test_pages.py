"""The pages: a provider applies and submits, the official reviews from the queue, the roster and attendance show on
the class; refusals come back as messages, nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest

from jineng.training.models import ClassStatus, TrainingClass
from jineng.training.tests.conftest import id_number, week_sessions

pytestmark = pytest.mark.django_db


def _lines(sessions):
    from django.utils import timezone

    return "\n".join(
        f"{timezone.localtime(s.starts_at):%Y-%m-%d %H:%M}-{timezone.localtime(s.ends_at):%H:%M} 线下 第{i + 1}次课"
        for i, s in enumerate(sessions)
    )


def test_apply_submit_and_review_through_the_pages(world, client):
    client.force_login(world.staff)
    page = client.get("/training/classes/new/")
    assert page.status_code == 200 and "王老师" in page.content.decode()
    form = {
        "name": "页面申请的班",
        "program": str(world.program.pk),
        "training_form": "project",
        "subsidy_category": "",
        "planned_size": "20",
        "venue_name": "天河实训基地",
        "region": "440106",
        "venue_latitude": "23.12",
        "venue_longitude": "113.36",
        "teacher": str(world.teacher.pk),
        "sessions": _lines(week_sessions(world.start, world.teacher)),
    }
    response = client.post("/training/classes/new/", form)
    tc = TrainingClass.objects.get(name="页面申请的班")
    assert response.status_code == 302 and response["Location"] == f"/training/classes/{tc.pk}/"
    assert tc.training_form == "project" and tc.sessions.count() == 5
    detail = client.get(f"/training/classes/{tc.pk}/").content.decode()
    assert "签署承诺并提交" in detail and "上传花名册" in detail and f"target={tc.code}" in detail
    assert "添加学员" in detail
    # An empty roster is not filed: the refusal is shown, the class stays a draft.
    refused = client.post(f"/training/classes/{tc.pk}/submit/", {"pledge": "on"}, follow=True).content.decode()
    assert "花名册中还没有学员" in refused
    tc.refresh_from_db()
    assert tc.status == ClassStatus.DRAFT
    client.post(f"/training/classes/{tc.pk}/enrollments/new/", {
        "doc_type": "resident_id", "id_number": id_number(), "name": "页面学员", "groups": ["unemployed"],
        "residence_region": "440106", "pledge": "on",
    })  # fmt: skip
    # Without the commitment: said once, and on the checkbox beside the button.
    unsigned = client.post(f"/training/classes/{tc.pk}/submit/", {}, follow=True).content.decode()
    assert "（提交开班申请须签署机构承诺。）" not in unsigned
    assert "提交开班申请须签署机构承诺：请勾选上面的承诺。" in unsigned and "jn-pledge" in unsigned
    client.post(f"/training/classes/{tc.pk}/submit/", {"pledge": "on"})
    tc.refresh_from_db()
    assert tc.status == ClassStatus.SUBMITTED
    client.force_login(world.county)
    queue = client.get("/training/review/").content.decode()
    assert tc.code in queue and f"{tc.review_due:%Y-%m-%d}" in queue
    review = client.get(f"/training/classes/{tc.pk}/").content.decode()
    assert 'value="approve" selected' not in review and '<option value="" selected>' in review  # nothing preselected
    client.post(f"/training/classes/{tc.pk}/review/", {"decision": "", "opinion": "x"})
    tc.refresh_from_db()
    assert tc.status == ClassStatus.SUBMITTED
    response = client.post(f"/training/classes/{tc.pk}/review/", {"decision": "reject", "opinion": "", "reasons": ""})
    tc.refresh_from_db()
    assert tc.status == ClassStatus.SUBMITTED  # refusing needs a reason: nothing changed
    assert "不予通过须说明理由" in client.get(response["Location"]).content.decode()
    client.post(f"/training/classes/{tc.pk}/review/", {"decision": "approve", "opinion": "材料齐全"})
    tc.refresh_from_db()
    assert tc.status == ClassStatus.APPROVED and tc.review_opinion == "材料齐全"
    assert tc.code not in client.get("/training/review/").content.decode()


def test_a_bad_schedule_line_is_shown_on_the_form(world, client):
    client.force_login(world.staff)
    response = client.post(
        "/training/classes/new/",
        {"name": "班", "program": str(world.program.pk), "training_form": "regular", "planned_size": "20",
         "venue_name": "场地", "region": "440106", "teacher": str(world.teacher.pk), "sessions": "明天上午"},
    )  # fmt: skip
    assert response.status_code == 200 and "格式不正确" in response.content.decode()
    assert not TrainingClass.objects.exists()


def test_officials_cannot_apply_and_other_providers_cannot_see(world, client, make_class):
    tc = make_class("approved")
    client.force_login(world.county)
    assert client.get("/training/classes/new/").status_code == 403
    client.force_login(world.other_staff)
    assert client.get(f"/training/classes/{tc.pk}/").status_code == 404
    assert tc.code not in client.get("/training/classes/").content.decode()


def test_the_class_page_shows_the_roster_and_attendance(world, client, class_now):
    from jineng.training.services.attendance import AttendanceInput, attendance_record

    tc, start, end, (e1, e2), _rows = class_now
    attendance_record(actor=world.staff, device="FACE-01", events=[
        AttendanceInput(event_id="1", enrollment=str(e1.pk), kind="in", at=start, method="face"),
        AttendanceInput(event_id="2", enrollment=str(e1.pk), kind="out", at=end, method="face"),
    ])  # fmt: skip
    client.force_login(world.county)
    page = client.get(f"/training/classes/{tc.pk}/").content.decode()
    assert e1.person_name in page and e1.id_number_masked in page and "100.00%" in page
    attendance = client.get(f"/training/classes/{tc.pk}/attendance/").content.decode()
    assert "FACE-01" in attendance and "签到" in attendance and "签退" in attendance


def test_start_and_complete_through_the_pages(world, client, class_now):
    tc, start, end, (e1, e2), _rows = class_now
    client.force_login(world.staff)
    client.post(f"/training/classes/{tc.pk}/start/")
    tc.refresh_from_db()
    assert tc.status == ClassStatus.RUNNING
    page = client.post(f"/training/classes/{tc.pk}/complete/")  # the confirmation page: nothing done yet
    assert page.status_code == 200 and "确认结业" in page.content.decode()
    tc.refresh_from_db()
    assert tc.status == ClassStatus.RUNNING
    client.post(f"/training/classes/{tc.pk}/complete/", {"confirm": "yes"})
    tc.refresh_from_db()
    assert tc.status == ClassStatus.COMPLETED
    assert tc.completed_on is not None and tc.completed_on >= tc.end_date - dt.timedelta(days=1)


def test_completion_is_offered_only_after_the_last_session(world, client, make_class, class_now):
    """Issue 15: 结业 was offered while sessions were still to come; now the page says when it opens."""
    running = make_class("running")  # its sessions are weeks ahead
    client.force_login(world.staff)
    page = client.get(f"/training/classes/{running.pk}/").content.decode()
    assert f'action="/training/classes/{running.pk}/complete/"' not in page
    assert 'id="complete-later"' in page and "后可办理结业" in page
    tc, *_rest = class_now  # its one session ended an hour ago
    client.post(f"/training/classes/{tc.pk}/start/")
    page = client.get(f"/training/classes/{tc.pk}/").content.decode()
    assert f'action="/training/classes/{tc.pk}/complete/"' in page and 'id="complete-later"' not in page


def test_completion_asks_for_confirmation_and_a_refusal_changes_nothing(world, client, make_class):
    running = make_class("running")
    client.force_login(world.staff)
    confirm = client.post(f"/training/classes/{running.pk}/complete/")
    assert confirm.status_code == 200 and "结业不能撤回" in confirm.content.decode()
    answer = client.post(f"/training/classes/{running.pk}/complete/", {"confirm": "yes"}, follow=True)
    assert "最后一个课次尚未结束" in answer.content.decode()  # the service still refuses; the page says why
    running.refresh_from_db()
    assert running.status == ClassStatus.RUNNING


def test_an_official_sees_only_the_officials_actions_on_a_submitted_class(world, client, make_class):
    """Issue 15: demo-county saw the provider's 添加学员, 上传花名册 and 退训/延期/转班 on a class waiting for its review.
    The reviewer sees 审核 and 撤销; the provider's staff see their roster actions (and no review)."""
    tc = make_class("submitted")
    client.force_login(world.county)
    seen = client.get(f"/training/classes/{tc.pk}/").content.decode()
    assert "提交审核结论" in seen and "撤销培训班" in seen
    for provider_action in ("添加学员", "上传花名册", "退训 / 延期 / 转班", "签署承诺并提交", "点名"):
        assert provider_action not in seen, provider_action
    assert 'name="enrollment"' not in seen  # no evidence upload for a trainee's roster change
    client.force_login(world.staff)
    seen = client.get(f"/training/classes/{tc.pk}/").content.decode()
    assert "添加学员" in seen and "上传花名册" in seen and "退训 / 延期 / 转班" in seen
    assert "提交审核结论" not in seen


def test_a_workers_home_links_their_pages_and_the_rate_is_rounded_on_display_only(world, client, make_class, make_user):
    """Issue 15: the worker's phone home had no link to 我的培训/证书/培训券; 我的培训 scrolled sideways on a phone (now
    a stacked card list); 35 of 126 学时 printed as 27.77 % (the stored rate, rounded down) — shown 27.78 %."""
    from jineng.training.models import Enrollment

    tc = make_class("submitted")
    e = Enrollment.objects.get(training_class=tc)
    Enrollment.objects.filter(pk=e.pk).update(credited_hours=35, creditable_hours=126, attendance_rate_bp=2777)
    worker = make_user("worker")
    type(worker).objects.filter(pk=worker.pk).update(person_id=e.person_id)
    worker.refresh_from_db()
    client.force_login(worker)
    home = client.get("/").content.decode()
    for url in ("/persons/me/", "/training/mine/", "/certificates/mine/", "/subsidies/vouchers/mine/", "/subsidies/"):
        # a home card, not the sidebar's entry (the sidebar is folded away on a phone)
        assert f'class="card jn-stat h-100 text-decoration-none" href="{url}"' in home, url
    mine = client.get("/training/mine/").content.decode()
    assert "jn-table-stack" in mine and 'data-label="出勤率"' in mine
    assert "27.78%" in mine and "27.77" not in mine
    e.refresh_from_db()
    assert e.attendance_rate_bp == 2777  # stored as it was: the minimum is compared with it
    client.force_login(world.staff)
    assert "27.78%" in client.get(f"/training/classes/{tc.pk}/").content.decode()


def test_a_class_not_yet_started_shows_its_trainees_registered_without_hours(world, client, make_class, trainee):
    from jineng.training.services.rosters import enrollments_add

    tc = make_class("draft")
    enrollments_add(actor=world.staff, training_class=tc, rows=[trainee()])
    client.force_login(world.staff)
    roster = client.get(f"/training/classes/{tc.pk}/").content.decode().split('id="roster"')[1].split("</table>")[0]
    assert "已报名" in roster and "在训" not in roster and "0 / 0" not in roster
