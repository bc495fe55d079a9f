"""培训补贴按班级申请: a completed class's provider picks its completed enrollments (all eligible by default) and
submits one claim per enrollment through the claim service; each row's result is shown, a refused row writes
nothing and does not stop the others; a claimed enrollment is not offered again. Replaces typing an enrollment UUID
into the claim form."""

from __future__ import annotations

import pytest

from jineng.subsidies.models import Claim

pytestmark = pytest.mark.django_db


def _class_of_three(world, person, enrollment):
    from jineng.training.models import Enrollment

    good = enrollment(person("王合格"), attendance_bp=9500, hours=80)
    tc = good.training_class
    low = Enrollment.objects.create(
        training_class=tc, person=person("李缺勤"), region_id="440106", organization=world.provider,
        status="finished", source="api", enrolled_on=good.enrolled_on, person_name="李缺勤",
        id_number_masked="4401**********2222", credited_hours=80, creditable_hours=100, attendance_rate_bp=7000,
        result="passed", completed_on=good.completed_on,
    )  # fmt: skip
    failed = Enrollment.objects.create(
        training_class=tc, person=person("赵不合格"), region_id="440106", organization=world.provider,
        status="finished", source="api", enrolled_on=good.enrolled_on, person_name="赵不合格",
        id_number_masked="4401**********3333", credited_hours=10, creditable_hours=100, attendance_rate_bp=1000,
        result="failed", completed_on=good.completed_on,
    )  # fmt: skip
    return tc, good, low, failed


def test_a_class_claims_its_completed_enrollments_in_one_batch(world, person, enrollment, client):
    tc, good, low, failed = _class_of_three(world, person, enrollment)
    client.force_login(world.staff)
    url = f"/subsidies/classes/{tc.pk}/claims/"
    page = client.get(url).content.decode()
    # Passed enrollments are offered, checked by default; the failed one is shown but cannot be picked.
    assert f'value="{good.pk}"' in page and f'value="{low.pk}"' in page and f'value="{failed.pk}"' not in page
    assert page.count(" checked") == 2 and "结业不合格" in page
    response = client.post(url, {"enrollment": [str(good.pk), str(low.pk), str(failed.pk)],
                                 "payee_bank": "建设银行", "payee_account": "6217003320001234567"})  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200
    claim = Claim.objects.get()
    assert claim.enrollment_id == good.pk and claim.applicant_org_id == world.provider.pk
    assert claim.number in body and "已提交 1 份" in body and "未提交 1 人" in body
    assert "李缺勤" in body and "出勤率" in body  # the refused row with the claim check's reason
    # Claimed: not offered again; a second post creates nothing twice.
    again = client.post(url, {"enrollment": [str(good.pk)], "payee_bank": "建设银行",
                              "payee_account": "6217003320001234567"})  # fmt: skip
    assert again.status_code == 200 and Claim.objects.count() == 1
    assert f'value="{good.pk}"' not in client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    assert "Training subsidy claims for the class" in client.get(url).content.decode()


def test_only_the_classes_provider_may_claim_and_only_after_completion(world, person, enrollment, client, make_org,
                                                                       make_user):  # fmt: skip
    from jineng.training.models import TrainingClass

    tc, *_rest = _class_of_three(world, person, enrollment)
    url = f"/subsidies/classes/{tc.pk}/claims/"
    other = make_user("provider_staff", organization=make_org("440106", "provider", "别的学校"), username="other")
    client.force_login(other)
    assert client.get(url).status_code in (403, 404)
    client.force_login(world.tianhe)  # an official sees the class but does not apply for the provider
    assert client.get(url).status_code == 403
    TrainingClass.objects.filter(pk=tc.pk).update(status="running")
    client.force_login(world.staff)
    assert client.get(url).status_code == 403
    assert Claim.objects.count() == 0


def test_the_providers_registered_account_is_offered_masked_and_a_rejected_claim_may_be_refiled(
    world, person, enrollment, client
):
    """The walk found the account never prefilled (typed again for every class) and a rejected trainee shown as
    未申请: the accounts of the provider's earlier claims are offered (masked; the number stays on the server), and
    a rejected claim shows 已驳回 with its reason and may be claimed again."""
    from jineng.subsidies.services.review import claim_reject

    tc, good, _low, _failed = _class_of_three(world, person, enrollment)
    client.force_login(world.staff)
    url = f"/subsidies/classes/{tc.pk}/claims/"
    assert 'name="payee_from"' not in client.get(url).content.decode().replace('type="hidden" name="payee_from"', "")
    client.post(url, {"enrollment": [str(good.pk)], "payee_bank": "中国建设银行广州天河支行",
                      "payee_account": "6217003320001234567"})  # fmt: skip
    first = Claim.objects.get()
    claim_reject(actor=world.tianhe, claim=first, reason="培训合格证书复印件不清晰")
    page = client.get(url).content.decode()
    assert "已驳回" in page and "培训合格证书复印件不清晰" in page and first.number in page
    assert f'value="{good.pk}"' in page  # offered again, not checked by default
    assert f'value="{good.pk}" id="pick-{good.pk}" aria-label="王合格" checked' not in page
    # The registered account, masked and picked by default; its number never reaches the page.
    assert "中国建设银行广州天河支行" in page and first.payee_account_masked in page
    assert "6217003320001234567" not in page
    assert f'value="{first.pk}" checked' in page
    response = client.post(url, {"enrollment": [str(good.pk)], "payee_from": str(first.pk)})
    assert response.status_code == 200 and "已提交 1 份" in response.content.decode()
    again = Claim.objects.exclude(pk=first.pk).get()
    assert again.enrollment_id == good.pk and again.status != "rejected"
    assert (again.payee_bank, again.payee_account_masked) == (first.payee_bank, first.payee_account_masked)
    assert again.payee_account_enc and again.payee_account_enc != ""


def test_an_unknown_account_cannot_be_picked(world, person, enrollment, client):
    """payee_from names one of this provider's registered accounts only: any other id falls back to the typed
    fields (here empty: refused with the reason, nothing written)."""
    tc, good, _low, _failed = _class_of_three(world, person, enrollment)
    client.force_login(world.staff)
    before = Claim.objects.count()
    response = client.post(f"/subsidies/classes/{tc.pk}/claims/", {
        "enrollment": [str(good.pk)], "payee_from": "00000000-0000-0000-0000-000000000000"})  # fmt: skip
    assert response.status_code == 200 and "未提交 1 人" in response.content.decode()
    assert Claim.objects.count() == before
