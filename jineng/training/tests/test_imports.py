"""``jineng import roster FILE --class CLASS`` and ``jineng import attendance FILE --class CLASS``: the same checks as
the API, a row report, nothing written in strict mode on an error, nothing created twice on a re-import."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from jineng.imports.tests.helpers import write_csv, write_xlsx
from jineng.training.models import AttendanceEvent, Enrollment
from jineng.training.tests.conftest import FILED, id_number

pytestmark = pytest.mark.django_db

HEADER = ["姓名", "身份证号码", "手机号码", "人员类别", "居住地行政区划代码", "学员承诺"]


def run(*argv):
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("import", *argv, stdout=out, stderr=err)
    return exc.value.code, out.getvalue(), err.getvalue()


def test_a_roster_file_for_a_class(world, make_class, tmp_path):
    tc = make_class("approved", planned_size=4)  # filed with one trainee: three places
    filed = Enrollment.objects.filter(training_class=tc).exclude(person_name=FILED)
    good = [["甲文件", id_number(), "13800138001", "失业人员", "440106", "是"],
            ["乙文件", id_number(), "", "农民工、青年", "440106", "是"]]  # fmt: skip
    bad = [["丙文件", id_number(), "", "", "440106", "是"],  # no qualifying group
           ["丁文件", id_number(), "", "失业人员", "440106", ""]]  # no pledge  # fmt: skip
    path = write_csv(tmp_path / "roster.csv", [HEADER, *good, *bad])
    code, out, err = run("roster", str(path), "--class", tc.code, "--as", world.staff.username)
    assert code == 1, err
    assert "ineligible_groups" in out and "trainee_pledge_required" in out
    assert "未写入任何数据" in out
    assert not filed.exists()
    code, out, err = run("roster", str(path), "--class", tc.code, "--as", world.staff.username, "--mode", "partial")
    assert code == 1
    assert sorted(filed.values_list("person_name", flat=True)) == [
        "乙文件",
        "甲文件",
    ]
    assert set(filed.values_list("source", flat=True)) == {"import"}
    # Re-importing the valid rows creates nothing twice.
    again = write_xlsx(tmp_path / "again.xlsx", [HEADER, *good])
    code, out, err = run("roster", str(again), "--class", str(tc.pk), "--as", world.staff.username)
    assert code == 0, out + err
    assert "新增 0" in out and "未变 2" in out
    assert filed.count() == 2


def test_capacity_counts_across_the_whole_file(world, make_class, tmp_path):
    tc = make_class("approved", planned_size=3)  # filed with one trainee: two places
    rows = [[f"{n}号学员", id_number(), "", "失业人员", "440106", "是"] for n in "一二三"]
    path = write_csv(tmp_path / "r.csv", [HEADER, *rows])
    from jineng.imports.services import import_create

    with path.open("rb") as fh:
        record = import_create(actor=world.staff, kind="roster", source=fh, filename="r.csv",
                               options={"class": tc.code}, run_now=True)  # fmt: skip
    assert record.exit_code == 1
    assert [e["code"] for e in record.errors_sample] == ["class_full"]


def test_a_trainee_in_a_class_whose_sessions_overlap_is_refused_by_the_import(world, make_class, trainee, tmp_path):
    from jineng.imports.services import import_create
    from jineng.training.services.rosters import enrollments_add
    from jineng.training.tests.conftest import week_sessions

    day_class = make_class("approved")  # 9–12 all week
    row = trainee("吴重叠")
    enrollments_add(actor=world.staff, training_class=day_class, rows=[row], now=world.now)
    clash = make_class("approved", sessions=week_sessions(world.start, world.teacher2, days=1, hours=(11, 13)))
    path = write_csv(tmp_path / "r.csv", [HEADER, ["吴重叠", row.id_number, "", "失业人员", "440106", "是"]])
    with path.open("rb") as fh:
        record = import_create(actor=world.staff, kind="roster", source=fh, filename="r.csv",
                               options={"class": clash.code}, run_now=True)  # fmt: skip
    assert record.exit_code == 1
    assert [e["code"] for e in record.errors_sample] == ["overlapping_enrollment"]
    assert not Enrollment.objects.filter(training_class=clash, person_name="吴重叠").exists()


def test_a_roster_needs_a_class_in_scope(world, make_class, tmp_path):
    tc = make_class("approved")
    path = write_csv(tmp_path / "r.csv", [HEADER, ["甲", id_number(), "", "失业人员", "440106", "是"]])
    code, out, err = run("roster", str(path), "--as", world.staff.username)
    assert code == 2 and "培训班编号" in err
    code, out, err = run("roster", str(path), "--class", tc.code, "--as", world.other_staff.username)
    assert code == 2 and "权限范围" in err
    assert not Enrollment.objects.exclude(person_name=FILED).exists()


def test_an_attendance_file(world, class_now, tmp_path):
    tc, start, end, (e1, _e2), rows_in = class_now
    row = rows_in[0]
    header = ["身份证号码", "打卡类型", "打卡时间", "考勤方式", "设备编号", "记录编号"]
    local = timezone.localtime
    rows = [
        [row.id_number, "签到", f"{local(start):%Y-%m-%d %H:%M}", "人脸识别", "FACE-9", "e1"],
        [row.id_number, "签退", f"{local(end):%Y-%m-%d %H:%M}", "人脸识别", "FACE-9", "e2"],
        [id_number(), "签到", f"{local(start):%Y-%m-%d %H:%M}", "刷卡", "FACE-9", "e3"],  # not on the roster
        [row.id_number, "签到", f"{local(start) - dt.timedelta(days=1):%Y-%m-%d %H:%M}", "扫码", "FACE-9", "e4"],
    ]
    path = write_csv(tmp_path / "a.csv", [header, *rows])
    code, out, err = run("attendance", str(path), "--class", tc.code, "--as", world.staff.username, "--mode", "partial")
    assert code == 1, out + err
    assert "unknown_enrollment" in out and "outside_class_dates" in out
    assert sorted(AttendanceEvent.objects.values_list("event_id", flat=True)) == ["e1", "e2"]
    e1.refresh_from_db()
    assert e1.credited_hours == 4
    code, out, err = run("attendance", str(path), "--class", tc.code, "--as", world.staff.username, "--mode", "partial")
    assert "未变 2" in out and AttendanceEvent.objects.count() == 2


def test_roster_and_attendance_imports_keep_to_the_importers_scope(world, make_class, tmp_path):
    """Another provider's staff (or an official of another county) cannot import into a class they do not manage:
    the class is answered as unknown, nothing is written (issue 14: imports keep to the one-record checks)."""
    from jineng.training.tests.conftest import id_number as new_number

    tc = make_class("approved", planned_size=3)
    enrolled, events = Enrollment.objects.filter(training_class=tc).count(), AttendanceEvent.objects.count()
    roster = write_csv(tmp_path / "r.csv", [HEADER, ["越界", new_number(), "", "失业人员", "440106", "是"]])
    code, out, err = run("roster", str(roster), "--class", tc.code, "--as", world.other_staff.username)
    assert code == 2 and "培训班不存在或不在您的权限范围内" in out + err
    attendance = write_csv(
        tmp_path / "a.csv",
        [["身份证号码", "打卡类型", "打卡时间", "考勤方式", "设备编号", "记录编号"],
         [new_number(), "签到", "2026-03-02 09:01", "人脸识别", "D1", "E1"]],
    )  # fmt: skip
    code, out, err = run("attendance", str(attendance), "--class", tc.code, "--as", world.other_staff.username)
    assert code == 2
    assert Enrollment.objects.filter(training_class=tc).count() == enrolled
    assert AttendanceEvent.objects.count() == events


def test_the_roster_template_reads_back_its_own_document_type_and_a_graduates_year(world, make_class, tmp_path):
    """The roster template's 证件类型 column takes what the person import takes (居民身份证, 身份证, 护照 …: one
    synonym table), and its 毕业年度 column registers a new 高校毕业生, who cannot be registered without it."""
    from jineng.imports.api import importer_for
    from jineng.registry.models import GroupMembership

    headers = importer_for("roster").template_headers()
    assert "证件类型" in headers and "毕业年度" in headers
    tc = make_class("approved")
    header = ["姓名", "证件类型", "身份证号码", "人员类别", "居住地行政区划代码", "学员承诺", "毕业年度"]
    graduate = id_number(born=dt.date(2002, 3, 4))
    rows = [
        ["甲证件", "居民身份证", id_number(), "失业人员", "440106", "是", ""],
        ["乙证件", "身份证", id_number(), "农民工", "440106", "是", ""],
        ["丙毕业", "居民身份证", graduate, "高校毕业生", "440106", "是", "2025"],
        ["丁毕业", "居民身份证", id_number(born=dt.date(2003, 3, 4)), "高校毕业生", "440106", "是", ""],
        ["戊证件", "身份正", id_number(), "失业人员", "440106", "是", ""],
    ]
    path = write_xlsx(tmp_path / "roster.xlsx", [header, *rows])
    code, out, err = run("roster", str(path), "--class", tc.code, "--as", world.staff.username, "--mode", "partial")
    assert code == 1, out + err
    names = set(Enrollment.objects.filter(training_class=tc).values_list("person_name", flat=True))
    assert names == {FILED, "甲证件", "乙证件", "丙毕业"}
    assert "graduation_year_required" in out and "id_unknown_doc_type" in out and out.count("id_unknown_doc_type") == 1
    membership = GroupMembership.objects.get(person__name="丙毕业", group="college_graduate")
    assert membership.graduation_year == 2025


def test_the_downloaded_template_filled_as_its_example_imports(world, make_class, client, tmp_path):
    """Issue 15: the roster template's 居住地 wanted a region code, and nothing showed how to fill a row. The template
    has a 填写示例 sheet; its row, copied onto the first sheet, imports as it is."""
    from io import BytesIO

    from openpyxl import load_workbook

    from jineng.imports.services import import_create

    tc = make_class("approved")
    client.force_login(world.staff)
    workbook = load_workbook(BytesIO(client.get("/imports/template/roster.xlsx").content))
    first, example = workbook.worksheets[0], workbook["填写示例"]  # 选项 (hidden) holds the dropdowns
    headers = [c.value for c in first[1]]
    assert "居住地" in headers and [c.value for c in example[1]] == headers
    row = [c.value or "" for c in example[2]]
    assert row[headers.index("居住地")] == "广州市天河区"
    with BytesIO(client.get("/imports/template/roster.xlsx").content) as as_downloaded:  # the walk: "全部导入", 0 rows
        refused = import_create(actor=world.staff, kind="roster", source=as_downloaded, filename="template.xlsx",
                                options={"class": tc.code}, run_now=True)  # fmt: skip
    assert refused.exit_code == 2 and refused.outcome == "refused"
    assert "没有数据行" in refused.summary["message"] and "填写示例" in refused.summary["message"]
    path = write_xlsx(tmp_path / "filled.xlsx", [headers, row])
    with path.open("rb") as fh:
        record = import_create(actor=world.staff, kind="roster", source=fh, filename="filled.xlsx",
                               options={"class": tc.code}, run_now=True)  # fmt: skip
    assert record.exit_code == 0, record.errors_sample
    enrolled = Enrollment.objects.get(training_class=tc, person_name=row[headers.index("姓名")])
    assert enrolled.person.residence_region_id == "440106"


@pytest.mark.parametrize(
    ("written", "region"),
    [("天河区", "440106"), ("广州市天河区", "440106"), ("广东省广州市天河区", "440106"), ("440104", "440104"),
     (" 越秀区 ", "440104"), ("福田区", "440304")],
)  # fmt: skip
def test_the_roster_takes_the_residence_people_write(world, make_class, tmp_path, written, region):
    tc = make_class("approved")
    number = id_number()
    path = write_csv(tmp_path / "r.csv", [["姓名", "身份证号码", "人员类别", "居住地", "学员承诺"],
                                          ["居住者", number, "失业人员", written, "是"]])  # fmt: skip
    code, out, err = run("roster", str(path), "--class", tc.code, "--as", world.staff.username)
    assert code == 0, out + err
    assert Enrollment.objects.get(training_class=tc, person_name="居住者").person.residence_region_id == region


@pytest.mark.parametrize("written", ["天河", "不存在区", "999999", "广州市福田区", "鼓楼区"])
def test_a_residence_that_names_no_one_region_is_refused_with_its_row(world, make_class, tmp_path, written):
    """天河 (no such name), an unknown code, 福田区 is not in 广州, 鼓楼区 is in several cities and none near the class."""
    tc = make_class("approved")
    path = write_csv(tmp_path / "r.csv", [["姓名", "身份证号码", "人员类别", "居住地", "学员承诺"],
                                          ["居住者", id_number(), "失业人员", written, "是"]])  # fmt: skip
    code, out, err = run("roster", str(path), "--class", tc.code, "--as", world.staff.username)
    assert code == 1 and "unknown_region" in out and "居住地不正确" in out
    assert not Enrollment.objects.filter(training_class=tc, person_name="居住者").exists()
