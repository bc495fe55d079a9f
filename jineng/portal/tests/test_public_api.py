"""/api/v1/public/ for the lists the portal owns: no login, the same rows as the pages, and a 422 naming the field
for a filter it cannot honour (never a 500, never everything silently)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_bases_and_standards_without_login(client, world):
    bases = client.get("/api/v1/public/bases").json()
    assert bases["count"] == 1 and bases["items"][0]["name"] == "陈晓东焊接技能大师工作室"
    assert "master" not in bases["items"][0]  # the studio master is a person: never published
    standards = client.get("/api/v1/public/standards", {"region": "天河区"}).json()
    assert [s["title"] for s in standards["items"]] == ["广东省职业技能培训补贴标准（2026）"]  # the draft is not
    detail = client.get(f"/api/v1/public/standards/{world.standard.pk}").json()
    assert detail["rules"] and detail["citation"] == "粤人社规〔2026〕1号"
    assert client.get(f"/api/v1/public/standards/{world.draft.pk}").status_code == 404
    assert client.get("/api/v1/public/standards/not-an-id").status_code == 404


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"region": "火星"}, "region", "unknown_region"),
        ({"kind": "castle"}, "kind", "unknown_value"),
        ({"occupation": "不存在的职业xyz"}, "occupation", "unknown_occupation"),
        ({"q": "焊" * 51}, "q", "query_too_long"),
    ],
)
def test_a_filter_it_cannot_honour_is_a_422_naming_the_field(client, world, params, field, code):
    response = client.get("/api/v1/public/bases", params)
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == field and response.json()["fields"][0]["code"] == code


@pytest.mark.parametrize("params", [{"page": "0"}, {"page": "x"}, {"page": "10000000"}, {"q": "焊" * 500}])
def test_bad_paging_or_huge_input_is_a_422(client, world, params):
    assert client.get("/api/v1/public/bases", params).status_code in (414, 422)  # 414: the URL itself too long


def test_a_page_past_the_end_is_empty(client, world):
    body = client.get("/api/v1/public/bases", {"page": 99}).json()
    assert body["count"] == 1 and body["items"] == []


def test_statistics_and_datasets(client, world):
    table = client.get("/api/v1/public/statistics/certificates").json()
    assert table["k"] == 10 and all(n is None or n == 0 or n >= 10 for row in table["cells"] for n in row)
    datasets = client.get("/api/v1/public/datasets").json()
    assert "bases" in {d["identifier"] for d in datasets}
    one = client.get("/api/v1/public/datasets/bases").json()
    assert one["urls"]["csv"].endswith("/public/data/bases.csv") and one["versions"] == []
    assert client.get("/api/v1/public/datasets/persons").status_code == 404
