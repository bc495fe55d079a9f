"""Functions (职能) a grant can carry, and the permissions each brings. Closed catalogue; data, not code branches."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Function(models.TextChoices):
    PROVINCE_OFFICIAL = "province_official", _("省级经办")
    CITY_OFFICIAL = "city_official", _("市级经办")
    COUNTY_OFFICIAL = "county_official", _("县级经办")
    REVIEWER = "reviewer", _("审核员")
    FINANCE = "finance", _("财务")
    INSPECTOR = "inspector", _("监管检查员")
    AUDITOR = "auditor", _("审计（只读）")
    SYSADMIN = "sysadmin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")
    PROVIDER_STAFF = "provider_staff", _("培训机构人员")
    ENTERPRISE_HR = "enterprise_hr", _("企业人力资源")
    EVALUATOR = "evaluator", _("评价机构人员")
    WORKER = "worker", _("劳动者")


REGION_FUNCTIONS = {
    Function.PROVINCE_OFFICIAL,
    Function.CITY_OFFICIAL,
    Function.COUNTY_OFFICIAL,
    Function.REVIEWER,
    Function.FINANCE,
    Function.INSPECTOR,
    Function.AUDITOR,
    Function.SYSADMIN,
    Function.SECURITY_ADMIN,
    Function.AUDIT_ADMIN,
}
# 三权分立 (separation of the three administrator powers, GB/T 22239-2019 level 3): the system, security and audit
# administrators are separate functions, and no account holds two of them (grant_create refuses).
ADMIN_TRIAD = frozenset({Function.SYSADMIN, Function.SECURITY_ADMIN, Function.AUDIT_ADMIN})
# The security and audit administrators are granted only on the server (`jineng triad grant`), never by a signed-in
# user: a system administrator who could create them would hold all three powers through other accounts.
CONSOLE_ONLY_FUNCTIONS = frozenset({Function.SECURITY_ADMIN, Function.AUDIT_ADMIN})
# Who must pass a second factor (动态口令) after the password: everyone with a function but a worker.
SECOND_FACTOR_EXEMPT = frozenset({Function.WORKER})
ORGANIZATION_FUNCTIONS = {Function.PROVIDER_STAFF, Function.ENTERPRISE_HR, Function.EVALUATOR}
TIME_BOXED_FUNCTIONS = {Function.INSPECTOR, Function.AUDITOR}

# Permission strings: "<area>.<verb>". A grant gives its permissions over its scope only.
_OFFICIAL = {
    "records.view",
    "records.export",
    "records.review",
    "registry.reveal",
    "registry.edit",
    "audit.view",
    "jobs.view",
    "settings.view",
    "indicators.view",
    "attachments.view",
    "attachments.upload",
    "supervision.view",
    # 投诉举报: the bureau's officials at every level handle the complaints about objects in their region
    # (jineng.complaints; the county's 经办 desk first, as a complaint goes to the region owning its object).
    "complaints.handle",
}
# 监管: officials of a province or a city start scans and decide cases (线索) beside the inspectors.
_SUPERVISE = {"supervision.scan", "supervision.inspect"}
PERMISSIONS: dict[str, frozenset[str]] = {
    # supervision.sanction_province: the province's own decisions 移出目录, 黑名单, 吊销许可 (docs/sanctions.md) — not
    # an inspector's, even one whose grant reaches the whole province.
    Function.PROVINCE_OFFICIAL: frozenset(
        _OFFICIAL | _SUPERVISE | {"settings.edit", "catalog.approve", "finance.pay", "supervision.sanction_province"}
    ),
    Function.CITY_OFFICIAL: frozenset(_OFFICIAL | _SUPERVISE | {"settings.edit", "catalog.review"}),
    Function.COUNTY_OFFICIAL: frozenset(_OFFICIAL),
    Function.REVIEWER: frozenset(
        {"records.view", "records.review", "attachments.view", "jobs.view", "indicators.view"}
    ),
    Function.FINANCE: frozenset(
        {"records.view", "records.export", "finance.pay", "finance.ledger", "attachments.view", "jobs.view"}
    ),
    Function.INSPECTOR: frozenset(
        {"records.view", "records.export", "attachments.view", "audit.view", "supervision.view"} | _SUPERVISE
    ),
    Function.AUDITOR: frozenset(
        {"records.view", "records.export", "audit.view", "attachments.view", "indicators.view", "settings.view"}
    ),
    Function.SYSADMIN: frozenset(
        _OFFICIAL | {"settings.edit", "users.view", "users.manage", "audit.verify", "admin.access"}
    ),
    # 安全管理员: accounts' security (second-factor resets, password resets), and reads the audit trail.
    Function.SECURITY_ADMIN: frozenset({"users.view", "security.manage", "audit.view", "settings.view"}),
    # 审计管理员: reads and verifies the audit trail (of the other two administrators too); changes nothing.
    Function.AUDIT_ADMIN: frozenset({"audit.view", "audit.verify"}),
    Function.PROVIDER_STAFF: frozenset(
        {"org.view", "org.edit", "records.view", "attachments.upload", "attachments.view", "jobs.view"}
    ),
    Function.ENTERPRISE_HR: frozenset(
        {"org.view", "org.edit", "records.view", "attachments.upload", "attachments.view", "jobs.view"}
    ),
    Function.EVALUATOR: frozenset(
        {"org.view", "org.edit", "records.view", "attachments.upload", "attachments.view", "jobs.view"}
    ),
    Function.WORKER: frozenset({"self.view"}),
}
