"""Actuals from known records, exactly, at every region level (county, its city, its province): certificates
(additive flows and the distinct-person stock), bases (stock with an opening stock, flows), and k new records
moving an indicator by exactly k at each level."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db

GD = "guangdong-2021"
TIANHE, YUEXIU, GUANGZHOU, GUANGDONG = "440106", "440104", "440100", "440000"
LUOHU, SHENZHEN = "440303", "440300"
DONGGUAN = "441900"  # a prefecture-level city without counties: its records are its own (本级)


def test_certificates_issued_count_at_county_city_and_province(fresh_rollups, certificate, read):
    certificate(TIANHE, dt.date(2022, 3, 1))
    certificate(TIANHE, dt.date(2023, 5, 1), level="grade4")
    certificate(YUEXIU, dt.date(2021, 7, 1), level="grade2")
    certificate(LUOHU, dt.date(2024, 1, 9))
    certificate(GUANGZHOU, dt.date(2022, 2, 2))  # attributed to the city itself (市本级)
    certificate(TIANHE, dt.date(2020, 12, 31))  # before the plan period: not counted
    certificate(TIANHE, dt.date(2022, 3, 1), kind="special_ability", level="")  # 专项职业能力: not counted

    expected = {TIANHE: (2, 2), YUEXIU: (1, 1), GUANGZHOU: (4, 1), SHENZHEN: (1, 0), GUANGDONG: (5, 0)}
    for region, (actual, own) in expected.items():
        item = read(GD, region, 2025)["certificates-new"]
        assert (item["actual"], item["own_actual"]) == (actual, own), region
        assert item["additive"] is True
    # 其中高技能 (高级工 and above): grade3 ×3 in Guangzhou (two in Tianhe? one grade3 + the city one) …
    high = {TIANHE: 1, YUEXIU: 1, GUANGZHOU: 3, GUANGDONG: 4}
    for region, actual in high.items():
        assert read(GD, region, 2025)["certificates-new-high-skill"]["actual"] == actual, region
    # Cumulative up to the year's end: 2022 sees the 2021 and 2022 certificates only.
    assert read(GD, GUANGDONG, 2022)["certificates-new"]["actual"] == 3


def test_adding_k_certificates_moves_county_city_and_province_by_k(fresh_rollups, certificate, read):
    certificate(TIANHE, dt.date(2022, 3, 1))
    before = {r: read(GD, r, 2025)["certificates-new"]["actual"] for r in (TIANHE, GUANGZHOU, GUANGDONG)}
    k = 3
    for _ in range(k):
        certificate(TIANHE, dt.date(2024, 6, 1))
    after = {r: read(GD, r, 2025)["certificates-new"]["actual"] for r in (TIANHE, GUANGZHOU, GUANGDONG)}
    assert {r: after[r] - before[r] for r in after} == {TIANHE: k, GUANGZHOU: k, GUANGDONG: k}
    # Another county's figure does not move.
    assert read(GD, YUEXIU, 2025)["certificates-new"]["actual"] == 0


def test_a_revoked_certificate_leaves_the_figures(fresh_rollups, certificate, admin, read):
    from jineng.certificates.services import certificate_revoke

    cert = certificate(TIANHE, dt.date(2023, 3, 1))
    certificate(TIANHE, dt.date(2023, 4, 1))
    assert read(GD, GUANGDONG, 2025)["certificates-new"]["actual"] == 2
    certificate_revoke(actor=admin, certificate=cert, reason="冒名顶替")
    assert read(GD, TIANHE, 2025)["certificates-new"]["actual"] == 1
    assert read(GD, GUANGDONG, 2025)["certificates-new"]["actual"] == 1


def test_high_skill_talents_count_persons_once_and_add_the_opening_stock(fresh_rollups, certificate, person, read):
    """高技能人才数 (a stock of persons): one person with two certificates counts once; a person with certificates
    in two counties counts in each county but once in the city. The province adds the sourced opening stock
    (445万 at the end of 2020) net of what the platform holds for 2020."""
    a, b = person(TIANHE), person(YUEXIU)
    certificate(TIANHE, dt.date(2022, 1, 5), holder=a)
    certificate(TIANHE, dt.date(2023, 1, 5), level="grade2", holder=a)
    certificate(YUEXIU, dt.date(2023, 2, 5), holder=a)
    certificate(YUEXIU, dt.date(2021, 2, 5), holder=b)
    certificate(LUOHU, dt.date(2020, 6, 1))  # held before the plan: already in the opening stock
    certificate(TIANHE, dt.date(2022, 1, 5), level="grade4")  # 中级工: not high-skill

    items = {r: read(GD, r, 2025)["high-skill-talents"] for r in (TIANHE, YUEXIU, GUANGZHOU, SHENZHEN, GUANGDONG)}
    assert all(i["additive"] is False for i in items.values())
    assert items[TIANHE]["actual"] == 1
    assert items[YUEXIU]["actual"] == 2
    assert items[GUANGZHOU]["actual"] == 2  # not 3: person a is counted once
    assert items[SHENZHEN]["actual"] == 1
    opening = 4_450_000
    # Platform stock at the end of 2025: 3 persons; at the end of 2020: 1 (Luohu) → 4 450 000 + 3 − 1.
    assert items[GUANGDONG]["actual"] == opening + 2
    assert items[GUANGDONG]["own_actual"] == opening - 1  # the unsourced part of the opening stock is 本级
    # Stock semantics: progress is (actual − baseline) / (target − baseline) with the 2020 stock as baseline … the
    # target row gives no baseline, so progress is actual / target.
    assert items[GUANGDONG]["progress"] == pytest.approx((opening + 2) / 5_800_000, abs=1e-4)
    # The stock at 2021's end: b and the 2020 holder, net of 2020's 1 → one more than the opening stock.
    assert read(GD, GUANGDONG, 2021)["high-skill-talents"]["actual"] == opening + 1


def test_bases_stock_adds_the_opening_stock_and_counts_revocations(fresh_rollups, base, admin, read):
    """省级公共实训基地 (a stock, 57 at the end of 2020 → 70): the platform's year-end count plus 57 minus what
    the platform held in 2020; progress is (actual − 57) / (70 − 57)."""
    from jineng.providers.services.bases import base_revoke

    old = base(TIANHE, 2019)  # entered history: already in the 57
    base(YUEXIU, 2022)
    third = base(DONGGUAN, 2023)
    base(TIANHE, 2022, level="municipal")  # 市级: not counted
    base(TIANHE, 2022, kind="high_skill")  # another kind: not counted
    item = read(GD, GUANGDONG, 2025)["provincial-public-training-bases"]
    assert item["actual"] == 57 + 3 - 1
    assert item["progress"] == pytest.approx((59 - 57) / (70 - 57), abs=1e-4)
    assert read(GD, GUANGZHOU, 2025)["provincial-public-training-bases"]["actual"] == 2
    dongguan = read(GD, DONGGUAN, 2025)["provincial-public-training-bases"]
    assert (dongguan["actual"], dongguan["own_actual"]) == (1, 1)
    base_revoke(actor=admin, base=third, year=2025, reason="撤销")
    assert read(GD, GUANGDONG, 2025)["provincial-public-training-bases"]["actual"] == 58
    assert read(GD, GUANGDONG, 2024)["provincial-public-training-bases"]["actual"] == 59
    base_revoke(actor=admin, base=old, year=2024, reason="撤销")
    assert read(GD, GUANGDONG, 2025)["provincial-public-training-bases"]["actual"] == 57


def test_shandong_counts_new_national_bases_as_a_flow(fresh_rollups, base, read):
    """山东 建设国家级高技能人才培训基地 is a flow (新建 over 2021–2025), 广东's the same words a year-end stock."""
    base("370102", 2020, kind="high_skill", level="national")  # before the period
    base("370102", 2022, kind="high_skill", level="national")
    base("370202", 2024, kind="high_skill", level="national")
    item = read("shandong-2022", "370000", 2025)["national-high-skill-bases"]
    assert item["definition"] == "national-high-skill-bases-approved"
    assert item["kind"] == "flow"
    assert item["actual"] == 2
    assert read("shandong-2022", "370000", 2023)["national-high-skill-bases"]["actual"] == 1


