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
register("web:jobs", ScopeCase("list", _job, lambda o: "/jobs/", "jobs.view", lambda o: f"/jobs/{o.pk}/"))
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
register(
    "web:notifications", Exempt("the signed-in user's own to-dos, each from a scoped selector; tested in web tests")
)
register(
    "web:picker_occupations", Exempt("the occupation catalog (大典) is public reference data; no regional records")
)
register(
    "web:picker_regions",
    Exempt(
        "region tree look-up (public reference data), limited to the user's scope roots; tested in web/tests/test_pickers.py"
    ),
)
register("web:home", Exempt("cards are counts through visible(); tested in web tests"))
register("web:login", Exempt("login form"))
register("web:logout", Exempt("logout"))
register("web:otp_verify", Exempt("the signed-in user's own second factor"))
register("web:otp_setup", Exempt("the signed-in user's own second factor"))
register("web:otp_qr", Exempt("the signed-in user's own enrollment QR code"))
register("web:otp_recovery", Exempt("the signed-in user's own recovery codes, once"))
register("web:password_change", Exempt("the signed-in user's own password"))
register("api:openapi-json", Exempt("API schema"))
register("api:openapi-view", Exempt("API docs"))
register("api:api-root", Exempt("API root"))
register("api:job_submit", Exempt("queues a job; permission-checked, lists nothing"))
register("api:attachment_upload", Exempt("upload; region permission tested in kernel tests"))
register(
    "api:list_export_view",
    Exempt("an xlsx of a list's own scoped rows (ListSpec.rows); scope, masking and reveal tested in "
           "jineng/registry/tests/test_person_list_sort_export.py"),
)  # fmt: skip
register("api:job_download", Exempt("the requester's own export file only (404 to anyone else); registry list tests"))
register("web:job_download", Exempt("the requester's own export file only (404 to anyone else); registry list tests"))
register("web:attachment", ScopeCase("detail", _attachment, lambda o: f"/attachments/{o.pk}/", "attachments.view"))
register("api:attachment_kinds", Exempt("closed catalogue of kinds"))
register("api:settings_set", Exempt("write; region permission tested in settings tests"))
register("api:calendar_due", Exempt("public working-day arithmetic"))
register("api:region_detail", Exempt("public reference data (信息公开)"))
for _name in (
    "api:region_search",
    "api:occupation_list",
    "api:occupation_detail",
    "api:skill_level_list",
    "api:certificate_kind_list",
    "api:industry_list",
    "api:plan_list_view",
    "api:plan_detail",
    "api:plan_target_list",
    "public:index",
    "public:regions",
    "public:region",
    "public:occupations",
    "public:occupation",
    "public:levels",
    "public:industries",
    "public:plans",
    "public:plan",
):
    register(_name, Exempt("public reference data (信息公开): regions, occupations, levels, industries, plans"))
register("healthz", Exempt("health check"))
register("set_language", Exempt("language switch"))
exempt_prefix("admin/", "Django admin: superusers only; its querysets go through visible() (tests/test_admin_scope.py)")


# ---- registry and imports (issue 4) -------------------------------------------------------------------------------


def _person(region: str) -> Any:
    """A person residing in ``region``, with a valid, unique 18-digit number (random birth date and sequence)."""
    import datetime as dt
    import random

    from jineng.registry.models import Person
    from jineng.registry.services.persons import person_create
    from jineng.rules.idcard import check_character

    born = dt.date(1960, 1, 1) + dt.timedelta(days=random.randint(0, 15000))
    body = f"{region}{born:%Y%m%d}{random.randint(0, 999):03d}"
    person: Person = person_create(
        actor=None,
        name="探针" + "".join(chr(0x4E00 + random.randint(0, 5000)) for _ in range(3)),
        id_number=body + check_character(body),
        phone=f"139{random.randint(0, 99999999):08d}",
        residence_region=region,
        check_permission=False,
    )
    return person


def _attributed_person(region: str) -> Any:
    """A person residing outside every test region (罗湖 is not in 广州, so use 北京 东城 110101) but attributed to
    ``region`` by a fact — they must show exactly where the fact points."""
    from jineng.registry.services.persons import person_attribute

    person = _person("110101")
    person_attribute(person_id=person.pk, region_code=region, kind="scope.probe")
    return person


