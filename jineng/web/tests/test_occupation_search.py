"""Occupation search finds what people type (walk of issue 15: 电工 and 育婴 could not be found — 电工 6-31-01-03 was
below the first 20 of the 30-odd names containing 电工, and 育婴员 is called 婴幼儿发展引导员 in the 2022 edition)."""

from __future__ import annotations

import pytest

from jineng.refdata.api import occupation_search

pytestmark = pytest.mark.django_db


def _codes(client, q):
    return [r["code"] for r in client.get("/pickers/occupations", {"q": q}).json()["results"]]


def test_electrician_is_found_first_by_name_and_by_code(client):
    assert _codes(client, "电工")[0] == "6-31-01-03"
    assert _codes(client, "6-31-01-03") == ["6-31-01-03"]
    assert _codes(client, "6310103") == ["6-31-01-03"]  # typed without dashes
    assert _codes(client, "６－３１－０１－０３") == ["6-31-01-03"]  # full-width, as an input method types it


def test_the_nursery_occupation_is_found_by_its_old_name_and_a_part_of_it(client):
    for q in ("育婴", "育婴员", "婴幼儿", "发展引导"):
        assert "4-10-01-01" in _codes(client, q), q
    label = client.get("/pickers/occupations", {"q": "育婴"}).json()["results"][0]["label"]
    assert label.startswith("4-10-01-01 婴幼儿发展引导员") and "育婴员" in label


def test_the_reference_search_ranks_the_exact_name_first():
    assert occupation_search("电工").first().code == "6-31-01-03"
    assert occupation_search("育婴").first().code == "4-10-01-01"
    assert occupation_search("保育员").first().code == "4-10-01-03"


def test_the_public_occupation_page_finds_them(client):
    html = client.get("/public/occupations/", {"q": "育婴"}).content.decode()
    assert "婴幼儿发展引导员" in html
    html = client.get("/public/occupations/", {"q": "电工"}).content.decode()
    assert "6-31-01-03" in html
