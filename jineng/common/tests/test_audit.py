"""The audit trail: hash chain, checkpoints, and verify catching a tampered row, a deleted row, a cut tail."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from jineng.common.audit.models import AuditCheckpoint, AuditEntry, AuditHead
from jineng.common.audit.services import audit_bulk, audit_checkpoint, audit_record, audit_verify

pytestmark = pytest.mark.django_db


def _fill(n: int) -> None:
    for i in range(n):
        audit_record(
            actor=None, action="create", object_type="thing", object_id=str(i), region_code="440106", after={"n": i}
        )


def _raw(sql: str, params: list[object]) -> None:
    # Tampering goes around the ORM on purpose: the model refuses deletes.
    with connection.cursor() as cursor:
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
    AuditHead.objects.filter(id=1).update(last_seq=4, last_hash=last.hash)
    result = audit_verify()
    assert not result.ok
    assert "截断" in result.problem


def test_verify_reports_a_forged_checkpoint(settings):
    settings.JINENG_AUDIT_CHECKPOINT_EVERY = 2
    _fill(4)
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


def test_model_refuses_delete():
    entry = audit_record(actor=None, action="create", object_type="x")
    with pytest.raises(PermissionError):
        entry.delete()


def test_checkpoint_command_signs_the_current_head():
    _fill(2)
    cp = audit_checkpoint()
    assert cp is not None and cp.seq == 2
    assert audit_verify().ok
