"""The crawl of the public side (issue 24's acceptance): from /public/, every page the home links to and every page
those link to answers 200 without login; every such page, the certificate verification result and every dataset of
/data.json is scanned for personal data — an unmasked ID number, a mobile phone, a bank account, or the full ID of a
person named beside it — and the test fails on any."""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urlsplit

import pytest

from jineng.portal.tests.conftest import ID_NUMBER, NAME, PHONE

pytestmark = pytest.mark.django_db

_DATE = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
ID = re.compile(rf"(?<![\dA-Za-z])[1-9]\d{{5}}(?:18|19|20)\d{{2}}{_DATE}\d{{3}}[\dXx](?![\dA-Za-z])")
PHONE_RE = re.compile(r"(?<![\dA-Za-z])(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![\dA-Za-z])")
BANK = re.compile(r"(?<![\dA-Za-z])\d{16,19}(?![\dA-Za-z])")
HREF = re.compile(r'href="([^"#]*)"')
# Not pages: static assets, the language switch, sign-out, the admin.
SKIP = re.compile(r"^/(static|media|i18n|logout|admin)/")


def personal_data(text: str) -> list[str]:
    """What a public response must never carry."""
    found = [f"ID {m}" for m in ID.findall(text)] + [f"phone {m}" for m in PHONE_RE.findall(text)]
    found += [f"bank {m}" for m in BANK.findall(text)]
    found += [f"value {v}" for v in (ID_NUMBER, PHONE, ID_NUMBER[-8:]) if v in text]
    return found


def _text(content: bytes, media_type: str) -> str:
    """A download as text: a workbook's cells, else the UTF-8 body."""
    if "spreadsheetml" not in media_type:
        return content.decode("utf-8-sig")
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        " ".join(str(v) for v in row if v is not None) for s in book for row in s.iter_rows(values_only=True)
    )


def _links(html: str) -> set[str]:
    out = set()
    for href in HREF.findall(html):
        href = urldefrag(href.replace("&amp;", "&"))[0]
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not href.startswith("/") or SKIP.match(href):
            continue
        out.add(href)
    return out


def test_the_scanner_finds_each_kind_of_personal_data():
    assert personal_data(f"持证人 {NAME} 身份证 {ID_NUMBER}")
    assert personal_data("联系电话 139 1234 5678")
    assert personal_data("账号 6222021234567890123")
    assert not personal_data(
        "4401**********1234 · 139****5678 · ***************0123 · 2026-12-07 · 粤人社规〔2026〕1号"
    )
    assert not personal_data("证书编号 4401062026S0000007E · 统一社会信用代码 52440106MJ0000017X")


def test_every_public_page_two_links_deep_answers_200_and_shows_no_personal_data(client, world):
    seen: dict[str, int] = {}
    leaks: dict[str, list[str]] = {}
    frontier = ["/public/"]
    for _depth in range(3):  # the home, what it links, what those link
        following: list[str] = []
        for url in frontier:
            if url in seen:
                continue
            response = client.get(url)
            seen[url] = response.status_code
            text = response.content.decode("utf-8", "replace")
            if found := personal_data(text):
                leaks[url] = found
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                following += sorted(_links(text) - set(seen))
        frontier = following
    assert len(seen) > 30
    failing = {u: s for u, s in seen.items() if s != 200}
    assert failing == {}, failing
    assert leaks == {}, leaks


def test_every_dataset_and_the_verification_result_show_no_personal_data(client, world):
    for dataset in client.get("/data.json").json()["dataset"]:
        for dist in dataset["distribution"]:
            body = _text(client.get(urlsplit(dist["downloadURL"]).path).content, dist["mediaType"])
            assert personal_data(body) == [], dist["downloadURL"]
    html = client.get("/verify", {"number": world.certificate.number, "name": NAME}).content.decode()
    result = html[html.index('id="verify-result"') :]
    assert 'data-status="valid"' in result and "陈*东" in result and NAME not in result
    assert personal_data(html) == []
