"""What the attack on the complaint form found (note_s4): a region outside the province served, content of invisible
characters only, a rejected submission's orphan file, the object suggestions (see test_pages), the rate limit per
IPv6 /64, and the demo's tracking codes."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.signing import dumps

from jineng.common.errors import ValidationFailed
from jineng.complaints import selectors, services
from jineng.complaints.models import Complaint
from jineng.complaints.web.forms import SALT

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n" + b"0" * 100
NEW = "/public/complaints/new/"


def _refused(file_one: Any, **changes: Any) -> tuple[str, str]:
    with pytest.raises(ValidationFailed) as refused:
        file_one(**changes)
    assert not Complaint.objects.exists()
    return refused.value.code, refused.value.fields[0].field


def test_a_region_outside_the_province_served_is_refused_on_the_region(file_one: Any) -> None:
    assert services.handled_provinces() == {"440000"}
    assert _refused(file_one, object_name="北京某培训学校", region="110101") == ("region_outside", "region")
    complaint, _code = file_one(object_name="深圳某培训学校", region="440304")  # 福田: the same province
    assert complaint.region_id == "440304"


def test_the_form_names_the_region_field_for_a_region_outside(client: Any, world: Any) -> None:
    form = {"object_kind": "provider", "object_name": "北京某培训学校", "region": "110101", "category": "fees",
            "content": "收费不退。", "anonymous": "on", "started": dumps({"t": time.time() - 60}, salt=SALT)}  # fmt: skip
    html = client.post(NEW, form).content.decode()
    assert "本平台只受理广东省的投诉举报" in html and not Complaint.objects.exists()


@pytest.mark.parametrize("blank", ["\u200b\u200b\u200b", " \u200b\u3000\ufeff\u2060\u200d \n", "\u3164\u2800\u00ad"])
def test_content_of_invisible_characters_only_is_empty(file_one: Any, blank: str) -> None:
    assert _refused(file_one, content=blank) == ("content_required", "content")
    assert _refused(file_one, object_name=blank) == ("object_required", "object_name")


def test_invisible_characters_are_dropped_before_counting_and_storing(file_one: Any) -> None:
    assert _refused(file_one, content="字" * 2001 + "\u200b")[0] == "content_too_long"
    complaint, _code = file_one(content="字" * 2000 + "\u200b" * 50, object_name="\u200b天河示范职业培训学校\ufeff")
    assert complaint.content == "字" * 2000 and complaint.organization is not None  # routed by the clean name


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_a_refused_submission_leaves_no_file_on_disk(file_one: Any, settings: Any, tmp_path: Path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "jineng.common.storage.EncryptedFileSystemStorage"},
    }
    settings.MEDIA_ROOT = str(tmp_path)
    good = services.Upload("收据.pdf", "application/pdf", io.BytesIO(PDF))
    bad = services.Upload("a.exe", "application/pdf", io.BytesIO(b"MZ\x90\x00"))  # content is not a PDF
    with pytest.raises(ValidationFailed):
        file_one(files=[good, bad])
    assert not Complaint.objects.exists() and _files(tmp_path) == []
    file_one(files=[services.Upload("收据.pdf", "application/pdf", io.BytesIO(PDF))])
    assert len(_files(tmp_path)) == 1  # the accepted one is kept (the directory is the one written to)


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:fffe", True),  # one /64
        ("2001:db8:1:2::1", "2001:db8:1:3::1", False),
        ("203.0.113.5", "203.0.113.6", False),  # IPv4: per address
        ("::ffff:203.0.113.5", "203.0.113.5", True),
    ],
)
def test_the_rate_limit_counts_an_ipv6_64_as_one_client(one: str, other: str, same: bool) -> None:
    assert (selectors.rate_key(one) == selectors.rate_key(other)) is same


def test_addresses_of_one_ipv6_64_share_the_submission_limit(client: Any, world: Any, settings: Any) -> None:
    settings.JINENG_COMPLAINT_RATE = "1/hour"

    def send(address: str) -> int:
        form = {"object_kind": "provider", "object_name": world.school.name, "category": "fees", "content": "乱收费。",
                "anonymous": "on", "started": dumps({"t": time.time() - 60}, salt=SALT)}  # fmt: skip
        return int(client.post(NEW, form, REMOTE_ADDR=address).status_code)

    assert [send("2001:db8:5:6::1"), send("2001:db8:5:6::beef"), send("2001:db8:5:7::1")] == [200, 429, 200]


def test_the_demo_draws_its_tracking_codes_and_keeps_them_for_the_walk(world: Any, settings: Any, make_org: Any,
                                                                       tmp_path: Path) -> None:  # fmt: skip
    from jineng.complaints.demo import CODES_FILE, SCHOOL, seed_demo

    make_org("440106", name=SCHOOL)
    settings.MEDIA_ROOT = str(tmp_path / "media")
    out = io.StringIO()
    assert seed_demo(out) == 4
    codes = re.findall(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b", out.getvalue())
    assert len(set(codes)) == 4 and not any("DEM0" in c for c in codes)
    kept = (tmp_path / CODES_FILE).read_text(encoding="utf-8")
    assert all(code in kept for code in codes)
    assert {services.complaint_by_code(code).pk for code in codes} == set(
        Complaint.objects.values_list("pk", flat=True)
    )
    assert seed_demo(io.StringIO()) == 0 and (tmp_path / CODES_FILE).read_text(encoding="utf-8") == kept
