"""The API: the handler's list and steps (scope), the public status and reopen by code (posted, rate-limited)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from jineng.complaints.models import Status

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_handler_answers_through_the_api(api: Any, world: Any, file_one: Any) -> None:
    complaint, _code = file_one()
    client = api(world.handler)
    items = client.get(f"{API}/complaints").json()["items"]
    assert [i["number"] for i in items] == [complaint.number] and items[0]["contact_phone"] == "137****1234"
    assert _post(client, f"{API}/complaints/{complaint.pk}/acknowledge", {}).json()["status"] == "acknowledged"
    assert len(_post(client, f"{API}/complaints/{complaint.pk}/notes", {"text": "已约谈"}).json()["steps"]) == 3
    empty = _post(client, f"{API}/complaints/{complaint.pk}/reply", {"text": ""})
    assert empty.status_code == 422 and empty.json()["code"] == "text_required"
    assert _post(client, f"{API}/complaints/{complaint.pk}/reply", {"text": "已整改"}).json()["status"] == "answered"
    assert _post(client, f"{API}/complaints/{complaint.pk}/nonsense", {}).status_code == 404
    revealed = _post(client, f"{API}/complaints/{complaint.pk}/reveal", {"field": "phone", "reason": "回访"})
    assert revealed.json() == {"value": "13760001234"}
    other = api(world.other)
    assert other.get(f"{API}/complaints").json()["items"] == []
    assert other.get(f"{API}/complaints/{complaint.pk}").status_code == 404


def test_the_public_status_and_reopen_by_code(client: Any, world: Any, file_one: Any) -> None:
    from jineng.complaints import services

    complaint, code = file_one()
    status = _post(client, f"{API}/public/complaints/status", {"code": code})
    assert status.status_code == 200 and status.json()["status"] == "received"
    assert set(status.json()) == {
        "status",
        "status_label",
        "received_on",
        "ack_due",
        "answer_due",
        "acknowledged_on",
        "answered_on",
        "closed_on",
        "reply",
        "reopened",
        "reopened_on",
        "first_answer",
        "can_reopen",
    }
    bad = _post(client, f"{API}/public/complaints/status", {"code": "ABCD-EFGH-JKMN"})
    assert bad.status_code == 404 and bad.json()["code"] == "bad_code"
    assert _post(client, f"{API}/public/complaints/reopen", {"code": code, "reason": "x"}).status_code == 409
    services.complaint_reply(actor=world.handler, complaint=complaint, text="已核查。")
    reopened = _post(client, f"{API}/public/complaints/reopen", {"code": code, "reason": "不满意"})
    assert reopened.json()["status"] == Status.ACKNOWLEDGED and reopened.json()["reopened"] is True
    # the first answer apart; no answer of the new round yet beside the new deadline
    assert reopened.json()["first_answer"]["text"] == "已核查。"
    assert reopened.json()["answered_on"] is None and reopened.json()["reply"] == ""


def test_the_public_status_api_is_rate_limited(client: Any, world: Any, settings: Any) -> None:
    settings.JINENG_COMPLAINT_STATUS_RATE = "1/minute"
    assert _post(client, f"{API}/public/complaints/status", {"code": "ABCD-EFGH-JKMN"}).status_code == 404
    limited = _post(client, f"{API}/public/complaints/status", {"code": "ABCD-EFGH-JKMN"})
    assert limited.status_code == 429 and limited.json()["code"] == "too_many_requests"
