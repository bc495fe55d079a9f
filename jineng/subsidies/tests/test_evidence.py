"""申请材料 on a claim: the applicant attaches ID scans, contracts, invoices, photos while the claim waits for
acceptance (or correction); the reviewer sees and downloads them on the claim page; others cannot."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jineng.common.attachments.models import Attachment
from jineng.subsidies.services.evidence import CLAIM_OBJECT

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%test\n"


def _post(client: Any, claim: Any, **data: Any) -> Any:
    return client.post(reverse("subsidies:claim_evidence", args=[claim.pk]), data)


def test_the_applicant_attaches_an_invoice_and_the_reviewer_downloads_it(
    client: Any, world: SimpleNamespace, submit_work: Any
) -> None:
    claim = submit_work(name="甲一")
    client.force_login(world.hr)
    _post(client, claim, kind="invoice", file=SimpleUploadedFile("发票.pdf", PDF, "application/pdf"))
    att = Attachment.objects.get(object_type=CLAIM_OBJECT, object_id=str(claim.pk))
    assert (att.kind, att.region_code, att.organization_id) == ("invoice", claim.region_id, world.enterprise.pk)

    client.force_login(world.county)
    page = client.get(reverse("subsidies:claim", args=[claim.pk])).content.decode()
    assert "发票.pdf" in page and 'id="ev-file"' not in page  # the reviewer sees the file, uploads nothing
    assert b"".join(client.get(reverse("web:attachment", args=[att.pk])).streaming_content) == PDF
    client.force_login(world.luohu)  # another city's official
    assert client.get(reverse("web:attachment", args=[att.pk])).status_code == 404


def test_a_reviewer_cannot_attach_and_an_accepted_claim_takes_no_more_files(
    client: Any, world: SimpleNamespace, submit_work: Any
) -> None:
    from jineng.subsidies.services import review

    claim = submit_work(name="乙二")
    client.force_login(world.county)
    page = client.get(
        _post(client, claim, kind="invoice", file=SimpleUploadedFile("a.pdf", PDF, "application/pdf"))["Location"]
    )
    assert "只有申请人可以上传申请材料" in page.content.decode()
    review.claim_accept(actor=world.county, claim=claim)
    client.force_login(world.hr)
    page = client.get(
        _post(client, claim, kind="invoice", file=SimpleUploadedFile("a.pdf", PDF, "application/pdf"))["Location"]
    )
    assert "只有待受理或退回补正的申请可以上传材料" in page.content.decode()
    assert not Attachment.objects.exists()
