"""The training API end to end: responses validated against the OpenAPI document; bad input answered with a code, a
message and nothing written; devices posting attendance with bearer tokens."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jineng.accounts.services import token_create
from jineng.training.models import AttendanceEvent, ClassStatus, Enrollment, TrainingClass
from jineng.training.services import classes
from jineng.training.tests.conftest import FILED, id_number, week_sessions

pytestmark = pytest.mark.django_db


def _session_json(sessions):
    return [
        {"starts_at": s.starts_at.isoformat(), "ends_at": s.ends_at.isoformat(), "mode": s.mode,
         "teacher": str(s.teacher), "topic": s.topic}
        for s in sessions
    ]  # fmt: skip


def _class_json(world, **overrides):
    body = {
        "provider": str(world.provider.pk),
        "program": str(world.program.pk),
        "name": "接口申请的培训班",
        "venue_name": "天河实训基地",
        "region": "440106",
        "planned_size": 30,
        "venue_latitude": 23.12,
        "venue_longitude": 113.36,
        "sessions": _session_json(week_sessions(world.start, world.teacher)),
    }
    body.update(overrides)
    return body


def test_a_class_through_the_api(world, api, client, openapi):
    c = api(world.staff)
    response = c.post("/api/v1/classes", _class_json(world), content_type="application/json")
    assert response.status_code == 201, response.content
    body = openapi.validate(response)
    assert body["status"] == "draft" and len(body["sessions"]) == 5 and body["region"] == "440106"
    class_id = body["id"]
    # Submitting needs the pledge; the request without it changes nothing.
    response = c.post(f"/api/v1/classes/{class_id}/submit", {"pledge": False}, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "pledge_required"
    assert TrainingClass.objects.get(pk=class_id).status == ClassStatus.DRAFT
    # An empty roster cannot be filed: the trainees come first.
    response = c.post(f"/api/v1/classes/{class_id}/submit", {"pledge": True}, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "too_few_trainees"
    row = {"name": "甲学员", "id_number": id_number(), "groups": ["unemployed"], "pledge": True}
    response = c.post(f"/api/v1/classes/{class_id}/enrollments", {"rows": [row]}, content_type="application/json")
    assert response.status_code in (200, 201), response.content
    response = c.post(f"/api/v1/classes/{class_id}/submit", {"pledge": True}, content_type="application/json")
    assert openapi.validate(response)["status"] == "submitted"
    listing = openapi.validate(api(world.county).get("/api/v1/class-review-queue"))
    assert [item["id"] for item in listing["items"]] == [class_id] and listing["items"][0]["review_due"]
    c = api(world.county)
    response = c.post(f"/api/v1/classes/{class_id}/review", {"approved": False, "reasons": ["场地证明缺失"]},
                      content_type="application/json")  # fmt: skip
    body = openapi.validate(response)
    assert body["status"] == "rejected" and body["rejection_reasons"] == ["场地证明缺失"]
    assert [t["target"] for t in body["transitions"]] == ["submitted", "rejected"]
    page = openapi.validate(api(world.staff).get("/api/v1/classes?status=rejected"))
    assert page["count"] == 1 and set(page) == {"count", "page", "page_size", "items"}


def test_bad_class_input_is_refused_with_codes(world, api, openapi):
    c = api(world.staff)
    before = TrainingClass.objects.count()
    response = c.post("/api/v1/classes", _class_json(world, planned_size=51), content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "class_too_large" and body["fields"][0]["code"] == "class_too_large"
    response = c.post("/api/v1/classes", _class_json(world, region="440100"), content_type="application/json")
    assert response.json()["code"] == "venue_region_not_county"
    response = api(world.other_staff).post("/api/v1/classes", _class_json(world), content_type="application/json")
    assert response.status_code == 403
    assert TrainingClass.objects.count() == before


def test_rosters_through_the_api_strict_and_partial(world, api, make_class, openapi):
    tc = make_class("approved", planned_size=3)  # filed with one trainee: two places
    rows = [
        {"name": "甲学员", "id_number": id_number(), "groups": ["unemployed"], "pledge": True},
        {"name": "乙学员", "id_number": id_number(), "groups": [], "pledge": True},  # not eligible for A
        {"name": "丙学员", "id_number": id_number(), "groups": ["rural_labor"], "pledge": True},
        {"name": "丁学员", "id_number": id_number(), "groups": ["veteran"], "pledge": True},  # over capacity
    ]
    c = api(world.staff)
    response = c.post(f"/api/v1/classes/{tc.pk}/enrollments", {"rows": rows}, content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "rows_refused"
    assert [(f["row"], f["code"]) for f in body["fields"]] == [(1, "ineligible_groups"), (3, "class_full")]
    assert all(f["message"] for f in body["fields"])
    assert not Enrollment.objects.filter(training_class=tc).exclude(person_name=FILED).exists()
    response = c.post(f"/api/v1/classes/{tc.pk}/enrollments", {"rows": rows, "mode": "partial"},
                      content_type="application/json")  # fmt: skip
    assert response.status_code == 201
    body = openapi.validate(response)
    assert [e["name"] for e in body["created"]] == ["甲学员", "丙学员"]
    assert [r["code"] for r in body["refused"]] == ["ineligible_groups", "class_full"]
    assert all("*" in e["id_number"] for e in body["created"])
    roster = openapi.validate(c.get(f"/api/v1/classes/{tc.pk}/enrollments"))
    assert roster["count"] == 3  # and the trainee the class was filed with
    enrollment_id = roster["items"][0]["id"]
    response = c.post(f"/api/v1/enrollments/{enrollment_id}/dropout", {"reason": "外出务工"},
                      content_type="application/json")  # fmt: skip
    assert openapi.validate(response)["status"] == "dropped"


def test_devices_post_attendance_with_bearer_tokens(world, client, class_now, openapi):
    tc, start, end, (e1, e2), _rows = class_now
    _token, secret = token_create(actor=None, user=world.staff, label="考勤机 FACE-01")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    batch = {
        "device": "FACE-01",
        "events": [
            {"event_id": "1", "enrollment": str(e1.pk), "kind": "in", "at": start.isoformat(), "method": "face",
             "latitude": 23.12, "longitude": 113.36},
            {"event_id": "2", "enrollment": str(e1.pk), "kind": "out", "at": end.isoformat(), "method": "face"},
            {"event_id": "3", "enrollment": "01a00000-0000-7000-8000-000000000000", "kind": "in",
             "at": start.isoformat(), "method": "card"},
            {"event_id": "4", "enrollment": str(e2.pk), "kind": "in",
             "at": (start - dt.timedelta(days=1)).isoformat(), "method": "qr"},
        ],
    }  # fmt: skip
    response = client.post("/api/v1/attendance", batch, content_type="application/json", **auth)
    assert response.status_code == 200, response.content
    body = openapi.validate(response)
    assert (body["accepted"], body["duplicates"], body["refused"]) == (2, 0, 2)
    assert [r["code"] for r in body["results"]] == ["", "", "unknown_enrollment", "outside_class_dates"]
    again = openapi.validate(client.post("/api/v1/attendance", batch, content_type="application/json", **auth))
    assert (again["accepted"], again["duplicates"], again["refused"]) == (0, 2, 2)
    assert AttendanceEvent.objects.filter(device_id="FACE-01").count() == 2
    e1.refresh_from_db()
    assert e1.credited_hours == 4 and e1.attendance_rate_bp == 10000
    listed = openapi.validate(client.get(f"/api/v1/attendance?class_id={tc.pk}", **auth))
    assert listed["count"] == 2
    # Another provider's device cannot report this class's trainees.
    _t, other_secret = token_create(actor=None, user=world.other_staff, label="别家设备")
    batch = {"device": "X", "events": [{"event_id": "9", "enrollment": str(e2.pk), "kind": "in",
                                         "at": start.isoformat(), "method": "face"}]}  # fmt: skip
    response = client.post("/api/v1/attendance", batch, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {other_secret}")  # fmt: skip
    assert response.json()["results"][0]["code"] == "unknown_enrollment"
    assert not AttendanceEvent.objects.filter(device_id="X").exists()


def test_completion_and_certificates_through_the_api(world, api, class_now, openapi):
    tc, start, end, (e1, e2), _rows = class_now
    classes.class_start(actor=world.staff, training_class=tc, now=start)
    c = api(world.staff)
    batch = {"device": "D", "events": [
        {"event_id": "a", "enrollment": str(e1.pk), "kind": "in", "at": start.isoformat(), "method": "face"},
        {"event_id": "b", "enrollment": str(e1.pk), "kind": "out", "at": end.isoformat(), "method": "face"},
    ]}  # fmt: skip
    assert c.post("/api/v1/attendance", batch, content_type="application/json").json()["accepted"] == 2
    response = c.post(f"/api/v1/classes/{tc.pk}/completion", {"results": [{"enrollment": str(e2.pk),
                      "result": "passed"}]}, content_type="application/json")  # fmt: skip
    assert response.status_code == 422 and response.json()["fields"][0]["code"] == "attendance_below_minimum"
    response = c.post(f"/api/v1/classes/{tc.pk}/completion", {"results": []}, content_type="application/json")
    assert openapi.validate(response)["status"] == "completed"
    certificates = openapi.validate(c.get("/api/v1/completion-certificates"))
    assert certificates["count"] == 1 and certificates["items"][0]["enrollment_id"] == str(e1.pk)
    detail = openapi.validate(c.get(f"/api/v1/completion-certificates/{certificates['items'][0]['id']}"))
    assert detail["serial"].startswith("PX440106")
    outcome = c.post(f"/api/v1/enrollments/{e1.pk}/employment-outcomes",
                     {"status": "employed", "employer_name": "广州某公司", "started_on": str(timezone.localdate()),
                      "source": "callback"}, content_type="application/json")  # fmt: skip
    assert outcome.status_code == 201
    openapi.validate(outcome)
    assert openapi.validate(c.get("/api/v1/employment-outcomes"))["count"] == 1


def test_a_worker_sees_only_their_own_enrollments(world, api, make_class, trainee, make_user):
    tc = make_class("approved")
    from jineng.training.services.rosters import enrollments_add

    mine, theirs = enrollments_add(actor=world.staff, training_class=tc, rows=[trainee(), trainee()],
                                   now=world.now).created  # fmt: skip
    worker = make_user("worker")
    worker.person_id = mine.person_id
    worker.save(update_fields=["person_id"])
    c = api(worker)
    body = c.get("/api/v1/enrollments").json()
    assert [item["id"] for item in body["items"]] == [str(mine.pk)]
    assert c.get(f"/api/v1/enrollments/{theirs.pk}").status_code == 404
    page = c.get("/training/mine/")
    assert page.status_code == 200 and tc.code in page.content.decode()


def test_apprenticeships_through_the_api(world, api, firm, openapi):
    enterprise, hr, mentor, employee = firm
    c = api(hr)
    start = world.today + dt.timedelta(days=7)
    body = {"enterprise": str(enterprise.pk), "school": str(world.provider.pk), "occupation": "4-04-05-01",
            "level": "grade4", "start_date": str(start), "end_date": str(start.replace(year=start.year + 1)),
            "hours_per_year": 600, "concentrated_hours_per_year": 200}  # fmt: skip
    response = c.post("/api/v1/apprenticeships", body, content_type="application/json")
    assert response.status_code == 201, response.content
    plan = openapi.validate(response)
    number = employee("API学徒")
    response = c.post(f"/api/v1/apprenticeships/{plan['id']}/apprentices",
                      {"name": "API学徒", "id_number": number, "enterprise_mentor": str(mentor.pk),
                       "school_mentor": str(world.teacher.pk)}, content_type="application/json")  # fmt: skip
    assert response.status_code == 201, response.content
    apprentice = openapi.validate(response)
    response = c.post(f"/api/v1/apprentices/{apprentice['id']}/progress",
                      {"year_no": 1, "hours_done": 610, "concentrated_hours": 200, "online_hours": 50},
                      content_type="application/json")  # fmt: skip
    assert openapi.validate(response)["progress"][0]["hours_done"] == 610
    response = c.post(f"/api/v1/apprentices/{apprentice['id']}/evaluation", {"result": "passed"},
                      content_type="application/json")  # fmt: skip
    assert openapi.validate(response)["result"] == "passed"
    assert openapi.validate(c.get("/api/v1/apprenticeships"))["items"][0]["status"] == "completed"
    assert openapi.validate(api(world.county).get("/api/v1/apprentices"))["count"] == 1


def test_a_refused_class_is_revised_and_resubmitted(world, api, make_class, openapi):
    tc = make_class("submitted")
    classes.class_review(actor=world.county, training_class=tc, approved=False, reasons=["课时不足"], now=world.now)
    c = api(world.staff)
    sessions = week_sessions(world.start + dt.timedelta(days=7), world.teacher2, days=5)
    response = c.put(f"/api/v1/classes/{tc.pk}", _class_json(world, sessions=_session_json(sessions)),
                     content_type="application/json")  # fmt: skip
    body = openapi.validate(response)
    assert [s["teacher_name"] for s in body["sessions"]] == ["李老师"] * 5
    assert tc.sessions.filter(cancelled_at__isnull=False).count() == 5  # the old schedule is kept, cancelled


def test_revising_a_class_through_the_api_checks_the_roster_it_holds(world, api, make_class, trainee):
    from jineng.training.services.rosters import enrollments_add

    tc = make_class("draft")
    enrollments_add(actor=world.staff, training_class=tc, rows=[trainee(), trainee()], now=world.now)
    response = api(world.staff).put(f"/api/v1/classes/{tc.pk}", _class_json(world, planned_size=1),
                                    content_type="application/json")  # fmt: skip
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "planned_size_below_roster"
    assert [(f["field"], f["code"]) for f in body["fields"]] == [("planned_size", "planned_size_below_roster")]
    tc.refresh_from_db()
    assert tc.planned_size == 30
