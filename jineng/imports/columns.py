"""Columns of an import: matching the header row by Chinese names, and normalizing cell text.

Header names are compared after NFKC (full-width letters, digits and spaces become half-width), with every space
removed, required-field markers (``*``) and a trailing note in brackets (``手机号码（选填）``) dropped, and letters
lower-cased. Each column lists its synonyms (``身份证号/身份证号码/公民身份号码/证件号码``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from jineng.imports.readers import FileRefused, FormulaText


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the canonical Chinese header
    synonyms: tuple[str, ...] = ()
    required: bool = False
    sensitive: str = ""  # "id_number" | "phone" | "bank_account": how to mask the value in a report

    def names(self) -> set[str]:
        return {header_key(self.label)} | {header_key(s) for s in self.synonyms}


@dataclass(frozen=True)
class CellRule:
    """What a template's column accepts, as a spreadsheet's data validation (a dropdown, or whole numbers): the
    values the importer reads — an importer that offers a rule accepts exactly those values and names them when it
    refuses another (issue 15: the roster template had no 人员类别 list and its error listed none)."""

    values: tuple[str, ...] = ()  # the dropdown
    several: bool = False  # several values in one cell, joined by 、 (the dropdown then only suggests)
    strict: bool = True  # False: the dropdown suggests, other text may be typed (a region name outside the list)
    whole: tuple[int, int] | None = None  # whole numbers between these bounds
    prompt: str = ""

    def listing(self, limit: int = 40) -> str:
        shown = "、".join(self.values[:limit])
        return shown + ("等" if len(self.values) > limit else "")


_NOTE = re.compile(r"[(\[（【].*?[)\]）】]$")
_SPACE = re.compile(r"\s+")
_UNCLEAN = re.compile(r"^\s|\s$|\s\s|[^\S ]")  # what the collapsing and trimming would change


def header_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text or ""))
    text = _SPACE.sub("", text).replace("*", "").replace("＊", "")
    previous = None
    while previous != text:
        previous = text
        text = _NOTE.sub("", text)
    return text.strip(":：").lower()


def clean_text(value: str) -> str:
    """Full-width → half-width (NFKC), non-breaking and ideographic spaces → spaces, runs collapsed, trimmed."""
    if isinstance(value, FormulaText):
        return value
    text = str(value or "")
    # Most cells are already clean: checking is several times cheaper than normalizing (an import cleans every cell).
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if "\u200b" in text or "\ufeff" in text:
        text = text.replace("\u200b", "").replace("\ufeff", "")
    if _UNCLEAN.search(text) is None:
        return text
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class HeaderMatch:
    row_number: int
    positions: dict[str, int]  # column key → index in the row
    width: int


def match_header(rows: Sequence[tuple[int, list[str]]], columns: Sequence[Column], *, max_columns: int) -> HeaderMatch:
    """Find the header among the first rows (title rows above it are skipped) or refuse the file."""
    best: tuple[int, int, dict[str, int], int] | None = None
    for row_number, cells in rows:
        keys = [header_key(c) for c in cells]
        positions: dict[str, int] = {}
        for column in columns:
            names = column.names()
            for index, key in enumerate(keys):
                if key and key in names and index not in positions.values():
                    positions[column.key] = index
                    break
        score = sum(1 for c in columns if c.key in positions)
        width = len([k for k in keys if k]) and (max(i for i, k in enumerate(keys) if k) + 1)
        if score and (best is None or score > best[0]):
            best = (score, row_number, positions, width)
    if best is None:
        required = "、".join(c.label for c in columns if c.required)
        raise FileRefused("missing_columns", f"找不到表头：文件须包含以下列：{required}。")
    _score, row_number, positions, width = best
    if width > max_columns:
        raise FileRefused("too_many_columns", f"文件列数 {width} 超过 {max_columns} 列的上限，已拒绝。")
    missing = [c.label for c in columns if c.required and c.key not in positions]
    if missing:
        raise FileRefused("missing_columns", f"缺少必需的列：{'、'.join(missing)}（第 {row_number} 行为表头）。")
    return HeaderMatch(row_number, positions, width)


# ---- value parsers for importers ------------------------------------------------------------------------------

_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]


def parse_date(text: str, *, date1904: bool = False) -> dt.date | None:
    """``2024-05-01``, ``2024/5/1``, ``2024年5月1日``, ``20240501`` or an Excel date serial (``45413``)."""
    text = clean_text(text)
    if not text:
        return None
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    if re.fullmatch(r"\d{3,5}(\.0+)?", text):
        base = dt.date(1904, 1, 1) if date1904 else dt.date(1899, 12, 30)
        return base + dt.timedelta(days=int(float(text)))
    return None


def parse_int(text: str) -> int | None:
    text = clean_text(text)
    if re.fullmatch(r"-?\d+(\.0+)?", text):
        return int(float(text)) if "." in text else int(text)
    return None


def split_list(text: str) -> list[str]:
    """``农民工、脱贫人口`` / ``农民工,脱贫人口`` / ``农民工；脱贫人口`` → the items."""
    return [item.strip() for item in re.split(r"[、,，;；/|]+", clean_text(text)) if item.strip()]
