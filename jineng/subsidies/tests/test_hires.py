"""新招用职工 and the claim forms of issue 15: an enterprise records a hire (found or registered by ID number) and
files its 以工代训 claim from it; the demo's policy versions are in force for every date of the demo world; a worker
is offered only the subsidies an individual can file, starting from what they can claim for."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from jineng.registry.api import EmploymentRecord, Person
from jineng.rules.certificates import display_number, format_number
from jineng.subsidies.models import Claim
from jineng.subsidies.tests.conftest import TODAY, id_number

pytestmark = pytest.mark.django_db


def _hire_form(**kw: str) -> dict[str, str]:
    hired = TODAY - dt.timedelta(days=100)
    form = {"id_number": id_number("440104", dt.date(1999, 1, 1)), "name": "新职工甲", "group": "unemployed",
            "hired_on": hired.isoformat(), "contract_months": "24", "insured_from": hired.isoformat()}  # fmt: skip
    form.update(kw)
    return form


def test_demo_policies_are_in_force_for_a_hire_of_last_year_and_today(db):
    """The 以工代训 demo version started on 1 January 2026: a hire of 2025 was refused “没有有效的以工代训补贴政策版本”."""
    from jineng.subsidies.demo import load_policies
    from jineng.subsidies.demo_policies import DEMO_WORLD_START
    from jineng.subsidies.services.policies import policy_for

    load_policies()
    assert load_policies() == 0  # idempotent: published versions may not overlap
    for day in (DEMO_WORLD_START, dt.date(TODAY.year - 1, 6, 1), TODAY):
        for subsidy_type in ("work_for_training", "training"):
            version = policy_for(subsidy_type, "440104", day)
            assert version.valid_from <= day
    assert "演示假定" in policy_for("work_for_training", "440104", TODAY).note


def test_enterprise_records_a_hire_and_files_its_claim(world, client):
    client.force_login(world.hr)
    assert client.get("/subsidies/hires/").status_code == 200
    form = client.get("/subsidies/hires/new/")
    assert form.status_code == 200 and "劳动合同期限" in form.content.decode()
    posted = _hire_form()
    made = client.post("/subsidies/hires/new/", posted)
    record = EmploymentRecord.objects.get(employer_credit_code=world.enterprise.credit_code)
    assert made.status_code == 302 and f"event_ref={record.pk}" in made["Location"]
    assert record.contract_months == 24 and record.insured_from == dt.date.fromisoformat(posted["insured_from"])
    person = record.person
    assert person.name == "新职工甲" and person.memberships.filter(group="unemployed").exists()

    claim_form = client.get(made["Location"]).content.decode()
    assert f'<option value="{record.pk}" selected>' in claim_form and 'value="enterprise" selected' in claim_form
    submitted = client.post("/subsidies/new/", {
        "subsidy_type": "work_for_training", "event_ref": str(record.pk), "applicant_kind": "enterprise",
        "applicant_org": str(world.enterprise.pk), "months": "3", "payee_bank": "工商银行",
        "payee_account": "6222020200012345678", "op": "submit",
    })  # fmt: skip
    claim = Claim.objects.get(event_key=f"employment:{record.pk}")
    assert submitted.status_code == 302 and claim.amount_fen == 150000
    listed = client.get("/subsidies/hires/").content.decode()
    assert "新职工甲" in listed and claim.number in listed

    # The same person hired again on the same day: refused, nothing written.
    again = client.post("/subsidies/hires/new/", posted)
    assert again.status_code == 200 and "已登记" in again.content.decode()
    assert EmploymentRecord.objects.filter(person=person).count() == 1


def test_a_known_person_is_found_by_id_number_and_name(world, client):
    from jineng.common.errors import ValidationFailed
    from jineng.registry.api import person_create
    from jineng.subsidies.services.hires import HireInput, hire_record

    number = id_number("440104", dt.date(1991, 2, 3))
    known = person_create(actor="test", name="老职工乙", id_number=number, residence_region="440104",
                          check_permission=False)  # fmt: skip
    data = HireInput(organization_id=world.enterprise.pk, id_number=number, name="老职工乙", hired_on=TODAY,
                     contract_months=0, insured_from=TODAY)  # fmt: skip
    record = hire_record(actor=world.hr, data=data)
    assert record.person_id == known.pk and Person.objects.filter(name="老职工乙").count() == 1
    with pytest.raises(ValidationFailed) as exc:  # the number alone named its holder (attack finding, HIGH)
        hire_record(actor=world.hr, data=HireInput(
            organization_id=world.enterprise.pk, id_number=number, hired_on=TODAY - dt.timedelta(days=1),
            contract_months=0, insured_from=TODAY,
        ))  # fmt: skip
    assert exc.value.fields[0].field == "name"
    client.force_login(world.hr)
    for name in ("", "别人"):
        page = client.post("/subsidies/hires/new/", _hire_form(id_number=number, name=name)).content.decode()
        assert "老职工乙" not in page and "已登记" not in page
    assert "姓名与证件号码不符" in page
    assert EmploymentRecord.objects.filter(person=known).count() == 1


def test_a_hire_is_recorded_only_for_the_users_own_enterprise(world, client, make_org):
    other = make_org(region="440104", kind="enterprise")
    client.force_login(world.hr)
    page = client.post("/subsidies/hires/new/", _hire_form(organization=str(other.pk))).content.decode()
    assert "请选择本企业" in page
    assert not EmploymentRecord.objects.filter(
        employer_credit_code__in=[other.credit_code, world.enterprise.credit_code]
    ).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"contract_months": ""}, "劳动合同期限"),
        ({"insured_from": ""}, "参保"),
        ({"hired_on": (TODAY + dt.timedelta(days=3)).isoformat()}, "招用日期不能晚于今天"),
        ({"name": ""}, "请填写姓名"),
        ({"group": "college_graduate"}, "毕业年度"),
        ({"id_number": "440104199901011234"}, "证件号码"),
    ],
)
def test_a_hire_with_a_missing_or_wrong_fact_is_refused_with_the_reason(world, client, change, message):
    client.force_login(world.hr)
    page = client.post("/subsidies/hires/new/", _hire_form(**change))
    assert page.status_code == 200 and message in page.content.decode()
    assert not EmploymentRecord.objects.exists() and not Person.objects.filter(name="新职工甲").exists()


def test_only_an_enterprise_records_hires(world, client):
    client.force_login(world.staff)  # a provider's staff
    assert client.get("/subsidies/hires/").status_code == 403
    assert client.post("/subsidies/hires/new/", _hire_form()).status_code == 403
    assert not EmploymentRecord.objects.exists()


def test_a_worker_is_offered_only_what_an_individual_can_file(world, client, make_user, person, certificate):
    """Before: every type was offered (职业培训补贴 of Guangdong is paid to the provider; 以工代训 and 学徒制 to an
    enterprise), starting with 职业培训补贴 as 培训机构 — a worker could only fail."""
    li = person(name="李明", region="440106")
    cert = certificate(li)
    cert.number = format_number("440106", TODAY.year, "skill_level", 123)
    cert.save()
    worker = make_user("worker")
    worker.person_id = li.pk
    worker.save()
    client.force_login(worker)
    page = client.get("/subsidies/new/")
    body = page.content.decode()
    offered = page.context["types"]
    assert [code for code, _label in offered] == ["skill_upgrade", "ui_skill_upgrade"], offered
    assert page.context["subsidy_type"] == "skill_upgrade"  # they hold a certificate to claim for
    assert page.context["applicant_kinds"] == [("person", "个人")]
    assert page.context["posted"]["insurance_region"] == "440106"
    # The certificate number as certificates print it.
    assert display_number(cert.number) in body and f">{cert.number}" not in body
    checked = client.post("/subsidies/new/", {"subsidy_type": "skill_upgrade", "event_ref": str(cert.pk),
                                              "applicant_kind": "person", "insurance_region": "440106", "op": "check"})  # fmt: skip
    text = checked.content.decode()
    assert "预审结果" in text and f"证书 {display_number(cert.number)}" in text and cert.number not in text
    # A type the worker cannot file, asked for by URL, falls back to one they can.
    assert client.get("/subsidies/new/?type=work_for_training").context["subsidy_type"] == "skill_upgrade"


def test_a_claimed_certificate_is_labelled_as_certificates_print_it(world, person, certificate):
    from jineng.subsidies.facts import certificate_event

    li = person(name="李明", region="440106")
    cert = certificate(li)
    cert.number = format_number("440106", TODAY.year, "skill_level", 7)
    cert.save()
    event = certificate_event(cert.pk)
    assert event is not None and event.label == f"证书 {display_number(cert.number)}"


def test_a_worker_starts_on_what_passes_the_checks(world, client, make_user, person, certificate, enrollment):
    """The demo's 李明 started on 生活费补贴 for his class (the first type with an unclaimed event), which pays only
    some groups — he is 失业人员 — so the form led to a refusal; his certificate's 技能提升补贴 passes."""
    from jineng.subsidies.demo_policies import _living
    from jineng.subsidies.tests.conftest import publish

    publish("440000", _living())
    li = person(name="李明", region="440106")
    enrollment(li)
    cert = certificate(li)
    worker = make_user("worker")
    worker.person_id = li.pk
    worker.save()
    client.force_login(worker)
    page = client.get("/subsidies/new/")
    assert [code for code, _label in page.context["types"]] == ["living", "skill_upgrade", "ui_skill_upgrade"]
    assert page.context["subsidy_type"] == "skill_upgrade"
    assert page.context["posted"]["event_ref"] == str(cert.pk)
    # Asked for 生活费补贴, the form still offers his class (and 预审 says why it is refused).
    living = client.get("/subsidies/new/?type=living")
    assert living.context["subsidy_type"] == "living" and len(living.context["events"]) == 1


