"""一次性补助 from the host's and the finance official's side: the host finds its grants in the sidebar and is never
offered a batch; the form offers only bases without a standing grant; finance pays approved grants from the
payments page — batch, bank file (grant lines beside claim lines), confirm on the batch page or by return file."""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jineng.common.errors import DomainError
from jineng.subsidies.models import BaseGrant, BatchStatus, GrantLine, GrantStatus, LedgerKind, LedgerTransaction
from jineng.subsidies.services import grants, payments
from jineng.subsidies.services.ledger import reconcile
from jineng.subsidies.tests.conftest import export_bank_file
from jineng.subsidies.tests.test_grants import ACCOUNT, ask

FORM = {"amount_yuan": "100000.00", "year": "2026", "fund_source": "employment_fund", "basis": "文号",
        "payee_bank": "工行", "payee_account": ACCOUNT}  # fmt: skip


def approved(world: SimpleNamespace, base: Any, **kw: Any) -> BaseGrant:
    return grants.grant_review(actor=world.city, grant=ask(world.staff, base, **kw), approve=True)


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_host_finds_its_grants_in_the_sidebar_and_is_offered_no_batch(world, bases, client):
    approved(world, bases.studio)  # approved: payable, but not by the host
    client.force_login(world.staff)
    page = client.get("/subsidies/grants/").content.decode()
    assert 'href="/subsidies/grants/"' in page  # the sidebar entry
    assert "生成拨付批次" not in page and "payable-grants" not in page and "去资金拨付" not in page
    assert client.get("/subsidies/payments/").status_code == 403
    assert client.post("/subsidies/grants/batch/", {"grant": [str(BaseGrant.objects.get().pk)]}).status_code == 302
    assert BaseGrant.objects.get().status == GrantStatus.APPROVED  # refused: the service checks finance.pay
    client.force_login(world.hr)  # an enterprise's HR has the entry too (studios are hosted by enterprises)
    assert 'href="/subsidies/grants/"' in client.get("/subsidies/grants/").content.decode()
    client.force_login(world.finance)
    page = client.get("/subsidies/grants/").content.decode()
    assert "去资金拨付" in page and "payable-grants-note" in page


def test_the_form_offers_no_base_with_a_standing_grant(world, bases, client):
    client.force_login(world.staff)
    form = client.get("/subsidies/grants/new/").content.decode()
    assert bases.studio.name in form and bases.base.name in form
    grant = ask(world.staff, bases.studio)
    form = client.get("/subsidies/grants/new/").content.decode()
    assert bases.studio.name not in form and bases.base.name in form
    posted = client.post("/subsidies/grants/new/", FORM | {"base": str(bases.studio.pk)})
    assert posted.status_code == 200 and BaseGrant.objects.count() == 1  # a stale form's base: refused on its field
    grants.grant_review(actor=world.city, grant=grant, approve=False, reason="材料不全")
    assert bases.studio.name in client.get("/subsidies/grants/new/").content.decode()  # refused: may ask again
    ask(world.staff, bases.studio)
    ask(world.staff, bases.base)
    done = client.get("/subsidies/grants/new/")  # every base granted: back to the list, saying why
    assert done.status_code == 302 and done["Location"] == "/subsidies/grants/"
    page = client.get("/subsidies/grants/").content.decode()
    assert "都已申请过一次性补助" in page and "申请一次性补助</a>" not in page


