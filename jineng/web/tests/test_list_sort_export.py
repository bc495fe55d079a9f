"""Every main list sorts by each of its whitelisted columns both ways, ignores any other sort value, and (where it
has export columns) exports what the page shows as xlsx, audited. Per-list behaviour (scope, masking, reveal, jobs)
is tested on the person list (registry/tests/test_person_list_sort_export.py)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jineng.certificates.lists import CERTIFICATES, EXAM_SESSIONS
from jineng.common.listing import ListSpec, sort_key
from jineng.common.models import AuditEntry
from jineng.providers.lists import ORGANIZATIONS, PROGRAMS
from jineng.registry.lists import PERSONS
from jineng.subsidies.lists import CLAIMS_MINE, CLAIMS_REVIEW, PAYMENT_BATCHES, VOUCHER_ISSUES
from jineng.training.lists import APPRENTICESHIPS, CLASSES, ENROLLMENTS
from jineng.web.lists import AUDIT, JOBS

pytestmark = pytest.mark.django_db

LISTS: list[tuple[str, ListSpec]] = [
    ("registry:person_list", PERSONS),
    ("providers:list", ORGANIZATIONS),
    ("providers:programs", PROGRAMS),
    ("training:classes", CLASSES),
    ("training:apprenticeships", APPRENTICESHIPS),
    ("training:enrollments", ENROLLMENTS),
    ("certificates:sessions", EXAM_SESSIONS),
    ("certificates:list", CERTIFICATES),
    ("subsidies:review", CLAIMS_REVIEW),
    ("subsidies:payments", PAYMENT_BATCHES),
    ("subsidies:vouchers", VOUCHER_ISSUES),
    ("web:audit", AUDIT),
    ("web:jobs", JOBS),
]


@pytest.fixture
def official(client: Any, make_user: Any) -> Any:
    user = make_user("province_official", region="440000")
    client.force_login(user)
    return user


@pytest.mark.parametrize(("url", "spec"), LISTS, ids=[u for u, _ in LISTS])
def test_every_sortable_column_sorts_both_ways(client: Any, official: Any, url: str, spec: ListSpec) -> None:
    for key in spec.sorts:
        for value in (key, f"-{key}"):
            response = client.get(reverse(url), {"sort": value})
            assert response.status_code == 200, value
            assert response.context["sort"] == value
    html = client.get(reverse(url)).content.decode()
    # the headers are links (an empty review queue shows 暂无待办 instead of a table)
    assert "jn-sortable" in html or (url == "subsidies:review" and 'id="queue-empty"' in html)


@pytest.mark.parametrize(("url", "spec"), LISTS, ids=[u for u, _ in LISTS])
@pytest.mark.parametrize("bad", ["pk; drop", "-", "password", "x" * 300, "created_by__password"])
def test_a_bad_sort_value_gives_the_default_order(
    client: Any, official: Any, url: str, spec: ListSpec, bad: str
) -> None:
    response = client.get(reverse(url), {"sort": bad})
    assert response.status_code == 200
    assert response.context["sort"] == spec.default_sort


def test_the_sort_key_accepts_only_the_whitelist() -> None:
    assert sort_key(PERSONS, "-birth_date") == "-birth_date"
    assert sort_key(PERSONS, ["name"]) == "name"
    assert sort_key(PERSONS, "phone_enc") == PERSONS.default_sort


@pytest.mark.parametrize(
    ("url", "spec"), [(u, s) for u, s in LISTS if s.columns], ids=[u for u, s in LISTS if s.columns]
)
def test_every_exportable_list_exports_xlsx_with_an_audit_entry(
    client: Any, official: Any, url: str, spec: ListSpec
) -> None:
    response = client.get(reverse(url), {"export": "xlsx"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == [str(c.label) for c in spec.columns]
    assert AuditEntry.objects.filter(action="list.export", object_id=spec.name, actor=official).exists()


def test_an_applicant_exports_only_its_own_claims(client: Any, make_user: Any, make_org: Any) -> None:
    org = make_org()
    client.force_login(make_user("provider_staff", organization=org))
    response = client.get(reverse("subsidies:mine"), {"export": "xlsx", "sort": "-amount"})
    assert response.status_code == 200
    assert AuditEntry.objects.filter(action="list.export", object_id=CLAIMS_MINE.name).exists()


def test_an_export_cell_may_be_a_translated_label() -> None:
    """The organization export answered 500 for a profile not in the catalog: its 目录状态 cell is a lazily translated
    label (未入目录), which openpyxl cannot write."""
    from django.utils.translation import gettext_lazy

    from jineng.common.listing import Column, write_xlsx

    spec = ListSpec(
        name="test.labels", title="标签", sorts={"id": ("id",)}, default_sort="id", rows=lambda u, p: None,  # type: ignore[arg-type,return-value]
        columns=(Column("状态", lambda row: gettext_lazy("未入目录")), Column("名称", lambda row: row)),
    )  # fmt: skip
    out, count = write_xlsx(spec, ["=cmd|' /C calc'!A0", "天河职业培训学校"])
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert count == 2
    assert rows[1] == ("未入目录", "'=cmd|' /C calc'!A0") and rows[2] == ("未入目录", "天河职业培训学校")
