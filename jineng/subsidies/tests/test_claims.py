"""Claims: the facts gathered from the owning apps, the policy version in force, the explained lines stored on the
claim — and the bad input of the issue, each refused with the exact rule and figures and nothing written."""

from __future__ import annotations

import datetime as dt

import pytest

from jineng.common.audit.models import AuditEntry
from jineng.common.errors import DomainError
from jineng.subsidies.errors import ClaimRefused
from jineng.subsidies.models import Claim, ClaimStep
from jineng.subsidies.services.claims import ClaimInput, claim_check, claim_submit
from jineng.subsidies.tests.conftest import TODAY, work_input

pytestmark = pytest.mark.django_db


def lines_by_code(lines):
    return {line["code"]: line for line in lines}


def test_work_for_training_claim_stores_version_inputs_and_lines(world, hire):
    _person, record = hire(group="college_graduate", months=8)
    claim = claim_submit(actor=world.hr, data=work_input(record, world.enterprise))
    assert claim.status == "submitted" and claim.decision == "approve"
    assert claim.region_id == "440104"  # the enterprise's region (ADR 0004)
    assert claim.amount_fen == claim.payable_fen == 6 * 50000
    assert claim.policy_version.region_id == "440000" and claim.policy_version.subsidy_type == "work_for_training"
    lines = lines_by_code(claim.lines)
    assert lines["eligible_group"]["outcome"] == "pass" and "高校毕业生" in lines["eligible_group"]["message"]
    assert lines["employed_by_applicant"]["outcome"] == "pass"
    assert lines["amount_standard"]["figures"] == {"rate_fen": 50000, "units": 6, "max_units": 6, "amount_fen": 300000}
    assert claim.inputs["policy_version"] == str(claim.policy_version_id)
    assert claim.inputs["facts"]["units"] == 6 and claim.inputs["event"]["kind"] == "employment"
    assert claim.payee_account_masked.endswith("5678") and "6222020200012345678" not in claim.payee_account_enc
    assert claim.review_due is not None and claim.review_due > TODAY
    assert ClaimStep.objects.filter(claim=claim, step="submit").exists()
    assert AuditEntry.objects.filter(object_id=str(claim.pk), action="claim.submit").exists()


def test_months_claimed_cannot_exceed_the_months_worked(world, hire):
    _person, record = hire(months=3)
    claim = claim_submit(actor=world.hr, data=work_input(record, world.enterprise, months=6))
    assert lines_by_code(claim.lines)["amount_standard"]["figures"]["units"] in (2, 3)
    assert claim.amount_fen < 300000


def test_second_claim_for_the_same_hire_is_refused_with_the_first_number(world, hire):
    _person, record = hire()
    first = claim_submit(actor=world.hr, data=work_input(record, world.enterprise))
    with pytest.raises(ClaimRefused) as err:
        claim_submit(actor=world.hr, data=work_input(record, world.enterprise))
    duplicate = lines_by_code(err.value.extra["lines"])["duplicate"]
    assert duplicate["outcome"] == "fail" and duplicate["figures"]["claims"] == first.number
    assert Claim.objects.count() == 1


def test_a_person_who_used_this_years_allowance_in_another_region_is_refused(world, hire, approve):
    """Three claims in 深圳 (440303) this year; a fourth in 广州 breaks the 3-a-year cap across regions."""
    from jineng.subsidies.models import Claim as C

    person, record = hire(group="unemployed")
    first = claim_submit(actor=world.hr, data=work_input(record, world.enterprise))
    # Two more of the person's claims this year, attributed to 罗湖 (other types, same counter).
    for n, stype in enumerate(["training", "apprenticeship"]):
        C.objects.create(
            number=f"BT-SZ-{n}", subsidy_type=stype, person=person, person_name=person.name, applicant_kind="person",
            region_id="440303", policy_version=first.policy_version, event_kind="enrollment", event_ref=f"sz{n}",
            event_key=f"enrollment:sz{n}", event_keys=[f"enrollment:sz{n}"], event_date=first.event_date,
            applied_on=first.applied_on, counters=["annual_total"], decision="approve", amount_fen=1, payable_fen=1,
            payee_kind="person", payee_channel="bank_account", payee_name="x", fund_source="employment_fund",
            status="paid",
        )  # fmt: skip
    cert_event = _certificate_for(person, first.event_date)
    data = ClaimInput(subsidy_type="skill_upgrade", event_ref=str(cert_event.pk), applicant_kind="person",
                      insurance_region="440106", payee_account="6217003320001234567")  # fmt: skip
    with pytest.raises(ClaimRefused) as err:
        claim_submit(actor=world.tianhe, data=data)
    cap = [line for line in err.value.extra["lines"] if line["code"] == "annual_cap" and line["outcome"] == "fail"][0]
    assert cap["figures"]["used"] == 3 and cap["figures"]["max"] == 3
    assert "440303" in cap["figures"]["regions"] and "440303" in cap["message"]
    assert "annual_cap" in {f.code for f in err.value.fields}
    assert Claim.objects.filter(subsidy_type="skill_upgrade").count() == 0


