"""培训品牌 and 职业标准与教材 — the province's brand catalogue (粤菜师傅, 南粤家政, 广东技工, 金蓝领, 鲁菜师傅, a city's
一市一品牌 …) with the programs that carry a brand, and the records of occupational standards, textbooks and digital
resources developed. Both are kept by the province (``catalog.approve`` over the record's region); the plan
indicators count them (``jineng/indicators/sources.py``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from jineng.accounts.api import User, require
from jineng.common.audit.services import audit_event
from jineng.common.errors import Conflict, FieldError, ValidationFailed, invalid
from jineng.providers.errors import TransitionRefused
from jineng.providers.events import Event
from jineng.providers.models import Program, StandardKind, StandardStatus, StandardWork, TrainingBrand
from jineng.providers.services.support import (
    change_save,
    choice,
    known_region,
    level_or_none,
    occupation_or_error,
    raise_if,
    reason_required,
    required_text,
    status_set,
)
from jineng.refdata.api import region_is_within, region_validate

FIRST_YEAR = 1978  # earlier years are typing errors
GOLDEN_BLUE_COLLAR = "golden-blue-collar"  # 金蓝领 (Shandong): the code its brand carries in the catalogue


def _year(value: int | None, field: str, label: str, errors: list[FieldError], *, required: bool) -> int | None:
    this_year = timezone.localdate().year
    if value is None:
        if required:
            errors.append(FieldError(field, "required", f"请填写{label}。"))
        return None
    if not FIRST_YEAR <= value <= this_year:
        errors.append(FieldError(field, "out_of_range", f"{label}须在 {FIRST_YEAR}–{this_year} 之间。"))
    return value


# ---- brands ------------------------------------------------------------------------------------------------------


@dataclass
class BrandData:
    code: str
    name: str
    region: str
    recognized_year: int | None = None
    recognition: str = ""


def brand_create(*, actor: Any, data: BrandData) -> TrainingBrand:
    """登记培训品牌 — a brand of the province's catalogue (region: the province, or a city of it for 一市一品牌)."""
    region_code = known_region((data.region or "").strip())
    require(actor, "catalog.approve", region_code=region_code)
    errors: list[FieldError] = []
    code = required_text(data.code, "code", "品牌代码", errors, 40)
    name = required_text(data.name, "name", "品牌名称", errors, 80)
    year = _year(data.recognized_year, "recognized_year", "认定年度", errors, required=False)
    region = None
    try:
        region = region_validate(region_code)
    except ValidationFailed as exc:
        errors.extend(exc.fields)
    raise_if(errors, "培训品牌信息不正确。")
    assert region is not None
    try:
        with transaction.atomic():
            brand = TrainingBrand.objects.create(
                code=code,
                name=name,
                region=region,
                recognized_year=year,
                recognition=(data.recognition or "").strip()[:100],
                created_by=actor if isinstance(actor, User) else None,
            )
            audit_event(
                Event.TRAINING_BRAND_CREATE,
                actor=actor,
                object_id=brand.pk,
                region_code=brand.region_id,
                after={"code": code, "name": name, "recognized_year": year},
            )
    except IntegrityError:
        raise Conflict("本地区已有该品牌代码。", code="duplicate_brand") from None
    return brand


def brand_recognize(*, actor: Any, brand: TrainingBrand, year: int, recognition: str = "") -> TrainingBrand:
    """认定 — the brand is recognized in ``year`` (the brand indicators count it in that year)."""
    require(actor, "catalog.approve", region_code=brand.region_id)
    errors: list[FieldError] = []
    _year(year, "recognized_year", "认定年度", errors, required=True)
    raise_if(errors, "认定年度不正确。")
    with transaction.atomic():
        locked: TrainingBrand = TrainingBrand.objects.select_for_update().get(pk=brand.pk)
        if locked.recognized_year is not None:
            raise TransitionRefused("该品牌已认定。", code="brand_recognized")
        values = {"recognized_year": year, "recognition": (recognition or "").strip()[:100] or locked.recognition}
        change_save(locked, Event.TRAINING_BRAND_RECOGNIZE, values, actor=actor)
    return locked


def brand_retire(*, actor: Any, brand: TrainingBrand, year: int, reason: str) -> TrainingBrand:
    """停用 — no program may carry it any more; its past counts stay."""
    require(actor, "catalog.approve", region_code=brand.region_id)
    reason_required(reason, "请填写停用原因。")
    with transaction.atomic():
        locked: TrainingBrand = TrainingBrand.objects.select_for_update().get(pk=brand.pk)
        if locked.retired_year is not None:
            raise TransitionRefused("该品牌已停用。", code="brand_retired")
        if locked.recognized_year is not None and year < locked.recognized_year:
            raise invalid(message="停用年度不能早于认定年度。", field="year", code="before_recognition")
        values = {"retired_year": year, "retire_reason": reason.strip()[:300]}
        change_save(
            locked, Event.TRAINING_BRAND_RETIRE, values, actor=actor, after={"retired_year": year}, reason=reason
        )
    return locked


