"""For tests that play an attacker who owns the database: lift the append-only triggers (migration common/0002).

Only the owner of the audit tables can do this (ALTER TABLE … DISABLE TRIGGER on PostgreSQL, DROP TRIGGER on
SQLite); the application role cannot. ``jineng audit verify`` must catch what such an attacker writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

AUDIT_TABLES = ("common_auditentry", "common_auditcheckpoint", "common_audithead")


@contextmanager
def owner_lifts_the_audit_guard() -> Iterator[None]:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # ALTER TABLE needs no pending deferred checks (Django's foreign keys are INITIALLY DEFERRED).
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in AUDIT_TABLES:
                cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            cur.execute("SET CONSTRAINTS ALL DEFERRED")
            saved: list[tuple[str, str]] = []
        else:
            cur.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'jineng_audit%'")
            saved = list(cur.fetchall())
            for name, _sql in saved:
                cur.execute(f"DROP TRIGGER {name}")
    try:
        yield
    finally:
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for table in AUDIT_TABLES:
                    cur.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
                cur.execute("SET CONSTRAINTS ALL DEFERRED")
            else:
                for _name, sql in saved:
                    cur.execute(sql)
