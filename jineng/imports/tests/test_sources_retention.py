"""Import sources are kept only for their region's retention period (issue 14, item 11): the purge job deletes the
stored source (full ID numbers, phones) of finished imports past ``imports.source_retention_days`` and reports
what it removed; the job record, counts, SHA-256 and masked report stay."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from jineng.common.models import AuditEntry
from jineng.imports.models import ImportJob
from jineng.imports.tests.helpers import write_csv
from jineng.refdata.api import setting_set
from jineng.registry.tests.factories import id18

pytestmark = pytest.mark.django_db


def _import(tmp_path, user, seq: int, age_days: int) -> ImportJob:
    path = write_csv(tmp_path / f"p{seq}.csv", [["姓名", "身份证号码"], [f"人{seq}", id18("440106", seq=seq)]])
    with pytest.raises(SystemExit):
        call_command("import", "persons", str(path), "--as", user.username, stdout=StringIO(), stderr=StringIO())
    record = ImportJob.objects.order_by("-created_at").first()
    ImportJob.objects.filter(pk=record.pk).update(created_at=timezone.now() - dt.timedelta(days=age_days))
    record.refresh_from_db()
    return record


def test_sources_past_retention_are_deleted_with_a_report(tmp_path, make_user, django_capture_on_commit_callbacks):
    user = make_user("county_official", region="440106", username="keeper")
    old, recent = _import(tmp_path, user, 401, 120), _import(tmp_path, user, 402, 10)
    old_name = old.file.name
    assert default_storage.exists(old_name)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("imports", "purge-sources", stdout=out)
    assert "removed 1 source files" in out.getvalue() and str(old.pk) in out.getvalue()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert not old.file and not default_storage.exists(old_name)
    assert old.sha256 and old.summary["rows_total"] == 1 and old.report  # the record and its masked report stay
    assert recent.file and default_storage.exists(recent.file.name)
    entry = AuditEntry.objects.get(action="import.sources_purge")
    assert entry.region_code == "440106"


def test_retention_is_a_per_region_setting(tmp_path, make_user, django_capture_on_commit_callbacks):
    from jineng.imports.services import import_sources_purge

    user = make_user("county_official", region="440106", username="keeper2")
    recent = _import(tmp_path, user, 403, 10)
    setting_set(actor=None, key="imports.source_retention_days", region_code="440106", value=7,
                valid_from=dt.date(2020, 1, 1), reason="本区只保留7天")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        report = import_sources_purge()
    assert report["removed"] == 1 and report["files"][0]["job"] == str(recent.pk)
    recent.refresh_from_db()
    assert not recent.file
    # a purged source cannot be re-run: a clear refusal, not a crash
    from jineng.common.errors import DomainError
    from jineng.imports.services import import_execute

    with pytest.raises(DomainError) as exc:
        import_execute(recent, lambda done, total: None)
    assert exc.value.code == "import_source_purged"


def test_the_one_retention_job_purges_import_sources_too(tmp_path, make_user, django_capture_on_commit_callbacks):
    """``jineng retention run`` (jineng/common/retention.py) runs this purge as its rule ``import_sources``."""
    from jineng.common.retention import retention_run

    user = make_user("county_official", region="440106", username="keeper3")
    old = _import(tmp_path, user, 404, 120)
    name = old.file.name
    with django_capture_on_commit_callbacks(execute=True):
        report = retention_run(actor="retention-test", only=["import_sources"])
    assert (report.outcomes[0].due, report.outcomes[0].done) == (1, 1)
    assert not default_storage.exists(name)
    assert AuditEntry.objects.filter(action="retention.run", object_id="import_sources").exists()
