"""Per-region, versioned settings inherited province → city → county, and the working-day calendar with 调休."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from jineng.common.errors import NotFound, ValidationFailed
from jineng.common.models import AuditEntry
from jineng.refdata.api import add_workdays, is_workday, setting_set, setting_value, workdays_between
from jineng.refdata.models import CalendarOverride, RegionSetting
from jineng.refdata.settings_registry import SPECS

pytestmark = pytest.mark.django_db

KEY = "class.max_trainees"
DEFAULT = SPECS[KEY].default
D = dt.date


def _set(region: str, value: int, valid_from: D, valid_to: D | None = None) -> RegionSetting:
    return setting_set(
        actor=None, key=KEY, region_code=region, value=value, valid_from=valid_from, valid_to=valid_to, reason="测试"
    )


# ---- inheritance and versions -------------------------------------------------------------------------------------


def test_a_region_without_values_gets_the_default():
    assert setting_value(KEY, "440106", D(2025, 6, 1)) == DEFAULT


def test_values_are_inherited_province_city_county_and_overridden_below():
    _set("440000", 60, D(2025, 1, 1))
    assert setting_value(KEY, "440106", D(2025, 6, 1)) == 60  # the county inherits the province
    assert setting_value(KEY, "440303", D(2025, 6, 1)) == 60
    _set("440100", 45, D(2025, 1, 1))
    assert setting_value(KEY, "440106", D(2025, 6, 1)) == 45  # the city overrides the province below it
    assert setting_value(KEY, "440303", D(2025, 6, 1)) == 60  # 深圳 still has the province's
    _set("440106", 30, D(2025, 1, 1))
    assert setting_value(KEY, "440106", D(2025, 6, 1)) == 30
    assert setting_value(KEY, "440104", D(2025, 6, 1)) == 45
    assert setting_value(KEY, "440100", D(2025, 6, 1)) == 45  # an override below does not leak upwards
    assert setting_value(KEY, "110101", D(2025, 6, 1)) == DEFAULT


def test_a_city_without_counties_and_a_county_under_a_province():
    _set("440000", 55, D(2025, 1, 1))
    assert setting_value(KEY, "441900", D(2025, 6, 1)) == 55
    _set("420000", 35, D(2025, 1, 1))
    assert setting_value(KEY, "429004", D(2025, 6, 1)) == 35


def test_versions_apply_from_their_dates_and_the_old_version_closes():
    first = _set("440100", 40, D(2024, 1, 1))
    _set("440100", 42, D(2025, 3, 1))
    first.refresh_from_db()
    assert first.valid_to == D(2025, 2, 28)
    assert setting_value(KEY, "440106", D(2023, 12, 31)) == DEFAULT  # before any version
    assert setting_value(KEY, "440106", D(2024, 6, 1)) == 40
    assert setting_value(KEY, "440106", D(2025, 2, 28)) == 40
    assert setting_value(KEY, "440106", D(2025, 3, 1)) == 42


def test_a_closed_override_falls_back_to_the_region_above():
    _set("440000", 60, D(2024, 1, 1))
    _set("440106", 20, D(2024, 1, 1), valid_to=D(2024, 12, 31))
    assert setting_value(KEY, "440106", D(2024, 12, 31)) == 20
    assert setting_value(KEY, "440106", D(2025, 1, 1)) == 60


def test_setting_set_is_audited_with_its_reason():
    record = _set("440100", 44, D(2025, 1, 1))
    entry = AuditEntry.objects.get(action="setting.set", object_id=str(record.pk))
    assert entry.region_code == "440100"
    assert entry.reason == "测试"
    assert entry.after["value"] == 44


@pytest.mark.parametrize(
    ("kwargs", "error_type", "code"),
    [
        ({"value": -1}, ValidationFailed, "negative"),
        ({"value": "many"}, ValidationFailed, "bad_value"),
        ({"value": 3.7}, ValidationFailed, "bad_value"),
        ({"value": True}, ValidationFailed, "bad_value"),
        ({"valid_to": D(2024, 12, 31)}, ValidationFailed, "before_start"),
        ({"reason": "  "}, ValidationFailed, "required"),
        ({"region_code": "449999"}, ValidationFailed, "unknown_region"),
        ({"key": "no.such.key"}, NotFound, "unknown_setting"),
    ],
)
def test_setting_set_refuses_bad_input_and_writes_nothing(kwargs, error_type, code):
    args = {"actor": None, "key": KEY, "region_code": "440100", "value": 40, "valid_from": D(2025, 1, 1)}
    args["reason"] = "测试"
    args.update(kwargs)
    before = (RegionSetting.objects.count(), AuditEntry.objects.count())
    with pytest.raises(error_type) as caught:
        setting_set(**args)
    error = caught.value
    assert code in {error.code, *(f.code for f in error.fields)}
    assert (RegionSetting.objects.count(), AuditEntry.objects.count()) == before


# ---- the settings API ---------------------------------------------------------------------------------------------


def _post(client, **overrides):
    payload = {"key": KEY, "region": "440106", "value": 40, "valid_from": "2025-01-01", "reason": "按文件调整"}
    payload.update(overrides)
    payload = {k: v for k, v in payload.items() if v is not None}
    return client.post("/api/v1/settings", data=json.dumps(payload), content_type="application/json")


def test_read_settings_in_force_in_scope(api, make_user, openapi):
    _set("440100", 45, D(2020, 1, 1))
    client = api(make_user("county_official", region="440106"))
    response = client.get("/api/v1/settings?region=440106")
    values = {item["key"]: item for item in openapi.validate(response)}
    assert values[KEY]["value"] == 45
    assert values[KEY]["default"] == DEFAULT
    assert set(values) == set(SPECS)
    on_date = client.get("/api/v1/settings?region=440106&on=2019-12-31").json()
    assert {i["key"]: i["value"] for i in on_date}[KEY] == DEFAULT


@pytest.mark.parametrize("region", ["440104", "440100", "440303"])
def test_reading_settings_outside_the_scope_is_refused(api, make_user, region):
    client = api(make_user("county_official", region="440106"))
    response = client.get(f"/api/v1/settings?region={region}")
    assert response.status_code in (403, 404)
    assert response.json()["code"] in ("permission_denied", "not_found")


def test_reading_settings_of_an_unknown_region_is_422(api, make_user):
    client = api(make_user("county_official", region="440106"))
    response = client.get("/api/v1/settings?region=999999")
    assert response.status_code == 422
    assert response.json()["fields"][0]["code"] == "unknown_region"


def test_a_city_official_sets_a_value_for_a_county_of_the_city(api, make_user, openapi):
    official = make_user("city_official", region="440100")
    response = _post(api(official))
    assert response.status_code == 201
    body = openapi.validate(response)
    assert (body["key"], body["region"], body["value"], body["valid_from"]) == (KEY, "440106", 40, "2025-01-01")
    assert setting_value(KEY, "440106", D(2025, 1, 1)) == 40
    entry = AuditEntry.objects.get(action="setting.set", object_id=str(body["id"]))
    assert entry.actor_id == official.pk


@pytest.mark.parametrize(("function", "region"), [("county_official", "440106"), ("auditor", "440000")])
def test_officials_without_settings_edit_cannot_set_values(api, make_user, function, region):
    client = api(make_user(function, region=region))
    response = _post(client)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert response.json()["message"] == "您没有执行此操作的权限。"
    assert not RegionSetting.objects.exists()
    assert not AuditEntry.objects.filter(action="setting.set").exists()


@pytest.mark.parametrize("key", ["subsidy.four_eyes.review_pay", "subsidy.four_eyes.payee_change",
                                 "subsidy.four_eyes.batch_confirm", "ledger.max_allocation_fen"])  # fmt: skip
@pytest.mark.parametrize(("function", "region"), [("province_official", "440000"), ("city_official", "440100")])
def test_the_officials_a_control_restrains_cannot_lift_it(api, make_user, key, function, region):
    """Found by attack: a province official turned four eyes off at 440000 through this API and then redirected a
    payment alone. Four-eyes switches and money bounds are the security administrator's to change."""
    value = 0 if "four_eyes" in key else 10**12
    response = _post(api(make_user(function, region=region)), key=key, region="440106", value=value)
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "permission_denied"
    assert not RegionSetting.objects.exists()
    assert not AuditEntry.objects.filter(action="setting.set").exists()


