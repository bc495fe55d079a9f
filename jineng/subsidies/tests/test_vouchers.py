"""Vouchers (职业培训券): issued by group or on application, taken up by the holder, used once at a listed provider for
a listed program by the holder in person before expiry, redeemed; counts issued/claimed/used/redeemed."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from jineng.common.errors import DomainError
from jineng.registry.services.persons import MembershipInput
from jineng.subsidies.models import Voucher
from jineng.subsidies.services import vouchers
from jineng.subsidies.tests.conftest import TODAY, credit_code, id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(world, make_user) -> SimpleNamespace:
    """A provider listed for 计算机程序设计员 四级 employment training and a listed program (through providers' services)."""
    from jineng.providers.services.catalog import (
        ScopeInput,
        application_create,
        application_decide,
        application_review,
        application_submit,
    )
    from jineng.providers.services.organizations import LicenceData, ProfileData, profile_create
    from jineng.providers.services.programs import ProgramData, catalog_list, program_create

    def provider(name: str) -> SimpleNamespace:
        profile = profile_create(
            actor=world.province, kind="provider", name=name, credit_code=credit_code("440106"), region_code="440106",
            data=ProfileData(provider_type="private_training", address="广州市天河区某路1号", contact_phone="13800138000"),
            licence=LicenceData(number=f"人社民{name}", issuer="广州市人社局", valid_from=dt.date(2020, 1, 1),
                                valid_until=TODAY + dt.timedelta(days=900), items=[("4-04-05-01", "grade3")]),
        )  # fmt: skip
        staff = make_user("provider_staff", organization=profile.organization)
        app = application_create(actor=staff, profile=profile, capacity_per_year=100,
                                 scope=[ScopeInput("4-04-05-01", "grade4", "employment")])  # fmt: skip
        application_submit(actor=staff, application=app)
        application_review(actor=world.city, application=app, passed=True, opinion="同意")
        application_decide(actor=world.province, application=app, approved=True, document_number="粤人社函9号")
        return SimpleNamespace(org=profile.organization, staff=staff)

    program = program_create(actor=world.province, data=ProgramData(
        code="GD-V-1", name="计算机程序设计员（四级）", occupation="4-04-05-01", level="grade4", training_kind="employment",
        hours_theory=40, hours_practice=40, delivery="offline", subsidy_category="A", region="440000"))  # fmt: skip
    catalog_list(actor=world.province, region_code="440000", valid_from=TODAY - dt.timedelta(days=1), program=program)
    return SimpleNamespace(a=provider("甲校"), b=provider("乙校"), program=program)


def holder(group: str = "unemployed", region: str = "440106") -> tuple[object, str]:
    from jineng.registry.services.persons import person_create

    number = id_number(region)
    person = person_create(actor="test", name="持券人", id_number=number, residence_region=region,
                           groups=[MembershipInput(group=group, valid_from=TODAY - dt.timedelta(days=100))],
                           check_permission=False)  # fmt: skip
    return person, number


def issue(world, **kw):
    data = dict(region_code="440100", kind="general", title="广州市职业培训券", valid_from=TODAY - dt.timedelta(days=1),
                valid_until=TODAY + dt.timedelta(days=90), quantity=10, face_value_fen=80000, groups=["unemployed"])  # fmt: skip
    data.update(kw)
    return vouchers.voucher_issue_create(actor=world.city, data=vouchers.IssueData(**data))


def test_issue_to_group_claim_use_once_redeem_and_counts(world, listed, make_user):
    p1, n1 = holder()
    holder("migrant_worker")  # not in the group
    holder(region="440303")  # outside 广州
    iss = issue(world)
    assert vouchers.vouchers_issue_to_group(actor=world.city, issue=iss) == 1
    assert vouchers.vouchers_issue_to_group(actor=world.city, issue=iss) == 0  # nobody twice
    v = Voucher.objects.get(issue=iss)
    assert v.person_id == p1.pk and v.state == "issued" and v.region_id == "440100"
    worker = make_user("worker")
    worker.person_id = p1.pk
    worker.save()
    v = vouchers.voucher_claim(actor=worker, voucher=v)
    used = vouchers.voucher_use(actor=listed.a.staff, code=v.code, holder_id_number=n1, organization=listed.a.org,
                                program=listed.program)  # fmt: skip
    assert used.state == "used" and used.value_fen == 80000
    with pytest.raises(DomainError) as err:
        vouchers.voucher_use(actor=listed.a.staff, code=v.code, holder_id_number=n1, organization=listed.a.org,
                             program=listed.program)  # fmt: skip
    assert err.value.code == "voucher_wrong_state"
    vouchers.voucher_redeem(actor=world.city, voucher=used)
    assert vouchers.issue_counts([iss.pk])[iss.pk] == {"issued": 1, "claimed": 1, "used": 1, "redeemed": 1}
    from jineng.registry.api import archive_entries

    assert any(e.kind == "voucher" for e in archive_entries(p1))


def test_not_transferable_directed_and_expiry(world, listed):
    p1, n1 = holder()
    _p2, n2 = holder()
    directed = issue(world, kind="directed", providers=[str(listed.a.org.pk)], groups=[])
    v = vouchers.voucher_apply(actor=world.city, issue=directed, person=p1)
    assert v.state == "claimed" and v.source == "application"
    with pytest.raises(DomainError) as err:
        vouchers.voucher_use(actor=listed.a.staff, code=v.code, holder_id_number=n2, organization=listed.a.org,
                             program=listed.program)  # fmt: skip
    assert err.value.code == "voucher_not_holder"
    with pytest.raises(DomainError) as err:
        vouchers.voucher_use(actor=listed.b.staff, code=v.code, holder_id_number=n1, organization=listed.b.org,
                             program=listed.program)  # fmt: skip
    assert err.value.code == "voucher_provider_not_allowed"
    with pytest.raises(DomainError) as err:  # staff of one provider cannot use a voucher "at" another
        vouchers.voucher_use(actor=listed.b.staff, code=v.code, holder_id_number=n1, organization=listed.a.org,
                             program=listed.program)  # fmt: skip
    assert err.value.status == 403
    from jineng.subsidies.models import VoucherIssue

    VoucherIssue.objects.filter(pk=directed.pk).update(valid_until=TODAY - dt.timedelta(days=1),
                                                       valid_from=TODAY - dt.timedelta(days=30))  # fmt: skip
    with pytest.raises(DomainError) as err:
        vouchers.voucher_use(actor=listed.a.staff, code=v.code, holder_id_number=n1, organization=listed.a.org,
                             program=listed.program)  # fmt: skip
    assert err.value.code == "voucher_expired"
    assert Voucher.objects.get(pk=v.pk).state == "expired"


def test_discount_voucher_value_and_eligibility(world, listed):
    p1, n1 = holder()
    p2, _n2 = holder("migrant_worker")
    disc = issue(world, kind="discount", face_value_fen=0, discount_percent=50)
    with pytest.raises(DomainError) as err:
        vouchers.voucher_apply(actor=world.city, issue=disc, person=p2)
    assert err.value.code == "voucher_not_eligible"
    v = vouchers.voucher_apply(actor=world.city, issue=disc, person=p1)
    with pytest.raises(DomainError):
        vouchers.voucher_apply(actor=world.city, issue=disc, person=p1)
    used = vouchers.voucher_use(actor=listed.a.staff, code=v.code, holder_id_number=n1, organization=listed.a.org,
                                program=listed.program, fee_fen=150001)  # fmt: skip
    assert used.value_fen == 75001  # 50 % of 1500.01 元, half up to the fen


@pytest.mark.parametrize(
    ("kw", "code"),
    [
        ({"kind": "directed", "providers": []}, "directed_one_target"),
        ({"kind": "face_value", "face_value_fen": 0}, "required"),
        ({"kind": "check_in", "face_value_fen": 100}, "check_in_no_value"),
        ({"valid_until": TODAY - dt.timedelta(days=5)}, "bad_range"),
    ],
)
def test_bad_voucher_issues_refused(world, kw, code):
    with pytest.raises(DomainError) as err:
        issue(world, **kw)
    assert err.value.fields[0].code == code


def test_vouchers_api_lists_counts(world, api):
    iss = issue(world)
    body = api(world.city).get(f"/api/v1/voucher-issues/{iss.pk}").json()
    assert body["counts"] == {"issued": 0, "claimed": 0, "used": 0, "redeemed": 0} and body["kind_label"] == "通用券"
    assert api(world.luohu).get(f"/api/v1/voucher-issues/{iss.pk}").status_code == 404
    _ = credit_code


def test_a_worker_finds_their_vouchers_under_their_own_menu_entry(world, make_user, client):
    """我的培训券 — a worker's vouchers had no entry of their own (only inside 我的补贴: walk of issue 15)."""
    person, _number = holder()
    iss = issue(world)
    vouchers.vouchers_issue_to_group(actor=world.city, issue=iss)
    worker = make_user("worker")
    worker.person_id = person.pk
    worker.save()
    client.force_login(worker)
    assert 'href="/subsidies/vouchers/mine/"' in client.get("/").content.decode()
    page = client.get("/subsidies/vouchers/mine/").content.decode()
    assert Voucher.objects.get(issue=iss).code in page and "广州市职业培训券" in page and "领用" in page
    client.force_login(make_user("worker", username="nobody"))
    assert "暂无培训券" in client.get("/subsidies/vouchers/mine/").content.decode()


def _used_voucher(world, listed, make_user):
    p1, n1 = holder()
    iss = issue(world)
    vouchers.vouchers_issue_to_group(actor=world.city, issue=iss)
    v = Voucher.objects.get(issue=iss)
    worker = make_user("worker")
    worker.person_id = p1.pk
    worker.save()
    vouchers.voucher_claim(actor=worker, voucher=v)
    used = vouchers.voucher_use(actor=listed.a.staff, code=v.code, holder_id_number=n1, organization=listed.a.org,
                                program=listed.program)  # fmt: skip
    return p1, used


def _trained_at(enrollment_of, person, listed):
    """The holder's finished enrollment in a class of the voucher's program at the provider where it was used."""
    from jineng.training.models import Enrollment, TrainingClass

    e = enrollment_of(person)
    TrainingClass.objects.filter(pk=e.training_class_id).update(program=listed.program, organization=listed.a.org)
    Enrollment.objects.filter(pk=e.pk).update(organization=listed.a.org)
    return e


def test_redeeming_makes_one_training_claim_and_the_same_training_is_never_paid_twice(
    world, listed, make_user, enrollment
):
    from jineng.subsidies.errors import ClaimRefused
    from jineng.subsidies.models import Claim
    from jineng.subsidies.services.claims import ClaimInput, claim_submit

    p1, used = _used_voucher(world, listed, make_user)
    e = _trained_at(enrollment, p1, listed)
    vouchers.voucher_redeem(actor=world.city, voucher=used)
    claim = Claim.objects.get(event_key=f"voucher:{used.pk}")
    assert (claim.status, claim.subsidy_type, claim.event_kind) == ("submitted", "training", "voucher")
    assert (claim.amount_fen, claim.payee_org_id, claim.region_id) == (80000, listed.a.org.pk, "440106")
    assert claim.enrollment_id == e.pk and f"enrollment:{e.pk}" in claim.event_keys
    # the provider's own training-subsidy claim for the same enrollment is refused as a duplicate
    data = ClaimInput(subsidy_type="training", event_ref=str(e.pk), applicant_kind="provider",
                      applicant_org_id=listed.a.org.pk, payee_bank="建设银行", payee_account="6217003320001234567")  # fmt: skip
    with pytest.raises(ClaimRefused) as err:
        claim_submit(actor=listed.a.staff, data=data)
    assert any(line["code"] == "duplicate" and line["outcome"] == "fail" for line in err.value.extra["lines"])
    assert Claim.objects.filter(person=p1).count() == 1


def test_a_voucher_for_training_already_claimed_is_not_redeemed(world, listed, make_user, enrollment):
    from jineng.subsidies.models import Claim
    from jineng.subsidies.services.claims import ClaimInput, claim_submit

    p1, used = _used_voucher(world, listed, make_user)
    e = _trained_at(enrollment, p1, listed)
    data = ClaimInput(subsidy_type="training", event_ref=str(e.pk), applicant_kind="provider",
                      applicant_org_id=listed.a.org.pk, payee_bank="建设银行", payee_account="6217003320001234567")  # fmt: skip
    paid = claim_submit(actor=listed.a.staff, data=data)
    with pytest.raises(DomainError) as err:
        vouchers.voucher_redeem(actor=world.city, voucher=used)
    assert err.value.code == "voucher_already_subsidized" and paid.number in str(err.value)
    used.refresh_from_db()
    assert used.state == "used" and Claim.objects.filter(person=p1).count() == 1  # nothing half-written
