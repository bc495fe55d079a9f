"""The database role the application runs as (最小权限): everything it needs, and no way to rewrite the audit trail.

Two roles on PostgreSQL: the OWNER (the role ``jineng migrate`` runs as; it owns the tables) and the APPLICATION
role (gunicorn and the job worker connect as it). The application role may read and write every table, except that
on the audit tables it may only SELECT and INSERT (and move the head forward): no UPDATE, DELETE or TRUNCATE of
audit entries and checkpoints, no DELETE/TRUNCATE of the head. It owns nothing, so it cannot drop or disable the
append-only triggers (migration common/0002) either. ``jineng db roles`` applies this; ``jineng db check`` reports
any privilege the role should not have.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from jineng.common.errors import FieldError, ValidationFailed

# Audit tables and the privileges the application role must NOT hold on each.
AUDIT_FORBIDDEN: dict[str, tuple[str, ...]] = {
    "common_auditentry": ("UPDATE", "DELETE", "TRUNCATE"),
    "common_auditcheckpoint": ("UPDATE", "DELETE", "TRUNCATE"),
    "common_audithead": ("DELETE", "TRUNCATE"),
}


@dataclass(frozen=True)
class RoleReport:
    role: str
    statements: list[str]


def _ident(name: str) -> str:
    """A role name as an SQL identifier; only a plain lower-case name is accepted (it is spliced into DDL)."""
    if not name or len(name) > 63 or not all(c.islower() or c.isdigit() or c == "_" for c in name) or name[0].isdigit():
        raise ValidationFailed(
            "角色名不正确。",
            [FieldError("role", "bad_role_name", f"角色名只能由小写字母、数字和下划线组成（≤63 字符）：{name!r}")],
        )
    return f'"{name}"'


def app_role_statements(role: str, *, login: bool) -> list[str]:
    """The DDL that creates or refreshes the application role (PostgreSQL). The password is set separately."""
    r = _ident(role)
    with connection.cursor() as cur:
        cur.execute("SELECT current_database(), current_user")
        database, owner = cur.fetchone()
    db, own = connection.ops.quote_name(database), connection.ops.quote_name(owner)
    # `role` passed _ident (lower-case letters, digits, underscore), so splicing it into DDL is safe.
    create = f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN CREATE ROLE {r}; END IF; END $$"  # noqa: S608 # nosec B608
    statements = [
        create,
        f"ALTER ROLE {r} {'LOGIN' if login else 'NOLOGIN'} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION "
        "NOBYPASSRLS",
        f"GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {r}",
        f"GRANT USAGE ON SCHEMA public TO {r}",
        f"REVOKE CREATE ON SCHEMA public FROM {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {r}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {r}",
        # Tables a later migration creates get the same grants; `jineng db roles` is rerun after each migrate anyway.
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {own} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {r}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {own} IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {r}",
    ]
    for table, privileges in AUDIT_FORBIDDEN.items():
        statements.append(f"REVOKE {', '.join(privileges)} ON {table} FROM {r}")
    return statements


def app_role_apply(role: str, *, password: str | None) -> RoleReport:
    """Create or refresh the application role; with a password it may log in, else it is a NOLOGIN group role."""
    if connection.vendor != "postgresql":
        raise ValidationFailed(
            "仅 PostgreSQL 支持数据库角色。",
            [FieldError("database", "not_postgresql", "嵌入式 SQLite 没有数据库角色；生产环境请使用 PostgreSQL。")],
        )
    statements = app_role_statements(role, login=password is not None)
    with connection.cursor() as cur:
        for sql in statements:
            cur.execute(sql)
        if password is not None:
            # The password travels as a bound literal, never in a logged statement list.
            cur.execute(f"ALTER ROLE {_ident(role)} PASSWORD %s", [password])
    return RoleReport(role=role, statements=statements)


# The append-only triggers of migration common/0002, by table.
AUDIT_TRIGGERS: dict[str, str] = {
    "common_auditentry": "jineng_audit_append_only",
    "common_auditcheckpoint": "jineng_audit_append_only",
    "common_audithead": "jineng_audit_head_forward_only",
}


def audit_trigger_problems() -> list[str]:
    """Each append-only trigger that is missing or disabled (PostgreSQL)."""
    problems: list[str] = []
    with connection.cursor() as cur:
        for table, trigger in AUDIT_TRIGGERS.items():
            cur.execute(
                "SELECT t.tgenabled FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE c.relname = %s AND t.tgname = %s",
                [table, trigger],
            )
            row = cur.fetchone()
            if row is None:
                problems.append(f"trigger {trigger} on {table} is missing (审计表触发器缺失)")
            elif row[0] == "D":
                problems.append(f"trigger {trigger} on {table} is disabled (审计表触发器已停用)")
    return problems


def app_role_problems(role: str) -> list[str]:
    """Every privilege on the audit tables the application role holds but must not, and every append-only trigger
    missing or disabled (empty: as it should be)."""
    _ident(role)
    problems: list[str] = audit_trigger_problems()
    with connection.cursor() as cur:
        cur.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [role])
        row = cur.fetchone()
        if row is None:
            return [f"role {role} does not exist (角色不存在)"]
        if row[0] or row[1]:
            problems.append(f"role {role} is a superuser or bypasses row security (角色权限过大)")
        for table, privileges in AUDIT_FORBIDDEN.items():
            for privilege in privileges:
                cur.execute("SELECT has_table_privilege(%s, %s, %s)", [role, table, privilege])
                if cur.fetchone()[0]:
                    problems.append(f"role {role} may {privilege} {table} (可修改审计记录)")
            cur.execute("SELECT pg_get_userbyid(relowner) = %s FROM pg_class WHERE relname = %s", [role, table])
            owned = cur.fetchone()
            if owned and owned[0]:
                problems.append(f"role {role} owns {table} and could disable its triggers (拥有审计表)")
    return problems
