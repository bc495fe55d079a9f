"""Bulk import of organizations, programs, the teachers' pool and bases through the import framework.

Every row goes through the same service as a page or the API, so the rules are the same: in the check pass each
row runs inside a savepoint that is rolled back (nothing is written, every refusal is reported with its code); in
the write pass it runs for real. A row whose key already exists (credit code, program code, the person's role in a
region, a base's kind × level × name × region) is counted unchanged: re-importing a file creates no duplicates.

Templates (Chinese headers) come from the framework: ``/imports/template/<kind>.xlsx``.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction

from jineng.accounts.api import Operator, Organization, User
from jineng.common.errors import DomainError
from jineng.imports.api import (
    Column,
    Context,
    Importer,
    Issue,
    Outcome,
    Row,
    mask_value,
    parse_date,
    parse_int,
    register_importer,
)
from jineng.providers.models import (
    AffiliationKind,
    BaseKind,
    BaseLevel,
    DeliveryMode,
    EnterpriseSize,
    EvaluatorType,
    OrganizationProfile,
    PoolRole,
    PoolRoleKind,
    PoolRoleStatus,
    Program,
    ProviderType,
    RegistrationSource,
    SubsidyCategory,
    TrainingBase,
    TrainingKind,
)
from jineng.providers.people import person_by_document
from jineng.providers.services import bases, organizations, programs, teachers
from jineng.refdata.api import level_lookup

YES = {"是", "Y", "y", "yes", "true", "1", "√"}


def _choice_names(choices: Any, extra: dict[str, str] | None = None) -> dict[str, str]:
    table = {str(label): value for value, label in choices} | {value: value for value, _label in choices}
    return table | (extra or {})


KIND_NAMES = {"培训机构": "provider", "企业": "enterprise", "评价机构": "evaluator", "provider": "provider",
              "enterprise": "enterprise", "evaluator": "evaluator", "用人单位": "enterprise"}  # fmt: skip
PROVIDER_TYPE_NAMES = _choice_names(
    ProviderType.choices, {"技工学校": "technical_school", "技师学院": "technical_school"}
)
EVALUATOR_TYPE_NAMES = _choice_names(EvaluatorType.choices, {"用人单位": "employer", "社会培训评价组织": "social"})
SIZE_NAMES = _choice_names(
    EnterpriseSize.choices, {"大型企业": "large", "中型企业": "medium", "小型企业": "small", "微型企业": "micro"}
)
TRAINING_KIND_NAMES = _choice_names(
    TrainingKind.choices, {"新型学徒制": "apprenticeship", "企业新型学徒制培训": "apprenticeship"}
)
DELIVERY_NAMES = _choice_names(
    DeliveryMode.choices, {"线上线下": "blended", "线上线下结合": "blended", "混合": "blended"}
)
SUBSIDY_NAMES = _choice_names(SubsidyCategory.choices, {"A": "A", "B": "B", "C": "C", "无": "none"})
ROLE_NAMES = _choice_names(
    PoolRoleKind.choices, {"教师": "teacher", "讲师": "teacher", "考评员": "examiner", "督导员": "inspector"}
)
AFFILIATION_NAMES = _choice_names(AffiliationKind.choices)
BASE_KIND_NAMES = _choice_names(BaseKind.choices)
BASE_LEVEL_NAMES = _choice_names(
    BaseLevel.choices, {"国家": "national", "省": "provincial", "市": "municipal", "地市级": "municipal"}
)


def _level_code(text: str) -> str:
    """A level written as its code, 四级, 中级工 or 四级/中级工; unknown text passes through (the service refuses it)."""
    if not text:
        return ""
    level = level_lookup(text)
    return level.code if level else text


def _actor(ctx: Context) -> Any:
    return ctx.actor if isinstance(ctx.actor, User) else Operator()


class ServiceImporter(Importer):
    """Runs ``write_row`` per row in a savepoint (rolled back in the check pass) and turns refusals into issues."""

    field_columns: dict[str, str] = {}

    def key(self, row: Row) -> str:
        return ""

    def exists(self, row: Row, ctx: Context) -> bool:
        return False

    def write_row(self, row: Row, ctx: Context) -> None:
        raise NotImplementedError

    def _issue(self, row: Row, key: str, code: str, message: str) -> Issue:
        sensitive = self.column(key).sensitive if key and any(c.key == key for c in self.columns) else ""
        value = mask_value(row.values.get(key, ""), sensitive) if key else ""
        return Issue(row.number, key, value, code, message)

    def _column_for(self, field: str) -> str:
        name = field.split("[")[0].split(".")[0]
        if name in self.field_columns:
            return self.field_columns[name]
        return name if any(c.key == name for c in self.columns) else ""

    def process(self, rows: list[Row], ctx: Context) -> Outcome:
        outcome = Outcome()
        seen: dict[str, int] = ctx.state.setdefault("seen", {})
        for row in rows:
            key = self.key(row)
            if key and key in seen:
                outcome.issues.append(self._issue(row, "", "duplicate_row", f"与第 {seen[key]} 行重复。"))
                continue
            if key:
                seen[key] = row.number
            if self.exists(row, ctx):
                outcome.unchanged += 1
                continue
            try:
                with transaction.atomic():
                    self.write_row(row, ctx)
                    if not ctx.write:
                        transaction.set_rollback(True)
            except DomainError as exc:
                if exc.fields:
                    for fe in exc.fields:
                        outcome.issues.append(self._issue(row, self._column_for(fe.field), fe.code, fe.message))
                else:
                    outcome.issues.append(self._issue(row, "", exc.code, exc.message))
                continue
            if ctx.write:
                outcome.created += 1
        return outcome


def _choice(row: Row, key: str, table: dict[str, str]) -> str:
    text = row.values.get(key, "")
    return table.get(text, text)


def _decimal(text: str) -> str | None:
    return text or None


def _items(text: str) -> list[str]:
    """A list cell split on 、，,;；| or spaces — not on ``/``, which tags (``taxonomy/code``) and levels use."""
    return [item for item in re.split(r"[、,，;；|\s]+", text or "") if item]


def _pairs(text: str) -> list[tuple[str, str]]:
    """``4-04-05-01:grade3；6-18-02-04:四级`` → [(occupation, level code)]."""
    pairs = []
    for item in _items(text):
        occupation, _sep, level = item.replace("：", ":").partition(":")
        pairs.append((occupation.strip(), _level_code(level.strip())))
    return pairs


# ---- organizations -------------------------------------------------------------------------------------------


class OrganizationsImporter(ServiceImporter):
    kind = "organizations"
    label = "培训机构与企业"
    permission = "records.review"
    columns = (
        Column("kind", "组织类别", ("机构类别", "单位类别"), required=True),
        Column("name", "机构名称", ("单位名称", "名称", "企业名称"), required=True),
        Column("credit_code", "统一社会信用代码", ("信用代码", "社会信用代码"), required=True),
        Column("region", "注册地行政区划代码", ("行政区划代码", "所在地区划代码", "注册地")),
        Column("provider_type", "机构类型", ("培训机构类型",)),
        Column("evaluator_type", "评价机构类型"),
        Column("is_above_scale", "规模以上企业", ("规上企业", "是否规模以上")),
        Column("size", "企业规模"),
        Column("employees", "职工人数", ("从业人数",)),
        Column("industry_tags", "产业标签", ("产业集群",)),
        Column("legal_representative", "法定代表人"),
        Column("address", "地址", ("详细地址", "办学地址")),
        Column("longitude", "经度"),
        Column("latitude", "纬度"),
        Column("contact_name", "联系人"),
        Column("contact_phone", "联系电话", ("联系人电话", "手机号码"), sensitive="phone"),
        Column("licence_number", "办学许可证编号", ("许可证编号", "办学许可证号")),
        Column("licence_issuer", "发证机关"),
        Column("licence_valid_from", "许可证有效期起"),
        Column("licence_valid_until", "许可证有效期至", ("许可证有效期",)),
        Column("licence_items", "许可培训职业", ("许可职业",)),
    )
    field_columns = {"kind": "kind", "licence_items": "licence_items", "organization": "kind"}

    def key(self, row: Row) -> str:
        return row.values.get("credit_code", "").upper()

    def exists(self, row: Row, ctx: Context) -> bool:
        return Organization.objects.filter(credit_code=self.key(row)).exists()

    def write_row(self, row: Row, ctx: Context) -> None:
        v = row.values
        organizations.profile_create(
            actor=_actor(ctx),
            kind=_choice(row, "kind", KIND_NAMES),
            name=v.get("name", ""),
            credit_code=v.get("credit_code", ""),
            region_code=v.get("region", "") or ctx.region_code,
            source=RegistrationSource.IMPORT,
            data=organizations.ProfileData(
                provider_type=_choice(row, "provider_type", PROVIDER_TYPE_NAMES),
                evaluator_type=_choice(row, "evaluator_type", EVALUATOR_TYPE_NAMES),
                is_above_scale=v.get("is_above_scale", "") in YES,
                size=_choice(row, "size", SIZE_NAMES),
                employees=parse_int(v.get("employees", "")),
                industry_tags=_items(v.get("industry_tags", "")),
                legal_representative=v.get("legal_representative", ""),
                address=v.get("address", ""),
                latitude=_decimal(v.get("latitude", "")),
                longitude=_decimal(v.get("longitude", "")),
                contact_name=v.get("contact_name", ""),
                contact_phone=v.get("contact_phone", ""),
            ),
            licence=organizations.LicenceData(
                number=v.get("licence_number", ""),
                issuer=v.get("licence_issuer", ""),
                valid_from=parse_date(v.get("licence_valid_from", "")),
                valid_until=parse_date(v.get("licence_valid_until", "")),
                items=_pairs(v.get("licence_items", "")),
            ),
        )


# ---- programs ------------------------------------------------------------------------------------------------


class ProgramsImporter(ServiceImporter):
    kind = "programs"
    label = "培训项目"
    permission = "records.review"
    columns = (
        Column("code", "项目编号", ("编号", "项目代码"), required=True),
        Column("name", "项目名称", ("名称",), required=True),
        Column("occupation", "职业代码", ("职业（工种）代码", "职业编码")),
        Column("level", "等级", ("技能等级", "培训等级")),
        Column("training_kind", "培训类型", required=True),
        Column("hours_theory", "理论学时", required=True),
        Column("hours_practice", "实操学时", ("实训学时",), required=True),
        Column("delivery", "培训方式", ("授课方式",), required=True),
        Column("subsidy_category", "补贴类别", ("补贴标准类别",), required=True),
        Column("region", "所属行政区划代码", ("行政区划代码",)),
        Column("industry_tags", "产业标签"),
        Column("syllabus", "培训大纲", ("培训内容",)),
        Column("list_region", "纳入目录地区代码", ("目录地区",)),
        Column("valid_from", "目录有效期起"),
        Column("valid_until", "目录有效期至"),
    )

    def key(self, row: Row) -> str:
        return row.values.get("code", "")

    def exists(self, row: Row, ctx: Context) -> bool:
        return Program.objects.filter(code=self.key(row)).exists()

    def write_row(self, row: Row, ctx: Context) -> None:
        v = row.values
        hours = {}
        for key in ("hours_theory", "hours_practice"):
            value = parse_int(v.get(key, ""))
            hours[key] = value if value is not None else -1
        program = programs.program_create(
            actor=_actor(ctx),
            data=programs.ProgramData(
                code=v.get("code", ""),
                name=v.get("name", ""),
                occupation=v.get("occupation", ""),
                level=_level_code(v.get("level", "")),
                training_kind=_choice(row, "training_kind", TRAINING_KIND_NAMES),
                delivery=_choice(row, "delivery", DELIVERY_NAMES),
                subsidy_category=_choice(row, "subsidy_category", SUBSIDY_NAMES),
                region=v.get("region", "") or ctx.region_code,
                syllabus=v.get("syllabus", ""),
                industry_tags=_items(v.get("industry_tags", "")),
                **hours,
            ),
        )
        if v.get("list_region"):
            programs.catalog_list(
                actor=_actor(ctx),
                program=program,
                region_code=v["list_region"],
                valid_from=parse_date(v.get("valid_from", "")) or ctx.today,
                valid_until=parse_date(v.get("valid_until", "")),
            )


# ---- teachers' pool ------------------------------------------------------------------------------------------


class TeachersImporter(ServiceImporter):
    kind = "teachers"
    label = "师资库"
    permission = "records.view"
    columns = (
        Column("name", "姓名", required=True),
        Column(
            "id_number", "身份证号码", ("身份证号", "证件号码", "公民身份号码"), required=True, sensitive="id_number"
        ),
        Column("role", "角色", ("师资类别", "人员类别"), required=True),
        Column("region", "师资库行政区划代码", ("行政区划代码",)),
        Column("credit_code", "所属机构统一社会信用代码", ("机构统一社会信用代码", "单位统一社会信用代码")),
        Column("affiliation", "聘任方式", ("专兼职",)),
        Column("employer_name", "工作单位"),
        Column("title", "职称"),
        Column("teacher_qualification", "教师资格", ("教师资格证",)),
        Column("is_integrated", "一体化教师", ("是否一体化教师",)),
        Column("specialities", "专业领域职业代码", ("专业领域", "职业代码")),
        Column("served_regions", "服务地区代码", ("服务地区",)),
        Column("valid_from", "入库日期"),
        Column("valid_until", "聘期至"),
    )
    field_columns = {"person_id": "id_number", "organization": "credit_code", "profile": "credit_code"}

    def key(self, row: Row) -> str:
        return "|".join(
            (row.values.get("id_number", "").upper(), _choice(row, "role", ROLE_NAMES), row.values.get("region", ""))
        )

    def _organization(self, row: Row) -> Organization | None:
        code = row.values.get("credit_code", "").upper()
        if not code:
            return None
        org = Organization.objects.filter(credit_code=code).first()
        if org is None:
            raise DomainError(code="unknown_organization", message=f"统一社会信用代码未登记：{code}", status=422)
        return org

    def write_row(self, row: Row, ctx: Context) -> None:
        v = row.values
        person = person_by_document(v.get("id_number", ""), v.get("name", ""))
        organization = self._organization(row)
        role_kind = _choice(row, "role", ROLE_NAMES)
        region = v.get("region", "") or (organization.region_id if organization else ctx.region_code)
        existing = PoolRole.objects.filter(person=person, role=role_kind, region_id=region).exclude(
            status=PoolRoleStatus.RETIRED
        )
        if existing.exists():
            return
        role = teachers.pool_role_add(
            actor=_actor(ctx),
            person=person,
            organization=organization,
            data=teachers.RoleData(
                role=role_kind,
                region=region,
                valid_from=parse_date(v.get("valid_from", "")),
                valid_until=parse_date(v.get("valid_until", "")),
                employer_name=v.get("employer_name", ""),
                title=v.get("title", ""),
                teacher_qualification=v.get("teacher_qualification", ""),
                is_integrated=v.get("is_integrated", "") in YES,
                specialities=_items(v.get("specialities", "")),
                served_regions=_items(v.get("served_regions", "")),
            ),
        )
        profile = OrganizationProfile.objects.filter(organization=organization).first() if organization else None
        if (
            profile is not None
            and role_kind == PoolRoleKind.TEACHER
            and organization
            and organization.kind == "provider"
        ):
            teachers.affiliation_add(
                actor=_actor(ctx),
                role=role,
                profile=profile,
                kind=_choice(row, "affiliation", AFFILIATION_NAMES) or AffiliationKind.FULL_TIME,
                valid_from=role.valid_from,
            )


# ---- bases ---------------------------------------------------------------------------------------------------


class BasesImporter(ServiceImporter):
    kind = "training_bases"
    label = "基地与工作室"
    permission = "records.review"
    columns = (
        Column("kind", "类别", ("基地类别",), required=True),
        Column("name", "名称", ("基地名称", "工作室名称"), required=True),
        Column("level", "级别", required=True),
        Column("approval_year", "批准年度", ("批准年份", "认定年度"), required=True),
        Column("region", "所在行政区划代码", ("行政区划代码",), required=True),
        Column("host_name", "依托单位", ("建设单位",), required=True),
        Column("host_credit_code", "依托单位统一社会信用代码"),
        Column("approval_document", "批准文号"),
        Column("occupations", "相关职业代码", ("职业代码",)),
    )
    field_columns = {"year": "approval_year"}

    def key(self, row: Row) -> str:
        v = row.values
        return "|".join(
            (
                _choice(row, "kind", BASE_KIND_NAMES),
                _choice(row, "level", BASE_LEVEL_NAMES),
                v.get("name", ""),
                v.get("region", ""),
            )
        )

    def exists(self, row: Row, ctx: Context) -> bool:
        v = row.values
        return TrainingBase.objects.filter(
            kind=_choice(row, "kind", BASE_KIND_NAMES),
            level=_choice(row, "level", BASE_LEVEL_NAMES),
            name=v.get("name", ""),
            region_id=v.get("region", ""),
        ).exists()

    def write_row(self, row: Row, ctx: Context) -> None:
        v = row.values
        host = None
        if v.get("host_credit_code"):
            host = OrganizationProfile.objects.filter(organization__credit_code=v["host_credit_code"].upper()).first()
        bases.base_create(
            actor=_actor(ctx),
            host=host,
            data=bases.BaseData(
                kind=_choice(row, "kind", BASE_KIND_NAMES),
                name=v.get("name", ""),
                level=_choice(row, "level", BASE_LEVEL_NAMES),
                approval_year=parse_int(v.get("approval_year", "")),
                region=v.get("region", ""),
                host_name=v.get("host_name", ""),
                approval_document=v.get("approval_document", ""),
                occupations=_items(v.get("occupations", "")),
            ),
        )


IMPORTERS = (OrganizationsImporter(), ProgramsImporter(), TeachersImporter(), BasesImporter())
KINDS = [{"kind": i.kind, "label": i.label, "headers": i.template_headers()} for i in IMPORTERS]


def register() -> None:
    for importer in IMPORTERS:
        register_importer(importer)
