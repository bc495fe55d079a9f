"""``jineng import persons``: exit codes, strict and partial, reports, re-import, name mismatch, changed phone;
the same through the API and the upload page."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from openpyxl import load_workbook

from jineng.common.models import AuditEntry
from jineng.imports.models import ImportJob
from jineng.imports.tests.helpers import write_csv, write_xlsx
from jineng.registry.models import GroupMembership, IdentityDocument, Person
from jineng.registry.tests.factories import id15_of, id18, make_person

pytestmark = pytest.mark.django_db(transaction=False)

HEADER = ["姓名", "身份证号码", "手机号码", "居住地行政区划代码", "人员类别"]


def run(path, *args, user=None):
    argv = ["import", "persons", str(path), *args]
    if user is not None:
        argv += ["--as", user.username]
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command(*argv, stdout=out, stderr=err)
    return exc.value.code, out.getvalue() + err.getvalue()


def report_rows(path):
    ws = load_workbook(path, read_only=True).worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True)][1:]


@pytest.fixture
def official(make_user):
    return make_user("county_official", region="440106", username="tianhe")


def test_all_rows_imported_exit_0_and_reimport_creates_no_duplicates(tmp_path, official):
    a, b = id18(seq=1), id18("440104", dt.date(1985, 2, 3), 2)
    path = write_xlsx(tmp_path / "p.xlsx", [HEADER, ["张三", a, "13800138001", "440106", "农民工"],
                                            [" 李 四 ", b.lower(), "１３９００１３９００２", "440104", "脱贫人口、高校毕业生"]])  # fmt: skip
    # 李四 is a graduate without a graduation year → an error; fix the file first
    path = write_xlsx(tmp_path / "p.xlsx", [HEADER + ["毕业年度"], ["张三", a, "13800138001", "440106", "农民工", ""],
                                            ["李四", b.lower(), "１３９００１３９００２", "440104", "脱贫人口、高校毕业生", 2024]])  # fmt: skip
    report = tmp_path / "r.xlsx"
    code, out = run(path, "--mode", "strict", "--report", str(report), user=official)
    assert code == 0, out
    assert Person.objects.count() == 2
    li = Person.objects.get(name="李四")
    assert li.phone_masked == "139****9002" and li.residence_region_id == "440104"
    assert set(li.memberships.values_list("group", flat=True)) == {"poverty_alleviated", "college_graduate"}
    assert li.memberships.get(group="college_graduate").graduation_year == 2024
    assert li.facts.filter(region_id="440106").exists()  # attributed to the importing office
    assert report_rows(report) == []
    code, out = run(path, "--report", str(report), user=official)
    assert code == 0
    assert Person.objects.count() == 2 and IdentityDocument.objects.count() == 2
    assert GroupMembership.objects.count() == 3
    record = ImportJob.objects.order_by("-created_at").first()
    assert record.summary["unchanged"] == 2 and record.summary["created"] == 0
    assert AuditEntry.objects.filter(action="person.import").exists()


def test_strict_writes_nothing_when_a_row_fails_exit_1_with_masked_report(tmp_path, official):
    good = id18(seq=3)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    path = write_csv(tmp_path / "p.csv", [HEADER, ["王五", id18(seq=4), "13700137000", "440106", ""],
                                          ["赵六", bad, "13600136000", "440106", ""]], "gbk")  # fmt: skip
    report = tmp_path / "r.xlsx"
    code, out = run(path, "--mode", "strict", "--report", str(report), user=official)
    assert code == 1, out
    assert Person.objects.count() == 0
    rows = report_rows(report)
    assert len(rows) == 1
    row, column, value, message, severity, err_code = rows[0]
    assert row == 3 and column == "身份证号码" and err_code == "id_bad_checksum" and severity == "错误"
    assert value == bad[:4] + "*" * 10 + bad[-4:] and message


def test_partial_writes_the_valid_rows_exit_1(tmp_path, official):
    path = write_csv(tmp_path / "p.csv", [HEADER, ["王五", id18(seq=5), "13700137000", "440106", ""],
                                          ["赵六", "123", "", "440106", ""],
                                          ["钱七", id18(seq=6), "abc", "440106", ""],
                                          ["孙八", id18(seq=7), "", "449999", "宇航员"]], bom=True)  # fmt: skip
    report = tmp_path / "r.xlsx"
    code, _ = run(path, "--mode", "partial", "--report", str(report), user=official)
    assert code == 1
    assert list(Person.objects.values_list("name", flat=True)) == ["王五"]
    codes = sorted((r[0], r[5]) for r in report_rows(report))
    assert codes == [(3, "id_bad_length"), (4, "phone_bad_format"), (5, "unknown_group"), (5, "unknown_region")]
    # A reader sees the reason in Chinese before the code, which stands last for support staff (issue 15).
    header = [c.value for c in load_workbook(report, read_only=True).worksheets[0][1]]
    assert header[3] == "说明" and header[-1] == "错误代码（供技术支持）"
    assert all(re.search(r"[\u4e00-\u9fff]", r[3]) for r in report_rows(report))


def test_known_number_under_another_name_is_a_row_error(tmp_path, official):
    number = id18(seq=8)
    make_person(name="真名", id_number=number, phone="13800000008")
    path = write_csv(tmp_path / "p.csv", [HEADER, ["假名", number, "", "440106", ""],
                                          ["新人", id18(seq=9), "", "440106", ""],
                                          ["新人二", id18(seq=10), "", "440106", ""],
                                          ["冒名", id18(seq=10), "", "440106", ""]])  # fmt: skip
    report = tmp_path / "r.xlsx"
    code, _ = run(path, "--mode", "partial", "--report", str(report), user=official)
    assert code == 1
    rows = report_rows(report)
    assert [(r[0], r[5]) for r in rows] == [(2, "id_name_mismatch"), (5, "id_name_mismatch_in_file")]
    assert "真*" in rows[0][3] and "真名" not in rows[0][3]
    assert Person.objects.filter(name="真名").count() == 1 and not Person.objects.filter(name="假名").exists()
    assert Person.objects.count() == 3


def test_changed_phone_is_reported_never_overwritten(tmp_path, official):
    number = id18(seq=11)
    person = make_person(name="周九", id_number=number, phone="13800000011")
    legacy_form = id18("440106", dt.date(1970, 7, 7), 12)
    other = make_person(name="吴十", id_number=legacy_form, phone="")
    path = write_csv(tmp_path / "p.csv", [HEADER, ["周九", number, "13911112222", "440106", ""],
                                          ["吴十", id15_of(legacy_form), "13922223333", "440106", ""]])  # fmt: skip
    report = tmp_path / "r.xlsx"
    code, out = run(path, "--report", str(report), user=official)
    assert code == 0, out
    person.refresh_from_db()
    other.refresh_from_db()
    assert person.phone_masked == "138****0011"  # not overwritten
    assert other.phone_masked == "139****3333"  # an empty phone is filled (found through the 15-digit form)
    rows = report_rows(report)
    assert [(r[0], r[5], r[4]) for r in rows] == [(2, "phone_changed", "提示")]
    assert rows[0][2] == "139****2222"
    assert Person.objects.count() == 2


def test_refused_files_exit_2_and_write_nothing(tmp_path, official):
    pdf = tmp_path / "x.xlsx"
    pdf.write_bytes(b"%PDF-1.4")
    code, out = run(pdf, user=official)
    assert code == 2
    assert "损坏" in out  # an .xlsx name with PDF content
    missing = write_csv(tmp_path / "m.csv", [["姓名", "电话"], ["张三", "1"]])
    report = tmp_path / "r.xlsx"
    code, out = run(missing, "--report", str(report), user=official)
    assert code == 2 and "身份证号码" in out
    assert report_rows(report)[0][5] == "missing_columns"
    with override_settings(JINENG_IMPORT_MAX_ROWS=2):
        many = write_csv(tmp_path / "n.csv", [HEADER] + [[f"人{'甲' * i}", id18(seq=20 + i), "", "440106", ""]
                                                         for i in range(5)])  # fmt: skip
        code, out = run(many, user=official)
        assert code == 2 and "上限" in out
    with override_settings(JINENG_IMPORT_MAX_COLUMNS=3):
        code, out = run(write_csv(tmp_path / "w.csv", [HEADER, ["张三", id18(seq=30), "", "440106", ""]]),
                        user=official)  # fmt: skip
        assert code == 2
    assert Person.objects.count() == 0
    assert ImportJob.objects.filter(outcome="refused").count() == 4


def test_formula_and_injection_cells_are_row_errors_and_escaped_in_the_report(tmp_path, official):
    path = write_xlsx(tmp_path / "f.xlsx", [HEADER, ["=HYPERLINK(\"http://x\",\"点我\")", id18(seq=31), "", "440106", ""],
                                            ["@张三", id18(seq=32), "", "440106", ""]])  # fmt: skip
    report = tmp_path / "r.xlsx"
    code, _ = run(path, "--mode", "partial", "--report", str(report), user=official)
    assert code == 1
    rows = report_rows(report)
    assert [(r[0], r[5]) for r in rows] == [(2, "formula_cell"), (3, "name_bad_format")]
    assert rows[0][2].startswith("'=") and rows[1][2] == "'@张三"
    assert Person.objects.count() == 0


def test_permission_needed_and_unknown_user(tmp_path, make_user):
    path = write_csv(tmp_path / "p.csv", [HEADER, ["王五", id18(seq=40), "", "440106", ""]])
    reviewer = make_user("reviewer", region="440106", username="rev")
    code, out = run(path, user=reviewer)
    assert code == 2 and "权限" in out
    argv = ["import", "persons", str(path), "--as", "nobody"]
    with pytest.raises(SystemExit) as exc:
        call_command(*argv, stdout=StringIO(), stderr=StringIO())
    assert exc.value.code == 2
    assert Person.objects.count() == 0


def test_api_upload_poll_and_report(tmp_path, make_user, api, django_capture_on_commit_callbacks):
    user = make_user("county_official", region="440106")
    client = api(user)
    path = write_csv(tmp_path / "p.csv", [HEADER, ["王五", id18(seq=50), "13700137050", "440106", "农民工"],
                                          ["坏行", "1", "", "440106", ""]])  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True), path.open("rb") as fh:
        response = client.post("/api/v1/imports/", {"kind": "persons", "mode": "partial", "file": fh})
    assert response.status_code == 202, response.content
    job_id = response.json()["id"]
    status = client.get(f"/api/v1/imports/{job_id}").json()
    assert status["status"] == "succeeded" and status["exit_code"] == 1 and status["outcome"] == "rejected"
    assert status["summary"]["created"] == 1 and status["errors"][0]["code"] == "id_bad_length"
    report = client.get(status["report_url"])
    assert report.status_code == 200 and report.content.startswith(b"PK")
    assert Person.objects.filter(name="王五").exists()
    stranger = make_user("county_official", region="440303")
    client.force_login(stranger)
    assert client.get(f"/api/v1/imports/{job_id}").status_code == 404


def test_api_refused_file_fails_the_job(tmp_path, make_user, api, django_capture_on_commit_callbacks):
    client = api(make_user("county_official", region="440106"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/imports/", {"kind": "persons", "file": _upload(b"%PDF-1.4 nope", "x.pdf")})
    status = client.get(f"/api/v1/imports/{response.json()['id']}").json()
    assert status["status"] == "failed" and status["exit_code"] == 2 and status["error"]


def test_upload_page_and_progress_partial(tmp_path, make_user, api, django_capture_on_commit_callbacks):
    client = api(make_user("county_official", region="440106"))
    assert "上传并导入" in client.get("/imports/").content.decode()
    path = write_csv(tmp_path / "p.csv", [HEADER, ["王五", id18(seq=60), "13700137060", "440106", ""]])
    with django_capture_on_commit_callbacks(execute=True), path.open("rb") as fh:
        response = client.post("/imports/", {"kind": "persons", "mode": "strict", "region": "", "file": fh})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200 and "全部导入" in page.content.decode()
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert 'id="import-status"' in partial and "hx-get" not in partial  # finished: polling stops
    template = client.get("/imports/template/persons.xlsx")
    assert template.status_code == 200 and template.content.startswith(b"PK")


def _upload(content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)