def test_a_worker_with_nothing_to_claim_is_told_why_to_pre_check(world, client, make_user, person, enrollment):
    from jineng.subsidies.demo_policies import _living
    from jineng.subsidies.tests.conftest import publish

    publish("440000", _living())
    li = person(name="李明", region="440106")
    enrollment(li)  # 生活费补贴 pays groups he is not in
    worker = make_user("worker")
    worker.person_id = li.pk
    worker.save()
    client.force_login(worker)
    page = client.get("/subsidies/new/")
    assert page.context["nothing_passes"] is True
    assert 'id="nothing-passes"' in page.content.decode()


def test_only_hires_the_rules_take_are_offered_for_work_based_training(world, client):
    """Issue 15: the demo's apprentices, hired in 2024 and in none of the 以工代训 groups, were offered for it. A hire
    is offered when a version is in force on its date and the person was in one of its groups that day."""
    from jineng.registry.api import employment_add, person_create

    def hire(name: str, born: dt.date, on: dt.date, group: str | None) -> EmploymentRecord:
        person = person_create(
            actor="test", name=name, id_number=id_number("440104", born), residence_region="440104",
            groups=[_Group(group=group, valid_from=on - dt.timedelta(days=60))] if group else [],
            check_permission=False,
        )  # fmt: skip
        return employment_add(actor="test", person=person, status="employed", started_on=on,
                              employer_name=world.enterprise.name, employer_credit_code=world.enterprise.credit_code,
                              source="测试", contract_months=24, insured_from=on)  # fmt: skip

    offered = hire("失业甲", dt.date(1990, 1, 2), TODAY - dt.timedelta(days=90), "unemployed")
    apprentice = hire("学徒乙", dt.date(2001, 3, 4), TODAY - dt.timedelta(days=90), None)
    too_early = hire("早年丙", dt.date(1975, 5, 6), dt.date(1998, 3, 1), "unemployed")  # before any version
    client.force_login(world.hr)
    listed = client.get("/subsidies/hires/").content.decode()
    assert listed.count("申请以工代训补贴</a>") == 1
    assert "招用时不属于以工代训补贴对象" in listed and "不在以工代训补贴政策的执行期内" in listed
    form = client.get("/subsidies/new/?type=work_for_training").content.decode()
    assert str(offered.pk) in form and str(apprentice.pk) not in form and str(too_early.pk) not in form


