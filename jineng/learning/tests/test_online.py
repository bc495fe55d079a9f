"""Online 学时 reach training: a platform's learner account mapped to an enrollment, its statements credited within
the class's dates, before the first offline session (theory before practice) and within the online share, and
recorded into training's crediting; accounts of no enrollment are listed; every bad mapping input is refused."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from jineng.common.errors import ValidationFailed
from jineng.learning import online, services
from jineng.learning.demo import _session
from jineng.learning.models import LearnerAccount
from jineng.rules.training import ONLINE_SHARE_MAX_PERCENT, Credit, with_online
from jineng.training import api as training
from jineng.training.tests.conftest import at

pytestmark = pytest.mark.django_db
HOME = "https://example.invalid/"


def _store(platform: Any, statements: list[dict[str, Any]]) -> None:
    authority = {"objectType": "Agent", "account": {"homePage": "http://testserver/xapi/", "name": "k"}}
    services.statements_store(
        organization=platform, statements=statements, authority=authority, version="2.0.0", attachments={}
    )


def test_mapped_statements_credit_online_hours_into_training(world, blended, make_org):
    tc, enrollment = blended
    platform = make_org(kind="provider", name="粤技通")
    monday = world.start
    _store(platform, _session("enr-1", "https://example.invalid/c/1", at(monday, 19), 100))  # 100 min → 2 学时
    _store(platform, _session("enr-1", "https://example.invalid/c/1", at(monday + dt.timedelta(days=1), 19), 45))
    # After the first offline session: credited nothing (theory before practice).
    _store(platform, _session("enr-1", "https://example.invalid/c/1", at(monday + dt.timedelta(days=8), 19), 90))
    _store(platform, _session("stranger", "https://example.invalid/c/1", at(monday, 19), 90))

    online.learner_map(actor=world.staff, organization=platform, home_page=HOME, name="enr-1",
                       enrollment_id=enrollment.pk)  # fmt: skip
    assert online.online_sync(actor="test", organization=platform) == 1

    account = LearnerAccount.objects.get(organization=platform, name="enr-1")
    assert account.online_hours == 3
    enrollment.refresh_from_db()
    assert enrollment.online_hours == 3
    assert enrollment.credited_hours == 3  # no punches: every credited 学时 is online
    texts = [line["text"] for line in account.lines]
    assert any("100 分钟" in t and "2 学时" in t for t in texts)
    assert any("先理论后实操" in t for t in texts)
    with translation.override("en"):  # the notes are stored as keys: an English reader gets them in English
        shown = [line["text"] for line in online.shown_lines(account.lines)]
    assert any("theory before practice" in t for t in shown) and not any("先理论后实操" in t for t in shown)
    assert [line["day"] for line in account.lines if line["day"]] == [
        monday.isoformat(),
        (monday + dt.timedelta(days=1)).isoformat(),
    ]
    assert [u.name for u in online.unknown_accounts(platform)] == ["stranger"]


def test_online_hours_stop_at_the_online_share(world, blended, make_org):
    tc, enrollment = blended
    platform = make_org(kind="provider")
    statements = []
    for day in range(5):  # 5 days × 7 h = 35 学时 earned online; the class's share is 50 % of its creditable 学时
        statements += _session("enr-2", "https://example.invalid/c/2", at(world.start + dt.timedelta(days=day), 8),
                               7 * 45 + 10)  # fmt: skip
    _store(platform, statements)
    online.learner_map(actor=world.staff, organization=platform, home_page=HOME, name="enr-2",
                       enrollment_id=enrollment.pk)  # fmt: skip
    online.online_sync(actor="test", organization=platform)
    enrollment.refresh_from_db()
    cap = enrollment.creditable_hours * ONLINE_SHARE_MAX_PERCENT // 100
    assert enrollment.creditable_hours == 40  # 10 sessions × 3 h = 180 min → 4 学时 each
    assert enrollment.online_hours == cap == 20
    assert enrollment.credited_hours == 20


@pytest.mark.parametrize(
    ("home_page", "name", "enrollment", "field", "code"),
    [
        ("", "enr-1", "ok", "home_page", "bad_account"),
        ("x" * 2049, "enr-1", "ok", "home_page", "bad_account"),
        (HOME, "", "ok", "name", "bad_account"),
        (HOME, "n" * 256, "ok", "name", "bad_account"),
        (HOME, "enr-1", "missing", "enrollment", "unknown_enrollment"),
        (HOME, "enr-1", "not-a-uuid", "enrollment", "unknown_enrollment"),
    ],
)
def test_bad_mapping_is_refused_naming_the_field(world, blended, make_org, home_page, name, enrollment, field, code):
    _tc, real = blended
    target = {"ok": real.pk, "missing": uuid.uuid4(), "not-a-uuid": "abc"}[enrollment]
    with pytest.raises(ValidationFailed) as caught:
        online.learner_map(actor=world.staff, organization=make_org(), home_page=home_page, name=name,
                           enrollment_id=target)  # fmt: skip
    assert caught.value.fields[0].field == field
    assert caught.value.code == code


def test_an_account_maps_once_and_only_to_an_active_enrollment(world, blended, make_org):
    _tc, enrollment = blended
    platform = make_org()
    online.learner_map(actor=world.staff, organization=platform, home_page=HOME, name="a", enrollment_id=enrollment.pk)
    with pytest.raises(ValidationFailed) as caught:
        online.learner_map(actor=world.staff, organization=platform, home_page=HOME, name="a",
                           enrollment_id=enrollment.pk)  # fmt: skip
    assert caught.value.code == "account_taken"
    training.Enrollment.objects.filter(pk=enrollment.pk).update(status="dropped")
    with pytest.raises(ValidationFailed) as caught:
        online.learner_map(actor=world.staff, organization=platform, home_page=HOME, name="b",
                           enrollment_id=enrollment.pk)  # fmt: skip
    assert caught.value.code == "enrollment_not_active"


@given(credited=st.integers(0, 500), extra=st.integers(0, 500), online_hours=st.integers(0, 1000))
def test_online_hours_add_within_the_share_and_the_creditable_total(credited, extra, online_hours):
    creditable = credited + extra
    before = Credit(sessions=(), credited_hours=credited, creditable_hours=creditable)
    after = with_online(before, online_hours)
    assert after.creditable_hours == creditable
    assert credited <= after.credited_hours <= creditable
    assert after.credited_hours - credited <= min(online_hours, creditable * ONLINE_SHARE_MAX_PERCENT // 100)
    assert with_online(before, online_hours + 1).credited_hours >= after.credited_hours
