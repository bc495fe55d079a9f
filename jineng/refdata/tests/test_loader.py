"""``jineng refdata load``: idempotent, a replacement file per part, and a malformed file rejected with its line
number and reason, changing nothing."""

from __future__ import annotations

import io
import shutil

import pytest
from django.core.management import CommandError, call_command

from jineng.refdata.loaders import LOADERS, load_all
from jineng.refdata.models import (
    CertificateKind,
    Occupation,
    OccupationSubtype,
    Plan,
    PlanTarget,
    Region,
    RegionClosure,
    SkillLevel,
    Tag,
    TagTaxonomy,
)
from jineng.refdata.occupations import OCCUPATIONS_CSV
from jineng.refdata.plans import TARGETS_CSV
from jineng.refdata.regions import REGIONS_CSV, region_cache_clear

pytestmark = pytest.mark.django_db
MODELS = [
    Region,
    RegionClosure,
    Occupation,
    OccupationSubtype,
    SkillLevel,
    CertificateKind,
    TagTaxonomy,
    Tag,
    Plan,
    PlanTarget,
]


def _snapshot() -> dict[str, list[tuple]]:
    return {m.__name__: list(m.objects.order_by("pk").values_list()) for m in MODELS}


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("refdata", "load", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_loading_twice_changes_nothing():
    before = _snapshot()  # the session's database was loaded by the same loaders
    summaries = load_all()
    assert list(summaries) == list(LOADERS)
    for part, summary in summaries.items():
        assert summary.get("created", 0) == 0, part
        assert summary.get("updated", 0) == 0, part
    assert _snapshot() == before


def test_the_command_loads_every_part(tmp_path):
    out, _ = _run()
    for part in LOADERS:
        assert f"{part}: " in out


def _bad_occupations(tmp_path, line3: str):
    path = tmp_path / "occupations.csv"
    lines = OCCUPATIONS_CSV.read_text(encoding="utf-8").splitlines()
    lines.insert(1, "9,新大类,major,,0,0,test")
    lines.insert(2, line3)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("line3", "reason"),
    [
        ("9-01,新中类,minor,9,0,0,test", "与层级"),  # level does not match the code
        ("9-01,新中类,medium,8,0,0,test", "上级代码应为"),  # wrong parent
        ("9-0X,新中类,medium,9,0,0,test", "职业代码格式不正确"),
        ("9-01,,medium,9,0,0,test", "name 不能为空"),
        ("9-01,新中类,medium,9,2,0,test", "is_digital 须为 0 或 1"),
        ("9-01,新中类,medium,9,0", "应有 7 列"),
    ],
)
def test_a_malformed_file_is_rejected_with_its_line_and_changes_nothing(tmp_path, line3, reason):
    path = _bad_occupations(tmp_path, line3)
    before = _snapshot()
    with pytest.raises(CommandError) as exc:
        _run("--only", "occupations", "--file", str(path))
    assert "occupations" in str(exc.value)
    assert _snapshot() == before
    assert not Occupation.objects.filter(code="9").exists()  # line 2 was fine, and still was not loaded


def test_the_error_names_the_line(tmp_path):
    path = _bad_occupations(tmp_path, "9-01,新中类,medium,8,0,0,test")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("refdata", "load", "--only", "occupations", "--file", str(path), stdout=io.StringIO(), stderr=err)
    assert "第 3 行" in err.getvalue()
    assert "上级代码应为 9" in err.getvalue()


def test_a_full_edition_file_adds_codes(tmp_path):
    path = _bad_occupations(tmp_path, "9-01,新中类,medium,9,1,0,test")
    out, _ = _run("--only", "occupations", "--file", str(path))
    assert "'created': 2" in out
    new = Occupation.objects.get(edition="2022", code="9-01")
    assert new.parent.code == "9" and new.is_digital
    out, _ = _run("--only", "occupations", "--file", str(path))
    assert "'created': 0, 'updated': 0" in out


