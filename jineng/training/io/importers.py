"""Import kinds ``roster`` (花名册) and ``attendance`` (考勤) — ``jineng import roster FILE --class CLASS``.

Both go through the services the API uses, so the rules are the same. The check pass validates the whole file
(rosters: a dry run of ``enrollments_add`` carrying what earlier batches accepted, so capacity and in-file
duplicates count across batches); the write pass writes the valid rows. A trainee already on the roster and an
attendance event already received are counted unchanged: re-importing a file creates nothing twice.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone, translation

from jineng.accounts.api import get_visible
from jineng.common.errors import DomainError
from jineng.imports.api import (
    CellRule,
    Column,
    Context,
    FileRefused,
    Importer,
    Issue,
    Outcome,
    Row,
    clean_text,
    mask_value,
    parse_int,
    register_importer,
    split_list,
)
from jineng.refdata.api import Region, RegionClosure, region_resolve
from jineng.registry import api as registry
from jineng.rules.idcard import DOC_TYPE_LABELS, doc_type_named
from jineng.training.models import (
    AttendanceKind,
    AttendanceMethod,
    Enrollment,
    EnrollmentSource,
    EnrollmentStatus,
    TrainingClass,
)
from jineng.training.services.attendance import AttendanceInput, attendance_record
from jineng.training.services.rosters import RosterRow, enrollments_add

YES = {"是", "已签", "已签署", "Y", "y", "yes", "true", "1", "√"}
NO = {"否", "未签", "N", "n", "no", "false", "0", "×"}
with translation.override("zh-hans"):  # the names a spreadsheet carries are Chinese whatever the reader's language
    GROUP_LABELS = tuple(str(label) for _value, label in registry.Group.choices)
GROUP_NAMES = dict(zip(GROUP_LABELS, registry.Group.values, strict=True)) | registry.GROUP_SYNONYMS
DERIVED = {"妇女", "青年"}
DOC_TYPES = tuple(DOC_TYPE_LABELS.values())
# A cell's text is read full-width → half-width: 居民身份证（15位旧号码） arrives as 居民身份证(15位旧号码).
DOC_TYPE_CELLS = {clean_text(label): doc for doc, label in DOC_TYPE_LABELS.items()}
PLEDGE = ("是", "否")
GROUPS_RULE = CellRule(GROUP_LABELS, several=True, prompt="可多选，用“、”分隔，如：失业人员、高校毕业生")


def resolve_class(ctx: Context) -> TrainingClass:
    """The class named by ``--class`` (its code or id), within the importer's scope; the file is refused otherwise."""
    ref = str(ctx.options.get("class") or "").strip()
    if not ref:
        raise FileRefused("class_required", "请指定培训班（--class 班级编号）。")
    cached = ctx.state.get("class")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    found = TrainingClass.objects.filter(code=ref).first()
    try:
        pk = found.pk if found else ref
        training_class = get_visible(TrainingClass, ctx.actor, pk, "records.view")
    except DomainError:
        raise FileRefused("unknown_class", f"培训班不存在或不在您的权限范围内：{ref}") from None
    ctx.state["class"] = training_class
    return training_class


