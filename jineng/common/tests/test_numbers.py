"""Numbers typed into a page's query or form are ASCII digits: ``²``, ``①`` (which ``str.isdigit()`` accepts and
``int()`` refuses) and a 5000-digit number are read as no number, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from jineng.common.numbers import int_or_none

SUPERSCRIPT_YEAR = "²⁰²⁶"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026", 2026), (" 7 ", 7), ("0", 0), ("²", None), (SUPERSCRIPT_YEAR, None), ("①", None), ("٣", None),
     ("-1", None), ("+1", None), ("1.5", None), ("", None), (None, None), (12, None), ("9" * 10, None),
     ("9" * 5000, None)],
)  # fmt: skip
def test_int_or_none(text, expected):
    assert int_or_none(text) == expected


@given(st.text(max_size=12))
def test_int_or_none_never_raises_and_agrees_with_int_on_ascii_digits(text):
    value = int_or_none(text)
    stripped = text.strip()
    if stripped.isascii() and stripped.isdigit() and len(stripped) <= 9:
        assert value == int(stripped)
    else:
        assert value is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        f"/competitions/?year={SUPERSCRIPT_YEAR}",
        f"/public/competitions/?year={SUPERSCRIPT_YEAR}",
        "/shortage/?version=²",
        "/shortage/?version=" + "9" * 5000,
        f"/public/employment/?year={SUPERSCRIPT_YEAR}",
        "/providers/bases/?year=²",
        f"/providers/standards/?year={SUPERSCRIPT_YEAR}",
        f"/subsidies/grants/?year={SUPERSCRIPT_YEAR}",
        f"/api/v1/base-grants?year={SUPERSCRIPT_YEAR}",
    ],
)
def test_a_page_given_a_digit_int_refuses_answers(make_user, url):
    client = Client(raise_request_exception=True)
    client.force_login(make_user("province_official", region="440000"))
    assert client.get(url).status_code == 200
