"""The person list: clickable sort (whitelisted, stable, kept across pages and filters) and its xlsx export (masked,
in scope, audited; a reveal only with permission and a reason; a large export as a job with a download)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jineng.common.jobs.models import Job, JobStatus
from jineng.common.jobs.services import job_execute
from jineng.common.models import AuditEntry
from jineng.registry.tests.factories import id18, make_person

pytestmark = pytest.mark.django_db
URL = reverse("registry:person_list")


@pytest.fixture
def people() -> list[Any]:
    return [
        make_person(name="王五", id_number=id18(born=dt.date(1985, 1, 1), seq=11), phone="13800138001"),
        make_person(name="李四", id_number=id18(born=dt.date(1999, 1, 1), seq=12), phone="13800138002"),
        make_person(name="赵六", id_number=id18(born=dt.date(1990, 1, 1), seq=13), phone="13800138003"),
        # Another county of the province: outside a 越秀区 official's scope.
        make_person(region="440104", name="外区人", id_number=id18("440104", seq=14), phone="13800138004"),
    ]


def _names(response: Any) -> list[str]:
    return [row["person"].name for row in response.context["rows"]]


def _sheet(content: bytes) -> list[tuple[Any, ...]]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_a_column_header_sorts_and_a_second_click_reverses(client: Any, make_user: Any, people: list[Any]) -> None:
    client.force_login(make_user("county_official", region="440106"))
    up = client.get(URL, {"sort": "birth_date"})
    assert _names(up) == ["王五", "赵六", "李四"]
    assert 'data-sort="-birth_date"' in up.content.decode()  # the active header reverses on the next click
    assert _names(client.get(URL, {"sort": "-birth_date"})) == ["李四", "赵六", "王五"]


@pytest.mark.parametrize(
    "bad", ["phone_enc", "-", "--name", "name;drop table", "x" * 5000, "__class__", "documents__number_enc", ""]
)
def test_a_sort_outside_the_whitelist_gives_the_default_order_not_an_error(
    client: Any, make_user: Any, people: list[Any], bad: str
) -> None:
    client.force_login(make_user("county_official", region="440106"))
    response = client.get(URL, {"sort": bad})
    assert response.status_code == 200
    assert response.context["sort"] == "name"
    assert _names(response) == sorted(_names(response))


def test_the_sort_is_kept_by_the_pager_and_the_filter_form(client: Any, make_user: Any) -> None:
    for i in range(55):
        make_person(name="人" + chr(0x4E00 + i), id_number=id18(seq=100 + i), phone="")
    client.force_login(make_user("county_official", region="440106"))
    html = client.get(URL, {"sort": "-name", "name": "人"}).content.decode()
    assert "sort=-name" in html.split('aria-label="分页"')[1]  # the next-page link
    assert '<input type="hidden" name="sort" value="-name">' in html
    second = client.get(URL, {"sort": "-name", "name": "人", "page": 2})
    first = client.get(URL, {"sort": "-name", "name": "人"})
    assert set(_names(first)).isdisjoint(_names(second))
    assert len(_names(first)) + len(_names(second)) == 55


def test_the_export_is_masked_in_scope_filtered_sorted_and_audited(
    client: Any, make_user: Any, people: list[Any]
) -> None:
    official = make_user("county_official", region="440106")
    client.force_login(official)
    response = client.get(URL, {"export": "xlsx", "sort": "-birth_date", "name": "五"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _sheet(response.content)
    assert rows[0][:4] == ("姓名", "性别", "出生日期", "证件号码")
    assert [r[0] for r in rows[1:]] == ["王五"]
    whole = _sheet(client.get(URL, {"export": "xlsx", "sort": "-birth_date"}).content)
    assert [r[0] for r in whole[1:]] == ["李四", "赵六", "王五"]  # 外区人 is outside the scope
    text = repr(whole)
    assert id18(born=dt.date(1985, 1, 1), seq=11) not in text and "13800138001" not in text
    entry = AuditEntry.objects.filter(action="list.export").order_by("-seq").first()
    assert entry is not None and entry.actor == official
    assert entry.after["list"] == "registry.persons" and entry.after["rows"] == 3
    assert entry.after["revealed"] is False


def test_a_reveal_export_needs_the_permission_and_a_reason_and_records_it(
    client: Any, make_user: Any, people: list[Any]
) -> None:
    official = make_user("county_official", region="440106")
    client.force_login(official)
    short = client.get(URL, {"export": "xlsx", "reveal_reason": " x "})
    assert short.status_code == 422
    full = client.get(URL, {"export": "xlsx", "reveal_reason": "核对补贴发放名单"})
    rows = _sheet(full.content)
    assert id18(born=dt.date(1985, 1, 1), seq=11) in [r[3] for r in rows]
    assert "13800138001" in [r[4] for r in rows]
    entry = AuditEntry.objects.filter(action="list.export").order_by("-seq").first()
    assert entry is not None and entry.after["revealed"] is True and entry.reason == "核对补贴发放名单"

    finance = make_user("finance", region="440106")  # exports, but may not see full ID numbers
    client.force_login(finance)
    assert client.get(URL, {"export": "xlsx", "reveal_reason": "核对补贴发放名单"}).status_code == 403


def test_a_user_without_the_export_permission_cannot_export(client: Any, make_user: Any, people: list[Any]) -> None:
    client.force_login(make_user("reviewer", region="440106"))
    before = AuditEntry.objects.filter(action="list.export").count()
    assert client.get(URL, {"export": "xlsx"}).status_code == 403
    assert AuditEntry.objects.filter(action="list.export").count() == before


def test_a_large_export_runs_as_a_job_and_only_its_requester_downloads_it(
    client: Any, make_user: Any, people: list[Any]
) -> None:
    from jineng.refdata.api import setting_set

    setting_set(actor=None, key="export.async_rows", region_code="440106", value=2,
                valid_from=timezone.localdate() - dt.timedelta(days=1), reason="测试")  # fmt: skip
    official = make_user("county_official", region="440106")
    client.force_login(official)
    response = client.get(URL, {"export": "xlsx"})
    job = Job.objects.get(kind="list.export")
    assert response.status_code == 302 and response["Location"] == reverse("web:job_detail", args=[job.pk])
    assert job_execute(str(job.pk)).status == JobStatus.SUCCEEDED
    job.refresh_from_db()
    assert job.result["rows"] == 3 and job.progress_done == 3
    page = client.get(reverse("web:job_detail", args=[job.pk])).content.decode()
    assert reverse("web:job_download", args=[job.pk]) in page
    download = client.get(reverse("web:job_download", args=[job.pk]))
    assert download.status_code == 200
    assert [r[0] for r in _sheet(b"".join(download.streaming_content))[1:]] == ["李四", "王五", "赵六"]
    assert AuditEntry.objects.filter(action="list.export_download", object_id=str(job.pk)).exists()

    client.force_login(make_user("county_official", region="440106"))
    assert client.get(reverse("web:job_download", args=[job.pk])).status_code == 404


# ---- the API ----------------------------------------------------------------------------------------------------------


def test_the_api_sorts_the_person_list_and_ignores_a_bad_sort(api: Any, make_user: Any, people: list[Any]) -> None:
    client = api(make_user("county_official", region="440106"))
    by_birth = client.get("/api/v1/persons", {"sort": "-birth_date"}).json()["items"]
    assert [p["name"] for p in by_birth] == ["李四", "赵六", "王五"]
    bad = client.get("/api/v1/persons", {"sort": "phone_enc"})
    assert bad.status_code == 200 and [p["name"] for p in bad.json()["items"]] == ["李四", "王五", "赵六"]


def test_the_api_exports_a_list_with_its_filters_and_refuses_an_unknown_list(
    api: Any, make_user: Any, people: list[Any]
) -> None:
    client = api(make_user("county_official", region="440106"))
    response = client.get("/api/v1/exports/registry.persons", {"name": "五", "sort": "name"})
    assert response.status_code == 200
    assert [r[0] for r in _sheet(response.content)[1:]] == ["王五"]
    assert client.get("/api/v1/exports/registry.nothing").status_code == 404
    assert client.get("/api/v1/exports/web.jobs").status_code == 404  # sortable, not exportable


def test_an_export_job_cannot_be_queued_by_hand(api: Any, make_user: Any) -> None:
    client = api(make_user("county_official", region="440106"))
    response = client.post(
        "/api/v1/jobs",
        {"kind": "list.export", "params": {"list": "registry.persons", "reveal": True}},
        content_type="application/json",
    )
    assert response.status_code == 403  # queued only by its own workflow (the export, checked and audited)
    assert not Job.objects.filter(kind="list.export").exists()


def test_a_large_api_export_answers_the_job_and_its_file_downloads(api: Any, make_user: Any, people: list[Any]) -> None:
    from jineng.refdata.api import setting_set

    setting_set(actor=None, key="export.async_rows", region_code="440000", value=1,
                valid_from=timezone.localdate() - dt.timedelta(days=1), reason="测试")  # fmt: skip
    client = api(make_user("county_official", region="440106"))
    response = client.get("/api/v1/exports/registry.persons")
    assert response.status_code == 202
    job_id = response.json()["id"]
    job_execute(job_id)
    assert client.get(f"/api/v1/jobs/{job_id}").json()["result"]["rows"] == 3
    download = client.get(f"/api/v1/jobs/{job_id}/download")
    assert download.status_code == 200 and len(_sheet(b"".join(download.streaming_content))) == 4
