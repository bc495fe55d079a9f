"""The /xapi/ endpoints as a platform uses them: version header and Basic auth required, statements stored and
read back, resends and conflicts, voiding, paging with ``more``, documents with ETags, and one platform never
reading another's records. The full behaviour is checked by ADL's suite (scripts/lrs-conformance.sh)."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import pytest

from jineng.learning import services

pytestmark = pytest.mark.django_db

STATEMENT = {
    "actor": {"objectType": "Agent", "account": {"homePage": "https://edu.example.cn", "name": "enr-1"}},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/launched"},
    "object": {"id": "https://edu.example.cn/course/1"},
}


@pytest.fixture
def platform(make_org: Any) -> Any:
    def make() -> dict[str, str]:
        issued = services.credential_create(actor=None, organization=make_org())
        token = base64.b64encode(f"{issued.key}:{issued.secret}".encode()).decode()
        return {"HTTP_AUTHORIZATION": f"Basic {token}", "HTTP_X_EXPERIENCE_API_VERSION": "2.0.0"}

    return make


def _post(client: Any, headers: dict[str, str], body: Any, path: str = "/xapi/statements") -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json", **headers)


def test_about_needs_no_credential(client):
    response = client.get("/xapi/about")
    assert response.status_code == 200
    assert "2.0.0" in response.json()["version"]


def test_no_credential_is_401_and_no_version_is_400(client, platform):
    headers = platform()
    assert client.get("/xapi/statements", HTTP_X_EXPERIENCE_API_VERSION="2.0.0").status_code == 401
    assert client.get("/xapi/statements", HTTP_AUTHORIZATION=headers["HTTP_AUTHORIZATION"]).status_code == 400
    wrong = {**headers, "HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"nobody:nothing").decode()}
    assert client.get("/xapi/statements", **wrong).status_code == 401


def test_a_statement_is_stored_and_read_back_with_its_authority(client, platform):
    headers = platform()
    response = _post(client, headers, STATEMENT)
    assert response.status_code == 200
    [statement_id] = response.json()
    got = client.get(f"/xapi/statements?statementId={statement_id}", **headers)
    assert got.status_code == 200
    assert got.json()["authority"]["account"]["homePage"].endswith("/xapi/")
    assert got["X-Experience-API-Version"] == "2.0.0"


def test_an_invalid_statement_is_400_and_nothing_is_stored(client, platform):
    headers = platform()
    broken = {**STATEMENT, "verb": {"id": "launched"}}
    assert _post(client, headers, [STATEMENT, broken]).status_code == 400
    assert client.get("/xapi/statements", **headers).json()["statements"] == []


def test_a_resend_is_accepted_and_a_different_statement_with_the_same_id_is_409(client, platform):
    headers = platform()
    statement_id = str(uuid.uuid4())
    put = f"/xapi/statements?statementId={statement_id}"
    assert client.put(put, data=json.dumps(STATEMENT), content_type="application/json", **headers).status_code == 204
    assert client.put(put, data=json.dumps(STATEMENT), content_type="application/json", **headers).status_code == 204
    other = {**STATEMENT, "verb": {"id": "http://adlnet.gov/expapi/verbs/terminated"}}
    assert client.put(put, data=json.dumps(other), content_type="application/json", **headers).status_code == 409


def test_a_voided_statement_leaves_the_queries(client, platform):
    headers = platform()
    [target] = _post(client, headers, STATEMENT).json()
    voiding = {
        **STATEMENT,
        "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
        "object": {"objectType": "StatementRef", "id": target},
    }
    assert _post(client, headers, voiding).status_code == 200
    assert client.get(f"/xapi/statements?statementId={target}", **headers).status_code == 404
    assert client.get(f"/xapi/statements?voidedStatementId={target}", **headers).status_code == 200


def test_more_pages_through_every_statement_once(client, platform):
    headers = platform()
    ids = _post(client, headers, [dict(STATEMENT) for _ in range(5)]).json()
    seen: list[str] = []
    url = "/xapi/statements?limit=2&ascending=true"
    while url:
        page = client.get(url, **headers).json()
        seen += [s["id"] for s in page["statements"]]
        url = page["more"]
    assert seen == ids


def test_unknown_parameters_are_refused(client, platform):
    assert client.get("/xapi/statements?colour=red", **platform()).status_code == 400


def test_documents_follow_the_etag_rules(client, platform):
    headers = platform()
    url = "/xapi/activities/profile?activityId=https://edu.example.cn/course/1&profileId=p1"
    body = json.dumps({"a": 1})
    assert client.put(url, data=body, content_type="application/json", **headers).status_code == 204
    got = client.get(url, **headers)
    etag = got["ETag"]
    assert client.put(url, data=body, content_type="application/json", **headers).status_code == 409
    assert (
        client.put(url, data=body, content_type="application/json", HTTP_IF_MATCH='"nope"', **headers).status_code
        == 412
    )
    assert (
        client.post(
            url, data=json.dumps({"b": 2}), content_type="application/json", HTTP_IF_MATCH=etag, **headers
        ).status_code
        == 204
    )
    assert client.get(url, **headers).json() == {"a": 1, "b": 2}


def test_platforms_are_isolated(client, platform):
    mine, theirs = platform(), platform()
    [statement_id] = _post(client, mine, STATEMENT).json()
    assert client.get(f"/xapi/statements?statementId={statement_id}", **theirs).status_code == 404
    assert client.get("/xapi/statements", **theirs).json()["statements"] == []
    url = "/xapi/activities/profile?activityId=https://edu.example.cn/course/1&profileId=p1"
    client.post(url, data=json.dumps({"a": 1}), content_type="application/json", **mine)
    assert client.get(url, **theirs).status_code == 404
    page = client.get("/xapi/statements?limit=1", **mine).json()
    assert client.get("/xapi/statements?limit=1", **mine).status_code == 200
    _post(client, mine, STATEMENT)
    more = client.get("/xapi/statements?limit=1", **mine).json()["more"]
    assert more and client.get(more, **theirs).status_code == 404
    assert page["statements"]


def test_a_revoked_credential_is_refused(client, make_org):
    issued = services.credential_create(actor=None, organization=make_org())
    token = base64.b64encode(f"{issued.key}:{issued.secret}".encode()).decode()
    headers = {"HTTP_AUTHORIZATION": f"Basic {token}", "HTTP_X_EXPERIENCE_API_VERSION": "2.0.0"}
    assert client.get("/xapi/statements", **headers).status_code == 200
    from jineng.learning.models import LrsCredential

    services.credential_revoke(actor=None, credential=LrsCredential.objects.get(key=issued.key))
    assert client.get("/xapi/statements", **headers).status_code == 401


def test_online_hours_are_derived_from_the_stored_statements(client, platform, make_org):
    import datetime as dt
    from zoneinfo import ZoneInfo

    from jineng.learning import selectors
    from jineng.learning.models import LrsCredential
    from jineng.rules.training import HoursRules

    headers = platform()
    registration = str(uuid.uuid4())

    def event(verb: str, minute: int) -> dict[str, Any]:
        return {
            **STATEMENT,
            "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"},
            "context": {"registration": registration},
            "timestamp": f"2026-03-02T{9 + minute // 60:02d}:{minute % 60:02d}:00+08:00",
        }

    stream = [event("launched", 0)] + [event("progressed", m) for m in range(20, 100, 20)] + [event("terminated", 100)]
    assert _post(client, headers, stream).status_code == 200
    organization = LrsCredential.objects.latest("created_at").organization
    credit = selectors.online_credit(
        organization, "https://edu.example.cn", "enr-1", rules=HoursRules(), tz=ZoneInfo("Asia/Shanghai")
    )
    assert credit.hours == 2
    assert [(d.day, d.minutes) for d in credit.days] == [(dt.date(2026, 3, 2), 100)]
    other = selectors.online_credit(
        organization, "https://edu.example.cn", "enr-2", rules=HoursRules(), tz=ZoneInfo("Asia/Shanghai")
    )
    assert other.hours == 0


def test_the_demo_bot_is_caught_and_honest_learners_are_not(make_org):
    from zoneinfo import ZoneInfo

    from jineng.learning import demo, selectors

    platform = make_org()
    assert demo.seed_demo(platform) is not None
    assert demo.seed_demo(platform) is None  # idempotent
    tz = ZoneInfo("Asia/Shanghai")
    flagged = {
        name: {s.kind for s in selectors.learner_signals(platform, home, name, tz=tz)}
        for home, name in selectors.learner_accounts(platform)
    }
    assert flagged == {
        "enr-1001": set(),
        "enr-1002": set(),
        "enr-1003": set(),
        "enr-0404": set(),  # an honest hour of an account of no enrollment (listed for officials)
        "enr-9999": {"parallel_courses", "round_the_clock", "faster_than_real_time"},
    }


def test_a_batch_over_the_cap_is_413_before_anything_is_stored(client, platform):
    from jineng.learning.rest.xapi import MAX_BATCH

    headers = platform()
    response = _post(client, headers, [STATEMENT] * (MAX_BATCH + 1))
    assert response.status_code == 413
    assert str(MAX_BATCH) in response.json()["message"]
    assert client.get("/xapi/statements", **headers).json()["statements"] == []


def test_json_nested_past_the_parser_is_400_not_500(client, platform):
    headers = platform()
    for body in ("[" * 200_000, "{" + '"a":{' * 100_000):
        response = client.post("/xapi/statements", data=body, content_type="application/json", **headers)
        assert response.status_code == 400


def test_a_statement_nested_too_deep_is_400_and_a_moderate_one_is_stored(client, platform):
    from jineng.learning.validation import MAX_DEPTH

    headers = platform()

    def nested(levels: int) -> dict[str, Any]:
        value: Any = "leaf"
        for _ in range(levels):
            value = {"k": value}
        return {**STATEMENT, "result": {"extensions": {"https://edu.example.cn/x": value}}}

    deep = _post(client, headers, nested(900))
    assert deep.status_code == 400
    assert "deep" in deep.json()["message"]
    assert _post(client, headers, nested(MAX_DEPTH - 10)).status_code == 200
    assert len(client.get("/xapi/statements", **headers).json()["statements"]) == 1
