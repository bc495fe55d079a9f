"""人员导入 — the ``persons`` import kind: one row per person, matched on the document number.

Columns (found by their Chinese headers, synonyms accepted): 姓名 and 身份证号码 required; 证件类型, 手机号码,
居住地行政区划代码, 人员类别, 性别, 出生日期, 文化程度, 户口性质, 户籍地行政区划代码, 毕业年度 optional.

Per row: a known number under another name is an error (it is how ghost trainees look); under the same name the
row changes nothing it should not — a different phone or residence is reported, never overwritten; blanks are
filled and new group memberships added. Re-importing a file creates no duplicates.

The importer ``prepares`` (see ``jineng.imports.framework``): the check pass parses and validates each batch once —
column-wise first (the 18-digit ID numbers by ``jineng.rules.idcard_batch``, every other column by its plain forms,
each distinct value judged once: ``_plain_rows``), the scalar rule (``_parse``) for any row a column check leaves
and for every rejection; then the numbers and phones encrypted and keyed-hashed column by column
(``encrypt_many``, ``blind_index_many``) — into compact ``Candidate`` tuples
holding no plaintext ID number or phone; the write pass matches those against the registry again (one
``number_hash = ANY(…)`` query a batch) and writes the new ones with ``COPY``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from jineng.accounts.api import actor_user, require, visible
from jineng.common.audit.services import audit_event
from jineng.common.crypto import blind_index_many, encrypt_many, keyring
from jineng.common.errors import PermissionDenied
from jineng.common.ids import uuid7
from jineng.common.masking import mask_id_number, mask_name, mask_phone, scrub_text
from jineng.imports.api import (
    Column,
    Context,
    Importer,
    Issue,
    Outcome,
    Row,
    acting_user,
    insert_rows,
    mask_value,
    parse_date,
    parse_int,
    register_importer,
    split_list,
)
from jineng.refdata.api import region_resolve, region_subtree
from jineng.registry.events import Event
from jineng.registry.identity import DOC_CONTEXT, PHONE_CONTEXT, region_code_known
from jineng.registry.models import (
    DERIVED_GROUPS,
    GROUP_SYNONYMS,
    Education,
    Group,
    GroupMembership,
    HukouType,
    IdentityDocument,
    Person,
    PersonFact,
    PersonSource,
    PersonStatus,
    VerificationStatus,
)
from jineng.rules.contact import normalize_phone
from jineng.rules.idcard import (
    DOC_TYPE_NAMES as SHARED_DOC_TYPE_NAMES,
)
from jineng.rules.idcard import (
    RESIDENT_FAMILY,
    DocType,
    IdRejection,
    ParsedId,
    Sex,
    normalize_number,
    validate_id_number,
)
from jineng.rules.idcard_batch import resident_ids_accepted

COLUMNS = (
    Column("name", "姓名", ("人员姓名", "学员姓名", "劳动者姓名", "名字"), required=True),
    Column(
        "id_number",
        "身份证号码",
        ("身份证号", "公民身份号码", "证件号码", "身份证件号码", "身份证", "证件号", "公民身份证号码"),
        required=True,
        sensitive="id_number",
    ),
    Column("doc_type", "证件类型", ("证件种类", "身份证件类型")),
    Column("phone", "手机号码", ("手机号", "联系电话", "手机", "联系方式", "电话号码", "移动电话"), sensitive="phone"),
    Column(
        "residence_region",
        "居住地行政区划代码",
        ("居住地", "现居住地", "居住地区划代码", "居住地代码", "现住地行政区划代码", "常住地", "现居住地行政区划代码"),
    ),
    Column("groups", "人员类别", ("人员类型", "就业前所属群体", "重点群体", "群体类别", "人员身份")),
    Column("sex", "性别"),
    Column("birth_date", "出生日期", ("出生年月日",)),
    Column("education", "文化程度", ("学历", "最高学历")),
    Column("hukou_type", "户口性质", ("户籍性质", "户口类型", "户籍类型")),
    Column("hukou_region", "户籍地行政区划代码", ("户籍地", "户籍所在地", "户籍地代码")),
    Column("graduation_year", "毕业年度", ("毕业年份", "毕业时间")),
)


def _names(choices: Any, extra: dict[str, str]) -> dict[str, str]:
    table = {str(label): value for value, label in choices}
    table.update(extra)
    return table


DOC_TYPE_NAMES = {name: t.value for name, t in SHARED_DOC_TYPE_NAMES.items()}  # one table: rules.idcard
DOC_TYPE_VALUES = frozenset(t.value for t in DocType)  # ``"x" in DocType`` raises TypeError on Python 3.11
GROUP_NAMES = _names(Group.choices, GROUP_SYNONYMS)
DERIVED_NAMES = {str(label) for label in DERIVED_GROUPS.values()}
EDUCATION_NAMES = _names(
    Education.choices,
    {
        "硕士": Education.POSTGRADUATE,
        "博士": Education.POSTGRADUATE,
        "硕士研究生": Education.POSTGRADUATE,
        "博士研究生": Education.POSTGRADUATE,
        "本科": Education.BACHELOR,
        "大专": Education.COLLEGE,
        "专科": Education.COLLEGE,
        "大学专科和专科学校": Education.COLLEGE,
        "中专": Education.SECONDARY_SPECIALIZED,
        "中职": Education.SECONDARY_SPECIALIZED,
        "技校": Education.TECHNICAL_SCHOOL,
        "普通高中": Education.HIGH_SCHOOL,
        "职业高中": Education.HIGH_SCHOOL,
        "文盲": Education.ILLITERATE,
        "半文盲": Education.ILLITERATE,
    },
)
HUKOU_NAMES = _names(HukouType.choices, {"农业": HukouType.AGRICULTURAL, "非农业": HukouType.NON_AGRICULTURAL,
                                          "城镇": HukouType.NON_AGRICULTURAL, "居民": HukouType.RESIDENT})  # fmt: skip
SEX_NAMES = {"男": "male", "女": "female", "1": "male", "2": "female", "男性": "male", "女性": "female"}


class Candidate(NamedTuple):
    """A valid row, parsed once in the check pass and kept (pickled) for the write pass: no plaintext number/phone."""

    row_number: int
    family: str  # "resident" for the 18/15-digit family, else the document type: the key with ``number_hash``
    doc_type: str
    number_hash: str
    number_enc: str
    number_masked: str
    number_prefix: str  # the first four characters, for the audit entry
    manual: bool  # needs manual verification (passports, travel permits)
    name: str
    phone_enc: str
    phone_hash: str
    phone_masked: str
    residence: str | None
    hukou_region: str | None
    hukou_type: str
    education: str
    sex: str
    birth_date: dt.date | None
    groups: tuple[str, ...]
    graduation_year: int | None
    shown_id: str  # the cells as a report shows them (masked)
    shown_phone: str
    shown_residence: str


class _Parsed(NamedTuple):
    """What ``_parse`` found valid in a row, before sealing."""

    row: Row
    parsed: ParsedId
    name: str
    phone: str
    residence: str | None
    hukou_region: str | None
    hukou_type: str
    education: str
    sex: str
    birth_date: dt.date | None
    groups: list[str]
    graduation_year: int | None


_NOT_PLAIN = object()  # a value the column-wise check leaves to the scalar rule
_PLAIN_NAME = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u00b7]{1,60}")  # Chinese characters (and ·), nothing else
_PLAIN_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_PLAIN_REGION = re.compile(r"[0-9]{6}")
_PLAIN_YEAR = re.compile(r"[0-9]{4}")
_PLAIN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class PersonsImporter(Importer):
    kind = "persons"
    label = "人员"
    permission = "registry.edit"
    columns = COLUMNS
    prepares = True

    # One message for every person the importer may not create or touch: it names nobody and does not say
    # whether the number is registered elsewhere (the same row error whatever the reason).
    OUT_OF_SCOPE = (
        "out_of_scope",
        "不能导入该人员：不在您的管辖范围内。请核对证件号码与居住地，或由人员所在地经办机构办理。",
    )

    def _issue(self, row: Row, key: str, code: str, message: str, severity: str = "error") -> Issue:
        sensitive = self.column(key).sensitive if key else ""
        return Issue(row.number, key, mask_value(row.values.get(key, ""), sensitive) if key else "", code, message,
                     severity)  # fmt: skip

    def _region(self, text: str, ctx: Context) -> str | None | IdRejection:
        if not text:
            return None
        if text.isdigit() and len(text) == 6:
            return text if region_code_known(text) else IdRejection("unknown_region", f"行政区划代码不存在：{text}")
        # 天河区, 广州市天河区, 广东省广州市天河区 — as the roster import reads it (refdata.region_resolve).
        code = region_resolve(text, within=ctx.region_code or None)
        if code is None:
            return IdRejection(
                "unknown_region", "行政区划不正确：请填写县（市、区）名称，如“广州市天河区”，或6位行政区划代码。"
            )
        return code

    def _parse(self, row: Row, ctx: Context, checked: ParsedId | None = None) -> tuple[_Parsed | None, list[Issue]]:
        """One row's checks; ``checked`` is its ID number when the column-wise check already accepted it."""
        v = row.values
        issues: list[Issue] = []
        name = " ".join(v.get("name", "").split())
        if not name:
            issues.append(self._issue(row, "name", "name_required", "姓名不能为空。"))
        elif (
            len(name) > 60
            or (not name.isalpha() and any(ch.isdigit() for ch in name))
            or name.startswith(("=", "+", "-", "@"))
        ):
            issues.append(self._issue(row, "name", "name_bad_format", "姓名不能含数字，且不超过60个字符。"))
        doc_type: str | None = None
        if v.get("doc_type"):
            doc_type = DOC_TYPE_NAMES.get(v["doc_type"]) or (
                v["doc_type"] if v["doc_type"] in DOC_TYPE_VALUES else None
            )
            if doc_type is None:
                issues.append(self._issue(row, "doc_type", "id_unknown_doc_type", "证件类型不正确。"))
        parsed = checked or validate_id_number(
            v.get("id_number", ""), doc_type=doc_type, region_known=region_code_known, today=ctx.today
        )
        if isinstance(parsed, IdRejection):
            issues.append(self._issue(row, "id_number", parsed.code, parsed.message))
        phone_text = v.get("phone", "")
        phone = (
            phone_text
            if len(phone_text) == 11
            and phone_text.isascii()
            and phone_text.isdigit()
            and phone_text[0] == "1"
            and phone_text[1] in "3456789"
            else normalize_phone(phone_text)
        )
        if isinstance(phone, IdRejection):
            issues.append(self._issue(row, "phone", phone.code, phone.message))
        residence = self._region(v.get("residence_region", ""), ctx)
        if isinstance(residence, IdRejection):
            issues.append(self._issue(row, "residence_region", residence.code, residence.message))
        elif residence is None and not ctx.region_code:
            issues.append(
                self._issue(row, "residence_region", "residence_region_required", "请填写居住地行政区划代码。")
            )
        hukou_region = self._region(v.get("hukou_region", ""), ctx)
        if isinstance(hukou_region, IdRejection):
            issues.append(self._issue(row, "hukou_region", hukou_region.code, hukou_region.message))
        groups: list[str] = []
        for item in split_list(v.get("groups", "")):
            if item in DERIVED_NAMES:
                continue  # 妇女/青年 follow from sex and age
            code = GROUP_NAMES.get(item) or (item if item in Group.values else None)
            if code is None:
                issues.append(self._issue(row, "groups", "unknown_group", f"人员类别不正确：{item}"))
            elif code not in groups:
                groups.append(code)
        graduation_year = parse_int(v.get("graduation_year", "")) if v.get("graduation_year") else None
        if v.get("graduation_year") and (graduation_year is None or not 1950 <= graduation_year <= ctx.today.year + 1):
            issues.append(self._issue(row, "graduation_year", "bad_year", "毕业年度应为4位年份。"))
        if Group.COLLEGE_GRADUATE in groups and graduation_year is None and not issues:
            issues.append(self._issue(row, "graduation_year", "graduation_year_required", "高校毕业生须填写毕业年度。"))
        education = ""
        if v.get("education"):
            education = EDUCATION_NAMES.get(v["education"], "")
            if not education:
                issues.append(self._issue(row, "education", "bad_education", "文化程度不正确。"))
        hukou_type = ""
        if v.get("hukou_type"):
            hukou_type = HUKOU_NAMES.get(v["hukou_type"], "")
            if not hukou_type:
                issues.append(self._issue(row, "hukou_type", "bad_hukou_type", "户口性质不正确（农业/非农业/居民）。"))
        sex = ""
        if v.get("sex"):
            sex = SEX_NAMES.get(v["sex"], "")
            if not sex:
                issues.append(self._issue(row, "sex", "bad_sex", "性别应为“男”或“女”。"))
        birth_date = parse_date(v.get("birth_date", "")) if v.get("birth_date") else None
        if v.get("birth_date") and birth_date is None:
            issues.append(self._issue(row, "birth_date", "bad_date", "出生日期不是有效日期。"))
        if not isinstance(parsed, IdRejection):
            if sex and parsed.sex and sex != parsed.sex.value:
                issues.append(self._issue(row, "sex", "sex_mismatch", "性别与证件号码不一致。"))
            if birth_date and parsed.birth_date and birth_date != parsed.birth_date:
                issues.append(self._issue(row, "birth_date", "birth_date_mismatch", "出生日期与证件号码不一致。"))
        if issues or isinstance(parsed, IdRejection):
            return None, issues
        assert not isinstance(phone, IdRejection) and not isinstance(residence, IdRejection)
        assert not isinstance(hukou_region, IdRejection)
        return (
            _Parsed(
                row=row,
                parsed=parsed,
                name=name,
                phone=phone,
                residence=residence,
                hukou_region=hukou_region,
                hukou_type=str(hukou_type),
                education=str(education),
                sex=parsed.sex.value if parsed.sex else sex,
                birth_date=parsed.birth_date or birth_date,
                groups=groups,
                graduation_year=graduation_year,
            ),
            [],
        )

    def process(self, rows: list[Row], ctx: Context) -> Outcome:
        """Both steps for one batch (the framework calls ``prepare`` and ``apply`` itself)."""
        issues, items = self.prepare(rows, ctx)
        out = self.apply(items, ctx)
        out.issues = issues + out.issues
        return out

    def prepare(self, rows: list[Row], ctx: Context) -> tuple[list[Issue], list[Candidate]]:
        """Validate a batch; the valid rows become sealed ``Candidate`` tuples (one keyring lookup a batch).

        Column by column first (``_plain_rows``); a row any column check does not accept goes through the scalar
        rule (``_parse``), which alone words the row report."""
        issues: list[Issue] = []
        parsed_rows: list[_Parsed] = []
        checked_ids = self._checked_ids(rows, ctx)
        for row, checked, plain in zip(rows, checked_ids, self._plain_rows(rows, ctx, checked_ids), strict=True):
            if plain is not None:
                parsed_rows.append(plain)
                continue
            parsed, found = self._parse(row, ctx, checked)
            issues += found
            if parsed is not None:
                parsed_rows.append(parsed)
        return issues, self._seal(parsed_rows)

    def _plain_rows(self, rows: list[Row], ctx: Context, checked: list[ParsedId | None]) -> list[_Parsed | None]:
        """The column-wise check of a batch: each row's parse when every column accepts it, else None.

        A column accepts only the plain forms of its values (a name of Chinese characters, a mobile number of
        11 ASCII digits, a six-digit region code, an ISO date, a known category name …), judging each distinct
        value once; anything else is left to ``_parse``, the scalar rule, which stays the definition: a row
        accepted here is accepted there with the same values (``test_importer_columns`` holds them equal)."""
        n = len(rows)
        ok = [c is not None for c in checked]  # the ID numbers, already checked column-wise

        def column(key: str, judge: Any, cache: bool = True) -> list[Any]:
            values = [row.values.get(key, "") for row in rows]
            if not cache:
                out = [judge(v) if ok[i] else _NOT_PLAIN for i, v in enumerate(values)]
            else:
                seen: dict[str, Any] = {}
                out = [seen[v] if v in seen else seen.setdefault(v, judge(v)) for v in values]
            for i, value in enumerate(out):
                if value is _NOT_PLAIN:
                    ok[i] = False
            return out

        def region(value: str, *, required: bool) -> Any:
            if not value:
                return _NOT_PLAIN if required else None
            return value if _PLAIN_REGION.fullmatch(value) and region_code_known(value) else _NOT_PLAIN

        def groups(value: str) -> Any:
            found: list[str] = []
            for item in split_list(value):
                if item in DERIVED_NAMES:
                    continue
                code = GROUP_NAMES.get(item) or (item if item in Group.values else None)
                if code is None:
                    return _NOT_PLAIN
                if code not in found:
                    found.append(code)
            return found

        def year(value: str) -> Any:
            if not value:
                return None
            return (
                int(value) if _PLAIN_YEAR.fullmatch(value) and 1950 <= int(value) <= ctx.today.year + 1 else _NOT_PLAIN
            )

        def date(value: str) -> Any:
            if not value:
                return None
            if not _PLAIN_DATE.fullmatch(value):
                return _NOT_PLAIN
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return _NOT_PLAIN

        def named(table: dict[str, str]) -> Any:
            return lambda value: "" if not value else (table.get(value) or _NOT_PLAIN)

        names = column("name", lambda v: v if _PLAIN_NAME.fullmatch(v) else _NOT_PLAIN, cache=False)
        phones = column("phone", lambda v: v if not v or _PLAIN_MOBILE.fullmatch(v) else _NOT_PLAIN, cache=False)
        residences = column("residence_region", lambda v: region(v, required=not ctx.region_code))
        hukou_regions = column("hukou_region", lambda v: region(v, required=False))
        group_lists = column("groups", groups)
        years = column("graduation_year", year)
        educations = column("education", named(EDUCATION_NAMES))
        hukou_types = column("hukou_type", named(HUKOU_NAMES))
        sexes = column("sex", named(SEX_NAMES))
        births = column("birth_date", date)
        out: list[_Parsed | None] = [None] * n
        for i in range(n):
            parsed = checked[i]
            if not ok[i] or parsed is None:
                continue
            sex, birth = sexes[i], births[i]
            if (sex and parsed.sex and sex != parsed.sex.value) or (
                birth and parsed.birth_date and birth != parsed.birth_date
            ):
                continue  # the scalar rule reports the mismatch
            if Group.COLLEGE_GRADUATE in group_lists[i] and years[i] is None:
                continue  # the scalar rule asks for the graduation year
            out[i] = _Parsed(
                row=rows[i],
                parsed=parsed,
                name=names[i],
                phone=phones[i],
                residence=residences[i],
                hukou_region=hukou_regions[i],
                hukou_type=str(hukou_types[i]),
                education=str(educations[i]),
                sex=parsed.sex.value if parsed.sex else sex,
                birth_date=parsed.birth_date or birth,
                groups=list(group_lists[i]),
                graduation_year=years[i],
            )
        return out

    def _checked_ids(self, rows: list[Row], ctx: Context) -> list[ParsedId | None]:
        """The 18-digit resident ID numbers of a batch that the column-wise check accepts (None: the scalar rule)."""
        numbers = [normalize_number(row.values.get("id_number", "")) for row in rows]
        batch = resident_ids_accepted(numbers, today=ctx.today)
        known: dict[int, bool] = {}
        out: list[ParsedId | None] = []
        # Python lists of the arrays, once: indexing a NumPy array element by element costs more than the check.
        accepted, regions, male = batch.ok.tolist(), batch.region.tolist(), batch.male.tolist()
        years, months, days = batch.year.tolist(), batch.month.tolist(), batch.day.tolist()
        for i, (row, number) in enumerate(zip(rows, numbers, strict=True)):
            doc_type = row.values.get("doc_type", "")
            if not accepted[i] or (doc_type and DOC_TYPE_NAMES.get(doc_type, doc_type) not in RESIDENT_FAMILY):
                out.append(None)
                continue
            region = regions[i]
            if region not in known:
                known[region] = region_code_known(number[:6])
            if not known[region]:
                out.append(None)  # the scalar rule names the unknown region
                continue
            sex = Sex.MALE if male[i] else Sex.FEMALE
            born = dt.date(years[i], months[i], days[i])
            out.append(ParsedId(DocType.RESIDENT_ID, number, born, sex, number[:6], number))
        return out

    def _seal(self, parsed_rows: list[_Parsed]) -> list[Candidate]:
        """The batch's numbers and phones encrypted and keyed-hashed column by column (one cipher and one keyed hash
        set up a batch: ``encrypt_many``, ``blind_index_many``), then one ``Candidate`` a row."""
        ring = keyring()
        numbers = [p.parsed.number for p in parsed_rows]
        phones = [p.phone for p in parsed_rows]
        number_hashes = blind_index_many(numbers, context=DOC_CONTEXT, ring=ring)
        number_encs = encrypt_many(numbers, context=DOC_CONTEXT, ring=ring)
        phone_encs = encrypt_many(phones, context=PHONE_CONTEXT, ring=ring)
        phone_hashes = blind_index_many(phones, context=PHONE_CONTEXT, ring=ring)
        out: list[Candidate] = []
        make = Candidate._make  # positional: a keyword call of a 23-field tuple costs more than the sealing
        for i, p in enumerate(parsed_rows):
            number = numbers[i]
            doc_type = p.parsed.doc_type
            v = p.row.values
            written = v.get("id_number", "")
            masked = mask_id_number(number)
            out.append(
                make((
                    p.row.number, "resident" if doc_type in RESIDENT_FAMILY else str(doc_type), str(doc_type),
                    number_hashes[i], number_encs[i], masked, number[:4], p.parsed.needs_manual_verification, p.name,
                    phone_encs[i], phone_hashes[i], mask_phone(p.phone), p.residence, p.hukou_region, p.hukou_type,
                    p.education, p.sex, p.birth_date, tuple(str(g) for g in p.groups), p.graduation_year,
                    # what mask_value gives for these columns (shown_id, shown_phone, shown_residence)
                    masked if written == number else mask_id_number(written),
                    mask_phone(v.get("phone", "")),
                    scrub_text(v.get("residence_region", ""))[:200],
                ))
            )  # fmt: skip
        return out

    @staticmethod
    def _said(c: Candidate, key: str, code: str, message: str, severity: str = "error") -> Issue:
        shown = {"id_number": c.shown_id, "phone": c.shown_phone, "residence_region": c.shown_residence}[key]
        return Issue(c.row_number, key, shown, code, message, severity)

    def apply(self, items: list[Candidate], ctx: Context) -> Outcome:
        """Match a batch's candidates against the file so far and the registry; write them when ``ctx.write``."""
        out = Outcome()
        existing = self._existing(items)
        editable = self._editable({info["person_id"] for info in existing.values()}, ctx)
        seen: dict[tuple[str, str], tuple[int, str]] = ctx.state.setdefault("seen", {})
        new: list[Candidate] = []
        changed: list[tuple[Candidate, dict[str, Any]]] = []
        matched: list[Any] = []
        for c in items:
            key = (c.family, c.number_hash)
            earlier = seen.get(key)
            # A row retried alone after its batch failed (a concurrent writer) finds its own earlier attempt.
            if earlier is not None and earlier[0] != c.row_number:
                if earlier[1] != c.name:
                    out.issues.append(
                        self._said(c, "id_number", "id_name_mismatch_in_file",
                                   f"同一证件号码在第 {earlier[0]} 行登记为其他姓名（{mask_name(earlier[1])}）。")
                    )  # fmt: skip
                else:
                    out.unchanged += 1  # the same person twice in one file
                continue
            seen[key] = (c.row_number, c.name)
            found = existing.get(key)
            if found is None:
                if not self._may_create(c, ctx):
                    out.issues.append(self._said(c, "id_number", *self.OUT_OF_SCOPE))
                    continue
                new.append(c)
                continue
            if found["person_id"] not in editable:
                # Registered, but not a person this user may edit (the one-record API answers 404): a row error
                # that reveals nothing, checked before the name so the report does not confirm a name either.
                out.issues.append(self._said(c, "id_number", *self.OUT_OF_SCOPE))
                continue
            if found["name"] != c.name:
                out.issues.append(
                    self._said(c, "id_number", "id_name_mismatch",
                               f"该证件号码已登记为其他姓名（{mask_name(found['name'])}），请核对姓名与证件号码。")
                )  # fmt: skip
                continue
            matched.append(found["person_id"])
            changes = self._compare(c, found, out)
            if changes:
                changed.append((c, {**changes, "_person": found["person_id"]}))
            else:
                out.unchanged += 1
        if ctx.write:
            self._write_new(new, ctx)
            self._write_changes(changed, ctx)
            self._attribute(matched, ctx)
            if new or changed:
                audit_event(
                    Event.PERSON_IMPORT,
                    actor=ctx.actor,
                    region_code=ctx.region_code,
                    rows=[{"row": c.row_number, "name": c.name, "document": c.number_prefix} for c in new]
                    + [
                        {"row": c.row_number, "updated": sorted(k for k in ch if not k.startswith("_"))}
                        for c, ch in changed
                    ],  # fmt: skip
                    after={"created": len(new), "updated": len(changed)},
                )
        out.created += len(new)
        out.updated += len(changed)
        return out

    @staticmethod
    def _may_create(c: Candidate, ctx: Context) -> bool:
        """``person_create``'s check: ``registry.edit`` over the attribution (the importing office, else residence)."""
        attribution = ctx.region_code or c.residence
        if not attribution:
            return False
        allowed: dict[str, bool] = ctx.state.setdefault("may_create", {})
        if attribution not in allowed:
            try:
                require(acting_user(ctx), "registry.edit", region_code=attribution)
                allowed[attribution] = True
            except PermissionDenied:
                allowed[attribution] = False
        return allowed[attribution]

    @staticmethod
    def _editable(person_ids: set[Any], ctx: Context) -> set[Any]:
        """The matched persons the importing user may edit, as ``get_visible(…, "registry.edit")`` decides."""
        if not person_ids:
            return set()
        return set(
            visible(Person.objects.filter(pk__in=list(person_ids)), acting_user(ctx), "registry.edit").values_list(
                "pk", flat=True
            )
        )

    def _existing(self, candidates: list[Candidate]) -> dict[tuple[str, str], dict[str, Any]]:
        if not candidates:
            return {}
        found: dict[tuple[str, str], dict[str, Any]] = {}
        survivors: dict[Any, Any] = {}
        for doc_type, hash_, person_id, status, merged_into_id in _documents_by_hash(
            {c.number_hash for c in candidates}
        ):
            family = "resident" if doc_type in RESIDENT_FAMILY else doc_type
            person_id = merged_into_id if status == PersonStatus.MERGED else person_id
            if (family, hash_) in found and doc_type != DocType.RESIDENT_ID:
                continue  # prefer the 18-digit record over a legacy twin
            found[(family, hash_)] = {"person_id": person_id}
            survivors[person_id] = None
        persons = {
            p["id"]: p
            for p in Person.objects.filter(pk__in=list(survivors)).values(
                "id", "name", "phone_hash", "residence_region_id", "hukou_region_id", "hukou_type", "education"
            )
        }
        groups: dict[Any, set[str]] = {}
        today = timezone.localdate()
        for pid, group in (
            GroupMembership.objects.filter(person_id__in=list(persons), valid_from__lte=today)
            .exclude(valid_to__lt=today)
            .values_list("person_id", "group")
        ):
            groups.setdefault(pid, set()).add(group)
        for info in found.values():
            person = persons[info["person_id"]]
            info.update(person)
            info["groups"] = groups.get(info["person_id"], set())
        return found

    def _compare(self, c: Candidate, found: dict[str, Any], out: Outcome) -> dict[str, Any]:
        changes: dict[str, Any] = {}
        if c.phone_hash:
            if not found["phone_hash"]:
                changes["phone"] = True  # written from the candidate's sealed phone
            elif c.phone_hash != found["phone_hash"]:
                out.issues.append(
                    self._said(c, "phone", "phone_changed",
                               "手机号码与已登记的不同，未覆盖：如需更新，请在人员详情页修改。", "warning")
                )  # fmt: skip
        if c.residence:
            if not found["residence_region_id"]:
                changes["residence_region_id"] = c.residence
            elif c.residence != found["residence_region_id"]:
                out.issues.append(
                    self._said(c, "residence_region", "residence_changed",
                               "居住地与已登记的不同，未覆盖：如需更新，请在人员详情页修改。", "warning")
                )  # fmt: skip
        for attr, value in (("hukou_region_id", c.hukou_region), ("hukou_type", c.hukou_type),
                            ("education", c.education)):  # fmt: skip
            if value and not found[attr]:
                changes[attr] = value
        new_groups = [g for g in c.groups if g not in found["groups"]]
        if new_groups:
            changes["_groups"] = new_groups
        return changes

    def _memberships(
        self, person_id: Any, c: Candidate, groups: Iterable[str], ctx: Context, now: Any
    ) -> list[tuple[Any, ...]]:
        return [
            (uuid7(), now, now, person_id, group, ctx.today, None,
             c.graduation_year if group == Group.COLLEGE_GRADUATE else None, "导入", "", None,
             getattr(actor_user(ctx.actor), "pk", None))
            for group in groups
        ]  # fmt: skip

    def _write_new(self, new: list[Candidate], ctx: Context) -> None:
        if not new:
            return
        now = timezone.now()
        actor_id = getattr(actor_user(ctx.actor), "pk", None)
        persons, docs, memberships, facts = [], [], [], []
        # Plain str values (not the choices' enum members) go to COPY unconverted (jineng.imports.bulk).
        active, source = str(PersonStatus.ACTIVE), str(PersonSource.IMPORT)
        pending, automatic = str(VerificationStatus.PENDING), str(VerificationStatus.AUTOMATIC)
        for c in new:
            pid = uuid7()
            persons.append(
                (pid, now, now, c.name, c.sex, c.birth_date, c.phone_enc, c.phone_hash, c.phone_masked,
                 c.hukou_region, c.hukou_type, c.residence, c.education, active, None, source, actor_id)
            )  # fmt: skip
            docs.append(
                (uuid7(), now, now, pid, c.doc_type, c.number_enc, c.number_hash, c.number_masked, True,
                 pending if c.manual else automatic, None, None, None)
            )  # fmt: skip
            memberships += self._memberships(pid, c, c.groups, ctx, now)
            if ctx.region_code:
                facts.append((pid, ctx.region_code, "registry.registered", "", ctx.today, now))
        insert_rows(Person, PERSON_FIELDS, persons)
        insert_rows(IdentityDocument, DOC_FIELDS, docs)
        insert_rows(GroupMembership, MEMBERSHIP_FIELDS, memberships)
        insert_rows(PersonFact, FACT_FIELDS, facts)

    def _write_changes(self, changed: list[tuple[Candidate, dict[str, Any]]], ctx: Context) -> None:
        now = timezone.now()
        for c, changes in changed:
            pid = changes["_person"]
            fields: dict[str, Any] = {k: v for k, v in changes.items() if not k.startswith("_") and k != "phone"}
            if "phone" in changes:
                fields["phone_enc"], fields["phone_hash"], fields["phone_masked"] = (
                    c.phone_enc,
                    c.phone_hash,
                    c.phone_masked,
                )
            if fields:
                Person.objects.filter(pk=pid).update(**fields, updated_at=now)
            if changes.get("_groups"):
                insert_rows(GroupMembership, MEMBERSHIP_FIELDS, self._memberships(pid, c, changes["_groups"], ctx, now))

    @staticmethod
    def _attribute(person_ids: list[Any], ctx: Context) -> None:
        """Matched persons are recorded as registered by the importing office too (idempotent) — only those the
        office's region already reaches (residence or a fact under it): attribution never widens by import."""
        if not ctx.region_code or not person_ids:
            return
        under = region_subtree(ctx.region_code)
        reached = Person.objects.filter(pk__in=person_ids).filter(
            Q(residence_region_id__in=under)
            | Q(pk__in=PersonFact.objects.filter(region_id__in=under).values("person_id"))
        )
        person_ids = list(reached.values_list("pk", flat=True))
        if not person_ids:
            return
        PersonFact.objects.bulk_create(
            [
                PersonFact(person_id=pid, region_id=ctx.region_code, kind="registry.registered", ref="",
                           occurred_on=ctx.today)
                for pid in dict.fromkeys(person_ids)
            ],
            ignore_conflicts=True,
        )  # fmt: skip


