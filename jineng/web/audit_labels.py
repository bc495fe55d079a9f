"""审计日志 in words: each action code (``claim.accept``, ``person.archive_export`` …) and object type
(``subsidies.claim``; older entries' ``organization`` as today's ``accounts.organization``) read as Chinese (English under the English locale), and the filter that finds entries by that
label or by the beginning of the code.

An action is ``<area>.<verb>``: its label is the area's label and the verb's (``claim.first_review`` → 补贴申请 · 初审);
a whole code may have its own label where the two words would read badly. A code this module does not know reads as
the area's label with the verb's code kept — never a silent blank.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jineng.common.audit.events import object_type_now

AREA_LABELS: dict[str, Any] = {
    "admin": _("后台管理"),
    "apprentice": _("学徒"),
    "apprenticeship": _("学徒制培养计划"),
    "attachment": _("附件"),
    "attendance": _("考勤"),
    "base_grant": _("基地与工作室一次性补助"),
    "catalog_listing": _("目录条目"),
    "certificate": _("证书"),
    "claim": _("补贴申请"),
    "class": _("培训班"),
    "credentials": _("电子凭证"),
    "debt": _("应追回款项"),
    "enrollment": _("学员"),
    "list": _("列表"),
    "lrs_credential": _("学习记录库凭据"),
    "lrs_learner": _("线上学员账号"),
    "evaluation": _("评价机构"),
    "exam": _("考试"),
    "files": _("存储文件"),
    "grant": _("授权"),
    "import": _("批量导入"),
    "indicators": _("规划指标"),
    "supervision": _("监管"),
    "keys": _("数据密钥"),
    "labour_market": _("需求监测"),
    "ledger": _("资金台账"),
    "org_admin": _("机构管理员"),
    "otp": _("动态口令"),
    "org_profile": _("机构档案"),
    "org_staff": _("机构人员"),
    "organization": _("机构"),
    "payment_batch": _("拨付批次"),
    "person": _("人员"),
    "policy": _("补贴政策"),
    "pool_role": _("师资与考评员"),
    "program": _("培训项目"),
    "project": _("项目制培训项目"),
    "provider_app": _("目录申请"),
    "provider_listing": _("目录条目"),
    "resource": _("数字资源"),
    "retention": _("保存期限清理"),
    "setting": _("地区参数"),
    "token": _("接口令牌"),
    "standard_work": _("职业标准与教材"),
    "training_base": _("基地与工作室"),
    "training_brand": _("培训品牌"),
    "user": _("用户"),
    "voucher": _("培训券"),
    "voucher_issue": _("培训券发放"),
    "competition": _("职业技能竞赛"),
}

VERB_LABELS: dict[str, Any] = {
    "case_assign": _("分派线索"),
    "case_transition": _("线索核查决定"),
    "hold": _("止付"),
    "hold_release": _("解除止付"),
    "scan_finish": _("扫描完成"),
    "scan_start": _("开始扫描"),
    "terminate": _("中途终止"),
    "class_add": _("纳入班级"),
    "settle": _("结算"),
    "request": _("申请"),
    "catalog_approve": _("急需紧缺职业目录审核"),
    "catalog_draft": _("急需紧缺职业目录起草"),
    "catalog_edit": _("急需紧缺职业目录修改"),
    "catalog_publish": _("急需紧缺职业目录发布"),
    "job_seeker_create": _("求职登记"),
    "vacancy_create": _("岗位需求登记"),
    "wage_record_create": _("薪酬调查记录登记"),
    "accept": _("受理"),
    "add": _("新增"),
    "affiliate": _("登记所属机构"),
    "affiliation_end": _("结束所属关系"),
    "allocation": _("资金下达"),
    "approve": _("审批"),
    "archive_export": _("导出档案"),
    "bank_account_add": _("登记银行账户"),
    "batch": _("编入拨付批次"),
    "cancel": _("撤销"),
    "candidate_add": _("添加考生"),
    "change": _("修改"),
    "enroll": _("绑定"),
    "otp_reset": _("重置动态口令"),
    "password_change": _("修改密码"),
    "password_reset": _("重置密码"),
    "clawback": _("追回"),
    "close": _("关闭"),
    "complete": _("结业"),
    "correct": _("更正"),
    "create": _("新增"),
    "map": _("关联学员名册"),
    "online_sync": _("计算线上学时"),
    "create_bulk": _("批量新增"),
    "create_legacy": _("迁移旧数据"),
    "crypto_shred": _("销毁加密信息"),
    "decide": _("省级审批"),
    "discard": _("废弃"),
    "document_add": _("登记证件"),
    "document_verify": _("核验证件"),
    "draft_create": _("新建草稿"),
    "draft_update": _("修改草稿"),
    "dropout": _("退学"),
    "employment_add": _("登记就业"),
    "employment_outcome": _("就业回访"),
    "encrypt": _("加密"),
    "evaluate": _("评价"),
    "examiner_add": _("安排考评员"),
    "expire": _("到期清除"),
    "export": _("导出"),
    "export_download": _("下载导出文件"),
    "download": _("下载"),
    "filing_create": _("备案"),
    "filing_revoke": _("撤销备案"),
    "brands_set": _("标记培训品牌"),
    "recognize": _("认定"),
    "roster_reopen": _("批准补报考生"),
    "first_review": _("初审"),
    "grant": _("授权"),
    "import": _("导入"),
    "issue": _("发放"),
    "issue_group": _("批量发放"),
    "key_create": _("生成签名密钥"),
    "key_rotate": _("轮换签名密钥"),
    "licence": _("办学许可"),
    "membership_add": _("登记人员类别"),
    "merge": _("合并"),
    "objection": _("公示异议"),
    "objection_resolve": _("异议处理"),
    "paid": _("拨付到账"),
    "pass_rule_set": _("设定合格标准"),
    "payee_change_approve": _("批准变更收款信息"),
    "payee_change_reject": _("驳回变更收款信息"),
    "payee_change_request": _("申请变更收款信息"),
    "payee_correct": _("更正收款信息"),
    "payment_failed": _("支付失败"),
    "pdf": _("下载 PDF"),
    "postpone": _("延期"),
    "progress": _("登记进度"),
    "publicity": _("公示"),
    "publish": _("发布"),
    "qualification": _("登记资格"),
    "record": _("记录"),
    "recover": _("追回"),
    "reject": _("不予通过"),
    "result_record": _("登记成绩"),
    "resubmit": _("重新提交"),
    "retire": _("停用"),
    "return": _("退回"),
    "reveal": _("查看明文"),
    "review": _("审核"),
    "reversal_approve": _("批准冲正"),
    "reversal_reject": _("驳回冲正"),
    "reversal_request": _("申请冲正"),
    "revoke": _("撤销"),
    "rotate": _("轮换"),
    "run": _("执行"),
    "second_review": _("复审"),
    "session_cancel": _("取消场次"),
    "sources_purge": _("清除源文件"),
    "session_close": _("确认成绩"),
    "session_create": _("安排场次"),
    "set": _("设置"),
    "start": _("开班"),
    "status": _("变更状态"),
    "submit": _("提交"),
    "superseded": _("由新版本替代"),
    "transfer": _("转班"),
    "update": _("修改"),
    "verify": _("核验"),
    "withdraw": _("撤回"),
    "year_close": _("年度结账"),
    # a class's status changes (class.<new status>)
    "submitted": _("提交审核"),
    "approved": _("批准"),
    "rejected": _("未通过"),
    "running": _("开班"),
    "completed": _("结业"),
    "cancelled": _("撤销"),
    # roster changes (enrollment.<kind>)
    "late_addition": _("补录"),
    "postponement": _("延期"),
    # catalog listing events (provider_listing.<kind>)
    "listed": _("纳入目录"),
    "renewed": _("延续"),
    "extended": _("增加培训范围"),
    "suspended": _("暂停"),
    "resumed": _("恢复"),
    "exited": _("移出目录"),
    "withdrawn": _("主动退出"),
    # vouchers
    "apply": _("申领"),
    "claim": _("领取"),
    "redeem": _("兑付"),
    "use": _("使用"),
    "file": _("报备"),
    "register": _("报名"),
    "result_restate": _("更正成绩"),
    "results_review": _("审核成绩"),
    "results_publish": _("公示成绩"),
    "results_finalize": _("确认成绩"),
    "rules_set": _("发布奖励规则"),
    "rules_propose": _("拟订奖励规则"),
    "rules_return": _("退回奖励规则"),
    "objection_raise": _("提出异议"),
    "objection_decide": _("处理异议"),
    "award": _("授予奖励"),
    "award_revoke": _("撤销奖励"),
}

OBJECT_LABELS: dict[str, Any] = {
    "labour_market.job_seeker": _("求职登记"),
    "labour_market.shortage_catalog": _("急需紧缺职业目录"),
    "labour_market.vacancy": _("岗位需求"),
    "labour_market.wage_record": _("薪酬调查记录"),
    "accounts.api_token": _("接口令牌"),
    "accounts.grant": _("授权"),
    "accounts.organization": _("机构"),
    "accounts.user": _("用户"),
    "common.job": _("作业"),
    "common.list": _("列表"),
    "certificates.candidate": _("考生"),
    "certificates.certificate": _("证书"),
    "certificates.filing": _("评价机构备案"),
    "certificates.issuer_key": _("签名密钥"),
    "certificates.pass_rule": _("合格标准"),
    "certificates.session": _("考试场次"),
    "common.attachment": _("附件"),
    "common.keyring": _("数据密钥"),
    "common.retention_rule": _("保存期限规则"),
    "common.stored_files": _("存储文件"),
    "imports.import_job": _("导入作业"),
    "providers.catalog_listing": _("目录条目"),
    "providers.digital_resource": _("数字资源"),
    "providers.organization_profile": _("机构档案"),
    "providers.pool_role": _("师资与考评员"),
    "providers.program": _("培训项目"),
    "providers.provider_application": _("目录申请"),
    "providers.provider_listing": _("目录条目"),
    "providers.training_base": _("基地与工作室"),
    "refdata.plan": _("规划"),
    "refdata.region_setting": _("地区参数"),
    "registry.person": _("人员"),
    "subsidies.allocation_reversal": _("资金冲正"),
    "subsidies.base_grant": _("基地与工作室一次性补助"),
    "subsidies.claim": _("补贴申请"),
    "subsidies.debt": _("应追回款项"),
    "subsidies.ledger_transaction": _("台账记录"),
    "subsidies.payment_batch": _("拨付批次"),
    "subsidies.policy_version": _("补贴政策"),
    "subsidies.voucher": _("培训券"),
    "subsidies.voucher_issue": _("培训券发放"),
    "supervision.case": _("监管线索"),
    "supervision.scan": _("监管扫描"),
    "training.apprentice": _("学徒"),
    "training.apprenticeship": _("学徒制培养计划"),
    "training.attendance": _("考勤"),
    "learning.credential": _("学习记录库凭据"),
    "learning.learneraccount": _("线上学员账号"),
    "training.class": _("培训班"),
    "training.enrollment": _("学员"),
    "training.project": _("项目制培训项目"),
    "providers.standard_work": _("职业标准与教材"),
    "providers.training_brand": _("培训品牌"),
    "competitions.event": _("赛事"),
    "competitions.contestant": _("竞赛选手"),
    "competitions.result": _("竞赛成绩"),
    "competitions.rule_set": _("竞赛奖励规则"),
    "competitions.award": _("竞赛奖励"),
    "competitions.objection": _("竞赛成绩异议"),
}


def action_label(code: str) -> str:
    """``claim.first_review`` → "补贴申请 · 初审"."""
    area, _dot, verb = (code or "").partition(".")
    area_label = AREA_LABELS.get(area)
    verb_label = VERB_LABELS.get(verb)
    if area_label is None:
        return str(verb_label) if verb_label is not None else code
    if not verb:
        return str(area_label)
    return f"{area_label} · {verb_label if verb_label is not None else verb}"


def object_label(code: str) -> str:
    """``subsidies.claim`` → "补贴申请"; an older entry's spelling (``organization``) reads as today's."""
    label = OBJECT_LABELS.get(object_type_now(code))
    if label is not None:
        return str(label)
    return action_label(code.rsplit(".", 1)[-1]) if "." in code else str(AREA_LABELS.get(code, code))


def action_filter(text: str, known_actions: Iterable[str]) -> Q:
    """Entries whose action starts with ``text`` (``claim`` or ``claim.acc``) or whose label contains it (受理,
    补贴申请 · 初审, 初审): ``known_actions`` are the codes to label (the distinct actions in the log)."""
    text = text.strip()
    q = Q(action__startswith=text)
    needle = text.replace(" ", "").replace("·", "")
    labelled = [a for a in known_actions if needle and needle in action_label(a).replace(" ", "").replace("·", "")]
    if labelled:
        q |= Q(action__in=labelled)
    return q


def object_filter(text: str, known_types: Iterable[str]) -> Q:
    """Entries whose object type starts with ``text`` (``providers.`` also finds older entries' ``program``) or
    whose label contains it; ``known_types`` are the types in the log, in any spelling."""
    text = text.strip()
    labelled = [t for t in known_types if text and (text in object_label(t) or object_type_now(t).startswith(text))]
    return Q(object_type__startswith=text) | Q(object_type__in=labelled)
