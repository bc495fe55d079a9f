"""Pages: a provider registers itself, applies, the city reviews and the province approves on their pages, the public
catalog pages show it; suspension from the detail page; programs, teachers and bases pages; nothing personal leaks."""

from __future__ import annotations

import datetime as dt

import pytest

from jineng.accounts.models import User
from jineng.providers.models import ApplicationStatus, ListingStatus, OrganizationProfile, ProviderApplication

from .conftest import credit_code

pytestmark = pytest.mark.django_db
PASSWORD = "Strong-Pass-2026!"
TODAY = dt.date.today()


def _register(client, code):
    return client.post(
        "/providers/register/",
        {
            "kind": "provider",
            "name": "越秀区某职业培训学校",
            "credit_code": code,
            "region": "440104",
            "provider_type": "private_training",
            "contact_phone": "13612345678",
            "admin_username": "yx-admin",
            "admin_display_name": "周校长",
            "admin_password": PASSWORD,
            "admin_password2": PASSWORD,
            "licence-number": "穗人社民440104001",
            "licence-valid_from": "2021-01-01",
            "licence-valid_until": str(TODAY + dt.timedelta(days=1000)),
            **_licence_rows(("4-04-05-01", "grade3"), ("4-10-01-06", "grade4")),
        },
    )


def _licence_rows(*rows: tuple[str, str], initial: int = 0) -> dict[str, str]:
    """The licence's occupations as the page's pickers post them (a row per occupation, its highest level; the
    first ``initial`` rows are the ones the page showed filled)."""
    data = {"licence_items-TOTAL_FORMS": str(len(rows) + 1), "licence_items-INITIAL_FORMS": str(initial)}
    for i, (occupation, level) in enumerate(rows):
        data |= {f"licence_items-{i}-occupation": occupation, f"licence_items-{i}-level": level}
    return data


def test_the_licence_page_picks_occupations_and_levels_and_names_a_bad_row(client, officials, ref, make_provider):
    """Issue 15: the licence page had a textarea of “职业代码,最高等级” lines; it has pickers like the other forms,
    shows the current occupations in them, and puts a service's refusal on the row it is about."""
    profile = make_provider()
    client.force_login(officials.province)
    page = client.get(f"/providers/{profile.pk}/licence/").content.decode()
    assert "<textarea" not in page and 'name="licence_items-0-occupation"' in page
    assert 'name="licence_items-0-level"' in page and "<select" in page
    base = {"number": "人社民440106009", "issuer": "广州市人社局", "valid_from": "2021-01-01",
            "valid_until": str(TODAY + dt.timedelta(days=900))}  # fmt: skip
    bad = client.post(f"/providers/{profile.pk}/licence/", base | _licence_rows(("4-04-05-01", "grade3"),
                                                                                 ("9-99-99-99", ""), initial=2))  # fmt: skip
    assert bad.status_code == 200
    assert bad.context["items"].forms[1].errors.get("occupation"), bad.context["items"].errors
    saved = client.post(f"/providers/{profile.pk}/licence/", base | _licence_rows(("4-04-05-01", "grade3"),
                                                                                   ("4-10-01-06", ""), initial=2))  # fmt: skip
    assert saved.status_code == 302
    items = profile.licence_items.filter(removed_at__isnull=True).select_related("occupation")
    assert sorted((i.occupation.code, i.max_level_id) for i in items) == [
        ("4-04-05-01", "grade3"),
        ("4-10-01-06", None),
    ]
    again = client.get(f"/providers/{profile.pk}/licence/").content.decode()
    assert 'value="4-10-01-06"' in again


