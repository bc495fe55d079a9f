"""Every plan target against the text of its seed: the name as written, the figure as written, the attribute, the
baseline and the opening stock must all appear on the cited lines, and the normalized value must be the figure in
base units. A typo in the data file, or a row missing from a 专栏1 table, fails here."""

from __future__ import annotations

import csv
import hashlib
import re
from decimal import Decimal
from pathlib import Path

import pytest

from jineng.refdata.models import PlanTarget
from jineng.refdata.plans import PLANS_CSV, SEEDS_DIR, TARGETS_CSV, parse_lines, raw_numbers

PLANS = {row["code"]: row for row in csv.DictReader(PLANS_CSV.open(encoding="utf-8"))}
TARGETS = list(csv.DictReader(TARGETS_CSV.open(encoding="utf-8")))
ATTRIBUTES = {"expected": "预期性", "binding": "约束性"}


def _squash(text: str) -> str:
    """The seeds are text extracted from PDF and HTML: line breaks and spaces fall anywhere, so compare without them."""
    return re.sub(r"\s+", "", text)


def _seed_lines(seed_file: str) -> list[str]:
    return (SEEDS_DIR / seed_file).read_text(encoding="utf-8").splitlines()


def _cited(seed_file: str, lines: str) -> str:
    span = parse_lines(lines)
    assert span is not None, f"bad line citation {lines!r}"
    text = _seed_lines(seed_file)
    assert span[1] <= len(text), f"{seed_file} has {len(text)} lines, cited {lines}"
    return _squash("".join(text[span[0] - 1 : span[1]]))


def _id(row: dict[str, str]) -> str:
    return f"{row['plan']}/{row['indicator']}"


def test_the_vendored_seeds_are_the_shared_ones_unchanged():
    for plan in PLANS.values():
        digest = hashlib.sha256((SEEDS_DIR / plan["seed_file"]).read_bytes()).hexdigest()
        assert digest == plan["seed_sha256"], plan["code"]
    shared = Path(__file__).resolve().parents[4] / "shared" / "seeds"
    if shared.is_dir():  # the repository's sibling in the development checkout
        for plan in PLANS.values():
            assert (shared / plan["seed_file"]).read_bytes() == (SEEDS_DIR / plan["seed_file"]).read_bytes()


@pytest.mark.parametrize("plan", PLANS.values(), ids=lambda p: p["code"])
def test_plan_name_and_document_number_are_in_the_seed(plan):
    seed = _squash("".join(_seed_lines(plan["seed_file"])))
    assert _squash(plan["name"]) in seed
    cite_file, cite_line = plan["document_number_cite"].split(":")
    assert _squash(plan["document_number"]) in _cited(cite_file, cite_line)


@pytest.mark.parametrize("row", TARGETS, ids=_id)
def test_target_as_written_is_on_its_cited_lines(row):
    seed_file = PLANS[row["plan"]]["seed_file"]
    text = _cited(seed_file, row["seed_lines"])
    raw = _squash(row["raw_value"])
    assert raw in text, f"{row['raw_value']!r} not on {seed_file}:{row['seed_lines']}"
    # The figure (and the table's other cells) may sit inside a wrapped name: take them out, then find the name.
    rest = text.replace(raw, "", 1)
    if row["attribute"]:
        label = ATTRIBUTES[row["attribute"]]
        assert label in text
        rest = rest.replace(label, "", 1)
    if row["baseline_raw"]:
        assert _squash(row["baseline_raw"]) in text
        rest = rest.replace(_squash(row["baseline_raw"]), "", 1)
    assert _squash(row["name"]) in rest, f"{row['name']!r} not on {seed_file}:{row['seed_lines']}"
    if row["opening_stock_raw"]:
        assert _squash(row["opening_stock_raw"]) in _cited(seed_file, row["opening_stock_lines"])


