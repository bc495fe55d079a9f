"""The credit bank through its services: a completed class, a certificate and a competition prize each add exactly
what their rule version gives; revoking the certificate reverses it; derivation is idempotent; recognition needs a
second person; a conversion beyond the balance is refused and records nothing; every bad input named."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


def test_revoking_a_certificate_reverses_its_credits_at_once(bank, django_capture_on_commit_callbacks):
    from jineng.certificates.services import certificate_revoke

    person = make_person()
    cert = certificate(bank.province, person, level="grade3")
    _derive(bank, person)
    with django_capture_on_commit_callbacks(execute=True):  # the hook runs once the revocation commits
        certificate_revoke(actor=bank.province, certificate=cert, reason="证书信息有误，依法撤销")
    assert CreditEntry.objects.get(person=person, kind="reverse").credits == Decimal("-6.0")
    assert services.balance_of(person.pk)["certificate"] == Decimal("0")


def test_a_prize_is_credited_when_final_and_reversed_at_once_when_its_rank_is_restated(
    bank, world, make_event, contestant, django_capture_on_commit_callbacks
):
    from jineng.competitions import services as competitions

    event = make_event(level="province", event_class="class2")
    c = contestant(event, "赛学分")
    result = competitions.result_record(actor=world.staff, event=event, id_number=c.id_number, score="90", rank=1)
    competitions.results_review(actor=world.province, event=event)
    competitions.results_publish(actor=world.province2, event=event)
    with django_capture_on_commit_callbacks(execute=True):
        competitions.results_finalize(actor=world.province, event=event, today=dt.date(2027, 6, 1))
    assert services.balance_of(c.person.pk)["competition"] == Decimal("4.0")  # no derivation run by hand
    with django_capture_on_commit_callbacks(execute=True):
        competitions.result_restate(actor=world.province, result=result, score="20", rank=40,
                                    reason="复核发现计分错误，更正名次", today=dt.date(2027, 6, 2))  # fmt: skip
    assert services.balance_of(c.person.pk)["competition"] == Decimal("0")
    assert CreditEntry.objects.filter(person=c.person, category="competition", kind="reverse").count() == 1


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


CONSENT = {"consent_method": "signed_form", "consent_ref": "TH-ZH-2026-001"}


def _ask(bank, person, actor=None, **kw):
    data = {"region_code": "440106", "target": "module_hours", "target_label": "电工基础模块", "credits": "1",
            "reason": "学分转换申请", "consent_on": timezone.localdate(), **CONSENT}  # fmt: skip
    data.update(kw)
    return services.conversion_request(actor=actor or bank.county, person=person, **data)


def _convert(bank, person, **kw):
    """A conversion asked by the county and approved by the province's reviewer."""
    return services.conversion_decide(actor=bank.reviewer, conversion=_ask(bank, person, **kw), approve=True)


def test_a_conversion_consumes_the_oldest_credits_and_beyond_the_balance_records_nothing(bank):
    person = make_person()
    completed_class(person, 32, on=dt.date(2025, 6, 30))  # 2 training credits
    certificate(bank.province, person, level="grade4")  # 4 certificate credits
    _derive(bank, person)
    with pytest.raises(DomainError) as exc:
        _ask(bank, person, credits="6.5")
    assert exc.value.fields[0].code == "beyond_balance"
    assert not Conversion.objects.exists() and not CreditEntry.objects.filter(kind="convert").exists()
    with pytest.raises(DomainError) as exc:
        _ask(bank, person, credits="3", category="training")
    assert exc.value.fields[0].code == "beyond_balance"
    conversion = _convert(bank, person, credits="3")
    assert conversion.hours_waived == 48  # 3 credits × 16 学时
    assert [c["credits"] for c in conversion.consumed] == ["2.0", "1.0"]  # the class first, then the certificate
    balance = services.balance_of(person.pk)
    assert balance["training"] == Decimal("0") and balance["certificate"] == Decimal("3.0")
    with pytest.raises(DomainError) as exc:  # the theory waiver costs the rule's 6 credits; 3 are left
        _ask(bank, person, target="theory_waiver", target_label="电工四级 理论知识考试")
    assert exc.value.fields[0].code == "beyond_balance"
    recognized = _request(bank, person, credits="3", category="certificate")
    services.recognition_decide(actor=bank.reviewer, recognition=recognized, approve=True)
    waiver = _convert(bank, person, target="theory_waiver", target_label="电工四级 理论知识考试")
    assert waiver.credits == Decimal("6.0") and waiver.hours_waived == 0
    assert sum(services.balance_of(person.pk).values()) == Decimal("0")


