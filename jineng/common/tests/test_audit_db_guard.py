"""The audit trail is append-only in the database: triggers for everyone, and an application role without the
privileges (等保三级 8.1.4.3 安全审计 c: 应对审计记录进行保护，避免受到未预期的删除、修改或覆盖)."""

from __future__ import annotations

import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from jineng.common.audit.dbroles import app_role_apply, app_role_problems
from jineng.common.audit.models import AuditCheckpoint, AuditEntry, AuditHead
from jineng.common.audit.services import audit_checkpoint, audit_record, audit_verify
from jineng.common.tests.tamper import owner_lifts_the_audit_guard

pytestmark = pytest.mark.django_db


def _fill(n: int) -> None:
    for i in range(n):
        audit_record(actor=None, action="create", object_type="thing", object_id=str(i), region_code="440106")


def _refused(sql: str, params: list[object] | None = None) -> None:
    """The statement fails at the database, and the savepoint keeps the test's transaction usable."""
    with pytest.raises(DatabaseError, match="append-only|只能追加|只能前进|forward|permission denied"):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, params or [])


def test_the_database_refuses_to_rewrite_an_audit_entry():
    _fill(3)
    before = AuditEntry.objects.get(seq=2).reason
    _refused("UPDATE common_auditentry SET reason = 'edited' WHERE seq = 2")
    assert AuditEntry.objects.get(seq=2).reason == before
    assert audit_verify().ok


def test_the_database_refuses_to_rewrite_a_checkpoint(settings):
    settings.JINENG_AUDIT_CHECKPOINT_EVERY = 2
    _fill(2)
    _refused("UPDATE common_auditcheckpoint SET hash = %s WHERE seq = 2", ["f" * 64])
    assert audit_verify().ok


def test_the_head_only_moves_forward():
    _fill(4)
    _refused("UPDATE common_audithead SET last_seq = 2 WHERE id = 1")
    assert AuditHead.objects.get(id=1).last_seq == 4
    _fill(1)  # appending still moves it forward
    assert AuditHead.objects.get(id=1).last_seq == 5
    assert audit_verify().ok


def test_the_owner_must_lift_the_guard_explicitly_and_verify_still_catches_it():
    _fill(3)
    with owner_lifts_the_audit_guard(), connection.cursor() as cur:
        cur.execute("UPDATE common_auditentry SET reason = 'edited' WHERE seq = 2")
    assert not audit_verify().ok
    # The guard is back afterwards.
    _refused("UPDATE common_auditentry SET reason = 'again' WHERE seq = 3")


@pytest.mark.postgres_only
def test_postgres_refuses_deleting_audit_rows_even_for_the_owner():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps DELETE open for Django's test flush (migration common/0002); runs on PostgreSQL")
    _fill(3)
    audit_checkpoint()
    _refused("DELETE FROM common_auditentry WHERE seq = 3")
    _refused("DELETE FROM common_auditcheckpoint")
    _refused("DELETE FROM common_audithead")
    assert AuditEntry.objects.count() == 3
    assert audit_verify().ok


@pytest.mark.postgres_only
def test_the_application_role_cannot_update_delete_or_truncate_the_audit_trail():
    """The role the app runs as (``jineng db roles``): it writes the trail, it cannot rewrite it."""
    if connection.vendor != "postgresql":
        pytest.skip("database roles exist on PostgreSQL only (runs in the PostgreSQL pass)")
    _fill(2)
    role = f"jineng_app_t{uuid.uuid4().hex[:12]}"  # unique: roles are cluster-wide and test runs share the cluster
    app_role_apply(role, password=None)
    assert app_role_problems(role) == []
    with connection.cursor() as cur:
        cur.execute(f'SET ROLE "{role}"')
    try:
        # What the application does works: append (which moves the head), read, verify, checkpoint.
        audit_record(actor=None, action="create", object_type="thing", object_id="as-app")
        assert audit_checkpoint() is not None
        assert audit_verify().ok
        # What it must not do is refused, with the triggers lifted or not.
        for sql in (
            "UPDATE common_auditentry SET reason = 'edited' WHERE seq = 1",
            "DELETE FROM common_auditentry WHERE seq = 1",
            "TRUNCATE common_auditentry CASCADE",
            "UPDATE common_auditcheckpoint SET hash = 'f'",
            "DELETE FROM common_auditcheckpoint",
            "TRUNCATE common_auditcheckpoint",
            "DELETE FROM common_audithead",
            "TRUNCATE common_audithead",
            "ALTER TABLE common_auditentry DISABLE TRIGGER USER",
            "DROP TRIGGER jineng_audit_append_only ON common_auditentry",
        ):
            with pytest.raises(DatabaseError, match="permission denied|must be owner|append-only"):
                with transaction.atomic(), connection.cursor() as cur:
                    cur.execute(sql)
        # It may still change ordinary tables (it is the application after all).
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("UPDATE common_job SET progress_done = progress_done WHERE false")
    finally:
        with connection.cursor() as cur:
            cur.execute("RESET ROLE")
    assert AuditEntry.objects.count() == 3
    assert AuditCheckpoint.objects.count() >= 1
    assert audit_verify().ok


@pytest.mark.postgres_only
def test_check_reports_a_role_that_could_rewrite_the_audit_trail():
    if connection.vendor != "postgresql":
        pytest.skip("database roles exist on PostgreSQL only (runs in the PostgreSQL pass)")
    role = f"jineng_app_t{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cur:
        cur.execute(f'CREATE ROLE "{role}"')
        cur.execute(f'GRANT ALL ON ALL TABLES IN SCHEMA public TO "{role}"')
    problems = app_role_problems(role)
    assert any("UPDATE common_auditentry" in p for p in problems)
    assert any("DELETE common_auditentry" in p for p in problems)
    with pytest.raises(CommandError, match="可修改审计记录"):
        call_command("db", "check", "--role", role)
    call_command("db", "roles", "--role", role)  # the fix
    assert app_role_problems(role) == []


def test_db_roles_refuses_a_role_name_it_would_have_to_quote(capsys):
    with pytest.raises(CommandError, match="角色名|PostgreSQL"):
        call_command("db", "roles", "--role", 'x"; DROP TABLE common_auditentry; --')


@pytest.mark.postgres_only
def test_check_reports_a_disabled_append_only_trigger():
    if connection.vendor != "postgresql":
        pytest.skip("database roles and trigger checks are PostgreSQL's (runs in the PostgreSQL pass)")
    role = f"jineng_app_t{uuid.uuid4().hex[:12]}"
    app_role_apply(role, password=None)
    assert app_role_problems(role) == []
    with owner_lifts_the_audit_guard():
        problems = app_role_problems(role)
        assert any("jineng_audit_append_only on common_auditentry is disabled" in p for p in problems)
        with pytest.raises(CommandError, match="触发器已停用"):
            call_command("db", "check", "--role", role)
    assert app_role_problems(role) == []
