"""Navigation by role, grouped by task (登记, 培训, 评价, 补贴, 监管, 规划, 管理).

Each entry names the permission that shows it and, where the three organization roles share a permission but not a
job, the functions that use it: a provider's staff, an evaluator and an enterprise's HR all hold ``records.view`` over
their organization, yet only the evaluator grades exams and only providers and enterprises claim subsidies.
Apps add their entries with ``register_nav``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from jineng.accounts.api import REGION_FUNCTIONS, Function

# The task groups of the sidebar, in order; "" is the ungrouped head (工作台, 通知).
SECTIONS: dict[str, Any] = {
    "": "",
    "registry": _("登记"),
    "training": _("培训"),
    "evaluation": _("评价"),
    "subsidies": _("补贴"),
    "supervision": _("监管"),
    "planning": _("规划"),
    "public": _("公开服务"),
    "admin": _("管理"),
}

_OFFICIALS = frozenset(str(f) for f in REGION_FUNCTIONS)
_PROVIDER = frozenset({str(Function.PROVIDER_STAFF)})
_EVALUATOR = frozenset({str(Function.EVALUATOR)})
_ENTERPRISE = frozenset({str(Function.ENTERPRISE_HR)})
_ORG_INSPECTED = _PROVIDER | _EVALUATOR | _ENTERPRISE  # 被检查单位: sees its inspections and answers 整改
# Entries about the user's own records (self.*) or own organization (org.*): who has such records.
_OWN_RECORDS = {"self": frozenset({str(Function.WORKER)}), "org": _ORG_INSPECTED}


@dataclass(frozen=True)
class NavItem:
    label: Any  # str or a lazy translation
    url_name: str
    permission: str | None  # None: every signed-in user
    icon: str = ""  # a name in static/web/icons.svg (home, gear, list, file, building …) or a mapped emoji
    section: str = ""  # a key of SECTIONS
    # The functions that use this entry; None: everyone holding ``permission``.
    functions: frozenset[str] | None = None

    def shown_to(self, principal: Any) -> bool:
        if self.permission is not None and not principal.has(self.permission):
            return False
        own = (self.permission or "").split(".")[0]
        if principal.superuser and own in _OWN_RECORDS:
            # The platform administrator holds every permission but is nobody's worker and no organization's staff:
            # 我的档案, 本机构 … would answer 404/403 (walk of issue 15) unless they also hold such a function.
            return bool(principal.functions & (self.functions or _OWN_RECORDS[own]))
        if principal.superuser and self.functions is not None and self.functions <= _ORG_INSPECTED:
            # An entry only an organization's staff use (the provider's 实名制人员库 — its trainees) is not the
            # administrator's, who has the registry's own entry.
            return bool(principal.functions & self.functions)
        if self.functions is None or principal.superuser:
            return True
        return bool(principal.functions & self.functions)


NAV: list[NavItem] = [
    NavItem(_("工作台"), "web:home", None, "⌂"),
    NavItem(_("通知"), "web:notifications", None, "🔔"),
    # 登记
    # An organization's staff see no person of the registry (its scope reaches persons by region only): the
    # provider's 实名制人员库 is its trainees (the enrollments of its classes); an enterprise's people are its
    # apprentices and hires, an evaluator's its candidates (issue 15: the entry was an empty page for all three).
    NavItem(_("实名制人员库"), "registry:person_list", "records.view", "🪪", "registry", _OFFICIALS),
    NavItem(_("实名制人员库"), "training:enrollments", "records.view", "🪪", "registry", _PROVIDER),
    NavItem(_("我的档案"), "registry:my_archive", "self.view", "📜", "registry"),
    NavItem(_("更正申请"), "registry:corrections", "registry.edit", "📋", "registry", _OFFICIALS),
    NavItem(_("批量导入"), "imports:upload", "registry.edit", "⇪", "registry"),
    NavItem(_("本机构"), "providers:mine", "org.view", "🏢", "registry"),
    NavItem(_("培训机构与企业"), "providers:list", "records.review", "🏫", "registry"),
    # 培训
    NavItem(_("培训项目目录"), "providers:programs", "records.review", "📚", "training"),
    NavItem(_("本机构培训项目"), "providers:my_programs", "org.view", "📚", "training", _PROVIDER),
    NavItem(_("培训班"), "training:classes", "records.view", "award", "training", _OFFICIALS | _PROVIDER),
    NavItem(_("开班审核"), "training:review_queue", "records.review", "check", "training"),
    NavItem(
        _("企业新型学徒制"),
        "training:apprenticeships",
        "records.view",
        "building",
        "training",
        _OFFICIALS | _PROVIDER | _ENTERPRISE,
    ),
    NavItem(_("师资库"), "providers:teachers", "records.view", "👥", "training", _OFFICIALS | _PROVIDER),
    NavItem(_("基地与工作室"), "providers:bases", "records.review", "📋", "training"),
    NavItem(_("项目制培训"), "training:projects", "records.view", "list", "training", _OFFICIALS | _PROVIDER),
    NavItem(_("培训品牌"), "providers:brands", "records.review", "tag", "training"),
    NavItem(_("职业标准与教材"), "providers:standards", "records.review", "bookmark", "training"),
    NavItem(_("线上学习"), "learning:home", "records.view", "list", "training", _OFFICIALS | _PROVIDER),
    NavItem(_("找培训"), "training:find", "self.view", "🔍", "training", frozenset({str(Function.WORKER)})),
    NavItem(_("我的培训"), "training:mine", "self.view", "book", "training"),
    NavItem(_("报名申请"), "training:join_requests", "org.view", "👥", "training", _PROVIDER),
    NavItem(_("我的线上学习"), "learning:home", "self.view", "book", "training", frozenset({str(Function.WORKER)})),
    NavItem(_("数字培训资源"), "learning:resources", "records.view", "book", "training", _OFFICIALS | _PROVIDER),
    NavItem(
        _("数字培训资源"), "learning:resources", "self.view", "book", "training", frozenset({str(Function.WORKER)})
    ),
    # 评价
    NavItem(_("考试与评价"), "certificates:sessions", "records.view", "✅", "evaluation", _OFFICIALS | _EVALUATOR),
    NavItem(_("证书"), "certificates:list", "records.view", "🎓", "evaluation", _OFFICIALS | _EVALUATOR),
    NavItem(_("我的证书"), "certificates:mine", "self.view", "🎓", "evaluation"),
    NavItem(_("评价机构备案"), "certificates:filings", "records.review", "📋", "evaluation"),
    NavItem(_("职业技能竞赛"), "competitions:list", "records.view", "trophy", "evaluation"),
    NavItem(_("竞赛报名"), "competitions:open", "org.edit", "trophy", "evaluation", _PROVIDER | _ENTERPRISE),
    NavItem(_("技能学分"), "credits:list", "records.view", "award", "evaluation", _OFFICIALS),
    NavItem(_("我的学分"), "credits:mine", "self.view", "award", "evaluation"),
    # 补贴
    NavItem(_("补贴申报"), "subsidies:org_claims", "org.view", "money", "subsidies", _PROVIDER | _ENTERPRISE),
    NavItem(_("新招用职工"), "subsidies:hires", "org.edit", "👥", "subsidies", _ENTERPRISE),
    NavItem(_("学徒制补贴预支"), "subsidies:advances", "records.view", "money", "subsidies", _ENTERPRISE | _OFFICIALS),
    NavItem(_("补贴审核"), "subsidies:review", "records.review", "check", "subsidies"),
    NavItem(_("资金拨付"), "subsidies:payments", "finance.pay", "money", "subsidies"),
    NavItem(_("资金台账"), "subsidies:ledger", "finance.ledger", "list", "subsidies"),
    NavItem(_("追回单"), "subsidies:recoveries", "finance.pay", "money", "subsidies"),
    # the bureau reviews; a base's or studio's host (a school, an enterprise) asks and follows its grant
    NavItem(
        _("基地与工作室补助"),
        "subsidies:grants",
        "records.view",
        "money",
        "subsidies",
        _OFFICIALS | _PROVIDER | _ENTERPRISE,
    ),
    NavItem(_("补贴政策"), "subsidies:policies", "records.view", "file", "subsidies", _OFFICIALS),
    NavItem(_("职业培训券"), "subsidies:vouchers", "records.view", "file", "subsidies", _OFFICIALS),
    NavItem(_("我的补贴"), "subsidies:mine", "self.view", "money", "subsidies"),
    NavItem(_("我的培训券"), "subsidies:my_vouchers", "self.view", "file", "subsidies"),
    # 监管
    NavItem(_("监管线索"), "supervision:cases", "supervision.view", "🔍", "supervision"),
    NavItem(_("机构风险"), "supervision:risk", "supervision.view", "📊", "supervision"),
    NavItem(_("双随机抽查"), "inspections:tasks", "supervision.view", "check", "supervision"),
    NavItem(_("接受检查与整改"), "inspections:tasks", "org.view", "check", "supervision", _ORG_INSPECTED),
    NavItem(_("处罚决定"), "supervision:sanctions", "supervision.view", "🛡", "supervision"),
    NavItem(_("投诉举报"), "complaints:list", "complaints.handle", "bell", "supervision"),
    NavItem(_("评价监管"), "certificates:supervision", "records.review", "📊", "supervision"),
    NavItem(_("审计日志"), "web:audit", "audit.view", "🛡", "supervision"),
    # 规划
    NavItem(_("规划指标"), "indicators:dashboard", "indicators.view", "📊", "planning"),
    NavItem(_("供求分析"), "labour:demand", "indicators.view", "📊", "planning", _OFFICIALS),
    NavItem(_("急需紧缺职业目录"), "labour:catalogs", "indicators.view", "list", "planning", _OFFICIALS),
    NavItem(_("工资价位"), "labour:wages", "indicators.view", "money", "planning", _OFFICIALS),
    # 公开服务: what anyone may open without signing in
    NavItem(_("证书查询"), "verify:verify", None, "🔍", "public"),
    NavItem(_("补贴公示"), "publicity:list", None, "book", "public"),
    NavItem(_("两目录公开"), "catalog:providers", None, "📖", "public"),
    NavItem(_("竞赛与技术能手"), "competitions_public:list", None, "trophy", "public"),
    NavItem(_("信息公开"), "portal:home", None, "📖", "public"),
    NavItem(_("开放数据"), "portal:data", None, "📊", "public"),
    NavItem(_("培训就业情况"), "employment:outcomes", None, "📊", "public"),
    NavItem(_("黑名单公开"), "supervision_public:blacklist", None, "📖", "public"),
    NavItem(_("急需紧缺职业目录公开"), "shortage:catalog", None, "📖", "public"),
    NavItem(_("工资价位公开"), "shortage:wages", None, "📖", "public"),
    NavItem(_("投诉举报"), "complaints_public:new", None, "file", "public"),
    # 管理
    NavItem(_("参数设置"), "web:settings", "settings.view", "⚙", "admin"),
    NavItem(_("作业"), "web:jobs", "jobs.view", "⏱", "admin"),
    NavItem(_("用户与授权"), "web:users", "users.view", "👥", "admin"),  # system and security administrators
    NavItem(_("我的账号"), "web:account", None, "👤", "admin"),
]


# 公开服务 for a visitor who has not signed in: a bar on every page (the portal, verification, 公示, both catalogs).
PUBLIC_NAV: list[NavItem] = [
    NavItem(_("信息公开"), "portal:home", None),
    NavItem(_("证书查询"), "verify:verify", None),
    NavItem(_("补贴公示"), "publicity:list", None),
    NavItem(_("培训机构目录"), "catalog:providers", None),
    NavItem(_("培训项目目录"), "catalog:programs", None),
    NavItem(_("职业技能竞赛"), "competitions_public:list", None),
    NavItem(_("规划指标完成情况"), "indicators:public", None),
    NavItem(_("急需紧缺职业目录"), "shortage:catalog", None),
    NavItem(_("工资价位"), "shortage:wages", None),
    NavItem(_("投诉举报"), "complaints_public:new", None),
]


def register_nav(item: NavItem, *, before: str | None = None) -> None:
    if any(existing.url_name == item.url_name for existing in NAV):
        return
    if before:
        for i, existing in enumerate(NAV):
            if existing.url_name == before:
                NAV.insert(i, item)
                return
    # After the last entry of its section, or at the end.
    last = max((i for i, existing in enumerate(NAV) if existing.section == item.section), default=len(NAV) - 1)
    NAV.insert(last + 1, item)


def nav_groups(principal: Any, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The shown entries grouped by section, in the order of SECTIONS; empty groups dropped."""
    groups: dict[str, list[dict[str, Any]]] = {key: [] for key in SECTIONS}
    for item in items:
        groups.setdefault(item["section"], []).append(item)
    return [
        {"key": key, "label": SECTIONS.get(key, ""), "items": entries} for key, entries in groups.items() if entries
    ]
