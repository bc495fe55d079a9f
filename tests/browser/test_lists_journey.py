"""Lists and evidence in the browser: a county official sorts the person list by a column header (and back), filters
with the order kept, exports the filtered list to Excel; the provider attaches a contract to its submitted class and
the county official, reviewing it, sees and downloads the file. Then the sorted list on a 390×844 phone.
Screenshots: var/screens/h4-lists/*.png."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.chain_world import PHONE, build, id_number, no_sideways_scroll, submitted_class

pytestmark = pytest.mark.browser
SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens" / "h4-lists"
PDF = b"%PDF-1.4\n%journey\n"


def _shot(page: Any, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def _names(page: Any) -> list[str]:
    return [t.strip() for t in page.locator("table.jn-table tbody tr td:first-child").all_inner_texts()]


def test_sort_filter_export_and_evidence(
    server: str, new_page: Any, make_account: Any, login: Any, tmp_path: Path
) -> None:
    from jineng.registry.services.persons import person_create

    world = build(make_account)
    for i, (name, born) in enumerate([("甲一", "19950101"), ("乙二", "19800101"), ("丙三", "19900101")]):
        person_create(actor=None, name=name, residence_region="440106", id_number=id_number(40 + i, born=born),
                      check_permission=False)  # fmt: skip
    tc = submitted_class(world, ["丁学员"], first_seq=60, tomorrow=True)

    page = new_page()
    login(page, "th_official")
    page.goto(f"{server}/persons/")
    page.get_by_role("link", name="出生日期").click()
    expect(page).to_have_url(re.compile(r"sort=birth_date"))
    born = [n for n in _names(page) if n in ("甲一", "乙二", "丙三")]
    assert born == ["乙二", "丙三", "甲一"]
    page.get_by_role("link", name="出生日期").click()  # again: newest first
    assert [n for n in _names(page) if n in ("甲一", "乙二", "丙三")] == ["甲一", "丙三", "乙二"]
    expect(page.locator("th[aria-sort='descending']")).to_contain_text("出生日期")
    _shot(page, "persons-sorted")

    page.get_by_placeholder("姓名").fill("二")
    page.get_by_role("button", name="筛选").click()
    assert "sort=-birth_date" in page.url and _names(page) == ["乙二"]
    with page.expect_download() as info:
        page.get_by_test_id("export-xlsx").click()
    target = tmp_path / "persons.xlsx"
    info.value.save_as(target)
    rows = list(load_workbook(io.BytesIO(target.read_bytes())).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["乙二"] and "*" in str(rows[1][3])  # masked ID number

    # Above the region's export.async_rows the export runs as a job: its page shows the progress, then the file.
    from django.utils import timezone

    from jineng.refdata.api import setting_set

    setting_set(actor=world["province"], key="export.async_rows", region_code="440106", value=1,
                valid_from=timezone.localdate(), reason="大批量导出转后台")  # fmt: skip
    page.goto(f"{server}/persons/?sort=name")
    page.get_by_test_id("export-xlsx").click()
    expect(page.locator("main")).to_contain_text("已转为后台作业")
    expect(page.locator("h1")).to_contain_text("列表导出")
    expect(page.get_by_test_id("export-download")).to_be_visible()  # the immediate runner in tests
    _shot(page, "export-job")
    with page.expect_download() as info:
        page.get_by_test_id("export-download").click()
    rows = list(load_workbook(io.BytesIO(Path(info.value.path()).read_bytes())).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:] if r[0] in ("甲一", "乙二", "丙三")] == ["丙三", "乙二", "甲一"]

    staff = new_page()
    login(staff, "px_staff")
    staff.goto(f"{server}/training/classes/{tc.pk}/")
    staff.get_by_label("材料类型").select_option("contract")
    staff.locator("#ev-file").set_input_files({"name": "培训合同.pdf", "mimeType": "application/pdf", "buffer": PDF})
    staff.get_by_role("button", name="上传").click()
    expect(staff.locator(".alert-success, .alert")).to_contain_text("材料已上传")
    _shot(staff, "class-evidence-provider")

    page.goto(f"{server}/training/classes/{tc.pk}/")
    expect(page.locator("#evidence")).to_contain_text("培训合同.pdf")
    with page.expect_download() as info:
        page.get_by_test_id("evidence-file").click()
    assert Path(info.value.path()).read_bytes() == PDF
    _shot(page, "class-evidence-reviewer")

    phone = new_page(**PHONE)
    login(phone, "th_official")
    phone.goto(f"{server}/persons/?sort=-birth_date")
    no_sideways_scroll(phone)
    _shot(phone, "persons-sorted-phone")
