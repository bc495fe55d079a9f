"""Occupations, skill levels, certificate kinds and industry tags: complete against their files, hierarchical, and
looked up strictly (an unknown code is an error, never a blank)."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from jineng.common.errors import NotFound, ValidationFailed
from jineng.refdata.industries import INDUSTRIES_CSV, tag_validate
from jineng.refdata.levels import SKILL_LEVELS_CSV, certificate_kind_validate, level_lookup, level_validate
from jineng.refdata.models import CertificateKind, Occupation, OccupationLevel, SkillLevel, Tag, TagTaxonomy
from jineng.refdata.occupations import (
    DEFINITIONS_CSV,
    OCCUPATIONS_CSV,
    occupation_ancestors,
    occupation_get,
    occupation_search,
    occupation_validate,
)

pytestmark = pytest.mark.django_db

OCCUPATION_ROWS = list(csv.DictReader(OCCUPATIONS_CSV.open(encoding="utf-8")))


def test_the_2022_edition_is_loaded_as_its_file_says():
    loaded = {o.code: o for o in Occupation.objects.filter(edition="2022").select_related("parent")}
    assert len(loaded) == len(OCCUPATION_ROWS)
    for row in OCCUPATION_ROWS:
        o = loaded[row["code"]]
        assert (o.name, o.level) == (row["name"], row["level"])
        assert (o.parent.code if o.parent else "") == row["parent_code"]
        assert (o.is_digital, o.is_green) == (row["is_digital"] == "1", row["is_green"] == "1")
    assert Counter(o.level for o in loaded.values()) == Counter(r["level"] for r in OCCUPATION_ROWS)
    # 8 大类, 79 中类 as the official edition; see data/README.md for the minor/occupation differences.
    assert Counter(o.level for o in loaded.values())["major"] == 8
    assert Counter(o.level for o in loaded.values())["medium"] == 79


def test_definitions_are_attached():
    definitions = {r["code"]: r["definition"] for r in csv.DictReader(DEFINITIONS_CSV.open(encoding="utf-8"))}
    loaded = dict(Occupation.objects.exclude(definition="").values_list("code", "definition"))
    assert loaded == definitions


def test_occupation_validate():
    welder = occupation_validate("6-18-02-04")
    assert welder.name == "焊工"
    assert [a.code for a in occupation_ancestors(welder)] == ["6", "6-18", "6-18-02"]
    for bad, code in [
        ("9-99-99-99", "unknown_occupation"),
        ("6-18-02", "not_an_occupation"),
        ("", "unknown_occupation"),
    ]:
        with pytest.raises(ValidationFailed) as exc:
            occupation_validate(bad)
        assert exc.value.fields[0].code == code
    assert occupation_validate("6-18-02", level=None).level == OccupationLevel.MINOR
    with pytest.raises(ValidationFailed):
        occupation_validate("6-18-02-04", edition="2015")
    with pytest.raises(NotFound):
        occupation_get("0-00")


def test_search_by_code_prefix_name_and_subtype():
    by_code = list(occupation_search("4-04-05"))
    assert by_code[0].code == "4-04-05"
    assert all(o.code.startswith("4-04-05") for o in by_code)
    assert {o.code for o in by_code} >= {"4-04-05-01", "4-04-05-02"}
    assert "6-18-02-04" in {o.code for o in occupation_search("焊工")}
    assert "6-18-02-04" in {o.code for o in occupation_search("电焊工")}  # a 工种 of 焊工
    digital = occupation_search(level=OccupationLevel.OCCUPATION, digital=True)
    expected = sum(1 for r in OCCUPATION_ROWS if r["level"] == "occupation" and r["is_digital"] == "1")
    assert digital.count() == expected


def test_welder_subtypes_with_their_levels():
    subtypes = {s.name: s for s in occupation_get("6-18-02-04").subtypes.select_related("highest_level")}
    assert set(subtypes) == {"电焊工", "气焊工", "钎焊工", "焊接设备操作工"}
    assert subtypes["气焊工"].highest_level.label == "三级/高级工"


def test_the_eight_level_ladder():
    rows = list(csv.DictReader(SKILL_LEVELS_CSV.open(encoding="utf-8")))
    levels = list(SkillLevel.objects.order_by("rank"))
    assert [lv.name for lv in levels] == [r["name"] for r in rows]
    assert [lv.name for lv in levels] == [
        "学徒工",
        "初级工",
        "中级工",
        "高级工",
        "技师",
        "高级技师",
        "特级技师",
        "首席技师",
    ]
    high = [lv.name for lv in levels if lv.is_high_skill]
    assert high == ["高级工", "技师", "高级技师", "特级技师", "首席技师"]  # 高技能人才: 高级工 and above
    assert [lv.label for lv in levels[1:6]] == [
        "五级/初级工",
        "四级/中级工",
        "三级/高级工",
        "二级/技师",
        "一级/高级技师",
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("grade3", "grade3"),
        ("三级", "grade3"),
        ("高级工", "grade3"),
        ("三级/高级工", "grade3"),
        ("3", "grade3"),
        ("高级", "grade3"),
        ("初级", "grade5"),
        ("首席技师", "chief_technician"),
        ("学徒工", "apprentice"),
    ],
)
def test_level_lookup_reads_the_names_rosters_use(text, code):
    level = level_lookup(text)
    assert level is not None and level.code == code


def test_unknown_levels_and_kinds_are_errors():
    assert level_lookup("九级") is None
    with pytest.raises(ValidationFailed) as exc:
        level_validate("grade9")
    assert exc.value.fields[0].code == "unknown_level"
    assert level_validate("grade1").name == "高级技师"
    with pytest.raises(ValidationFailed):
        certificate_kind_validate("diploma")


def test_certificate_kinds():
    kinds = {k.name: k for k in CertificateKind.objects.all()}
    assert set(kinds) == {"职业资格证书", "职业技能等级证书", "专项职业能力证书", "培训合格证书"}
    assert kinds["职业技能等级证书"].has_level and not kinds["专项职业能力证书"].has_level
    assert certificate_kind_validate("skill_level").name == "职业技能等级证书"


def test_industry_taxonomies():
    rows = list(csv.DictReader(INDUSTRIES_CSV.open(encoding="utf-8")))
    assert Tag.objects.count() == len(rows)
    gd = Counter(Tag.objects.filter(taxonomy_id="guangdong-clusters").values_list("group", flat=True))
    assert gd == {"战略性支柱产业集群": 10, "战略性新兴产业集群": 10}
    assert Tag.objects.filter(taxonomy_id="shandong-top10").count() == 10
    jilin = list(Tag.objects.filter(taxonomy_id="jilin-six-new").order_by("rank").values_list("name", flat=True))
    assert jilin == ["新能源", "新装备", "新材料", "新农业", "新旅游", "新电商"]
    assert dict(TagTaxonomy.objects.values_list("code", "region_id")) == {
        "guangdong-clusters": "440000",
        "shandong-top10": "370000",
        "jilin-six-new": "220000",
    }
    assert tag_validate("guangdong-clusters", "semiconductors-ic").name == "半导体与集成电路"
    with pytest.raises(ValidationFailed):
        tag_validate("guangdong-clusters", "no-such-cluster")
