"""The import framework: importers register a kind; the runner reads, validates, writes and reports.

An importer (persons here; rosters, attendance, certificates later) declares its columns and implements
``process(rows, ctx)`` for a batch: validate every row (issues with codes and Chinese messages) and, when
``ctx.write`` is true, write the valid ones. The runner makes two passes over the file:

1. **check** — read every row (refusing the file as a whole if it breaks a limit), validate, report; nothing is
   written and progress is visible to pollers;
2. **write** — in ``strict`` mode only if the check found no row error; in ``partial`` mode the valid rows. The
   whole pass is one transaction (each batch a savepoint), so a file is never half-imported.

An importer that sets ``prepares = True`` splits ``process`` in two: ``prepare(rows, ctx)`` parses and validates a
batch into compact, picklable items (each with its ``row_number``) and ``apply(items, ctx)`` matches them against
the registry and, when ``ctx.write``, writes them. The check pass then keeps each batch's items in an anonymous
temporary file (bounded memory whatever the file's size) and the write pass reads them back instead of reading
and validating the file a second time.

Re-importing the same file must create no duplicates: importers match existing records by their keys.
"""

from __future__ import annotations

import datetime as dt
import pickle  # noqa: S403 - only to spill our own items to an anonymous temporary file and read them back
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from jineng.accounts.api import Actor
from jineng.imports.columns import CellRule, Column, HeaderMatch, clean_text, match_header
from jineng.imports.readers import FileRefused, FormulaText, Limits, Table, open_table


@dataclass(frozen=True)
class Row:
    number: int  # the row number in the file (Excel's row number, or the CSV line)
    values: dict[str, str]


@dataclass(frozen=True)
class Issue:
    """One problem of one row: an error (the row is rejected) or a warning (the row is kept, something reported)."""

    row: int
    column: str  # the column key ("" for the whole row)
    value: str  # ALREADY MASKED by the framework before it reaches a report
    code: str
    message: str
    severity: str = "error"


@dataclass
class Outcome:
    """What a batch did with its rows."""

    issues: list[Issue] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class Context:
    actor: Actor
    mode: str  # "strict" | "partial"
    region_code: str  # the importing office's region (attribution), may be ""
    today: dt.date
    write: bool = False
    options: dict[str, Any] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)  # the importer's memory across batches of one pass


class Importer:
    kind: str = ""
    label: str = ""
    permission: str = "records.view"
    columns: tuple[Column, ...] = ()
    # Options the import needs besides the file, as (name, label): a roster names its class (``--class``).
    # They reach ``process`` as ``ctx.options``.
    options: tuple[tuple[str, str], ...] = ()

    # True when the importer implements ``prepare`` and ``apply`` (see the module's docstring).
    prepares: bool = False
    # A filled-in row, by column key, that imports as it is: the template's 填写示例 sheet and the upload page show
    # it (issue 15: the roster template's 居住地 wanted a code and nothing said so).
    example: dict[str, str] = {}  # noqa: RUF012 - read only, overridden per importer

    def process(self, rows: list[Row], ctx: Context) -> Outcome:
        raise NotImplementedError

    def prepare(self, rows: list[Row], ctx: Context) -> tuple[list[Issue], list[Any]]:
        """The issues of a batch and its valid rows as items that have a ``row_number`` (``prepares`` only)."""
        raise NotImplementedError

    def apply(self, items: list[Any], ctx: Context) -> Outcome:
        """Match the prepared items and, when ``ctx.write``, write them (``prepares`` only)."""
        raise NotImplementedError

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def template_headers(self) -> list[str]:
        return [c.label for c in self.columns]

    def template_rules(self, actor: Any) -> dict[str, CellRule]:
        """The template's dropdowns and number checks by column key (none by default); ``actor`` is who downloads
        it (a list of regions can be the ones near them)."""
        return {}

    def template_example(self) -> list[str]:
        """The example row in the template's column order (empty when the importer has none)."""
        return [self.example.get(c.key, "") for c in self.columns] if self.example else []


