"""Every write of the labour market: the three kinds of records (one by one through the API, in batches through the
import framework — both through the same ``clean`` functions, so a row and a request are refused for the same
reasons) and the shortage catalog's steps: draft (generated from the published rule), edit, approve, publish."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from jineng.accounts.api import Actor, can, require
from jineng.common.audit.services import audit_event
from jineng.common.errors import (
    DomainError,
    FieldError,
    InvalidState,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    invalid,
)
from jineng.imports.api import parse_date, parse_int
from jineng.labour_market import selectors
from jineng.labour_market.errors import Code
from jineng.labour_market.events import Event
from jineng.labour_market.models import (
    CatalogStatus,
    ItemBasis,
    JobSeeker,
    ShortageCatalog,
    ShortageItem,
    Vacancy,
    WageRecord,
)
from jineng.labour_market.settings_specs import QUARTERS, RATIO_PERCENT
from jineng.refdata.api import Occupation, level_lookup, occupation_validate, region_validate, setting_value
from jineng.rules.labour import QuarterCount, demand_ratio, previous_quarters, shortage_candidates

IMPORT_PERMISSION = "records.review"  # import or enter vacancies, seekers and wage records of one's region
CATALOG_EDIT = "settings.edit"  # draft and edit the shortage catalog of one's region
CATALOG_APPROVE = "catalog.approve"  # approve and publish it (someone who did not edit it)
MAX_COUNT = 100_000  # openings in one posting
MAX_MONTHLY_WAGE = 1_000_000  # yuan a month
MAX_ANNUAL_PAY = 10_000_000  # yuan a year
OLDEST = dt.date(2000, 1, 1)
_REF = re.compile(r"^[0-9A-Za-z_\-./:]{1,64}$")
_CREDIT = re.compile(r"^[0-9A-Z]{18}$")


# ---- cleaning one record (a file's row or an API request) ------------------------------------------------------


@dataclass
class Cleaned:
    data: dict[str, Any]
    errors: list[FieldError]


def _ref(values: Mapping[str, str], errors: list[FieldError]) -> str:
    ref = (values.get("ref") or "").strip()
    if not ref:
        errors.append(FieldError("ref", Code.REF_REQUIRED, "请填写来源记录编号（岗位编号、登记编号或样本编号）。"))
    elif not _REF.match(ref):
        errors.append(FieldError("ref", Code.REF_REQUIRED, "编号只能由字母、数字和 - _ . / : 组成，不超过64位。"))
    return ref


def _occupation(values: Mapping[str, str], errors: list[FieldError]) -> Occupation | None:
    code = (values.get("occupation_code") or "").strip()
    try:
        return occupation_validate(code, "occupation_code")
    except DomainError as exc:
        field = exc.fields[0] if exc.fields else None
        detail = field.message if field else exc.message
        errors.append(FieldError("occupation_code", Code.UNKNOWN_OCCUPATION, detail))
        return None


def _region(values: Mapping[str, str], actor: Actor, errors: list[FieldError], default: str = "") -> str:
    code = (values.get("region") or "").strip() or default
    if not code:
        errors.append(FieldError("region", Code.REGION_REQUIRED, "请填写地区（行政区划代码）。"))
        return ""
    try:
        region = region_validate(code)
    except DomainError as exc:
        detail = exc.fields[0].message if exc.fields else exc.message
        errors.append(FieldError("region", Code.UNKNOWN_REGION, detail))
        return ""
    if not can(actor, IMPORT_PERMISSION, region_code=region.code):
        errors.append(FieldError("region", Code.REGION_OUT_OF_SCOPE, f"地区 {region.code} 不在您的管辖范围内。"))
        return ""
    return region.code


def _level(values: Mapping[str, str], key: str, errors: list[FieldError]) -> Any:
    text = (values.get(key) or "").strip()
    if not text:
        return None
    level = level_lookup(text)
    if level is None:
        errors.append(FieldError(key, Code.UNKNOWN_LEVEL, f"技能等级不正确：{text[:20]}"))
    return level


def _int(values: Mapping[str, str], key: str, label: str, errors: list[FieldError], *, code: str, negative: str,
         maximum: int, required: bool, minimum: int = 0) -> int | None:  # fmt: skip
    text = (values.get(key) or "").strip().replace(",", "")
    if not text:
        if required:
            errors.append(FieldError(key, code, f"请填写{label}。"))
        return None
    number = parse_int(text)
    if number is None:
        errors.append(FieldError(key, code, f"{label}应为整数：{text[:20]}"))
        return None
    if number < 0:
        errors.append(FieldError(key, negative, f"{label}不能为负数。"))
        return None
    if number < minimum or number > maximum:
        errors.append(FieldError(key, code, f"{label}应在 {minimum}–{maximum} 之间。"))
        return None
    return number


def _date(values: Mapping[str, str], key: str, label: str, today: dt.date, errors: list[FieldError], *,
          required: bool) -> dt.date | None:  # fmt: skip
    text = (values.get(key) or "").strip()
    if not text:
        if required:
            errors.append(FieldError(key, Code.BAD_DATE, f"请填写{label}。"))
        return None
    day = parse_date(text)
    if day is None or day < OLDEST:
        errors.append(FieldError(key, Code.BAD_DATE, f"{label}不正确（YYYY-MM-DD，2000年以后）：{text[:20]}"))
        return None
    if day > today:
        errors.append(FieldError(key, Code.DATE_IN_FUTURE, f"{label}不能晚于今天。"))
        return None
    return day


def _common(values: Mapping[str, str], actor: Actor, errors: list[FieldError], default_region: str,
            level_key: str) -> dict[str, Any]:  # fmt: skip
    """What every record has: the source's number, the occupation, the region (in the user's scope), a level."""
    return {"ref": _ref(values, errors), "occupation": _occupation(values, errors),
            "region_id": _region(values, actor, errors, default_region), level_key: _level(values, level_key, errors)}  # fmt: skip


def vacancy_clean(values: Mapping[str, str], *, actor: Actor, today: dt.date, default_region: str = "") -> Cleaned:
    errors: list[FieldError] = []
    data = _common(values, actor, errors, default_region, "level_required")
    employer = (values.get("employer_name") or "").strip()
    if not employer:
        errors.append(FieldError("employer_name", Code.EMPLOYER_REQUIRED, "请填写招聘单位。"))
    credit = (values.get("employer_credit_code") or "").strip().upper()
    if credit and not _CREDIT.match(credit):
        errors.append(FieldError("employer_credit_code", Code.BAD_CREDIT_CODE, "统一社会信用代码应为18位字母或数字。"))
    count = _int(values, "count", "招聘人数", errors, code=Code.BAD_COUNT, negative=Code.NEGATIVE_COUNT,
                 maximum=MAX_COUNT, required=True, minimum=1)  # fmt: skip
    wage = _int(values, "wage_offered", "月薪", errors, code=Code.BAD_WAGE, negative=Code.NEGATIVE_WAGE,
                maximum=MAX_MONTHLY_WAGE, required=False)  # fmt: skip
    posted = _date(values, "posted_on", "发布日期", today, errors, required=True)
    closed = _date(values, "closed_on", "截止日期", dt.date.max, errors, required=False)
    if posted and closed and closed < posted:
        errors.append(FieldError("closed_on", Code.BAD_RANGE, "截止日期不能早于发布日期。"))
    data |= {"employer_name": employer[:200], "employer_credit_code": credit, "count": count, "wage_offered": wage,
             "posted_on": posted, "closed_on": closed}  # fmt: skip
    return Cleaned(data, errors)


def job_seeker_clean(values: Mapping[str, str], *, actor: Actor, today: dt.date, default_region: str = "") -> Cleaned:
    errors: list[FieldError] = []
    data = _common(values, actor, errors, default_region, "level_held")
    data["registered_on"] = _date(values, "registered_on", "登记日期", today, errors, required=True)
    return Cleaned(data, errors)


def wage_record_clean(values: Mapping[str, str], *, actor: Actor, today: dt.date, default_region: str = "") -> Cleaned:
    errors: list[FieldError] = []
    data = _common(values, actor, errors, default_region, "level")
    year = _int(values, "year", "调查年度", errors, code=Code.BAD_YEAR, negative=Code.BAD_YEAR, maximum=today.year,
                required=True, minimum=OLDEST.year)  # fmt: skip
    pay = _int(values, "annual_pay", "年薪", errors, code=Code.BAD_WAGE, negative=Code.NEGATIVE_WAGE,
               maximum=MAX_ANNUAL_PAY, required=True, minimum=1)  # fmt: skip
    data |= {"employer_name": (values.get("employer_name") or "").strip()[:200], "year": year, "annual_pay": pay}
    return Cleaned(data, errors)


@dataclass(frozen=True)
class Kind:
    model: type[Vacancy] | type[JobSeeker] | type[WageRecord]
    clean: Callable[..., Cleaned]
    event: Event


KINDS: dict[str, Kind] = {
    "vacancies": Kind(Vacancy, vacancy_clean, Event.VACANCY_CREATE),
    "job_seekers": Kind(JobSeeker, job_seeker_clean, Event.JOB_SEEKER_CREATE),
    "wage_records": Kind(WageRecord, wage_record_clean, Event.WAGE_RECORD_CREATE),
}


def record_create(*, actor: Actor, kind: str, values: Mapping[str, str]) -> tuple[Any, bool]:
    """One record from the API: (the record, created?). The same ``ref`` again with the same content is the record
    already there (a retried request), with other content a 409."""
    spec = KINDS[kind]
    require(actor, IMPORT_PERMISSION)
    cleaned = spec.clean(values, actor=actor, today=timezone.localdate())
    if cleaned.errors:
        first = cleaned.errors[0]
        if len(cleaned.errors) == 1:
            raise invalid(field=first.field, code=first.code, message=first.message)
        raise ValidationFailed("提交的数据有误。", cleaned.errors)
    with transaction.atomic():
        existing = spec.model.objects.filter(region_id=cleaned.data["region_id"], ref=cleaned.data["ref"]).first()
        if existing is not None:
            if _same(existing, cleaned.data):
                return existing, False
            raise InvalidState("该编号的记录已存在且内容不同。", code=Code.DUPLICATE_ROW)
        record = spec.model.objects.create(**cleaned.data)
        audit_event(spec.event, actor=actor, object_id=record.pk, region_code=record.region_id,
                    after={"ref": record.ref})  # fmt: skip
    return record, True


def _same(record: Any, data: Mapping[str, Any]) -> bool:
    for key, value in data.items():
        current = getattr(record, key)
        if current != value:
            return False
    return True


def records_write(
    kind: str, rows: list[dict[str, Any]], *, actor: Actor, region_code: str = ""
) -> tuple[int, int, int]:
    """A batch of cleaned rows from an import: (created, updated, unchanged). A row is keyed by its region and
    ``ref`` (the source's number, unique within a region): a new key is created, a known key with the same content
    is unchanged (re-importing a file creates nothing twice), with other content it is updated (a corrected file
    re-sent). One audit entry for the batch, with a digest of its rows."""
    model: Any = KINDS[kind].model
    keys = Q()
    for r in rows:
        keys |= Q(region_id=r["region_id"], ref=r["ref"])
    present = {(m.region_id, m.ref): m for m in model.objects.filter(keys)} if rows else {}
    fresh, changed = [], []
    for r in rows:
        stored = present.get((r["region_id"], r["ref"]))
        if stored is None:
            fresh.append(model(**r))
        elif not _same(stored, r):
            for key, value in r.items():
                setattr(stored, key, value)
            stored.updated_at = timezone.now()
            changed.append(stored)
    model.objects.bulk_create(fresh, batch_size=1000)
    if changed:
        fields = [k for k in rows[0] if k not in ("ref", "region_id")]
        model.objects.bulk_update(changed, [*fields, "updated_at"], batch_size=1000)
    if fresh or changed:
        audit_event(KINDS[kind].event, actor=actor, object_id="", region_code=region_code,
                    after={"created": len(fresh), "updated": len(changed)},
                    rows=[{"ref": r.ref, "region": r.region_id} for r in fresh + changed])  # fmt: skip
    return len(fresh), len(changed), len(rows) - len(fresh) - len(changed)


# ---- the shortage catalog ---------------------------------------------------------------------------------------


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    if not 1 <= quarter <= 4:
        raise invalid(field="quarter", code=Code.BAD_QUARTER, message="季度应为 1–4。")
    return selectors.quarter_bounds(year, quarter)


def last_complete_quarter(today: dt.date) -> tuple[int, int]:
    q = (today.month - 1) // 3 + 1
    return (today.year, q - 1) if q > 1 else (today.year - 1, 4)


def _threshold(region_code: str, on: dt.date) -> tuple[Fraction, int]:
    percent = int(setting_value(RATIO_PERCENT, region_code, on))
    quarters = int(setting_value(QUARTERS, region_code, on))
    return Fraction(percent, 100), max(quarters, 1)


def quarterly_counts(region_code: str, quarters: list[tuple[int, int]]) -> dict[str, list[QuarterCount]]:
    """Occupation code → the counts of each quarter (oldest first), over the region's subtree."""
    series: dict[str, list[QuarterCount]] = {}
    for i, (year, quarter) in enumerate(quarters):
        for code, cell in selectors.demand_cells(region_code, year, quarter).items():
            row = series.setdefault(code, [QuarterCount(0, 0)] * len(quarters))
            row[i] = QuarterCount(cell["vacancies"], cell["seekers"])
    return series


def _editor(catalog: ShortageCatalog, actor: Actor) -> None:
    user_id = getattr(actor, "pk", None)
    if user_id is not None and str(user_id) not in catalog.editors:
        catalog.editors = [*catalog.editors, str(user_id)]


def _user(actor: Actor) -> Any:
    return actor if getattr(actor, "pk", None) is not None else None


def catalog_draft_generate(
    *, actor: Actor, region_code: str, year: int | None = None, quarter: int | None = None,
    title: str = "", check_permission: bool = True,
) -> ShortageCatalog:  # fmt: skip
    """A new draft version from the published rule (求人倍率 ≥ threshold for N quarters up to the given quarter, by
    default the last complete one), with the expert additions of the version in force carried forward."""
    region = region_validate(region_code)
    if check_permission:
        require(actor, CATALOG_EDIT, region_code=region.code)
    today = timezone.localdate()
    if year is None or quarter is None:
        year, quarter = last_complete_quarter(today)
    if not 2000 <= year <= today.year:
        raise invalid(field="year", code=Code.BAD_YEAR, message="年度不正确。")
    if quarter_bounds(year, quarter)[1] > today:
        raise invalid(field="quarter", code=Code.BAD_QUARTER, message="只能按已结束的季度生成草稿。")
    threshold, count = _threshold(region.code, today)
    window = previous_quarters(year, quarter, count)
    series = quarterly_counts(region.code, window)
    codes = shortage_candidates(series, threshold=threshold, quarters=count)
    with transaction.atomic():
        if (
            ShortageCatalog.objects.select_for_update()
            .filter(region_id=region.code, status__in=[CatalogStatus.DRAFT, CatalogStatus.APPROVED])
            .exists()
        ):
            raise InvalidState("该地区已有未发布的目录草稿，请先完成或修改它。", code=Code.DRAFT_EXISTS)
        number = (ShortageCatalog.objects.filter(region_id=region.code).aggregate(n=Max("version_no"))["n"] or 0) + 1
        catalog = ShortageCatalog.objects.create(
            region_id=region.code,
            version_no=number,
            title=(title.strip() or f"{region.name}急需紧缺职业（工种）目录")[:200],
            basis={
                "threshold_percent": int(threshold * 100),
                "quarters": [f"{y}Q{q}" for y, q in window],
                "rule": f"求人倍率连续{count}个季度不低于{float(threshold):g}",
            },  # fmt: skip
            drafted_by=_user(actor),
        )
        _editor(catalog, actor)
        catalog.save(update_fields=["editors"])
        occupations = {o.code: o for o in Occupation.objects.filter(code__in=codes, edition=_edition())}
        items = []
        for code in codes:
            ratios = []
            for (y, q), c in zip(window, series[code], strict=True):
                r = demand_ratio(c.vacancies, c.seekers)
                ratios.append({"quarter": f"{y}Q{q}", "vacancies": c.vacancies, "seekers": c.seekers,
                               "ratio": None if r is None else round(float(r), 2)})  # fmt: skip
            items.append(ShortageItem(catalog=catalog, occupation=occupations[code], basis=ItemBasis.RULE,
                                      figures={"quarters": ratios}))  # fmt: skip
        in_force = selectors.catalog_in_force_model(region.code, today)
        if in_force is not None:
            for item in in_force.items.filter(basis=ItemBasis.EXPERT, removed=False).select_related("occupation"):
                if item.occupation.code not in occupations:
                    items.append(ShortageItem(catalog=catalog, occupation=item.occupation, basis=ItemBasis.EXPERT,
                                              reason=item.reason))  # fmt: skip
        ShortageItem.objects.bulk_create(items)
        audit_event(Event.CATALOG_DRAFT, actor=actor, object_id=catalog.pk, region_code=region.code,
                    after={"version_no": number, "items": len(items), **catalog.basis})  # fmt: skip
    return catalog


def _edition() -> str:
    from jineng.refdata.api import CURRENT_OCCUPATION_EDITION

    return CURRENT_OCCUPATION_EDITION


def _draft(catalog_id: Any, actor: Actor, permission: str) -> ShortageCatalog:
    catalog: ShortageCatalog | None = ShortageCatalog.objects.select_for_update().filter(pk=catalog_id).first()
    if catalog is None:
        raise NotFound()
    require(actor, permission, region_code=catalog.region_id)
    return catalog


def catalog_item_add(*, actor: Actor, catalog_id: Any, occupation_code: str, reason: str) -> ShortageItem:
    """专家增补: an occupation added to a draft, with the reason. Adding it makes the actor one of its editors."""
    reason = (reason or "").strip()
    if not reason:
        raise invalid(field="reason", code=Code.REASON_REQUIRED, message="请填写增补理由。")
    if len(reason) > 300:
        raise invalid(field="reason", code=Code.REASON_REQUIRED, message="理由不超过300字。")
    with transaction.atomic():
        catalog = _draft(catalog_id, actor, CATALOG_EDIT)
        if catalog.status != CatalogStatus.DRAFT:
            raise InvalidState("只能修改草稿；已审核的目录须退回后再改。", code=Code.CATALOG_NOT_DRAFT)
        try:
            occupation = occupation_validate(occupation_code, "occupation_code")
        except DomainError:
            raise invalid(field="occupation_code", code=Code.UNKNOWN_OCCUPATION,
                          message=f"职业代码不存在：{(occupation_code or '')[:20]!r}") from None  # fmt: skip
        item, created = ShortageItem.objects.get_or_create(
            catalog=catalog, occupation=occupation,
            defaults={"basis": ItemBasis.EXPERT, "reason": reason},
        )  # fmt: skip
        if not created:
            item.removed, item.reason = False, reason if item.basis == ItemBasis.EXPERT else item.reason
            item.save(update_fields=["removed", "reason", "updated_at"])
        _editor(catalog, actor)
        catalog.save(update_fields=["editors", "updated_at"])
        audit_event(Event.CATALOG_EDIT, actor=actor, object_id=catalog.pk, region_code=catalog.region_id,
                    after={"added": occupation.code, "reason": reason})  # fmt: skip
    return item


def catalog_item_remove(*, actor: Actor, catalog_id: Any, occupation_code: str, reason: str) -> ShortageItem:
    reason = (reason or "").strip()[:300]
    if not reason:
        raise invalid(field="reason", code=Code.REASON_REQUIRED, message="请填写移出理由。")
    with transaction.atomic():
        catalog = _draft(catalog_id, actor, CATALOG_EDIT)
        if catalog.status != CatalogStatus.DRAFT:
            raise InvalidState("只能修改草稿。", code=Code.CATALOG_NOT_DRAFT)
        item: ShortageItem | None = catalog.items.filter(occupation__code=(occupation_code or "").strip()).first()
        if item is None:
            raise invalid(field="occupation_code", code=Code.UNKNOWN_OCCUPATION, message="该职业不在草稿中。")
        item.removed, item.reason = True, reason
        item.save(update_fields=["removed", "reason", "updated_at"])
        _editor(catalog, actor)
        catalog.save(update_fields=["editors", "updated_at"])
        audit_event(Event.CATALOG_EDIT, actor=actor, object_id=catalog.pk, region_code=catalog.region_id,
                    after={"removed": item.occupation.code, "reason": reason})  # fmt: skip
    return item


def catalog_approve(*, actor: Actor, catalog_id: Any) -> ShortageCatalog:
    """审核: by a holder of ``catalog.approve`` who neither drafted nor edited this version (separation of duties)."""
    with transaction.atomic():
        catalog = _draft(catalog_id, actor, CATALOG_APPROVE)
        if catalog.status != CatalogStatus.DRAFT:
            raise InvalidState("只有草稿可以审核。", code=Code.CATALOG_NOT_DRAFT)
        if str(getattr(actor, "pk", "")) in catalog.editors:
            raise PermissionDenied("起草或修改过该目录的人员不能审核它（不相容岗位分离）。", code=Code.APPROVER_EDITED)
        if not catalog.items.filter(removed=False).exists():
            raise InvalidState("目录中没有职业，不能审核。", code=Code.CATALOG_EMPTY)
        catalog.status = CatalogStatus.APPROVED
        catalog.approved_by = _user(actor)
        catalog.approved_at = timezone.now()
        catalog.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
        audit_event(Event.CATALOG_APPROVE, actor=actor, object_id=catalog.pk, region_code=catalog.region_id,
                    after={"version_no": catalog.version_no})  # fmt: skip
    return catalog


def catalog_publish(*, actor: Actor, catalog_id: Any, effective_from: dt.date | None) -> ShortageCatalog:
    """发布 an approved version with its effective date (not before the latest published version's): from that date
    it is the catalog in force; the earlier versions stay, for the dates they governed."""
    if effective_from is None:
        raise invalid(field="effective_from", code=Code.BAD_DATE, message="请填写生效日期。")
    with transaction.atomic():
        catalog = _draft(catalog_id, actor, CATALOG_APPROVE)
        if catalog.status != CatalogStatus.APPROVED:
            raise InvalidState("目录须经审核后才能发布。", code=Code.CATALOG_NOT_APPROVED)
        latest = (
            ShortageCatalog.objects.filter(region_id=catalog.region_id, status=CatalogStatus.PUBLISHED)
            .order_by("-effective_from")
            .values_list("effective_from", flat=True)
            .first()
        )
        if latest is not None and effective_from <= latest:
            raise invalid(field="effective_from", code=Code.EFFECTIVE_BEFORE_PREVIOUS,
                          message=f"生效日期须晚于上一版的生效日期 {latest}。")  # fmt: skip
        catalog.status = CatalogStatus.PUBLISHED
        catalog.effective_from = effective_from
        catalog.published_by = _user(actor)
        catalog.published_at = timezone.now()
        catalog.save(update_fields=["status", "effective_from", "published_by", "published_at", "updated_at"])
        audit_event(Event.CATALOG_PUBLISH, actor=actor, object_id=catalog.pk, region_code=catalog.region_id,
                    after={"version_no": catalog.version_no, "effective_from": effective_from.isoformat()})  # fmt: skip
    return catalog
