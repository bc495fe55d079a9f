"""The roster by form (添加学员) and roll call (点名) pages.

添加学员: one trainee by the document number — a registered person is found (name must match), anyone else is
registered on the spot — with the checks of the import (pledge, overlap, capacity, eligibility), each refusal shown
beside its field in Chinese, nothing written on a refusal.

点名: for an ended session, the class roster with 出勤 / 迟到 / 缺勤; saved as manual attendance events through the
attendance service (credited hours, audit), idempotent — saving the same roll call again adds nothing.
"""

from __future__ import annotations

import datetime as dt

import pytest

from jineng.common.audit.models import AuditEntry
from jineng.registry.models import GroupMembership, Person
from jineng.training.models import AttendanceEvent, Enrollment
from jineng.training.tests.conftest import id_number

pytestmark = pytest.mark.django_db


def _form(**over):
    data = {"doc_type": "resident_id", "id_number": id_number(), "name": "钱页面", "phone": "13800138123",
            "groups": ["unemployed"], "residence_region": "440106", "pledge": "on"}  # fmt: skip
    data.update(over)
    return data


def test_a_trainee_added_by_form_is_registered_and_enrolled(world, make_class, client):
    tc = make_class("approved")
    client.force_login(world.staff)
    url = f"/training/classes/{tc.pk}/enrollments/new/"
    page = client.get(url).content.decode()
    assert "证件类型" in page and "居民身份证" in page and "毕业年度" in page and "天河区" in page
    response = client.post(url, _form())
    assert response.status_code == 302 and response["Location"].endswith("#roster")
    e = Enrollment.objects.get(training_class=tc, person_name="钱页面")
    assert e.source == "page" and "unemployed" in e.groups
    assert Person.objects.filter(name="钱页面").count() == 1
    # A graduate needs the graduation year; with it, the membership keeps it.
    response = client.post(url, _form(name="孙毕业", id_number=id_number(born=dt.date(2002, 1, 1)),
                                      groups=["college_graduate"]))  # fmt: skip
    assert response.status_code == 200 and "高校毕业生须填写毕业年度" in response.content.decode()
    assert not Person.objects.filter(name="孙毕业").exists()
    response = client.post(url, _form(name="孙毕业", id_number=id_number(born=dt.date(2002, 1, 2)),
                                      groups=["college_graduate"], graduation_year="2024"))  # fmt: skip
    assert response.status_code == 302
    assert GroupMembership.objects.get(person__name="孙毕业").graduation_year == 2024


def test_a_registered_person_is_found_by_number_and_the_imports_checks_apply(world, make_class, client):
    from jineng.registry.api import MembershipInput, person_create

    number = id_number()
    person_create(actor=None, name="陈已登记", id_number=number, residence_region="440106",
                  groups=[MembershipInput(group="veteran", valid_from=dt.date(2020, 1, 1))],
                  check_permission=False)  # fmt: skip
    tc = make_class("approved", planned_size=2)  # one place: the class was filed with one trainee
    client.force_login(world.staff)
    url = f"/training/classes/{tc.pk}/enrollments/new/"
    before = (Enrollment.objects.count(), AuditEntry.objects.count())
    # Another name for a registered number: refused beside the name.
    body = client.post(url, _form(id_number=number, name="冒名者")).content.decode()
    assert "该证件号码已登记为其他姓名" in body
    assert "陈*" not in body  # found by attack: the masked surname of a person anywhere in the province leaked
    # No pledge; a bad number: each beside its field.
    body = client.post(url, _form(pledge="")).content.decode()
    assert "学员须签署参训承诺" in body
    body = client.post(url, _form(id_number="440106199005170000")).content.decode()
    assert 'id="id_id_number_error"' in body
    # Not eligible for category A (no qualifying group).
    body = client.post(url, _form(groups=[])).content.decode()
    assert "不属于本类补贴培训的对象" in body
    assert (Enrollment.objects.count(), AuditEntry.objects.count()) == before
    # The registered person: found by the number, their registry groups kept; then the class is full.
    assert client.post(url, _form(id_number=number, name="陈已登记", groups=[])).status_code == 302
    assert "veteran" in Enrollment.objects.get(training_class=tc, person_name="陈已登记").groups
    body = client.post(url, _form()).content.decode()
    assert "名额已满" in body
    # Another provider's staff cannot add to this class.
    client.force_login(world.other_staff)
    assert client.post(url, _form()).status_code in (403, 404)