_IMPORTERS: dict[str, Importer] = {}
_on_register: list[Callable[[Importer], None]] = []


def register_importer(importer: Importer) -> Importer:
    """Apps add import kinds here (from their AppConfig.ready) without editing the framework."""
    _IMPORTERS[importer.kind] = importer
    for hook in _on_register:
        hook(importer)
    return importer


def on_register(hook: Callable[[Importer], None]) -> None:
    _on_register.append(hook)
    for importer in _IMPORTERS.values():
        hook(importer)


def importer_for(kind: str) -> Importer:
    try:
        return _IMPORTERS[kind]
    except KeyError:
        from jineng.common.errors import ValidationFailed

        raise ValidationFailed(f"未知的导入类型：{kind}", code="unknown_import_kind") from None


def importers() -> dict[str, Importer]:
    return dict(_IMPORTERS)


class ConsoleActor:
    """The actor of an import started at the console without ``--as`` (the job records no user and hands the
    importer the string ``"system"``): the operator, with every permission, as ``jineng import`` documents."""

    pk = None
    username = "command line"
    is_authenticated = True
    is_active = True
    is_superuser = True
    person_id = None

    def __init__(self) -> None:
        from jineng.accounts.api import PERMISSIONS, Function, Principal

        self._jineng_principal = Principal(
            user_id=None, person_id=None, superuser=True, region_perms={"000000": set(PERMISSIONS[Function.SYSADMIN])}
        )

    def __str__(self) -> str:
        return self.username


def acting_user(ctx: Context) -> Any:
    """Whom scope checks are made for: the importing user, or the console operator for a job without one.

    Importers check every row with the permission functions of the one-record API (``accounts.api.require``,
    ``visible``) against this actor, so an import can create or touch only what its user could one by one."""
    return ctx.actor if getattr(ctx.actor, "pk", None) is not None else ConsoleActor()


# ---- masking of values in reports ---------------------------------------------------------------------------------


def mask_value(value: str, sensitive: str) -> str:
    from jineng.common.masking import mask_bank_account, mask_id_number, mask_phone, scrub_text

    text = str(value or "")
    if sensitive == "id_number":
        return mask_id_number(text)
    if sensitive == "phone":
        return mask_phone(text)
    if sensitive == "bank_account":
        return mask_bank_account(text)
    return scrub_text(text)[:200]


# ---- the runner ---------------------------------------------------------------------------------------------------


@dataclass
class RunResult:
    outcome: str  # "imported" | "rejected" | "refused"
    exit_code: int  # 0, 1, 2
    rows_total: int = 0
    rows_ok: int = 0
    rows_failed: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: int = 0
    written: bool = False
    refusal_code: str = ""
    message: str = ""
    header_row: int = 0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


ProgressFn = Callable[[int, int | None], None]
IssueSink = Callable[[Issue], None]

FORMULA_ISSUE = ("formula_cell", "单元格是公式（已按文本读取，不会计算）：请粘贴为数值后重新导入。")
TOO_LONG_ISSUE = ("cell_too_long", "单元格内容过长（超过500个字符）。")
HEADER_SCAN_ROWS = 10


class _Rows:
    """Data rows of a table under its matched header: skips blank rows, enforces the row limit."""

    def __init__(self, table: Table, importer: Importer, limits: Limits):
        self.table = table
        self.importer = importer
        self.limits = limits

    def iterate(self) -> tuple[HeaderMatch, Iterator[Row]]:
        source = self.table.rows()
        head: list[tuple[int, list[str]]] = []
        for item in source:
            head.append(item)
            if len(head) >= HEADER_SCAN_ROWS:
                break
        if not any(any(clean_text(c) for c in cells) for _n, cells in head):
            raise FileRefused("file_empty", "文件中没有数据。")
        header = match_header(head, self.importer.columns, max_columns=self.limits.max_columns)

        def data() -> Iterator[Row]:
            count = 0
            pending = [item for item in head if item[0] > header.row_number]
            for number, cells in _chain(pending, source):
                values = {}
                for key, index in header.positions.items():
                    raw = cells[index] if index < len(cells) else ""
                    values[key] = raw if isinstance(raw, FormulaText) else clean_text(raw)
                if not any(values.values()) and not any(clean_text(c) for c in cells):
                    continue
                count += 1
                if count > self.limits.max_rows:
                    raise FileRefused("too_many_rows", f"文件数据行超过 {self.limits.max_rows} 行的上限，已拒绝。")
                yield Row(number, values)

        return header, data()


