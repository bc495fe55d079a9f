"""The persons importer's prepared two-pass run (ID numbers checked column-wise, every row validated once, the
candidates kept for the write pass) reports and writes exactly what the scalar, re-reading run does, for a file with
every kind of bad row, over several batches."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from openpyxl import Workbook

from jineng.common.models import AuditEntry
from jineng.imports.api import Context, importer_for
from jineng.imports.framework import Issue, run_import
from jineng.registry.io.importers import PersonsImporter
from jineng.registry.models import IdentityDocument, Person
from jineng.registry.tests.factories import id15_of, id18, make_person

pytestmark = pytest.mark.django_db(transaction=False)

HEADER = ["姓名", "身份证号码", "证件类型", "手机号码", "居住地行政区划代码", "人员类别", "性别", "出生日期",
          "文化程度", "户口性质", "户籍地行政区划代码", "毕业年度"]  # fmt: skip
TODAY = dt.date(2026, 11, 20)


class RereadingPersonsImporter(PersonsImporter):
    """The importer as it was: the scalar ID rule for every row, the file read and validated in both passes."""

    prepares = False

    def _checked_ids(self, rows: list[Any], ctx: Context) -> list[Any]:
        return [None] * len(rows)


def row(name: str, number: str, **cells: Any) -> list[Any]:
    values = {"doc_type": "", "phone": "", "residence": "440106", "groups": "", "sex": "", "birth": "",
              "education": "", "hukou": "", "hukou_region": "", "year": ""} | cells  # fmt: skip
    return [name, number, *values.values()]


def every_kind_of_row() -> tuple[list[list[Any]], dict[int, set[tuple[str, str, str]]]]:
    """(rows under the header, the issues expected per file row: (column, code, severity))."""
    good = id18(seq=11)
    bad_check = good[:17] + ("0" if good[17] != "0" else "1")
    rows = [
        (row("甲一", good, phone="13800138001", groups="农民工"), set()),
        (row("", id18(seq=13)), {("name", "name_required", "error")}),
        (row("乙2", id18(seq=15)), {("name", "name_bad_format", "error")}),
        (row("丙三", bad_check), {("id_number", "id_bad_checksum", "error")}),
        (row("丁四", "123"), {("id_number", "id_bad_length", "error")}),
        (row("戊五", id18(seq=17), doc_type="学生证"), {("doc_type", "id_unknown_doc_type", "error")}),
        (row("己六", id18(seq=19), phone="abc"), {("phone", "phone_bad_format", "error")}),
        (row("庚七", id18(seq=21), residence="449999"), {("residence_region", "unknown_region", "error")}),
        (row("辛八", id18(seq=23), groups="宇航员"), {("groups", "unknown_group", "error")}),
        (row("壬九", id18(seq=25), year="20"), {("graduation_year", "bad_year", "error")}),
        (row("癸十", id18(seq=27), groups="高校毕业生"), {("graduation_year", "graduation_year_required", "error")}),
        (row("子一", id18(seq=29), education="宇宙学"), {("education", "bad_education", "error")}),
        (row("丑二", id18(seq=31), hukou="火星"), {("hukou_type", "bad_hukou_type", "error")}),
        (row("寅三", id18(seq=33), sex="未知"), {("sex", "bad_sex", "error")}),
        (row("卯四", id18(seq=35), birth="2020-13-45"), {("birth_date", "bad_date", "error")}),
        (row("辰五", id18(seq=37), sex="女"), {("sex", "sex_mismatch", "error")}),
        (row("巳六", id18(seq=39), birth="1991-01-01"), {("birth_date", "birth_date_mismatch", "error")}),
        (row("午七", id15_of(id18("440104", dt.date(1975, 5, 6), 41)), sex="男"), set()),  # legacy: scalar rule
        (row("甲一", good), set()),  # the same person twice: unchanged
        (row("未八", good), {("id_number", "id_name_mismatch_in_file", "error")}),
        (row("申九", id18(seq=43)), {("id_number", "id_name_mismatch", "error")}),  # registered as 张三
        (row("李四", id18(seq=45), phone="13900139000"), {("phone", "phone_changed", "warning")}),
        (row("酉十", "=A1&A2"), {("id_number", "formula_cell", "error")}),
        (row("戌一", id18("119999", seq=47)), {("id_number", "id_unknown_region", "error")}),
        (row("亥二", id18("810000", seq=49), doc_type="港澳台居民居住证"), set()),  # HMT permit: scalar rule
        (row("甲三", "４４０１０６" + id18(seq=51)[6:]), set()),  # full-width digits
        (
            row(
                "乙四",
                id18(seq=53)[:17] + "x" if id18(seq=53)[17] == "X" else id18(seq=53),
                phone="+86 13700137000",
                groups="脱贫人口、高校毕业生",
                year="2020",
                education="本科",
                hukou="农业",
                hukou_region="440104",
            ),
            set(),
        ),
        (row("丙五", id18("440106", dt.date(1900, 1, 1), 55), residence="天河区"), set()),
    ]
    return [r for r, _ in rows], {n + 2: issues for n, (_, issues) in enumerate(rows)}


def write_file(path: Path, rows: list[list[Any]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def run(importer: PersonsImporter, path: Path, mode: str, user: Any) -> tuple[Any, list[Issue], list[tuple]]:
    issues: list[Issue] = []
    ctx = Context(actor=user, mode=mode, region_code="440106", today=TODAY)
    result = run_import(importer=importer, path=path, ctx=ctx, on_issue=issues.append, batch_size=4)
    persons = sorted(
        Person.objects.values_list("name", "sex", "birth_date", "phone_masked", "residence_region_id",
                                   "hukou_type", "education", "hukou_region_id")
    )  # fmt: skip
    return result, issues, persons


@pytest.fixture
def setup(tmp_path, make_user):
    user = make_user("county_official", region="440106", username="tianhe")
    make_person(name="张三", id_number=id18(seq=43))
    make_person(name="李四", id_number=id18(seq=45), phone="13800138000")
    rows, expected = every_kind_of_row()
    return user, write_file(tmp_path / "p.xlsx", rows), expected


def summary(issues: list[Issue]) -> list[tuple]:
    return sorted((i.row, i.column, i.value, i.code, i.message, i.severity) for i in issues)


@pytest.mark.parametrize("mode", ["partial", "strict"])
def test_prepared_run_reports_and_writes_what_the_rereading_run_does(setup, mode):
    user, path, expected = setup
    with transaction.atomic():
        before = run(RereadingPersonsImporter(), path, mode, user)
        transaction.set_rollback(True)
    after = run(importer_for("persons"), path, mode, user)
    assert importer_for("persons").prepares
    assert summary(after[1]) == summary(before[1])
    assert after[0].as_dict() == before[0].as_dict()
    assert after[2] == before[2]
    found: dict[int, set[tuple[str, str, str]]] = {}
    for issue in after[1]:
        found.setdefault(issue.row, set()).add((issue.column, issue.code, issue.severity))
    assert found == {n: issues for n, issues in expected.items() if issues}
    result = after[0]
    errors = sum(1 for issues in expected.values() if any(s == "error" for *_, s in issues))
    assert result.rows_total == len(expected) and result.rows_failed == errors and result.exit_code == 1
    if mode == "strict":
        assert not result.written and Person.objects.count() == 2
    else:
        # 甲一, 午七, 亥二, 甲三, 乙四, 丙五 are new; 李四 unchanged (phone reported, not overwritten)
        assert result.created == 6 and result.written
        assert Person.objects.count() == 8
        assert IdentityDocument.objects.filter(person__name="午七").get().number_masked.startswith("4401")
        li = Person.objects.get(name="李四")
        assert li.phone_masked == "138****8000"
        assert AuditEntry.objects.filter(action="person.import").exists()


def test_report_values_stay_masked(setup):
    user, path, _ = setup
    _result, issues, _persons = run(importer_for("persons"), path, "partial", user)
    for issue in issues:
        if issue.column == "id_number" and issue.code != "formula_cell" and len(issue.value) >= 15:
            assert "*" * 8 in issue.value
        if issue.column == "phone" and issue.value:
            assert "*" in issue.value and "13900139000" not in issue.value
