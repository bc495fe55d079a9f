"""The page crawler behind the raw-code scan (issue 15): from a role's start pages, follow every same-site link the
pages show (GET only), and look at the visible text of each page for what a user must never read — raw codes
(snake_case enum values, dotted audit actions, bare six-digit region codes, UUIDs, JSON) and, under English, Chinese
chrome (headers, labels, buttons, catalog strings left untranslated).

Detail pages of one shape (``/claims/<id>/``) are visited a few times, not once per record, so a crawl of the demo
stays small. Text inside an element marked ``jn-code`` (an ID or code column, the occupation code beside its name)
is a legitimate code and is left out of the scan, as are the few values in ``ALLOWED``."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

# Words a page may show although they look like codes: product and format names, the demo's mail domain.
ALLOWED = {"jwks.json"}

SNAKE = re.compile(r"(?<![\w./:@-])[a-z]+(?:_[a-z0-9]+)+(?![\w./@-])")
DOTTED = re.compile(r"(?<![\w./:@-])[a-z]+(?:_[a-z]+)*\.[a-z]+(?:_[a-z]+)*(?![\w./@(-])")
BARE = re.compile(
    r"(?<![\w./:@-])(approve|reject|needs|passed|accepted|returned|registry|evaluation|system|part_time|full_time"
    r"|draft|submitted|pending|running|completed|failed|succeeded|queued|online|offline|province|county|city)"
    r"(?![\w./@-])"
)
# A skill level's code (grade4 for 四级/中级工) or an English error code left in a report (id_bad_checksum is SNAKE).
LEVEL = re.compile(r"(?<![\w./:@-])grade[1-5](?![\w./@-])")
# A six-digit region code, unless it stands in brackets after the region's name ("天河区（440106）": secondary text).
SIX_DIGITS = re.compile(r"(?<![\w.,/（(-])\d{6}(?![\w.,/%）)-])")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
JSON = re.compile(r"[{\[]\s*\"[^\"]+\"\s*:")
CJK = re.compile(r"[\u3400-\u9fff\uff08\uff09\u3001\u3002\uff1a\uff0c]+")

# The language switch names each language in itself.
LANGUAGE_NAMES = {"中文", "简体中文"}

# Pages not to follow: sign-out and language switch (they change the session), downloads, the API and admin.
SKIP = re.compile(
    r"^/(logout|i18n|api|static|media|admin|\.well-known)/|\.(xlsx|pdf|csv|json|svg|png|zip)$|/export|/download"
    r"|/template|[?&](download|format|export)="
)


def visible_text(html: str, *, keep_code: bool = False) -> str:
    """The text a reader sees: no tags, scripts, styles, templates, hidden attributes; ``jn-code`` elements removed
    unless ``keep_code``."""
    # A text area holds what the user types (a policy draft's JSON for its editor), not the page's words.
    html = re.sub(r"<(script|style|template|textarea)[^>]*>.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<!--.*?-->", " ", html, flags=re.S)
    if not keep_code:
        html = re.sub(r"<(\w+)[^>]*\bclass=\"[^\"]*\bjn-code\b[^\"]*\"[^>]*>.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    html = html.replace("&quot;", '"').replace("&#x27;", "'").replace("&#39;", "'").replace("&amp;", "&")
    return re.sub(r"\s+", " ", html)


def raw_codes(html: str, region_codes: Iterable[str] = (), *, english: bool = False) -> set[str]:
    """The raw codes in a page's visible text (under English, a bare word such as "registry" is a word)."""
    text = visible_text(html)
    found = set(SNAKE.findall(text)) | set(DOTTED.findall(text)) | set(LEVEL.findall(text))
    if not english:
        found |= set(BARE.findall(text))
    found |= set(UUID.findall(text)) | {m.group(0) for m in JSON.finditer(text)}
    regions = set(region_codes)
    found |= {c for c in SIX_DIGITS.findall(text) if c in regions}
    return found - ALLOWED


