"""Bad input at the competitions API and the public lists: odd numbers, dates, ids, strings and pages are refused
4xx on their field, never a server error; another region's official sees nothing."""

from __future__ import annotations

import pytest

from jineng.competitions.models import Event, Result
from jineng.competitions.tests.test_events_api import API, JSON, _body

pytestmark = pytest.mark.django_db


def test_odd_event_bodies_are_refused_never_a_server_error(world, api):
    bodies = [
        _body(starts_on="0001-01-01", ends_on="9999-12-31"),
        _body(starts_on="2026-10-12", ends_on="2026-10-10"),
        _body(name="\x00\x01" * 10),
        _body(name=""),
        _body(name="赛" * 5000),
        _body(min_age=-1),
        _body(min_age=60, max_age=20),
        _body(min_age=True),
        _body(min_age=10**30),
        _body(level="\u202e"),
        _body(occupation="x" * 500),
        _body(region="999999"),
        _body(other_occupations=["x"] * 50),
        _body(other_occupations="6-18-02-05"),
        _body(min_level="grade9", max_level="grade1"),
        _body(organizer="not-a-uuid"),
        _body(organizer="00000000-0000-0000-0000-000000000000"),
        _body(event_class=None),
        {},
        [],
    ]
    before = Event.objects.count()
    for body in bodies:
        answer = api(world.staff).post(API, body, content_type=JSON)
        assert 400 <= answer.status_code < 500, (body, answer.content)
    assert Event.objects.count() == before
    assert api(world.staff).post(API, "{not json", content_type=JSON).status_code in (400, 422)


def test_odd_results_and_restatements_are_refused(world, api, make_event, contestant):
    event = make_event()
    number = contestant(event).id_number
    url = f"{API}/{event.pk}"
    for score, rank in (("NaN", "1"), ("1e9999", "1"), ("-5", "1"), ("90", "0"), ("90", "-1"), ("90", "1e30"),
                        ("inf", "1"), ("90", "1.5"), ("", ""), ("9" * 60, "1")):  # fmt: skip
        answer = api(world.staff).post(f"{url}/results", {"id_number": number, "score": score, "rank": rank},
                                       content_type=JSON)  # fmt: skip
        assert 400 <= answer.status_code < 500, (score, rank, answer.content)
    assert not Result.objects.exists()
    for id_number in ("", "x" * 40, "\x00" * 18, "11010519491231002X"):
        answer = api(world.staff).post(f"{url}/results", {"id_number": id_number, "score": "90", "rank": "1"},
                                       content_type=JSON)  # fmt: skip
        assert 400 <= answer.status_code < 500, (id_number, answer.content)
    for bad in ("not-a-uuid", "00000000-0000-0000-0000-000000000000"):
        for path in ("file", "review", "publish", "finalize", "results", "contestants", "awards", "stages"):
            answer = api(world.province).post(f"{API}/{bad}/{path}", {}, content_type=JSON)
            assert answer.status_code in (404, 405, 422), (bad, path, answer.content)
        answer = api(world.province).post(f"{API}/results/{bad}/restate", {"score": "1", "rank": "1", "reason": "更正"},
                                          content_type=JSON)  # fmt: skip
        assert answer.status_code in (404, 422)
    # another province's official and a worker see nothing of the event
    assert api(world.shandong).get(url).status_code == 404
    assert api(world.shandong).get(f"{url}/contestants").status_code == 404
    assert api(world.hr).post(f"{url}/review", {}, content_type=JSON).status_code in (403, 404)


def test_public_lists_with_odd_queries(client):
    for url in ("/api/v1/public/evaluators", "/api/v1/public/providers", "/api/v1/public/competitions/titles"):
        for q in (
            "",
            "?page=0",
            "?page=-1",
            "?page=99999999999999999999999",
            "?page=x",
            "?size=100000",
            "?q=" + "%00" * 50,
            "?q=" + "鉴" * 3000,
            "?region=zzzz",
            "?occupation=%27%22",
            "?level=grade99",
        ):
            answer = client.get(url + q)
            assert answer.status_code in (200, 404, 414, 422), (url, q, answer.status_code)
    for q in ("", "?page=-1", "?q=" + "%00" * 20, "?region=%27", "?page=99999999999999999999"):
        assert client.get("/catalog/evaluators/" + q).status_code in (200, 404, 414), q
