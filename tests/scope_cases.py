"""Every URL must be registered here: either a ScopeCase that says how to make a record attributed to a region
and where it shows, or an Exempt entry that says why the URL lists no regional records.

``tests/test_scope_endpoints.py`` walks every URL pattern of the project; an unregistered URL fails the test, so an
endpoint added later is covered without anyone remembering. Apps add their cases with ``register``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ScopeCase:
    """make(region_code) → a record attributed to that region; url(record) → the URL to fetch.

    kind: "list" (the record's marker must appear or not), "detail" (200 or 404), "export" (like list).
    marker(record) → text identifying the record in a list response.
    permission: the permission the endpoint needs; roles without it must see nothing.
    """

    kind: str
    make: Callable[[str], Any]
    url: Callable[[Any], str]
    permission: str
    marker: Callable[[Any], str] = lambda obj: str(obj.pk)


@dataclass(frozen=True)
class Exempt:
    reason: str


CASES: dict[str, ScopeCase | Exempt] = {}


def register(name: str, case: ScopeCase | Exempt) -> None:
    CASES[name] = case


def exempt_prefix(prefix: str, reason: str) -> None:
    CASES[f"prefix:{prefix}"] = Exempt(reason)


# ---- the kernel's endpoints -------------------------------------------------------------------------------------


def _audit(region: str) -> Any:
    from uuid import uuid4

    from jineng.common.audit.services import audit_record

    return audit_record(actor=None, action=f"scope-{uuid4().hex[:12]}", object_type="scope_probe", region_code=region)


def _job(region: str) -> Any:
    from uuid import uuid4

    from jineng.common.jobs.models import Job

    return Job.objects.create(kind=f"probe-{uuid4().hex[:12]}", region_code=region)


def _attachment(region: str) -> Any:
    import datetime as dt
    from uuid import uuid4

    from django.core.files.base import ContentFile

    from jineng.common.models import Attachment

    att = Attachment(
        kind="evidence",
        filename=f"probe-{uuid4().hex[:8]}.pdf",
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
        region_code=region,
        retain_until=dt.date(2036, 1, 1),
    )
    att.file.save(str(att.id), ContentFile(b"%PDF-1.4\n"), save=False)
    att.save()
    return att


def _setting(region: str) -> Any:
    import datetime as dt
    import random

    from jineng.refdata.models import RegionSetting

    return RegionSetting.objects.create(
        key="class.max_trainees",
        region_id=region,
        value=random.randint(10, 99),
        valid_from=dt.date(2020, 1, 1) + dt.timedelta(days=random.randint(0, 3000)),
    )


def _org(region: str) -> Any:
    from uuid import uuid4

    from jineng.accounts.models import Organization
    from jineng.common.codes import credit_code_check_char

    serial = str(uuid4().int % 10**9).zfill(9)
    first17 = f"52{region}{serial}"
    return Organization.objects.create(
        kind="provider",
        name=f"探针机构{serial}",
        region_id=region,
        credit_code=first17 + credit_code_check_char(first17),
    )


def _user(region: str) -> Any:
    from uuid import uuid4

    from jineng.accounts.models import User
    from jineng.accounts.services import grant_create

    user = User.objects.create_user(username=f"probe-{uuid4().hex[:12]}", password="x-Probe-12345")
    grant_create(actor=None, user=user, function="county_official", region_code=region)
    return user


register("api:audit_list", ScopeCase("list", _audit, lambda o: "/api/v1/audit?page_size=500", "audit.view"))
register("api:audit_detail", ScopeCase("detail", _audit, lambda o: f"/api/v1/audit/{o.pk}", "audit.view"))
register("api:job_list", ScopeCase("list", _job, lambda o: "/api/v1/jobs?page_size=500", "jobs.view"))
register("api:job_detail", ScopeCase("detail", _job, lambda o: f"/api/v1/jobs/{o.pk}", "jobs.view"))
register(
    "api:attachment_list",
    ScopeCase("list", _attachment, lambda o: "/api/v1/attachments?page_size=500", "attachments.view"),
)
register(
    "api:attachment_detail",
    ScopeCase("detail", _attachment, lambda o: f"/api/v1/attachments/{o.pk}", "attachments.view"),
)
register(
    "api:attachment_download",
    ScopeCase("detail", _attachment, lambda o: f"/api/v1/attachments/{o.pk}/download", "attachments.view"),
)
register(
    "api:setting_versions",
    ScopeCase(
        "list",
        _setting,
        lambda o: "/api/v1/settings/versions?page_size=500",
        "settings.view",
        lambda o: f'"id": {o.pk},',
    ),
)
register(
    "api:setting_version_detail",
    ScopeCase("detail", _setting, lambda o: f"/api/v1/settings/versions/{o.pk}", "settings.view"),
)
register(
    "api:settings_effective",
    ScopeCase("detail", lambda r: r, lambda r: f"/api/v1/settings?region={r}", "settings.view"),
)
register(
    "api:organization_list", ScopeCase("list", _org, lambda o: "/api/v1/organizations?page_size=500", "records.view")
)
register(
    "api:organization_detail", ScopeCase("detail", _org, lambda o: f"/api/v1/organizations/{o.pk}", "records.view")
)
register("api:user_list", ScopeCase("list", _user, lambda o: "/api/v1/users?page_size=500", "users.manage"))
register("api:user_detail", ScopeCase("detail", _user, lambda o: f"/api/v1/users/{o.pk}", "users.manage"))

register("web:audit", ScopeCase("list", _audit, lambda o: "/audit/", "audit.view", lambda o: o.action))
register("web:jobs", ScopeCase("list", _job, lambda o: "/jobs/", "jobs.view", lambda o: o.kind))
register("web:job_detail", ScopeCase("detail", _job, lambda o: f"/jobs/{o.pk}/", "jobs.view"))
register(
    "web:settings",
    ScopeCase("detail", lambda r: r, lambda r: f"/settings/?region={r}", "settings.view", lambda r: f"（{r}）"),
)
register("web:users", ScopeCase("list", _user, lambda o: "/users/", "users.manage", lambda o: o.username))

OWN = "the signed-in user's own data (tested in accounts tests), no regional records"
register("api:me", Exempt(OWN))
register("api:token_list", Exempt(OWN))
register("api:token_new", Exempt(OWN))
register("api:token_revoke_view", Exempt(OWN))
register("web:account", Exempt(OWN))
register("web:home", Exempt("cards are counts through visible(); tested in web tests"))
register("web:login", Exempt("login form"))
register("web:logout", Exempt("logout"))
register("api:openapi-json", Exempt("API schema"))
register("api:openapi-view", Exempt("API docs"))
register("api:api-root", Exempt("API root"))
register("api:job_submit", Exempt("queues a job; permission-checked, lists nothing"))
register("api:attachment_upload", Exempt("upload; region permission tested in kernel tests"))
register("api:attachment_kinds", Exempt("closed catalogue of kinds"))
register("api:settings_set", Exempt("write; region permission tested in settings tests"))
register("api:calendar_due", Exempt("public working-day arithmetic"))
register("api:region_detail", Exempt("public reference data (信息公开)"))
register("healthz", Exempt("health check"))
register("set_language", Exempt("language switch"))
exempt_prefix("admin/", "Django admin: superusers only; its querysets go through visible() (tests/test_admin_scope.py)")
