"""Reading uploaded spreadsheets as streams of rows, with bounded memory, and refusing files as a whole.

- ``.xlsx``: the zip's central directory is checked first (declared uncompressed size against the limit — a zip
  bomb is refused before anything is inflated — and the bytes actually inflated are counted as well); the first
  worksheet is parsed as a stream with the standard library's expat parser. Formula cells are read as their
  formula text (``FormulaText``), never evaluated and never replaced by a cached result. Date-formatted numbers
  become ISO dates. A document type declaration (DTD) anywhere is refused (entity-expansion attacks).
- ``.csv``: UTF-8 with or without BOM, UTF-16 with BOM, otherwise GB18030 (a superset of GBK); comma, tab or
  semicolon separated, detected from the first line.
- Refused as a whole (``FileRefused``, exit code 2): not a spreadsheet, an encrypted workbook, an old ``.xls``,
  a zip bomb, more rows or columns than the limits.

Why not openpyxl or python-calamine: see docs/decisions/0004-streaming-xlsx-reader.md (openpyxl's streaming mode
reads ≈ 10k rows/s; calamine holds the whole sheet in memory and returns cached formula results).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import xml.parsers.expat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any
from xml.etree import ElementTree

from django.conf import settings


class FileRefused(Exception):  # noqa: N818 - a refusal, not a programming error
    """The file is refused as a whole; nothing is written. ``code`` is stable, ``message`` Chinese."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class FormulaText(str):
    """A cell that held a formula: its text (``=SUM(A1:A3)``), read as text and never evaluated."""

    __slots__ = ()


@dataclass(frozen=True)
class Limits:
    max_rows: int
    max_columns: int
    max_uncompressed: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            max_rows=settings.JINENG_IMPORT_MAX_ROWS,
            max_columns=settings.JINENG_IMPORT_MAX_COLUMNS,
            max_uncompressed=settings.JINENG_IMPORT_MAX_UNCOMPRESSED_BYTES,
        )


NOT_SPREADSHEET = ("not_spreadsheet", "文件不是电子表格：请上传 .xlsx 或 .csv 文件。")
XLS_OLD = ("xls_not_supported", "不支持旧版 Excel（.xls）文件：请在 Excel 中“另存为” .xlsx 后再上传。")
ENCRYPTED = ("file_encrypted", "文件已加密（设置了打开密码）：请取消密码后再上传。")
CORRUPT = ("file_corrupt", "文件已损坏或不完整，无法读取。")
DTD = ("file_unsafe", "文件含有不安全的内容（DTD 声明），已拒绝。")
ENCODING = ("encoding_error", "无法识别文件编码：CSV 文件请使用 UTF-8 或 GBK/GB18030 编码保存。")
EMPTY = ("file_empty", "文件中没有数据。")
SIZE_MISMATCH = (
    "zip_size_mismatch",
    "文件内容与声明大小不符（压缩包目录记录的大小或校验值与实际内容不一致，文件已损坏或被篡改），已拒绝：请在 Excel 中重新保存后上传。",
)
# A CSV field longer than this refuses the file (bounded memory); shorter over-long cells are row errors (500).
CSV_FIELD_LIMIT = 1 << 20

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def refuse(pair: tuple[str, str]) -> FileRefused:
    return FileRefused(*pair)


class Table:
    """Rows of the first sheet: ``(row number as in the file, [cell text …])``."""

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        raise NotImplementedError

    def estimate_rows(self) -> int:
        raise NotImplementedError


def open_table(path: str | Path, *, limits: Limits | None = None, filename: str = "") -> Table:
    """Inspect a file and return its reader, or raise ``FileRefused``."""
    limits = limits or Limits.from_settings()
    path = Path(path)
    with path.open("rb") as fh:
        head = fh.read(8)
    name = (filename or path.name).lower()
    if not head:
        raise refuse(EMPTY)
    if head.startswith(_OLE_MAGIC):
        with path.open("rb") as fh:
            blob = fh.read(4 * 1024 * 1024)
        raise refuse(ENCRYPTED if _ENCRYPTED_PACKAGE in blob else XLS_OLD)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return XlsxTable(path, limits)
    if name.endswith((".xlsx", ".xlsm", ".xls")):
        raise refuse(XLS_OLD if name.endswith(".xls") else CORRUPT)
    return CsvTable(path, limits)