def program_brands_set(*, actor: Any, program: Program, brand_ids: Iterable[Any]) -> Program:
    """标记培训品牌 — the brands a program carries: brands in force of the program's region or a region above it
    (a province's brand covers its cities' programs; a city's brand only its own), set by the province."""
    ids = [str(b).strip() for b in brand_ids if str(b).strip()]
    brands = list(TrainingBrand.objects.filter(pk__in=ids)) if ids else []
    require(actor, "catalog.approve", region_code=program.region_id)
    found = {str(b.pk) for b in brands}
    errors = [FieldError(f"brands[{i}]", "unknown_brand", f"培训品牌不存在：{v}") for i, v in enumerate(ids)
              if v not in found]  # fmt: skip
    for brand in brands:
        if not region_is_within(program.region_id, brand.region_id):
            errors.append(FieldError("brands", "brand_outside_region", f"“{brand.name}”不是本项目所在地区的品牌。"))
        elif brand.retired_year is not None:
            errors.append(FieldError("brands", "brand_retired", f"“{brand.name}”已停用。"))
    raise_if(errors, "培训品牌不正确。")
    with transaction.atomic():
        before = sorted(b.code for b in program.brands.all())
        program.brands.set(brands)
        audit_event(
            Event.PROGRAM_BRANDS_SET,
            actor=actor,
            object_id=program.pk,
            region_code=program.region_id,
            before={"brands": before},
            after={"brands": sorted(b.code for b in brands)},
        )
    return program


# ---- standards and textbooks -------------------------------------------------------------------------------------


@dataclass
class StandardData:
    kind: str
    title: str
    developer: str
    region: str
    occupation: str = ""
    level: str = ""
    year: int | None = None
    status: str = StandardStatus.DEVELOPING
    document_number: str = ""


def standard_create(*, actor: Any, data: StandardData) -> StandardWork:
    """登记职业标准、教材或数字资源 — who developed it, for which occupation and level, published in which year."""
    region_code = known_region((data.region or "").strip())
    require(actor, "catalog.approve", region_code=region_code)
    errors: list[FieldError] = []
    kind = choice(data.kind, StandardKind, "kind", "类别", errors, required=True)
    status = choice(data.status or StandardStatus.DEVELOPING, StandardStatus, "status", "状态", errors, required=True)
    title = required_text(data.title, "title", "名称", errors, 200)
    developer = required_text(data.developer, "developer", "开发单位", errors, 200)
    year = _year(data.year, "year", "颁布年度", errors, required=status == StandardStatus.PUBLISHED)
    occupation = level = None
    try:
        occupation = occupation_or_error(data.occupation) if (data.occupation or "").strip() else None
    except ValidationFailed as exc:
        errors.extend(exc.fields)
    try:
        level = level_or_none(data.level)
    except ValidationFailed as exc:
        errors.extend(exc.fields)
    raise_if(errors, "职业标准与教材信息不正确。")
    try:
        with transaction.atomic():
            work = StandardWork.objects.create(
                kind=kind,
                title=title,
                developer=developer,
                occupation=occupation,
                level=level,
                year=year,
                status=status,
                document_number=(data.document_number or "").strip()[:100],
                region_id=region_code,
                created_by=actor if isinstance(actor, User) else None,
            )
            audit_event(
                Event.STANDARD_WORK_CREATE,
                actor=actor,
                object_id=work.pk,
                region_code=work.region_id,
                after={"kind": kind, "title": title, "status": status, "year": year},
            )
    except IntegrityError:
        raise Conflict("本地区已有同名、同类的记录。", code="duplicate_standard") from None
    return work


def standard_publish(*, actor: Any, work: StandardWork, year: int, document_number: str = "") -> StandardWork:
    """颁布 — published in ``year``: from then on the indicators count it in that year."""
    require(actor, "catalog.approve", region_code=work.region_id)
    errors: list[FieldError] = []
    _year(year, "year", "颁布年度", errors, required=True)
    raise_if(errors, "颁布年度不正确。")
    with transaction.atomic():
        locked: StandardWork = StandardWork.objects.select_for_update().get(pk=work.pk)
        if locked.status != StandardStatus.DEVELOPING:
            raise TransitionRefused("只有开发中的记录可以颁布。", code="standard_not_developing")
        values = {
            "status": StandardStatus.PUBLISHED,
            "year": year,
            "document_number": (document_number or "").strip()[:100] or locked.document_number,
        }
        after = {"status": StandardStatus.PUBLISHED, "year": year}
        change_save(locked, Event.STANDARD_WORK_PUBLISH, values, actor=actor, after=after)
    return locked


def standard_withdraw(*, actor: Any, work: StandardWork, reason: str) -> StandardWork:
    """废止 — no longer counted (a withdrawn standard was not 制定或修订颁布 for the plan)."""
    require(actor, "catalog.approve", region_code=work.region_id)
    reason_required(reason, "请填写废止原因。")
    with transaction.atomic():
        locked: StandardWork = StandardWork.objects.select_for_update().get(pk=work.pk)
        if locked.status == StandardStatus.WITHDRAWN:
            raise TransitionRefused("该记录已废止。", code="standard_withdrawn")
        status_set(locked, StandardStatus.WITHDRAWN, Event.STANDARD_WORK_WITHDRAW, actor=actor, reason=reason)
    return locked