def test_a_conversion_spends_nothing_until_a_second_person_approves(bank):
    person = make_person()
    certificate(bank.province, person, level="grade4")  # 4 credits
    _derive(bank, person)
    asked = _ask(bank, person, credits="2")
    assert asked.status == "pending" and not CreditEntry.objects.filter(kind="convert").exists()
    assert services.balance_of(person.pk)["certificate"] == Decimal("4.0")
    with pytest.raises(DomainError) as exc:  # the requester cannot approve their own request
        services.conversion_decide(actor=bank.county, conversion=asked, approve=True)
    assert exc.value.fields[0].code == "self_review"
    with pytest.raises(PermissionDenied):  # an official of another county has no say
        services.conversion_decide(actor=bank.county2, conversion=asked, approve=True)
    done = services.conversion_decide(actor=bank.reviewer, conversion=asked, approve=True)
    assert done.status == "approved" and done.decided_by == bank.reviewer
    assert services.balance_of(person.pk)["certificate"] == Decimal("2.0")
    with pytest.raises(DomainError) as exc:  # decided once
        services.conversion_decide(actor=bank.province, conversion=asked, approve=False, reason="重复审核")
    assert exc.value.fields[0].code == "conversion_state"


def test_the_same_target_is_converted_once_while_pending_or_done_and_a_refusal_frees_it(bank):
    person = make_person()
    certificate(bank.province, person, level="grade3")  # 6 credits
    _derive(bank, person)
    first = _ask(bank, person, credits="1", target_label="电工基础模块")
    for label in ("电工基础模块", " 电工基础模块 ", "电工基础模块".upper()):  # spacing and case do not make it new
        with pytest.raises(DomainError) as exc:
            _ask(bank, person, credits="1", target_label=label, actor=bank.province)
        assert exc.value.fields[0].code == "conversion_already_requested"
    with pytest.raises(DomainError) as exc:  # a refusal needs a reason
        services.conversion_decide(actor=bank.reviewer, conversion=first, approve=False)
    assert exc.value.fields[0].code == "reason_required"
    services.conversion_decide(actor=bank.reviewer, conversion=first, approve=False, reason="本人撤回申请")
    again = _convert(bank, person, credits="1", target_label="电工基础模块")  # refused ones do not count
    assert again.status == "approved"
    with pytest.raises(DomainError) as exc:  # done: never again for that module
        _ask(bank, person, credits="1", target_label="电工基础模块")
    assert exc.value.fields[0].code == "conversion_already_requested"
    _ask(bank, person, credits="1", target_label="电工安全模块")  # another module is another target


def test_pending_requests_reserve_credits_and_the_balance_is_checked_again_at_approval(bank):
    person = make_person()
    cert = certificate(bank.province, person, level="grade4")  # 4 credits
    _derive(bank, person)
    a = _ask(bank, person, credits="3", target_label="模块甲")
    with pytest.raises(DomainError) as exc:  # 4 less the 3 already asked for
        _ask(bank, person, credits="2", target_label="模块乙")
    assert exc.value.fields[0].code == "beyond_balance"
    from jineng.certificates.services import certificate_revoke

    certificate_revoke(actor=bank.province, certificate=cert, reason="证书信息有误，撤销")
    _derive(bank, person)  # the certificate's credits are reversed while the request waits
    with pytest.raises(DomainError) as exc:
        services.conversion_decide(actor=bank.reviewer, conversion=a, approve=True)
    assert exc.value.fields[0].code == "beyond_balance"
    assert Conversion.objects.get(pk=a.pk).status == "pending"
    assert not CreditEntry.objects.filter(kind="convert").exists()
    assert services.balance_of(person.pk)["certificate"] == Decimal("0")


