"""Vacancies, job seekers and wage records in: by the import framework (the public employment service's own
headers accepted) and by the API, each bad input a row error naming the field and the reason, nothing twice."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from jineng.imports.api import Context, importer_for
from jineng.imports.framework import run_import
from jineng.labour_market.models import JobSeeker, Vacancy, WageRecord
from jineng.labour_market.tests.conftest import TODAY, WELDER

pytestmark = pytest.mark.django_db
TOMORROW = TODAY + dt.timedelta(days=1)


def _csv(tmp_path, rows):
    path = tmp_path / "rows.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def _run(kind, path, actor, mode="partial"):
    issues = []
    result = run_import(importer=importer_for(kind), path=path,
                        ctx=Context(actor=actor, mode=mode, region_code="", today=TODAY), on_issue=issues.append)  # fmt: skip
    return result, {(i.row, i.column): i.code for i in issues}


# The public employment service's export: its own names for the columns (职位编号, 用人单位, 需求人数, 工资待遇 …).
PES_HEADER = ["职位编号", "用人单位", "职业代码", "工作地点代码", "需求人数", "工资待遇", "等级要求", "发布时间"]


def test_vacancies_with_the_service_headers_and_every_bad_row_named(tmp_path, lm):
    day = str(TODAY - dt.timedelta(days=3))
    path = _csv(tmp_path, [
        PES_HEADER,
        ["V-1", "广州智造", WELDER, "440106", "5", "7000", "四级", day],
        ["V-2", "广州智造", "9-99-99-99", "440106", "5", "7000", "", day],  # unknown occupation
        ["V-3", "深圳精密", WELDER, "440303", "5", "7000", "", day],  # outside 广州's scope
        ["V-4", "广州智造", WELDER, "440106", "-3", "7000", "", day],  # negative count
        ["V-5", "广州智造", WELDER, "440106", "3", "-100", "", day],  # negative wage
        ["V-6", "广州智造", WELDER, "440106", "3", "7000", "", str(TOMORROW)],  # in the future
        ["V-7", "广州智造", WELDER, "440199", "3", "7000", "", day],  # no such region
        ["V-1", "广州智造", WELDER, "440106", "5", "7000", "", day],  # the same number twice
    ])  # fmt: skip
    result, issues = _run("vacancies", path, lm.city)
    assert issues == {
        (3, "occupation_code"): "unknown_occupation",
        (4, "region"): "region_out_of_scope",
        (5, "count"): "negative_count",
        (6, "wage_offered"): "negative_wage",
        (7, "posted_on"): "date_in_future",
        (8, "region"): "unknown_region",
        (9, "ref"): "duplicate_row",
    }
    assert result.created == 1 and Vacancy.objects.get().level_required_id == "grade4"
    again, _ = _run("vacancies", path, lm.city)
    assert again.created == 0 and again.unchanged == 1 and Vacancy.objects.count() == 1


def test_strict_mode_writes_nothing_when_a_row_is_bad(tmp_path, lm):
    path = _csv(tmp_path, [
        ["求职登记编号", "求职工种代码", "登记地区代码", "技能等级", "求职登记日期"],
        ["S-1", WELDER, "440106", "", str(TODAY)],
        ["S-2", WELDER, "440106", "十级", str(TODAY)],
    ])  # fmt: skip
    result, issues = _run("job_seekers", path, lm.city, mode="strict")
    assert issues == {(3, "level_held"): "unknown_level"} and result.written is False
    assert JobSeeker.objects.count() == 0


def test_wage_records_refuse_negative_pay_and_future_years(tmp_path, lm):
    path = _csv(tmp_path, [
        ["调查编号", "单位名称", "职业编码", "行政区划代码", "职业技能等级", "统计年度", "年工资总额"],
        ["W-1", "广州智造", WELDER, "440106", "三级", str(TODAY.year - 1), "96000"],
        ["W-2", "广州智造", WELDER, "440106", "", str(TODAY.year - 1), "-96000"],
        ["W-3", "广州智造", WELDER, "440106", "", str(TODAY.year + 1), "96000"],
    ])  # fmt: skip
    result, issues = _run("wage_records", path, lm.city)
    assert issues == {(3, "annual_pay"): "negative_wage", (4, "year"): "bad_year"}
    assert result.created == 1 and WageRecord.objects.get().annual_pay == 96000


def test_one_record_by_the_api_with_the_same_reasons(lm, client):
    client.force_login(lm.tianhe)
    good = {"ref": "API-1", "employer_name": "天河企业", "occupation_code": WELDER, "region": "440106", "count": 4,
            "posted_on": str(TODAY)}  # fmt: skip
    first = client.post("/api/v1/labour/vacancies", good, content_type="application/json")
    assert first.status_code == 201 and first.json()["created"] is True
    retried = client.post("/api/v1/labour/vacancies", good, content_type="application/json")
    assert retried.status_code == 200 and retried.json()["created"] is False
    for change, code, field in (
        ({"count": -1}, "negative_count", "count"),
        ({"region": "440104"}, "region_out_of_scope", "region"),
        ({"occupation_code": "1-01"}, "unknown_occupation", "occupation_code"),
        ({"posted_on": str(TOMORROW)}, "date_in_future", "posted_on"),
    ):
        response = client.post("/api/v1/labour/vacancies", {**good, "ref": f"API-{code}", **change},
                               content_type="application/json")  # fmt: skip
        assert response.status_code == 422, change
        assert response.json()["code"] == code and response.json()["fields"][0]["field"] == field
    seeker = {"ref": "S-API", "occupation_code": WELDER, "region": "440106", "registered_on": str(TODAY)}
    assert client.post("/api/v1/labour/job-seekers", seeker, content_type="application/json").status_code == 201
    wage = {"ref": "W-API", "occupation_code": WELDER, "region": "440106", "year": TODAY.year, "annual_pay": -5}
    response = client.post("/api/v1/labour/wage-records", wage, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "negative_wage"


def test_a_role_without_the_import_right_is_refused(lm, client):
    client.force_login(lm.inspector)
    body = {"ref": "X", "occupation_code": WELDER, "region": "440106", "registered_on": str(TODAY)}
    assert client.post("/api/v1/labour/job-seekers", body, content_type="application/json").status_code == 403


def test_a_number_is_the_source_s_within_its_region_and_a_corrected_row_updates(tmp_path, lm, make_user, client):
    day = str(TODAY - dt.timedelta(days=3))
    luohu = make_user("county_official", region="440303", username="lm-luohu")
    mine = _csv(tmp_path, [PES_HEADER, ["V-1", "广州智造", WELDER, "440106", "5", "7000", "", day]])
    assert _run("vacancies", mine, lm.city)[0].created == 1
    # 罗湖 numbers its own postings from V-1 too: created, by import and by the API, and neither sees the other.
    theirs = _csv(tmp_path, [PES_HEADER, ["V-1", "深圳精密", WELDER, "440303", "2", "9000", "", day]])
    assert _run("vacancies", theirs, luohu)[0].created == 1
    client.force_login(luohu)
    body = {"ref": "V-1", "employer_name": "深圳精密", "occupation_code": WELDER, "region": "440303", "count": 2,
            "wage_offered": 9000, "posted_on": day}  # fmt: skip
    assert client.post("/api/v1/labour/vacancies", body, content_type="application/json").status_code == 200
    seeker = {"ref": "S-1", "occupation_code": WELDER, "region": "440303", "registered_on": day}
    JobSeeker.objects.create(ref="S-1", occupation_id=Vacancy.objects.first().occupation_id, region_id="440106",
                             registered_on=TODAY)  # fmt: skip
    assert client.post("/api/v1/labour/job-seekers", seeker, content_type="application/json").status_code == 201
    assert Vacancy.objects.filter(ref="V-1").count() == 2
    # 广州 re-sends its file with the count corrected: the record is updated, and the result says so.
    corrected = _csv(tmp_path, [PES_HEADER, ["V-1", "广州智造", WELDER, "440106", "8", "7000", "", day]])
    result, issues = _run("vacancies", corrected, lm.city)
    assert issues == {} and (result.created, result.updated, result.unchanged) == (0, 1, 0)
    assert Vacancy.objects.get(region_id="440106").count == 8
    assert Vacancy.objects.get(region_id="440303").count == 2
    again, _ = _run("vacancies", corrected, lm.city)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