def chrome_texts(html: str) -> list[str]:
    """The page's own words (not data): the title, table headers, labels, buttons, navigation, card titles and
    placeholders — less what is marked ``translate="no"`` (a name inside chrome: the signed-in user's). A page's
    subtitle often names its record, so only the catalog's sentences are looked for there (``untranslated``)."""
    html = re.sub(r"<(script|style|template)[^>]*>.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<(\w+)[^>]*\btranslate=\"no\"[^>]*>.*?</\1>", " ", html, flags=re.S)
    parts = re.findall(r"<(title|th|label|button|summary|legend)\b[^>]*>(.*?)</\1>", html, flags=re.S)
    parts += re.findall(
        r"<(a|div)\b[^>]*class=\"[^\"]*\b(?:nav-link|card-header)\b[^\"]*\"[^>]*>(.*?)</\1>", html, flags=re.S
    )
    texts = [re.sub(r"<[^>]+>", " ", inner) for _tag, inner in parts]
    texts += re.findall(r'\b(?:placeholder|aria-label)="([^"]*)"', html)
    return [t for t in (re.sub(r"\s+", " ", t).strip() for t in texts) if t]


def catalog_msgids(po: Path) -> set[str]:
    """The Chinese source strings of the translation catalog (long enough to be chrome, not a one-character word)."""
    ids = set()
    for block in re.findall(r'^msgid ((?:".*"\n)+)', po.read_text(encoding="utf-8"), flags=re.M):
        text = "".join(re.findall(r'"(.*)"', block))
        # Sentences only: a short word ("培训班") is also part of data ("电工培训班").
        if CJK.search(text) and "%" not in text and "{" not in text and len(text) >= 12:
            ids.add(text.replace('\\"', '"'))
    return ids


def untranslated(html: str, msgids: set[str]) -> set[str]:
    """Chinese chrome left in an English page: a header, label or button in Chinese, or a catalog string shown as
    its Chinese source."""
    found = {t for t in chrome_texts(html) if CJK.search(t) and not _is_data(t)} - LANGUAGE_NAMES
    text = visible_text(html, keep_code=True)
    found |= {m for m in msgids if m in text}
    return found - LANGUAGE_NAMES


def _is_data(text: str) -> bool:
    # A header or label made of a data value: a person's, a region's or an organization's name beside chrome that
    # is already English (e.g. "李明 · Archive").
    return bool(re.search(r"[A-Za-z]{3,}", text))


def shape(path: str) -> str:
    """A path with its identifiers replaced, so that pages of one shape are counted together."""
    bare = path.split("?")[0]
    bare = UUID.sub("<id>", bare)
    bare = re.sub(r"/[0-9A-Za-z_-]*\d[0-9A-Za-z_-]*/", "/<n>/", bare)
    return bare


@dataclass
class Crawl:
    """The pages visited and what was found on each."""

    visited: list[str] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)
    findings: dict[str, list[str]] = field(default_factory=dict)


def crawl(client, start: Iterable[str], check, *, per_shape: int = 3, limit: int = 400) -> Crawl:  # type: ignore[no-untyped-def]
    """Visit the pages reachable from ``start`` by links, ``check(html) -> set`` on each; a page answering 500
    (or anything but 200, 302, 403, 404, 405) is a failure."""
    result = Crawl()
    queue = deque(start)
    seen: set[str] = set(queue)
    shapes: dict[str, int] = {}
    while queue and len(result.visited) < limit:
        path = queue.popleft()
        response = client.get(path)
        result.visited.append(path)
        if response.status_code in (302, 403, 404, 405):
            continue
        if response.status_code != 200:
            result.failures[path] = response.status_code
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        html = response.content.decode()
        found = check(html)
        if found:
            result.findings[path] = sorted(found)
        for href in re.findall(r'\bhref="([^"]+)"', html):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href.startswith("/") or SKIP.search(href):
                continue
            if href in seen:
                continue
            seen.add(href)
            key = shape(href)
            if shapes.get(key, 0) >= per_shape:
                continue
            shapes[key] = shapes.get(key, 0) + 1
            queue.append(href)
    return result
