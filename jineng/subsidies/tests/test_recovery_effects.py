"""What sanctions and recoveries do to claims people read (issue 18, docs/sanctions.md): a clawed-back claim reads
追回中 while its order still owes and 已追回 only once fully recovered; a sanction in force holds an already-approved
claim back at batch creation, saying why; the card rule's period is a regional setting; and a recovery after a
year was closed leaves the published figure and logs a restatement (as docs/indicators.md says)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import translation

from jineng.common.errors import DomainError
from jineng.subsidies.models import Claim, RecoveryOrder
from jineng.subsidies.presenters import claim_status, claim_summary
from jineng.subsidies.selectors import claims_visible
from jineng.subsidies.services import payments
from jineng.subsidies.services.ledger import allocation_create
from jineng.subsidies.services.recovery import (
    recovery_order_decide,
    recovery_orders_create,
    recovery_receipt_confirm,
    recovery_receipt_record,
)
from jineng.subsidies.tests.conftest import export_bank_file

pytestmark = pytest.mark.django_db
DUE = dt.date.today() + dt.timedelta(days=30)


@pytest.fixture(autouse=True)
def chinese():
    """The messages in Chinese, whatever language an earlier test's request left active in this thread."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def funded(world):
    allocation_create(actor=world.finance, fund_source="unemployment_insurance", region_code="440000",
                      amount_fen=10**9, memo="粤财社〔2026〕9号")  # fmt: skip
    return world


def _approved(world, org, *, amount=120000, event_date=dt.date(2026, 3, 1)) -> Claim:
    from jineng.registry.models import Person
    from jineng.subsidies.models import PolicyVersion

    person = Person.objects.create(name="测试学员")
    return Claim.objects.create(
        number=f"ZHT{uuid.uuid4().hex[:12]}", subsidy_type="work_for_training", person=person, person_name=person.name,
        applicant_kind=org.kind, applicant_org=org, region_id="440104",
        policy_version=PolicyVersion.objects.get(subsidy_type="work_for_training"), event_kind="employment",
        event_ref=uuid.uuid4().hex, event_key=f"employment:{uuid.uuid4().hex}", event_date=event_date,
        applied_on=dt.date(2026, 9, 1), decision="approve", amount_fen=amount, payable_fen=amount,
        payee_kind=org.kind, payee_channel="bank_account", payee_name=org.name, payee_org=org,
        fund_source="unemployment_insurance", status="approved",
    )  # fmt: skip


def _pay(world, claim: Claim) -> Claim:
    batch = payments.batch_create(actor=world.finance, claim_ids=[claim.pk])
    export_bank_file(world.finance, batch)
    payments.returns_apply(actor=world.cashier, rows=[payments.ReturnRow(1, str(batch.lines.get().pk), "", "成功")],
                           batch=batch)  # fmt: skip
    claim.refresh_from_db()
    return claim


def test_a_claim_reads_recovering_until_its_order_is_fully_recovered(funded, make_user):
    world = funded
    claim = _pay(world, _approved(world, world.enterprise, amount=200000))
    inspector = make_user("inspector", region="440000")
    [order] = recovery_orders_create(actor=inspector, claim_ids=[claim.pk], ref="supervision.case:t", reason="虚假就业",
                                     due_date=DUE)  # fmt: skip
    order = recovery_order_decide(actor=world.finance, order=order, approve=True)
    claim.refresh_from_db()
    assert claim.status == "clawed_back" and claim_status(claim) == "追回中"
    with translation.override("en"):
        assert claim_status(claim) == "Being recovered"
    part = recovery_receipt_record(actor=world.finance, order=order, amount_fen=50000, key="B-1")
    recovery_receipt_confirm(actor=world.cashier, receipt=part)
    assert claim_status(claim) == "追回中"  # still owes 1,500.00
    rest = recovery_receipt_record(actor=world.finance, order=order, amount_fen=150000, key="B-2")
    recovery_receipt_confirm(actor=world.cashier, receipt=rest)
    assert claim_status(claim) == "已追回"


def _clawed_back(world, n: int) -> None:
    for _ in range(n):
        claim = _approved(world, world.enterprise)
        Claim.objects.filter(pk=claim.pk).update(status="clawed_back")
        RecoveryOrder.objects.create(number=f"ZH{uuid.uuid4().hex[:12]}", claim=claim, region_id="440104", ref="t",
                                     amount_fen=1000, paid_fen=claim.amount_fen, due_date=DUE, reason="虚假就业",
                                     status="open")  # fmt: skip


