"""The worker's side of training and vouchers (issue 25, items 2–3): find an upcoming class with the subsidy the policy
in force would pay (the rules core, explained), ask to join it with a voucher of one's own, the provider accepts the
request into the roster (the roster's checks) and the voucher is used at that moment; redemption makes the
provider's claim, which the worker sees in the archive. Refusals name the reason."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from jineng.common.errors import DomainError
from jineng.subsidies.models import Claim, Voucher, VoucherIssue
from jineng.subsidies.services import vouchers
from jineng.subsidies.tests.conftest import TODAY
from jineng.subsidies.tests.test_vouchers import holder, issue, listed  # noqa: F401 - the fixture
from jineng.training.models import Enrollment, JoinRequest, TrainingClass
from jineng.training.services import joins

pytestmark = pytest.mark.django_db


def upcoming(world_listed: Any, org: Any, *, start: dt.date | None = None, size: int = 20, days: int = 20) -> Any:
    """An approved class of ``org`` for the listed program, starting in a week: ``days`` sessions of 9 hours (7 学时 a day count)."""
    from jineng.providers.models import OrganizationProfile
    from jineng.training.models import ClassSession

    start = start or TODAY + dt.timedelta(days=7)
    profile = OrganizationProfile.objects.get(organization=org)
    n = TrainingClass.objects.count()
    program = world_listed.program
    tc = TrainingClass.objects.create(
        code=f"K-JOIN-{n}", name=f"程序设计员培训班{n}", provider=profile, organization=org, program=program,
        occupation=program.occupation, level=program.level, training_kind="employment",
        subsidy_category="A", start_date=start, end_date=start + dt.timedelta(days=days - 1), planned_size=size,
        venue_name="天河基地", region_id="440106", status="approved",
    )  # fmt: skip
    tz = timezone.get_current_timezone()
    for i in range(days):
        day = start + dt.timedelta(days=i)
        ClassSession.objects.create(
            training_class=tc, region_id="440106", organization=org,
            starts_at=dt.datetime.combine(day, dt.time(9), tz), ends_at=dt.datetime.combine(day, dt.time(18), tz),
        )  # fmt: skip
    return tc


@pytest.fixture
def worker(world: Any, listed: Any, make_user: Any) -> SimpleNamespace:  # noqa: F811
    person, number = holder()
    user = make_user("worker", username="w1")
    user.person_id = person.pk
    user.save()
    return SimpleNamespace(user=user, person=person, number=number)


def test_estimate_is_the_rules_core_explained(world, listed, worker):  # noqa: F811
    from jineng.training import subsidy_port

    tc = upcoming(listed, listed.a.org)
    est = subsidy_port.subsidy_estimate(worker.person.pk, tc)
    assert est is not None and est.outcome == "approve"
    assert est.amount_fen == 150000  # the grade4 row of the policy in force, for a full class
    assert est.policy.startswith("测试") and any(line["code"] for line in est.lines)
    short = upcoming(listed, listed.a.org, days=3)  # 24 学时: short of the 110 the policy asks for grade4
    est = subsidy_port.subsidy_estimate(worker.person.pk, short)
    assert est is not None and est.outcome == "reject"
    assert any(line["outcome"] == "fail" for line in est.lines)
    # A county policy that pays on a certificate: the estimate assumes the class's certificate, and says so.
    from jineng.subsidies.tests.conftest import TRAINING_POLICY, publish

    paid_on_certificate = dict(TRAINING_POLICY)
    paid_on_certificate["eligibility"] = [*TRAINING_POLICY["eligibility"],
                                          {"kind": "certificate", "kinds": ["skill_level"]}]  # fmt: skip
    publish("440106", paid_on_certificate)
    est = subsidy_port.subsidy_estimate(worker.person.pk, tc)
    assert est is not None and est.outcome == "approve" and est.amount_fen == 150000
    assert any(line["code"] == "certificate" and line["outcome"] == "pass" for line in est.lines)


def test_join_with_voucher_accept_uses_it_and_redemption_makes_the_claim(world, listed, worker):  # noqa: F811
    tc = upcoming(listed, listed.a.org)
    iss = issue(world, groups=[])
    assert iss in vouchers.issues_open_to(worker.person)
    v = vouchers.voucher_apply(actor=worker.user, issue=iss)
    assert iss not in vouchers.issues_open_to(worker.person)  # one per person
    from jineng.training import subsidy_port

    assert [code for code, _label in subsidy_port.usable_vouchers(worker.person.pk, tc)] == [v.code]
    with pytest.raises(DomainError) as err:
        joins.join_request_create(actor=worker.user, training_class=tc, pledge=False, voucher_code=v.code)
    assert err.value.fields[0].field == "pledge"
    jr = joins.join_request_create(actor=worker.user, training_class=tc, pledge=True, voucher_code=v.code.lower())
    assert jr.status == "pending" and jr.voucher_code == v.code
    with pytest.raises(DomainError) as err:
        joins.join_request_create(actor=worker.user, training_class=tc, pledge=True)
    assert err.value.code == "join_request_pending"
    with pytest.raises(DomainError) as err:  # another provider's staff cannot accept
        joins.join_request_accept(actor=listed.b.staff, join_request=jr)
    assert err.value.status == 403
    jr = joins.join_request_accept(actor=listed.a.staff, join_request=jr)
    assert jr.status == "accepted"
    e = Enrollment.objects.get(pk=jr.enrollment_id)
    assert e.person_id == worker.person.pk and e.source == "request" and e.status == "enrolled"
    v.refresh_from_db()
    assert v.state == "used" and v.used_organization_id == listed.a.org.pk and v.value_fen == 80000
    vouchers.voucher_redeem(actor=world.city, voucher=v)
    claim = Claim.objects.get(event_key=f"voucher:{v.pk}")
    assert claim.enrollment_id == e.pk and claim.applicant_org_id == listed.a.org.pk
    from jineng.registry.api import archive_entries

    # the voucher's archive line names where it was used and the settlement claim, from 已提交 on
    line = next(x for x in archive_entries(worker.person) if x.kind == "voucher")
    assert claim.number in str(line.detail) and listed.a.org.name in str(line.detail)


def test_refusals_name_the_reason(world, listed, worker, make_user):  # noqa: F811
    tc = upcoming(listed, listed.a.org)
    other, _n = holder()
    stranger = make_user("worker", username="w2")
    stranger.person_id = other.pk
    stranger.save()
    iss = issue(world, groups=[])
    theirs = vouchers.voucher_apply(actor=stranger, issue=iss)
    with pytest.raises(DomainError) as err:  # someone else's voucher is an unknown one
        joins.join_request_create(actor=worker.user, training_class=tc, pledge=True, voucher_code=theirs.code)
    assert err.value.code == "voucher_not_found"
    mine = vouchers.voucher_apply(actor=worker.user, issue=iss)
    VoucherIssue.objects.filter(pk=iss.pk).update(valid_from=TODAY - dt.timedelta(days=30),
                                                  valid_until=TODAY - dt.timedelta(days=1))  # fmt: skip
    with pytest.raises(DomainError) as err:
        joins.join_request_create(actor=worker.user, training_class=tc, pledge=True, voucher_code=mine.code)
    assert err.value.code == "voucher_expired" and "过期" in err.value.message
    directed = issue(world, kind="directed", providers=[str(listed.b.org.pk)], groups=[], title="乙校定向券")
    only_b = vouchers.voucher_apply(actor=worker.user, issue=directed)
    with pytest.raises(DomainError) as err:
        joins.join_request_create(actor=worker.user, training_class=tc, pledge=True, voucher_code=only_b.code)
    assert err.value.code == "voucher_provider_not_allowed"
    full = upcoming(listed, listed.a.org, size=1)
    jr = joins.join_request_create(actor=stranger, training_class=full, pledge=True)
    joins.join_request_accept(actor=listed.a.staff, join_request=jr)
    with pytest.raises(DomainError) as err:  # the roster's capacity check, as the import would say it
        joins.join_request_create(actor=worker.user, training_class=full, pledge=True)
    assert err.value.fields[0].code == "class_full"
    started = upcoming(listed, listed.a.org, start=TODAY - dt.timedelta(days=1))
    with pytest.raises(DomainError) as err:
        joins.join_request_create(actor=worker.user, training_class=started, pledge=True)
    assert err.value.code == "class_started"
    jr = joins.join_request_create(actor=worker.user, training_class=tc, pledge=True)
    with pytest.raises(DomainError) as err:
        joins.join_request_refuse(actor=listed.a.staff, join_request=jr, reason=" ")
    assert err.value.fields[0].field == "reason"
    jr = joins.join_request_refuse(actor=listed.a.staff, join_request=jr, reason="本期名额已留给定向班学员")
    assert jr.status == "refused" and jr.refusal_reason == "本期名额已留给定向班学员"
    with pytest.raises(DomainError) as err:
        joins.join_request_accept(actor=listed.a.staff, join_request=jr)
    assert err.value.code == "join_request_decided"
    assert not Enrollment.objects.filter(training_class=tc).exists()


def test_accept_refused_whole_when_the_voucher_expired_meanwhile(world, listed, worker):  # noqa: F811
    tc = upcoming(listed, listed.a.org)
    iss = issue(world, groups=[])
    v = vouchers.voucher_apply(actor=worker.user, issue=iss)
    jr = joins.join_request_create(actor=worker.user, training_class=tc, pledge=True, voucher_code=v.code)
    VoucherIssue.objects.filter(pk=iss.pk).update(valid_from=TODAY - dt.timedelta(days=30),
                                                  valid_until=TODAY - dt.timedelta(days=1))  # fmt: skip
    with pytest.raises(DomainError) as err:
        joins.join_request_accept(actor=listed.a.staff, join_request=jr)
    assert err.value.code == "voucher_expired"
    assert JoinRequest.objects.get(pk=jr.pk).status == "pending"
    assert not Enrollment.objects.filter(training_class=tc).exists()  # nothing half done
    assert Voucher.objects.get(pk=v.pk).state == "claimed"


def test_pages_worker_finds_requests_and_provider_accepts(world, listed, worker, client):  # noqa: F811
    tc = upcoming(listed, listed.a.org)
    other = upcoming(listed, listed.b.org)
    iss = issue(world, groups=[])
    client.force_login(worker.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get("/subsidies/vouchers/mine/")
    assert iss.title in page.content.decode()
    client.post(f"/subsidies/vouchers/issues/{iss.pk}/apply/")
    v = Voucher.objects.get(issue=iss, person=worker.person)
    found = client.get("/training/find/?region=440100&occupation=程序设计").content.decode()
    assert tc.name in found and other.name in found and "预计补贴 1,500.00 元" in found
    assert client.get("/training/find/?region=abc&start_from=9999-99-99&page=-1").status_code == 200
    detail = client.get(f"/training/find/{tc.pk}/").content.decode()
    assert v.code in detail and "符合" in detail
    client.post(f"/training/find/{tc.pk}/", {"pledge": "on", "voucher": v.code, "note": "周末可到"})
    jr = JoinRequest.objects.get(training_class=tc, person=worker.person)
    assert client.get("/training/join-requests/").status_code == 403  # a worker has no provider's to-do
    client.force_login(listed.b.staff)
    assert jr.person_name not in client.get("/training/join-requests/").content.decode()
    assert client.post(f"/training/join-requests/{jr.pk}/accept/").status_code == 404  # not their class
    client.force_login(listed.a.staff)
    assert jr.person_name in client.get("/training/join-requests/").content.decode()
    client.post(f"/training/join-requests/{jr.pk}/accept/")
    assert JoinRequest.objects.get(pk=jr.pk).status == "accepted"
    client.force_login(worker.user)
    assert "已接收入班" in client.get("/training/find/").content.decode()
    mine = client.get("/subsidies/vouchers/mine/").content.decode()
    assert listed.a.org.name in mine and "已使用" in mine


def test_correction_request_goes_to_the_owning_region(world, worker, make_user, client):
    from jineng.registry.models import CorrectionRequest
    from jineng.registry.services.corrections import correction_answer, correction_request_create
    from jineng.web.todos import todos_for

    with pytest.raises(DomainError) as err:  # someone else's record
        correction_request_create(actor=world.city, person=worker.person, region_code="440106", about="基本信息",
                                  text="出生日期有误")  # fmt: skip
    assert err.value.status == 403
    client.force_login(worker.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "基本信息" in client.get("/persons/me/corrections/").content.decode()
    client.post("/persons/me/corrections/", {"about": "basic", "text": "短"})
    assert not CorrectionRequest.objects.exists()  # too short: refused with the reason
    client.post("/persons/me/corrections/", {"about": "basic", "text": "手机号码已更换为 139 开头的号码"})
    c = CorrectionRequest.objects.get(person=worker.person)
    assert c.region_id == "440106" and c.status == "open"
    assert any(t.url == "/persons/corrections/" for t in todos_for(world.tianhe))  # 天河's official
    assert not any(t.url == "/persons/corrections/" for t in todos_for(world.luohu))  # not 罗湖's
    with pytest.raises(DomainError) as err:
        correction_answer(actor=world.luohu, correction=c, corrected=True, answer="已更正")
    assert err.value.status == 403
    client.force_login(world.tianhe)
    assert "手机号码已更换" in client.get("/persons/corrections/").content.decode()
    client.post(f"/persons/corrections/{c.pk}/answer/", {"outcome": "corrected", "answer": "已核实并更正手机号码"})
    c.refresh_from_db()
    assert c.status == "corrected" and c.answered_by_id == world.tianhe.pk
    client.force_login(worker.user)
    assert "已核实并更正手机号码" in client.get("/persons/me/corrections/").content.decode()
