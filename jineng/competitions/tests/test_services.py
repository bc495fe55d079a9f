"""The competition workflow through the services: event → registrations → results → 公示 → final → awards, the
promotion certificate and its revocation on a restatement, and every bad input the issue names."""

from __future__ import annotations

import datetime as dt

import pytest

from jineng.common.errors import DomainError, PermissionDenied
from jineng.competitions import services
from jineng.competitions.models import Award, AwardStatus, EventStatus, ResultsStage
from jineng.competitions.tests.conftest import TODAY

pytestmark = pytest.mark.django_db
AFTER_OBJECTIONS = TODAY + dt.timedelta(days=services.OBJECTION_DAYS + 30)


def _publish(world, event):
    services.results_review(actor=world.province, event=event)
    return services.results_publish(actor=world.province2, event=event)


def _final(world, event):
    _publish(world, event)
    return services.results_finalize(actor=world.province, event=event, today=AFTER_OBJECTIONS)


def _code(exc: pytest.ExceptionInfo[DomainError]) -> str:
    return exc.value.code


def test_first_prize_of_a_province_class1_event_promotes_a_senior_worker_to_technician(world, make_event, contestant,
                                                                                     client):  # fmt: skip
    from jineng.certificates.models import Certificate, CertificateSource
    from jineng.registry.api import archive_entries

    event = make_event()
    winner = contestant(event, "李焊", level="grade3")
    second = contestant(event, "王焊", level="grade4")
    third = contestant(event, "赵焊")  # no certificate: a title, no promotion
    for c, rank in ((winner, 1), (second, 2), (third, 3)):
        services.result_record(actor=world.staff, event=event, id_number=c.id_number, score=f"{100 - rank}.5",
                               rank=rank)  # fmt: skip
    awards = {a.person_id: a for a in _final(world, event)}

    first = awards[winner.person.pk]
    assert first.title == "广东省技术能手" and first.promoted_level_id == "grade2"
    certificate = Certificate.objects.get(pk=first.certificate_id)
    assert certificate.level_id == "grade2" and certificate.occupation.code == "6-18-02-04"
    assert certificate.source == CertificateSource.COMPETITION and certificate.kind_id == "skill_level"
    assert "职业技能竞赛奖励办法" in certificate.legal_basis and "第 1 名" in certificate.legal_basis
    assert [ln["code"] for ln in first.lines] == ["title", "promotion"]
    assert awards[second.person.pk].promoted_level_id == "grade3"  # 中级工, top 3 → one rung up
    assert awards[third.person.pk].promoted_level_id is None and awards[third.person.pk].title
    assert any(ln["code"] == "prerequisite_not_held" for ln in awards[third.person.pk].lines)

    # verifiable publicly like any certificate, and as a credential
    found = client.get("/api/v1/public/certificates/verify", {"number": certificate.number, "name": "李焊"}).json()
    assert found["status"] == "valid" and found["level"] == "二级/技师"
    client.force_login(world.province)
    credential = client.get(f"/api/v1/certificates/{certificate.number}/credential")
    assert credential.status_code == 200 and credential["Content-Type"] == "application/vc+jwt"

    entries = [(e.kind, e.title, e.detail) for e in archive_entries(winner.person)]
    assert any(k == "competition" and t == "竞赛奖励" and "晋升二级/技师" in d for k, t, d in entries)
    # the award line shows the certificate number as the certificate line does (440000-2026-S-0000001-X)
    n = certificate.number
    shown = f"{n[:6]}-{n[6:10]}-{n[10]}-{n[11:18]}-{n[18]}"
    assert any(k == "competition" and f"证书编号 {shown}" in d for k, _t, d in entries)
    assert any(k == "competition" and "第 1 名" in t for k, t, _d in entries)
    assert any(k == "certificate" and "职业技能等级证书" in t for k, t, _d in entries)
    assert event.__class__.objects.get(pk=event.pk).results_stage == ResultsStage.FINAL


def test_correcting_the_result_revokes_the_promotion_and_its_certificate(world, make_event, contestant, client):
    from jineng.certificates.models import Certificate, CertificateStatus
    from jineng.common.audit.models import AuditEntry

    event = make_event()
    winner = contestant(event, "李焊", level="grade3")
    other = contestant(event, "钱焊", level="grade3")
    services.result_record(actor=world.staff, event=event, id_number=winner.id_number, score="98", rank=1)
    services.result_record(actor=world.staff, event=event, id_number=other.id_number, score="97", rank=2)
    _final(world, event)
    award = Award.objects.get(person=winner.person, status=AwardStatus.ACTIVE)
    result = award.result

    services.result_restate(actor=world.province, result=result, score="96", rank=4, reason="复核发现计分错误",
                            today=AFTER_OBJECTIONS)  # fmt: skip

    revoked = Certificate.objects.get(pk=award.certificate_id)
    assert revoked.status == CertificateStatus.REVOKED and "竞赛成绩更正" in revoked.revoke_reason
    award.refresh_from_db()
    assert award.status == AwardStatus.REVOKED and award.revoke_reason == "复核发现计分错误"
    assert not Award.objects.filter(person=winner.person, status=AwardStatus.ACTIVE).exists()  # 4th: nothing
    body = client.get("/api/v1/public/certificates/verify", {"number": revoked.number, "name": "李焊"}).json()
    assert body["status"] == "revoked"
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"competition.result_restate", "competition.award_revoke", "certificate.revoke"} <= actions


