"""The Interface of issue 17: rules, a scan as a job (202, then its status), cases in the caller's scope with their
evidence — seven persons registered through the API with one phone give exactly one shared_phone case of those
seven; and who may see and start what."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from jineng.rules.idcard import check_character

pytestmark = pytest.mark.django_db


def id18(region: str, born: dt.date, seq: int) -> str:
    body = f"{region}{born:%Y%m%d}{seq:03d}"
    return body + check_character(body)


def register(client, n: int, phone: str, region: str, start: int) -> list[str]:
    ids = []
    for i in range(n):
        r = client.post("/api/v1/persons", data=json.dumps({
            "name": f"测试{chr(0x4E00 + start + i)}", "id_number": id18(region, dt.date(1985, 1, 1 + i), start + i),
            "phone": phone, "residence_region": region}), content_type="application/json")  # fmt: skip
        assert r.status_code == 201, r.content
        ids.append(r.json()["id"])
    return ids


def test_seven_persons_with_one_phone_give_one_shared_phone_case_of_exactly_them(
    make_user, client, django_capture_on_commit_callbacks
):
    county = make_user("county_official", region="440106")
    other = make_user("county_official", region="440104")
    client.force_login(county)
    seven = register(client, 7, "13800138007", "440106", 100)
    register(client, 4, "13800138004", "440106", 200)  # four: under the threshold (5)
    register(client, 1, "13800138001", "440106", 300)
    province = make_user("province_official", region="440000")
    client.force_login(province)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/api/v1/supervision/scans", data=json.dumps({}), content_type="application/json")
    assert r.status_code == 202, r.content
    body = r.json()
    assert set(body) >= {"id", "status"} and body["status"] in ("queued", "running", "done")
    status = client.get(f"/api/v1/supervision/scans/{body['id']}").json()
    assert status["status"] == "done" and status["progress_done"] == status["progress_total"]

    cases = client.get("/api/v1/supervision/cases?rule=shared_phone").json()["items"]
    assert len(cases) == 1
    case = cases[0]
    assert case["rule"] == "shared_phone" and case["status"] == "new" and case["region"] == "440106"
    assert sorted(e["id"] for e in case["evidence"] if e["kind"] == "person") == sorted(seven)
    assert "13800138007" not in json.dumps(cases)  # the phone never shows
    # The county sees its case; another county does not, by list or by id.
    client.force_login(county)
    assert [c["id"] for c in client.get("/api/v1/supervision/cases").json()["items"]] == [case["id"]]
    client.force_login(other)
    assert client.get("/api/v1/supervision/cases").json()["items"] == []
    assert client.get(f"/api/v1/supervision/cases/{case['id']}").status_code == 404
    # A second scan finds the same case, never a duplicate.
    client.force_login(province)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/api/v1/supervision/scans", data=json.dumps({"rules": ["shared_phone"]}),
                    content_type="application/json")  # fmt: skip
    assert len(client.get("/api/v1/supervision/cases?rule=shared_phone").json()["items"]) == 1


def test_rules_list_the_interface_codes(make_user, client):
    client.force_login(make_user("province_official", region="440000"))
    rules = client.get("/api/v1/supervision/rules").json()
    codes = {r["code"] for r in rules}
    assert {"shared_phone", "shared_bank_account", "ghost_trainee", "double_booking", "far_attendance"} <= codes
    assert all(r["name"] and r["severity"] in ("high", "medium", "low") for r in rules)


def test_who_may_start_a_scan_and_bad_scan_input(make_user, client):
    client.force_login(make_user("county_official", region="440106"))
    assert client.post("/api/v1/supervision/scans", data="{}", content_type="application/json").status_code == 403
    client.force_login(make_user("auditor", region="440000"))  # reads the audit trail, not cases
    assert client.get("/api/v1/supervision/cases").status_code == 403
    client.force_login(make_user("province_official", region="440000"))
    r = client.post("/api/v1/supervision/scans", data=json.dumps({"rules": ["no_such_rule"]}),
                    content_type="application/json")  # fmt: skip
    assert r.status_code == 422 and "no_such_rule" in r.content.decode()
    r = client.post("/api/v1/supervision/scans", data=json.dumps({"kind": "sometimes"}),
                    content_type="application/json")  # fmt: skip
    assert r.status_code == 422
    assert client.get("/api/v1/supervision/scans/not-a-uuid").status_code == 404


def test_provider_staff_never_see_cases(make_user, make_org, client):
    client.force_login(make_user("provider_staff", organization=make_org()))
    assert client.get("/api/v1/supervision/cases").status_code == 403
    assert client.get("/supervision/").status_code == 403


@pytest.mark.parametrize(("value", "code"), [(1, "too_small"), (101, "too_large"), (0, "too_small")])
def test_a_threshold_outside_its_range_is_refused(make_user, value, code):
    from jineng.common.errors import ValidationFailed
    from jineng.refdata.api import setting_set

    with pytest.raises(ValidationFailed) as err:
        setting_set(actor=make_user("province_official", region="440000"), key="supervision.shared_contact_min_persons",
                    region_code="440000", value=value, valid_from=dt.date(2026, 1, 1), reason="测试")  # fmt: skip
    assert err.value.fields[0].code == code


def test_provider_risk_answers_for_a_provider_in_scope_only(make_user, make_org, client):
    org = make_org(region="440106")
    client.force_login(make_user("city_official", region="440100"))
    r = client.get(f"/api/v1/supervision/providers/{org.pk}/risk")
    assert r.status_code == 200 and r.json()["score"] == 0
    assert {c["code"] for c in r.json()["components"]} == {
        "confirmed",
        "open",
        "complaints",
        "outlier",
        "dismissed_share",
    }
    client.force_login(make_user("city_official", region="440300"))
    assert client.get(f"/api/v1/supervision/providers/{org.pk}/risk").status_code == 404
    assert client.get("/api/v1/supervision/providers/nope/risk").status_code == 404
