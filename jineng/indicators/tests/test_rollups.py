"""Roll-ups: additivity over random record placements (counties, a city without counties, the province itself),
full recompute = incremental cells (both engines), year-end freeze and restatements, the freshness chain, and the
definitions' coverage of every plan target."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

GD = "guangdong-2021"
PLACES = ["440106", "440104", "440303", "440100", "441900", "440000", "440605"]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(PLACES), st.integers(2021, 2025)), min_size=1, max_size=6))
def test_actual_is_own_plus_children_for_additive_indicators(fresh_rollups, certificate, read, api, admin,
                                                             placements):  # fmt: skip
    before = {r: read(GD, r, 2025)["certificates-new"]["actual"] for r in ("440000", "440100", "441900")}
    for region, year in placements:
        certificate(region, dt.date(year, 6, 1))
    after = {r: read(GD, r, 2025, fresh=r == "440000")["certificates-new"]["actual"] for r in before}
    assert after["440000"] - before["440000"] == len(placements)
    for code in ("440100", "441900"):
        placed = sum(1 for region, _ in placements if region == code or region[:4] == code[:4] and code[4:] == "00")
        assert after[code] - before[code] == placed, code
    client = api(admin)
    for code in ["440000", "440100", "440300", "441900", "440600"]:
        rows = client.get(f"/api/v1/indicators/breakdown?plan={GD}&indicator=certificates-new&region={code}"
                          "&year=2025").json()["rows"]  # fmt: skip
        total = next(r["actual"] for r in rows if r["role"] == "total")
        own = next(r["actual"] for r in rows if r["role"] == "own")
        children = [r for r in rows if r["role"] == "child"]
        assert total == own + sum(r["actual"] for r in children), code
        assert total == read(GD, code, 2025, fresh=False)["certificates-new"]["actual"]
        for r in children[:2]:
            assert r["actual"] == read(GD, r["region"], 2025, fresh=False)["certificates-new"]["actual"]


def test_incremental_cells_equal_the_full_recompute_on_both_engines(fresh_rollups, certificate, base, read):
    from jineng.indicators.definitions import DEFINITIONS
    from jineng.indicators.models import DistinctCell, RollupCell
    from jineng.indicators.rollups import recompute_definition

    for region, year in [("440106", 2022), ("441900", 2023), ("440000", 2024), ("440303", 2021)]:
        certificate(region, dt.date(year, 3, 3))
        base(region, year)
    read(GD, "440000", 2025)  # a freshness run: incremental cells

    def snapshot(def_id):
        return sorted(RollupCell.objects.filter(definition=def_id).values_list("region_id", "year", "value"))

    ids = ["certificates-issued", "certificates-issued-high-skill", "provincial-public-training-bases-in-force",
           "public-training-bases-approved"]  # fmt: skip
    incremental = {i: snapshot(i) for i in ids}
    assert incremental["certificates-issued"]
    for engine in ("sql", "duckdb"):
        for i in ids:
            recompute_definition(DEFINITIONS[i], engine=engine)
            assert snapshot(i) == incremental[i], (engine, i)
    distinct_before = set(DistinctCell.objects.filter(definition="high-skill-holders", region_id="440000")
                          .values_list("year", "from_year", "tree"))  # fmt: skip
    recompute_definition(DEFINITIONS["high-skill-holders"])
    distinct_after = set(DistinctCell.objects.filter(definition="high-skill-holders", region_id="440000")
                         .values_list("year", "from_year", "tree"))  # fmt: skip
    assert distinct_before <= distinct_after


def test_closing_a_year_freezes_it_and_later_corrections_are_restatements(fresh_rollups, certificate, admin, read):
    from jineng.certificates.services import certificate_revoke
    from jineng.indicators.models import Restatement
    from jineng.indicators.services import year_close

    wrong = certificate("440106", dt.date(2022, 4, 1))
    certificate("440104", dt.date(2022, 4, 1))
    assert read(GD, "440000", 2022)["certificates-new"]["actual"] == 2
    year_close(actor=admin, plan_code=GD, year=2022)
    certificate_revoke(actor=admin, certificate=wrong, reason="证书信息造假")
    certificate("440106", dt.date(2022, 12, 1))  # a late entry for the closed year
    certificate("440106", dt.date(2022, 12, 2))

    closed = read(GD, "440000", 2022)["certificates-new"]
    assert closed["frozen"] is True
    assert closed["actual"] == 2  # as published
    assert closed["restated_actual"] == 3
    assert closed["restatement_reason"]
    county = read(GD, "440106", 2022, fresh=False)["certificates-new"]
    assert (county["actual"], county["restated_actual"]) == (1, 2)
    # The open years read live figures.
    assert read(GD, "440000", 2023, fresh=False)["certificates-new"]["actual"] == 3
    logged = Restatement.objects.filter(figure__indicator="certificates-new", figure__region_id="440000")
    assert [(r.old_actual, r.new_actual) for r in logged.order_by("at")][-1][1] == 3
    # Closing twice is refused; a running year cannot be closed.
    from jineng.common.errors import Conflict, ValidationFailed

    with pytest.raises(Conflict):
        year_close(actor=admin, plan_code=GD, year=2022)
    with pytest.raises(ValidationFailed):
        year_close(actor=admin, plan_code=GD, year=dt.date.today().year + 1)


def test_close_year_command_and_no_data_indicators_stay_no_data(fresh_rollups, read, without_source):
    from django.core.management import call_command

    call_command("indicators", "close-year", "2023", "--plan", GD)
    item = read(GD, "440000", 2023)["provincial-key-textbooks"]  # computed from the textbook records now
    assert item["frozen"] is True and item["actual"] == 0
    without_source("provincial-key-competitions")
    call_command("indicators", "close-year", "2023", "--plan", "shandong-2022")
    item = read("shandong-2022", "370000", 2023)["provincial-key-competitions"]
    assert item["frozen"] is True and item["actual"] is None and item["no_data_reason"]


def test_hook_queues_a_cell_and_rollup_add_moves_it_at_once(fresh_rollups, read):
    from jineng.indicators.api import indicators_touched, rollup_add
    from jineng.indicators.models import DirtyCell

    rollup_add("certificates-new", "440106", dt.date(2023, 1, 1), 5)
    assert read(GD, "440100", 2025, fresh=False)["certificates-new"]["actual"] == 5
    # The refresh recomputes the cell from the records: there are none.
    assert read(GD, "440100", 2025)["certificates-new"]["actual"] == 0
    indicators_touched("certificate", "440106", dt.date(2023, 1, 1))
    assert DirtyCell.objects.count() == 1
    read(GD, "440100", 2025)
    assert DirtyCell.objects.count() == 0


def test_the_freshness_chain_runs_one_link_with_the_immediate_backend(db, django_capture_on_commit_callbacks):
    from jineng.indicators.freshness import ensure_chain, state

    assert ensure_chain() is False  # the tests' backend does not defer: no chain
    with django_capture_on_commit_callbacks(execute=True):
        assert ensure_chain(force=True) is True
    st_ = state()
    assert st_.last_run_at is not None and st_.heartbeat_at is not None


def test_every_plan_target_has_a_definition_and_the_docs_describe_it(db):
    from jineng.indicators.definitions import DEFINITIONS, definition_for
    from jineng.refdata.models import PlanTarget

    targets = list(PlanTarget.objects.all())
    assert targets
    used = {definition_for(t.plan_id, t.indicator).id for t in targets}
    assert used <= set(DEFINITIONS)
    docs = (Path(__file__).resolve().parents[3] / "docs" / "indicators.md").read_text(encoding="utf-8")
    missing = [d for d in DEFINITIONS if f"`{d}`" not in docs]
    assert not missing, f"docs/indicators.md does not describe {missing}"


def test_recompute_command_for_one_year_keeps_the_other_years(fresh_rollups, certificate, read):
    from django.core.management import call_command

    from jineng.indicators.models import RollupCell

    certificate("440106", dt.date(2022, 3, 3))
    certificate("440106", dt.date(2023, 3, 3))
    read(GD, "440000", 2025)
    before = sorted(
        RollupCell.objects.filter(definition="certificates-issued").values_list("region_id", "year", "value")
    )
    call_command("indicators", "recompute", "--plan", GD, "--year", "2023")
    after = sorted(
        RollupCell.objects.filter(definition="certificates-issued").values_list("region_id", "year", "value")
    )
    assert after == before == [("440106", 2022, 1), ("440106", 2023, 1)]
    call_command("indicators", "recompute", "--plan", GD, "--engine", "duckdb")
    assert read(GD, "440000", 2025, fresh=False)["certificates-new"]["actual"] == 2


def test_full_recompute_of_distinct_persons_equals_counting_each_cell(fresh_rollups, certificate, person):
    """The full recompute counts each window in one pass (persons by the year they first appear); every cell must
    equal the figure counted for that cell alone, for the province, cities and counties."""
    from jineng.indicators.definitions import DEFINITIONS
    from jineng.indicators.models import DistinctCell
    from jineng.indicators.rollups import distinct_compute, needed_windows, recompute_definition

    holders = [person("440106"), person("440303"), person("441900")]
    # The same person holding certificates in two cities and in two years, another holding two in one county.
    placements = [(0, "440106", 2021), (0, "440303", 2023), (1, "440303", 2022), (1, "440303", 2024),
                  (2, "441900", 2025), (2, "440000", 2022)]  # fmt: skip
    for who, region, year in placements:
        certificate(region, dt.date(year, 5, 5), level="grade3", holder=holders[who])
    d = DEFINITIONS["high-skill-holders"]
    recompute_definition(d)
    stored = {(c.region_id, c.year, c.from_year): (c.tree, c.own) for c in DistinctCell.objects.filter(definition=d.id)}
    regions = ["440000", "440100", "440106", "440300", "440303", "441900", "000000"]
    assert stored[("440000", 2024, 0)][0] - stored[("440000", 2021, 0)][0] == 2  # holders 1 and 2 arrived by 2022
    for y, from_year in sorted(needed_windows(d)):
        alone = distinct_compute(d, regions, y, from_year)
        for code in regions:
            assert stored.get((code, y, from_year), (0, 0)) == alone[code], (code, y, from_year)
