"""Spreadsheets the platform writes (import reports, exports): streamed, and safe to open.

A text cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage return) would be taken for a formula by
spreadsheet programs (CSV/formula injection); such text is written with a leading apostrophe.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from jineng.imports.columns import CellRule
from jineng.imports.framework import Issue

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


class XlsxWriter:
    """Rows streamed to an .xlsx (openpyxl write-only mode: memory does not grow with the rows)."""

    def __init__(self, headers: Sequence[str], title: str = "Sheet1"):
        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet(title=title)
        bold = Font(bold=True)
        cells = []
        for header in headers:
            cell = WriteOnlyCell(self.sheet, value=escape_cell(header))
            cell.font = bold
            cells.append(cell)
        self.sheet.append(cells)
        self.rows = 0

    def append(self, values: Iterable[Any]) -> None:
        self.sheet.append([escape_cell(v) for v in values])
        self.rows += 1

    def add_sheet(self, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """A further sheet (after the first, which is the one imports read): a template's 填写示例."""
        sheet = self.workbook.create_sheet(title=title)
        sheet.append([escape_cell(h) for h in headers])
        for row in rows:
            sheet.append([escape_cell(v) for v in row])

    def add_rules(self, keys: Sequence[str], rules: dict[str, CellRule], *, rows: int = 5000) -> None:
        """Data validation on the first sheet's columns (``keys`` in the header's order): dropdowns read from a
        hidden sheet 选项 (a list longer than Excel's 255-character inline limit still works), whole-number checks.
        Call after the first sheet's rows and before any other sheet."""
        listed = [(keys.index(key), rule) for key, rule in rules.items() if key in keys and rule.values]
        options = self.workbook.create_sheet(title="选项") if listed else None
        if options is not None:
            options.sheet_state = "hidden"
            longest = max(len(rule.values) for _i, rule in listed)
            for r in range(longest):
                options.append([escape_cell(rule.values[r]) if r < len(rule.values) else None for _i, rule in listed])
        for n, (index, rule) in enumerate(listed, start=1):
            source = get_column_letter(n)
            dv = DataValidation(
                type="list",
                formula1=f"'选项'!${source}$1:${source}${len(rule.values)}",
                allow_blank=True,
                errorStyle="stop" if rule.strict and not rule.several else "warning",
                showErrorMessage=True,
                error="请从下拉列表中选择。" if rule.strict and not rule.several else "不在下拉列表中，导入时将核对。",
                prompt=rule.prompt or None,
                showInputMessage=bool(rule.prompt),
            )
            column = get_column_letter(index + 1)
            dv.add(f"{column}2:{column}{rows + 1}")
            self.sheet.data_validations.append(dv)
        for key, rule in rules.items():
            if key in keys and rule.whole is not None:
                low, high = rule.whole
                dv = DataValidation(type="whole", operator="between", formula1=str(low), formula2=str(high),
                                    allow_blank=True, showErrorMessage=True, error=f"请填写 {low}–{high} 之间的整数。",
                                    prompt=rule.prompt or None, showInputMessage=bool(rule.prompt))  # fmt: skip
                column = get_column_letter(keys.index(key) + 1)
                dv.add(f"{column}2:{column}{rows + 1}")
                self.sheet.data_validations.append(dv)

    def save(self, target: str | Path | IO[bytes]) -> None:
        self.workbook.save(target)


# The reader's columns first, in Chinese; the stable code last, for support staff and scripts (issue 15).
REPORT_HEADERS = ["行号", "列", "值（已脱敏）", "说明", "级别", "错误代码（供技术支持）"]


class ReportWriter:
    """The row-by-row validation report of an import."""

    def __init__(self, column_labels: dict[str, str]):
        self.labels = column_labels
        self.writer = XlsxWriter(REPORT_HEADERS, title="导入报告")
        self.errors = 0
        self.warnings = 0
        self.sample: list[dict[str, Any]] = []

    def add(self, issue: Issue) -> None:
        if issue.severity == "error":
            self.errors += 1
        else:
            self.warnings += 1
        label = self.labels.get(issue.column, issue.column) if issue.column else "（整行）"
        severity = "错误" if issue.severity == "error" else "提示"
        self.writer.append([issue.row, label, issue.value, issue.message, severity, issue.code])
        if len(self.sample) < 200:
            self.sample.append(
                {
                    "row": issue.row,
                    "column": label,
                    "value": issue.value,
                    "code": issue.code,
                    "message": issue.message,
                    "severity": issue.severity,
                }
            )

    def add_refusal(self, code: str, message: str) -> None:
        self.writer.append(["", "（整个文件）", "", message, "错误", code])
        self.sample.append({"row": None, "column": "（整个文件）", "value": "", "code": code, "message": message,
                            "severity": "error"})  # fmt: skip

    def save(self, target: str | Path | IO[bytes]) -> None:
        self.writer.save(target)
