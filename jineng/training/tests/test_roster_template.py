"""The roster template's dropdowns (walk of issue 15: 人员类别 had no list of valid values, and the error listed
none). Each coded column offers the values the import reads, the import accepts exactly each of them, and a value
outside the list is refused with the list named."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from jineng.imports.services import import_create
from jineng.imports.tests.helpers import write_xlsx
from jineng.training.models import Enrollment
from jineng.training.tests.conftest import id_number

pytestmark = pytest.mark.django_db


def _template(client, staff):
    client.force_login(staff)
    return load_workbook(BytesIO(client.get("/imports/template/roster.xlsx").content))


def _dropdowns(workbook) -> dict[str, list[str]]:
    """Header → the values of its list validation (read from the hidden sheet the formula names)."""
    sheet = workbook.worksheets[0]
    headers = [c.value for c in sheet[1]]
    out = {}
    for dv in sheet.data_validations.dataValidation:
        if dv.type != "list":
            continue
        column = str(dv.sqref).split(":")[0].rstrip("0123456789")
        ref = dv.formula1.split("!")[1].replace("$", "")
        source = workbook[dv.formula1.split("!")[0].strip("'")]
        values = [c.value for row in source[ref] for c in row if c.value]
        out[headers[ord(column) - ord("A")]] = values
    return out


def _name(n: int) -> str:
    return "学员" + "甲乙丙丁戊己庚辛壬癸"[n % 10] + "一二三四五"[n // 10]


def _import(staff, tc, tmp_path, headers, rows):
    path = write_xlsx(tmp_path / "roster.xlsx", [headers, *rows])
    with path.open("rb") as fh:
        return import_create(actor=staff, kind="roster", source=fh, filename="roster.xlsx",
                             options={"class": tc.code}, run_now=True, mode="partial")  # fmt: skip


def test_the_template_offers_dropdowns_for_every_coded_column(world, client):
    workbook = _template(client, world.staff)
    lists = _dropdowns(workbook)
    assert {"证件类型", "人员类别", "居住地", "学员承诺"} <= set(lists)
    assert "居民身份证" in lists["证件类型"] and "护照" in lists["证件类型"]
    assert {"失业人员", "高校毕业生", "农民工", "脱贫人口"} <= set(lists["人员类别"])
    assert lists["学员承诺"] == ["是", "否"]
    assert "广州市天河区" in lists["居住地"]
    assert workbook["选项"].sheet_state == "hidden"
    years = [dv for dv in workbook.worksheets[0].data_validations.dataValidation if dv.type == "whole"]
    assert len(years) == 1 and years[0].formula1 == "1950"


def test_every_listed_value_is_accepted_and_others_are_refused_with_the_list(world, make_class, client, tmp_path):
    workbook = _template(client, world.staff)
    lists = _dropdowns(workbook)
    headers = [c.value for c in workbook.worksheets[0][1]]
    tc = make_class("approved", planned_size=50)
    example = dict(zip(headers, [c.value or "" for c in workbook["填写示例"][2]], strict=True))
    rows = []
    for column in ("人员类别", "证件类型", "学员承诺"):
        for value in lists[column]:
            row = dict(example, 姓名=_name(len(rows)), 身份证号码=id_number(), **{column: value})
            rows.append([row[h] for h in headers])
    rows.append([dict(example, 姓名="坏类别", 身份证号码=id_number(), 人员类别="失业者")[h] for h in headers])
    rows.append([dict(example, 姓名="坏证件", 身份证号码=id_number(), 证件类型="身份正")[h] for h in headers])
    rows.append([dict(example, 姓名="坏承诺", 身份证号码=id_number(), 学员承诺="好的")[h] for h in headers])
    record = _import(world.staff, tc, tmp_path, headers, rows)
    by_code: dict[str, list[dict]] = {}
    for issue in record.errors_sample:
        by_code.setdefault(issue["code"], []).append(issue)
    # Nothing listed is taken for an unknown value; what is refused for another reason is refused by meaning.
    assert {i["value"] for i in by_code.get("unknown_group", [])} == {"失业者"}
    assert (
        "失业人员" in by_code["unknown_group"][0]["message"] and "高校毕业生" in by_code["unknown_group"][0]["message"]
    )
    assert [i["value"] for i in by_code["id_unknown_doc_type"]] == ["身份正"]
    assert "居民身份证" in by_code["id_unknown_doc_type"][0]["message"]
    assert [i["value"] for i in by_code["unknown_pledge"]] == ["好的"]
    assert "“是”或“否”" in by_code["unknown_pledge"][0]["message"]
    allowed = {
        "unknown_group",
        "id_unknown_doc_type",
        "unknown_pledge",
        "trainee_pledge_required",
        "ineligible_groups",
        "graduation_year_required",
        "id_type_mismatch",
        "id_bad_foreign_format",
        "id_bad_hmt_prefix",
        "id_bad_format",
        "id_needs_verification",
    }  # a resident's number for a passport …
    assert set(by_code) <= allowed, by_code
    assert len(by_code["trainee_pledge_required"]) == 1  # 否
    assert Enrollment.objects.filter(training_class=tc, person_name=_name(0)).exists()  # 农民工, as listed
