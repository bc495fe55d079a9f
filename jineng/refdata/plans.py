"""Plans and their targets (规划与指标): loading ``plans.csv`` and ``plan_targets.csv``, checking every normalized
value against the figure as written, and reading them back.

A target's ``raw_value`` is the figure exactly as the document writes it (``≥7500万``, ``〔700〕``, ``2—3 个``);
``scale`` turns its number into base units (10000 where the figure or the row's unit says 万); the loader refuses a
row whose ``value`` is not that product, so a typo in either column is caught on load.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.db.models import QuerySet

from jineng.common.errors import NotFound
from jineng.refdata.bulk import upsert_rows
from jineng.refdata.csvio import CsvRecord, RowErrors, read_csv
from jineng.refdata.models import (
    Plan,
    PlanTarget,
    Region,
    RegionLevel,
    TargetAttribute,
    TargetComparator,
    TargetKind,
    TargetUnit,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
SEEDS_DIR = DATA_DIR / "seeds"
PLANS_CSV = DATA_DIR / "plans.csv"
TARGETS_CSV = DATA_DIR / "plan_targets.csv"

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_LINES = re.compile(r"^(\d+)(?:-(\d+))?$")
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_SCALES = {1, 10000}


def raw_numbers(raw: str) -> list[Decimal]:
    """The numbers a figure as written contains: ``≥17.6 万`` → [17.6]; ``2—3 个`` → [2, 3]."""
    return [Decimal(n) for n in _NUMBER.findall(raw or "")]


def parse_lines(text: str) -> tuple[int, int] | None:
    m = _LINES.match(text or "")
    if not m:
        return None
    start = int(m.group(1))
    end = int(m.group(2) or start)
    return (start, end) if 1 <= start <= end else None


def seed_excerpt(seed_file: str, lines: str) -> str:
    """The cited lines of a vendored seed, blank lines dropped (for showing the source beside a target)."""
    span = parse_lines(lines)
    path = SEEDS_DIR / seed_file
    if not seed_file or span is None or not path.is_file():
        return ""
    text = path.read_text(encoding="utf-8").splitlines()
    return "\n".join(line.strip() for line in text[span[0] - 1 : span[1]] if line.strip())


# ---- plans -----------------------------------------------------------------------------------------------------


@transaction.atomic
def load_plans(path: Path | None) -> dict[str, int]:
    """``code,name,issuer,document_number,document_number_cite,issued_on,region,period_start,period_end,seed_file,
    seed_sha256,note``."""
    columns = {"code", "name", "issuer", "document_number", "issued_on", "region", "period_start", "period_end"}
    records = read_csv(path or PLANS_CSV, columns=columns | {"seed_file", "seed_sha256"}, label="规划")
    errors = RowErrors("规划")
    current_regions = set(Region.objects.current().values_list("code", flat=True))
    rows: dict[str, dict[str, object]] = {}
    for rec in records:
        code = rec["code"]
        if not _SLUG.match(code):
            errors.add(rec.line, "code", "bad_code", f"规划代码须为小写英文短横线代码：{code!r}")
        if code in rows:
            errors.add(rec.line, "code", "duplicate_code", f"规划代码重复：{code}")
        if rec["region"] not in current_regions:
            errors.add(rec.line, "region", "unknown_region", f"行政区划代码不存在或已撤销：{rec['region']!r}")
        start, end = errors.integer(rec, "period_start"), errors.integer(rec, "period_end")
        if start is not None and end is not None and end < start:
            errors.add(rec.line, "period_end", "before_start", f"规划期结束早于开始：{start}–{end}")
        issued_on = None
        if rec["issued_on"]:
            try:
                issued_on = dt.date.fromisoformat(rec["issued_on"])
            except ValueError:
                errors.add(rec.line, "issued_on", "bad_date", f"成文日期须为 YYYY-MM-DD：{rec['issued_on']!r}")
        _check_seed(rec, errors)
        rows[code] = {
            "name": errors.required(rec, "name"),
            "issuer": errors.required(rec, "issuer"),
            "document_number": errors.required(rec, "document_number"),
            "issued_on": issued_on,
            "region_id": rec["region"],
            "period_start": start,
            "period_end": end,
            "seed_file": rec["seed_file"],
            "seed_sha256": rec["seed_sha256"],
            "note": rec["note"][:300],
        }
    errors.raise_if_any()
    existing = {p.code: p for p in Plan.objects.all()}
    created, updated = upsert_rows(Plan, rows, existing, lambda code: {"code": code})
    return {"created": created, "updated": updated}


def _check_seed(rec: CsvRecord, errors: RowErrors) -> None:
    """A plan that cites a seed must ship it, unchanged: its sha256 is recorded beside it."""
    seed_file = rec["seed_file"]
    if not seed_file:
        return
    path = SEEDS_DIR / seed_file
    if "/" in seed_file or not path.is_file():
        errors.add(rec.line, "seed_file", "unknown_seed", f"原文文件不存在：{seed_file!r}")
        return
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if rec["seed_sha256"] != digest:
        errors.add(rec.line, "seed_sha256", "seed_changed", f"原文文件 {seed_file} 的 sha256 与记录不符")


# ---- targets ---------------------------------------------------------------------------------------------------

_TARGET_COLUMNS = {
    "plan",
    "seq",
    "indicator",
    "name",
    "parent",
    "region",
    "applies_to_each",
    "period_start",
    "period_end",
    "raw_value",
    "scale",
    "value",
    "value_max",
    "unit",
    "kind",
    "comparator",
    "attribute",
    "baseline_raw",
    "baseline",
    "baseline_period",
    "opening_stock_raw",
    "opening_stock",
    "opening_stock_year",
    "opening_stock_lines",
    "source_section",
    "seed_lines",
    "note",
}


def _normalized(
    errors: RowErrors, rec: CsvRecord, raw_column: str, column: str, scale: int, *, count: int = 1
) -> list[int]:
    """Check that ``column`` (and ``value_max`` for a range) is the figure of ``raw_column`` times ``scale``."""
    numbers = raw_numbers(rec[raw_column])
    if len(numbers) != count:
        errors.add(rec.line, raw_column, "bad_raw_value", f"{raw_column} 应含 {count} 个数字：{rec[raw_column]!r}")
        return []
    expected = [n * scale for n in numbers]
    if any(e != e.to_integral_value() for e in expected):
        errors.add(rec.line, column, "not_integral", f"{rec[raw_column]!r} × {scale} 不是整数")
        return []
    given_columns = [column] if count == 1 else [column, "value_max"]
    result = []
    for col, want in zip(given_columns, expected, strict=True):
        given = errors.integer(rec, col)
        if given is not None and given != int(want):
            errors.add(
                rec.line,
                col,
                "value_mismatch",
                f"{col} 应为 {rec[raw_column]!r} × {scale} = {int(want)}，实为 {given}",
            )
        result.append(int(want))
    return result


def read_targets_csv(path: Path) -> list[dict[str, object]]:
    records = read_csv(path, columns=_TARGET_COLUMNS, label="规划指标")
    errors = RowErrors("规划指标")
    plans = {p.code: p for p in Plan.objects.all()}
    current_regions = set(Region.objects.current().values_list("code", flat=True))
    rows: list[dict[str, object]] = []
    seen: dict[tuple[str, str], CsvRecord] = {}
    for rec in records:
        plan = plans.get(rec["plan"])
        if plan is None:
            errors.add(rec.line, "plan", "unknown_plan", f"规划代码不存在：{rec['plan']!r}")
        indicator = rec["indicator"]
        if not _SLUG.match(indicator):
            errors.add(rec.line, "indicator", "bad_code", f"指标代码须为小写英文短横线代码：{indicator!r}")
        if (rec["plan"], indicator) in seen:
            errors.add(rec.line, "indicator", "duplicate_indicator", f"同一规划的指标代码重复：{indicator}")
        seen[(rec["plan"], indicator)] = rec
        if rec["region"] not in current_regions:
            errors.add(rec.line, "region", "unknown_region", f"行政区划代码不存在或已撤销：{rec['region']!r}")
        errors.choice(rec, "applies_to_each", {""} | {c.value for c in RegionLevel if c != RegionLevel.COUNTRY})
        start, end = errors.integer(rec, "period_start"), errors.integer(rec, "period_end")
        if start is not None and end is not None:
            if end < start:
                errors.add(rec.line, "period_end", "before_start", f"期间结束早于开始：{start}–{end}")
            elif plan is not None and not (plan.period_start <= start and end <= plan.period_end):
                errors.add(
                    rec.line,
                    "period_start",
                    "outside_plan",
                    f"期间 {start}–{end} 超出规划期 {plan.period_start}–{plan.period_end}",
                )
        unit = errors.choice(rec, "unit", {c.value for c in TargetUnit})
        kind = errors.choice(rec, "kind", {c.value for c in TargetKind})
        comparator = errors.choice(rec, "comparator", {c.value for c in TargetComparator})
        errors.choice(rec, "attribute", {c.value for c in TargetAttribute})
        scale = errors.integer(rec, "scale")
        values: list[int] = []
        baseline: list[int] = []
        opening: list[int] = []
        opening_year: int | None = None
        if scale is not None and scale not in _SCALES:
            errors.add(rec.line, "scale", "bad_scale", f"scale 须为 1 或 10000：{scale}")
        elif scale is not None:
            if "万" in rec["raw_value"] and scale != 10000:
                errors.add(rec.line, "scale", "bad_scale", f"{rec['raw_value']!r} 以万计，scale 应为 10000")
            values = _normalized(errors, rec, "raw_value", "value", scale, count=2 if comparator == "between" else 1)
            if comparator != "between" and rec["value_max"]:
                errors.add(rec.line, "value_max", "unexpected", "只有区间目标（between）才有 value_max")
            if rec["baseline_raw"] or rec["baseline"]:
                baseline = _normalized(errors, rec, "baseline_raw", "baseline", scale)
                errors.required(rec, "baseline_period")
            if rec["opening_stock_raw"] or rec["opening_stock"]:
                if kind != TargetKind.STOCK:
                    errors.add(rec.line, "opening_stock", "not_a_stock", "只有期末总量（stock）目标才有期初存量")
                opening = _normalized(errors, rec, "opening_stock_raw", "opening_stock", scale)
                opening_year = errors.integer(rec, "opening_stock_year")
                if parse_lines(rec["opening_stock_lines"]) is None:
                    errors.add(rec.line, "opening_stock_lines", "bad_lines", "期初存量须注明原文行号（如 46-48）")
        if parse_lines(rec["seed_lines"]) is None:
            errors.add(rec.line, "seed_lines", "bad_lines", f"原文行号格式不正确：{rec['seed_lines']!r}（如 198-201）")
        errors.required(rec, "source_section")
        rows.append(
            {
                "line": rec.line,
                "plan_id": rec["plan"],
                "indicator": indicator,
                "parent": rec["parent"],
                "seq": errors.integer(rec, "seq"),
                "name": errors.required(rec, "name"),
                "region_id": rec["region"],
                "applies_to_each": rec["applies_to_each"],
                "period_start": start,
                "period_end": end,
                "raw_value": errors.required(rec, "raw_value"),
                "value": values[0] if values else None,
                "value_max": values[1] if len(values) > 1 else None,
                "unit": unit,
                "kind": kind,
                "comparator": comparator,
                "attribute": rec["attribute"],
                "baseline": baseline[0] if baseline else None,
                "baseline_raw": rec["baseline_raw"],
                "baseline_period": rec["baseline_period"],
                "opening_stock": opening[0] if opening else None,
                "opening_stock_year": opening_year,
                "opening_stock_source": (
                    f"{plan.seed_file}:{rec['opening_stock_lines']} {rec['opening_stock_raw']}"
                    if opening and plan
                    else ""
                ),
                "source_section": rec["source_section"][:100],
                "seed_lines": rec["seed_lines"],
                "note": rec["note"][:300],
            }
        )
    errors.raise_if_any()
    in_db = set(PlanTarget.objects.values_list("plan_id", "indicator"))
    units = {(r["plan_id"], r["indicator"]): r["unit"] for r in rows}
    units.update(
        {(p, i): u for p, i, u in PlanTarget.objects.values_list("plan_id", "indicator", "unit") if (p, i) not in units}
    )
    for r in rows:
        parent = str(r["parent"])
        if not parent:
            continue
        key = (str(r["plan_id"]), parent)
        line = int(str(r["line"]))
        if parent == r["indicator"]:
            errors.add(line, "parent", "self_parent", "指标不能以自身为上级")
        elif key not in seen and key not in in_db:
            errors.add(line, "parent", "unknown_parent", f"上级指标不存在：{r['plan_id']}/{parent}")
        elif units.get(key) != r["unit"]:
            errors.add(line, "parent", "unit_mismatch", f"“其中”指标的单位须与上级指标 {parent} 相同")
    errors.raise_if_any()
    return rows


@transaction.atomic
def targets_load(rows: list[dict[str, object]]) -> dict[str, int]:
    """Insert or update targets by (plan, indicator), then link the 其中 rows to their parents. Idempotent."""
    existing = {(t.plan_id, t.indicator): t for t in PlanTarget.objects.all()}
    fields = [k for k in rows[0] if k not in {"line", "plan_id", "indicator", "parent"}] if rows else []
    created = updated = 0
    for r in rows:
        key = (str(r["plan_id"]), str(r["indicator"]))
        values = {k: r[k] for k in fields}
        obj = existing.get(key)
        if obj is None:
            existing[key] = PlanTarget.objects.create(plan_id=key[0], indicator=key[1], **values)
            created += 1
        elif any(getattr(obj, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(obj, k, v)
            obj.save()
            updated += 1
    relinked = 0
    for r in rows:
        obj = existing[(str(r["plan_id"]), str(r["indicator"]))]
        parent = existing.get((str(r["plan_id"]), str(r["parent"]))) if r["parent"] else None
        parent_id = parent.pk if parent is not None else None
        if obj.parent_id != parent_id:
            PlanTarget.objects.filter(pk=obj.pk).update(parent_id=parent_id)
            relinked += 1
    return {"created": created, "updated": updated, "parents_linked": relinked}


def load_plan_targets(path: Path | None) -> dict[str, int]:
    return targets_load(read_targets_csv(path or TARGETS_CSV))


# ---- reads -----------------------------------------------------------------------------------------------------


def plan_list() -> QuerySet[Plan]:
    return Plan.objects.select_related("region").order_by("region_id", "period_start", "code")


def plan_get(code: str) -> Plan:
    plan = Plan.objects.select_related("region").filter(code=code).first()
    if plan is None:
        raise NotFound(f"规划不存在：{code}", code="unknown_plan")
    return plan


def plan_targets(plan_code: str) -> QuerySet[PlanTarget]:
    """The targets of one plan, in the order the document lists them (NotFound for an unknown plan)."""
    plan = plan_get(plan_code)
    return PlanTarget.objects.filter(plan=plan).select_related("plan", "region", "parent").order_by("seq")


def targets_for(*, indicator: str | None = None, region_code: str | None = None) -> QuerySet[PlanTarget]:
    """Targets across plans, e.g. every ``subsidized-training`` target, or every target set for a region."""
    qs = PlanTarget.objects.select_related("plan", "region", "parent")
    if indicator:
        qs = qs.filter(indicator=indicator)
    if region_code:
        qs = qs.filter(region_id=region_code)
    return qs.order_by("plan_id", "seq")