@pytest.mark.parametrize("row", TARGETS, ids=_id)
def test_target_value_is_the_figure_in_base_units(row):
    numbers = raw_numbers(row["raw_value"])
    scale = Decimal(row["scale"])
    # 万 in the figure or in the row's unit (万人次, 万人) means ten thousand; otherwise the figure is in base units.
    wan = "万" in row["raw_value"] or "（万" in row["name"]
    assert scale == (10000 if wan else 1)
    if row["comparator"] == "between":
        assert [int(row["value"]), int(row["value_max"])] == [n * scale for n in numbers]
    else:
        assert [int(row["value"])] == [n * scale for n in numbers]
        assert row["value_max"] == ""
    if row["baseline_raw"]:
        assert [int(row["baseline"])] == [n * scale for n in raw_numbers(row["baseline_raw"])]
    if row["opening_stock_raw"]:
        assert row["kind"] == "stock"
        assert [int(row["opening_stock"])] == [n * scale for n in raw_numbers(row["opening_stock_raw"])]


@pytest.mark.parametrize("row", TARGETS, ids=_id)
def test_target_unit_comparator_and_parent_follow_the_text(row):
    written = row["name"] + row["raw_value"]
    units = re.findall(r"人次|万人|名|个|项|%", written)
    expected_unit = {"人次": "person_times", "万人": "persons", "名": "persons", "个": "items", "项": "items"}
    if "人次" in written:
        assert row["unit"] == "person_times"
    elif units:
        assert row["unit"] == expected_unit[units[-1]]
    elif "人" in row["raw_value"]:
        assert row["unit"] == "persons"
    else:
        assert "未注明单位" in row["note"]
    raw = row["raw_value"]
    if "—" in raw:
        assert row["comparator"] == "between"
    elif "≥" in raw or "不少于" in raw or "以上" in raw:
        assert row["comparator"] == "ge"
    else:
        assert row["comparator"] == "eq"
    # 其中 rows are parts of the row they follow; no other row has a parent.
    assert bool(row["parent"]) == row["name"].startswith("其中")


@pytest.mark.parametrize("row", [r for r in TARGETS if "〔" in r["raw_value"]], ids=_id)
def test_bracketed_figures_follow_the_tables_note(row):
    """〔〕 means “五年累计数” (a flow) in Guangdong and “到2025年全省总量” (a stock) in Shandong: the table's note says."""
    seed = _squash("".join(_seed_lines(PLANS[row["plan"]]["seed_file"])))
    note = re.search(r"注：〔〕内为([^。\n]*)", seed)
    assert note is not None
    assert row["kind"] == ("stock" if "总量" in note.group(1) else "flow")


@pytest.mark.parametrize("row", [r for r in TARGETS if r["source_section"].startswith("专栏1")], ids=_id)
def test_column_one_targets_without_brackets_in_a_bracket_table_are_stocks(row):
    seed = _squash("".join(_seed_lines(PLANS[row["plan"]]["seed_file"])))
    if "〔" not in row["raw_value"] and "五年累计数" in seed:
        assert row["kind"] == "stock"  # Guangdong's bases and studios, 57 → 70 and 50 → 70


@pytest.mark.parametrize("plan", PLANS.values(), ids=lambda p: p["code"])
def test_every_row_of_column_one_is_a_target(plan):
    """Each 专栏1 row ends in its attribute (预期性/约束性); nothing else in the seeds does."""
    rows_in_seed = sum(len(re.findall("预期性|约束性", line)) for line in _seed_lines(plan["seed_file"]))
    targets = [t for t in TARGETS if t["plan"] == plan["code"] and t["source_section"].startswith("专栏1")]
    assert len(targets) == rows_in_seed
    assert [int(t["seq"]) for t in targets] == list(range(1, len(targets) + 1))


@pytest.mark.parametrize("row", TARGETS, ids=_id)
def test_target_period_and_region_are_the_plans(row):
    plan = PLANS[row["plan"]]
    assert (row["period_start"], row["period_end"]) == (plan["period_start"], plan["period_end"])
    assert row["region"] == plan["region"]


@pytest.mark.django_db
def test_loaded_targets_match_the_file():
    loaded = {(t.plan_id, t.indicator): t for t in PlanTarget.objects.select_related("parent")}
    assert len(loaded) == len(TARGETS)
    for row in TARGETS:
        t = loaded[(row["plan"], row["indicator"])]
        assert t.value == int(row["value"])
        assert t.name == row["name"]
        assert (t.parent.indicator if t.parent else "") == row["parent"]
        assert t.kind == row["kind"]
        assert t.unit == row["unit"]
        assert PLANS[row["plan"]]["document_number"] in t.source
        assert row["seed_lines"] in t.source
