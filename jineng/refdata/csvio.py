"""Reading reference-data CSV files: every record keeps its line number, every bad value becomes a coded error that
names the line, and a file with any error is rejected whole (the loaders write nothing)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from jineng.common.errors import FieldError, ValidationFailed


@dataclass(frozen=True)
class CsvRecord:
    line: int
    values: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.values.get(key, "")


@dataclass
class RowErrors:
    """Collects the errors of one file; ``raise_if_any`` rejects the file with all of them."""

    label: str
    errors: list[FieldError] = field(default_factory=list)

    def add(self, line: int, column: str, code: str, reason: str) -> None:
        self.errors.append(FieldError(column, code, f"第 {line} 行：{reason}", line))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationFailed(f"{self.label}文件有错误，未做任何修改。", self.errors, code="malformed_file")

    def required(self, rec: CsvRecord, column: str) -> str:
        value = rec[column]
        if not value:
            self.add(rec.line, column, "required", f"{column} 不能为空")
        return value

    def integer(self, rec: CsvRecord, column: str, *, required: bool = True) -> int | None:
        text = rec[column]
        if not text:
            if required:
                self.add(rec.line, column, "required", f"{column} 不能为空")
            return None
        try:
            return int(text)
        except ValueError:
            self.add(rec.line, column, "bad_integer", f"{column} 须为整数：{text!r}")
            return None

    def decimal(self, rec: CsvRecord, column: str) -> Decimal | None:
        text = rec[column]
        try:
            return Decimal(text)
        except InvalidOperation:
            self.add(rec.line, column, "bad_number", f"{column} 须为数字：{text!r}")
            return None

    def boolean(self, rec: CsvRecord, column: str) -> bool:
        text = rec[column].lower()
        if text in {"1", "true", "yes", "是", "y"}:
            return True
        if text in {"", "0", "false", "no", "否", "n"}:
            return False
        self.add(rec.line, column, "bad_boolean", f"{column} 须为 0 或 1：{rec[column]!r}")
        return False

    def choice(self, rec: CsvRecord, column: str, allowed: set[str] | frozenset[str]) -> str:
        value = rec[column]
        if value not in allowed:
            shown = "、".join(sorted(a or "（空）" for a in allowed))
            self.add(rec.line, column, "bad_choice", f"{column} 取值不正确：{value!r}（可选：{shown}）")
        return value


def read_csv(path: Path, *, columns: set[str], label: str) -> list[CsvRecord]:
    """All records of ``path`` with their line numbers, values stripped. Missing columns, undecodable bytes or a
    broken CSV structure reject the file."""
    try:
        return list(_records(path, columns, label))
    except FileNotFoundError:
        raise ValidationFailed(f"{label}文件不存在：{path}", code="file_not_found") from None
    except UnicodeDecodeError as exc:
        raise ValidationFailed(f"{label}文件不是 UTF-8 编码：{exc.reason}", code="bad_encoding") from None


def _records(path: Path, columns: set[str], label: str) -> Iterator[CsvRecord]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, strict=True)
        try:
            header = [h.strip() for h in next(reader, [])]
        except csv.Error as exc:
            raise ValidationFailed(f"{label}文件第 1 行无法解析：{exc}", code="malformed_file") from None
        missing = columns - set(header)
        if missing:
            raise ValidationFailed(f"{label}文件缺少列：{', '.join(sorted(missing))}", code="missing_columns")
        errors = RowErrors(label)
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                errors.add(reader.line_num, "", "bad_csv", f"无法解析：{exc}")
                break
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                errors.add(reader.line_num, "", "bad_columns", f"应有 {len(header)} 列，实有 {len(row)} 列")
                continue
            yield CsvRecord(reader.line_num, {h: cell.strip() for h, cell in zip(header, row, strict=True)})
        errors.raise_if_any()