def test_an_indicator_without_a_source_answers_no_data_not_zero(fresh_rollups, read, without_source):
    without_source("provincial-key-competitions")
    items = read("shandong-2022", "370000", 2025)
    standards = items["provincial-key-competitions"]
    assert standards["actual"] is None
    assert standards["own_actual"] is None
    assert standards["no_data_reason"]
    assert standards["signal"] == "no_data"
    assert standards["progress"] is None


def test_figures_read_from_the_prefetched_cells_equal_the_figures_read_one_by_one(fresh_rollups, certificate, base,
                                                                                   read):  # fmt: skip
    """A request reads every target's cells in one query; each figure must equal the one read on its own, for
    cumulative, annual and stock targets, at the province, a city and a county, in every year of the plan."""
    from jineng.indicators import selectors

    for region, year in [("440106", 2021), ("440106", 2023), ("440303", 2022), ("440000", 2024), ("441900", 2025)]:
        certificate(region, dt.date(year, 4, 4))
        base(region, year)
    read(GD, "440000", 2025)
    plan = selectors.plan_get(GD)
    targets = list(selectors.plan_targets(GD))
    regions = ["440000", "440100", "440106", "440300", "441900"]
    nonzero = 0
    for year in range(plan.period_start, plan.period_end + 1):
        selectors.prefetch_cells(plan, targets, regions, plan.period_start, year)
        cache = plan.__dict__[selectors.CACHE_KEY]
        for target in targets:
            d = selectors.definition_for(GD, target.indicator)
            if d.availability() or not d.additive:
                continue
            cached = selectors.live_figures(d, target, regions, year, cache=cache)
            assert cached == selectors.live_figures(d, target, regions, year), (target.indicator, year)
            nonzero += sum(1 for v in cached.values() if v != (0, 0))
    assert nonzero