def _import_job(region: str) -> Any:
    from uuid import uuid4

    from django.core.files.base import ContentFile

    from jineng.common.jobs.models import Job
    from jineng.imports.models import ImportJob

    job = Job.objects.create(kind="import.persons", region_code=region)
    record = ImportJob(job=job, kind="persons", filename=f"probe-{uuid4().hex[:8]}.csv", sha256="0" * 64,
                       region_id=region)  # fmt: skip
    record.file.save(f"{record.id}.csv", ContentFile(b"x"), save=False)
    record.report.save(f"{record.id}.xlsx", ContentFile(b"PK"), save=False)
    record.save()
    return record


register("api:person_list", ScopeCase("list", _person, lambda o: "/api/v1/persons?page_size=500", "records.view"))
register("api:person_detail", ScopeCase("detail", _person, lambda o: f"/api/v1/persons/{o.pk}", "records.view"))
register(
    "api:person_archive", ScopeCase("detail", _person, lambda o: f"/api/v1/persons/{o.pk}/archive", "records.view")
)
register(
    "api:person_archive_pdf",
    ScopeCase("detail", _person, lambda o: f"/api/v1/persons/{o.pk}/archive.pdf", "records.view"),
)
register("registry:person_list", ScopeCase("list", _person, lambda o: "/persons/", "records.view", lambda o: str(o.pk)))
register(
    "registry:person_detail", ScopeCase("detail", _attributed_person, lambda o: f"/persons/{o.pk}/", "records.view")
)


def _legacy_twin(region: str) -> Any:
    """A 15-digit legacy record residing in ``region`` and its 18-digit twin, also there (a pair to merge)."""
    import datetime as dt
    import random

    from jineng.registry.services.persons import person_create_legacy
    from jineng.rules.idcard import check_character

    born = dt.date(1950, 1, 1) + dt.timedelta(days=random.randint(0, 15000))
    body = f"{region}{born:%Y%m%d}{random.randint(0, 999):03d}"
    number = body + check_character(body)
    name = "重复" + "".join(chr(0x4E00 + random.randint(0, 5000)) for _ in range(3))
    legacy = person_create_legacy(actor=None, name=name, id_number=number[:6] + number[8:17], residence_region=region)
    person_create_legacy(actor=None, name=name, id_number=number, residence_region=region)
    return legacy


register("registry:duplicates", ScopeCase("list", _legacy_twin, lambda o: "/persons/duplicates/", "registry.edit"))
register(
    "api:person_duplicates_view",
    ScopeCase("list", _legacy_twin, lambda o: "/api/v1/persons/duplicates", "registry.edit"),
)
register("api:import_list", ScopeCase("list", _import_job, lambda o: "/api/v1/imports/?page_size=500", "jobs.view"))
register("api:import_detail", ScopeCase("detail", _import_job, lambda o: f"/api/v1/imports/{o.pk}", "jobs.view"))
register("api:import_report", ScopeCase("detail", _import_job, lambda o: f"/api/v1/imports/{o.pk}/report", "jobs.view"))
register("imports:detail", ScopeCase("detail", _import_job, lambda o: f"/imports/{o.pk}/", "jobs.view"))
register("imports:upload", ScopeCase("list", _import_job, lambda o: "/imports/", "jobs.view", lambda o: o.filename))
WRITE = "write; scope-checked through get_visible/require in the service, tested in jineng/registry/tests"
register("api:person_create_view", Exempt("create; region permission tested in jineng/registry/tests"))
register("api:person_search", Exempt("POST search; results through visible(), tested in jineng/registry/tests"))
register("api:person_patch", Exempt(WRITE))
register("api:person_reveal_view", Exempt(WRITE))
register("api:person_group_add", Exempt(WRITE))
register("api:person_employment_add", Exempt(WRITE))
register("api:person_merge_view", Exempt(WRITE))
register("api:person_document_add", Exempt(WRITE))
register("api:person_document_verify", Exempt(WRITE))
register("api:person_bank_account_add", Exempt(WRITE))
register("registry:person_reveal", Exempt(WRITE))
register("registry:merge", Exempt(WRITE))
register(
    "registry:person_new",
    Exempt("registration form; region permission checked by person_create, tested in registry tests"),
)
register(
    "registry:person_find",
    Exempt(
        "POST exact search by document number through visible(), tested in registry/tests/test_person_form_and_find.py"
    ),
)
register("registry:my_archive", Exempt("redirects the worker to their own person (tested in registry tests)"))


def _correction(region: str) -> Any:
    from uuid import uuid4

    from jineng.registry.models import CorrectionRequest, Person

    person = Person.objects.create(name=f"探针更正{uuid4().hex[:4]}")
    return CorrectionRequest.objects.create(person=person, region_id=region, about=f"探针事项{uuid4().hex[:10]}",
                                            text="探针更正内容")  # fmt: skip