class RosterImporter(Importer):
    kind = "roster"
    label = "培训班花名册"
    permission = "attachments.upload"
    options = (("class", "培训班编号"),)
    columns = (
        Column("name", "姓名", ("学员姓名", "人员姓名"), required=True),
        Column("id_number", "身份证号码", ("身份证号", "公民身份号码", "证件号码", "身份证件号码"), required=True,
               sensitive="id_number"),
        Column("doc_type", "证件类型", ("证件种类",)),
        Column("phone", "手机号码", ("手机号", "联系电话", "联系方式"), sensitive="phone"),
        Column("groups", "人员类别", ("人员类型", "重点群体", "就业前所属群体")),
        # The name as people write it (天河区, 广州市天河区) or the six-digit code (issue 15: a code was required).
        Column("residence_region", "居住地", ("居住地行政区划代码", "居住地代码", "现居住地", "居住地（县区）")),
        Column("pledge", "学员承诺", ("承诺书", "已签承诺书", "参训承诺")),
        Column("graduation_year", "毕业年度", ("毕业年份", "毕业时间")),  # 高校毕业生 only
    )  # fmt: skip
    # The template's 填写示例 sheet: a row that imports as it is (a fictitious person of 天河区).
    example = {"name": "张晓明", "id_number": "440106199203154517", "doc_type": "居民身份证",
               "phone": "13800138001", "groups": "失业人员", "residence_region": "广州市天河区", "pledge": "是",
               "graduation_year": ""}  # fmt: skip

    def template_rules(self, actor: Any) -> dict[str, CellRule]:
        year = timezone.localdate().year
        return {
            "doc_type": CellRule(DOC_TYPES),
            "groups": GROUPS_RULE,
            "residence_region": CellRule(residence_names(actor), strict=False,
                                         prompt="县（市、区）名称，如“广州市天河区”；不在列表中的可直接填写"),
            "pledge": CellRule(PLEDGE, prompt="学员已签署参训承诺填“是”"),
            "graduation_year": CellRule(whole=(1950, year + 1), prompt="高校毕业生填写，如 2025"),
        }  # fmt: skip

    def _issue(self, row_number: int, key: str, value: str, code: str, message: str) -> Issue:
        sensitive = self.column(key).sensitive if key in {c.key for c in self.columns} else ""
        return Issue(row_number, key if key in {c.key for c in self.columns} else "", mask_value(value, sensitive),
                     code, message)  # fmt: skip

    def process(self, rows: list[Row], ctx: Context) -> Outcome:
        training_class = resolve_class(ctx)
        out = Outcome()
        roster: list[RosterRow] = []
        values: dict[int, dict[str, str]] = {}
        for row in rows:
            v = row.values
            values[row.number] = v
            written = clean_text(v.get("residence_region", ""))
            residence = region_resolve(written, within=training_class.region_id) if written else None
            if written and residence is None:
                out.issues.append(self._issue(row.number, "residence_region", written, "unknown_region",
                                              "居住地不正确：请填写县（市、区）名称，如“广州市天河区”，或6位行政区划代码。"))  # fmt: skip
                continue
            doc_type = clean_text(v.get("doc_type", ""))
            named = doc_type_named(doc_type) or DOC_TYPE_CELLS.get(doc_type) if doc_type else None
            if doc_type and named is None:
                out.issues.append(self._issue(row.number, "doc_type", doc_type, "id_unknown_doc_type",
                                              f"证件类型不正确：{doc_type}。请填写：{'、'.join(DOC_TYPES)}。"))  # fmt: skip
                continue
            pledge = clean_text(v.get("pledge", ""))
            if pledge and pledge not in YES and pledge not in NO:
                out.issues.append(self._issue(row.number, "pledge", pledge, "unknown_pledge",
                                              f"学员承诺不正确：{pledge}。请填写“是”或“否”。"))  # fmt: skip
                continue
            groups: list[str] = []
            unknown = []
            for item in split_list(v.get("groups", "")):
                if item in DERIVED:
                    continue
                if item in GROUP_NAMES:
                    groups.append(GROUP_NAMES[item])
                elif item in registry.Group.values:
                    groups.append(item)  # the stable code, as an exported file carries it
                else:
                    unknown.append(item)
            if unknown:
                out.issues.append(self._issue(row.number, "groups", v.get("groups", ""), "unknown_group",
                                              f"人员类别不正确：{'、'.join(unknown)}。请填写（可多选，用“、”分隔）："
                                              f"{GROUPS_RULE.listing(len(GROUP_LABELS))}。"))  # fmt: skip
                continue
            roster.append(
                RosterRow(
                    name=v.get("name", ""),
                    id_number=v.get("id_number", ""),
                    row=row.number,
                    doc_type=named.value if named is not None else None,
                    phone=v.get("phone", ""),
                    groups=groups,
                    residence_region=residence,
                    pledge=pledge in YES,
                    graduation_year=parse_int(clean_text(v.get("graduation_year", "")).removesuffix("年")),
                )
            )
        try:
            result = enrollments_add(
                actor=ctx.actor,
                training_class=training_class,
                rows=roster,
                source=EnrollmentSource.IMPORT,
                mode="partial",
                reason="开班后补录（花名册导入）",
                dry_run=not ctx.write,
                state=ctx.state.setdefault("roster", {}),
                records=False,
            )
        except FileRefused:
            raise
        except DomainError as exc:
            raise FileRefused(exc.code, exc.message) from None
        for refusal in result.refused:
            if refusal.code == "already_enrolled":
                out.unchanged += 1  # a re-imported row: nothing to do
                continue
            key = refusal.field
            out.issues.append(self._issue(refusal.row, key, values.get(refusal.row, {}).get(key, ""), refusal.code,
                                          refusal.message))  # fmt: skip
        out.created += result.accepted_rows
        return out


def residence_names(actor: Any) -> tuple[str, ...]:
    """The template's 居住地 dropdown: the current counties, as 广州市天河区, of the province(s) the downloading user
    works in (their official grants, else their organization's region); every county when neither says."""
    from jineng.accounts.api import principal_for

    principal = principal_for(actor)
    codes = set(principal.region_perms)
    if principal.org_perms:
        from jineng.accounts.api import Organization

        codes |= set(Organization.objects.filter(pk__in=list(principal.org_perms)).values_list("region_id", flat=True))
    provinces = sorted({code[:2] + "0000" for code in codes if code and code != "000000"})
    qs = Region.objects.current().filter(level="county").select_related("parent")
    if provinces and not principal.superuser:
        qs = qs.filter(code__in=RegionClosure.objects.filter(ancestor_id__in=provinces).values("descendant_id"))
    names = []
    for r in qs.order_by("code")[:4000]:
        city = r.parent.name if r.parent is not None and r.parent.level == "city" else ""
        names.append(f"{city}{r.name}")
    return tuple(names)