def _certificate_for(person, issued_on):
    from jineng.certificates.models import Certificate
    from jineng.refdata.models import Occupation

    occ = Occupation.objects.filter(code="6-18-02-04").first()
    return Certificate.objects.create(
        number=f"S-{person.pk.hex[:10]}", kind_id="skill_level", person=person, holder_name=person.name, occupation=occ,
        occupation_name=occ.name, level_id="grade4", issuer_name="评价中心", issued_on=issued_on, region_id="440106",
        source="import",
    )  # fmt: skip


def test_over_the_cap_setting_of_the_region(world, hire):
    """The cap is a per-region setting: 1 a year in 广东 makes a second subsidy of the year refused."""
    from jineng.refdata.api import setting_set

    setting_set(actor=world.province, key="subsidy.max_per_person_year", region_code="440000", value=1,
                valid_from=dt.date(2000, 1, 1), reason="测试")  # fmt: skip
    person, record = hire()
    claim_submit(actor=world.hr, data=work_input(record, world.enterprise))
    from jineng.registry.services.persons import employment_add

    second = employment_add(actor="test", person=person, status="employed", started_on=record.started_on + dt.timedelta(days=1),
                            employer_name=world.enterprise.name, employer_credit_code=world.enterprise.credit_code,
                            contract_months=12, insured_from=record.started_on + dt.timedelta(days=1))  # fmt: skip
    with pytest.raises(ClaimRefused) as err:
        claim_submit(actor=world.hr, data=work_input(second, world.enterprise))
    codes = {(line["code"], line["outcome"]) for line in err.value.extra["lines"]}
    assert ("annual_cap", "fail") in codes


def test_a_class_with_too_little_attendance_is_refused_with_the_rate(world, person, enrollment):
    trainee = person()
    e = enrollment(trainee, attendance_bp=7250)
    data = ClaimInput(subsidy_type="training", event_ref=str(e.pk), applicant_kind="provider",
                      applicant_org_id=world.provider.pk, payee_bank="建设银行", payee_account="6217003320001234567")  # fmt: skip
    with pytest.raises(ClaimRefused) as err:
        claim_submit(actor=world.staff, data=data)
    attendance = lines_by_code(err.value.extra["lines"])["attendance"]
    assert attendance["outcome"] == "fail"
    assert attendance["figures"] == {"rate_bp": 7250, "min_bp": 8000, "class": e.training_class.code}
    assert "72.50%" in attendance["message"] and "80.00%" in attendance["message"]
    assert Claim.objects.count() == 0


def test_training_claim_attributed_to_the_class_region_with_employment_share(world, person, enrollment):
    trainee = person()
    e = enrollment(trainee, attendance_bp=9500, hours=80)
    data = ClaimInput(subsidy_type="training", event_ref=str(e.pk), applicant_kind="provider",
                      applicant_org_id=world.provider.pk, payee_bank="建设银行", payee_account="6217003320001234567")  # fmt: skip
    claim = claim_submit(actor=world.staff, data=data)
    assert claim.region_id == "440106" and claim.payee_kind == "provider" and claim.payee_name == world.provider.name
    assert (claim.amount_fen, claim.payable_fen, claim.deferred_fen) == (80000, 56000, 24000)
    assert lines_by_code(claim.lines)["attendance"]["outcome"] == "pass"
    assert claim.enrollment_id == e.pk  # the typed column the indicators join on


