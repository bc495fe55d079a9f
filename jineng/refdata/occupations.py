"""The occupational classification (职业分类大典): loading an edition, its definitions and 工种, and looking codes up.

Codes are stored with their edition (``2022``); a department can load the whole official edition from a CSV with
the same columns as ``data/occupations.csv`` (``jineng refdata load --only occupations --file 大典.csv``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from jineng.common.errors import FieldError, NotFound, ValidationFailed
from jineng.refdata.bulk import update_rows
from jineng.refdata.csvio import RowErrors, read_csv
from jineng.refdata.models import (
    CURRENT_OCCUPATION_EDITION,
    Occupation,
    OccupationLevel,
    OccupationSubtype,
    SkillLevel,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
OCCUPATIONS_CSV = DATA_DIR / "occupations.csv"
DEFINITIONS_CSV = DATA_DIR / "occupation_definitions.csv"
SUBTYPES_CSV = DATA_DIR / "occupation_subtypes.csv"

CODE_RE = re.compile(r"^\d(-\d{2}(-\d{2}(-\d{2})?)?)?$")
_LEVEL_BY_DEPTH = {
    1: OccupationLevel.MAJOR,
    2: OccupationLevel.MEDIUM,
    3: OccupationLevel.MINOR,
    4: OccupationLevel.OCCUPATION,
}
_DEPTH: dict[str, int] = {level.value: depth for depth, level in _LEVEL_BY_DEPTH.items()}
_EDITION_RE = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class OccupationRow:
    line: int
    edition: str
    code: str
    name: str
    level: str
    parent_code: str
    is_digital: bool
    is_green: bool
    source: str
    definition: str | None


def read_occupations_csv(path: Path = OCCUPATIONS_CSV) -> list[OccupationRow]:
    """``code,name,level,parent_code,is_digital,is_green,source`` (+ optional ``edition``, ``definition``)."""
    records = read_csv(
        path, columns={"code", "name", "level", "parent_code", "is_digital", "is_green", "source"}, label="职业分类"
    )
    errors = RowErrors("职业分类")
    rows: list[OccupationRow] = []
    seen: dict[tuple[str, str], int] = {}
    for rec in records:
        edition = rec["edition"] or CURRENT_OCCUPATION_EDITION
        if not _EDITION_RE.match(edition):
            errors.add(rec.line, "edition", "bad_edition", f"版本须为4位年份：{edition!r}")
        code = rec["code"]
        level = errors.choice(rec, "level", {c.value for c in OccupationLevel})
        if not CODE_RE.match(code):
            errors.add(rec.line, "code", "bad_code", f"职业代码格式不正确：{code!r}（如 4-04-05-01）")
        elif level in _DEPTH and _DEPTH[level] != code.count("-") + 1:
            errors.add(rec.line, "level", "level_mismatch", f"代码 {code} 与层级 {level} 不符")
        elif (edition, code) in seen:
            errors.add(rec.line, "code", "duplicate_code", f"职业代码重复：{code}（第 {seen[(edition, code)]} 行已有）")
        seen.setdefault((edition, code), rec.line)
        parent = rec["parent_code"]
        expected_parent = code.rsplit("-", 1)[0] if "-" in code else ""
        if CODE_RE.match(code) and parent != expected_parent:
            errors.add(
                rec.line, "parent_code", "bad_parent", f"上级代码应为 {expected_parent or '（空）'}，实为 {parent!r}"
            )
        rows.append(
            OccupationRow(
                line=rec.line,
                edition=edition,
                code=code,
                name=errors.required(rec, "name"),
                level=level,
                parent_code=parent,
                is_digital=errors.boolean(rec, "is_digital"),
                is_green=errors.boolean(rec, "is_green"),
                source=rec["source"][:200],
                definition=rec.values.get("definition"),
            )
        )
    errors.raise_if_any()
    _check_parents_known(rows, errors)
    return rows


def _check_parents_known(rows: list[OccupationRow], errors: RowErrors) -> None:
    in_file = {(r.edition, r.code) for r in rows}
    missing = {(r.edition, r.parent_code) for r in rows if r.parent_code and (r.edition, r.parent_code) not in in_file}
    in_db = {
        (e, c)
        for e, c in Occupation.objects.filter(
            edition__in={e for e, _ in missing}, code__in={c for _, c in missing}
        ).values_list("edition", "code")
    }
    for r in rows:
        if r.parent_code and (r.edition, r.parent_code) not in in_file | in_db:
            errors.add(r.line, "parent_code", "unknown_parent", f"上级职业代码不存在：{r.parent_code}")
    errors.raise_if_any()


@transaction.atomic
def occupations_load(rows: list[OccupationRow]) -> dict[str, int]:
    """Insert or update codes by (edition, code), parents before children. Idempotent; never deletes."""
    existing = {(o.edition, o.code): o for o in Occupation.objects.filter(edition__in={r.edition for r in rows})}
    created = updated = 0
    for depth in sorted(_LEVEL_BY_DEPTH):
        level_rows = [r for r in rows if _DEPTH[r.level] == depth]
        ids = {(o.edition, o.code): o.pk for o in existing.values()}
        new: list[Occupation] = []
        changed: list[Occupation] = []
        for r in level_rows:
            values = {
                "name": r.name,
                "level": r.level,
                "parent_id": ids[(r.edition, r.parent_code)] if r.parent_code else None,
                "is_digital": r.is_digital,
                "is_green": r.is_green,
                "source": r.source,
            }
            if r.definition is not None:
                values["definition"] = r.definition
            obj = existing.get((r.edition, r.code))
            if obj is None:
                new.append(Occupation(edition=r.edition, code=r.code, **values))
            elif any(getattr(obj, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(obj, k, v)
                changed.append(obj)
        Occupation.objects.bulk_create(new, batch_size=2000)
        update_rows(Occupation, changed, ["name", "level", "parent", "is_digital", "is_green", "source", "definition"])
        created += len(new)
        updated += len(changed)
        if new:
            # bulk_create does not return primary keys on every backend: read them back for the next level.
            for o in Occupation.objects.filter(
                edition__in={r.edition for r in level_rows}, code__in=[n.code for n in new]
            ):
                existing[(o.edition, o.code)] = o
    return {"created": created, "updated": updated}


def load_occupations(path: Path | None) -> dict[str, int]:
    return occupations_load(read_occupations_csv(path or OCCUPATIONS_CSV))


@transaction.atomic
def load_occupation_definitions(path: Path | None) -> dict[str, int]:
    """``code,definition`` (+ optional ``edition``): the 大典's one-sentence definition of each code."""
    records = read_csv(path or DEFINITIONS_CSV, columns={"code", "definition"}, label="职业定义")
    errors = RowErrors("职业定义")
    wanted: dict[tuple[str, str], tuple[int, str]] = {}
    for rec in records:
        key = (rec["edition"] or CURRENT_OCCUPATION_EDITION, rec["code"])
        if key in wanted:
            errors.add(rec.line, "code", "duplicate_code", f"职业代码重复：{key[1]}")
        wanted[key] = (rec.line, errors.required(rec, "definition"))
    found = {
        (o.edition, o.code): o
        for o in Occupation.objects.filter(edition__in={e for e, _ in wanted}, code__in={c for _, c in wanted})
    }
    changed = []
    for key, (line, text) in wanted.items():
        obj = found.get(key)
        if obj is None:
            errors.add(line, "code", "unknown_occupation", f"职业代码不存在：{key[1]}（{key[0]}版）")
        elif obj.definition != text:
            obj.definition = text
            changed.append(obj)
    errors.raise_if_any()
    update_rows(Occupation, changed, ["definition"])
    return {"updated": len(changed)}


