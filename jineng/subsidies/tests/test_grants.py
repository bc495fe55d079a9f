"""One-off grants to bases and studios (一次性补助): asked, reviewed by a second person, batched and paid once,
posted on the ledger, which still reconciles."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jineng.common.errors import DomainError
from jineng.subsidies.models import BaseGrant, GrantLine, GrantStatus, LedgerKind, LedgerTransaction, LineState
from jineng.subsidies.services import grants
from jineng.subsidies.services.ledger import allocation_create, reconcile
from jineng.subsidies.tests.conftest import export_bank_file

ACCOUNT = "6222020200098765432"
# The race test commits for real; these apps' tables are emptied after it (never the reference data).
RACE_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "django_otp", "django_otp.plugins.otp_totp",
             "django_otp.plugins.otp_static", "jineng.common", "jineng.accounts", "jineng.registry",
             "jineng.providers", "jineng.subsidies"]  # fmt: skip


def ask(actor: Any, base: Any, **kw: Any) -> BaseGrant:
    data: dict[str, Any] = dict(base_id=base.pk, amount_fen=10_000_000, fund_source="employment_fund",
                                basis="粤人社函〔2025〕12号", payee_bank="工商银行天河支行", payee_account=ACCOUNT)  # fmt: skip
    data.update(kw)
    return grants.grant_request(actor=actor, **data)


def code_of(exc: pytest.ExceptionInfo[DomainError]) -> str:
    e = exc.value
    return e.fields[0].code if e.fields else e.code


def test_the_host_asks_another_person_approves_finance_pays_once_and_the_ledger_reconciles(world, bases):
    grant = ask(world.staff, bases.studio)
    assert grant.status == GrantStatus.SUBMITTED
    assert grant.payee_name == world.provider.name and grant.payee_account_masked != ACCOUNT
    grant = grants.grant_review(actor=world.city, grant=grant, approve=True)
    assert grant.status == GrantStatus.APPROVED
    allocation_create(actor=world.finance, fund_source="employment_fund", region_code="440100",
                      amount_fen=50_000_000, memo="穗财社〔2025〕1号")  # fmt: skip
    batch = grants.grant_batch_create(actor=world.finance, grant_ids=[grant.pk])
    export_bank_file(world.finance, batch)  # the bank file goes out before any return
    grant.refresh_from_db()
    assert grant.status == GrantStatus.IN_PAYMENT and batch.total_fen == 10_000_000
    line = GrantLine.objects.get(batch=batch)
    assert line.region_id == "440100"  # the employment fund is spent by the city
    grants.grant_line_confirm(actor=world.cashier, line=line, paid=True, bank_reference="B20250001")
    grant.refresh_from_db()
    assert grant.status == GrantStatus.PAID
    posted = LedgerTransaction.objects.get(kind=LedgerKind.PAYMENT, reference=str(line.pk))
    assert posted.amount_fen == 10_000_000
    assert reconcile().ok, reconcile().problems


def test_a_grant_is_never_paid_twice(world, bases):
    grant = grants.grant_review(actor=world.city, grant=ask(world.staff, bases.studio), approve=True)
    batch = grants.grant_batch_create(actor=world.finance, grant_ids=[grant.pk])
    export_bank_file(world.finance, batch)  # the bank file goes out before any return
    with pytest.raises(DomainError) as exc:
        grants.grant_batch_create(actor=world.finance, grant_ids=[grant.pk])
    assert exc.value.code == "grant_in_live_batch"
    line = GrantLine.objects.get(batch=batch)
    grants.grant_line_confirm(actor=world.cashier, line=line, paid=True, bank_reference="B1")
    with pytest.raises(DomainError) as exc:
        grants.grant_line_confirm(actor=world.cashier, line=line, paid=True, bank_reference="B1")
    assert exc.value.code == "line_not_pending"
    with pytest.raises(DomainError) as exc:
        grants.grant_batch_create(actor=world.finance, grant_ids=[grant.pk])
    assert exc.value.code == "grant_in_live_batch"
    assert LedgerTransaction.objects.filter(kind=LedgerKind.PAYMENT, reference=str(line.pk)).count() == 1


def test_a_failed_payment_may_be_batched_again_and_is_then_paid_once(world, bases):
    grant = grants.grant_review(actor=world.city, grant=ask(world.staff, bases.studio), approve=True)
    first = GrantLine.objects.get(
        batch=export_bank_file(world.finance, grants.grant_batch_create(actor=world.finance, grant_ids=[grant.pk]))
    )
    grants.grant_line_confirm(actor=world.cashier, line=first, paid=False, reason="账户已销户")
    grant.refresh_from_db()
    assert grant.status == GrantStatus.PAYMENT_FAILED
    second = GrantLine.objects.get(
        batch=export_bank_file(world.finance, grants.grant_batch_create(actor=world.finance, grant_ids=[grant.pk]))
    )
    grants.grant_line_confirm(actor=world.cashier, line=second, paid=True, bank_reference="B2")
    assert GrantLine.objects.filter(grant=grant, state=LineState.PAID).count() == 1
    assert not LedgerTransaction.objects.filter(reference=str(first.pk)).exists()
    assert reconcile().ok


def test_four_eyes_the_asker_may_not_approve_nor_the_reviewer_pay_nor_the_batcher_confirm(world, bases):
    grant = ask(world.city, bases.studio)
    with pytest.raises(DomainError) as exc:
        grants.grant_review(actor=world.city, grant=grant, approve=True)
    assert exc.value.code == "same_person_forbidden"
    grant = grants.grant_review(actor=world.province, grant=grant, approve=True)
    line = GrantLine.objects.get(
        batch=export_bank_file(world.finance, grants.grant_batch_create(actor=world.finance, grant_ids=[grant.pk]))
    )
    with pytest.raises(DomainError) as exc:
        grants.grant_line_confirm(actor=world.finance, line=line, paid=True, bank_reference="B3")
    assert exc.value.code == "same_person_forbidden"
    line.refresh_from_db()
    assert line.state == LineState.PENDING


def test_the_reviewer_may_not_batch_what_they_reviewed(world, bases, make_user):
    both = make_user("province_official", region="440000", username="both")
    from jineng.accounts.services import grant_create

    grant_create(actor=None, user=both, function="finance", region_code="440000")
    grant = grants.grant_review(actor=both, grant=ask(world.staff, bases.studio), approve=True)
    with pytest.raises(DomainError) as exc:
        grants.grant_batch_create(actor=both, grant_ids=[grant.pk])
    assert exc.value.code == "same_person_forbidden"


def test_one_grant_per_base_and_a_refused_one_may_be_asked_again(world, bases):
    grant = ask(world.staff, bases.studio)
    with pytest.raises(DomainError) as exc:
        ask(world.staff, bases.studio)
    assert exc.value.code == "grant_exists"
    with pytest.raises(DomainError) as exc:
        grants.grant_review(actor=world.city, grant=grant, approve=False)
    assert code_of(exc) == "reason_required"
    grants.grant_review(actor=world.city, grant=grant, approve=False, reason="材料不全")
    assert ask(world.staff, bases.studio).status == GrantStatus.SUBMITTED


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"base_id": "not-a-uuid"}, "base", "unknown_base"),
        ({"amount_fen": 0}, "amount_fen", "amount_not_positive"),
        ({"amount_fen": -5}, "amount_fen", "amount_not_positive"),
        ({"amount_fen": "100"}, "amount_fen", "amount_not_integer"),
        ({"amount_fen": 500_000_001}, "amount_fen", "amount_too_large"),
        ({"fund_source": "lottery"}, "fund_source", "bad_choice"),
        ({"basis": "  "}, "basis", "required"),
        ({"payee_bank": ""}, "payee_bank", "required"),
        ({"payee_account": "12ab"}, "payee_account", "bank_account_bad_format"),
        ({"year": 2019}, "year", "bad_range"),
    ],
)
def test_bad_input_is_refused_naming_the_field(world, bases, change, field, code):
    with pytest.raises(DomainError) as exc:
        ask(world.staff, bases.studio, **change)
    assert exc.value.fields[0].field == field and exc.value.fields[0].code == code
    assert not BaseGrant.objects.exists()


def test_only_high_skill_bases_and_master_studios_in_force_may_be_granted(world, bases):
    for base in (bases.public, bases.revoked):
        with pytest.raises(DomainError) as exc:
            ask(world.province, base)
        assert code_of(exc) == "base_not_eligible"
    assert ask(world.province, bases.base).base_kind == "high_skill"


def test_an_outsider_may_not_ask(world, bases):
    with pytest.raises(DomainError) as exc:
        ask(world.hr, bases.studio)
    assert exc.value.status == 403
    with pytest.raises(DomainError):
        ask(world.luohu, bases.studio)  # an official of another county


def test_scope_a_county_elsewhere_sees_nothing(world, bases, api):
    ask(world.staff, bases.studio)
    assert api(world.luohu).get("/api/v1/base-grants").json()["count"] == 0
    assert api(world.tianhe).get("/api/v1/base-grants").json()["count"] == 1
    assert api(world.staff).get("/api/v1/base-grants").json()["count"] == 1


def test_the_api_walks_the_same_path(world, bases, api):
    body = {"base": str(bases.studio.pk), "amount_fen": 10_000_000, "fund_source": "employment_fund",
            "basis": "文号", "payee_bank": "工行", "payee_account": ACCOUNT}  # fmt: skip
    r = api(world.staff).post("/api/v1/base-grants", body, content_type="application/json")
    assert r.status_code == 201, r.content
    gid = r.json()["id"]
    assert ACCOUNT not in r.content.decode()
    r = api(world.city).post(f"/api/v1/base-grants/{gid}/approve", {}, content_type="application/json")
    assert r.json()["status"] == "approved"
    r = api(world.finance).post("/api/v1/base-grant-batches", {"grant_ids": [gid]}, content_type="application/json",
                                HTTP_IDEMPOTENCY_KEY="k1")  # fmt: skip
    assert r.status_code == 201, r.content
    again = api(world.finance).post("/api/v1/base-grant-batches", {"grant_ids": [gid]},
                                    content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")  # fmt: skip
    assert again["Idempotent-Replayed"] == "true" and again.json()["id"] == r.json()["id"]
    line = r.json()["lines"][0]["id"]
    export_bank_file(world.finance, GrantLine.objects.get(pk=line).batch)
    r = api(world.cashier).post(f"/api/v1/base-grant-lines/{line}/confirm", {"paid": True, "bank_reference": "X9"},
                                content_type="application/json", HTTP_IDEMPOTENCY_KEY="c1")  # fmt: skip
    assert r.status_code == 200 and r.json()["state"] == "paid"
    bad = api(world.staff).post("/api/v1/base-grants", body | {"amount_fen": 0}, content_type="application/json")
    assert bad.status_code == 422


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amounts=st.lists(st.integers(min_value=1, max_value=500_000_000), min_size=1, max_size=3),
       fails=st.lists(st.booleans(), min_size=3, max_size=3))  # fmt: skip
def test_money_paid_equals_the_ledger_expense_whatever_the_amounts_and_failures(world, bases, amounts, fails):
    from jineng.providers.models import TrainingBase
    from jineng.rules.subsidy.ledger import EXPENSE
    from jineng.subsidies.services.ledger import account_balances, fund_account_for

    for i, amount in enumerate(amounts):
        base = TrainingBase.objects.create(kind="master_studio", name=f"工作室{TrainingBase.objects.count()}",
                                           level="provincial", approval_year=2024, region_id="440106",
                                           host=bases.studio.host, host_name="x")  # fmt: skip
        grant = grants.grant_review(actor=world.city, grant=ask(world.staff, base, amount_fen=amount), approve=True)
        line = GrantLine.objects.get(
            batch=export_bank_file(world.finance, grants.grant_batch_create(actor=world.finance, grant_ids=[grant.pk]))
        )
        grants.grant_line_confirm(actor=world.cashier, line=line, paid=not fails[i], bank_reference=f"R{line.pk}",
                                  reason="退票")  # fmt: skip
        posted = LedgerTransaction.objects.filter(kind=LedgerKind.PAYMENT, reference=str(line.pk))
        assert list(posted.values_list("amount_fen", flat=True)) == ([] if fails[i] else [amount])
    report = reconcile()
    assert report.ok, report.problems
    paid_lines = sum(GrantLine.objects.filter(state=LineState.PAID).values_list("amount_fen", flat=True))
    assert account_balances(fund_account_for("employment_fund", "440106"))[EXPENSE] == paid_lines


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, available_apps=RACE_APPS)
def test_two_finance_officials_batching_at_once_pay_it_once(world, bases, make_user):  # pragma: no cover - pg only
    grant = grants.grant_review(actor=world.city, grant=ask(world.staff, bases.studio), approve=True)
    other = make_user("finance", region="440000", username="finance2")
    outcomes: list[str] = []

    def run(actor: Any) -> None:
        try:
            grants.grant_batch_create(actor=actor, grant_ids=[grant.pk])
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(u,)) for u in (world.finance, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["grant_in_live_batch", "ok"]


def test_the_pages_list_ask_and_show_a_grant(world, bases, client):
    client.force_login(world.staff)
    assert client.get("/subsidies/grants/").status_code == 200
    form = client.get("/subsidies/grants/new/").content.decode()
    assert bases.studio.name in form and bases.public.name not in form and bases.revoked.name not in form
    bad = client.post("/subsidies/grants/new/", {"base": str(bases.studio.pk), "amount_yuan": "abc", "year": "2026",
                                                 "fund_source": "employment_fund", "basis": "文号",
                                                 "payee_bank": "工行", "payee_account": ACCOUNT})  # fmt: skip
    assert bad.status_code == 200 and "补助金额不正确" in bad.content.decode()
    ok = client.post("/subsidies/grants/new/", {"base": str(bases.studio.pk), "amount_yuan": "100000.00",
                                                "year": "2026", "fund_source": "employment_fund", "basis": "文号",
                                                "payee_bank": "工行", "payee_account": ACCOUNT})  # fmt: skip
    grant = BaseGrant.objects.get()
    assert ok.status_code == 302 and grant.amount_fen == 10_000_000
    client.force_login(world.hr)
    assert client.get(f"/subsidies/grants/{grant.pk}/").status_code == 404
    assert client.get("/subsidies/grants/new/").status_code == 403
