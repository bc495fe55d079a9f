"""Every code shown to a user is shown by its label: the main pages of each role, rendered with data, carry no raw
snake_case code (``annual_cap``, ``first_review``, ``approve`` …) in their visible text."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SNAKE = re.compile(r"(?<![\w./:-])[a-z]+(?:_[a-z0-9]+)+(?![\w./-])")
# Bare English words a page may only show as a code (the engine's decisions and step outcomes).
BARE = re.compile(r"(?<![\w./:-])(approve|reject|needs|passed|accepted|returned|registry|evaluation)(?![\w./-])")


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style|template)[^>]*>.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html)


def raw_codes(html: str) -> set[str]:
    text = visible_text(html)
    return set(SNAKE.findall(text)) | set(BARE.findall(text))


@pytest.fixture
def claims(world, submit_work, approve):
    from jineng.subsidies.services import review

    submitted = submit_work(name="甲一")
    accepted = review.claim_accept(actor=world.county, claim=submit_work(name="乙二"))
    approved = approve(submit_work(name="丙三"))
    return [submitted, accepted, approved]


def _pages(world, claims):
    detail = [reverse("subsidies:claim", args=[c.pk]) for c in claims]
    return {
        "county": (world.county, ["/", "/notifications/", "/subsidies/review/", *detail, "/audit/", "/persons/"]),
        "city": (world.city, ["/", "/subsidies/review/?queue=accepted", *detail]),
        "province": (world.province, ["/", "/subsidies/review/?queue=first_passed", *detail, "/indicators/"]),
        "finance": (world.finance, ["/", "/subsidies/payments/", "/subsidies/ledger/", *detail]),
        "enterprise": (world.hr, ["/", "/subsidies/organization/", *detail]),
    }


@pytest.mark.parametrize("role", ["county", "city", "province", "finance", "enterprise"])
def test_the_main_pages_of_each_role_show_no_raw_codes(api, world, claims, role):
    user, paths = _pages(world, claims)[role]
    client = api(user)
    found = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        codes = raw_codes(response.content.decode())
        if codes:
            found[path] = sorted(codes)
    assert found == {}


def test_the_scanner_finds_what_it_must():
    assert raw_codes("<td>annual_cap</td><td>系统判定：approve</td>") == {"annual_cap", "approve"}
    assert raw_codes('<a href="/x/first_review/" title="first_review">初审</a>') == set()
    assert raw_codes("<code>mutual_exclusion</code>") == {"mutual_exclusion"}


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def test_the_payment_batch_page_shows_no_uuid_and_names_the_region(api, world, approved_claims):
    from jineng.subsidies.services import payments

    batch = payments.batch_create(actor=world.finance, claim_ids=[c.pk for c in approved_claims(2)])
    html = api(world.finance).get(reverse("subsidies:batch", args=[batch.pk])).content.decode()
    text = visible_text(html)
    assert not UUID.search(text)
    assert "支付地区 广东省" in text
