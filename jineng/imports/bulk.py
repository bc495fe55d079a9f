"""Bulk insertion for imports: PostgreSQL ``COPY`` when the database is PostgreSQL, ``bulk_create`` otherwise.

``COPY`` loads rows several times faster than ``INSERT`` (shared/PERF_NOTES.md: ≈ 6× Django's ``bulk_create``).
Model defaults and ``auto_now_add`` values are computed in Python first, exactly as ``save()`` would, so both paths
store the same thing. Constraints are enforced by the database either way: a violation raises ``IntegrityError``.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import uuid
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
    one ``executemany`` (other databases). On PostgreSQL a value already in database form (``str``, ``int``,
    ``bool``, ``None``, ``UUID``, a ``date``, an aware ``datetime`` — for which Django's conversion is the identity)
    goes to ``COPY`` as it is: ``get_db_prep_save`` costs ≈ 7 µs a value and was a quarter of an import's time.
    Any other value (a naive datetime, a dict for a JSON field, an enum member, …) is converted by the field.
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
            native = [_native_types(f) for f in field_objs]  # type: ignore[arg-type]
            prepared = [
                [
                    v if type(v) in ok or _aware(v, ok) else p(v, connection)
                    for p, ok, v in zip(prep, native, row, strict=True)
                ]
                for row in rows
            ]
            text = _copy_text(prepared)
            raw: Any = cursor.cursor
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # noqa: S608 - quoted names
                if text is not None:
                    copy.write(text)
                else:
                    for values in prepared:
                        copy.write_row(values)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608 - quoted names
            cursor.executemany(sql, [[p(v, connection) for p, v in zip(prep, row, strict=True)] for row in rows])
    return len(rows)


def _escape(text: str) -> str:
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


# COPY's text format of the plain types; formatting a batch here is several times cheaper than psycopg's
# per-row ``write_row`` (which looks up a dumper for every value).
_TEXT_FORMAT: dict[type, Any] = {
    str: _escape,
    type(None): lambda _v: "\\N",
    bool: lambda v: "t" if v else "f",
    int: str,
    uuid.UUID: operator.attrgetter("hex"),  # 32 hex digits: PostgreSQL's uuid input takes them without hyphens
    # A batch repeats its timestamps and dates (created_at, today): formatting each once.
    dt.date: functools.lru_cache(maxsize=4096)(dt.date.isoformat),
    dt.datetime: functools.lru_cache(maxsize=64)(dt.datetime.isoformat),  # aware ones only (see _aware)
}


def _copy_text(rows: list[list[Any]]) -> str | None:
    """The rows in COPY's text format, or None when some value is not a plain type (then psycopg formats them)."""
    text = _TEXT_FORMAT
    try:
        return "".join("\t".join([text[type(v)](v) for v in row]) + "\n" for row in rows)
    except KeyError:
        return None


# The Python types for which Django's PostgreSQL conversion of a field's value is the identity, by field type.
_NATIVE_BY_FIELD: dict[str, frozenset[type]] = {
    **dict.fromkeys(("CharField", "TextField", "SlugField", "EmailField"), frozenset({str})),
    "UUIDField": frozenset({uuid.UUID}),
    "DateField": frozenset({dt.date}),
    "DateTimeField": frozenset(),  # aware datetimes only: see _aware
    "BooleanField": frozenset({bool}),
    **dict.fromkeys(
        ("IntegerField", "BigIntegerField", "SmallIntegerField", "PositiveIntegerField",
         "PositiveSmallIntegerField", "PositiveBigIntegerField", "AutoField", "BigAutoField"),
        frozenset({int}),
    ),
}  # fmt: skip
_AWARE = frozenset({dt.datetime})


def _native_types(field: models.Field[Any, Any]) -> frozenset[type]:
    """Value types that go to ``COPY`` unconverted for ``field`` (a foreign key: its target's); None included."""
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    internal = target.get_internal_type()
    if internal not in _NATIVE_BY_FIELD:
        return frozenset()  # JSON, decimals, arrays, …: always through the field
    if internal == "DateTimeField":
        return frozenset({type(None)}) | {_AwareMarker}
    return _NATIVE_BY_FIELD[internal] | {type(None)}


class _AwareMarker:
    """Marks a column whose aware datetimes pass unconverted (a naive one is made aware by Django, with a warning)."""


def _aware(value: Any, ok: frozenset[type]) -> bool:
    return _AwareMarker in ok and type(value) is dt.datetime and value.tzinfo is not None
