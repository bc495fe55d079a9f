"""附件 through the API: kinds, size limits, declared types checked against the content, scope on read."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from jineng.common.attachments import services
from jineng.common.attachments.services import retention_until
from jineng.common.models import Attachment, AuditEntry

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _upload(client, *, kind="evidence", region="440106", name="证明.pdf", content=PDF, content_type="application/pdf"):
    return client.post(
        "/api/v1/attachments",
        {"kind": kind, "region": region, "file": SimpleUploadedFile(name, content, content_type=content_type)},
    )


def _nothing_stored():
    return not Attachment.objects.exists() and not AuditEntry.objects.filter(object_type="common.attachment").exists()


def test_a_good_pdf_is_stored_with_its_digest_and_retention(api, make_user, openapi):
    uploader = make_user("county_official", region="440106")
    response = _upload(api(uploader))
    assert response.status_code == 201, response.content
    body = openapi.validate(response)
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert body["size"] == len(PDF)
    assert (body["kind"], body["region_code"], body["content_type"]) == ("evidence", "440106", "application/pdf")
    retain_years = services.KINDS["evidence"].retain_years
    assert body["retain_until"] == retention_until(timezone.localdate(), retain_years).isoformat()
    stored = Attachment.objects.get(pk=body["id"])
    with stored.file.open("rb") as fh:
        assert fh.read() == PDF
    assert stored.uploaded_by_id == uploader.pk
    entry = AuditEntry.objects.get(action="attachment.create", object_type="common.attachment", object_id=body["id"])
    assert entry.after["sha256"] == body["sha256"]
    assert entry.actor_id == uploader.pk


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"kind": "selfie"}, "kind", "unknown_kind"),
        ({"kind": "photo"}, "file", "type_not_allowed"),  # a PDF is not a photo
        ({"content_type": "application/x-msdownload", "name": "a.exe"}, "file", "type_not_allowed"),
        ({"content": b"<html>not a pdf</html>"}, "file", "content_mismatch"),
        ({"content": PNG}, "file", "content_mismatch"),  # declared PDF, is a PNG
        ({"content": b""}, "file", "empty"),
        ({"region": "449999"}, "region", "unknown_region"),
    ],
)
def test_bad_uploads_are_422_with_the_field_and_nothing_is_stored(api, make_user, overrides, field, code):
    response = _upload(api(make_user("county_official", region="440106")), **overrides)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == (code if len(body["fields"]) == 1 else "validation_failed")  # the field's own code
    assert (field, code) in [(f["field"], f["code"]) for f in body["fields"]]
    assert all(f["message"] for f in body["fields"])
    assert _nothing_stored()


def test_a_file_over_the_kinds_limit_is_refused(api, make_user, monkeypatch):
    small = dataclasses.replace(services.KINDS["photo"], max_bytes=1024)
    monkeypatch.setitem(services.KINDS, "photo", small)
    client = api(make_user("county_official", region="440106"))
    response = _upload(client, kind="photo", name="p.png", content=PNG + b"\x00" * 1024, content_type="image/png")
    assert response.status_code == 422
    assert response.json()["fields"][0]["code"] == "too_large"
    assert "照片" in response.json()["fields"][0]["message"]
    assert _nothing_stored()
    assert _upload(client, kind="photo", name="p.png", content=PNG, content_type="image/png").status_code == 201


def test_a_body_over_the_upload_limit_is_413(api, make_user, settings):
    settings.JINENG_MAX_UPLOAD_BYTES = 2048
    response = _upload(api(make_user("county_official", region="440106")), content=PDF + b"0" * 4096)
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert _nothing_stored()


def test_the_missing_file_field_is_reported(api, make_user):
    client = api(make_user("county_official", region="440106"))
    response = client.post("/api/v1/attachments", {"kind": "evidence", "region": "440106"})
    assert response.status_code == 422
    assert ("file", "required") in [(f["field"], f["code"]) for f in response.json()["fields"]]


@pytest.mark.parametrize(("function", "region"), [("county_official", "440104"), ("auditor", "440000")])
def test_uploading_outside_the_scope_or_without_the_permission_is_403(api, make_user, function, region):
    response = _upload(api(make_user(function, region=region)), region="440106")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert _nothing_stored()


def test_download_only_in_scope(api, make_user, client):
    uploaded = _upload(api(make_user("county_official", region="440106"))).json()
    client.logout()
    for function, region, expected in [
        ("county_official", "440106", 200),
        ("city_official", "440100", 200),
        ("county_official", "440104", 404),
        ("city_official", "440300", 404),
    ]:
        client.force_login(make_user(function, region=region))
        response = client.get(f"/api/v1/attachments/{uploaded['id']}/download")
        assert response.status_code == expected, (function, region)
        if expected == 200:
            assert b"".join(response.streaming_content) == PDF
            assert response["Content-Type"] == "application/pdf"
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Content-Disposition"].startswith("attachment")
        else:
            assert response.json()["code"] == "not_found"
        client.logout()


def test_every_download_is_audited_page_and_api_alike(api, make_user):
    """The API's downloads went unrecorded (the page's were): one attachment.download entry per download."""
    county = make_user("county_official", region="440106")
    client = api(county)
    uploaded = _upload(client).json()
    for url in (f"/api/v1/attachments/{uploaded['id']}/download", f"/attachments/{uploaded['id']}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        b"".join(response.streaming_content)
    entries = AuditEntry.objects.filter(action="attachment.download", object_id=uploaded["id"], actor=county)
    assert entries.count() == 2


def test_attachment_kinds_are_listed(api, make_user, openapi):
    body = openapi.validate(api(make_user("county_official", region="440106")).get("/api/v1/attachment-kinds"))
    assert {k["code"] for k in body} == set(services.KINDS)


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)), st.integers(1, 30))
def test_retention_is_never_shorter_than_the_period(stored_on, years):
    until = retention_until(stored_on, years)
    assert until.year == stored_on.year + years
    assert until >= stored_on.replace(year=stored_on.year + years, day=min(stored_on.day, 28))
    assert (until - stored_on).days >= 365 * years  # at least the number of years, counted in days
    assert (until.month, until.day) in {(stored_on.month, stored_on.day), (3, 1)}


def _upload_for(client, organization, **overrides):
    data = {
        "kind": "teaching_plan",
        "organization": str(organization),
        "file": SimpleUploadedFile("plan.pdf", PDF, "application/pdf"),
    }
    data.update(overrides)
    return client.post("/api/v1/attachments", data)


def test_provider_staff_upload_for_their_organization(api, make_user, make_org, client, openapi):
    own, other = make_org("440106"), make_org("440303")
    staff = make_user("provider_staff", organization=own)
    response = _upload_for(api(staff), own.pk)
    assert response.status_code == 201, response.content
    body = openapi.validate(response)
    assert (body["region_code"], body["organization_id"]) == ("440106", str(own.pk))
    # Their organization's files are theirs to read; the county sees them too.
    assert client.get(f"/api/v1/attachments/{body['id']}").status_code == 200
    client.force_login(make_user("county_official", region="440106"))
    assert client.get(f"/api/v1/attachments/{body['id']}").status_code == 200

    client.force_login(staff)
    refused = _upload_for(client, other.pk)
    assert refused.status_code == 404  # another organization is not even there for them
    assert Attachment.objects.count() == 1


def test_staff_without_a_region_must_name_their_organization(api, make_user, make_org):
    staff = make_user("provider_staff", organization=make_org("440106"))
    client = api(staff)
    response = client.post(
        "/api/v1/attachments", {"kind": "evidence", "file": SimpleUploadedFile("a.pdf", PDF, "application/pdf")}
    )
    assert response.status_code == 422
    assert ("region", "required") in [(f["field"], f["code"]) for f in response.json()["fields"]]
    assert _upload(client, region="440106").status_code == 403  # an organization grant is not a region grant
    assert _nothing_stored()


def test_an_official_may_upload_for_an_organization_of_the_region(api, make_user, make_org):
    org = make_org("440106")
    assert _upload_for(api(make_user("county_official", region="440106")), org.pk).status_code == 201
    assert _upload_for(api(make_user("county_official", region="440104")), org.pk).status_code == 404
    assert Attachment.objects.count() == 1


def test_a_malformed_organization_id_is_422(api, make_user):
    response = _upload_for(api(make_user("county_official", region="440106")), "not-a-uuid")
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "organization"