# ---- xlsx ---------------------------------------------------------------------------------------------------------

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_BUILTIN_DATE_FORMATS = set(range(14, 23)) | set(range(27, 37)) | set(range(45, 48)) | set(range(50, 59))
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")
_DATE_TOKENS = re.compile(r"(\"[^\"]*\"|\\.|\[[^\]]*\])")


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + (ord(ch) - 64)
    return index - 1


def _is_date_format(code: str) -> bool:
    stripped = _DATE_TOKENS.sub("", code).lower()
    return any(ch in stripped for ch in "ymdhs") and "general" not in stripped


def _local(tag: str) -> str:
    return tag.rpartition(":")[2].rpartition("}")[2]


class _Budget:
    """Counts bytes actually inflated: a zip whose directory lies about sizes is still stopped."""

    def __init__(self, limit: int, used: int = 0):
        self.limit = limit
        self.used = used

    def take(self, n: int) -> None:
        self.used += n
        if self.used > self.limit:
            raise FileRefused(
                "zip_bomb", f"文件解压后超过 {self.limit // (1024 * 1024)} MB 的上限（疑似压缩炸弹），已拒绝。"
            )


class XlsxTable(Table):
    def __init__(self, path: Path, limits: Limits):
        self.path = path
        self.limits = limits
        try:
            self.zip = zipfile.ZipFile(path)
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError):
            raise refuse(CORRUPT) from None
        names = {i.filename for i in infos}
        if "xl/workbook.xml" not in names:
            raise refuse(NOT_SPREADSHEET)
        if any(i.flag_bits & 0x1 for i in infos):
            raise refuse(ENCRYPTED)
        declared = sum(i.file_size for i in infos)
        if declared > limits.max_uncompressed:
            raise FileRefused(
                "zip_bomb",
                f"文件解压后约 {declared // (1024 * 1024)} MB，超过 {limits.max_uncompressed // (1024 * 1024)} MB "
                "的上限（疑似压缩炸弹），已拒绝。",
            )
        self.budget = _Budget(limits.max_uncompressed)
        self.sheet_path, self.date1904 = self._first_sheet()
        if self.sheet_path not in names:
            raise refuse(CORRUPT)
        self.date_styles = self._date_styles() if "xl/styles.xml" in names else set()
        self._shared: list[str] | None = None
        self._has_shared = "xl/sharedStrings.xml" in names

    def _read_small(self, name: str) -> bytes:
        try:
            with self.zip.open(name) as fh:
                data = fh.read(self.limits.max_uncompressed + 1)
        except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError):
            raise refuse(SIZE_MISMATCH) from None
        self.budget.take(len(data))
        if len(data) != self.zip.getinfo(name).file_size:
            raise refuse(SIZE_MISMATCH)
        if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:4096]:
            raise refuse(DTD)
        return data

    def _first_sheet(self) -> tuple[str, bool]:
        try:
            workbook = ElementTree.fromstring(self._read_small("xl/workbook.xml"))  # noqa: S314 - DTDs refused above
            rels = ElementTree.fromstring(self._read_small("xl/_rels/workbook.xml.rels"))  # noqa: S314
        except (ElementTree.ParseError, KeyError):
            raise refuse(CORRUPT) from None
        pr = workbook.find(f"{_NS_MAIN}workbookPr")
        date1904 = pr is not None and pr.get("date1904", "0") in ("1", "true")
        sheet = workbook.find(f"{_NS_MAIN}sheets/{_NS_MAIN}sheet")
        if sheet is None:
            raise refuse(EMPTY)
        rid = sheet.get(f"{_NS_REL}id")
        for rel in rels.iter(f"{_NS_PKG_REL}Relationship"):
            if rel.get("Id") == rid:
                target = rel.get("Target", "")
                if target.startswith("/"):
                    return target.lstrip("/"), date1904
                return str(PurePosixPath("xl") / target), date1904
        raise refuse(CORRUPT)

    def _date_styles(self) -> set[int]:
        try:
            styles = ElementTree.fromstring(self._read_small("xl/styles.xml"))  # noqa: S314 - DTDs refused above
        except ElementTree.ParseError:
            raise refuse(CORRUPT) from None
        custom = {int(n.get("numFmtId", "0")): n.get("formatCode", "") for n in styles.iter(f"{_NS_MAIN}numFmt")}
        dates: set[int] = set()
        xfs = styles.find(f"{_NS_MAIN}cellXfs")
        if xfs is None:
            return dates
        for index, xf in enumerate(xfs.findall(f"{_NS_MAIN}xf")):
            fmt = int(xf.get("numFmtId", "0"))
            if fmt in _BUILTIN_DATE_FORMATS or (fmt in custom and _is_date_format(custom[fmt])):
                dates.add(index)
        return dates

    def _stream(self, name: str) -> Iterator[bytes]:
        # The sheet is inflated once per pass (row estimate, check pass, write pass): each pass counts from what the
        # parts read once (workbook, styles, shared strings) inflated, so a file within the limit is never refused
        # for being read twice, and one beyond it is refused on every pass.
        budget = _Budget(self.budget.limit, self.budget.used) if name == self.sheet_path else self.budget
        declared = self.zip.getinfo(name).file_size
        inflated = 0
        # A directory that lies about a part's size (or its CRC) is refused with its own code, never a raw
        # ``BadZipFile``: zipfile stops at the declared size and then fails the CRC, or a larger declared size
        # simply ends early — both are caught here, on every pass.
        try:
            with self.zip.open(name) as fh:
                while True:
                    chunk = fh.read(1 << 20)
                    if not chunk:
                        break
                    budget.take(len(chunk))
                    inflated += len(chunk)
                    yield chunk
        except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError):
            raise refuse(SIZE_MISMATCH) from None
        if inflated != declared:
            raise refuse(SIZE_MISMATCH)

    @staticmethod
    def _parser() -> Any:
        parser = xml.parsers.expat.ParserCreate()
        parser.buffer_text = True

        def no_doctype(*args: Any) -> None:
            raise refuse(DTD)

        parser.StartDoctypeDeclHandler = no_doctype
        parser.EntityDeclHandler = no_doctype
        return parser

    def shared_strings(self) -> list[str]:
        if self._shared is not None:
            return self._shared
        strings: list[str] = []
        if self._has_shared:
            parser = self._parser()
            state = {"depth_rph": 0, "in_t": False}
            parts: list[str] = []

            def start(tag: str, attrs: dict[str, str]) -> None:
                local = _local(tag)
                if local == "si":
                    parts.clear()
                elif local == "rPh":
                    state["depth_rph"] += 1
                elif local == "t" and not state["depth_rph"]:
                    state["in_t"] = True

            def end(tag: str) -> None:
                local = _local(tag)
                if local == "si":
                    strings.append("".join(parts))
                elif local == "rPh":
                    state["depth_rph"] -= 1
                elif local == "t":
                    state["in_t"] = False

            def chars(data: str) -> None:
                if state["in_t"]:
                    parts.append(data)

            parser.StartElementHandler = start
            parser.EndElementHandler = end
            parser.CharacterDataHandler = chars
            self._feed(parser, "xl/sharedStrings.xml")
        self._shared = strings
        return strings

    def _feed(self, parser: Any, name: str) -> None:
        try:
            for chunk in self._stream(name):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except xml.parsers.expat.ExpatError:
            raise refuse(CORRUPT) from None

    def estimate_rows(self) -> int:
        """Rows in the sheet, counted from the raw XML (fast): used for the limit and the progress total."""
        pattern = re.compile(rb"<(?:\w+:)?row[\s>/]")
        count = 0
        tail = b""
        for chunk in self._stream(self.sheet_path):
            data = tail + chunk
            count += len(pattern.findall(data[: len(data) - 8] if len(data) > 8 else b""))
            tail = data[len(data) - 8 :] if len(data) > 8 else data
        count += len(pattern.findall(tail))
        return count

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        shared = self.shared_strings()
        # Excel serials carry no time zone: computed in UTC and written without one (wall-clock date and time).
        base = dt.datetime(1904, 1, 1, tzinfo=dt.UTC) if self.date1904 else dt.datetime(1899, 12, 30, tzinfo=dt.UTC)
        parser = self._parser()
        ready: list[tuple[int, list[str]]] = []
        cur: dict[str, Any] = {"row": 0, "cells": {}, "col": -1, "type": "", "style": -1, "formula": None}
        text: list[str] = []
        flags = {"collect": False, "rph": 0, "next_row": 1}
        max_columns = self.limits.max_columns
        names: dict[str, str] = {}  # tag → local name: a sheet has a handful of tags and a million events

        def start(tag: str, attrs: dict[str, str]) -> None:
            local = names.get(tag) or names.setdefault(tag, _local(tag))
            if local == "row":
                number = attrs.get("r")
                cur["row"] = int(number) if number else flags["next_row"]
                cur["cells"] = {}
                cur["next_col"] = 0
            elif local == "c":
                ref = attrs.get("r", "")
                m = _CELL_REF.match(ref)
                cur["col"] = _column_index(m.group(1)) if m else cur.get("next_col", 0)
                cur["next_col"] = cur["col"] + 1
                if cur["col"] >= max_columns:
                    raise FileRefused("too_many_columns", f"文件列数超过 {max_columns} 列的上限，已拒绝。")
                cur["type"] = attrs.get("t", "n")
                cur["style"] = int(attrs.get("s", "-1"))
                cur["formula"] = None
                cur["value"] = None
                cur["inline"] = []
            elif local in ("v", "f") or (local == "t" and not flags["rph"]):
                flags["collect"] = True
                text.clear()
            elif local == "rPh":
                flags["rph"] += 1

        def end(tag: str) -> None:
            local = names.get(tag) or names.setdefault(tag, _local(tag))
            if local == "v":
                cur["value"] = "".join(text)
                flags["collect"] = False
            elif local == "f":
                cur["formula"] = "".join(text)
                flags["collect"] = False
            elif local == "t" and not flags["rph"]:
                cur["inline"].append("".join(text))
                flags["collect"] = False
            elif local == "rPh":
                flags["rph"] -= 1
            elif local == "c":
                cur["cells"][cur["col"]] = self._cell_value(cur, shared, base)
            elif local == "row":
                cells = cur["cells"]
                width = max(cells) + 1 if cells else 0
                ready.append((cur["row"], [cells.get(i, "") for i in range(width)]))
                flags["next_row"] = cur["row"] + 1

        def chars(data: str) -> None:
            if flags["collect"]:
                text.append(data)

        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = chars
        try:
            for chunk in self._stream(self.sheet_path):
                parser.Parse(chunk, False)
                if ready:
                    yield from ready
                    ready.clear()
            parser.Parse(b"", True)
        except xml.parsers.expat.ExpatError:
            raise refuse(CORRUPT) from None
        except zipfile.BadZipFile:
            raise refuse(CORRUPT) from None
        yield from ready

    def _cell_value(self, cur: dict[str, Any], shared: list[str], base: dt.datetime) -> str:
        if cur["formula"] is not None:
            return FormulaText("=" + cur["formula"])
        kind = cur["type"]
        value = cur["value"]
        if kind == "inlineStr":
            return "".join(cur["inline"])
        if value is None:
            return ""
        if kind == "s":
            try:
                return shared[int(value)]
            except (ValueError, IndexError):
                raise refuse(CORRUPT) from None
        if kind == "b":
            return "TRUE" if value == "1" else "FALSE"
        if kind in ("str", "e", "d"):
            return str(value)
        if cur["style"] in self.date_styles:
            try:
                serial = float(value)
                moment = base + dt.timedelta(days=serial)
            except (ValueError, OverflowError):
                return str(value)
            if serial == int(serial):
                return moment.date().isoformat()
            return moment.replace(tzinfo=None).isoformat(timespec="seconds")
        return str(value)


