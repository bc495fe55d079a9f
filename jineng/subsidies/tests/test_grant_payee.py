"""一次性补助的收款账号核验 (the attack: the requester typed any account, reviewers and finance saw it only masked and
nothing compared it). The account is compared with the host organization's bank-verified accounts (paid before);
a mismatch is flagged on the review page and blocks approval until a person other than the requester and the
approver confirms it with a reason (audited); a reviewer may reveal the full number with a reason (audited)."""

from __future__ import annotations

import pytest

from jineng.common.audit.models import AuditEntry
from jineng.common.errors import DomainError
from jineng.providers.models import TrainingBase
from jineng.subsidies.models import GrantLine, GrantStatus
from jineng.subsidies.services import grants
from jineng.subsidies.tests.conftest import export_bank_file
from jineng.subsidies.tests.test_grants import ACCOUNT, ask

OTHER = "6217000010012345678"


def _base(bases, n):
    return TrainingBase.objects.create(kind="master_studio", name=f"核验工作室{n}", level="provincial",
                                       approval_year=2024, region_id="440106", host=bases.studio.host,
                                       host_name="x")  # fmt: skip


@pytest.fixture
def paid_once(world, bases):
    """The host was paid once on ACCOUNT (a grant the bank confirmed): its verified account."""
    grant = ask(world.staff, bases.studio)
    assert grant.payee_check == "unverified"  # a first payment: nothing to compare, flagged only
    grant = grants.grant_review(actor=world.city, grant=grant, approve=True)
    batch = export_bank_file(world.finance, grants.grant_batch_create(actor=world.finance, grant_ids=[grant.pk]))
    grants.grant_line_confirm(actor=world.cashier, line=GrantLine.objects.get(batch=batch), paid=True,
                              bank_reference="YH-VERIFY-1")  # fmt: skip
    return grant


def test_a_mismatching_account_blocks_approval_until_a_second_person_confirms_it(world, bases, paid_once, client):
    same = ask(world.staff, _base(bases, 1))
    assert same.payee_check == "match"
    assert grants.grant_review(actor=world.city, grant=same, approve=True).status == GrantStatus.APPROVED

    grant = ask(world.staff, bases.base, payee_account=OTHER)
    assert grant.payee_check == "mismatch"
    client.force_login(world.city)
    page = client.get(f"/subsidies/grants/{grant.pk}/").content.decode()
    assert 'data-check="mismatch"' in page and "与已核验账户不一致" in page and 'id="payee-confirm"' in page
    assert OTHER not in page and ACCOUNT not in page  # masked, the verified one too
    with pytest.raises(DomainError) as err:
        grants.grant_review(actor=world.city, grant=grant, approve=True)
    assert err.value.code == "payee_not_confirmed"
    grant.refresh_from_db()
    assert grant.status == GrantStatus.SUBMITTED
    for actor, reason, code in ((world.staff, "核实", "permission_denied"), (world.province, " ", "reason_required"),
                                (world.province, "字" * 501, "too_long")):  # fmt: skip
        with pytest.raises(DomainError) as err:
            grants.grant_payee_confirm(actor=actor, grant=grant, reason=reason)
        assert code in (err.value.code, err.value.fields[0].code if err.value.fields else ""), err.value
    grant = grants.grant_payee_confirm(actor=world.province, grant=grant, reason="核对开户许可证，账户已变更")
    entry = AuditEntry.objects.get(action="base_grant.payee_confirm", object_id=str(grant.pk))
    assert entry.reason == "核对开户许可证，账户已变更" and OTHER not in str(entry.after)
    with pytest.raises(DomainError) as err:  # the confirmer does not also approve
        grants.grant_review(actor=world.province, grant=grant, approve=True)
    assert err.value.code == "same_person_forbidden"
    assert grants.grant_review(actor=world.city, grant=grant, approve=True).status == GrantStatus.APPROVED


def test_the_api_refuses_the_approval_and_takes_the_confirmation(world, bases, paid_once, api):
    grant = ask(world.staff, bases.base, payee_account=OTHER)
    r = api(world.city).post(f"/api/v1/base-grants/{grant.pk}/approve", {}, content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "payee_not_confirmed"
    r = api(world.province).post(f"/api/v1/base-grants/{grant.pk}/payee-confirm", {"reason": "银行回单核实"},
                                 content_type="application/json")  # fmt: skip
    assert r.status_code == 200 and r.json()["payee_check"] == "mismatch"
    assert r.json()["payee_confirmed_by_name"]
    r = api(world.city).post(f"/api/v1/base-grants/{grant.pk}/approve", {}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "approved"


def test_a_reviewer_reveals_the_account_with_a_reason_audited(world, bases, api, client):
    grant = ask(world.staff, bases.studio)
    url = f"/subsidies/grants/{grant.pk}/payee/reveal/"
    client.force_login(world.city)
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 422 and ACCOUNT not in refused.content.decode()
    shown = client.post(url, {"reason": "核对开户许可证"})
    assert shown.status_code == 200 and ACCOUNT in shown.content.decode()
    assert shown["Cache-Control"] == "no-store"
    entry = AuditEntry.objects.get(action="base_grant.payee_reveal", object_id=str(grant.pk))
    assert entry.reason == "核对开户许可证" and ACCOUNT not in str(entry.after)
    r = api(world.city).post(f"/api/v1/base-grants/{grant.pk}/payee-reveal", {"reason": "复核"},
                             content_type="application/json")  # fmt: skip
    assert r.status_code == 200 and r.json() == {"value": ACCOUNT}
    # the host's staff (no review right) cannot
    r = api(world.staff).post(f"/api/v1/base-grants/{grant.pk}/payee-reveal", {"reason": "看看"},
                              content_type="application/json")  # fmt: skip
    assert r.status_code in (403, 404) and ACCOUNT not in r.content.decode()
    assert AuditEntry.objects.filter(action="base_grant.payee_reveal").count() == 2


def test_an_unverified_account_is_not_confirmed_before_review(world, bases, client):
    # the attack on the demo's JDBZ2026440304000001: a first payment (nothing to compare) could be stamped 已确认
    grant = ask(world.staff, bases.studio)
    assert grant.payee_check == "unverified"
    client.force_login(world.province)
    page = client.get(f"/subsidies/grants/{grant.pk}/").content.decode()
    assert 'data-check="unverified"' in page and 'id="payee-confirm"' not in page
    with pytest.raises(DomainError) as err:
        grants.grant_payee_confirm(actor=world.province, grant=grant, reason="核对开户许可证")
    assert err.value.code == "payee_unverified"
    grant.refresh_from_db()
    assert grant.payee_confirmed_by_id is None and not AuditEntry.objects.filter(
        action="base_grant.payee_confirm", object_id=str(grant.pk)).exists()  # fmt: skip
    # the reviewer approves it on the documents, flagged on the page
    assert grants.grant_review(actor=world.city, grant=grant, approve=True).status == GrantStatus.APPROVED