def test_finance_batches_exports_and_confirms_a_grant_from_the_payments_pages(world, bases, client):
    grant = approved(world, bases.studio)
    client.force_login(world.finance)
    page = client.get("/subsidies/payments/").content.decode()
    assert grant.number in page and 'id="payable-grants"' in page and ACCOUNT not in page
    r = client.post("/subsidies/grants/batch/", {"grant": [str(grant.pk)], "note": "一次性补助"})
    line = GrantLine.objects.get(grant=grant)
    assert r.status_code == 302 and r["Location"] == f"/subsidies/payments/{line.batch_id}/"
    assert grant.number not in client.get("/subsidies/payments/").content.decode().split("拨付批次</h2>")[0]
    detail = client.get(f"/subsidies/payments/{line.batch_id}/").content.decode()
    assert "下载支付文件（CSV）" in detail and f'value="{line.pk}"' not in detail  # confirmable once exported
    file = client.get(f"/subsidies/payments/{line.batch_id}/file.csv")
    header, *rows = csv_rows(file.content)
    assert header == payments.PAYMENT_FILE_HEADERS and len(rows) == 1
    assert rows[0][0] == str(line.pk) and rows[0][3] == grant.number and rows[0][5] == ACCOUNT
    assert rows[0][9] == "10000000" and rows[0][12] == f"基地与工作室一次性补助 {grant.number}"
    line.batch.refresh_from_db()
    assert line.batch.status == BatchStatus.EXPORTED
    assert f'value="{line.pk}"' in client.get(f"/subsidies/payments/{line.batch_id}/").content.decode()
    # the one who made and exported the batch may not confirm it
    client.post(f"/subsidies/payments/{line.batch_id}/confirm/",
                {"line": [str(line.pk)], "result": "paid", "bank_reference": "B1"})  # fmt: skip
    line.refresh_from_db()
    assert line.state == "pending"
    client.force_login(world.cashier)
    client.post(f"/subsidies/payments/{line.batch_id}/confirm/",
                {"line": [str(line.pk)], "result": "paid", "bank_reference": "ICBC1"})  # fmt: skip
    line.refresh_from_db()
    grant.refresh_from_db()
    line.batch.refresh_from_db()
    assert (line.state, line.bank_reference, grant.status) == ("paid", "ICBC1", GrantStatus.PAID)
    assert line.batch.status == BatchStatus.SETTLED
    assert LedgerTransaction.objects.filter(kind=LedgerKind.PAYMENT, reference=str(line.pk)).count() == 1
    assert reconcile().ok


def test_a_return_file_confirms_grant_lines_by_line_id_or_grant_number(world, bases):
    one, two = approved(world, bases.studio), approved(world, bases.base, amount_fen=5_000_000)
    batch = grants.grant_batch_create(actor=world.finance, grant_ids=[one.pk, two.pk])
    export_bank_file(world.finance, batch)  # the bank file goes out before any return
    first, second = GrantLine.objects.filter(batch=batch).order_by("grant__number")
    assert {first.grant_id, second.grant_id} == {one.pk, two.pk}
    rows = [payments.ReturnRow(1, str(first.pk), "", "成功", bank_reference="R1"),
            payments.ReturnRow(2, "", second.grant.number, "失败", reason="账户已销户")]  # fmt: skip
    assert payments.returns_apply(actor=world.cashier, rows=rows, batch=batch) == {
        "paid": 1, "failed": 1, "unchanged": 0}  # fmt: skip
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state, second.failure_reason) == ("paid", "failed", "账户已销户")
    assert BaseGrant.objects.get(pk=second.grant_id).status == GrantStatus.PAYMENT_FAILED
    assert payments.returns_apply(actor=world.cashier, rows=rows[:1], batch=batch)["unchanged"] == 1  # again: no-op
    assert LedgerTransaction.objects.filter(kind=LedgerKind.PAYMENT, reference=str(first.pk)).count() == 1


@pytest.mark.parametrize(
    ("row", "field", "code"),
    [
        (payments.ReturnRow(1, "GRANT", "", "成功"), "bank_reference", "required"),
        (payments.ReturnRow(1, "GRANT", "", "失败"), "reason", "reason_required"),
        (payments.ReturnRow(1, "GRANT", "", "maybe", bank_reference="R"), "result", "bad_result"),
        (payments.ReturnRow(1, "GRANT", "", "成功", bank_reference="R", amount_fen=1), "amount", "amount_mismatch"),
        (payments.ReturnRow(1, "", "JDBZ-NO-SUCH", "成功", bank_reference="R"), "line_id", "unknown_payment_line"),
    ],
)
def test_a_bad_grant_return_row_refuses_the_whole_return_naming_row_and_field(world, bases, row, field, code):
    grant = approved(world, bases.studio)
    batch = grants.grant_batch_create(actor=world.finance, grant_ids=[grant.pk])
    export_bank_file(world.finance, batch)  # the bank file goes out before any return
    line = GrantLine.objects.get(batch=batch)
    if row.line_id == "GRANT":
        row = payments.ReturnRow(row.row, str(line.pk), row.claim_number, row.result, row.reason, row.bank_reference,
                                 row.amount_fen)  # fmt: skip
    with pytest.raises(DomainError) as exc:
        payments.returns_apply(actor=world.cashier, rows=[row], batch=batch)
    assert [(f.row, f.field, f.code) for f in exc.value.fields] == [(1, field, code)]
    line.refresh_from_db()
    assert line.state == "pending"


