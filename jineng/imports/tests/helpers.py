"""Making test files: xlsx through openpyxl, csv in any encoding."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook


def write_xlsx(path: Path, rows: list[list[Any]], *, date_cells: dict[tuple[int, int], str] | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for (r, c), fmt in (date_cells or {}).items():
        ws.cell(row=r, column=c).number_format = fmt
    wb.save(path)
    return path


def write_csv(path: Path, rows: list[list[Any]], encoding: str = "utf-8", bom: bool = False) -> Path:
    text = "\r\n".join(",".join(str(c) for c in row) for row in rows) + "\r\n"
    data = text.encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path
