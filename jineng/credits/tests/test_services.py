"""The credit bank through its services: a completed class, a certificate and a competition prize each add exactly
what their rule version gives; revoking the certificate reverses it; derivation is idempotent; recognition needs a
second person; a conversion beyond the balance is refused and records nothing; every bad input named."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jineng.common.errors import DomainError, PermissionDenied
from jineng.credits import services
from jineng.credits.models import Conversion, CreditEntry, Recognition
from jineng.credits.tests.conftest import certificate, completed_class, make_person
from jineng.rules.credits import CreditRules

pytestmark = pytest.mark.django_db


def _derive(bank, person) -> int:
    return services.credits_derive(actor=bank.province, person_ids=[person.pk])


def _code(exc: pytest.ExceptionInfo[DomainError]) -> str:
    return exc.value.code


def test_a_completed_class_earns_its_offline_and_online_hours_by_the_rule_version(bank):
    person = make_person()
    enrollment = completed_class(person, 64, online_hours=16)
    assert _derive(bank, person) == 2
    entries = {e.category: e for e in CreditEntry.objects.filter(person=person)}
    assert entries["training"].credits == Decimal("3.0")  # 48 offline 学时 ÷ 16
    assert entries["online"].credits == Decimal("1.0")  # 16 online 学时 ÷ 16
    assert entries["training"].rule_version == 1 and entries["training"].source_key == f"training:{enrollment.pk}"
    assert entries["online"].expires_on == dt.date(2031, 6, 30)  # online credits lapse after five years
    assert _derive(bank, person) == 0  # never twice for the same source
    assert services.balance_of(person.pk, dt.date(2026, 12, 1))["training"] == Decimal("3.0")


def test_a_certificate_earns_its_level_and_revoking_it_reverses_them_once(bank):
    from jineng.certificates.services import certificate_revoke

    person = make_person()
    cert = certificate(bank.province, person, level="grade3")
    _derive(bank, person)
    assert services.balance_of(person.pk)["certificate"] == Decimal("6.0")
    certificate_revoke(actor=bank.province, certificate=cert, reason="证书信息有误，依法撤销")
    assert _derive(bank, person) == 1
    reversal = CreditEntry.objects.get(person=person, kind="reverse")
    assert reversal.credits == Decimal("-6.0") and reversal.offsets.source_key == f"certificate:{cert.pk}"
    assert services.balance_of(person.pk)["certificate"] == Decimal("0")
    assert _derive(bank, person) == 0
    assert CreditEntry.objects.filter(person=person).count() == 2  # the earn stays: append-only


def test_a_competition_prize_earns_its_event_level(bank, world, make_event, contestant):
    from jineng.competitions import services as competitions

    event = make_event(level="province", event_class="class2")
    c = contestant(event, "赛学分")
    competitions.result_record(actor=world.staff, event=event, id_number=c.id_number, score="90", rank=1)
    competitions.results_review(actor=world.province, event=event)
    competitions.results_publish(actor=world.province2, event=event)  # a second person (双人复核)
    competitions.results_finalize(actor=world.province, event=event, today=dt.date(2027, 6, 1))
    _derive(bank, c.person)
    (entry,) = CreditEntry.objects.filter(person=c.person, category="competition")
    assert entry.credits == Decimal("4.0") and entry.rule_version == 1  # a province event: 4 credits


def test_a_new_rule_version_counts_new_records_and_leaves_earned_ones(bank):
    person = make_person()
    certificate(bank.province, person, level="grade4")
    _derive(bank, person)
    rules = {**CreditRules().as_dict(), "certificate_levels": {"grade4": "5"}}
    v2 = services.rules_set(actor=bank.province, region_code="440000", valid_from=dt.date(2026, 1, 1),
                            basis="第二版（测试）", rules=rules)  # fmt: skip
    later = make_person(name="王学分")
    certificate(bank.province, later, level="grade4")
    services.credits_derive(actor=bank.province, person_ids=[person.pk, later.pk])
    assert CreditEntry.objects.get(person=person).credits == Decimal("4.0")
    assert CreditEntry.objects.get(person=later).rule_version == v2.version == 2
    assert CreditEntry.objects.get(person=later).credits == Decimal("5.0")


def test_the_annual_cap_limits_a_years_class_credits(bank):
    person = make_person()
    completed_class(person, 400)
    completed_class(person, 320)
    _derive(bank, person)
    credits = sorted(e.credits for e in CreditEntry.objects.filter(person=person))
    assert credits == [Decimal("5.0"), Decimal("25.0")]  # 25, then what is left of the cap of 30


def test_rules_are_published_by_settings_edit_and_bad_fields_named(bank):
    with pytest.raises(PermissionDenied):
        services.rules_set(actor=bank.county, region_code="440106", valid_from=dt.date(2026, 1, 1),
                           basis="天河办法", rules={})  # fmt: skip
    with pytest.raises(DomainError) as exc:
        services.rules_set(actor=bank.province, region_code="440000", valid_from=dt.date(2026, 1, 1),
                           basis="办法", rules={"certificate_levels": {"grade9": "1"}})  # fmt: skip
    assert exc.value.fields[0].field == "rules.certificate_levels.grade9"
    with pytest.raises(DomainError) as exc:
        services.rules_set(actor=bank.province, region_code="440000", valid_from=dt.date(2026, 1, 1), basis="",
                           rules={})  # fmt: skip
    assert _code(exc) == "reason_required" and exc.value.fields[0].field == "basis"


def _request(bank, person, **kw):
    data = {"region_code": "440106", "from_region": "430100", "record_ref": "HN-001", "issuer": "长沙市培训中心",
            "description": "电工培训结业 64 学时", "category": "training", "credits": "4",
            "earned_on": dt.date(2025, 5, 1)}  # fmt: skip
    data.update(kw)
    return services.recognition_request(actor=bank.county, person=person, **data)


def test_a_recognition_is_reviewed_by_a_second_person_and_counted_once(bank):
    person = make_person()
    rec = _request(bank, person)
    with pytest.raises(DomainError) as exc:
        services.recognition_decide(actor=bank.county, recognition=rec, approve=True)
    assert exc.value.fields[0].code == "self_review"
    with pytest.raises(PermissionDenied):
        services.recognition_decide(actor=bank.county2, recognition=rec, approve=True)
    services.recognition_decide(actor=bank.reviewer, recognition=rec, approve=True, reason="核验无误")
    entry = CreditEntry.objects.get(person=person, kind="recognize")
    assert entry.credits == Decimal("4.0") and entry.source_key == f"recognition:{rec.pk}"
    assert services.balance_of(person.pk)["training"] == Decimal("4.0")
    with pytest.raises(DomainError) as exc:
        services.recognition_decide(actor=bank.reviewer, recognition=rec, approve=True)
    assert exc.value.fields[0].code == "recognition_state"
    with pytest.raises(DomainError) as exc:
        _request(bank, person)  # the same record again
    assert exc.value.fields[0].code == "record_already_recognized"


def test_a_refused_recognition_needs_a_reason_and_frees_the_record(bank):
    person = make_person()
    rec = _request(bank, person)
    with pytest.raises(DomainError) as exc:
        services.recognition_decide(actor=bank.reviewer, recognition=rec, approve=False, reason="")
    assert exc.value.fields[0].field == "reason"
    services.recognition_decide(actor=bank.reviewer, recognition=rec, approve=False, reason="原记录无法核验")
    assert not CreditEntry.objects.filter(person=person).exists()
    _request(bank, person)  # refused once, it may be asked again with better evidence


@pytest.mark.parametrize(
    ("kw", "field", "code"),
    [
        ({"from_region": "440106"}, "from_region", "same_region"),
        ({"from_region": "440106"[:4] + "06"}, "from_region", "same_region"),
        ({"from_region": "999999"}, "from_region", None),
        ({"record_ref": " "}, "record_ref", "record_required"),
        ({"issuer": "x"}, "issuer", "record_required"),
        ({"description": ""}, "description", "record_required"),
        ({"category": "sport"}, "category", "unknown_category"),
        ({"credits": "0"}, "credits", "bad_credits"),
        ({"credits": "101"}, "credits", "bad_credits"),
        ({"credits": "1.25"}, "credits", "bad_credits"),
        ({"credits": "abc"}, "credits", "bad_credits"),
        ({"earned_on": dt.date(2999, 1, 1)}, "earned_on", "bad_date"),
    ],
)
def test_a_bad_recognition_request_is_refused_and_named(bank, kw, field, code):
    person = make_person()
    with pytest.raises(DomainError) as exc:
        _request(bank, person, **kw)
    assert exc.value.fields[0].field == field
    if code:
        assert exc.value.fields[0].code == code
    assert not Recognition.objects.exists()


def test_a_recognition_request_needs_a_grant_over_the_recognizing_region(bank):
    with pytest.raises(PermissionDenied):
        services.recognition_request(actor=bank.county2, person=make_person(), region_code="440106",
                                     from_region="430100", record_ref="HN-9", issuer="长沙中心", description="结业",
                                     category="training", credits="1", earned_on=dt.date(2025, 1, 1))  # fmt: skip


def test_a_conversion_consumes_the_oldest_credits_and_beyond_the_balance_records_nothing(bank):
    person = make_person()
    completed_class(person, 32, on=dt.date(2025, 6, 30))  # 2 training credits
    certificate(bank.province, person, level="grade4")  # 4 certificate credits
    _derive(bank, person)
    with pytest.raises(DomainError) as exc:
        services.conversion_apply(actor=bank.county, person=person, region_code="440106", target="module_hours",
                                  target_label="电工基础模块", credits="6.5", reason="学分转换申请")  # fmt: skip
    assert exc.value.fields[0].code == "beyond_balance"
    assert not Conversion.objects.exists() and not CreditEntry.objects.filter(kind="convert").exists()
    with pytest.raises(DomainError) as exc:
        services.conversion_apply(actor=bank.county, person=person, region_code="440106", target="module_hours",
                                  target_label="电工基础模块", credits="3", category="training", reason="学分转换")  # fmt: skip
    assert exc.value.fields[0].code == "beyond_balance"
    conversion = services.conversion_apply(actor=bank.county, person=person, region_code="440106",
                                           target="module_hours", target_label="电工基础模块", credits="3",
                                           reason="学分转换申请")  # fmt: skip
    assert conversion.hours_waived == 48  # 3 credits × 16 学时
    assert [c["credits"] for c in conversion.consumed] == ["2.0", "1.0"]  # the class first, then the certificate
    balance = services.balance_of(person.pk)
    assert balance["training"] == Decimal("0") and balance["certificate"] == Decimal("3.0")
    with pytest.raises(DomainError) as exc:  # the theory waiver costs the rule's 6 credits; 3 are left
        services.conversion_apply(actor=bank.county, person=person, region_code="440106", target="theory_waiver",
                                  target_label="电工四级 理论知识考试", reason="学分免考")  # fmt: skip
    assert exc.value.fields[0].code == "beyond_balance"
    recognized = _request(bank, person, credits="3", category="certificate")
    services.recognition_decide(actor=bank.reviewer, recognition=recognized, approve=True)
    waiver = services.conversion_apply(actor=bank.county, person=person, region_code="440106", target="theory_waiver",
                                       target_label="电工四级 理论知识考试", reason="学分免考")  # fmt: skip
    assert waiver.credits == Decimal("6.0") and waiver.hours_waived == 0
    assert sum(services.balance_of(person.pk).values()) == Decimal("0")


@pytest.mark.parametrize(
    ("kw", "field", "code"),
    [
        ({"target": "holiday"}, "target", "bad_target"),
        ({"target_label": ""}, "target_label", "bad_target"),
        ({"reason": "x"}, "reason", "reason_required"),
        ({"credits": "-1"}, "credits", "bad_credits"),
        ({"category": "sport"}, "category", "unknown_category"),
    ],
)
def test_a_bad_conversion_is_refused_and_named(bank, kw, field, code):
    person = make_person()
    data = {"region_code": "440106", "target": "module_hours", "target_label": "电工基础模块", "credits": "1",
            "reason": "学分转换申请"}  # fmt: skip
    data.update(kw)
    with pytest.raises(DomainError) as exc:
        services.conversion_apply(actor=bank.county, person=person, **data)
    assert (exc.value.fields[0].field, exc.value.fields[0].code) == (field, code)


def test_the_archive_shows_the_entries(bank):
    from jineng.registry.api import archive_entries

    person = make_person()
    certificate(bank.province, person, level="grade5")
    _derive(bank, person)
    titles = [e.title for e in archive_entries(person) if e.source == "credits"]
    assert titles == ["技能学分获得 +2.0 （证书）"]
