"""A complaint's evidence is read by its handler only: an official who may read attachments in the region (finance,
an inspector) but does not handle complaints gets 404 — on the page, the API detail, the download and the list."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jineng.common.models import Attachment

pytestmark = pytest.mark.django_db


def test_complaint_evidence_is_for_its_handler_only(client: Any, api: Any, world: Any, make_user: Any) -> None:
    from jineng.complaints.tests.test_pages import NEW, _form

    pdf = SimpleUploadedFile("证据.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    assert client.post(NEW, {**_form(), "attachments": [pdf]}).status_code == 200
    att = Attachment.objects.get(kind="complaint")
    handler = api(world.handler)
    assert handler.get(f"/attachments/{att.pk}/").status_code == 200
    assert handler.get(f"/api/v1/attachments/{att.pk}/download").status_code == 200
    for function in ("finance", "inspector"):
        reader = api(make_user(function, region="440000"))
        assert reader.get(f"/attachments/{att.pk}/").status_code == 404, function
        assert reader.get(f"/api/v1/attachments/{att.pk}").status_code == 404, function
        assert reader.get(f"/api/v1/attachments/{att.pk}/download").status_code == 404, function
        listed = reader.get("/api/v1/attachments?kind=complaint").json()
        assert listed["count"] == 0, function
