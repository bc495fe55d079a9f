"""The dashboard explains itself: targets in the plan's own units, the opening stock shown with its source, a stock's
progress as docs/indicators.md defines it beside its total against the target, indicator names not ids, and the
table readable on a phone (every cell labelled)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

GD = "guangdong-2021"


def _row(html: str, name: str) -> str:
    start = html.index(name)
    return html[html.rfind("<tr", 0, start) : html.index("</tr>", start)]


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))


def test_a_flow_target_is_shown_in_the_plans_units_not_base_units(fresh_rollups, client, admin):
    client.force_login(admin)
    html = client.get(f"/indicators/?plan={GD}&region=440000&year=2025").content.decode()
    row = _text(_row(html, "开展补贴性职业技能培训"))
    assert "700万人次" in row and "7000000" not in row and "7,000,000" not in row
    assert "原文 〔700〕" in row


def test_the_opening_stock_is_explained_and_linked_and_the_total_is_not_zero_percent(fresh_rollups, client, admin):
    client.force_login(admin)
    html = client.get(f"/indicators/?plan={GD}&region=440000&year=2025").content.decode()
    row = _row(html, "建设省级公共实训基地")
    text = _text(row)
    assert "含期初存量 57" in text and "基数 57个" in text
    assert f'href="/public/plans/{GD}/#target-provincial-public-training-bases"' in row
    assert "较基数新增 0／计划新增 13" in text  # the docs' progress: (57 − 57) / (70 − 57)
    assert "总量 57／70（81%）" in text  # and 57 of 70 is 81 % of the total, not 0 %


def test_a_region_below_the_target_shows_no_increase_over_the_provinces_baseline(fresh_rollups, client, admin):
    # 广州市 holds none of the province's 57 bases' baseline: "较基数新增 -57" would read as a loss
    client.force_login(admin)
    html = client.get(f"/indicators/?plan={GD}&region=440100&year=2025").content.decode()
    text = _text(_row(html, "建设省级公共实训基地"))
    assert "较基数新增" not in text
    assert "下级地区无分解目标" in text
    # the target is labelled as the province's, and no progress is computed against it (the walk: 14)
    assert re.search(r"广东省\s*的目标（本地区无分解目标）", text)
    assert 'class="jn-progress"' not in _row(html, "建设省级公共实训基地")


def test_the_public_plan_page_has_the_anchor_the_dashboard_links_to(client):
    html = client.get(f"/public/plans/{GD}/").content.decode()
    assert 'id="target-provincial-public-training-bases"' in html


def test_indicator_definitions_are_named_not_shown_as_ids(fresh_rollups, client, admin):
    client.force_login(admin)
    html = client.get(f"/indicators/?plan={GD}&region=440000&year=2025").content.decode()
    table = html[html.index('id="indicator-table"') : html.index("</table>")]
    assert "<code>" not in table
    assert not re.search(r"口径\s*(<[^>]+>)?\s*[a-z]+(-[a-z]+)+", table)


def test_every_cell_of_the_indicator_table_is_labelled_for_the_phone_layout(fresh_rollups, client, admin):
    client.force_login(admin)
    html = client.get(f"/indicators/?plan={GD}&region=440000&year=2025").content.decode()
    table = html[html.index('id="indicator-table"') : html.index("</table>")]
    assert "jn-table-stack" in html[html.rfind("<table", 0, html.index('id="indicator-table"')) :][:200]
    cells = re.findall(r"<td[^>]*>", table)
    assert cells and all("data-label=" in c for c in cells)


def test_the_public_figures_page_shows_the_plans_units(fresh_rollups, client):
    html = client.get(f"/indicators/public/?plan={GD}&year=2025").content.decode()
    assert "700万人次" in _text(html)