def test_a_file_for_another_edition_keeps_the_editions_apart(tmp_path):
    path = tmp_path / "occ2015.csv"
    path.write_text(
        "edition,code,name,level,parent_code,is_digital,is_green,source\n"
        "2015,4,社会生产服务和生活服务人员,major,,0,0,test\n"
        "2015,4-04,信息传输、软件和信息技术服务人员,medium,4,0,0,test\n",
        encoding="utf-8",
    )
    _run("--only", "occupations", "--file", str(path))
    assert Occupation.objects.filter(code="4-04").count() == 2
    assert Occupation.objects.get(edition="2015", code="4-04").parent.edition == "2015"


def test_an_unknown_code_anywhere_is_an_error(tmp_path):
    path = tmp_path / "subtypes.csv"
    path.write_text(
        "occupation_code,name,code,lowest_level,highest_level,source\n"
        "6-18-02-04,新工种,,grade5,grade9,test\n"
        "9-99-99-99,无此职业,,grade5,grade1,test\n",
        encoding="utf-8",
    )
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("refdata", "load", "--only", "occupation_subtypes", "--file", str(path), stderr=err)
    assert "第 2 行：技能等级代码不存在" in err.getvalue()
    assert "第 3 行：职业代码不存在" in err.getvalue()
    assert not OccupationSubtype.objects.filter(name="新工种").exists()


def test_a_target_whose_value_is_not_its_figure_is_rejected(tmp_path):
    path = tmp_path / "targets.csv"
    text = TARGETS_CSV.read_text(encoding="utf-8").replace("≥17.6 万,10000,176000", "≥17.6 万,10000,167000")
    path.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if "167000" in row)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("refdata", "load", "--only", "plan_targets", "--file", str(path), stderr=err)
    assert f"第 {line} 行：value 应为 '≥17.6 万' × 10000 = 176000，实为 167000" in err.getvalue()
    assert PlanTarget.objects.get(plan_id="jilin-2022", indicator="certificates-new").value == 176000


def test_a_target_in_an_unknown_region_or_plan_is_rejected(tmp_path):
    header, first = TARGETS_CSV.read_text(encoding="utf-8").splitlines()[:2]
    path = tmp_path / "targets.csv"
    path.write_text(
        "\n".join([header, first.replace(",000000,", ",990000,"), first.replace("national-2021", "nowhere-2030")]),
        encoding="utf-8",
    )
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("refdata", "load", "--only", "plan_targets", "--file", str(path), stderr=err)
    assert "第 2 行：行政区划代码不存在或已撤销：'990000'" in err.getvalue()
    assert "第 3 行：规划代码不存在：'nowhere-2030'" in err.getvalue()


def test_a_malformed_regions_file_changes_nothing(tmp_path):
    path = tmp_path / "regions.csv"
    shutil.copy(REGIONS_CSV, path)
    with path.open("a", encoding="utf-8") as fh:
        fh.write("449999,新区,county,440100\n44999,坏代码,county,440100\n")
    lines = len(REGIONS_CSV.read_text(encoding="utf-8").splitlines())
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("refdata", "load", "--only", "regions", "--file", str(path), stderr=err)
    assert f"第 {lines + 2} 行：区划代码须为6位数字" in err.getvalue()
    assert not Region.objects.filter(code="449999").exists()


def test_a_new_regions_edition_adds_a_code_to_the_tree(tmp_path):
    path = tmp_path / "regions.csv"
    shutil.copy(REGIONS_CSV, path)
    with path.open("a", encoding="utf-8") as fh:
        fh.write("449999,新区,county,440100\n")
    try:
        out, _ = _run("--only", "regions", "--file", str(path))
        assert "'created': 1" in out
        assert RegionClosure.objects.filter(ancestor_id="440000", descendant_id="449999", depth=2).exists()
    finally:
        region_cache_clear()


def test_file_needs_exactly_one_part(tmp_path):
    with pytest.raises(CommandError, match="--file needs exactly one --only part"):
        _run("--file", str(tmp_path / "x.csv"))


def test_a_missing_or_non_utf8_file_is_an_error(tmp_path):
    err = io.StringIO()
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("refdata", "load", "--only", "industries", "--file", str(tmp_path / "none.csv"), stderr=err)
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(b"taxonomy,taxonomy_name,region,code,name,group,rank,source\n" + "广东".encode("gbk"))
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("refdata", "load", "--only", "industries", "--file", str(gbk), stderr=err)