@pytest.mark.parametrize(
    ("kw", "field", "code"),
    [
        ({"target": "holiday"}, "target", "bad_target"),
        ({"target_label": ""}, "target_label", "bad_target"),
        ({"reason": "x"}, "reason", "reason_required"),
        ({"credits": "-1"}, "credits", "bad_credits"),
        ({"category": "sport"}, "category", "unknown_category"),
        ({"consent_method": ""}, "consent_method", "consent_required"),
        ({"consent_method": "phone_call"}, "consent_method", "consent_required"),
        ({"consent_ref": "x"}, "consent_ref", "consent_required"),
        ({"consent_on": None}, "consent_on", "consent_required"),
        ({"consent_on": timezone.localdate() + dt.timedelta(days=1)}, "consent_on", "consent_required"),
        ({"consent_on": timezone.localdate() - dt.timedelta(days=91)}, "consent_on", "consent_required"),
    ],
)
def test_a_bad_conversion_is_refused_and_named(bank, kw, field, code):
    person = make_person()
    with pytest.raises(DomainError) as exc:
        _ask(bank, person, **kw)
    assert (exc.value.fields[0].field, exc.value.fields[0].code) == (field, code)
    assert not Conversion.objects.exists()


def test_the_archive_shows_the_entries(bank):
    from jineng.registry.api import archive_entries

    person = make_person()
    certificate(bank.province, person, level="grade5")
    _derive(bank, person)
    titles = [e.title for e in archive_entries(person) if e.source == "credits"]
    assert titles == ["技能学分获得 +2.0 （证书）"]


# ---- property: no sequence of requests and decisions drains a person ----------------------------------------------


@pytest.fixture
def stocked(bank):
    """A person with 4 certificate credits and 3 recognized training credits."""
    person = make_person()
    cert = certificate(bank.province, person, level="grade4")
    _derive(bank, person)
    services.recognition_decide(actor=bank.reviewer, recognition=_request(bank, person, credits="3"), approve=True)
    return person, cert


_op = st.one_of(
    st.tuples(st.just("ask"), st.integers(0, 2), st.integers(1, 50), st.integers(0, 2),
              st.sampled_from(["", "training", "certificate"]), st.booleans()),
    st.tuples(st.just("approve"), st.integers(0, 2), st.integers(0, 9)),
    st.tuples(st.just("reject"), st.integers(0, 2), st.integers(0, 9)),
    st.tuples(st.just("revoke")),
)  # fmt: skip


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(_op, max_size=10))
def test_property_the_balance_never_goes_negative_and_no_credit_is_spent_twice(bank, stocked, ops):
    from django.db import transaction

    from jineng.certificates.services import certificate_revoke

    person, cert = stocked
    officials = [bank.county, bank.reviewer, bank.province]
    with transaction.atomic():
        asked: list[Conversion] = []
        for op in ops:
            try:
                if op[0] == "ask":
                    _, who, tenths, label, category, theory = op
                    target = {"target": "theory_waiver"} if theory else {"credits": Decimal(tenths) / 10}
                    asked.append(_ask(bank, person, actor=officials[who], target_label=f"模块{label}",
                                      category=category, **target))  # fmt: skip
                elif op[0] == "revoke":
                    certificate_revoke(actor=bank.province, certificate=cert, reason="证书信息有误，撤销")
                    _derive(bank, person)
                elif asked:
                    _, who, index = op
                    services.conversion_decide(actor=officials[who], conversion=asked[index % len(asked)],
                                               approve=op[0] == "approve", reason="本人撤回申请")  # fmt: skip
            except (DomainError, PermissionDenied):
                pass
            assert all(v >= 0 for v in services.balance_of(person.pk).values())
            assert all(lot.remaining >= 0 for lot in services.lots_of(person.pk))  # no lot spent beyond itself
            for c in Conversion.objects.filter(person=person):
                spent = -sum((e.credits for e in CreditEntry.objects.filter(conversion=c)), Decimal("0"))
                assert spent == (c.credits if c.status == "approved" else 0)  # spent once, and only when approved
                assert c.status != "approved" or c.decided_by_id != c.created_by_id
            done = Conversion.objects.filter(person=person, status__in=["pending", "approved"])
            assert done.count() == len({(c.target, c.target_key) for c in done})
        transaction.set_rollback(True)
