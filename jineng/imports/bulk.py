"""Bulk insertion for imports: PostgreSQL ``COPY`` when the database is PostgreSQL, ``bulk_create`` otherwise.

``COPY`` loads rows several times faster than ``INSERT`` (shared/PERF_NOTES.md: ≈ 6× Django's ``bulk_create``).
Model defaults and ``auto_now_add`` values are computed in Python first, exactly as ``save()`` would, so both paths
store the same thing. Constraints are enforced by the database either way: a violation raises ``IntegrityError``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, models, router


def bulk_insert(model: type[models.Model], objs: Sequence[models.Model], *, batch_size: int = 5000) -> int:
    """Insert ``objs`` (new, unsaved instances of ``model``); returns the number inserted."""
    if not objs:
        return 0
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        model._default_manager.using(alias).bulk_create(list(objs), batch_size=batch_size)
        return len(objs)
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (isinstance(f, models.AutoField | models.BigAutoField) and getattr(objs[0], f.attname) is None)
    ]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        raw: Any = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # noqa: S608 - names are quoted identifiers
            for obj in objs:
                copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
    return len(objs)


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]) -> int:
    """Insert plain tuples (values in the order of ``fields``, attribute names) without building model objects.

    A model instance costs ≈ 80 µs to build; at import scale the rows go straight to ``COPY`` (PostgreSQL) or to
    one ``executemany`` (other databases). Values are converted by each field's ``get_db_prep_save``.
    """
    if not rows:
        return 0
    alias = router.db_for_write(model)
    connection = connections[alias]
    meta = model._meta
    field_objs = [meta.get_field(name) for name in fields]
    columns = [connection.ops.quote_name(str(f.column)) for f in field_objs]  # type: ignore[union-attr]
    table = connection.ops.quote_name(meta.db_table)
    prep = [f.get_db_prep_save for f in field_objs]  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw: Any = cursor.cursor
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # noqa: S608 - quoted names
                for row in rows:
                    copy.write_row([p(v, connection) for p, v in zip(prep, row, strict=True)])
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608 - quoted names
            cursor.executemany(sql, [[p(v, connection) for p, v in zip(prep, row, strict=True)] for row in rows])
    return len(rows)