def test_the_security_administrator_sets_a_four_eyes_switch(api, make_user):
    response = _post(api(make_user("security_admin", region="440000")), key="subsidy.four_eyes.review_pay",
                     region="440106", value=0)  # fmt: skip
    assert response.status_code == 201, response.content
    assert setting_value("subsidy.four_eyes.review_pay", "440106", D(2025, 1, 1)) == 0


def test_a_city_official_cannot_set_values_for_another_city(api, make_user):
    response = _post(api(make_user("city_official", region="440100")), region="440303")
    assert response.status_code == 403
    assert not RegionSetting.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"key": "no.such.key"}, "key", "unknown_setting"),
        ({"region": "449999"}, "region", "unknown_region"),
        ({"value": -5}, "value", "negative"),
        ({"valid_to": "2024-12-31"}, "valid_to", "before_start"),
        ({"reason": None}, "reason", "required"),
        ({"reason": " "}, "reason", "required"),
    ],
)
def test_bad_setting_input_is_422_with_the_field_and_nothing_written(api, make_user, overrides, field, code):
    client = api(make_user("city_official", region="440100"))
    response = _post(client, **overrides)
    assert response.status_code == 422, response.content
    body = response.json()
    schema_refused = any(v is None for v in overrides.values())  # refused by the input schema, before the service
    assert body["code"] == ("validation_failed" if schema_refused or len(body["fields"]) > 1 else code)
    assert (field, code) in [(f["field"], f["code"]) for f in body["fields"]]
    assert not RegionSetting.objects.exists()
    assert not AuditEntry.objects.filter(action="setting.set").exists()


