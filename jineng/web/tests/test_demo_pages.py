"""Every code shown to a user is shown by its label (issue 15): on a seeded demo database, a crawl of every page each
demo role reaches by links — province, county, provider, enterprise, evaluator, worker, and the public without an
account — finds no raw code in the visible text (snake_case enum values, dotted audit actions, bare six-digit region
codes, UUIDs, JSON), under Chinese; and, under English, no Chinese chrome (headers, labels, buttons, navigation,
card titles, catalog sentences) either. No page answers 500.

One test seeds once and crawls everything (the seed takes a while); the findings name the role, page and text.
The scanner itself is tested without a database below. Legitimate codes sit in elements marked ``jn-code`` (the code
columns of the public reference pages, an audit entry's object id) — see ``crawl.py``."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from jineng.web.tests import crawl

ROLES = {
    "province": "demo-province",
    "county": "demo-county",
    "provider": "demo-provider",
    "enterprise": "demo-enterprise",
    "evaluator": "demo-evaluator",
    "worker": "demo-worker",
    "public": None,
}
PUBLIC_START = [
    "/public/",
    "/catalog/providers/",
    "/catalog/programs/",
    "/verify",
    "/publicity/",
    "/indicators/public/",
]
PO = Path(settings.BASE_DIR) / "jineng" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _client(username: str | None, language: str) -> Client:
    from jineng.accounts.models import User

    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    return client


@pytest.mark.django_db(transaction=False)
def test_no_page_of_any_demo_role_shows_a_raw_code_or_untranslated_chrome():
    from jineng.refdata.models import Region

    call_command("seed", "--scale", "demo", stdout=StringIO())
    regions = set(Region.objects.values_list("code", flat=True))
    msgids = crawl.catalog_msgids(PO)
    failures: dict[str, dict[str, int]] = {}
    found: dict[str, dict[str, list[str]]] = {}
    for language in ("zh-hans", "en"):
        english = language == "en"

        def check(html: str, english: bool = english) -> set[str]:
            codes = crawl.raw_codes(html, regions, english=english)
            return codes | crawl.untranslated(html, msgids) if english else codes

        for role, username in ROLES.items():
            start = ["/"] if username else PUBLIC_START
            result = crawl.crawl(_client(username, language), start, check, per_shape=2 if english else 3)
            assert len(result.visited) > 5, (role, result.visited)
            if result.failures:
                failures[f"{language} {role}"] = result.failures
            if result.findings:
                found[f"{language} {role}"] = result.findings
    assert failures == {}
    assert found == {}


def test_the_scanner_finds_each_kind_of_raw_code():
    regions = {"440106", "440000"}
    html = (
        "<td>part_time</td><td>claim.first_review</td><td>440106</td><td>01a24f4e-0bd0-76a2-a767-9dc2dd15a617</td>"
        '<pre>{"kind": "age"}</pre><td>审批 · system</td><li>四级/中级工（grade4）</li>'
    )
    assert crawl.raw_codes(html, regions) == {
        "part_time", "claim.first_review", "440106", "01a24f4e-0bd0-76a2-a767-9dc2dd15a617", '{"kind":', "system",
        "grade4",
    }  # fmt: skip


def test_the_scanner_leaves_legitimate_codes_alone():
    regions = {"440106"}
    # A region's name with its code in brackets, a code column, an amount, a link's address, the language switch.
    html = (
        '<td>天河区（440106）</td><td><code class="jn-code">440106</code></td><td>440,106.00元</td>'
        '<a href="/x/first_review/" title="claim.accept">初审</a><button>中文</button><textarea>{"kind": "x"}</textarea>'
    )
    assert crawl.raw_codes(html, regions) == set()
    assert crawl.untranslated(html, set()) == set()


def test_under_english_the_scanner_finds_chinese_chrome_but_not_data():
    html = "<h1>李明</h1><th>姓名</th><label>Name</label><td>天河区</td><button>提交</button><th>李明 · Archive</th>"
    assert crawl.untranslated(html, set()) == {"姓名", "提交"}
    assert crawl.raw_codes("<td>Person registry</td>", english=True) == set()


def test_the_crawl_keeps_to_the_site_and_skips_downloads():
    assert crawl.SKIP.search("/logout/") and crawl.SKIP.search("/indicators/export.xlsx")
    assert crawl.SKIP.search("/api/v1/persons") and not crawl.SKIP.search("/persons/")
    assert crawl.shape("/persons/01a24f4e-0bd0-76a2-a767-9dc2dd15a617/") == crawl.shape(
        "/persons/01a24f4d-b2dd-71b3-ade8-9d45da3c2710/"
    )