def _chain(
    first: list[tuple[int, list[str]]], rest: Iterator[tuple[int, list[str]]]
) -> Iterator[tuple[int, list[str]]]:
    yield from first
    yield from rest


def _batches(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _precheck(rows: list[Row], importer: Importer) -> tuple[list[Row], list[Issue]]:
    """Issues the framework finds itself: formula cells, over-long cells."""
    keep: list[Row] = []
    issues: list[Issue] = []
    sensitive = {c.key: c.sensitive for c in importer.columns}
    for row in rows:
        bad = False
        for key, value in row.values.items():
            if isinstance(value, FormulaText):
                issues.append(Issue(row.number, key, mask_value(value, sensitive[key]), *FORMULA_ISSUE))
                bad = True
            elif len(value) > 500:
                issues.append(Issue(row.number, key, mask_value(value[:50], sensitive[key]), *TOO_LONG_ISSUE))
                bad = True
        if not bad:
            keep.append(row)
    return keep, issues


def run_import(
    *,
    importer: Importer,
    path: str | Path,
    ctx: Context,
    filename: str = "",
    progress: ProgressFn | None = None,
    on_issue: IssueSink | None = None,
    limits: Limits | None = None,
    batch_size: int | None = None,
) -> RunResult:
    """Check, then (unless strict mode found errors) write. Never raises for a refused file: returns exit 2."""
    limits = limits or Limits.from_settings()
    size = batch_size or settings.JINENG_IMPORT_BATCH_SIZE
    progress = progress or (lambda done, total: None)
    sink = on_issue or (lambda issue: None)
    result = RunResult(outcome="imported", exit_code=0)
    try:
        table = open_table(path, limits=limits, filename=filename)
        estimate = table.estimate_rows()
        if estimate - 1 > limits.max_rows:
            raise FileRefused(
                "too_many_rows", f"文件数据行约 {estimate - 1} 行，超过 {limits.max_rows} 行的上限，已拒绝。"
            )
        total = max(estimate - 1, 1) * 2
        progress(0, total)
        # Pass 1: check every row and report every issue; nothing is written.
        header, rows = _Rows(table, importer, limits).iterate()
        result.header_row = header.row_number
        ctx.write = False
        ctx.state = {}
        failed_rows: set[int] = set()
        done = 0
        with tempfile.TemporaryFile(prefix="jineng-import-") as spill:
            batches = 0
            for batch in _batches(rows, size):
                keep, issues = _precheck(batch, importer)
                if importer.prepares:
                    found, items = importer.prepare(keep, ctx)
                    issues += found + importer.apply(items, ctx).issues
                    pickle.dump((len(batch), items), spill, protocol=pickle.HIGHEST_PROTOCOL)
                    batches += 1
                else:
                    issues += importer.process(keep, ctx).issues
                for issue in issues:
                    sink(issue)
                    if issue.severity == "error":
                        failed_rows.add(issue.row)
                    else:
                        result.warnings += 1
                result.rows_total += len(batch)
                done += len(batch)
                progress(done, total)
            if result.rows_total == 0:  # a template uploaded as downloaded: say so rather than "全部导入" of nothing
                raise FileRefused("no_data_rows", "第一个工作表的表头下没有数据行，未导入任何内容。导入只读取第一个工作表；"
                                  "模板中的示例在“填写示例”工作表，请将数据填在第一个工作表的表头下。")  # fmt: skip
            result.rows_failed = len(failed_rows)
            if failed_rows and ctx.mode == "strict":
                result.outcome, result.exit_code = "rejected", 1
                progress(total, total)
                return result
            spill.seek(0)
            # Pass 2: write (strict: every row is valid; partial: the valid ones), in one transaction.
            return _write_pass(
                importer, table, limits, ctx, (spill, batches, size, total), failed_rows, result, progress, sink
            )
    except FileRefused as refused:
        result.outcome, result.exit_code = "refused", 2
        result.refusal_code, result.message = refused.code, refused.message
        result.created = result.updated = result.unchanged = 0
        result.written = False
        return result


def _prepared_batches(spill: Any, count: int) -> Iterator[tuple[int, list[Any]]]:
    """(rows the batch read, its prepared items), as the check pass spilled them."""
    for _ in range(count):
        yield pickle.load(spill)  # noqa: S301 - our own items, written by this run to an anonymous temporary file


def _write_pass(
    importer: Importer,
    table: Table,
    limits: Limits,
    ctx: Context,
    plan: tuple[Any, int, int, int],  # (the spill file, its batch count, the batch size, progress total)
    failed_rows: set[int],
    result: RunResult,
    progress: ProgressFn,
    sink: IssueSink,
) -> RunResult:
    spill, batches, size, total = plan
    done = result.rows_total
    ctx.state = {}
    ctx.write = True
    late_failures: set[int] = set()
    with transaction.atomic():
        work: Iterator[tuple[int, list[Any]]]
        if importer.prepares:
            work = (
                (read, [item for item in items if item.row_number not in failed_rows])
                for read, items in _prepared_batches(spill, batches)
            )
        else:
            _header, rows = _Rows(table, importer, limits).iterate()
            work = (
                (len(batch), [row for row in _precheck(batch, importer)[0] if row.number not in failed_rows])
                for batch in _batches(rows, size)
            )
        for read, keep in work:
            outcome = _write_batch(importer, keep, ctx)
            for issue in outcome.issues:
                # Pass 1 reported this file's issues; a new error here means a concurrent change.
                if issue.severity == "error" and issue.row not in failed_rows:
                    sink(issue)
                    late_failures.add(issue.row)
            result.created += outcome.created
            result.updated += outcome.updated
            result.unchanged += outcome.unchanged
            done += read
            progress(min(done, total), total)
        if late_failures and ctx.mode == "strict":
            transaction.set_rollback(True)  # strict writes nothing
            result.created = result.updated = result.unchanged = 0
        else:
            result.written = True
    result.rows_failed = len(failed_rows | late_failures)
    result.rows_ok = result.rows_total - result.rows_failed if result.written else 0
    if result.rows_failed:
        result.outcome, result.exit_code = "rejected", 1
    progress(total, total)
    return result


def _write_batch(importer: Importer, rows: list[Any], ctx: Context) -> Outcome:
    """One savepoint per batch; a constraint violation (a concurrent writer) is retried row by row.

    ``rows`` are ``Row`` objects, or the prepared items of an importer that ``prepares``."""
    write = importer.apply if importer.prepares else importer.process
    try:
        with transaction.atomic():
            return write(rows, ctx)
    except IntegrityError:
        total = Outcome()
        for row in rows:
            number = row.row_number if importer.prepares else row.number
            try:
                with transaction.atomic():
                    one = write([row], ctx)
            except IntegrityError:
                total.issues.append(
                    Issue(number, "", "", "conflict_concurrent", "该行与同时进行的其他登记冲突，请重新导入该行。")
                )
                continue
            total.issues += one.issues
            total.created += one.created
            total.updated += one.updated
            total.unchanged += one.unchanged
        return total


def today() -> dt.date:
    return timezone.localdate()


def issues_sorted(issues: Sequence[Issue]) -> list[Issue]:
    return sorted(issues, key=lambda i: (i.row, i.column))
