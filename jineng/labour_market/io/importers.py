"""岗位需求、求职登记、企业薪酬调查 — three import kinds (``jineng import vacancies FILE``, the upload page, the API).

The public employment service (公共就业服务) exports under its own headers; each column lists the synonyms found in
those exports (岗位编号/职位编号/招聘岗位ID, 需求人数/招聘人数/岗位需求数 …), as the persons import does. Each row is
checked by the same ``clean`` function as one record sent to the API: an unknown occupation code, a region outside
the importing user's scope, a negative count or wage, a date in the future are row errors with their reasons. Rows
are keyed by the region and the source's number (``ref``): re-importing a file creates nothing twice, a corrected
row re-sent updates the record (counted as updated).
"""

from __future__ import annotations

from typing import Any

from jineng.imports.api import (
    Column,
    Context,
    Importer,
    Issue,
    Outcome,
    Row,
    acting_user,
    mask_value,
    register_importer,
)
from jineng.labour_market.services import IMPORT_PERMISSION, KINDS, records_write

_OCCUPATION = Column(
    "occupation_code",
    "职业编码",
    ("职业代码", "职业（工种）代码", "岗位职业代码", "求职工种代码", "职业分类代码"),
    required=True,
)
_REGION = Column("region", "地区代码", ("行政区划代码", "工作地点代码", "所属地区", "区划代码", "登记地区代码"))

VACANCY_COLUMNS = (
    Column("ref", "岗位编号", ("职位编号", "招聘岗位ID", "岗位ID", "需求编号"), required=True),
    Column("employer_name", "招聘单位", ("单位名称", "用人单位", "企业名称"), required=True),
    Column("employer_credit_code", "统一社会信用代码", ("单位统一社会信用代码", "信用代码")),
    _OCCUPATION,
    _REGION,
    Column("count", "招聘人数", ("需求人数", "岗位需求数", "招聘数量", "需求数量"), required=True),
    Column("wage_offered", "月薪（元）", ("工资待遇", "月工资", "薪酬", "工资（元/月）", "月薪")),
    Column("level_required", "技能等级要求", ("等级要求", "技能要求", "要求等级")),
    Column("posted_on", "发布日期", ("登记日期", "发布时间", "岗位发布日期"), required=True),
    Column("closed_on", "截止日期", ("有效期至", "截止时间", "招聘截止日期")),
)
SEEKER_COLUMNS = (
    Column("ref", "求职登记编号", ("登记编号", "求职编号", "求职登记号"), required=True),
    Column(
        "occupation_code", "职业编码", ("求职工种代码", "意向职业代码", "职业代码", "求职意向职业代码"), required=True
    ),
    _REGION,
    Column("level_held", "技能等级", ("持有等级", "职业技能等级", "技术等级")),
    Column("registered_on", "登记日期", ("求职登记日期", "登记时间"), required=True),
)
WAGE_COLUMNS = (
    Column("ref", "样本编号", ("调查编号", "记录编号", "序号编码"), required=True),
    Column("employer_name", "调查单位", ("单位名称", "企业名称")),
    _OCCUPATION,
    _REGION,
    Column("level", "技能等级", ("职业技能等级", "技术等级", "等级")),
    Column("year", "调查年度", ("年度", "统计年度"), required=True),
    Column("annual_pay", "年薪（元）", ("年工资总额", "应发工资（年）", "年度工资", "年收入（元）"), required=True),
)


class _LabourImporter(Importer):
    permission = IMPORT_PERMISSION
    record_kind = ""

    def _issue(self, row: Row, key: str, code: str, message: str) -> Issue:
        value = mask_value(row.values.get(key, ""), "") if key in row.values else ""
        return Issue(row.number, key if key in row.values else "", value, str(code), message)

    def process(self, rows: list[Row], ctx: Context) -> Outcome:
        outcome = Outcome()
        spec = KINDS[self.record_kind]
        actor = acting_user(ctx)
        seen: dict[str, int] = ctx.state.setdefault("seen", {})
        keep: list[dict[str, Any]] = []
        for row in rows:
            cleaned = spec.clean(row.values, actor=actor, today=ctx.today, default_region=ctx.region_code)
            if cleaned.errors:
                outcome.issues += [self._issue(row, e.field, e.code, e.message) for e in cleaned.errors]
                continue
            ref = f"{cleaned.data['region_id']}/{cleaned.data['ref']}"
            if ref in seen and seen[ref] != row.number:
                outcome.issues.append(self._issue(row, "ref", "duplicate_row", f"与第 {seen[ref]} 行编号重复。"))
                continue
            seen[ref] = row.number
            keep.append(cleaned.data)
        if ctx.write and keep:
            created, updated, unchanged = records_write(
                self.record_kind, keep, actor=ctx.actor, region_code=ctx.region_code
            )
            outcome.created += created
            outcome.updated += updated
            outcome.unchanged += unchanged
        return outcome


class VacanciesImporter(_LabourImporter):
    kind = "vacancies"
    label = "岗位需求"
    columns = VACANCY_COLUMNS
    record_kind = "vacancies"


class JobSeekersImporter(_LabourImporter):
    kind = "job_seekers"
    label = "求职登记"
    columns = SEEKER_COLUMNS
    record_kind = "job_seekers"


class WageRecordsImporter(_LabourImporter):
    kind = "wage_records"
    label = "企业薪酬调查"
    columns = WAGE_COLUMNS
    record_kind = "wage_records"


def register() -> None:
    register_importer(VacanciesImporter())
    register_importer(JobSeekersImporter())
    register_importer(WageRecordsImporter())
