"""The province official's shortage-catalog journey in the browser (issue 21): import the public employment
service's vacancies (its own column names; one bad row refused with its reason), see the supply and demand, draft
the 急需紧缺职业目录 from the rule, be refused as its approver, have a colleague approve it, publish it, and see it on
the public page without signing in. Screenshots: var/screens/h7/labour-*.png."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.chain_world import screen

pytestmark = pytest.mark.browser
WELDER = "6-18-02-04"


def _quarter_days() -> list[dt.date]:
    from django.utils import timezone

    from jineng.labour_market.services import last_complete_quarter, quarter_bounds
    from jineng.rules.labour import previous_quarters

    year, quarter = last_complete_quarter(timezone.localdate())
    return [quarter_bounds(y, q)[0] + dt.timedelta(days=5) for y, q in previous_quarters(year, quarter, 2)]


def _vacancies_file(path: Path, days: list[dt.date]) -> Path:
    rows = [["职位编号", "用人单位", "职业代码", "工作地点代码", "需求人数", "工资待遇", "发布时间"]]
    for i, day in enumerate(days):
        rows.append([f"PES-{i}", "广州智造科技有限公司", WELDER, "440106", "30", "8000", day.isoformat()])
    rows.append(["PES-BAD", "广州智造科技有限公司", WELDER, "440106", "-5", "8000", days[0].isoformat()])
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def test_official_imports_vacancies_drafts_approves_and_publishes_the_catalog(
    server: str, new_page: Any, make_account: Any, login: Any, tmp_path: Path
) -> None:
    from jineng.labour_market.models import JobSeeker, ShortageCatalog, Vacancy
    from jineng.refdata.loaders import load_all
    from jineng.refdata.models import Occupation

    if not Occupation.objects.filter(code=WELDER).exists():
        load_all(["levels", "occupations"])  # flushed by an earlier live-server test
    make_account("province_official", username="gd_drafter", region="440000", display_name="省人社厅 起草")
    make_account("province_official", username="gd_approver", region="440000", display_name="省人社厅 审核")
    days = _quarter_days()
    welder = Occupation.objects.get(code=WELDER, level="occupation")
    JobSeeker.objects.bulk_create([JobSeeker(ref=f"S-{d}-{i}", occupation=welder, region_id="440106", registered_on=d)
                                   for d in days for i in range(10)])  # fmt: skip

    page = new_page()
    login(page, "gd_drafter")
    # 1. Import the vacancies from the supply-and-demand page; the negative count is refused with its reason.
    page.goto(f"{server}/labour/?region=440000")
    page.get_by_role("link", name="导入岗位需求/求职登记").click()
    page.get_by_label("导入内容").select_option("vacancies")
    page.get_by_label("模式").select_option("partial")
    page.get_by_label(re.compile("文件")).set_input_files(str(_vacancies_file(tmp_path / "岗位需求.csv", days)))
    page.get_by_role("button", name="上传并导入").click()
    status = page.locator("#import-status")
    expect(status.locator('[data-code="negative_count"]')).to_have_count(1)
    expect(status).to_contain_text("招聘人数不能为负数")
    assert Vacancy.objects.count() == 2
    screen(page, "labour-01-import")

    # 2. The quarter's demand: 30 openings for 10 seekers, 求人倍率 3.00.
    year, quarter = days[-1].year, (days[-1].month - 1) // 3 + 1
    page.goto(f"{server}/labour/?region=440000&year={year}&quarter={quarter}")
    expect(page.locator("#demand-table")).to_contain_text("焊工")
    expect(page.locator("#demand-table")).to_contain_text("3.00")
    screen(page, "labour-02-demand")

    # 3. The draft from the rule (≥ 1.5 for two quarters): 焊工, with its figures.
    page.get_by_role("link", name="急需紧缺职业目录").first.click()
    page.get_by_role("button", name="生成草稿").click()
    expect(page.locator("#catalog-status")).to_have_text("草稿")
    expect(page.locator("#catalog-items")).to_contain_text("焊工")
    expect(page.locator("main")).to_contain_text("须由其他有审核权限的人员审核")  # the drafter may not approve
    expect(page.get_by_role("button", name="审核通过")).to_have_count(0)
    screen(page, "labour-03-draft")
    catalog = ShortageCatalog.objects.get()

    # 4. A colleague approves; the drafter publishes with an effective date.
    approver = new_page()
    login(approver, "gd_approver")
    approver.goto(f"{server}/labour/catalogs/{catalog.pk}/")
    approver.get_by_role("button", name="审核通过").click()
    expect(approver.locator("#catalog-status")).to_have_text("已审核")
    page.reload()
    page.get_by_label("生效日期").fill(dt.date.today().isoformat())
    page.get_by_role("button", name="发布").click()
    expect(page.locator("#catalog-status")).to_have_text("已发布")
    screen(page, "labour-04-published")

    # 5. Anyone sees it on the public page, without signing in.
    visitor = new_page()
    visitor.goto(f"{server}/shortage/?region=440000")
    expect(visitor.locator("h1")).to_contain_text("第1版")
    expect(visitor.locator("#catalog-items")).to_contain_text("焊工")
    expect(visitor.locator("#catalog-items")).to_contain_text(WELDER)
    screen(visitor, "labour-05-public")
