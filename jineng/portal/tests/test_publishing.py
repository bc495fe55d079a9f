"""Dataset versions, the page cache and its invalidation, the trained-persons table, the occupation filter, the
favicon and the catalog's dates (issue 24: open data with stable versioned URLs; pages cached and fresh after a
publication; aggregates suppressed)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.cache import cache

from jineng.portal import publishing, selectors
from jineng.portal.models import DatasetVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.JINENG_PORTAL_CACHE = True
    cache.clear()
    publishing._memo["at"] = -1e9
    yield
    cache.clear()


def test_a_version_is_published_only_when_the_rows_changed_and_old_versions_stay_downloadable(client, world):
    v1, new1 = publishing.dataset_publish(identifier="bases", actor=None)
    again, new_again = publishing.dataset_publish(identifier="bases", actor=None)
    assert (v1.number, new1) == (1, True) and (again.pk, new_again) == (v1.pk, False)
    world.base.name = "陈晓东焊接技能大师工作室（更名）"
    world.base.save(update_fields=["name"])
    v2, new2 = publishing.dataset_publish(identifier="bases", actor=None)
    assert (v2.number, new2) == (2, True)
    old = list(csv.reader(io.StringIO(client.get("/public/data/bases/v1.csv").content.decode("utf-8-sig"))))
    assert [r[0] for r in old[1:]] == ["陈晓东焊接技能大师工作室"]  # v1 as it was published
    body = client.get("/public/data/bases/v2.json").json()
    assert body["version"] == 2 and body["sha256"] == v2.sha256 and body["rows"][0]["name"].endswith("（更名）")
    assert client.get("/public/data/bases/v2.xlsx").status_code == 200
    page = client.get("/public/data/bases/").content.decode()
    assert "/public/data/bases/v1.csv" in page and "/public/data/bases/v2.csv" in page
    listed = [d for d in client.get("/data.json").json()["dataset"] if d["identifier"].endswith("/bases")][0]
    assert [v["version"] for v in listed["versions"]] == [2, 1]
    assert client.get(listed["versions"][1]["downloadURL"].split("testserver", 1)[1]).status_code == 200


@pytest.mark.parametrize(
    "path", ["/public/data/bases/v3.csv", "/public/data/bases/v0.json", "/public/data/nope/v1.csv",
             "/public/data/bases/v99999999999.csv", "/public/data/nope/"],
)  # fmt: skip
def test_a_version_or_dataset_that_does_not_exist_is_404(client, world, path):
    publishing.dataset_publish(identifier="bases", actor=None)
    assert client.get(path).status_code == 404


def test_only_a_province_official_may_publish_from_the_data_page(client, world):
    from jineng.accounts.models import User
    from jineng.common.errors import PermissionDenied

    assert "发布新版本" not in client.get("/public/data/").content.decode()
    assert client.post("/public/data/publish/").status_code in (302, 403)  # anonymous: to sign in, or refused
    assert not DatasetVersion.objects.exists()
    clerk = User.objects.create_user(username="clerk", password="x-Long-pass-2026")
    with pytest.raises(PermissionDenied):
        publishing.dataset_publish(identifier="bases", actor=clerk)
    assert not DatasetVersion.objects.exists()


def test_the_publish_command_snapshots_every_dataset(world):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("portal_publish", stdout=out)
    from jineng.portal.datasets import DATASETS

    assert set(DatasetVersion.objects.values_list("dataset", flat=True)) == {d.identifier for d in DATASETS}
    assert "bases\tv1" in out.getvalue()


def test_a_cached_page_is_served_until_something_public_changes(
    client, world, cached, django_capture_on_commit_callbacks
):
    first = client.get("/public/bases/").content.decode()
    assert "陈晓东焊接技能大师工作室" in first
    type(world.base).objects.filter(pk=world.base.pk).update(name="未经发布流程的改名")  # no signal: no invalidation
    assert client.get("/public/bases/").content.decode() == first  # from the cache
    with django_capture_on_commit_callbacks(execute=True):
        world.base.name = "已发布的新名称"
        world.base.save(update_fields=["name"])  # a change through the model: the generation goes up on commit
    assert "已发布的新名称" in client.get("/public/bases/").content.decode()


def test_a_page_answering_bad_input_or_a_signed_in_user_is_not_cached(client, world, cached):
    client.get("/public/bases/", {"region": "火星"})
    client.get("/public/bases/", {"page": "999"})
    assert not any(k for k in cache._cache if ":page:" in k)  # type: ignore[attr-defined]
    client.get("/public/bases/")
    assert any(":page:" in k for k in cache._cache)  # type: ignore[attr-defined]


def test_the_favicon_is_found(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("favicon.svg")


def test_modified_is_the_date_in_china_time(client, world):
    from jineng.providers.models import TrainingBase

    late = dt.datetime(2026, 3, 1, 17, 30, tzinfo=dt.UTC)  # 2026-03-02 01:30 in China
    TrainingBase.objects.filter(pk=world.base.pk).update(updated_at=late)
    TrainingBase.objects.exclude(pk=world.base.pk).update(updated_at=late - dt.timedelta(days=30))
    listed = [d for d in client.get("/data.json").json()["dataset"] if d["identifier"].endswith("/bases")][0]
    assert listed["modified"] == "2026-03-02"


# ---- the trained-persons table ------------------------------------------------------------------------------------


def test_the_principal_group_counts_a_person_time_once():
    assert selectors._principal_group(["migrant_worker", "enterprise_employee"]) == "enterprise_employee"
    assert selectors._principal_group(["inmate"]) == ""  # a protected group is never a column
    assert selectors._principal_group(None) == ""


def test_a_trained_cell_recoverable_from_the_totals_is_suppressed(client, monkeypatch):
    # 广州 has 3 migrant workers (primary) and 50 enterprise employees; without a complement the 3 could be read off
    # the row total minus 50. Every published figure is then ≥ 10 or hidden, and no hidden cell is alone in its row.
    counts = {2025: {("440100", "enterprise_employee"): 50, ("440100", "migrant_worker"): 3,
                     ("440300", "enterprise_employee"): 40, ("440300", "migrant_worker"): 30}}  # fmt: skip
    monkeypatch.setattr(selectors, "trained_counts", lambda: counts)
    (table,) = selectors.trained_tables()
    assert table.year == 2025 and table.rows == ["广州市", "深圳市"]
    migrant = table.columns.index("农民工")
    assert table.cells[0][migrant] is None
    for row, total in zip(table.cells, table.row_totals, strict=True):
        hidden = [n for n in [*row, total] if n is None]
        assert len(hidden) != 1  # one hidden figure in a row would be recoverable by subtraction
    assert all(n is None or n == 0 or n >= 10 for row in table.cells for n in row)
    data = client.get("/api/v1/public/statistics/trained").json()
    assert data[0]["cells"][0][migrant] is None and data[0]["k"] == 10
    rows = client.get("/public/data/trained-by-region-year-group.json").json()["rows"]
    assert {"year": 2025, "region": "广州市", "group": "农民工", "count": None, "suppressed": True} in rows
    assert "2025" in client.get("/public/statistics/").content.decode()


# ---- the occupation filter ----------------------------------------------------------------------------------------


def test_bases_filter_by_occupation_code_or_name(client, world):
    from jineng.refdata.models import Occupation

    world.base.occupations.add(Occupation.objects.get(code="6-18-02-04", level="occupation"))
    for value in ("焊工", "6-18-02-04", "6-18"):
        assert "陈晓东焊接技能大师工作室" in client.get("/public/bases/", {"occupation": value}).content.decode()
    html = client.get("/public/bases/", {"occupation": "4-01"}).content.decode()
    assert "陈晓东焊接技能大师工作室" not in html


@pytest.mark.parametrize("bad", ["不存在的职业xyz", "x" * 300, "\x00焊工", "工"])
def test_a_bad_occupation_is_a_notice_not_an_error(client, world, bad):
    response = client.get("/public/bases/", {"occupation": bad})
    assert response.status_code == 200
    html = response.content.decode()
    if bad != "\x00焊工":
        assert 'data-code="unknown_occupation"' in html