def test_a_restatement_up_the_ranks_grants_what_the_new_rank_brings(world, make_event, contestant):
    event = make_event()
    c = contestant(event, "孙焊", level="grade3")
    services.result_record(actor=world.staff, event=event, id_number=c.id_number, score="80", rank=5)
    assert _final(world, event) == []
    from jineng.competitions.models import Result

    result = Result.objects.get(contestant__person=c.person)
    services.result_restate(actor=world.province, result=result, score="99", rank=1, reason="申诉成立，重新评分",
                            today=AFTER_OBJECTIONS)  # fmt: skip
    award = Award.objects.get(person=c.person, status=AwardStatus.ACTIVE)
    assert award.promoted_level_id == "grade2" and award.certificate_number


def test_a_restatement_during_publicity_changes_the_result_only(world, make_event, contestant):
    event = make_event()
    c = contestant(event)
    result = services.result_record(actor=world.staff, event=event, id_number=c.id_number, score="80", rank=2)
    _publish(world, event)
    services.result_restate(actor=world.province, result=result, score="81", rank=1, reason="异议成立")
    result.refresh_from_db()
    assert (result.rank, result.restate_reason) == (1, "异议成立") and not Award.objects.exists()


# ---- bad input ---------------------------------------------------------------------------------------------------


def test_a_contestant_not_in_the_registry_is_refused(world, make_event):
    from jineng.registry.tests.factories import id18

    event = make_event()
    with pytest.raises(DomainError) as exc:
        services.contestant_register(actor=world.staff, event=event, id_number=id18("440106"), name="无名")
    assert _code(exc) == "contestant_not_in_registry" and exc.value.fields[0].field == "id_number"


def test_a_name_that_does_not_match_the_registry_is_refused(world, make_event):
    from jineng.competitions.tests.conftest import make_person
    from jineng.registry.tests.factories import id18

    number = id18("440106")
    make_person(name="周一", id_number=number)
    with pytest.raises(DomainError) as exc:
        services.contestant_register(actor=world.staff, event=make_event(), id_number=number, name="周二")
    assert _code(exc) == "name_mismatch"


def test_a_duplicate_registration_is_refused(world, make_event, contestant):
    event = make_event()
    c = contestant(event, "吴焊")
    with pytest.raises(DomainError) as exc:
        services.contestant_register(actor=world.staff, event=event, id_number=c.id_number, name="吴焊")
    assert _code(exc) == "duplicate_registration"


def test_eligibility_region_and_age(world, make_event):
    from jineng.competitions.tests.conftest import make_person
    from jineng.registry.tests.factories import id18

    event = make_event(region="440100", name="广州市焊工技能竞赛")
    outside = id18("440304")
    make_person(region="440304", name="深圳人", id_number=outside)
    with pytest.raises(DomainError) as exc:
        services.contestant_register(actor=world.staff, event=event, id_number=outside, name="深圳人")
    assert _code(exc) == "outside_region"
    young = id18("440106", born=dt.date(2012, 1, 1))
    make_person(name="少年", id_number=young, birth_date=dt.date(2012, 1, 1))
    with pytest.raises(DomainError) as exc:
        services.contestant_register(actor=world.staff, event=event, id_number=young, name="少年")
    assert _code(exc) == "age_not_eligible"


def test_an_enterprise_registers_its_own_workers_only(world, make_event, make_org):
    from jineng.competitions.tests.conftest import make_person
    from jineng.registry.tests.factories import id18

    event = make_event()
    number = id18("440106")
    make_person(name="郑工", id_number=number)
    c = services.contestant_register(actor=world.hr, event=event, id_number=number, name="郑工",
                                     organization=world.enterprise, team_name="天河精工一队")  # fmt: skip
    assert c.organization_name == "天河精工有限公司" and c.team_name == "天河精工一队"
    with pytest.raises(PermissionDenied):
        services.contestant_register(actor=world.hr, event=event, id_number=number, name="郑工",
                                     organization=make_org(region="440106", kind="enterprise"))  # fmt: skip


def test_a_result_for_someone_not_registered_is_refused(world, make_event):
    from jineng.competitions.tests.conftest import make_person
    from jineng.registry.tests.factories import id18

    number = id18("440106")
    make_person(name="陈某", id_number=number)
    with pytest.raises(DomainError) as exc:
        services.result_record(actor=world.staff, event=make_event(), id_number=number, score="90", rank=1)
    assert _code(exc) == "result_not_registered"


