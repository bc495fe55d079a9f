"""The audit log reads in words and its filter finds entries by the Chinese label or by the beginning of the code;
a long reason wraps."""

from __future__ import annotations

import re
from pathlib import Path

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


# Every app that writes audit events has an events.py: all of them are read, so a new app cannot be forgotten.
EVENT_APPS = tuple(sorted(p.parent.name for p in (Path(__file__).resolve().parents[2]).glob("*/events.py")))


def _all_events():
    import importlib

    return [member for app in EVENT_APPS for member in importlib.import_module(f"jineng.{app}.events").Event]


@pytest.mark.parametrize("event", _all_events(), ids=str)
def test_every_audit_event_reads_in_words(event):
    from jineng.web.audit_labels import AREA_LABELS, OBJECT_LABELS, VERB_LABELS

    area, _dot, verb = event.value.partition(".")
    assert area in AREA_LABELS and verb in VERB_LABELS
    assert not event.object_type or event.object_type in OBJECT_LABELS


def test_every_object_type_is_spelled_app_dot_model():
    apps = set(EVENT_APPS)
    types = {e.object_type for e in _all_events() if e.object_type}
    assert {t for t in types if t.partition(".")[0] not in apps} == set()


@pytest.mark.parametrize(
    ("old", "new", "label"),
    [("organization", "accounts.organization", "机构"), ("user", "accounts.user", "用户"),
     ("org_profile", "providers.organization_profile", "机构档案"), ("plan", "refdata.plan", "规划")],
)  # fmt: skip
def test_older_entries_object_types_read_as_todays(old, new, label):
    assert object_label(old) == object_label(new) == label


def test_the_object_filters_find_older_entries_by_todays_spelling(api, make_user):
    actor = make_user("sysadmin", region="440000")
    audit_record(actor=actor, action="organization.create", object_type="organization", object_id="o-old",
                 region_code="440106")  # fmt: skip
    audit_record(actor=actor, action="organization.create", object_type="accounts.organization", object_id="o-new",
                 region_code="440106")  # fmt: skip
    client = api(actor)
    page = client.get("/audit/", {"object_type": "accounts.organization"}).content.decode()
    assert "o-old" in page and "o-new" in page
    listed = client.get("/api/v1/audit", {"object_type": "accounts.organization"}).json()
    assert {e["object_id"] for e in listed["items"]} == {"o-old", "o-new"}


def test_every_state_a_service_names_its_event_after_has_an_event():
    """Services name some events after a state or a kind (``class.<status>``, ``enrollment.<kind>``,
    ``provider_listing.<kind>``): each must be an event, or the change would fail when it is recorded."""
    from jineng.providers.events import Event as ProviderEvent
    from jineng.providers.models import ListingEventKind
    from jineng.rules.training import TRANSITIONS
    from jineng.training.events import Event as TrainingEvent
    from jineng.training.models import AmendmentKind

    for targets in TRANSITIONS.values():
        for target in targets:
            TrainingEvent(f"class.{target}")
    for kind in AmendmentKind.values:
        TrainingEvent(f"enrollment.{kind}")
    for kind in ListingEventKind.values:
        ProviderEvent(f"provider_listing.{kind}")