# ---- the working-day calendar -------------------------------------------------------------------------------------


def test_national_calendar_knows_the_swapped_working_days():
    assert is_workday(D(2024, 2, 4), "440106")  # a Sunday worked for the Spring Festival (调休)
    assert is_workday(D(2024, 9, 29), "440106")  # a Sunday worked for National Day
    assert is_workday(D(2024, 10, 12), "440106")  # a Saturday worked for National Day
    assert not any(is_workday(D(2024, 10, day), "440106") for day in range(1, 8))
    assert is_workday(D(2024, 10, 8), "440106")
    assert not is_workday(D(2024, 10, 13), "440106")  # an ordinary Sunday


def test_add_workdays_skips_holidays_and_counts_swapped_days():
    assert add_workdays(D(2024, 9, 30), 1, "440106") == D(2024, 10, 8)
    assert add_workdays(D(2024, 9, 27), 1, "440106") == D(2024, 9, 29)  # Friday → the worked Sunday
    assert add_workdays(D(2024, 9, 27), 3, "440106") == D(2024, 10, 8)
    assert add_workdays(D(2024, 10, 8), 0, "440106") == D(2024, 10, 8)
    # Two weeks of ordinary working days: 10 working days later, the weekends in between skipped.
    assert add_workdays(D(2024, 11, 4), 10, "440106") == D(2024, 11, 18)
    assert workdays_between(D(2024, 9, 30), D(2024, 10, 8), "440106") == 1
    with pytest.raises(ValueError):
        add_workdays(D(2024, 1, 1), -1, "440106")


def test_region_overrides_apply_to_the_region_and_below_and_the_nearest_wins():
    CalendarOverride.objects.create(region_id="440100", date=D(2024, 10, 8), is_workday=False, note="台风停工")
    assert not is_workday(D(2024, 10, 8), "440106")
    assert is_workday(D(2024, 10, 8), "440303")  # 深圳 is not under 广州
    assert add_workdays(D(2024, 9, 30), 1, "440106") == D(2024, 10, 9)
    assert add_workdays(D(2024, 9, 30), 1, "440303") == D(2024, 10, 8)
    CalendarOverride.objects.create(region_id="440106", date=D(2024, 10, 8), is_workday=True, note="照常")
    assert is_workday(D(2024, 10, 8), "440106")
    assert add_workdays(D(2024, 9, 30), 1, "440106") == D(2024, 10, 8)
    assert add_workdays(D(2024, 9, 30), 1, "440104") == D(2024, 10, 9)


def test_a_region_can_work_a_national_holiday():
    CalendarOverride.objects.create(region_id="441900", date=D(2024, 10, 7), is_workday=True)
    assert add_workdays(D(2024, 9, 30), 1, "441900") == D(2024, 10, 7)


def test_calendar_due_api(client, openapi):
    response = client.get("/api/v1/calendar/due?region=440106&start=2024-09-30&workdays=1")
    body = openapi.validate(response)
    assert body == {
        "region": "440106",
        "start": "2024-09-30",
        "workdays": 1,
        "due": "2024-10-08",
        "start_is_workday": True,
    }


@pytest.mark.parametrize(
    ("query", "field", "code"),
    [
        ("region=440106&start=2024-09-30&workdays=-1", "workdays", "out_of_range"),
        ("region=440106&start=2024-09-30&workdays=400", "workdays", "out_of_range"),
        ("region=449999&start=2024-09-30&workdays=1", "region", "unknown_region"),
        ("region=440106&start=2024-13-01&workdays=1", "start", "bad_date"),
        ("region=440106&workdays=1", "start", "required"),
    ],
)
def test_calendar_due_refuses_bad_input(client, query, field, code):
    response = client.get(f"/api/v1/calendar/due?{query}")
    assert response.status_code == 422
    assert (field, code) in [(f["field"], f["code"]) for f in response.json()["fields"]]