KIND_NAMES = {"签到": AttendanceKind.CHECK_IN, "签退": AttendanceKind.CHECK_OUT, "in": "in", "out": "out"}
METHOD_NAMES = {str(label): value for value, label in AttendanceMethod.choices} | {
    "人脸": "face", "刷脸": "face", "二维码": "qr", "扫码": "qr", "刷卡": "card", "社保卡": "card", "人工": "manual",
    "手工": "manual",
} | {value: value for value in AttendanceMethod.values}  # fmt: skip
_TIME = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?[ T]+(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2}))?")


def parse_moment(text: str) -> dt.datetime | None:
    """``2026-03-02 09:01``, ``2026/3/2 9:01:30``, ``2026-03-02T09:01:30`` in local time."""
    m = _TIME.match(clean_text(text))
    if not m:
        return None
    try:
        y, mo, d, h, mi, sec = (int(g) if g else 0 for g in m.groups())
        naive = dt.datetime(y, mo, d, h, mi, sec)  # noqa: DTZ001 - made aware just below
    except ValueError:
        return None
    return timezone.make_aware(naive)


class AttendanceImporter(Importer):
    kind = "attendance"
    label = "考勤记录"
    permission = "attachments.upload"
    options = (("class", "培训班编号"),)
    columns = (
        Column("id_number", "身份证号码", ("身份证号", "证件号码", "公民身份号码"), required=True, sensitive="id_number"),
        Column("kind", "打卡类型", ("类型", "签到签退"), required=True),
        Column("at", "打卡时间", ("时间", "考勤时间"), required=True),
        Column("method", "考勤方式", ("方式",), required=True),
        Column("device", "设备编号", ("设备", "考勤机编号"), required=True),
        Column("event_id", "记录编号", ("事件编号", "流水号"), required=True),
        Column("latitude", "纬度"),
        Column("longitude", "经度"),
    )  # fmt: skip

    def _issue(self, row: Row, key: str, code: str, message: str) -> Issue:
        sensitive = self.column(key).sensitive if key else ""
        return Issue(row.number, key, mask_value(row.values.get(key, ""), sensitive) if key else "", code, message)

    def _enrollments(self, ctx: Context, training_class: TrainingClass) -> dict[Any, Any]:
        cached = ctx.state.get("enrollments")
        if cached is None:
            cached = dict(
                Enrollment.objects.filter(training_class=training_class, status=EnrollmentStatus.ENROLLED)
                .values_list("person_id", "pk")
            )  # fmt: skip
            ctx.state["enrollments"] = cached
        return dict(cached)

    def process(self, rows: list[Row], ctx: Context) -> Outcome:
        training_class = resolve_class(ctx)
        enrollment_of = self._enrollments(ctx, training_class)
        persons: dict[str, Any] = ctx.state.setdefault("persons", {})
        out = Outcome()
        events: list[AttendanceInput] = []
        numbers: list[Row] = []
        for row in rows:
            v = row.values
            number = v.get("id_number", "")
            if number not in persons:
                try:
                    person = registry.person_resolve(number)
                except DomainError as exc:
                    out.issues.append(self._issue(row, "id_number", exc.code, exc.message))
                    continue
                persons[number] = person.pk if person else None
            enrollment_id = enrollment_of.get(persons[number])
            if enrollment_id is None:
                out.issues.append(self._issue(row, "id_number", "unknown_enrollment", "该人员不在本班在训名册中。"))
                continue
            kind = KIND_NAMES.get(v.get("kind", ""))
            method = METHOD_NAMES.get(v.get("method", ""))
            at = parse_moment(v.get("at", ""))
            if kind is None:
                out.issues.append(self._issue(row, "kind", "bad_choice", "打卡类型应为“签到”或“签退”。"))
                continue
            if method is None:
                out.issues.append(
                    self._issue(row, "method", "bad_choice", "考勤方式应为人脸识别、扫码、刷卡或人工登记。")
                )
                continue
            if at is None:
                out.issues.append(self._issue(row, "at", "bad_time", "打卡时间格式不正确（如 2026-03-02 09:01）。"))
                continue
            events.append(
                AttendanceInput(event_id=v.get("event_id", ""), enrollment=enrollment_id, kind=kind, at=at,
                                method=method, latitude=v.get("latitude") or None,
                                longitude=v.get("longitude") or None, device=v.get("device", ""))
            )  # fmt: skip
            numbers.append(row)
        result = attendance_record(actor=ctx.actor, device="", events=events, dry_run=not ctx.write)
        for outcome in result.outcomes:
            row = numbers[outcome.index]
            if outcome.status == "accepted":
                out.created += 1
            elif outcome.status == "duplicate":
                out.unchanged += 1
            else:
                out.issues.append(self._issue(row, "", outcome.code, outcome.message))
        return out


def register() -> None:
    register_importer(RosterImporter())
    register_importer(AttendanceImporter())
