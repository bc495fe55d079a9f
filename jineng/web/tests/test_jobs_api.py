"""Jobs through the API: queued maintenance jobs run by the task backend; lists and details in scope."""

from __future__ import annotations

import json

import pytest

from jineng.common.jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db


def _submit(client, kind: str):
    return client.post("/api/v1/jobs", data=json.dumps({"kind": kind}), content_type="application/json")


def test_a_sysadmin_queues_audit_verify_and_it_runs(api, make_user, openapi, django_capture_on_commit_callbacks):
    from jineng.common.audit.services import audit_record

    audit_record(actor=None, action="create", object_type="thing")
    admin = make_user("sysadmin", region="440100")
    client = api(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = _submit(client, "audit.verify")
    assert response.status_code == 202
    body = openapi.validate(response)
    assert body["status"] == JobStatus.QUEUED  # as recorded; the runner picks it up after the commit
    job = Job.objects.get(pk=body["id"])
    assert job.status == JobStatus.SUCCEEDED
    assert job.result["ok"] is True
    assert job.created_by_id == admin.pk

    detail = client.get(f"/api/v1/jobs/{job.pk}")
    assert openapi.validate(detail)["status"] == "succeeded"
    listed = openapi.validate(client.get("/api/v1/jobs"))
    assert str(job.pk) in [item["id"] for item in listed["items"]]


@pytest.mark.parametrize(
    ("function", "region"),
    [("province_official", "440000"), ("city_official", "440100"), ("auditor", "440000"), ("finance", "440000")],
)
def test_audit_jobs_need_the_audit_verify_permission(api, make_user, function, region):
    response = _submit(api(make_user(function, region=region)), "audit.verify")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert response.json()["message"] == "您没有执行此操作的权限。"
    assert not Job.objects.exists()


def test_an_unknown_job_kind_is_refused(api, make_user):
    response = _submit(api(make_user("city_official", region="440100")), "no.such.kind")
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_job_kind"
    assert not Job.objects.exists()


def test_jobs_are_listed_in_scope_and_owners_see_their_own(api, make_user, client):
    inside = Job.objects.create(kind="probe.a", region_code="440106")
    outside = Job.objects.create(kind="probe.b", region_code="440303")
    owner = make_user("county_official", region="440104")
    owned = Job.objects.create(kind="probe.c", created_by=owner)  # no region: reached through its owner only

    def seen(user) -> set[str]:
        client.force_login(user)
        items = client.get("/api/v1/jobs?page_size=500").json()["items"]
        client.logout()
        return {item["id"] for item in items}

    assert seen(make_user("city_official", region="440100")) == {str(inside.pk)}
    assert seen(make_user("county_official", region="440106")) == {str(inside.pk)}
    assert seen(owner) == {str(owned.pk)}
    assert seen(make_user("worker")) == set()
    client.force_login(make_user("county_official", region="440106"))
    assert client.get(f"/api/v1/jobs/{outside.pk}").status_code == 404
    assert client.get(f"/api/v1/jobs/{owned.pk}").status_code == 404


def test_job_list_filters_by_status(api, make_user):
    Job.objects.create(kind="probe.a", region_code="440106", status=JobStatus.FAILED)
    Job.objects.create(kind="probe.b", region_code="440106", status=JobStatus.SUCCEEDED)
    client = api(make_user("county_official", region="440106"))
    body = client.get("/api/v1/jobs?status=failed").json()
    assert body["count"] == 1
    assert body["items"][0]["kind"] == "probe.a"


@pytest.mark.parametrize("kind", ["indicators.recompute", "subsidies.publicity_close", "import.persons"])
def test_a_job_viewer_cannot_queue_what_is_not_theirs(api, make_user, make_org, kind):
    """Every job viewer (a provider's staff too) could queue any kind: a full recompute, the close of every 公示
    period, an import job with hand-made parameters. Each kind names who may queue it by hand; imports no one."""
    from jineng.common.jobs.services import job_kinds

    assert kind in job_kinds()
    for user in (make_user("provider_staff", organization=make_org()), make_user("county_official", region="440106")):
        response = _submit(api(user), kind)
        assert response.status_code == 403, response.content
    admin = make_user("sysadmin", region="000000")
    response = _submit(api(admin), kind)
    assert response.status_code == (403 if kind.startswith("import.") else 202), response.content
    assert Job.objects.filter(kind=kind).count() == (0 if kind.startswith("import.") else 1)


def test_the_audit_administrator_queues_audit_jobs(api, make_user):
    """三权分立: the audit administrator holds audit.verify but not jobs.view — it was refused (403) and only the system
    administrator could verify the audit trail."""
    from jineng.accounts.models import User
    from jineng.accounts.services import grant_create

    auditor = User.objects.create_user(username="audit-admin", password="pw-Test-12345")
    grant_create(actor=None, user=auditor, function="audit_admin", region_code="440000")
    assert _submit(api(auditor), "audit.verify").status_code == 202


@pytest.mark.parametrize(
    ("params", "field"),
    [({}, "params.plan"), ({"plan": "no-such-plan", "year": 2025}, "params.plan"),
     ({"plan": "national-2021", "year": "abc"}, "params.year"), ({"plan": "national-2021", "year": True}, "params.year"),
     ({"plan": "national-2021", "year": 99999}, "params.year")],
)  # fmt: skip
def test_a_year_close_with_bad_parameters_is_refused_when_queued(api, make_user, params, field):
    """It was queued (202) and then failed with "KeyError: 'plan'" or "ValueError: invalid literal for int()"."""
    client = api(make_user("province_official", region="440000"))
    response = client.post(
        "/api/v1/jobs", data=json.dumps({"kind": "indicators.close_year", "params": params}),
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 422, response.content
    assert response.json()["fields"][0]["field"] == field
    assert not Job.objects.exists()
