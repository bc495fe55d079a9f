"""The audit trail: hash chain, checkpoints, and verify catching a tampered row, a deleted row, a cut tail."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from jineng.common.audit.models import AuditCheckpoint, AuditEntry, AuditHead
from jineng.common.audit.services import audit_bulk, audit_checkpoint, audit_event, audit_record, audit_verify
from jineng.common.events import Event
from jineng.common.tests.tamper import owner_lifts_the_audit_guard

pytestmark = pytest.mark.django_db


def _fill(n: int) -> None:
    for i in range(n):
        audit_record(
            actor=None, action="create", object_type="thing", object_id=str(i), region_code="440106", after={"n": i}
        )


def _raw(sql: str, params: list[object]) -> None:
    # Tampering goes around the ORM on purpose: the model refuses deletes. The database refuses them too
    # (test_audit_db_guard.py), so the tamperer here is the tables' owner, who lifts the triggers first.
    with owner_lifts_the_audit_guard(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_chain_links_each_entry_to_the_previous():
    _fill(5)
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == "0" * 64
    for prev, cur in zip(entries, entries[1:], strict=False):
        assert cur.prev_hash == prev.hash
    head = AuditHead.objects.get(id=1)
    assert (head.last_seq, head.last_hash) == (5, entries[-1].hash)
    assert audit_verify().ok


def test_verify_reports_a_tampered_row(settings):
    _fill(6)
    _raw("UPDATE common_auditentry SET reason = %s WHERE seq = %s", ["edited", 3])
    result = audit_verify()
    assert not result.ok
    assert result.seq == 3
    assert "篡改" in result.problem


def test_verify_reports_a_deleted_row():
    _fill(6)
    _raw("DELETE FROM common_auditentry WHERE seq = %s", [4])
    result = audit_verify()
    assert not result.ok
    assert result.seq == 4
    assert "缺失" in result.problem


def test_verify_reports_a_truncated_tail_even_when_the_head_is_rewritten(settings):
    settings.JINENG_AUDIT_CHECKPOINT_EVERY = 3
    _fill(7)  # checkpoints at 3 and 6
    assert AuditCheckpoint.objects.filter(seq=6).exists()
    _raw("DELETE FROM common_auditentry WHERE seq >= %s", [5])
    last = AuditEntry.objects.get(seq=4)
    # A careful attacker also rewrites the head; the signed checkpoint at 6 still gives the cut away.
    with owner_lifts_the_audit_guard():
        AuditHead.objects.filter(id=1).update(last_seq=4, last_hash=last.hash)
    result = audit_verify()
    assert not result.ok
    assert "截断" in result.problem


def test_verify_reports_a_forged_checkpoint(settings):
    settings.JINENG_AUDIT_CHECKPOINT_EVERY = 2
    _fill(4)
    with owner_lifts_the_audit_guard():
        AuditCheckpoint.objects.filter(seq=2).update(hash="f" * 64)
    result = audit_verify()
    assert not result.ok
    assert "签名" in result.problem


def test_command_exits_nonzero_on_a_broken_chain():
    _fill(3)
    call_command("audit", "verify")  # intact: no error
    _raw("UPDATE common_auditentry SET action = %s WHERE seq = %s", ["delete", 2])
    with pytest.raises(CommandError, match="seq 2"):
        call_command("audit", "verify")


def test_personal_data_in_audit_payloads_is_masked():
    entry = audit_record(
        actor=None,
        action="update",
        object_type="person",
        before={"note": "身份证 440106199001011234 电话 13812345678"},
        reason="核对 440106199001011234",
    )
    text = f"{entry.before} {entry.reason}"
    assert "440106199001011234" not in text
    assert "13812345678" not in text
    assert "4401**********1234" in text


def test_bulk_operation_writes_one_entry_with_a_digest():
    rows = [{"id": i, "name": f"r{i}"} for i in range(100)]
    before = AuditEntry.objects.count()
    entry = audit_bulk(actor=None, action="import", object_type="person", rows=rows)
    assert AuditEntry.objects.count() == before + 1
    assert entry.after["rows"] == 100
    assert len(entry.after["digest"]) == 64
    again = audit_bulk(actor=None, action="import", object_type="person", rows=rows)
    assert again.after["digest"] == entry.after["digest"]


def test_an_event_is_written_with_its_action_and_its_object_type():
    entry = audit_event(Event.ATTACHMENT_EXPIRE, actor=None, object_id="a1", region_code="440106")
    assert (entry.action, entry.object_type, entry.object_id) == ("attachment.expire", "common.attachment", "a1")
    assert audit_verify().ok


def test_an_event_over_rows_carries_their_count_and_the_same_digest_as_a_bulk_entry():
    rows = [{"id": i} for i in range(5)]
    entry = audit_event(Event.FILES_ENCRYPT, actor=None, rows=rows, after={"note": "n"})
    bulk = audit_bulk(actor=None, action="files.encrypt", object_type="common.stored_files", rows=rows)
    assert entry.after == {"rows": 5, "digest": bulk.after["digest"], "note": "n"}


def test_an_action_no_app_lists_is_refused_before_anything_is_written():
    with pytest.raises(ValueError):
        Event("attachment.shred")


def test_model_refuses_delete():
    entry = audit_record(actor=None, action="create", object_type="x")
    with pytest.raises(PermissionError):
        entry.delete()


def test_checkpoint_command_signs_the_current_head():
    _fill(2)
    cp = audit_checkpoint()
    assert cp is not None and cp.seq == 2
    assert audit_verify().ok


def test_entries_cannot_be_rewritten_or_bulk_deleted_through_the_orm():
    entry = audit_record(actor=None, action="create", object_type="x", after={"n": 1})
    entry.reason = "rewritten"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="rewritten")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).reason == ""
    assert audit_verify().ok


def test_entries_carry_the_request_address_and_id():
    from jineng.common.request_context import RequestInfo, reset_request_info, set_request_info

    token = set_request_info(RequestInfo(request_id="req-7", address="10.0.0.8", user_agent="pytest"))
    try:
        entry = audit_record(actor=None, action="create", object_type="x")
    finally:
        reset_request_info(token)
    assert (entry.address, entry.request_id) == ("10.0.0.8", "req-7")
    assert audit_verify().ok  # address and request id are part of the hashed content


# ---- audit entries for the kernel's writes --------------------------------------------------------------------------


def test_the_kernels_writes_are_audited(make_user):
    import datetime as dt
    import io

    from jineng.accounts.services import grant_create, grant_revoke, token_create, token_revoke
    from jineng.common.attachments.services import attachment_store
    from jineng.refdata.api import setting_set

    admin = make_user("sysadmin", region="440100")
    user = make_user()
    grant = grant_create(actor=admin, user=user, function="county_official", region_code="440106")
    grant_revoke(actor=admin, grant=grant, reason="调岗")
    token, _secret = token_create(actor=admin, user=admin)
    token_revoke(actor=admin, token=token)
    setting = setting_set(
        actor=admin,
        key="class.max_trainees",
        region_code="440106",
        value=30,
        valid_from=dt.date(2025, 1, 1),
        reason="文件",
    )
    att = attachment_store(
        actor=admin,
        kind="evidence",
        filename="a.pdf",
        content_type="application/pdf",
        stream=io.BytesIO(b"%PDF-1.4\n%%EOF\n"),
        region_code="440106",
    )
    written = {(e.action, e.object_type, e.object_id) for e in AuditEntry.objects.filter(actor=admin)}
    assert written >= {
        ("grant.create", "accounts.grant", str(grant.pk)),
        ("grant.revoke", "accounts.grant", str(grant.pk)),
        ("token.create", "accounts.api_token", str(token.pk)),
        ("token.revoke", "accounts.api_token", str(token.pk)),
        ("setting.set", "refdata.region_setting", str(setting.pk)),
        ("attachment.create", "common.attachment", str(att.pk)),
    }
    assert audit_verify().ok


# ---- concurrency (PostgreSQL) ---------------------------------------------------------------------------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, available_apps=["jineng.common"])
def test_concurrent_writers_cannot_fork_the_chain(settings):
    """Threads append at once, each in its own connection and transaction; the head-row lock queues them."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite has one writer, so appends there cannot race (runs in the PostgreSQL pass)"
        )
    import threading

    from django.db import connections, transaction

    settings.JINENG_AUDIT_CHECKPOINT_EVERY = 7
    threads_count, per_thread = 6, 15
    start = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(per_thread):
                with transaction.atomic():
                    audit_record(actor=None, action="create", object_type="race", object_id=f"{n}-{i}")
        except BaseException as exc:  # reported below; a thread's exception would otherwise vanish
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads_count)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not errors, errors

    total = threads_count * per_thread
    entries = list(AuditEntry.objects.order_by("seq").values_list("seq", "prev_hash", "hash", "object_id"))
    assert [e[0] for e in entries] == list(range(1, total + 1))  # no gaps, no duplicates
    assert len({e[1] for e in entries}) == total  # no two entries share a predecessor: no fork
    assert len({e[3] for e in entries}) == total  # every append landed once
    head = AuditHead.objects.get(id=1)
    assert (head.last_seq, head.last_hash) == (total, entries[-1][2])
    assert AuditCheckpoint.objects.count() == total // 7
    result = audit_verify()
    assert result.ok, str(result)
    assert result.checked == total
