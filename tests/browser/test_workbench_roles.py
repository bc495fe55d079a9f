"""The finance official's workbench in a real browser at 1366×768 and 390×844, screenshots in var/screens/h15a/:
a batch exported by a colleague waits for the bank's return — the workbench counts it, the count leads to 资金拨付,
the row to the batch where the return is confirmed; the province official who made it is not asked to confirm it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.test_h8_journeys import SIZES, _world

pytestmark = pytest.mark.browser

SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens" / "h15a"


def _save(page: Any, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("size", list(SIZES))
def test_finance_confirms_a_batch_awaiting_the_banks_return_from_the_workbench(
    server: str, new_page: Any, make_account: Any, login: Any, size: str
) -> None:
    from jineng.accounts.models import User
    from jineng.subsidies.services import payments

    world = _world(make_account)
    maker = User.objects.get(username="gd")
    batch = payments.batch_create(actor=maker, claim_ids=[c.pk for c in world["approved"]])
    payments.bank_file(actor=maker, batch=batch, fmt="csv")
    make_account("finance", username="cashier", region="440000")
    width, height = SIZES[size]
    page = new_page(width=width, height=height)
    page.set_default_timeout(60_000)  # eight engineers share two cores: the first request may wait

    login(page, "cashier")
    kinds = page.locator("#todo-kinds")
    expect(kinds).to_contain_text("拨付批次待回盘确认")
    expect(page.locator("main table").first).to_contain_text(batch.number)
    _save(page, f"finance-1-workbench-{size}")
    kinds.get_by_role("link", name="拨付批次待回盘确认").click()
    expect(page).to_have_url(f"{server}/subsidies/payments/")
    _save(page, f"finance-2-payments-{size}")
    page.go_back()
    page.get_by_role("link", name=batch.number).first.click()
    expect(page.locator("h1")).to_contain_text("拨付批次")
    expect(page.locator("main")).to_contain_text(batch.number)
    _save(page, f"finance-3-batch-{size}")

    # The province official who made and exported the batch is not asked to confirm its return (four eyes).
    other = new_page(width=width, height=height)
    other.set_default_timeout(60_000)
    login(other, "gd")
    expect(other.locator("main")).not_to_contain_text("拨付批次待回盘确认")
    _save(other, f"finance-4-maker-workbench-{size}")


def test_the_yearly_chart_names_a_target_far_above_the_actuals_instead_of_flattening_the_bars(
    server: str, page: Any, make_account: Any, login: Any
) -> None:
    _world(make_account)
    page.set_default_timeout(60_000)
    login(page, "gd")
    page.goto(f"{server}/indicators/?plan=guangdong-2021&region=440000&indicator=subsidized-training")
    note = page.locator("#chart-series + .jn-chart-note")
    expect(note).to_contain_text("目标远高于实际，未按比例画出")
    expect(note).to_contain_text("700万人次")
    _save(page, "dashboard-offscale-desktop")