def test_claim_enrollment_column_and_the_indicator_subquery(world, person, enrollment):
    import importlib

    from jineng.subsidies.api import approved_enrollment_ids
    from jineng.training.models import Enrollment

    e = enrollment(person(), attendance_bp=9500, hours=80)
    data = ClaimInput(subsidy_type="training", event_ref=str(e.pk), applicant_kind="provider",
                      applicant_org_id=world.provider.pk, payee_bank="建设银行", payee_account="6217003320001234567")  # fmt: skip
    claim = claim_submit(actor=world.staff, data=data)
    assert list(Enrollment.objects.filter(pk__in=approved_enrollment_ids())) == []  # submitted: not yet
    Claim.objects.filter(pk=claim.pk).update(status="approved")
    assert list(Enrollment.objects.filter(pk__in=approved_enrollment_ids())) == [e]
    # Rows written before the column existed are filled from their event key by the migration.
    Claim.objects.filter(pk=claim.pk).update(enrollment=None)
    migration = importlib.import_module("jineng.subsidies.migrations.0002_claim_enrollment")
    from django.apps import apps

    migration.fill_enrollment(apps, None)
    assert Claim.objects.get(pk=claim.pk).enrollment_id == e.pk
    assert migration.enrollment_of(["certificate:x", f"enrollment:{e.pk}#employment"]) == e.pk
    assert migration.enrollment_of(["bench:1", "enrollment:not-a-uuid"]) is None


def test_a_provider_cannot_claim_for_another_providers_trainee(world, person, enrollment, make_org, make_user):
    other = make_org("440106", "provider", "别的学校")
    other_staff = make_user("provider_staff", organization=other)
    e = enrollment(person())
    data = ClaimInput(subsidy_type="training", event_ref=str(e.pk), applicant_kind="provider", applicant_org_id=other.pk,
                      payee_bank="x", payee_account="6217003320001234567")  # fmt: skip
    with pytest.raises(DomainError) as err:
        claim_submit(actor=other_staff, data=data)
    assert err.value.status == 403


def test_skill_upgrade_certificate_checked_and_floated(world, person, certificate):
    holder = person(name="王五")
    cert = certificate(holder, level="grade3", occupation="6-18-02-04")
    data = ClaimInput(subsidy_type="skill_upgrade", event_ref=str(cert.pk), applicant_kind="person",
                      insurance_region="440106", payee_account="6217003320001234567")  # fmt: skip
    claim = claim_submit(actor=world.tianhe, data=data)
    assert claim.region_id == "440106" and claim.amount_fen == 260000  # 2000 元 + 30 % (焊工, 高级工)
    assert lines_by_code(claim.lines)["certificate"]["figures"]["number"] == cert.number
    assert lines_by_code(claim.lines)["shortage_float"]["figures"]["after_fen"] == 260000


def test_revoked_certificate_refused_and_mutual_exclusion_with_ui_subsidy(world, person, certificate):
    holder = person(name="赵六")
    revoked = certificate(holder, status="revoked")
    data = ClaimInput(subsidy_type="skill_upgrade", event_ref=str(revoked.pk), applicant_kind="person",
                      insurance_region="440106", payee_account="6217003320001234567")  # fmt: skip
    with pytest.raises(ClaimRefused) as err:
        claim_submit(actor=world.tianhe, data=data)
    assert "已撤销" in lines_by_code(err.value.extra["lines"])["certificate"]["message"]
    valid = certificate(holder, level="grade5", occupation="4-10-01-06")
    ui = ClaimInput(subsidy_type="ui_skill_upgrade", event_ref=str(valid.pk), applicant_kind="person",
                    insurance_region="440106", payee_account="6217003320001234567")  # fmt: skip
    claim_submit(actor=world.tianhe, data=ui)
    with pytest.raises(ClaimRefused) as err:
        claim_submit(actor=world.tianhe, data=ClaimInput(**{**ui.__dict__, "subsidy_type": "skill_upgrade"}))
    assert lines_by_code(err.value.extra["lines"])["mutual_exclusion"]["outcome"] == "fail"


