"""工作台 by role (issue 15): each official sees only the steps their office takes, finance sees the batches waiting
for the bank's return, an enterprise sees its hires and apprentices to claim for; every to-do links to the page where
it is done, and the workbench counts each kind with a link to its list."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache

from jineng.web.todos import todos_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_bell():
    cache.clear()


def _kinds(user) -> dict[str, int]:
    out: dict[str, int] = {}
    for t in todos_for(user):
        out[str(t.kind)] = out.get(str(t.kind), 0) + 1
    return out


def test_a_claim_to_accept_is_the_countys_and_the_citys_not_the_provinces(world, submit_work):
    claim = submit_work(name="甲一")
    assert claim.number in [t.title.split(" · ")[0] for t in todos_for(world.county)]
    assert "补贴受理" in _kinds(world.city)  # the city's window accepts too
    assert "补贴受理" not in _kinds(world.province)
    assert "补贴受理" not in _kinds(world.reviewer)


def test_a_first_review_is_not_the_provinces_and_a_second_review_not_the_countys(world, submit_work):
    from jineng.subsidies.services import review

    accepted = review.claim_accept(actor=world.county, claim=submit_work(name="乙二"))
    assert "补贴初审" in _kinds(world.city)
    assert "补贴初审" not in _kinds(world.reviewer)
    passed = review.claim_first_review(actor=world.city, claim=accepted)
    assert "补贴复审" in _kinds(world.reviewer)
    assert "补贴复审" not in _kinds(world.county)
    assert passed.number in [t.title.split(" · ")[0] for t in todos_for(world.reviewer)]


def test_a_claim_in_publicity_is_nobodys_to_do_until_its_publicity_ends(world, submit_work):
    from jineng.subsidies.models import Claim
    from jineng.subsidies.services import review

    claim = review.claim_accept(actor=world.county, claim=submit_work(name="丙三"))
    claim = review.claim_first_review(actor=world.city, claim=claim)
    claim = review.claim_second_review(actor=world.reviewer, claim=claim)
    assert claim.status == "publicity"
    assert "补贴公示" not in _kinds(world.province)  # 公示 running: nothing to do yet
    Claim.objects.filter(pk=claim.pk).update(publicity_end=dt.date.today() - dt.timedelta(days=1))
    assert "补贴公示" in _kinds(world.province)
    assert "补贴公示" not in _kinds(world.reviewer)  # four eyes: the 复审 official does not close it


def test_finance_sees_a_batch_awaiting_the_banks_return_unless_they_made_it(world, approved_claims):
    from jineng.subsidies.services import payments

    claims = approved_claims(1)
    batch = payments.batch_create(actor=world.finance, claim_ids=[c.pk for c in claims])
    assert "拨付批次待导出支付文件" in _kinds(world.finance)
    payments.bank_file(actor=world.finance, batch=batch, fmt="csv")
    assert "拨付批次待回盘确认" not in _kinds(world.finance)  # four eyes: the maker does not confirm
    todo = next(t for t in todos_for(world.cashier) if t.kind == "拨付批次待回盘确认")
    assert todo.title == batch.number and todo.url == f"/subsidies/payments/{batch.pk}/"


def test_whoever_reviewed_a_claim_of_a_batch_is_not_asked_to_confirm_its_return(world, approved_claims, make_user):
    from jineng.accounts.services import grant_create
    from jineng.subsidies.services import payments

    grant_create(actor=None, user=world.reviewer, function="finance", region_code="440000")
    batch = payments.batch_create(actor=world.finance, claim_ids=[c.pk for c in approved_claims(1)])
    payments.bank_file(actor=world.finance, batch=batch, fmt="csv")
    assert "拨付批次待回盘确认" in _kinds(world.cashier)
    assert "拨付批次待回盘确认" not in _kinds(world.reviewer)  # the 复审 of its claim: four eyes


def test_the_enterprise_sees_its_hire_to_claim_for_and_the_link_files_it(world, hire, client):
    from jineng.subsidies.services.claims import claim_submit
    from jineng.subsidies.tests.conftest import work_input

    _person, record = hire(name="丁四")
    todo = next(t for t in todos_for(world.hr) if t.kind == "以工代训补贴待申领")
    assert "丁四" in todo.title and str(record.pk) in todo.url and todo.url.startswith("/subsidies/new/")
    claim_submit(actor=world.hr, data=work_input(record, world.enterprise))
    assert "以工代训补贴待申领" not in _kinds(world.hr)


def test_a_hire_the_claim_form_does_not_offer_is_no_to_do(world, hire, client):
    """The walk: 以工代训补贴待申领 pointed at hires /subsidies/hires/ marks 不符合申请条件 (hire_offer_refusal)."""
    _p, offered = hire(name="丁四")
    _p, refused = hire(name="农民工戊", group="migrant_worker")  # not in the policy's groups on the hire date
    todos = [t for t in todos_for(world.hr) if t.kind == "以工代训补贴待申领"]
    assert [t.title.split(" · ")[0] for t in todos] == ["丁四"]
    client.force_login(world.hr)
    form = client.get("/subsidies/new/?type=work_for_training").content.decode()
    assert str(offered.pk) in form and str(refused.pk) not in form


def test_the_enterprise_workbench_has_a_to_do_section_even_when_empty(world, api):
    html = api(world.hr).get("/").content.decode()
    assert "待办" in html and "当前没有等待您办理的事项" in html


def test_the_workbench_counts_each_kind_and_links_to_its_list(world, submit_work, api):
    submit_work(name="戊五")
    submit_work(name="己六")
    html = api(world.county).get("/").content.decode()
    kinds = re.search(r'id="todo-kinds">(.*?)</div>', html, re.S)
    assert kinds is not None
    assert re.search(r'href="/subsidies/review/\?status=submitted">补贴受理 <span[^>]*>2</span>', kinds.group(1))


def test_a_step_of_the_county_is_the_provinces_only_for_a_record_attributed_to_the_province(world, submit_work):
    from jineng.subsidies.models import Claim
    from jineng.web.todos import CLASS_REVIEW_OFFICES, acting_on

    claim = submit_work(name="庚七")  # attributed to 越秀区 (440104)
    mine = Claim.objects.filter(acting_on(world.county, CLASS_REVIEW_OFFICES))
    theirs = Claim.objects.filter(acting_on(world.province, CLASS_REVIEW_OFFICES))
    assert claim in mine and claim not in theirs
    Claim.objects.filter(pk=claim.pk).update(region_id="440000")  # no county below: the province's own
    assert claim in Claim.objects.filter(acting_on(world.province, CLASS_REVIEW_OFFICES))
