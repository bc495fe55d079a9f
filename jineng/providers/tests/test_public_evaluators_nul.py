"""The public list of evaluation organizations takes any search text: a NUL character (which PostgreSQL refuses in
text) is dropped from the search, never a server error."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_a_nul_in_the_evaluator_search_is_not_a_server_error(client, make_org):
    make_org(region="440106", kind="evaluator", name="广州市职业技能鉴定中心")
    page = client.get("/catalog/evaluators/", {"q": "鉴定\x00中心", "region": "44\x00"})
    assert page.status_code == 200
    assert client.get("/api/v1/public/evaluators", {"q": "鉴定\x00"}).status_code == 422  # the API refuses it
