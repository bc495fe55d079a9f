"""The public 公示 list masks the name — and its 申请事项 must not give it back, nor a voucher code or certificate
number (the walk found "XT44010420250001 莫俊杰 第1年度" and "培训券 PXGVM9F5USHZBB" next to "莫*杰")."""

from __future__ import annotations

import datetime as dt

import pytest

from jineng.common.masking import mask_name
from jineng.subsidies.models import Claim
from jineng.subsidies.tests.conftest import TODAY

pytestmark = pytest.mark.django_db

CASES = [
    ("apprentice_year", "XT44010420250001 莫俊杰 第1年度", ["XT44010420250001", "第1年度"], []),
    ("apprentice_advance", "XT44010420250001 莫俊杰 第2年度 预支50%", ["第2年度", "预支50%"], []),
    ("voucher", "培训券 PXGVM9F5USHZBB 电工（五级）培训", ["培训券", "电工（五级）培训"], ["PXGVM9F5USHZBB"]),
    ("certificate", "证书 440106-2026-S-0000123-C", ["取得证书"], ["440106-2026-S-0000123-C", "0000123"]),
]


@pytest.mark.parametrize(("kind", "label", "shown", "hidden"), CASES)
def test_public_item_names_no_one(client, submit_work, kind, label, shown, hidden):
    claim = submit_work(name="莫俊杰")
    Claim.objects.filter(pk=claim.pk).update(
        status="publicity", publicity_start=TODAY - dt.timedelta(days=1), publicity_end=TODAY + dt.timedelta(days=3),
        event_kind=kind, event_label=label,
    )  # fmt: skip
    page = client.get("/publicity/").content.decode()
    assert claim.number in page and mask_name("莫俊杰") in page
    item = client.get("/api/v1/public/publicity").json()["items"][0]
    for text in (page, str(item)):
        assert "莫俊杰" not in text
        for h in hidden:
            assert h not in text
    for s in shown:
        assert s in item["item"] and s in page


def test_the_advance_check_line_has_its_name_not_other():
    """The walk: the 学徒制补贴预支 check line read 检查项 "其他" (its code was missing from the labels)."""
    from jineng.subsidies.labels import check_label

    assert check_label("advance") == "学徒制补贴预支"
