"""Skill levels (技能等级, the eight-level ladder) and certificate kinds (证书类别): loading and lookups."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from jineng.common.errors import FieldError, ValidationFailed
from jineng.refdata.bulk import upsert_rows
from jineng.refdata.csvio import RowErrors, read_csv
from jineng.refdata.models import CertificateKind, SkillLevel

DATA_DIR = Path(__file__).resolve().parent / "data"
SKILL_LEVELS_CSV = DATA_DIR / "skill_levels.csv"
CERTIFICATE_KINDS_CSV = DATA_DIR / "certificate_kinds.csv"

# Short forms seen in rosters and certificates, beside the names the table itself carries.
_SHORT_NAMES = {"初级": "grade5", "中级": "grade4", "高级": "grade3"}


@transaction.atomic
def load_skill_levels(path: Path | None) -> dict[str, int]:
    """``code,rank,name,national_grade,grade_no,is_high_skill,how_awarded,policy,source_url``."""
    columns = {"code", "rank", "name", "national_grade", "grade_no", "is_high_skill", "how_awarded", "policy"}
    records = read_csv(path or SKILL_LEVELS_CSV, columns=columns | {"source_url"}, label="技能等级")
    errors = RowErrors("技能等级")
    rows: dict[str, dict[str, object]] = {}
    ranks: dict[int, int] = {}
    for rec in records:
        code = errors.required(rec, "code")
        if code in rows:
            errors.add(rec.line, "code", "duplicate_code", f"等级代码重复：{code}")
        rank = errors.integer(rec, "rank")
        if rank is not None and rank in ranks:
            errors.add(rec.line, "rank", "duplicate_rank", f"等级序号重复：{rank}（第 {ranks[rank]} 行已有）")
        if rank is not None:
            ranks[rank] = rec.line
        grade_no = errors.integer(rec, "grade_no", required=False)
        if grade_no is not None and not 1 <= grade_no <= 5:
            errors.add(rec.line, "grade_no", "bad_grade", f"国家职业技能等级须为1–5级：{grade_no}")
        rows[code] = {
            "rank": rank,
            "name": errors.required(rec, "name"),
            "national_grade": rec["national_grade"],
            "grade_no": grade_no,
            "is_high_skill": errors.boolean(rec, "is_high_skill"),
            "how_awarded": rec["how_awarded"][:200],
            "policy": rec["policy"][:200],
            "source_url": rec["source_url"][:300],
        }
    errors.raise_if_any()
    return _upsert(SkillLevel, rows)


@transaction.atomic
def load_certificate_kinds(path: Path | None) -> dict[str, int]:
    """``code,rank,name,has_level,issued_by,description,source``."""
    columns = {"code", "rank", "name", "has_level", "issued_by", "description", "source"}
    records = read_csv(path or CERTIFICATE_KINDS_CSV, columns=columns, label="证书类别")
    errors = RowErrors("证书类别")
    rows: dict[str, dict[str, object]] = {}
    for rec in records:
        code = errors.required(rec, "code")
        if code in rows:
            errors.add(rec.line, "code", "duplicate_code", f"证书类别代码重复：{code}")
        rows[code] = {
            "rank": errors.integer(rec, "rank"),
            "name": errors.required(rec, "name"),
            "has_level": errors.boolean(rec, "has_level"),
            "issued_by": rec["issued_by"][:200],
            "description": rec["description"][:300],
            "source": rec["source"][:300],
        }
    errors.raise_if_any()
    return _upsert(CertificateKind, rows)


def _upsert(model: type[SkillLevel] | type[CertificateKind], rows: dict[str, dict[str, object]]) -> dict[str, int]:
    existing = {obj.pk: obj for obj in model.objects.all()}
    # Ranks are unique: move rows out of the way first so that a reordering file loads.
    changed_rank = [obj for code, obj in existing.items() if code in rows and obj.rank != rows[code]["rank"]]
    if model is SkillLevel and changed_rank:
        for i, moved in enumerate(changed_rank, start=1):
            model.objects.filter(pk=moved.pk).update(rank=1000 + i)
    created, updated = upsert_rows(model, rows, existing, lambda code: {"pk": code})
    return {"created": created, "updated": updated}


def level_validate(code: str, field: str = "level") -> SkillLevel:
    """A skill-level code (``grade3`` …): unknown codes are errors wherever they are used."""
    code = (code or "").strip()
    level = SkillLevel.objects.filter(code=code).first() if code else None
    if level is None:
        raise ValidationFailed(
            "技能等级不正确。", [FieldError(field, "unknown_level", f"技能等级代码不存在：{code!r}")]
        )
    return level


def level_lookup(text: str) -> SkillLevel | None:
    """The level a roster or certificate writes: its code, ``五级``, ``初级工``, ``五级/初级工``, ``5`` or ``初级``."""
    text = (text or "").strip().replace("／", "/")
    if not text:
        return None
    levels = list(SkillLevel.objects.all())
    for level in levels:
        names = {level.code, level.name, level.label, level.national_grade, str(level.grade_no or "")}
        if text in names - {""}:
            return level
    if "/" in text:
        return next((lv for lv in levels for part in text.split("/") if part and part in {lv.name}), None)
    code = _SHORT_NAMES.get(text)
    return next((lv for lv in levels if lv.code == code), None)


def certificate_kind_validate(code: str, field: str = "certificate_kind") -> CertificateKind:
    code = (code or "").strip()
    kind = CertificateKind.objects.filter(code=code).first() if code else None
    if kind is None:
        raise ValidationFailed(
            "证书类别不正确。", [FieldError(field, "unknown_certificate_kind", f"证书类别代码不存在：{code!r}")]
        )
    return kind
