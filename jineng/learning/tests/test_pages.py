"""The online learning pages as each role uses them: the platform's staff issue, rotate and revoke credentials
(audited, the secret shown once) and re-derive their learners' 学时; the class's county official sees the learners
with masked names, the platforms of the region and the statements of no enrollment; the learner sees their own
day-by-day evidence; another county sees nothing."""

from __future__ import annotations

from typing import Any

import pytest

from jineng.common.audit.models import AuditEntry
from jineng.learning import online, services
from jineng.learning.demo import _session
from jineng.learning.models import CredentialStatus, LearnerAccount, LrsCredential
from jineng.training.tests.conftest import at

pytestmark = pytest.mark.django_db
HOME = "https://example.invalid/"


@pytest.fixture
def scene(world: Any, blended: Any, make_org: Any, make_user: Any) -> Any:
    _tc, enrollment = blended
    platform = make_org(name="粤技通测试平台")
    services.credential_create(actor=None, organization=platform)
    authority = {"objectType": "Agent", "account": {"homePage": "http://testserver/xapi/", "name": "k"}}
    statements = _session("enr-7", "https://example.invalid/c", at(world.start, 19), 95)
    statements += _session("nobody", "https://example.invalid/c", at(world.start, 19), 95)
    services.statements_store(organization=platform, statements=statements, authority=authority, version="2.0.0",
                              attachments={})  # fmt: skip
    account = online.learner_map(actor=None, organization=platform, home_page=HOME, name="enr-7",
                                 enrollment_id=enrollment.pk)  # fmt: skip
    online.online_sync(actor=None, organization=platform)
    staff = make_user("provider_staff", organization=platform)
    return platform, account, enrollment, staff


def test_platform_staff_issue_rotate_and_revoke_credentials(client, scene):
    platform, _account, _enrollment, staff = scene
    client.force_login(staff)
    response = client.post("/learning/credentials/new/", {"organization": str(platform.pk)}, follow=True)
    assert response.status_code == 200
    issued = response.context["issued"]
    key, secret = issued.split(" ")
    assert services.secret_digest(secret) == LrsCredential.objects.get(key=key).secret_sha256
    assert client.get("/learning/").context["issued"] is None  # shown once
    response = client.post(f"/learning/credentials/{LrsCredential.objects.get(key=key).pk}/rotate/", follow=True)
    assert LrsCredential.objects.get(key=key).status == CredentialStatus.REVOKED
    successor = response.context["issued"].split(" ")[0]
    client.post(f"/learning/credentials/{LrsCredential.objects.get(key=successor).pk}/revoke/")
    assert LrsCredential.objects.get(key=successor).status == CredentialStatus.REVOKED
    actions = list(AuditEntry.objects.filter(action__startswith="lrs_credential.").values_list("action", flat=True))
    assert actions.count("lrs_credential.create") >= 2 and actions.count("lrs_credential.revoke") == 2


def test_a_credential_of_another_platform_cannot_be_touched(client, scene, make_org, make_user):
    platform, *_rest = scene
    other = make_org(name="他人平台")
    issued = services.credential_create(actor=None, organization=other)
    client.force_login(scene[3])
    target = LrsCredential.objects.get(key=issued.key)
    assert client.post(f"/learning/credentials/{target.pk}/revoke/").status_code == 404
    assert client.post("/learning/credentials/new/", {"organization": str(other.pk)}).status_code == 403
    assert client.post("/learning/credentials/new/", {"organization": "not-a-uuid"}).status_code == 403
    assert LrsCredential.objects.get(key=issued.key).status == CredentialStatus.ACTIVE


def test_the_county_sees_masked_learners_platforms_and_unknown_statements(client, scene, world, make_user):
    platform, account, enrollment, _staff = scene
    client.force_login(world.county)
    page = client.get("/learning/").content.decode()
    assert account.person_name_masked in page and enrollment.person_name not in page
    assert platform.name in page
    assert "nobody" in page  # the statements of no enrollment, listed for the region's officials
    detail = client.get(f"/learning/accounts/{account.pk}/").content.decode()
    assert "95 分钟" in detail and "2 学时" in detail
    client.force_login(make_user("county_official", region="440104"))
    assert "enr-7" not in client.get("/learning/").content.decode()
    assert client.get(f"/learning/accounts/{account.pk}/").status_code == 404


def test_the_learner_sees_their_own_online_hours(client, scene, make_user):
    _platform, account, enrollment, _staff = scene
    from jineng.accounts.models import User

    worker = make_user("worker")
    User.objects.filter(pk=worker.pk).update(person_id=enrollment.person_id)
    client.force_login(User.objects.get(pk=worker.pk))
    assert client.get(f"/learning/accounts/{account.pk}/").status_code == 200
    assert "线上学时" in client.get("/training/mine/").content.decode()


def test_the_staff_re_derive_and_the_class_page_shows_online_hours(client, scene, blended):
    platform, account, enrollment, staff = scene
    LearnerAccount.objects.filter(pk=account.pk).update(online_hours=0)
    client.force_login(staff)
    assert client.post("/learning/sync/").status_code == 302
    assert LearnerAccount.objects.get(pk=account.pk).online_hours == 2


def test_the_heading_is_in_one_language_at_a_time(client, world):
    """The walk: /learning/ read "线上学习 Online learning" in the Chinese UI."""
    from django.conf import settings

    client.force_login(world.county)
    assert "Online learning" not in client.get("/learning/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/learning/").content.decode()
    assert "Online learning" in english and "线上学习</h1>" not in english