register("registry:corrections", ScopeCase("list", _correction, lambda o: "/persons/corrections/", "registry.edit",
                                           lambda o: o.about))  # fmt: skip
register("registry:my_corrections", Exempt(
    "the worker's own correction requests and own archive entries (person = the signed-in user's); tested in "
    "jineng/subsidies/tests/test_worker_join.py"))  # fmt: skip
register("registry:correction_answer", Exempt(
    "write; fetched through get_visible(registry.edit) and require(registry.edit) over the request's region; tested "
    "in jineng/subsidies/tests/test_worker_join.py"))  # fmt: skip
register("api:import_upload", Exempt("upload; region permission tested in jineng/imports/tests"))
register("api:import_upload_noslash", Exempt("upload; region permission tested in jineng/imports/tests"))
register("imports:template", Exempt("blank template with headers; no records"))

# ---- providers (jineng/providers/tests/scope.py) ------------------------------------------------------------------
from jineng.providers.tests.scope import register_provider_cases  # noqa: E402

register_provider_cases(register, ScopeCase, Exempt)

# ---- training (jineng/training/tests/scope.py) --------------------------------------------------------------------
from jineng.training.tests.scope import register_training_cases  # noqa: E402

register_training_cases(register, ScopeCase, Exempt)

# ---- certificates (jineng/certificates/tests/scope.py) ------------------------------------------------------------
from jineng.certificates.tests.scope import register_certificate_cases  # noqa: E402

register_certificate_cases(register, ScopeCase, Exempt)

# ---- subsidies (jineng/subsidies/tests/scope.py) ------------------------------------------------------------------
from jineng.subsidies.tests.scope import register_subsidy_cases  # noqa: E402

register_subsidy_cases(register, ScopeCase, Exempt)

# ---- indicators (jineng/indicators/tests/scope.py) ----------------------------------------------------------------
from jineng.indicators.tests.scope import register_indicator_cases  # noqa: E402

register_indicator_cases(register, ScopeCase, Exempt)

# ---- supervision (jineng/supervision/tests/scope.py) --------------------------------------------------------------
from jineng.supervision.tests.scope import register_supervision_cases  # noqa: E402

register_supervision_cases(register, ScopeCase, Exempt)
# ---- labour market (jineng/labour_market/tests/scope.py) ----------------------------------------------------------
from jineng.labour_market.tests.scope import register_labour_cases  # noqa: E402

register_labour_cases(register, ScopeCase, Exempt)

# ---- learning: the xAPI LRS (issue 20) -------------------------------------------------------------------------------

register(
    "xapi",
    Exempt(
        "xAPI LRS: no session user reaches it — HTTP Basic with an online platform's credential, which reads only "
        "that platform's statements and documents (jineng/learning/tests/test_xapi.py::test_platforms_are_isolated)"
    ),
)

from jineng.learning.tests.scope import register_learning_cases  # noqa: E402

register_learning_cases(register, ScopeCase, Exempt)

# ---- competitions (jineng/competitions/tests/scope.py) ------------------------------------------------------------
from jineng.competitions.tests.scope import register_competition_api_cases, register_competition_cases  # noqa: E402

register_competition_cases(register, ScopeCase, Exempt)
register_competition_api_cases(register, ScopeCase, Exempt)

# ---- inspections: 双随机、一公开 (jineng/inspections/tests/scope.py) ---------------------------------------------------
from jineng.inspections.tests.scope import register_inspection_cases  # noqa: E402

register_inspection_cases(register, ScopeCase, Exempt)
# ---- credits (jineng/credits/tests/scope.py) -----------------------------------------------------------------------
from jineng.credits.tests.scope import register_credit_cases  # noqa: E402

register_credit_cases(register, ScopeCase, Exempt)
# ---- the public portal (jineng/portal/tests/scope.py) -----------------------------------------------------------
from jineng.portal.tests.scope import register_portal_cases  # noqa: E402

register_portal_cases(register, ScopeCase, Exempt)
# ---- complaints (jineng/complaints/tests/scope.py) --------------------------------------------------------------
from jineng.complaints.tests.scope import register_complaint_cases  # noqa: E402

register_complaint_cases(register, ScopeCase, Exempt)
# ---- accounts: unified identity sign-in (jineng/accounts/tests/scope.py) ---------------------------------------
from jineng.accounts.tests.scope import register_accounts_cases  # noqa: E402

register_accounts_cases(register, ScopeCase, Exempt)
