"""列表 — what every main list shares: a whitelist of sortable columns and the columns of its xlsx export.

A list is described once by a ``ListSpec``: its filters (GET parameters), the scoped and filtered rows for a user,
the columns a user may sort by and the columns of its export. The page, the export (direct or as a job) and the API
all build their rows from the same spec, so an export holds exactly what the page shows, in the same order.

Sorting: ``?sort=<key>`` or ``?sort=-<key>`` (descending), where ``key`` is one of the spec's sortable keys. Anything
else (unknown key, too long, several values) falls back to the default order — never an error. A unique last key
(the primary key) keeps the order stable, so paging never shows a row twice or skips one.

Export cells hold the same masked values as the page; a column with ``revealed`` gives the full value only when the
caller asks for it with a reason and holds the permission (checked by ``accounts.lists``).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, QuerySet
from django.db.models.expressions import OrderBy
from django.utils import timezone
from django.utils.functional import Promise

SORT_PARAM = "sort"
SORT_HELP = "排序：列名升序，-列名降序（如 -created）；不在可排序列中的值按默认顺序 (sort key; -key descending)"
SORT_MAX_LENGTH = 40
# Export cells that a spreadsheet would run as a formula are written as text (CSV/xlsx injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One export column: its header (Chinese), the masked value of a row, and the full value (if any)."""

    label: Any  # a lazily translated header
    value: Callable[[Any], Any]
    revealed: Callable[[Any], Any] | None = None


RowsBuilder = Callable[[Any, Mapping[str, str]], "QuerySet[Any]"]


@dataclass(frozen=True)
class ListSpec:
    """A main list: ``name`` (stable, ``app.list``), its title, filters, rows, sortable keys and export columns.

    ``sorts`` maps a public key to the model fields it orders by (ascending); ``default_sort`` is a key, optionally
    with ``-``. ``rows(user, params)`` returns the rows ``user`` may see, filtered by ``params`` (the spec's
    ``filters`` read from the request). ``reveal_rows`` (optional) narrows them to the rows whose full personal data
    the user may see (a reveal export holds no other row).
    """

    name: str
    title: Any  # lazily translated
    sorts: Mapping[str, tuple[str, ...]]
    default_sort: str
    rows: RowsBuilder
    filters: tuple[str, ...] = ()
    columns: tuple[Column, ...] = ()
    reveal_permission: str = ""
    reveal_rows: RowsBuilder | None = None
    export_permission: str = "records.export"
    related: tuple[str, ...] = field(default=())  # select_related of the page and the export
    prefetch: tuple[str, ...] = field(default=())  # prefetch_related of the page and the export

    @property
    def revealable(self) -> bool:
        return bool(self.reveal_permission) and any(c.revealed for c in self.columns)


_SPECS: dict[str, ListSpec] = {}


def register_list(spec: ListSpec) -> ListSpec:
    """Record a list so that an export job (run in another process) finds it by name."""
    _SPECS[spec.name] = spec
    return spec


def list_spec(name: str) -> ListSpec | None:
    return _SPECS.get(name)


def list_params(spec: ListSpec, query: Mapping[str, Any]) -> dict[str, str]:
    """The spec's filters as given (stripped, bounded); an absent filter is an empty string."""
    return {k: str(query.get(k, "") or "").strip()[:200] for k in spec.filters}


def sort_key(spec: ListSpec, raw: Any) -> str:
    """The validated sort key (``name`` or ``-name``); anything not on the whitelist gives the default."""
    if not isinstance(raw, str) or not raw or len(raw) > SORT_MAX_LENGTH:
        return spec.default_sort
    base = raw[1:] if raw.startswith("-") else raw
    return raw if base in spec.sorts else spec.default_sort


def sort_queryset(qs: QuerySet[Any], spec: ListSpec, key: str) -> QuerySet[Any]:
    """``qs`` ordered by ``key`` (validated again here), empty values last, then by primary key for stability."""
    key = sort_key(spec, key)
    descending = key.startswith("-")
    fields = spec.sorts[key.lstrip("-")]
    order: list[OrderBy] = [F(f).desc(nulls_last=True) if descending else F(f).asc(nulls_last=True) for f in fields]
    pk = F("pk").desc() if descending else F("pk").asc()
    return qs.order_by(*order, pk)


def sorted_rows(spec: ListSpec, user: Any, params: Mapping[str, str], sort: str) -> QuerySet[Any]:
    qs = spec.rows(user, params)
    if spec.related:
        qs = qs.select_related(*spec.related)
    if spec.prefetch:
        qs = qs.prefetch_related(*spec.prefetch)
    return sort_queryset(qs, spec, sort)


def escape_cell(value: Any) -> Any:
    """A cell value safe to open in a spreadsheet: text that would start a formula is prefixed with a quote; a
    lazily translated label is written as its text (openpyxl cannot write a lazy string: the export answered 500)."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        # xlsx has no time zones: the local (China) time the page shows, not UTC (提交时间 read 22:30 for 06:30)
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _xlsx_value(sheet: Any, value: Any) -> Any:
    """A cell for ``value``: a date shows as a date (yyyy-mm-dd, not a midnight time), a time to the minute."""
    if not isinstance(value, dt.date):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = "yyyy-mm-dd hh:mm" if isinstance(value, dt.datetime) else "yyyy-mm-dd"
    return cell


def write_xlsx(
    spec: ListSpec,
    rows: Iterable[Any],
    *,
    reveal: bool = False,
    progress: Callable[[int], None] | None = None,
) -> tuple[io.BytesIO, int]:
    """Write ``rows`` as an xlsx (openpyxl write-only: memory does not grow with the rows); returns (file, count)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    from jineng.common.masking import scrub_text

    out = io.BytesIO()
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=str(spec.title)[:31] or "Sheet1")
    bold = Font(bold=True)
    header = []
    for column in spec.columns:
        cell = WriteOnlyCell(sheet, value=str(column.label))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        values = []
        for column in spec.columns:
            if reveal and column.revealed is not None:
                values.append(_xlsx_value(sheet, escape_cell(column.revealed(row))))
            else:
                value = column.value(row)
                # A masked column never carries a full number, whatever a presenter returned.
                value = str(value) if isinstance(value, Promise) else value
                values.append(_xlsx_value(sheet, escape_cell(scrub_text(value) if isinstance(value, str) else value)))
        sheet.append(values)
        count += 1
        if progress is not None and count % 500 == 0:
            progress(count)
    book.save(out)
    out.seek(0)
    return out, count


def list_request(spec: ListSpec, query: Mapping[str, Any], user: Any) -> tuple[dict[str, str], str, QuerySet[Any]]:
    """What a list page needs from its request: the filters, the validated sort key and the sorted rows."""
    params = list_params(spec, query)
    sort = sort_key(spec, query.get(SORT_PARAM))
    return params, sort, sorted_rows(spec, user, params, sort)
