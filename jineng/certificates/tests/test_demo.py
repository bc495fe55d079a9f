"""The demo data includes an exam session and issued certificates; seeding twice changes nothing."""

from __future__ import annotations

import pytest

from jineng.certificates.demo import seed_demo
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
    session = ExamSession.objects.get()
    assert session.status == "closed" and session.candidates.filter(result="absent").count() == 1
    assert all(c.region_id == "440106" and c.issuer_id == evaluator.pk for c in issued)
    assert seed_demo(evaluator=evaluator) == []
    assert Certificate.objects.count() == 3 and ExamSession.objects.count() == 1
    official = make_user("city_official", region="440100")
    from jineng.certificates.selectors import certificates_visible

    assert certificates_visible(official).count() == 3