def test_roll_call_saves_manual_attendance_idempotently(world, class_now, client):
    tc, start, end, (e1, e2), _rows = class_now
    client.force_login(world.staff)
    url = f"/training/classes/{tc.pk}/roll-call/"
    page = client.get(url).content.decode()
    assert "出勤" in page and "迟到" in page and "缺勤" in page and e1.person_name in page
    session = tc.sessions.get()
    post = {"session": str(session.pk), f"mark-{e1.pk}": "present", f"mark-{e2.pk}": "late", "late_minutes": "30"}
    response = client.post(url, post)
    assert response.status_code == 302
    events = AttendanceEvent.objects.filter(training_class=tc).order_by("enrollment_id", "occurred_at")
    assert events.count() == 4 and set(events.values_list("method", flat=True)) == {"manual"}
    assert events.filter(enrollment=e2, kind="in").get().occurred_at == start + dt.timedelta(minutes=30)
    e1.refresh_from_db()
    e2.refresh_from_db()
    assert e1.credited_hours > e2.credited_hours > 0
    assert AuditEntry.objects.filter(action="attendance.record").count() == 1
    # Saved again (a double tap, a reload): nothing twice; the saved marks are shown as recorded.
    client.post(url, post)
    assert AttendanceEvent.objects.filter(training_class=tc).count() == 4
    page = client.get(url + f"?session={session.pk}").content.decode()
    assert "出勤（已登记）" in page and "迟到（已登记）" in page
    client.cookies["django_language"] = "en"  # the English locale names the page and the marks in English
    english = client.get(url + f"?session={session.pk}").content.decode()
    assert "Roll call" in english and "Present (recorded)" in english and "Late (recorded)" in english
    del client.cookies["django_language"]
    # The attendance page shows them as 点名, and another provider cannot call the roll.
    assert "点名" in client.get(f"/training/classes/{tc.pk}/attendance/").content.decode()
    client.force_login(world.other_staff)
    assert client.get(url).status_code in (403, 404)


def test_absent_is_not_recorded(world, class_now, client):
    tc, _start, _end, (e1, e2), _rows = class_now
    client.force_login(world.staff)
    session = tc.sessions.get()
    client.post(f"/training/classes/{tc.pk}/roll-call/",
                {"session": str(session.pk), f"mark-{e1.pk}": "absent", f"mark-{e2.pk}": "present"})  # fmt: skip
    assert set(AttendanceEvent.objects.filter(training_class=tc).values_list("enrollment_id", flat=True)) == {e2.pk}
    # Once saved, the one not recorded stays marked absent (a second save does not turn them present).
    page = client.get(f"/training/classes/{tc.pk}/roll-call/?session={session.pk}").content.decode()
    assert f'id="mark-{e1.pk}-absent" value="absent" autocomplete="off" checked' in page
    assert f'id="mark-{e1.pk}-present" value="present" autocomplete="off" checked' not in page


def test_a_trainee_in_a_class_whose_sessions_overlap_is_refused_by_the_form(world, make_class, client, trainee):
    from jineng.training.services.rosters import enrollments_add
    from jineng.training.tests.conftest import week_sessions

    day_class = make_class("approved")  # 9–12 all week
    row = trainee("吴重叠")
    enrollments_add(actor=world.staff, training_class=day_class, rows=[row], now=world.now)
    clash = make_class("approved", sessions=week_sessions(world.start, world.teacher2, days=1, hours=(11, 13)))
    client.force_login(world.staff)
    before = (Enrollment.objects.count(), AuditEntry.objects.count())
    body = client.post(f"/training/classes/{clash.pk}/enrollments/new/",
                       _form(id_number=row.id_number, name="吴重叠")).content.decode()  # fmt: skip
    assert day_class.code in body and "时间重叠" in body
    assert (Enrollment.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.parametrize("late", ["99999999999", "-5", "1e9"])
def test_a_late_time_beyond_the_session_is_held_to_it(world, class_now, client, late):
    """99999999999 minutes late overflowed the arrival time (a 500, found by attack): held within the session."""
    tc, start, end, (e1, _e2), _rows = class_now
    client.force_login(world.staff)
    session = tc.sessions.get()
    response = client.post(f"/training/classes/{tc.pk}/roll-call/",
                           {"session": str(session.pk), f"mark-{e1.pk}": "late", "late_minutes": late})  # fmt: skip
    assert response.status_code == 302
    arrived = AttendanceEvent.objects.get(training_class=tc, enrollment=e1, kind="in").occurred_at
    assert session.starts_at < arrived <= session.ends_at


def test_a_trainee_with_no_punch_is_not_premarked_present(world, class_now, client):
    """Found on the demo walk: a trainee no device signed in was pre-selected 出勤, so saving the page paid a full
    session nobody attended. No mark is chosen until the official chooses one; an unchosen trainee records nothing."""
    tc, _start, _end, (e1, e2), _rows = class_now
    client.force_login(world.staff)
    session = tc.sessions.get()
    url = f"/training/classes/{tc.pk}/roll-call/?session={session.pk}"
    page = client.get(url).content.decode()
    for e in (e1, e2):
        for value in ("present", "late", "absent"):
            assert f'id="mark-{e.pk}-{value}" value="{value}" autocomplete="off" checked' not in page
    response = client.post(url, {"session": str(session.pk), f"mark-{e2.pk}": "present"}, follow=True)
    assert set(AttendanceEvent.objects.filter(training_class=tc).values_list("enrollment_id", flat=True)) == {e2.pk}
    assert "未选择的 1 人按缺勤处理" in response.content.decode()
