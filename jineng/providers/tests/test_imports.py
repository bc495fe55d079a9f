"""Bulk import of organizations, programs, teachers and bases through the import framework: the same rules as the
services, every refusal reported per row, nothing written by a strict check that failed, no duplicates on re-import."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from jineng.accounts.models import Organization
from jineng.imports.api import Context, importer_for
from jineng.imports.framework import run_import
from jineng.providers.models import PoolAffiliation, PoolRole, Program, TrainingBase
from jineng.rules.idcard import check_character

from .conftest import credit_code

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _csv(tmp_path, name, rows):
    path = tmp_path / name
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def _run(kind, path, actor, mode="strict", region=""):
    issues = []
    result = run_import(
        importer=importer_for(kind),
        path=path,
        ctx=Context(actor=actor, mode=mode, region_code=region, today=TODAY),
        on_issue=issues.append,
    )
    return result, issues


def test_organizations_import_checks_every_row_and_writes_nothing_when_strict_fails(tmp_path, officials, ref):
    good, bad = credit_code(), credit_code()[:-1] + "I"
    header = [
        "组织类别",
        "机构名称",
        "统一社会信用代码",
        "注册地行政区划代码",
        "机构类型",
        "办学许可证编号",
        "许可证有效期至",
        "许可培训职业",
        "联系电话",
    ]
    rows = [
        header,
        [
            "培训机构",
            "甲培训学校",
            good,
            "440106",
            "民办职业培训机构",
            "民001",
            str(TODAY + dt.timedelta(days=900)),
            "4-04-05-01:grade3；4-10-01-06:四级",
            "13800001111",
        ],
        ["培训机构", "乙培训学校", bad, "440106", "普通高校", "", "", "", ""],
        ["企业", "丙公司", credit_code(), "449999", "", "", "", "", ""],
        ["培训机构", "丁培训学校", credit_code(), "440106", "民办职业培训机构", "", "", "", ""],
    ]
    path = _csv(tmp_path, "orgs.csv", rows)
    result, issues = _run("organizations", path, officials.province)
    assert result.outcome == "rejected" and not result.written
    by_row = {(i.row, i.code) for i in issues}
    assert (3, "bad_credit_code") in by_row
    assert (4, "unknown_region") in by_row
    assert (5, "licence_required") in by_row
    assert not Organization.objects.filter(credit_code=good).exists()

    result, issues = _run("organizations", path, officials.province, mode="partial")
    assert result.written and result.created == 1
    profile = Organization.objects.get(credit_code=good).profile
    assert profile.licence_items.filter(removed_at__isnull=True).count() == 2
    assert profile.contact_phone_masked == "138****1111"
    assert all("13800001111" not in i.value for i in issues)

    # re-importing creates nothing new
    result, _ = _run("organizations", path, officials.province, mode="partial")
    assert result.created == 0 and result.unchanged >= 1
    assert Organization.objects.filter(credit_code=good).count() == 1


def test_organizations_import_refuses_rows_outside_the_officials_region(tmp_path, officials, ref):
    path = _csv(
        tmp_path,
        "orgs.csv",
        [
            ["组织类别", "机构名称", "统一社会信用代码", "注册地行政区划代码", "机构类型"],
            ["培训机构", "深圳学校", credit_code("440303"), "440303", "普通高校"],
        ],
    )
    result, issues = _run("organizations", path, officials.city)
    assert result.outcome == "rejected"
    assert issues[0].code == "permission_denied"


def test_programs_import_with_listing(tmp_path, officials, ref):
    header = [
        "项目编号",
        "项目名称",
        "职业代码",
        "等级",
        "培训类型",
        "理论学时",
        "实操学时",
        "培训方式",
        "补贴类别",
        "所属行政区划代码",
        "纳入目录地区代码",
        "目录有效期起",
    ]
    rows = [
        header,
        [
            "GZ-1",
            "焊工（五级）",
            "6-18-02-04",
            "五级/初级工",
            "就业技能培训",
            "40",
            "80",
            "线下",
            "B类",
            "440100",
            "440100",
            str(TODAY),
        ],
        ["GZ-2", "不存在的职业", "9-99-99-99", "四级", "就业技能培训", "40", "80", "线下", "B类", "440100", "", ""],
        ["GZ-3", "不存在的等级", "6-18-02-04", "十级", "就业技能培训", "40", "80", "线下", "B类", "440100", "", ""],
        ["GZ-1", "重复", "6-18-02-04", "", "就业技能培训", "40", "80", "线下", "B类", "440100", "", ""],
    ]
    result, issues = _run("programs", _csv(tmp_path, "p.csv", rows), officials.city, mode="partial")
    codes = {(i.row, i.code) for i in issues}
    assert (3, "unknown_occupation") in codes and (4, "unknown_level") in codes and (5, "duplicate_row") in codes
    assert result.created == 1
    program = Program.objects.get(code="GZ-1")
    assert program.level_id == "grade5" and program.delivery == "offline" and program.subsidy_category == "B"
    from jineng.providers.api import program_is_listed

    assert program_is_listed(program, "440106", TODAY)


def test_teachers_import_by_document_number(tmp_path, listed, officials):
    from jineng.providers.people import register_person_resolver
    from jineng.registry.api import person_create, person_resolve

    register_person_resolver(person_resolve)
    entry = listed()
    numbers = []
    for i, name in enumerate(["吴老师", "郑老师"]):
        first17 = f"44010619800202{100 + i:03d}"
        numbers.append(first17 + check_character(first17))
        person_create(actor=officials.province, name=name, id_number=numbers[-1], residence_region="440106")
    unknown = "44010619800202999"
    unknown += check_character(unknown)
    rows = [
        ["姓名", "身份证号码", "角色", "所属机构统一社会信用代码", "聘任方式", "一体化教师"],
        ["吴老师", numbers[0], "教师", entry.profile.organization.credit_code, "兼职", "是"],
        ["郑老头", numbers[1], "教师", entry.profile.organization.credit_code, "专职", ""],
        ["王老师", unknown, "教师", entry.profile.organization.credit_code, "专职", ""],
        ["吴老师", numbers[0], "考评员", entry.profile.organization.credit_code, "", ""],
    ]
    result, issues = _run("teachers", _csv(tmp_path, "t.csv", rows), entry.staff, mode="partial")
    codes = {(i.row, i.code) for i in issues}
    assert (3, "name_mismatch") in codes
    assert (4, "person_not_registered") in codes
    assert (5, "permission_denied") in codes  # a provider cannot make examiners
    assert all(n not in i.value for i in issues for n in numbers + [unknown])
    assert result.created == 1
    role = PoolRole.objects.get(person__name="吴老师")
    assert role.is_integrated and PoolAffiliation.objects.get(role=role).kind == "part_time"


def test_bases_import_and_count(tmp_path, officials):
    from jineng.providers.api import bases_count

    rows = [
        ["类别", "名称", "级别", "批准年度", "所在行政区划代码", "依托单位"],
        ["技能大师工作室", "王大师工作室", "省级", "2022", "440106", "某企业"],
        ["公共实训基地", "广州实训基地", "国家级", "2020", "440100", "广州市人社局"],
        ["技能大师工作室", "错年份", "省级", "1800", "440106", "x"],
    ]
    path = _csv(tmp_path, "b.csv", rows)
    result, issues = _run("training_bases", path, officials.province, mode="partial")
    assert result.created == 2 and [i.code for i in issues] == ["out_of_range"]
    assert bases_count("master_studio", "provincial", "440100", 2023) == 1
    assert bases_count("public_training", "national", "440000", 2023) == 1
    result, _ = _run("training_bases", path, officials.province, mode="partial")
    assert result.created == 0 and TrainingBase.objects.count() == 2


def test_the_command_line_imports_as_the_system(tmp_path, capsys):
    from django.core.management import call_command

    path = _csv(
        tmp_path,
        "b.csv",
        [
            ["类别", "名称", "级别", "批准年度", "所在行政区划代码", "依托单位"],
            ["技能大师工作室", "命令行工作室", "国家级", "2021", "440106", "某企业"],
        ],
    )
    with pytest.raises(SystemExit) as exc:
        call_command("import", "training_bases", str(path))
    assert exc.value.code == 0, capsys.readouterr()
    assert TrainingBase.objects.filter(name="命令行工作室", level="national").exists()
