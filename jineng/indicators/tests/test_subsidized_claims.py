"""补贴性职业技能培训 counts every kind of subsidized training (issue 19): a 以工代训 claim, an 企业新型学徒制 claim and
a redeemed voucher each move the figure by exactly one at the county, its city and its province; 企业新型学徒制 in
Jilin's plan counts the apprentices whose subsidy was approved; 农村转移劳动力 count as 农民工.

Claims are stored the way the subsidies app stores them (``subsidies.tests.scope._claim`` then the event's fields);
the voucher goes through the vouchers' services end to end.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from jineng.subsidies.tests.conftest import world  # noqa: F401 - fixture
from jineng.subsidies.tests.test_vouchers import holder, issue, listed  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

GD = "guangdong-2021"
JL = "jilin-2022"
TRAINING = "subsidized-training"
MIGRANT = "subsidized-training-migrant-workers"
TREE = ("440106", "440100", "440000")


def figures(read: Any, code: str = TRAINING, year: int = 2025, regions: tuple[str, ...] = TREE) -> list[int]:
    return [read(GD, region, year)[code]["actual"] for region in regions]


def claim(region: str, *, subsidy_type: str, event_kind: str, ref: str, status: str = "approved",
          on: dt.date = dt.date(2025, 5, 1), groups: list[str] | None = None, parent: Any = None) -> Any:  # fmt: skip
    from jineng.subsidies.models import Claim
    from jineng.subsidies.tests.scope import _claim

    c = _claim(region, status=status)
    Claim.objects.filter(pk=c.pk).update(
        subsidy_type=subsidy_type, event_kind=event_kind, event_ref=ref, event_key=f"{event_kind}:{ref}",
        event_keys=[f"{event_kind}:{ref}"], event_date=on, parent=parent, updated_at=timezone.now(),
        inputs={"facts": {"person": {"groups": groups or []}}},
    )  # fmt: skip
    c.refresh_from_db()
    return c


def set_status(c: Any, status: str) -> None:
    type(c).objects.filter(pk=c.pk).update(status=status, updated_at=timezone.now())


def test_a_work_for_training_claim_counts_once_at_county_city_and_province(fresh_rollups, read):
    before = figures(read)
    c = claim("440106", subsidy_type="work_for_training", event_kind="employment", ref="w1", status="first_passed")
    assert figures(read) == before  # under review: not yet
    set_status(c, "approved")
    assert figures(read) == [n + 1 for n in before]
    # its employment-linked tranche is the same training, not another person-time
    claim("440106", subsidy_type="work_for_training", event_kind="employment", ref="w1#employment", parent=c)
    set_status(c, "paid")
    assert figures(read) == [n + 1 for n in before]
    set_status(c, "clawed_back")
    assert figures(read) == before


def test_an_apprenticeship_claim_counts_once_and_jilin_counts_its_apprentice(fresh_rollups, read):
    from jineng.training.models import Apprentice
    from jineng.training.tests.scope import _apprentice

    before = figures(read)
    jilin_before = read(JL, "220000", 2025)["new-apprenticeship-training"]
    apprentice = _apprentice("220102")
    Apprentice.objects.filter(pk=apprentice.pk).update(joined_on=dt.date(2025, 3, 1))
    c = claim("440106", subsidy_type="apprenticeship", event_kind="apprentice_year", ref=f"{apprentice.pk}:1",
              status="submitted")  # fmt: skip
    assert read(JL, "220000", 2025)["new-apprenticeship-training"]["actual"] == jilin_before["actual"] == 0
    set_status(c, "in_payment")
    assert figures(read) == [n + 1 for n in before]
    # 吉林：企业新型学徒制 is the subsidized apprentices — computed now, no longer "no data"
    for region in ("220102", "220100", "220000"):
        item = read(JL, region, 2025)["new-apprenticeship-training"]
        assert item["actual"] == 1 and not item.get("no_data_reason"), region
    set_status(c, "clawed_back")
    assert read(JL, "220000", 2025)["new-apprenticeship-training"]["actual"] == 0


def test_a_redeemed_voucher_makes_a_claim_that_counts_once(fresh_rollups, read, world, listed, make_user):  # noqa: F811
    from jineng.subsidies.models import Claim
    from jineng.subsidies.services import vouchers

    p1, n1 = holder()
    iss = issue(world)
    vouchers.vouchers_issue_to_group(actor=world.city, issue=iss)
    v = iss.vouchers.get()
    worker = make_user("worker")
    worker.person_id = p1.pk
    worker.save()
    vouchers.voucher_claim(actor=worker, voucher=v)
    used = vouchers.voucher_use(actor=listed.a.staff, code=v.code, holder_id_number=n1, organization=listed.a.org,
                                program=listed.program)  # fmt: skip
    before = figures(read)
    with time_machine.travel(dt.datetime(2025, 6, 2, 10, tzinfo=dt.UTC), tick=False):
        vouchers.voucher_redeem(actor=world.city, voucher=used)
    c = Claim.objects.get(event_kind="voucher", event_ref=str(v.pk))
    # the claim goes to review like any other: the provider is paid the voucher's value
    assert (c.status, c.subsidy_type, c.amount_fen, c.payee_org_id) == ("submitted", "training", 80000,
                                                                          listed.a.org.pk)  # fmt: skip
    assert (c.region_id, c.event_date) == ("440106", dt.date(2025, 6, 2))
    assert figures(read) == before
    set_status(c, "approved")
    assert figures(read) == [n + 1 for n in before]


def test_rural_labor_counts_as_migrant_worker_once(fresh_rollups, read):
    before = figures(read, MIGRANT)
    claim("440106", subsidy_type="work_for_training", event_kind="employment", ref="r1", groups=["rural_labor"])
    claim("440106", subsidy_type="work_for_training", event_kind="employment", ref="r2",
          groups=["rural_labor", "migrant_worker"])  # fmt: skip
    claim("440106", subsidy_type="work_for_training", event_kind="employment", ref="r3", groups=["unemployed"])
    assert figures(read, MIGRANT) == [n + 2 for n in before]
