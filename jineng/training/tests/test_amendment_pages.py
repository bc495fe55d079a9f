"""花名册变更 on the class page: the provider's staff drops out, postpones or transfers a trainee (with a reason, to
a class of the same provider whose roster is open); refusals come back as messages with nothing changed; other
providers get 404; readers see no controls."""

from __future__ import annotations

import datetime as dt

import pytest

from jineng.training.models import Enrollment, EnrollmentAmendment, EnrollmentStatus
from jineng.training.tests.conftest import week_sessions

pytestmark = pytest.mark.django_db


def _follow(client, response):
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


def test_dropout_and_postponement_with_a_reason(world, class_now, client):
    tc, _start, _end, (first, second), _rows = class_now
    client.force_login(world.staff)
    page = client.get(f"/training/classes/{tc.pk}/").content.decode()
    assert "退训 / 延期 / 转班" in page and f"/training/enrollments/{first.pk}/dropout/" in page
    page = _follow(client, client.post(f"/training/enrollments/{first.pk}/dropout/", {"reason": "本人找到工作"}))
    first.refresh_from_db()
    assert first.status == EnrollmentStatus.DROPPED and first.end_reason == "本人找到工作"
    assert f"{first.person_name} 已退训" in page
    assert f"/training/enrollments/{first.pk}/dropout/" not in page  # an ended enrollment takes no more changes
    _follow(client, client.post(f"/training/enrollments/{second.pk}/postponement/", {"reason": "家中有事"}))
    second.refresh_from_db()
    assert second.status == EnrollmentStatus.POSTPONED
    assert EnrollmentAmendment.objects.filter(enrollment=second, kind="postponement").exists()


def test_a_change_without_a_reason_is_refused(world, class_now, client):
    tc, _start, _end, (first, _second), _rows = class_now
    client.force_login(world.staff)
    page = _follow(client, client.post(f"/training/enrollments/{first.pk}/dropout/", {"reason": ""}))
    assert "请填写变更原因" in page
    first.refresh_from_db()
    assert first.status == EnrollmentStatus.ENROLLED and not EnrollmentAmendment.objects.exists()


def test_transfer_to_an_open_class_of_the_same_provider(world, class_now, make_class, client):
    tc, _start, _end, (first, second), _rows = class_now
    target = make_class("approved", name="下期 Python 班")
    other_provider = make_class("approved", provider=world.other, staff=world.other_staff, name="越秀班",
                                sessions=week_sessions(world.start + dt.timedelta(days=7), world.teacher))  # fmt: skip
    client.force_login(world.staff)
    page = client.get(f"/training/classes/{tc.pk}/").content.decode()
    assert target.code in page and other_provider.code not in page  # only classes the service would accept
    page = _follow(client, client.post(f"/training/enrollments/{second.pk}/transfer/", {"reason": "时间冲突",
                                                                                       "target_class": ""}))  # fmt: skip
    assert "转班须选择转入班级" in page
    second.refresh_from_db()
    assert second.status == EnrollmentStatus.ENROLLED
    _follow(client, client.post(f"/training/enrollments/{first.pk}/transfer/",
                                {"reason": "时间冲突", "target_class": str(target.pk)}))  # fmt: skip
    first.refresh_from_db()
    moved = Enrollment.objects.get(training_class=target, person_id=first.person_id)
    assert first.status == EnrollmentStatus.TRANSFERRED and moved.transferred_from_id == first.pk


def test_other_providers_get_404_and_readers_see_no_controls(world, class_now, client, make_user):
    tc, _start, _end, (first, _second), _rows = class_now
    client.force_login(world.other_staff)
    response = client.post(f"/training/enrollments/{first.pk}/dropout/", {"reason": "本人找到工作"})
    assert response.status_code == 404
    reviewer = make_user("reviewer", region="440106")  # reads the class, may not amend its roster
    client.force_login(reviewer)
    page = client.get(f"/training/classes/{tc.pk}/").content.decode()
    assert first.person_name in page and "退训 / 延期 / 转班" not in page
    page = _follow(client, client.post(f"/training/enrollments/{first.pk}/dropout/", {"reason": "本人找到工作"}))
    assert "权限" in page
    first.refresh_from_db()
    assert first.status == EnrollmentStatus.ENROLLED and not EnrollmentAmendment.objects.exists()
