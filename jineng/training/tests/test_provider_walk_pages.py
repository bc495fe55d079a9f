"""What the walk of the demo found on the provider's training pages: a completed class listed as "0 / 30", the
roster import offering every import kind and 返回 leading away from the class, a roll call that ignored a device's
punches (and added a second 签到/签退 beside them), and a workbench with no to-dos for a provider."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from jineng.training.models import AttendanceEvent, ClassStatus

pytestmark = pytest.mark.django_db


def _complete(world, tc, start, end, enrollments):
    from jineng.training.services import classes, completion
    from jineng.training.services.attendance import AttendanceInput, attendance_record

    attendance_record(actor=world.staff, device="FACE-01", events=[
        AttendanceInput(event_id=f"{n}-{kind}", enrollment=str(e.pk), kind=kind, at=at, method="face")
        for n, e in enumerate(enrollments[:1]) for kind, at in (("in", start), ("out", end))
    ])  # fmt: skip
    tc = classes.class_start(actor=world.staff, training_class=tc, now=start)
    return completion.class_complete(actor=world.staff, training_class=tc)


def test_a_completed_class_shows_its_finished_roster_not_zero(world, client, class_now):
    tc, start, end, enrolled, _rows = class_now
    client.force_login(world.staff)
    row = re.search(rf"<tr>.*?{tc.code}.*?</tr>", client.get("/training/classes/").content.decode(), re.S)
    # not started yet: the trainees are enrolled (已报名), not in training (在训)
    assert row and "已报名 2 / 30" in row.group(0) and "在训" not in row.group(0)
    tc = _complete(world, tc, start, end, enrolled)
    assert tc.status == ClassStatus.COMPLETED
    html = client.get("/training/classes/").content.decode()
    row = re.search(rf"<tr>.*?{tc.code}.*?</tr>", html, re.S)
    assert row and "结业 2（合格 1） / 30" in row.group(0) and "0 / 30" not in row.group(0)
    assert "结业 2（合格 1） / 30" in client.get(f"/training/classes/{tc.pk}/").content.decode()


def test_the_roster_import_of_a_class_offers_its_kinds_and_returns_to_it(world, client, make_class):
    tc = make_class("approved")
    client.force_login(world.staff)
    detail = client.get(f"/training/classes/{tc.pk}/").content.decode()
    link = re.search(r'href="(/imports/\?[^"]+)"', detail).group(1).replace("&amp;", "&")
    assert "kinds=roster%2Cattendance" in link and f"next=%2Ftraining%2Fclasses%2F{tc.pk}%2F" in link
    page = client.get(link).content.decode()
    kinds = re.search(r'<select name="kind".*?</select>', page, re.S).group(0)
    assert re.findall(r'<option value="([^"]+)"', kinds) == ["attendance", "roster"]
    assert 'name="region"' not in page  # the class decides the region
    assert f'href="/training/classes/{tc.pk}/"' in page  # 返回 to the class
    # Without the class's link the page offers what the user may import, and 返回 is not shown.
    plain = client.get("/imports/").content.decode()
    assert 'name="kind"' in plain and f'href="/training/classes/{tc.pk}/"' not in plain
    # Only a path on this site is a 返回 target.
    assert 'href="//evil.example' not in client.get("/imports/?next=//evil.example/x&kinds=roster").content.decode()


def test_a_draft_class_imports_only_its_roster(world, client, make_class):
    tc = make_class("draft")
    client.force_login(world.staff)
    detail = client.get(f"/training/classes/{tc.pk}/").content.decode()
    link = re.search(r'href="(/imports/\?[^"]+)"', detail).group(1).replace("&amp;", "&")
    kinds = re.search(r'<select name="kind".*?</select>', client.get(link).content.decode(), re.S).group(0)
    assert re.findall(r'<option value="([^"]+)"', kinds) == ["roster"]


def test_roll_call_shows_device_punches_and_adds_only_what_is_missing(world, client, class_now):
    """One row per trainee: a trainee a device checked in and out is 出勤 (nothing to mark, nothing added); one the
    device checked in only may get a hand 签退; hand entries are marked 人工."""
    from jineng.training.services.attendance import AttendanceInput, attendance_record

    tc, start, end, (e1, e2), _rows = class_now
    attendance_record(actor=world.staff, device="FACE-01", events=[
        AttendanceInput(event_id="1", enrollment=str(e1.pk), kind="in", at=start, method="face"),
        AttendanceInput(event_id="2", enrollment=str(e1.pk), kind="out", at=end, method="face"),
        AttendanceInput(event_id="3", enrollment=str(e2.pk), kind="in", at=start + dt.timedelta(minutes=5),
                        method="face"),
    ])  # fmt: skip
    client.force_login(world.staff)
    url = f"/training/classes/{tc.pk}/roll-call/"
    page = client.get(url).content.decode()
    assert page.count('class="list-group-item jn-rollcall-row"') == 2
    assert f'name="mark-{e1.pk}"' not in page and f'name="mark-{e2.pk}"' not in page  # both were checked in
    assert 'data-status="present"' in page and "FACE-01" in page and "人脸识别" in page
    assert 'data-status="no_out"' in page and "已签到，未签退" in page and f'name="out-{e2.pk}"' in page
    session = tc.sessions.get()
    before = AttendanceEvent.objects.count()
    client.post(url, {"session": str(session.pk)})  # nothing confirmed: nothing added
    assert AttendanceEvent.objects.count() == before
    response = client.post(url, {"session": str(session.pk), f"out-{e2.pk}": "on"}, follow=True)
    added = AttendanceEvent.objects.exclude(device_id="FACE-01")
    assert [(a.enrollment_id, a.kind, a.method) for a in added] == [(e2.pk, "out", "manual")]
    html = response.content.decode()
    assert "补登签退 1 人" in html and "人工" in html and html.count('data-status="present"') == 2


@pytest.fixture
def running_class_ended(world, class_now):
    """class_now started: its one session ended an hour ago, so it waits for 结业."""
    from jineng.training.services import classes

    tc, start, *_rest = class_now
    return classes.class_start(actor=world.staff, training_class=tc, now=start)


def test_the_providers_workbench_lists_its_training_to_dos(world, client, make_class, running_class_ended):
    from jineng.refdata.api import add_workdays
    from jineng.training.selectors import filing_deadline
    from jineng.web.todos import todos_for

    draft = make_class("draft")  # starts in five weeks, one trainee short of nothing: not filed yet
    items = {t.kind: t for t in todos_for(world.staff)}
    submit = items["开班申请待提交"]
    assert draft.code in submit.title and submit.due == filing_deadline(draft)
    assert submit.due < draft.start_date
    roster = [t for t in todos_for(world.staff) if t.kind == "花名册待补齐" and draft.code in t.title]
    assert roster and roster[0].due == draft.start_date + dt.timedelta(days=3)  # class.late_addition_days
    complete = items["待结业"]
    ended = running_class_ended.sessions.get().ends_at
    from django.utils import timezone

    assert running_class_ended.code in complete.title
    assert complete.due == add_workdays(timezone.localdate(ended), 5, "440106")  # class.complete_within_workdays
    # The workbench shows them; another provider's staff and the county official do not get them.
    home = client
    home.force_login(world.staff)
    html = home.get("/").content.decode()
    assert "开班申请待提交" in html and "待结业" in html and draft.code in html
    assert not [t for t in todos_for(world.other_staff) if draft.code in t.title]
    assert not [t for t in todos_for(world.county) if t.kind in ("开班申请待提交", "待结业", "花名册待补齐")]


def test_the_filing_deadline_follows_the_regions_setting(world, make_class):
    from jineng.refdata.api import setting_set, workdays_between
    from jineng.training.selectors import filing_deadline

    draft = make_class("draft")
    deadline = filing_deadline(draft)
    assert workdays_between(deadline, draft.start_date, "440106") == 10
    assert workdays_between(deadline + dt.timedelta(days=1), draft.start_date, "440106") < 10
    setting_set(actor=world.city, key="class.file_before_start_workdays", region_code="440100", value=0,
                valid_from=world.today, reason="随报随开")  # fmt: skip
    assert filing_deadline(draft) == draft.start_date


def test_the_to_do_of_a_class_waiting_for_completion_counts_its_trainees_once(world, running_class_ended):
    """The walk: 待结业 said “在训 40 人” of a class of 5 trainees over 8 sessions (the count was joined with the
    sessions)."""
    from jineng.training.models import ClassSession
    from jineng.web.todos import todos_for

    first = running_class_ended.sessions.get()
    for days in (1, 2):  # two more sessions, the days before
        ClassSession.objects.create(
            training_class=running_class_ended, starts_at=first.starts_at - dt.timedelta(days=days),
            ends_at=first.ends_at - dt.timedelta(days=days), teacher=first.teacher,
            teacher_person=first.teacher_person, topic="理论", organization_id=first.organization_id,
            region_id=first.region_id,
        )  # fmt: skip
    complete = next(t for t in todos_for(world.staff) if t.kind == "待结业")
    assert "在训 2 人" in complete.detail, complete.detail