@transaction.atomic
def load_occupation_subtypes(path: Path | None) -> dict[str, int]:
    """``occupation_code,name,code,lowest_level,highest_level,source`` (+ optional ``edition``): 工种."""
    records = read_csv(
        path or SUBTYPES_CSV,
        columns={"occupation_code", "name", "code", "lowest_level", "highest_level", "source"},
        label="工种",
    )
    errors = RowErrors("工种")
    levels = {lv.code: lv for lv in SkillLevel.objects.all()}
    occupations = {
        (o.edition, o.code): o
        for o in Occupation.objects.filter(
            level=OccupationLevel.OCCUPATION, code__in={rec["occupation_code"] for rec in records}
        ).only("pk", "edition", "code")
    }
    planned: list[tuple[Occupation, str, dict[str, object]]] = []
    seen: set[tuple[int, str]] = set()
    for rec in records:
        key = (rec["edition"] or CURRENT_OCCUPATION_EDITION, rec["occupation_code"])
        occupation = occupations.get(key)
        if occupation is None:
            errors.add(rec.line, "occupation_code", "unknown_occupation", f"职业代码不存在：{key[1]}（{key[0]}版）")
            continue
        name = errors.required(rec, "name")
        if (occupation.pk, name) in seen:
            errors.add(rec.line, "name", "duplicate_subtype", f"工种重复：{key[1]} {name}")
        seen.add((occupation.pk, name))
        bounds = []
        for column in ("lowest_level", "highest_level"):
            code = rec[column]
            if code and code not in levels:
                errors.add(rec.line, column, "unknown_level", f"技能等级代码不存在：{code!r}")
            bounds.append(levels.get(code))
        low, high = bounds
        if low is not None and high is not None and low.rank > high.rank:
            errors.add(rec.line, "highest_level", "bad_range", f"最高等级低于最低等级：{low.label}–{high.label}")
        planned.append(
            (
                occupation,
                name,
                {"code": rec["code"], "lowest_level": low, "highest_level": high, "source": rec["source"]},
            )
        )
    errors.raise_if_any()
    existing = {(s.occupation_id, s.name): s for s in OccupationSubtype.objects.all()}
    created = updated = 0
    for occupation, name, values in planned:
        obj = existing.get((occupation.pk, name))
        if obj is None:
            OccupationSubtype.objects.create(occupation=occupation, name=name, **values)
            created += 1
        elif any(getattr(obj, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(obj, k, v)
            obj.save()
            updated += 1
    return {"created": created, "updated": updated}


# ---- lookups ---------------------------------------------------------------------------------------------------


def occupation_get(code: str, edition: str = CURRENT_OCCUPATION_EDITION) -> Occupation:
    obj = Occupation.objects.filter(edition=edition, code=(code or "").strip()).select_related("parent").first()
    if obj is None:
        raise NotFound(f"职业代码不存在：{code}（{edition}版）", code="unknown_occupation")
    return obj


def occupation_validate(
    code: str,
    field: str = "occupation",
    *,
    edition: str = CURRENT_OCCUPATION_EDITION,
    level: str | None = OccupationLevel.OCCUPATION,
) -> Occupation:
    """An occupation code of the edition (by default one at the 职业 level): unknown codes are errors, never blanks."""
    code = (code or "").strip()
    obj = Occupation.objects.filter(edition=edition, code=code).first() if CODE_RE.match(code) else None
    if obj is None:
        raise ValidationFailed(
            "职业代码不正确。", [FieldError(field, "unknown_occupation", f"职业代码不存在：{code!r}（{edition}版）")]
        )
    if level is not None and obj.level != level:
        raise ValidationFailed(
            "职业代码不正确。",
            [
                FieldError(
                    field,
                    "not_an_occupation",
                    f"{code} 是{obj.get_level_display()}，不是{OccupationLevel(level).label}",
                )
            ],
        )
    return obj


# Names people still type for an occupation the 2022 edition renamed (育婴员 of the 2015 edition, 4-10-01-02, is the
# 2022 edition's 婴幼儿发展引导员; 保育员 became 保育师): found by the search, shown beside the current name.
FORMER_NAMES: dict[str, tuple[str, ...]] = {
    "4-10-01-01": ("育婴员", "育婴师"),
    "4-10-01-03": ("保育员",),
}
_DASHES = re.compile(r"[\u2010-\u2015\u2212\uff0d\u30fc_ ]")


def normalize_query(q: str) -> str:
    """A search as typed: full-width characters and dashes made plain, ``6310103`` read as ``6-31-01-03``."""
    q = unicodedata.normalize("NFKC", q or "").strip()
    if re.fullmatch(r"[\d\u2010-\u2015\u2212\uff0d\u30fc_ -]+", q):
        q = _DASHES.sub("-", q).strip("-")
        if re.fullmatch(r"\d(\d{2}){1,3}", q):
            q = "-".join([q[0], *(q[i : i + 2] for i in range(1, len(q), 2))])
    return q


def former_names(code: str) -> tuple[str, ...]:
    return FORMER_NAMES.get(code, ())


def occupation_search(
    q: str = "",
    *,
    edition: str = CURRENT_OCCUPATION_EDITION,
    level: str | None = None,
    digital: bool | None = None,
    green: bool | None = None,
) -> QuerySet[Occupation]:
    """Search by code (prefix: ``4-04`` finds the medium group and everything in it) or by Chinese name — part of
    the name, a 工种's name or a former name (育婴 finds 婴幼儿发展引导员) — the exact name first (电工 before the 30
    occupations whose names contain it), then names that start with it, then by code."""
    qs = Occupation.objects.filter(edition=edition)
    q = normalize_query(q)
    order: list[Any] = ["code"]
    if q:
        if re.fullmatch(r"[\d-]+", q):
            qs = qs.filter(code__startswith=q)
        else:
            former = [code for code, names in FORMER_NAMES.items() if any(q in name for name in names)]
            qs = qs.filter(Q(name__icontains=q) | Q(subtypes__name__icontains=q) | Q(code__in=former)).distinct()
            qs = qs.annotate(
                match_rank=Case(
                    When(name=q, then=Value(0)),
                    When(code__in=former, then=Value(1)),
                    When(name__startswith=q, then=Value(2)),
                    When(level=OccupationLevel.OCCUPATION, then=Value(3)),
                    default=Value(4),
                    output_field=IntegerField(),
                )
            )
            order = ["match_rank", "code"]
    if level:
        qs = qs.filter(level=level)
    if digital is not None:
        qs = qs.filter(is_digital=digital)
    if green is not None:
        qs = qs.filter(is_green=green)
    return qs.order_by(*order)


def occupation_ancestors(occupation: Occupation) -> list[Occupation]:
    """From the 大类 down to the occupation's parent."""
    codes = []
    code = occupation.code
    while "-" in code:
        code = code.rsplit("-", 1)[0]
        codes.append(code)
    by_code = {o.code: o for o in Occupation.objects.filter(edition=occupation.edition, code__in=codes)}
    return [by_code[c] for c in reversed(codes) if c in by_code]
