"""The audit log reads in words and its filter finds entries by the Chinese label or by the beginning of the code;
a long reason wraps."""

from __future__ import annotations

import re

import pytest

from jineng.common.audit.services import audit_record
from jineng.web.audit_labels import action_label, object_label

pytestmark = pytest.mark.django_db


def _entries(make_user):
    actor = make_user("sysadmin", region="440000")
    audit_record(
        actor=actor, action="claim.accept", object_type="subsidies.claim", object_id="c1", region_code="440106"
    )
    audit_record(actor=actor, action="claim.first_review", object_type="subsidies.claim", object_id="c2",
                 region_code="440106", reason="材料齐全" * 40)  # fmt: skip
    audit_record(actor=actor, action="person.reveal", object_type="registry.person", object_id="p1",
                 region_code="440106")  # fmt: skip
    return actor


def _actions(html: str) -> list[str]:
    return re.findall(r'title="([a-z_]+\.[a-z_]+)"', html)


def test_the_log_shows_labels_not_codes(api, make_user):
    html = api(_entries(make_user)).get("/audit/").content.decode()
    assert "补贴申请 · 受理" in html and "补贴申请 · 初审" in html and "人员 · 查看明文" in html
    assert ">claim.accept<" not in html and "<code>claim.accept</code>" not in html


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("初审", {"claim.first_review"}),
        ("补贴申请", {"claim.accept", "claim.first_review"}),
        ("补贴申请 · 受理", {"claim.accept"}),
        ("claim.", {"claim.accept", "claim.first_review"}),
        ("person", {"person.reveal"}),
        ("claim.accept", {"claim.accept"}),
    ],
)
def test_the_filter_matches_the_label_or_the_code_prefix(api, make_user, text, expected):
    client = api(_entries(make_user))
    html = client.get("/audit/", {"action": text}).content.decode()
    assert set(_actions(html)) - {"grant.create"} == expected


def test_the_object_filter_matches_the_label(api, make_user):
    html = api(_entries(make_user)).get("/audit/", {"object_type": "人员"}).content.decode()
    assert set(_actions(html)) == {"person.reveal"}


def test_a_long_reason_wraps_in_its_column(api, make_user):
    html = api(_entries(make_user)).get("/audit/").content.decode()
    assert 'class="jn-audit-reason">材料齐全' in html


def test_every_action_the_code_writes_has_a_label():
    assert action_label("claim.second_review") == "补贴申请 · 复审"
    assert action_label("class.approved") == "培训班 · 批准"
    assert object_label("training.class") == "培训班"
    assert "·" in action_label("provider_listing.suspended")


def test_every_literal_action_in_the_code_has_an_area_and_a_verb_label():
    from pathlib import Path

    from jineng.web.audit_labels import AREA_LABELS, VERB_LABELS

    root = Path(__file__).resolve().parents[2]
    missing = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts:
            continue
        # action="area.verb", and action="area.verb_" + ("x" if … else "y") read as its two words' stem
        for code in re.findall(r'action="([a-z_]+)\.([a-z_]*[a-z])"', path.read_text(encoding="utf-8")):
            if code[0] not in AREA_LABELS or code[1] not in VERB_LABELS:
                missing.add(".".join(code))
    assert missing == set()