@dataclasses.dataclass(frozen=True)
class _Group:
    group: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    graduation_year: int | None = None
    source: str = "测试"
    evidence: str = ""


def test_the_enterprise_claim_form_offers_its_account_on_file_and_keeps_its_precheck_on_error(world, client):
    # the walk (issue 15): the 以工代训 form offered no account on file and lost the 预审 when the submit was refused
    client.force_login(world.hr)
    posted = _hire_form()
    first = client.post("/subsidies/hires/new/", posted)
    record = EmploymentRecord.objects.get(employer_credit_code=world.enterprise.credit_code)
    form = {"subsidy_type": "work_for_training", "event_ref": str(record.pk), "applicant_kind": "enterprise",
            "applicant_org": str(world.enterprise.pk), "months": "3", "payee_bank": "工商银行",
            "payee_account": "12", "note": "三月份", "op": "submit"}  # fmt: skip
    refused = client.post("/subsidies/new/", form).content.decode()
    assert not Claim.objects.exists()
    assert 'value="12"' in refused and 'value="三月份"' in refused and 'value="3"' in refused  # what was typed
    assert "预审结果" in refused and "8–30" in refused  # the precheck beside the refusal
    made = client.post("/subsidies/new/", {**form, "payee_account": "6222020200012345678"})
    assert made.status_code == 302 and first.status_code == 302
    claim = Claim.objects.get()
    # a second hire: the account the first claim used is offered (masked), and picking it pays there
    second = client.post("/subsidies/hires/new/", {**_hire_form(), "name": "新职工丙"})
    record2 = EmploymentRecord.objects.exclude(pk=record.pk).get()
    page = client.get(second["Location"]).content.decode()
    assert 'id="payee-accounts"' in page and claim.payee_account_masked in page and "6222020200012345678" not in page
    client.post("/subsidies/new/", {**form, "event_ref": str(record2.pk), "payee_bank": "", "payee_account": "",
                                    "payee_from": str(claim.pk)})  # fmt: skip
    again = Claim.objects.exclude(pk=claim.pk).get()
    assert (again.payee_bank, again.payee_account_masked) == ("工商银行", claim.payee_account_masked)
