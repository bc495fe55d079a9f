"""The audit trail is append-only in the database too, not only through the ORM (等保三级: 审计记录的保护).

PostgreSQL: row triggers refuse UPDATE and DELETE of audit entries and checkpoints, and refuse deleting the head or
moving it backwards — whoever runs the statement, the owner included (only the owner can disable a trigger, and
doing so is an explicit, logged act). The role the application runs as additionally holds no UPDATE/DELETE/TRUNCATE
privilege on those tables: ``jineng db roles`` (jineng/common/audit/dbroles.py).

SQLite (the embedded database): triggers refuse UPDATE of entries and checkpoints and moving the head backwards.
DELETE is not refused at the database level there, because Django's test flush empties tables with DELETE; the ORM
refuses it and ``jineng audit verify`` detects it (ADR 0005).
"""

from django.db import migrations

PG_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION jineng_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit trail is append-only: % on % refused (审计日志只能追加)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION jineng_audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' OR NEW.last_seq < OLD.last_seq THEN
        RAISE EXCEPTION 'audit head may only move forward: % refused (审计链头只能前进)', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN NEW;
    END $$
    """,
    "CREATE TRIGGER jineng_audit_append_only BEFORE UPDATE OR DELETE ON common_auditentry "
    "FOR EACH ROW EXECUTE FUNCTION jineng_audit_append_only()",
    "CREATE TRIGGER jineng_audit_append_only BEFORE UPDATE OR DELETE ON common_auditcheckpoint "
    "FOR EACH ROW EXECUTE FUNCTION jineng_audit_append_only()",
    "CREATE TRIGGER jineng_audit_head_forward_only BEFORE UPDATE OR DELETE ON common_audithead "
    "FOR EACH ROW EXECUTE FUNCTION jineng_audit_head_forward_only()",
]
PG_REMOVE = [
    "DROP TRIGGER IF EXISTS jineng_audit_append_only ON common_auditentry",
    "DROP TRIGGER IF EXISTS jineng_audit_append_only ON common_auditcheckpoint",
    "DROP TRIGGER IF EXISTS jineng_audit_head_forward_only ON common_audithead",
    "DROP FUNCTION IF EXISTS jineng_audit_append_only()",
    "DROP FUNCTION IF EXISTS jineng_audit_head_forward_only()",
]
SQLITE_INSTALL = [
    "CREATE TRIGGER jineng_audit_entry_no_update BEFORE UPDATE ON common_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only (审计日志只能追加)'); END",
    "CREATE TRIGGER jineng_audit_checkpoint_no_update BEFORE UPDATE ON common_auditcheckpoint "
    "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only (审计日志只能追加)'); END",
    "CREATE TRIGGER jineng_audit_head_forward_only BEFORE UPDATE ON common_audithead "
    "WHEN NEW.last_seq < OLD.last_seq "
    "BEGIN SELECT RAISE(ABORT, 'audit head may only move forward (审计链头只能前进)'); END",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS jineng_audit_entry_no_update",
    "DROP TRIGGER IF EXISTS jineng_audit_checkpoint_no_update",
    "DROP TRIGGER IF EXISTS jineng_audit_head_forward_only",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("common", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_INSTALL, "sqlite": SQLITE_INSTALL}),
            _run({"postgresql": PG_REMOVE, "sqlite": SQLITE_REMOVE}),
        )
    ]