def _documents_by_hash(hashes: set[str]) -> list[tuple[Any, ...]]:
    """(doc_type, number_hash, person_id, person status, merged_into_id) of the documents holding these hashes.

    On PostgreSQL one ``number_hash = ANY(%s)`` with the list as a single parameter: an ``IN`` of 2,000
    placeholders cost more to compile and bind than the query takes to run."""
    if connection.vendor != "postgresql":
        return list(
            IdentityDocument.objects.filter(number_hash__in=hashes).values_list(
                "doc_type", "number_hash", "person_id", "person__status", "person__merged_into_id"
            )
        )
    doc, person = IdentityDocument._meta.db_table, Person._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT d.doc_type, d.number_hash, d.person_id, p.status, p.merged_into_id FROM {doc} d "  # noqa: S608
            f"JOIN {person} p ON p.id = d.person_id WHERE d.number_hash = ANY(%s)",  # table names, not input
            [list(hashes)],
        )
        return list(cursor.fetchall())


PERSON_FIELDS = [
    "id", "created_at", "updated_at", "name", "sex", "birth_date", "phone_enc", "phone_hash", "phone_masked",
    "hukou_region", "hukou_type", "residence_region", "education", "status", "merged_into", "source", "created_by",
]  # fmt: skip
DOC_FIELDS = [
    "id", "created_at", "updated_at", "person", "doc_type", "number_enc", "number_hash", "number_masked",
    "is_primary", "verification", "verified_by", "verified_at", "valid_until",
]  # fmt: skip
MEMBERSHIP_FIELDS = [
    "id", "created_at", "updated_at", "person", "group", "valid_from", "valid_to", "graduation_year", "source",
    "evidence", "evidence_attachment_id", "created_by",
]  # fmt: skip
FACT_FIELDS = ["person", "region", "kind", "ref", "occurred_on", "created_at"]

register_importer(PersonsImporter())