def test_a_list_of_clawed_back_claims_reads_recovering_at_a_constant_cost(world, django_assert_num_queries):
    """The 追回中 label comes from one EXISTS in the list's query, not a query per clawed-back claim."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _clawed_back(world, 1)
    list(claims_visible(world.finance))  # the user's grants, cached for the request as on a page
    with CaptureQueriesContext(connection) as one:
        assert [c["status_label"] for c in map(claim_summary, claims_visible(world.finance))] == ["追回中"]
    _clawed_back(world, 4)
    with django_assert_num_queries(len(one.captured_queries)):
        labels = [c["status_label"] for c in map(claim_summary, claims_visible(world.finance))]
    assert labels == ["追回中"] * 5


def test_a_sanction_in_force_holds_an_approved_claim_at_batch_creation(funded, make_user):
    from jineng.supervision.services import sanction_approve, sanction_decide, sanction_lift

    world = funded
    claim = _approved(world, world.provider)
    other = _approved(world, world.enterprise)
    s = sanction_decide(actor=world.province, organization=world.provider, kind="blacklist", years=3,
                        reason="骗取补贴", document_number="粤人社罚〔2026〕8号")  # fmt: skip
    from jineng.providers.api import sanction_refusal

    assert sanction_refusal(world.provider.pk, "claim") is None  # 待复核: no effect yet
    s = sanction_approve(actor=make_user("province_official", region="440000"), sanction=s)
    with pytest.raises(DomainError) as err:
        payments.batch_create(actor=world.finance, claim_ids=[claim.pk, other.pk])
    assert err.value.code == "claim_sanctioned" and s.number in err.value.message and "黑名单" in err.value.message
    assert claim.number in err.value.message and other.number not in err.value.message
    payments.batch_create(actor=world.finance, claim_ids=[other.pk])  # the others are paid
    with translation.override("en"):
        with pytest.raises(DomainError) as err:
            payments.batch_create(actor=world.finance, claim_ids=[claim.pk])
    assert "黑名单" not in err.value.message and s.number in err.value.message
    claim.refresh_from_db()
    assert claim.status == "approved"  # held, not refused: it waits until the sanction ends or is lifted
    sanction_lift(actor=world.province, sanction=s, reason="行政复议撤销")
    assert payments.batch_create(actor=world.finance, claim_ids=[claim.pk]).line_count == 1


def test_the_card_period_can_be_the_rolling_twelve_months(world, person, enrollment):
    from jineng.providers.api import sanction_refusal
    from jineng.refdata.settings_store import setting_set

    for i, bp in enumerate((7500, 7900)):  # two red cards, classes started in June 2026
        enrollment(person(name="甲乙"[i] + "学员"), attendance_bp=bp, completed_on=dt.date(2026, 6, 30))
    setting_set(actor=None, key="supervision.card_rule", region_code="440100", value=1, valid_from=dt.date(2026, 1, 1),
                reason="广州市黄红牌规则")  # fmt: skip
    on = dt.date(2027, 3, 1)
    assert sanction_refusal(world.provider.pk, "claim", on) is None  # the calendar year 2027: no cards yet
    setting_set(actor=None, key="supervision.card_period", region_code="440100", value=1,
                valid_from=dt.date(2026, 1, 1), reason="滚动 12 个月")  # fmt: skip
    refusal = sanction_refusal(world.provider.pk, "claim", on)
    assert refusal and "滚动 12 个月" in refusal and "红牌 2 张" in refusal
    assert sanction_refusal(world.provider.pk, "claim", dt.date(2027, 6, 10)) is None  # out of the window
    with pytest.raises(DomainError):
        setting_set(actor=None, key="supervision.card_period", region_code="440100", value=2,
                    valid_from=dt.date(2026, 1, 1), reason="x")  # fmt: skip


def test_a_recovery_after_the_year_closed_is_a_restatement_not_a_rewrite(funded, make_user):
    """docs/sanctions.md: the indicators stop counting a clawed-back claim and log restatements of closed years —
    the published (frozen) figure of the closed year stays as it was."""
    from jineng.indicators.freshness import refresh
    from jineng.indicators.models import FrozenFigure, Restatement
    from jineng.indicators.services import year_close

    world = funded
    refresh()
    claim = _pay(world, _approved(world, world.enterprise, event_date=dt.date(2025, 3, 1)))
    refresh(full_if_due=False)
    admin = make_user("province_official", region="440000")
    year_close(actor=admin, plan_code="guangdong-2021", year=2025, check_permission=False)
    figure = FrozenFigure.objects.get(year_close__year=2025, definition="subsidized-training", region_id="440104")
    published = figure.actual
    assert published and published >= 1
    [order] = recovery_orders_create(actor=make_user("inspector", region="440000"), claim_ids=[claim.pk],
                                     ref="supervision.case:t", reason="虚假就业", due_date=DUE)  # fmt: skip
    recovery_order_decide(actor=world.finance, order=order, approve=True)
    refresh()
    figure.refresh_from_db()
    assert figure.actual == published  # the closed year's published figure is not rewritten
    logged = Restatement.objects.filter(figure=figure).order_by("at").last()
    assert logged is not None and (logged.old_actual, logged.new_actual) == (published, published - 1)
    assert figure.current_actual == published - 1
