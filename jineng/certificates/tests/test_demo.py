"""The demo data includes an exam session and issued certificates, a retake with results to enter and a session
to prepare (the evaluator's to-dos); seeding twice changes nothing."""

from __future__ import annotations

import pytest

from jineng.certificates.demo import RETAKE_ADDRESS, VENUE_ADDRESS, seed_demo
from jineng.certificates.models import Certificate, ExamSession

pytestmark = pytest.mark.django_db


def test_the_demo_session_issues_certificates_once(make_org, make_user):
    from jineng.accounts.models import User
    from jineng.registry.tests.factories import make_person

    evaluator = make_org(region="440100", kind="evaluator", name="广州市职业技能评价中心")
    worker = make_user("worker", username="demo-worker")
    User.objects.filter(pk=worker.pk).update(person_id=make_person(name="李明").pk)
    issued = seed_demo(evaluator=evaluator)
    assert len(issued) == 3  # 李明 and two demo candidates passed; one failed, one was absent
    assert {c.holder_name for c in issued} >= {"李明"}
    session = ExamSession.objects.get(venue_address=VENUE_ADDRESS)
    assert session.status == "closed" and session.candidates.filter(result="absent").count() == 1
    assert all(c.region_id == "440106" and c.issuer_id == evaluator.pk for c in issued)
    assert seed_demo(evaluator=evaluator) == []
    assert Certificate.objects.count() == 3 and ExamSession.objects.count() == 3
    # The evaluator's work of today: the retake of the failed and the absent candidate, and a session to prepare.
    from jineng.web.todos import todos_for

    staff = make_user("evaluator", organization=evaluator)
    retake = ExamSession.objects.get(venue_address=RETAKE_ADDRESS)
    assert retake.status == "scheduled" and retake.candidates.count() == 2 and retake.examiners.count() == 1
    assert sorted(t.kind for t in todos_for(staff)) == ["成绩录入", "考前准备"]
    official = make_user("city_official", region="440100")
    from jineng.certificates.selectors import certificates_visible

    assert certificates_visible(official).count() == 3
