"""Navigation by role: each entry names the permission that shows it. Apps add their entries here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: Any  # str or a lazy translation
    url_name: str
    permission: str | None  # None: every signed-in user
    icon: str = ""  # a name in static/web/icons.svg (home, gear, list, file, building …) or a mapped emoji
    section: str = "main"


NAV: list[NavItem] = [
    NavItem(_("工作台"), "web:home", None, "⌂"),
    NavItem(_("实名制人员库"), "registry:person_list", "records.view", "🪪"),
    NavItem(_("我的档案"), "registry:my_archive", "self.view", "📜"),
    NavItem(_("批量导入"), "imports:upload", "registry.edit", "⇪"),
    NavItem(_("本机构"), "providers:mine", "org.view", "🏢"),
    NavItem(_("培训机构与企业"), "providers:list", "records.review", "🏫"),
    NavItem(_("培训项目目录"), "providers:programs", "records.review", "📚"),
    NavItem(_("师资库"), "providers:teachers", "records.view", "👥"),
    NavItem(_("基地与工作室"), "providers:bases", "records.review", "📋"),
    NavItem(_("培训班"), "training:classes", "records.view", "award"),
    NavItem(_("企业新型学徒制"), "training:apprenticeships", "records.view", "building"),
    NavItem(_("开班审核"), "training:review_queue", "records.review", "check"),
    NavItem(_("我的培训"), "training:mine", "self.view", "book"),
    NavItem(_("考试与评价"), "certificates:sessions", "records.view", "✅"),
    NavItem(_("证书"), "certificates:list", "records.view", "🎓"),
    NavItem(_("我的证书"), "certificates:mine", "self.view", "🎓"),
    NavItem(_("评价监管"), "certificates:supervision", "records.review", "📊"),
    NavItem(_("评价机构备案"), "certificates:filings", "records.review", "📋"),
    NavItem(_("证书查询"), "verify:verify", None, "🔍"),
    NavItem(_("我的补贴"), "subsidies:mine", "self.view", "money"),
    NavItem(_("补贴申报"), "subsidies:org_claims", "org.view", "money"),
    NavItem(_("补贴审核"), "subsidies:review", "records.review", "check"),
    NavItem(_("资金拨付"), "subsidies:payments", "finance.pay", "money"),
    NavItem(_("资金台账"), "subsidies:ledger", "finance.ledger", "list"),
    NavItem(_("补贴政策"), "subsidies:policies", "records.view", "file"),
    NavItem(_("职业培训券"), "subsidies:vouchers", "records.view", "file"),
    NavItem(_("补贴公示"), "publicity:list", None, "book"),
    NavItem(_("规划指标"), "indicators:dashboard", "indicators.view", "📊"),
    NavItem(_("两目录公开"), "catalog:providers", None, "📖"),
    NavItem(_("信息公开"), "public:index", None, "📖"),
    NavItem(_("参数设置"), "web:settings", "settings.view", "⚙", "admin"),
    NavItem(_("作业"), "web:jobs", "jobs.view", "⏱", "admin"),
    NavItem(_("审计日志"), "web:audit", "audit.view", "🛡", "admin"),
    NavItem(_("用户与授权"), "web:users", "users.view", "👥", "admin"),  # system and security administrators
    NavItem(_("我的账号"), "web:account", None, "👤", "admin"),
]


def register_nav(item: NavItem, *, before: str | None = None) -> None:
    if any(existing.url_name == item.url_name for existing in NAV):
        return
    if before:
        for i, existing in enumerate(NAV):
            if existing.url_name == before:
                NAV.insert(i, item)
                return
    NAV.insert(1, item) if item.section == "main" else NAV.append(item)
