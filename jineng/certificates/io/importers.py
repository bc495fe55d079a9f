"""历史证书导入 — the ``certificates`` import kind (``jineng import certificates FILE``, the upload page, the API).

One row per certificate issued before this platform, kept with its original number. Columns (Chinese headers,
synonyms accepted): 证书编号, 姓名, 身份证号码, 证书类别, 职业（工种）, 发证机构, 发证日期 required; 职业编码, 等级,
发证机构统一社会信用代码, 归属地区 optional.

Per row: the holder must be registered (persons import first) under the same name; the kind, occupation code,
level and region must be known; a number already on the platform for the same holder is unchanged (re-importing a
file creates nothing twice), for someone else it is an error. The certificate is attributed to the region given,
else the issuing organization's region, else the importing office's region.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction

from jineng.accounts.api import Operator, Organization, User, visible
from jineng.certificates.models import Certificate
from jineng.certificates.services import certificate_import
from jineng.common.errors import DomainError
from jineng.imports.api import Column, Context, Importer, Issue, Outcome, Row, mask_value, parse_date, register_importer
from jineng.refdata.api import CertificateKind, level_lookup, occupation_validate, region_validate
from jineng.registry.api import Person, person_resolve
from jineng.rules.certificates import normalize_number

_NUMBER = re.compile(r"[0-9A-Z]{4,40}")
COLUMNS = (
    Column("number", "证书编号", ("证书号", "证书号码", "证书序列号", "证书编码"), required=True),
    Column("name", "姓名", ("持证人", "持证人姓名", "考生姓名"), required=True),
    Column(
        "id_number",
        "身份证号码",
        ("身份证号", "公民身份号码", "证件号码", "身份证件号码"),
        required=True,
        sensitive="id_number",
    ),  # fmt: skip
    Column("kind", "证书类别", ("证书类型", "证书种类"), required=True),
    Column(
        "occupation_name", "职业（工种）", ("职业", "职业名称", "工种", "职业（工种）名称", "项目名称"), required=True
    ),
    Column("occupation_code", "职业编码", ("职业代码", "职业编号")),
    Column("level", "等级", ("技能等级", "职业技能等级", "级别")),
    Column("issuer_name", "发证机构", ("发证单位", "评价机构", "颁证机构"), required=True),
    Column("issuer_code", "发证机构统一社会信用代码", ("统一社会信用代码", "机构代码")),
    Column("issued_on", "发证日期", ("颁证日期", "取证日期", "发证时间"), required=True),
    Column("region", "归属地区", ("行政区划代码", "地区代码", "所属地区")),
)


def _holder_visible(person: Any, ctx: Context) -> bool:
    """The holder must be a person the importing user already sees (``visible``, as a detail page decides):
    an import never pulls someone from another county into view by naming their ID number."""
    actor = ctx.actor if isinstance(ctx.actor, User) else Operator()
    return visible(Person.objects.filter(pk=person.pk), actor, "records.view").exists()


class CertificatesImporter(Importer):
    kind = "certificates"
    label = "历史证书"
    permission = "records.review"
    columns = COLUMNS

    def _issue(self, row: Row, key: str, code: str, message: str) -> Issue:
        sensitive = self.column(key).sensitive if key else ""
        return Issue(row.number, key, mask_value(row.values.get(key, ""), sensitive) if key else "", code, message)

    def _kind(self, text: str) -> CertificateKind | None:
        kinds = list(CertificateKind.objects.all())
        return next((k for k in kinds if text in (k.code, k.name, k.name.removesuffix("证书"))), None)

    def _row(self, row: Row, ctx: Context) -> tuple[dict[str, Any] | None, list[Issue]]:
        v = row.values
        issues: list[Issue] = []
        number = normalize_number(v.get("number", ""))
        if not _NUMBER.fullmatch(number):
            issues.append(self._issue(row, "number", "bad_number", "证书编号须为4–40位字母或数字。"))
        kind = self._kind(v.get("kind", ""))
        if kind is None:
            issues.append(self._issue(row, "kind", "unknown_certificate_kind",
                                      "证书类别不正确（职业资格证书、职业技能等级证书、专项职业能力证书、培训合格证书）。"))  # fmt: skip
        level = None
        if v.get("level"):
            level = level_lookup(v["level"])
            if level is None:
                issues.append(self._issue(row, "level", "unknown_level", f"技能等级不正确：{v['level']}"))
        elif kind is not None and kind.has_level:
            issues.append(self._issue(row, "level", "level_required", f"{kind.name}须填写等级。"))
        occupation = None
        if v.get("occupation_code"):
            try:
                occupation = occupation_validate(v["occupation_code"])
            except DomainError as exc:
                issues.append(self._issue(row, "occupation_code", "unknown_occupation", exc.fields[0].message))
        issued_on = parse_date(v.get("issued_on", ""))
        if issued_on is None:
            issues.append(self._issue(row, "issued_on", "bad_date", "发证日期不正确（YYYY-MM-DD）。"))
        elif issued_on > ctx.today:
            issues.append(self._issue(row, "issued_on", "date_in_future", "发证日期不能晚于今天。"))
        issuer = None
        if v.get("issuer_code"):
            issuer = Organization.objects.filter(credit_code=v["issuer_code"].upper()).first()
            if issuer is None:
                issues.append(
                    self._issue(row, "issuer_code", "unknown_organization", "平台内没有该统一社会信用代码的机构。")
                )
        region_code = v.get("region", "") or (issuer.region_id if issuer else "") or ctx.region_code
        if not region_code:
            issues.append(self._issue(row, "region", "region_required", "请填写归属地区（或在导入时指定地区）。"))
        else:
            try:
                region_code = region_validate(region_code).code
            except DomainError as exc:
                issues.append(
                    self._issue(row, "region", "unknown_region", exc.fields[0].message if exc.fields else exc.message)
                )
        person = None
        try:
            person = person_resolve(v.get("id_number", ""))
        except DomainError as exc:
            issues.append(self._issue(row, "id_number", exc.fields[0].code if exc.fields else exc.code,
                                      exc.fields[0].message if exc.fields else exc.message))  # fmt: skip
        else:
            if person is not None and not _holder_visible(person, ctx):
                person = None  # out of the importer's scope: answered exactly as an unregistered number
            if person is None:
                issues.append(
                    self._issue(row, "id_number", "person_not_registered", "持证人未在实名制人员库登记，请先导入人员。")
                )
            elif "".join(person.name.split()) != "".join(v.get("name", "").split()):
                issues.append(self._issue(row, "name", "name_mismatch", "姓名与实名制人员库登记的姓名不一致。"))
        if issues:
            return None, issues
        return {
            "number": number,
            "kind": kind,
            "person": person,
            "holder_name": "".join(v["name"].split()),
            "occupation": occupation,
            "occupation_name": v["occupation_name"][:200],
            "level": level if kind is not None and kind.has_level else None,
            "issuer": issuer,
            "issuer_name": v["issuer_name"][:200],
            "issued_on": issued_on,
            "region_code": region_code,
        }, []

    def process(self, rows: list[Row], ctx: Context) -> Outcome:
        outcome = Outcome()
        seen: dict[str, int] = ctx.state.setdefault("seen", {})
        for row in rows:
            data, issues = self._row(row, ctx)
            if data is None:
                outcome.issues += issues
                continue
            number = data["number"]
            if number in seen:
                outcome.issues.append(
                    self._issue(row, "number", "duplicate_row", f"与第 {seen[number]} 行证书编号重复。")
                )
                continue
            seen[number] = row.number
            existing = Certificate.objects.filter(number=number).first()
            if existing is not None:
                if existing.person_id == data["person"].pk:
                    outcome.unchanged += 1
                else:
                    outcome.issues.append(self._issue(row, "number", "number_taken", "该证书编号已属于其他持证人。"))
                continue
            try:
                with transaction.atomic():
                    actor = ctx.actor if isinstance(ctx.actor, User) else Operator()
                    certificate_import(actor=actor, **data)
                    if not ctx.write:
                        transaction.set_rollback(True)
            except DomainError as exc:
                outcome.issues.append(self._issue(row, "", exc.code, exc.message))
                continue
            if ctx.write:
                outcome.created += 1
        return outcome


def register() -> None:
    register_importer(CertificatesImporter())