def test_four_eyes_on_a_grant_return_the_reviewer_may_not_confirm(world, bases, make_user):
    from jineng.accounts.services import grant_create

    both = make_user("city_official", region="440100", username="both")
    grant_create(actor=None, user=both, function="finance", region_code="440000")
    grant = grants.grant_review(actor=both, grant=ask(world.staff, bases.studio), approve=True)
    batch = grants.grant_batch_create(actor=world.finance, grant_ids=[grant.pk])
    export_bank_file(world.finance, batch)  # the bank file goes out before any return
    line = GrantLine.objects.get(batch=batch)
    with pytest.raises(DomainError) as exc:
        payments.returns_apply(actor=both, rows=[payments.ReturnRow(1, str(line.pk), "", "成功", bank_reference="R")],
                               batch=batch)  # fmt: skip
    assert exc.value.code == "same_person_forbidden"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amounts=st.lists(st.integers(min_value=1, max_value=500_000_000), min_size=1, max_size=3),
       paid=st.lists(st.booleans(), min_size=3, max_size=3))  # fmt: skip
def test_the_bank_file_carries_each_live_grant_line_and_the_return_posts_exactly_the_paid(world, bases, amounts, paid):
    from jineng.providers.models import TrainingBase

    made = []
    for amount in amounts:
        base = TrainingBase.objects.create(kind="master_studio", name=f"工作室{TrainingBase.objects.count()}",
                                           level="provincial", approval_year=2024, region_id="440106",
                                           host=bases.studio.host, host_name="x")  # fmt: skip
        made.append(approved(world, base, amount_fen=amount))
    batch = grants.grant_batch_create(actor=world.finance, grant_ids=[g.pk for g in made])
    content, _name, _mime = payments.bank_file(actor=world.finance, batch=batch, fmt="csv")
    _header, *rows = csv_rows(content)
    assert sorted(int(r[9]) for r in rows) == sorted(amounts) and sum(int(r[9]) for r in rows) == batch.total_fen
    back = [payments.ReturnRow(n, r[0], "", "成功" if paid[n] else "失败", reason="退票", bank_reference=f"B{r[0]}",
                               amount_fen=int(r[9])) for n, r in enumerate(rows)]  # fmt: skip
    payments.returns_apply(actor=world.cashier, rows=back, batch=batch)
    expected = sum(int(r[9]) for n, r in enumerate(rows) if paid[n])
    posted = LedgerTransaction.objects.filter(kind=LedgerKind.PAYMENT, reference__in=[r[0] for r in rows])
    assert sum(posted.values_list("amount_fen", flat=True)) == expected
    assert reconcile().ok


def test_a_sanction_on_the_host_holds_its_grant_from_a_batch(world, bases, client):
    """停业整顿 (or 黑名单) in force on a base's host holds its approved grant back, as a claim's: the batch is refused
    naming the grant and the sanction (page and service), nothing is written, and once lifted it is paid."""
    from jineng.supervision.services import sanction_decide, sanction_lift

    grant = approved(world, bases.studio)
    s = sanction_decide(actor=world.city, organization=world.provider, kind="suspend", days=30,
                        reason="虚构培训记录")  # fmt: skip
    with pytest.raises(DomainError) as err:
        grants.grant_batch_create(actor=world.finance, grant_ids=[grant.pk])
    assert err.value.code == "grant_sanctioned" and grant.number in err.value.message and s.number in err.value.message
    client.force_login(world.finance)
    page = client.post("/subsidies/grants/batch/", {"grant": [str(grant.pk)]}, follow=True).content.decode()
    assert grant.number in page and "停业整顿" in page
    grant.refresh_from_db()
    assert grant.status == GrantStatus.APPROVED and not GrantLine.objects.exists()
    sanction_lift(actor=world.city, sanction=s, reason="整改到位")
    assert grants.grant_batch_create(actor=world.finance, grant_ids=[grant.pk]).line_count == 1
