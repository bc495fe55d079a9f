"""Writing generated columns into the platform's tables: PostgreSQL ``COPY … (FORMAT csv)``, else ``executemany``.

A frame's columns are the model's attribute names (``person_id``, ``region_id`` …). On PostgreSQL the frame is
rendered to CSV by Polars in slices and streamed into ``COPY`` (no Python object per row); on SQLite (demo and tiny
scales, tests) each value goes through the field's ``get_db_prep_save`` exactly as the ORM would store it.
"""

from __future__ import annotations

import io
import json
from typing import Any

import numpy as np
import polars as pl
from django.db import connections, models

_HEX = np.array([f"{i:02x}" for i in range(256)])
COPY_SLICE = 100_000


def hex64(values: np.ndarray) -> np.ndarray:
    """Sixteen lower-case hex digits of each uint64 (big-endian), vectorized."""
    octets = np.ascontiguousarray(values.astype(">u8")).view(np.uint8).reshape(-1, 8)
    parts = _HEX[octets]
    out = parts[:, 0]
    for k in range(1, 8):
        out = np.strings.add(out, parts[:, k])
    return out


def uuid7_hex(ms: np.ndarray, rand_a: np.ndarray, rand_b: np.ndarray) -> np.ndarray:
    """Time-ordered UUIDs (RFC 9562 v7 layout) as 32 hex digits, from milliseconds and two uint64 hashes."""
    u = np.uint64
    hi = (ms.astype(u) << u(16)) | u(0x7000) | (rand_a.astype(u) & u(0xFFF))
    lo = (u(0b10) << u(62)) | (rand_b.astype(u) & u((1 << 62) - 1))
    return np.asarray(np.strings.add(hex64(hi), hex64(lo)))


class TableWriter:
    """Writes frames into model tables on one database connection; counts rows per table."""

    def __init__(self, using: str = "default"):
        self.using = using
        self.connection = connections[using]
        self.counts: dict[str, int] = {}

    @property
    def postgres(self) -> bool:
        return self.connection.vendor == "postgresql"

    def write(self, model: type[models.Model], frame: pl.DataFrame) -> int:
        if frame.height == 0:
            return 0
        meta = model._meta
        frame = self._complete(model, frame)
        fields: list[Any] = [meta.get_field(name) for name in frame.columns]
        columns = ", ".join(self.connection.ops.quote_name(str(f.column)) for f in fields)
        table = self.connection.ops.quote_name(meta.db_table)
        if self.postgres:
            self._copy(table, columns, frame)
        else:
            self._insert(table, columns, fields, frame)
        self.counts[meta.db_table] = self.counts.get(meta.db_table, 0) + frame.height
        return frame.height

    @staticmethod
    def _complete(model: type[models.Model], frame: pl.DataFrame) -> pl.DataFrame:
        """Add the columns the frame leaves out with the values ``save()`` would store (defaults, NULL, blank)."""
        extra = {}
        for f in model._meta.concrete_fields:
            if f.attname in frame.columns or isinstance(f, models.AutoField | models.BigAutoField):
                continue
            if f.has_default():
                value = f.get_default()
                if isinstance(f, models.JSONField):
                    extra[f.attname] = pl.lit(json.dumps(value, ensure_ascii=False))
                elif value is None:
                    extra[f.attname] = pl.lit(None, dtype=pl.Utf8)
                else:
                    extra[f.attname] = pl.lit(value)
            elif f.null:
                extra[f.attname] = pl.lit(None, dtype=pl.Utf8)
            elif isinstance(f, models.CharField | models.TextField):
                extra[f.attname] = pl.lit("")
            else:
                raise ValueError(f"{model.__name__}.{f.attname} has no value, default or NULL")
        return frame.with_columns(**extra) if extra else frame

    def copy_into(self, table: str, frame: pl.DataFrame) -> int:
        """COPY a frame into a table by name (PostgreSQL only): the raw baseline of the benchmarks."""
        columns = ", ".join(self.connection.ops.quote_name(c) for c in frame.columns)
        self._copy(self.connection.ops.quote_name(table), columns, frame)
        return frame.height

    def _copy(self, table: str, columns: str, frame: pl.DataFrame) -> None:
        self.connection.ensure_connection()
        raw: Any = self.connection.connection
        with raw.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT csv)") as copy:  # noqa: S608
            for start in range(0, frame.height, COPY_SLICE):
                buffer = io.BytesIO()
                frame.slice(start, COPY_SLICE).write_csv(
                    buffer, include_header=False, datetime_format="%Y-%m-%d %H:%M:%S%.f%:z"
                )
                copy.write(buffer.getbuffer())

    def _prep(self, f: Any) -> Any:
        def prep(value: Any) -> Any:
            if isinstance(f, models.JSONField) and isinstance(value, str):
                value = json.loads(value)
            return f.get_db_prep_save(value, self.connection)

        return prep

    def _insert(self, table: str, columns: str, fields: list[Any], frame: pl.DataFrame) -> None:
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - quoted identifiers
        preps = [self._prep(f) for f in fields]
        with self.connection.cursor() as cur:
            for start in range(0, frame.height, 5000):
                rows = frame.slice(start, 5000).rows()
                cur.executemany(sql, [[p(v) for p, v in zip(preps, row, strict=True)] for row in rows])
