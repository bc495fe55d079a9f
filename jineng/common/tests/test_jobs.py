"""Job records: created, queued after commit, claimed once, executed by kind; failures recorded; retried."""

from __future__ import annotations

import pytest

from jineng.common.errors import DomainError, InvalidState
from jineng.common.jobs import services
from jineng.common.jobs.models import Job, JobStatus
from jineng.common.jobs.services import job_create, job_execute, job_retry

pytestmark = pytest.mark.django_db


@pytest.fixture
def kinds(monkeypatch):
    """Test job kinds, registered for one test only."""
    calls: list[str] = []

    def ok(job, progress):
        calls.append(str(job.pk))
        progress(1, 2)
        progress(2, 2)
        return {"echo": job.params.get("n")}

    def failing(job, progress):
        progress(1, 10)
        raise RuntimeError("disk full while reading 440106199001011234")

    def refusing(job, progress):
        raise DomainError(code="bad_file", message="文件格式不正确。", status=422)

    for name, handler in {"test.ok": ok, "test.fail": failing, "test.refuse": refusing}.items():
        monkeypatch.setitem(services._HANDLERS, name, handler)
    return calls


def test_job_runs_after_commit_and_records_progress_and_result(kinds, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = job_create(kind="test.ok", actor=None, params={"n": 7}, region_code="440106")
        assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED  # nothing runs before the commit
        assert kinds == []
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.result == {"echo": 7}
    assert (job.progress_done, job.progress_total, job.percent) == (2, 2, 100)
    assert job.attempts == 1
    assert job.started_at is not None and job.finished_at is not None


def test_a_job_is_claimed_once(kinds):
    job = Job.objects.create(kind="test.ok")
    job_execute(str(job.pk))
    job_execute(str(job.pk))  # a second runner finds it no longer queued
    assert kinds == [str(job.pk)]
    job.refresh_from_db()
    assert job.attempts == 1


def test_a_failing_handler_marks_the_job_failed_with_the_message_masked(kinds):
    job = Job.objects.create(kind="test.fail")
    result = job_execute(str(job.pk))
    assert result.status == JobStatus.FAILED
    assert result.error.startswith("RuntimeError: disk full")
    assert "440106199001011234" not in result.error
    assert result.finished_at is not None
    assert result.progress_done == 1


def test_a_domain_error_keeps_its_chinese_message(kinds):
    job = Job.objects.create(kind="test.refuse")
    assert job_execute(str(job.pk)).error == "文件格式不正确。"


def test_a_job_of_an_unknown_kind_fails_instead_of_hanging():
    job = Job.objects.create(kind="removed.kind")
    result = job_execute(str(job.pk))
    assert result.status == JobStatus.FAILED
    assert "removed.kind" in result.error


def test_job_create_refuses_an_unknown_kind():
    with pytest.raises(DomainError) as caught:
        job_create(kind="no.such.kind", actor=None)
    assert (caught.value.code, caught.value.status) == ("unknown_job_kind", 422)
    assert "未知的作业类型" in caught.value.message
    assert not Job.objects.exists()


def test_retry_requeues_a_failed_job_and_it_runs_again(kinds, monkeypatch, django_capture_on_commit_callbacks):
    job = Job.objects.create(kind="test.fail")
    job_execute(str(job.pk))
    monkeypatch.setitem(services._HANDLERS, "test.fail", services._HANDLERS["test.ok"])  # the cause is fixed
    with django_capture_on_commit_callbacks(execute=True):
        job_retry(job=Job.objects.get(pk=job.pk), actor=None)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.error == ""
    assert job.attempts == 2


@pytest.mark.parametrize("status", [JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.SUCCEEDED])
def test_only_failed_jobs_can_be_retried(status):
    job = Job.objects.create(kind="test.ok", status=status)
    with pytest.raises(InvalidState) as caught:
        job_retry(job=job, actor=None)
    assert (caught.value.code, caught.value.status) == ("job_not_failed", 409)
    assert caught.value.message == "只有失败的作业可以重试。"
    job.refresh_from_db()
    assert job.status == status


def test_a_stale_copy_cannot_retry_a_job_twice(kinds):
    job = Job.objects.create(kind="test.fail")
    job_execute(str(job.pk))
    stale = Job.objects.get(pk=job.pk)
    job_retry(job=Job.objects.get(pk=job.pk), actor=None)
    with pytest.raises(InvalidState):
        job_retry(job=stale, actor=None)


def test_audit_jobs_verify_and_checkpoint_the_chain(django_capture_on_commit_callbacks):
    from jineng.common.audit.services import audit_record

    for i in range(3):
        audit_record(actor=None, action="create", object_type="thing", object_id=str(i))
    with django_capture_on_commit_callbacks(execute=True):
        verify = job_create(kind="audit.verify", actor=None)
        checkpoint = job_create(kind="audit.checkpoint", actor=None)
    verify.refresh_from_db()
    checkpoint.refresh_from_db()
    assert verify.status == JobStatus.SUCCEEDED
    assert verify.result["ok"] is True
    assert verify.result["checked"] == 3
    assert checkpoint.result == {"seq": 3}
