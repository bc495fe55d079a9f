"""The retention job (保存期限): attachments past their period lose their file, expired sessions go, with a report."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from jineng.common.attachments.models import Attachment
from jineng.common.attachments.services import attachment_store
from jineng.common.audit.models import AuditEntry
from jineng.common.audit.services import audit_verify
from jineng.common.jobs.models import JobStatus
from jineng.common.jobs.services import job_create, job_execute
from jineng.common.retention import _RULES, RuleOutcome, register_retention_rule, retention_run

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 7)


def _pdf(retain_until: dt.date) -> Attachment:
    att = attachment_store(
        actor=None, kind="evidence", filename="身份证.pdf", content_type="application/pdf",
        stream=io.BytesIO(b"%PDF-1.4 scan"), region_code="440106",
    )  # fmt: skip
    Attachment.objects.filter(pk=att.pk).update(retain_until=retain_until)
    att.refresh_from_db()
    return att


def test_an_attachment_past_its_period_loses_its_file_and_keeps_its_record():
    expired = _pdf(dt.date(2026, 12, 6))
    kept = _pdf(dt.date(2026, 12, 7))  # the last day of the period: still kept
    storage, name = expired.file.storage, expired.file.name
    assert storage.exists(name)
    report = retention_run(actor="retention-test", today=TODAY, only=["attachments"])
    outcome = report.outcomes[0]
    assert (outcome.due, outcome.done, outcome.failed) == (1, 1, 0)
    expired.refresh_from_db()
    assert expired.status == "expired"
    assert not expired.file
    assert expired.sha256 and expired.size  # what was there is still described
    assert not storage.exists(name)
    kept.refresh_from_db()
    assert kept.status == "active" and storage.exists(kept.file.name)
    assert AuditEntry.objects.filter(action="attachment.expire", object_id=str(expired.pk)).exists()
    assert audit_verify().ok
    # A second run finds nothing more to do.
    assert retention_run(actor="retention-test", today=TODAY, only=["attachments"]).outcomes[0].due == 0


def test_a_dry_run_reports_and_keeps_everything():
    att = _pdf(dt.date(2020, 1, 1))
    report = retention_run(actor="retention-test", today=TODAY, dry_run=True, only=["attachments"])
    assert (report.outcomes[0].due, report.outcomes[0].done) == (1, 0)
    att.refresh_from_db()
    assert att.status == "active" and att.file
    assert "试运行" in report.lines()[0]


def test_expired_sessions_are_deleted_and_live_ones_kept():
    now = timezone.now()
    Session.objects.create(session_key="old" * 10, session_data="x", expire_date=now - dt.timedelta(days=1))
    Session.objects.create(session_key="new" * 10, session_data="x", expire_date=now + dt.timedelta(hours=1))
    report = retention_run(actor="retention-test", only=["sessions"])
    assert report.outcomes[0].done == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["new" * 10]


def test_a_broken_rule_is_reported_and_does_not_stop_the_others(monkeypatch):
    monkeypatch.setattr("jineng.common.retention._RULES", dict(_RULES))

    @register_retention_rule("aaa_broken", "坏规则")
    def broken(**_: object) -> RuleOutcome:
        raise RuntimeError("boom")

    att = _pdf(dt.date(2020, 1, 1))
    report = retention_run(actor="retention-test", today=TODAY, only=["aaa_broken", "attachments"])
    assert not report.ok
    assert [o.rule for o in report.outcomes] == ["aaa_broken", "attachments"]
    assert report.outcomes[1].done == 1
    att.refresh_from_db()
    assert att.status == "expired"


def test_the_command_prints_the_report_and_the_job_kind_runs_it(capsys):
    _pdf(dt.date(2020, 1, 1))
    call_command("retention", "run", "--dry-run")
    out = capsys.readouterr().out
    assert "附件" in out and "到期 1" in out
    call_command("retention", "list")
    assert "attachments" in capsys.readouterr().out
    job = job_create(kind="retention.run", actor=None, params={})
    job = job_execute(str(job.id))
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert {r["rule"] for r in job.result["rules"]} >= {"attachments", "sessions", "retired_persons"}
    assert Attachment.objects.filter(status="expired").count() == 1


@pytest.mark.parametrize("kind", ["retention.run", "imports.sources_purge"])
def test_only_a_system_administrator_may_queue_a_deletion_job(api, make_user, make_org, kind):
    """Anyone who sees jobs could queue any kind: a provider's staff member started the system-wide purge."""
    from jineng.common.jobs.models import Job

    _pdf(dt.date(2020, 1, 1))
    for user in (
        make_user("provider_staff", organization=make_org()),
        make_user("county_official", region="440106"),
        make_user("province_official", region="440000"),
    ):
        response = api(user).post("/api/v1/jobs", {"kind": kind, "params": {}}, content_type="application/json")
        assert response.status_code == 403, response.content
    assert not Job.objects.filter(kind=kind).exists()
    assert Attachment.objects.filter(status="expired").count() == 0
    admin = make_user("sysadmin", region="000000")
    response = api(admin).post("/api/v1/jobs", {"kind": kind, "params": {}}, content_type="application/json")
    assert response.status_code == 202, response.content