@pytest.mark.parametrize(("score", "rank", "code"), [
    ("abc", 1, "bad_score"), ("-1", 1, "bad_score"), ("1001", 1, "bad_score"), ("90.123", 1, "bad_score"),
    ("NaN", 1, "bad_score"), ("90", 0, "bad_rank"), ("90", "x", "bad_rank"), ("90", 10001, "bad_rank"),
])  # fmt: skip
def test_bad_scores_and_ranks_are_named(world, make_event, contestant, score, rank, code):
    event = make_event()
    c = contestant(event)
    with pytest.raises(DomainError) as exc:
        services.result_record(actor=world.staff, event=event, id_number=c.id_number, score=score, rank=rank)
    assert _code(exc) == code


def test_an_award_rule_that_would_promote_past_the_ladder_top_is_refused(world):
    with pytest.raises(DomainError) as exc:
        services.award_rules_set(actor=world.province, approver=world.province2, region_code="440000", valid_from=dt.date(2026, 1, 1),
                                 basis="测试规则", lines=[{"event_level": "national", "rank_max": 1,
                                                          "prerequisite": "grade1", "grants": "next"}])  # fmt: skip
    assert _code(exc) == "past_ladder_top" and exc.value.fields[0].field == "lines[0].grants"


def test_the_workflow_keeps_its_order_and_its_roles(world, make_event, contestant):
    event = make_event(approve=False)
    with pytest.raises(PermissionDenied):
        services.event_file(actor=world.hr, event=event)
    services.event_file(actor=world.staff, event=event)
    with pytest.raises(PermissionDenied):  # a city official is below a province event
        services.event_decide(actor=world.city, event=event, approve=True, document_number="穗人社〔2026〕1号")
    with pytest.raises(DomainError) as exc:
        services.event_decide(actor=world.province, event=event, approve=False, reason="")
    assert _code(exc) == "reason_required"
    event = services.event_decide(actor=world.province, event=event, approve=False, reason="赛项设置不符合要求")
    assert event.status == EventStatus.REJECTED
    services.event_file(actor=world.staff, event=event)
    event = services.event_decide(
        actor=world.province, event=event, approve=True, document_number="粤人社函〔2026〕9号"
    )
    with pytest.raises(DomainError) as exc:
        services.results_review(actor=world.province, event=event)
    assert _code(exc) == "no_results"
    c = contestant(event)
    services.result_record(actor=world.staff, event=event, id_number=c.id_number, score="90", rank=1)
    with pytest.raises(DomainError) as exc:
        services.results_publish(actor=world.province, event=event)
    assert _code(exc) == "results_state"
    _publish(world, event)
    with pytest.raises(DomainError) as exc:
        services.results_finalize(actor=world.province, event=event, today=TODAY.replace(year=2020))
    assert _code(exc) == "objection_period_open"
    with pytest.raises(DomainError) as exc:
        services.result_record(actor=world.staff, event=event, id_number=c.id_number, score="91", rank=1)
    assert _code(exc) == "results_state"


@pytest.mark.parametrize(("field", "value", "code"), [
    ("name", "短", "bad_name"), ("event_class", "class1", "bad_class"), ("approving_department", "", "department_required"),
    ("ends_on", dt.date(2026, 1, 1), "bad_dates"), ("max_age", 10, "bad_ages"), ("level", "galaxy", "bad_level"),
    ("starts_on", dt.date(9999, 12, 1), "bad_dates"), ("starts_on", dt.date(1, 1, 1), "bad_dates"),
])  # fmt: skip
def test_bad_event_fields_are_named(world, field, value, code):
    import dataclasses

    data = services.EventData(name="深圳市焊工技能竞赛", level="city", event_class="", occupation="6-18-02-04",
                              approving_department="深圳市人社局", region="440300", starts_on=dt.date(2026, 5, 1),
                              ends_on=dt.date(2026, 5, 2))  # fmt: skip
    with pytest.raises(DomainError) as exc:
        services.event_create(
            actor=world.staff, organizer=world.organizer, data=dataclasses.replace(data, **{field: value})
        )
    assert _code(exc) == code and exc.value.fields[0].field == field


def test_review_refuses_ranks_that_contradict_the_scores_naming_both(world, make_event, contestant):
    event = make_event()
    low, high = contestant(event, "刘建国"), contestant(event, "陈晓峰")
    services.result_record(actor=world.staff, event=event, id_number=low.id_number, score="86.25", rank=1)
    services.result_record(actor=world.staff, event=event, id_number=high.id_number, score="95.50", rank=2)
    with pytest.raises(DomainError) as exc:
        services.results_review(actor=world.province, event=event)
    assert _code(exc) == "rank_contradicts_score" and "陈晓峰" in str(exc.value) and "刘建国" in str(exc.value)
    services.result_record(actor=world.staff, event=event, id_number=low.id_number, score="86.25", rank=2)
    services.result_record(actor=world.staff, event=event, id_number=high.id_number, score="95.50", rank=1)
    assert services.results_review(actor=world.province, event=event).results_stage == ResultsStage.REVIEWED