# ---- csv ----------------------------------------------------------------------------------------------------------


def detect_encoding(sample: bytes) -> str:
    """utf-8-sig (BOM), utf-16 (BOM), utf-8, else gb18030 (GBK is a subset); raises for anything else."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in sample:
        raise refuse(NOT_SPREADSHEET)
    for encoding in ("utf-8", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            decoder.decode(sample, final=False)  # a multi-byte character cut at the end of the sample is fine
        except UnicodeDecodeError:
            continue
        return encoding
    raise refuse(ENCODING)


class CsvTable(Table):
    def __init__(self, path: Path, limits: Limits):
        self.path = path
        self.limits = limits
        with path.open("rb") as fh:
            sample = fh.read(1 << 20)
        if sample.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
            raise refuse(NOT_SPREADSHEET)
        self.encoding = detect_encoding(sample)
        first_line = sample.decode(self.encoding, errors="ignore").splitlines()[0] if sample.strip() else ""
        counts = {d: first_line.count(d) for d in (",", "\t", ";")}
        self.delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","

    def _text(self) -> IO[str]:
        return io.TextIOWrapper(self.path.open("rb"), encoding=self.encoding, newline="", errors="strict")

    def estimate_rows(self) -> int:
        count = 0
        last = b""
        with self.path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                count += chunk.count(b"\n")
                last = chunk
        return count + (1 if last and not last.endswith(b"\n") else 0)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        csv.field_size_limit(CSV_FIELD_LIMIT)
        max_columns = self.limits.max_columns
        number = 0
        try:
            with self._text() as fh:
                reader = csv.reader(fh, delimiter=self.delimiter)
                for number, row in enumerate(reader, start=1):
                    if len(row) > max_columns and any(cell.strip() for cell in row[max_columns:]):
                        raise FileRefused("too_many_columns", f"文件列数超过 {max_columns} 列的上限，已拒绝。")
                    yield number, row
        except UnicodeDecodeError:
            raise refuse(ENCODING) from None
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                row_number = number + 1
                column = self._long_column(row_number)
                raise FileRefused(
                    "cell_too_long",
                    f"第 {row_number} 行第 {column_letter(column)} 列的单元格超过 {CSV_FIELD_LIMIT} 个字符的上限，"
                    "已拒绝整个文件：请检查该单元格（是否缺少引号的结束符）。",
                ) from None
            raise refuse(CORRUPT) from None

    def _long_column(self, row_number: int) -> int:
        """The 0-based column of the first over-long field of record ``row_number`` (re-read with bounded memory:
        the records before it through csv, then that record character by character, never holding the field)."""
        with self._text() as fh:
            reader = csv.reader(fh, delimiter=self.delimiter)
            for _ in range(row_number - 1):
                next(reader)
            column, length, quoted, after_quote = 0, 0, False, False
            while chunk := fh.read(1 << 16):
                for ch in chunk:
                    if quoted:
                        if ch == '"':
                            quoted, after_quote = False, True
                        else:
                            length += 1
                    elif ch == '"':
                        if after_quote:
                            length += 1  # a doubled quote inside a quoted field
                        quoted, after_quote = True, False
                    elif ch == self.delimiter:
                        column, length, after_quote = column + 1, 0, False
                    elif ch in "\r\n":
                        return column
                    else:
                        length += 1
                        after_quote = False
                    if length > CSV_FIELD_LIMIT:
                        return column
        return column


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column as a spreadsheet names it."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
