"""The LRS refuses text PostgreSQL cannot store — a NUL (``\\u0000``) or a lone surrogate (``\\ud800``) in a statement,
a document's JSON, a query parameter or the credential's key — with the LRS's own 400/401, never a 500, and stores
nothing of the request."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from jineng.learning import services
from jineng.learning.models import Statement

pytestmark = pytest.mark.django_db

STATEMENT = {
    "actor": {"objectType": "Agent", "account": {"homePage": "https://edu.example.cn", "name": "enr-1"}},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/launched"},
    "object": {"id": "https://edu.example.cn/course/1"},
}


@pytest.fixture
def headers(make_org: Any) -> dict[str, str]:
    issued = services.credential_create(actor=None, organization=make_org())
    token = base64.b64encode(f"{issued.key}:{issued.secret}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}", "HTTP_X_EXPERIENCE_API_VERSION": "2.0.0"}


@pytest.mark.parametrize("bad", ["\\u0000", "\\ud800", "a\\u0000b"])
def test_a_statement_with_a_nul_or_a_lone_surrogate_is_400_and_nothing_is_stored(client, headers, bad):
    good = json.dumps(STATEMENT)
    body = "[" + good + "," + good.replace("enr-1", "enr-" + bad) + "]"
    response = client.post("/xapi/statements", data=body, content_type="application/json", **headers)
    assert response.status_code == 400, response.content
    assert "actor.account.name" in response.json()["message"]
    assert not Statement.objects.exists()
    keyed = (
        '{"actor": {"objectType": "Agent", "mbox": "mailto:a@b.cn"}, "verb": {"id": "http://x.cn/v", "display": {"'
        + bad
        + '": "x"}}, "object": {"id": "http://x.cn/o"}}'
    )  # noqa: E501
    assert client.post("/xapi/statements", data=keyed, content_type="application/json", **headers).status_code == 400


def test_a_nul_in_a_query_parameter_is_400(client, headers):
    response = client.get("/xapi/statements?verb=http://x.cn/v%00", **headers)
    assert response.status_code == 400
    assert response.json()["message"].startswith("verb:")
    assert client.get("/xapi/activities?activityId=http://x.cn/%00", **headers).status_code == 400


def test_a_document_whose_json_holds_a_nul_is_400(client, headers):
    agent = json.dumps({"objectType": "Agent", "mbox": "mailto:a@b.cn"})
    url = f"/xapi/activities/state?activityId=http://x.cn/a&agent={agent}&stateId=s1"
    response = client.post(url, data='{"k": "\\u0000"}', content_type="application/json", **headers)
    assert response.status_code in (400, 204), response.content  # stored as bytes when not merged: either is no 500


def test_a_key_with_a_nul_is_401(client):
    token = base64.b64encode(b"ab\x00cd:secret").decode()
    response = client.get(
        "/xapi/statements", HTTP_AUTHORIZATION=f"Basic {token}", HTTP_X_EXPERIENCE_API_VERSION="2.0.0"
    )
    assert response.status_code == 401