def test_the_whole_journey_through_the_pages(client, officials, ref):
    code = credit_code("440104")
    response = _register(client, code)
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = OrganizationProfile.objects.get(organization__credit_code=code)
    assert profile.licence_items.count() == 2

    admin = User.objects.get(username="yx-admin")
    client.force_login(admin)
    response = client.get("/providers/mine/")
    assert response.status_code == 302 and response["Location"] == f"/providers/{profile.pk}/"
    page = client.get(f"/providers/{profile.pk}/").content.decode()
    assert "越秀区某职业培训学校" in page and "136****5678" in page and "13612345678" not in page

    # the administrator creates a staff account for a colleague
    response = client.post(
        f"/providers/{profile.pk}/staff/",
        {"op": "create", "username": "yx-clerk", "password": PASSWORD, "display_name": "小李"},
    )
    assert response.status_code == 302
    assert User.objects.filter(username="yx-clerk").exists()

    # the application form picks the occupation by name and the level from a list (no typed codes: issue 15)
    form = client.get(f"/providers/{profile.pk}/apply/").content.decode()
    assert 'name="scope-0-level"' in form and "<select" in form and "初级工" in form
    assert 'data-jn-picker="occupation"' in form and "grade5 初级工" not in form and "等级代码" not in form

    # the application: a draft with its scope, then submitted
    response = client.post(
        f"/providers/{profile.pk}/apply/",
        {
            "kind": "new",
            "capacity_per_year": "600",
            "description": "场地 800 平方米",
            "scope-TOTAL_FORMS": "2",
            "scope-INITIAL_FORMS": "0",
            "scope-0-occupation": "4-04-05-01",
            "scope-0-level": "grade4",
            "scope-0-training_kind": "employment",
            "scope-1-occupation": "4-10-01-06",
            "scope-1-level": "",
            "scope-1-training_kind": "upgrading",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    app = ProviderApplication.objects.get(profile=profile)
    assert app.scope.count() == 2
    response = client.post(f"/providers/applications/{app.pk}/", {"op": "submit"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED

    # the city's queue shows it with its deadline; the city reviews
    client.force_login(officials.city)
    queue = client.get("/providers/review/").content.decode()
    assert "越秀区某职业培训学校" in queue and app.review_due.strftime("%Y-%m-%d") in queue
    response = client.post(
        f"/providers/applications/{app.pk}/", {"op": "review", "passed": "1", "opinion": "现场核查通过"}
    )
    assert response.status_code == 302
    # the province approves
    client.force_login(officials.province)
    assert "越秀区某职业培训学校" in client.get("/providers/review/").content.decode()
    response = client.post(
        f"/providers/applications/{app.pk}/",
        {"op": "decide", "approved": "1", "opinion": "同意", "document_number": "粤人社函8号"},
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == ApplicationStatus.APPROVED

    # the public sees it, with its scope and history, without logging in
    client.logout()
    listing = app.listing
    page = client.get("/catalog/providers/").content.decode()
    assert "越秀区某职业培训学校" in page
    page = client.get(f"/catalog/providers/{listing.pk}/").content.decode()
    assert "计算机程序设计员" in page and "粤人社函8号" in page and "纳入目录" in page
    assert "136" not in page

    # the city suspends it from the detail page; the public list of listed providers drops it
    client.force_login(officials.city)
    response = client.post(f"/providers/listings/{listing.pk}/decide/", {"action": "suspend", "reason": "签到造假"})
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.status == ListingStatus.SUSPENDED
    client.logout()
    assert "越秀区某职业培训学校" not in client.get("/catalog/providers/").content.decode()
    assert "越秀区某职业培训学校" in client.get("/catalog/providers/?status=suspended").content.decode()


def test_page_errors_are_shown_on_the_form_and_nothing_is_written(client, officials, ref):
    bad = credit_code("440104")[:-1] + "I"
    response = _register(client, bad)
    assert response.status_code == 200
    assert "统一社会信用代码" in response.content.decode()
    assert not User.objects.filter(username="yx-admin").exists()

    client.force_login(officials.city)
    response = client.post(
        "/providers/programs/new/",
        {
            "code": "X1",
            "name": "x",
            "occupation": "9-99-99-99",
            "level": "grade4",
            "training_kind": "employment",
            "hours_theory": 1,
            "hours_practice": 1,
            "delivery": "offline",
            "subsidy_category": "A",
            "region": "440100",
        },
    )
    assert response.status_code == 200 and "职业代码不存在" in response.content.decode()


def test_officials_pages_list_and_filter(client, listed, officials, make_provider, person):
    entry = listed()
    other = make_provider("440303", provider_type="university")
    client.force_login(officials.city)
    page = client.get("/providers/").content.decode()
    assert entry.profile.organization.name in page and other.organization.name not in page
    page = client.get("/providers/?listing=none").content.decode()
    assert entry.profile.organization.name not in page
    page = client.get(f"/providers/{entry.profile.pk}/").content.decode()
    assert "现行培训范围" in page and "纳入目录" in page
    assert client.get(f"/providers/{other.pk}/").status_code == 404

    from jineng.providers.services.teachers import RoleData, pool_role_add

    pool_role_add(actor=officials.city, person=person("孙考评"), data=RoleData(role="examiner", region="440100"))
    page = client.get("/providers/teachers/?role=examiner").content.decode()
    assert "孙考评" in page


def test_staff_cannot_use_officials_actions(client, listed):
    entry = listed()
    client.force_login(entry.staff)
    response = client.post(f"/providers/listings/{entry.listing.pk}/decide/", {"action": "exit", "reason": "x"})
    assert response.status_code == 302
    entry.listing.refresh_from_db()
    assert entry.listing.status == ListingStatus.LISTED
    assert client.get("/providers/programs/new/").status_code == 403


def test_bases_page_counts_by_level(client, officials):
    from jineng.providers.services.bases import BaseData, base_create

    base_create(
        actor=officials.province,
        data=BaseData(
            kind="master_studio",
            name="李大师工作室",
            level="provincial",
            approval_year=2022,
            region="440106",
            host_name="某企业",
        ),
    )
    client.force_login(officials.city)
    page = client.get("/providers/bases/?year=2023").content.decode()
    assert "李大师工作室" in page


def test_import_templates_have_chinese_headers(client, officials):
    import io

    from openpyxl import load_workbook

    from jineng.imports.api import importer_for

    client.force_login(officials.city)
    page = client.get("/providers/templates/").content.decode()
    for kind in ("organizations", "programs", "teachers", "training_bases"):
        assert f"/imports/template/{kind}.xlsx" in page
        response = client.get(f"/imports/template/{kind}.xlsx")
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        headers = [c.value for c in next(sheet.iter_rows(max_row=1))]
        assert headers == importer_for(kind).template_headers()
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in h) for h in headers)
