"""Money settings are shown and typed in 元 and stored in 分 (walk of issue 15: 单笔补贴金额上限 read "5000000 分", and
a value typed as 3.29 must be saved as 329 — never 328 from a float, never 329 元)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from jineng.refdata.api import setting_value
from jineng.refdata.settings_registry import SPECS
from jineng.web.forms import SettingForm

MONEY = "claim.max_amount_fen"


def _form(key: str, value: str) -> SettingForm:
    return SettingForm(data={"key": key, "region": "440000", "value": value, "valid_from": "2026-01-01",
                             "reason": "调整"})  # fmt: skip


@given(fen=st.integers(min_value=0, max_value=10**12))
def test_any_sum_typed_in_yuan_is_stored_as_exactly_its_fen(fen):
    typed = f"{fen // 100}.{fen % 100:02d}"
    form = _form(MONEY, typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["value"] == fen
    assert SPECS[MONEY].shown(fen).replace(",", "") == typed


def test_yuan_with_more_than_two_decimals_or_a_fraction_of_a_count_is_refused():
    assert "value" in _form(MONEY, "3.299").errors
    assert "value" in _form("class.max_trainees", "3.5").errors
    whole = _form("class.max_trainees", "40")
    assert whole.is_valid() and whole.cleaned_data["value"] == 40


@pytest.mark.django_db
def test_the_settings_page_shows_money_in_yuan_and_saves_yuan_as_fen(api, make_user):
    official = api(make_user("province_official", region="440000"))
    html = official.get("/settings/", {"region": "440000"}).content.decode()
    row = html[html.index(f'data-key="{MONEY}"') :].split("</tr>")[0]
    assert "50,000.00" in row and "元" in row and "5000000" not in row and "分" not in row

    guard = api(make_user("security_admin", region="440000"))
    today = timezone.localdate()
    response = guard.post("/settings/", {"key": MONEY, "region": "440000", "value": "3.29",
                                         "valid_from": today.isoformat(), "reason": "演示"})  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    assert setting_value(MONEY, "440000", today) == 329
    html = official.get("/settings/", {"region": "440000"}).content.decode()
    row = html[html.index(f'data-key="{MONEY}"') :].split("</tr>")[0]
    assert "3.29" in row and "329" not in row.replace("3.29", "")

    guard.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = guard.get("/settings/", {"region": "440000"}).content.decode()
    assert "yuan" in html.lower()


@pytest.mark.django_db
def test_a_ceiling_is_stated_in_yuan():
    from jineng.common.errors import ValidationFailed
    from jineng.refdata.api import setting_set

    with pytest.raises(ValidationFailed) as refused:
        setting_set(actor=None, key=MONEY, region_code="440000", value=10**10 + 1, valid_from=dt.date(2026, 1, 1),
                    reason="测试")  # fmt: skip
    assert "100,000,000.00元" in refused.value.fields[0].message
    assert Decimal("3.29") * 100 == 329


def test_a_factor_kept_in_hundredths_is_read_and_typed_with_two_decimals():
    """通过率/结业率离群检验临界值 is z×100: the page showed 329 under a label saying ×100; it reads z = 3.29."""
    key = "supervision.outlier_z_x100"
    form = _form(key, "3.29")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["value"] == 329
    assert SPECS[key].shown(329) == "3.29" and "×100" not in SPECS[key].shown_label()
    assert "value" in _form(key, "3.295").errors
