"""证明材料 on a class: the provider attaches files to the class application and to a trainee's roster change; the
reviewer sees and downloads them on the class page; the attachment kinds' types and limits apply; nothing is stored
on a refusal; a class closed for changes takes no more files."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jineng.common.attachments.models import Attachment
from jineng.common.models import AuditEntry
from jineng.common.storage import file_is_encrypted
from jineng.training.services import classes
from jineng.training.services.evidence import CLASS_OBJECT, ENROLLMENT_OBJECT

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _post(client: Any, tc: Any, **data: Any) -> Any:
    return client.post(reverse("training:class_evidence", args=[tc.pk]), data)


def test_the_provider_attaches_evidence_and_the_reviewer_sees_and_downloads_it(
    client: Any, world: SimpleNamespace, make_class: Any
) -> None:
    tc = make_class("submitted")
    enrollment = tc.enrollments.get()
    client.force_login(world.staff)
    _post(client, tc, kind="contract", file=SimpleUploadedFile("培训合同.pdf", PDF, "application/pdf"))
    _post(client, tc, kind="evidence", enrollment=str(enrollment.pk),
          file=SimpleUploadedFile("身份证扫描.png", PNG, "image/png"))  # fmt: skip
    on_class = Attachment.objects.get(object_type=CLASS_OBJECT, object_id=str(tc.pk))
    on_trainee = Attachment.objects.get(object_type=ENROLLMENT_OBJECT, object_id=str(enrollment.pk))
    assert (on_class.kind, on_class.region_code) == ("contract", tc.region_id)
    assert on_trainee.organization_id == tc.organization_id
    assert on_class.file.storage.open(on_class.file.name).read() == PDF  # decrypted on read …
    assert file_is_encrypted(on_class.file.name)  # … and encrypted at rest
    assert PDF not in default_storage._open_raw(on_class.file.name).read()

    client.force_login(world.county)  # the county official reviews the class
    page = client.get(reverse("training:class_detail", args=[tc.pk])).content.decode()
    assert "培训合同.pdf" in page and "身份证扫描.png" in page and f"{enrollment.person_name} 的花名册变更" in page
    download = client.get(reverse("web:attachment", args=[on_class.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert AuditEntry.objects.filter(action="attachment.download", object_id=str(on_class.pk)).exists()


def test_an_official_of_another_county_cannot_download(
    client: Any, world: SimpleNamespace, make_class: Any, make_user: Any
) -> None:
    tc = make_class("submitted")
    client.force_login(world.staff)
    _post(client, tc, kind="contract", file=SimpleUploadedFile("合同.pdf", PDF, "application/pdf"))
    att = Attachment.objects.get(object_type=CLASS_OBJECT)
    client.force_login(make_user("county_official", region="440104"))
    assert client.get(reverse("web:attachment", args=[att.pk])).status_code == 404


@pytest.mark.parametrize(
    ("kind", "upload", "message"),
    [
        ("contract", SimpleUploadedFile("合同.png", PNG, "image/png"), "合同只接受"),
        ("photo", SimpleUploadedFile("照片.png", PDF, "image/png"), "文件内容与声明的格式不符"),
        ("teaching_plan", SimpleUploadedFile("计划.pdf", PDF, "application/pdf"), "只能上传证明材料、合同、发票或照片"),
        ("invoice", SimpleUploadedFile("发票.pdf", b"", "application/pdf"), "文件为空"),
    ],
)
def test_a_refused_file_is_named_and_nothing_is_stored(
    client: Any, world: SimpleNamespace, make_class: Any, kind: str, upload: Any, message: str
) -> None:
    tc = make_class("draft")
    client.force_login(world.staff)
    response = _post(client, tc, kind=kind, file=upload)
    page = client.get(response["Location"]).content.decode()
    assert message in page
    assert not Attachment.objects.exists()


def test_a_file_over_the_kind_limit_is_refused(
    client: Any, world: SimpleNamespace, make_class: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jineng.common.attachments import services

    monkeypatch.setitem(services.KINDS, "photo", services.AttachmentKind("photo", "照片", (services.PNG,), 40, 5))
    tc = make_class("draft")
    client.force_login(world.staff)
    response = _post(client, tc, kind="photo", file=SimpleUploadedFile("大.png", PNG + b"\x00" * 64, "image/png"))
    assert "照片不得超过" in client.get(response["Location"]).content.decode()
    assert not Attachment.objects.exists()


def test_only_the_class_managers_attach_and_not_after_the_class_is_closed(
    client: Any, world: SimpleNamespace, make_class: Any
) -> None:
    tc = make_class("approved")
    client.force_login(world.other_staff)  # another provider
    response = _post(client, tc, kind="contract", file=SimpleUploadedFile("合同.pdf", PDF, "application/pdf"))
    assert response.status_code in (302, 403, 404)
    assert not Attachment.objects.exists()
    classes.class_cancel(actor=world.staff, training_class=tc, reason="场地变更")
    client.force_login(world.staff)
    response = _post(client, tc, kind="contract", file=SimpleUploadedFile("合同.pdf", PDF, "application/pdf"))
    assert "不能再上传材料" in client.get(response["Location"]).content.decode()
    assert not Attachment.objects.exists()