def test_check_evaluates_without_writing(world, hire):
    _person, record = hire()
    prepared = claim_check(actor=world.hr, data=work_input(record, world.enterprise))
    assert prepared.decision.outcome == "approve" and prepared.region_code == "440104"
    assert Claim.objects.count() == 0


def test_ineligible_group_and_wrong_employer(world, hire):
    _p, record = hire(group="migrant_worker")
    with pytest.raises(ClaimRefused) as err:
        claim_submit(actor=world.hr, data=work_input(record, world.enterprise))
    groups = lines_by_code(err.value.extra["lines"])["eligible_group"]["figures"]
    assert (
        "migrant_worker" in groups["held"].split(",")
        and groups["required"] == "employment_difficulty,college_graduate,unemployed"
    )
    _p, record = hire(enterprise=world.shenzhen)
    with pytest.raises(ClaimRefused) as err:
        claim_submit(actor=world.hr, data=work_input(record, world.enterprise))
    assert lines_by_code(err.value.extra["lines"])["employed_by_applicant"]["outcome"] == "fail"


def test_no_policy_in_force(world, hire, make_org, make_user):
    """A 以工代训 hire in 北京 finds no published version for 110101 on that date."""
    from jineng.accounts.models import Organization
    from jineng.subsidies.tests.conftest import credit_code

    org = Organization.objects.create(
        kind="enterprise", name="北京公司", region_id="110101", credit_code=credit_code("110101")
    )
    hr = make_user("enterprise_hr", organization=org)
    _p, record = hire(enterprise=org)
    with pytest.raises(DomainError) as err:
        claim_submit(actor=hr, data=work_input(record, org))
    assert err.value.code == "no_policy"


def test_payee_account_is_required(world, hire):
    _p, record = hire()
    with pytest.raises(DomainError) as err:
        claim_submit(actor=world.hr, data=work_input(record, world.enterprise, payee_account="12"))
    assert err.value.code == "bank_account_bad_format" and Claim.objects.count() == 0


def test_the_claim_is_on_the_persons_archive_once_approved(world, submit_work, approve):
    from jineng.registry.api import archive_entries

    claim = approve(submit_work())
    entries = [e for e in archive_entries(claim.person) if e.kind == "subsidy"]
    assert entries and claim.number in entries[0].detail


def test_a_second_claim_for_the_same_training_is_refused(world, person, enrollment):
    """The provider claimed the training subsidy for an enrollment; the trainee's own claim for it is a duplicate."""
    trainee = person(name="孙八")
    e = enrollment(trainee)
    provider_claim = claim_submit(actor=world.staff, data=ClaimInput(
        subsidy_type="training", event_ref=str(e.pk), applicant_kind="provider", applicant_org_id=world.provider.pk,
        payee_bank="建设银行", payee_account="6217003320001234567"))  # fmt: skip
    with pytest.raises(ClaimRefused) as err:
        claim_submit(actor=world.tianhe, data=ClaimInput(
            subsidy_type="training", event_ref=str(e.pk), applicant_kind="person", payee_bank="农业银行",
            payee_account="6228480000001234567"))  # fmt: skip
    duplicate = lines_by_code(err.value.extra["lines"])["duplicate"]
    assert duplicate["outcome"] == "fail" and duplicate["figures"]["claims"] == provider_claim.number
    assert duplicate["figures"]["event"] == f"enrollment:{e.pk}"
    assert Claim.objects.filter(event_ref=str(e.pk)).count() == 1


def test_a_hire_without_contract_or_insurance_does_not_pass_the_employment_check(world, hire):
    """Issue 15: a hire recorded with the enterprise's credit code alone (no labour contract term, no first day insured)
    passed 与申请单位的劳动关系 and was approved; it now waits for the contract or the insurance record."""
    _person, record = hire(declared=False)
    claim = claim_submit(actor=world.hr, data=work_input(record, world.enterprise))
    line = lines_by_code(claim.lines)["employed_by_applicant"]
    assert line["outcome"] == "needs_evidence" and "劳动合同" in line["message"]
    assert claim.decision != "approve"
    _person, declared = hire(declared=True, name="李四光", born=dt.date(1991, 2, 3))
    line = lines_by_code(claim_submit(actor=world.hr, data=work_input(declared, world.enterprise)).lines)
    assert line["employed_by_applicant"]["outcome"] == "pass"
