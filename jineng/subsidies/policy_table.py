"""A policy version's rules as a reader reads them (政策规则表): one row per rule — what it is and its parameters in
words (levels, certificate kinds, groups, settings, amounts by their names) — instead of the stored JSON. A key or
code this module does not know is shown as "其他" with nothing raw (the page scan looks for codes that slip through).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jineng.refdata.api import CertificateKind, Occupation, Region, SkillLevel
from jineng.refdata.settings_registry import SPECS
from jineng.rules.subsidy.money import format_fen
from jineng.rules.subsidy.policy import CHANNEL_LABELS, FUND_SOURCE_LABELS, PAYEE_LABELS
from jineng.rules.training import GROUP_LABELS
from jineng.subsidies.labels import CHECK_LABELS

SECTIONS: dict[str, Any] = {
    "payee": _("收款方"),
    "channel": _("支付渠道"),
    "fund_source": _("资金来源"),
    "counters": _("计入次数"),
    "exclusion_groups": _("互斥"),
    "eligibility": _("申领条件"),
    "amount": _("补贴标准"),
    "adjustments": _("标准调整"),
    "limits": _("享受限制"),
    "employment_share": _("就业后拨付部分"),
}
KIND_LABELS: dict[str, Any] = CHECK_LABELS | {"annual_count": _("年度享受次数")}
COUNTER_LABELS: dict[str, Any] = {"annual_total": _("年度补贴总次数"), "certificate_subsidy": _("证书类补贴")}
EXCLUSION_LABELS: dict[str, Any] = {"same_training": _("同一次培训的补贴"), "skill_upgrade": _("技能提升类补贴")}
SCOPE_LABELS: dict[str, Any] = {"type": _("本类补贴"), "counter": _("合并计数")}
UNIT_LABELS: dict[str, Any] = {
    "claim": _("每次申请"), "days": _("日"), "month": _("每月"), "months": _("个月"), "year": _("每年"),
}  # fmt: skip
PARAM_LABELS: dict[str, Any] = {
    "male_min": _("男性最低年龄"), "male_max": _("男性最高年龄"), "female_min": _("女性最低年龄"),
    "female_max": _("女性最高年龄"), "min_months": _("最少参保月数"), "kinds": _("证书类别"),
    "groups": _("人群"), "default": _("默认值"), "default_percent": _("默认比例（%）"),
    "default_hours": _("默认学时"), "hours": _("学时"), "min_hours": _("最少学时"), "unit": _("单位"),
    "max_count": _("次数上限"), "scope": _("计数范围"), "counter": _("计数"), "setting": _("按地区参数"),
    "occupations": _("职业（工种）"), "catalog": _("急需紧缺职业目录"), "min_level_rank": _("最低等级序号"), "within_months": _("时限（月）"),
    "certificates_held": _("已持证书"), "share_percent": _("比例（%）"), "by_level": _("按等级"),
    "max_units": _("最多计费单位"), "max_fen": _("金额上限"), "per_hour_fen": _("每学时"),
    "amount_fen": _("金额"), "level": _("等级"), "certificate_kind": _("证书类别"), "occupation": _("职业（工种）"),
}  # fmt: skip


def rule_rows(rules: dict[str, Any]) -> list[dict[str, str]]:
    """The rows of the rules table: section, rule, parameters (all in words)."""
    names = _Names(rules)
    rows: list[dict[str, str]] = []
    for key in SECTIONS:
        value: Any = rules.get(key)
        if value in (None, "", [], {}):
            continue
        section = str(SECTIONS[key])
        if key in ("payee", "channel", "fund_source"):
            labels = {"payee": PAYEE_LABELS, "channel": CHANNEL_LABELS, "fund_source": FUND_SOURCE_LABELS}[key]
            rows.append({"section": section, "rule": gettext(labels.get(value, "其他")), "detail": ""})
        elif key in ("counters", "exclusion_groups"):
            labels = COUNTER_LABELS if key == "counters" else EXCLUSION_LABELS
            rows.append({"section": section, "rule": "、".join(_label(labels, v) for v in value), "detail": ""})
        elif key == "amount":
            rows += _amount_rows(section, value, names)
        elif key == "employment_share":
            rows.append({"section": section, "rule": "", "detail": names.params(value)})
        else:
            for item in value:
                params = {k: v for k, v in item.items() if k != "kind"}
                rows.append({
                    "section": section, "rule": _label(KIND_LABELS, item.get("kind", "")),
                    "detail": names.params(params),
                })  # fmt: skip
    return rows


def _amount_rows(section: str, amount: dict[str, Any], names: _Names) -> list[dict[str, str]]:
    rows = []
    for row in amount.get("rows", []):
        rule = " · ".join(
            p for p in (names.level(row.get("level", "")), names.kind(row.get("certificate_kind", "")),
                        names.occupation(row.get("occupation", ""))) if p
        ) or gettext("各等级")  # fmt: skip
        rows.append({"section": section, "rule": rule, "detail": names.params(
            {k: v for k, v in row.items() if k not in ("level", "certificate_kind", "occupation")}
        )})  # fmt: skip
    rest = {k: v for k, v in amount.items() if k != "rows"}
    if any(v not in (None, "", 0) for v in rest.values()):
        rows.append({"section": section, "rule": gettext("计费方式"), "detail": names.params(rest)})
    return rows


def _label(mapping: dict[str, Any], code: str) -> str:
    label = mapping.get(code)
    return str(label) if label is not None else gettext("其他")


class _Names:
    """The names of the reference codes a policy mentions (levels, certificate kinds, occupations), read once."""

    def __init__(self, rules: dict[str, Any]) -> None:
        self.levels = {lv.code: lv.label for lv in SkillLevel.objects.all()}
        self.kinds = dict(CertificateKind.objects.values_list("code", "name"))
        codes = set()
        for item in [*rules.get("adjustments", []), *rules.get("amount", {}).get("rows", [])]:
            codes |= set(item.get("occupations", [])) | {item.get("occupation", "")}
        self.occupations = dict(Occupation.objects.filter(code__in=codes - {""}).values_list("code", "name"))

    def level(self, code: str) -> str:
        return self.levels.get(code, gettext("其他")) if code else ""

    def kind(self, code: str) -> str:
        return self.kinds.get(code, gettext("其他")) if code else ""

    def occupation(self, code: str) -> str:
        return f"{self.occupations[code]}（{code}）" if code in self.occupations else code

    def value(self, key: str, value: Any) -> str:
        if isinstance(value, bool):
            return gettext("是") if value else gettext("否")
        if isinstance(value, list):
            return "、".join(self.value(key, v) for v in value) or "—"
        if isinstance(value, dict):
            return self.params(value)
        if key.endswith("_fen"):
            return format_fen(int(value)) if value else "—"
        if key == "level":
            return self.level(value)
        if key in ("kinds", "certificate_kind"):
            return self.kind(value)
        if key in ("occupations", "occupation"):
            return self.occupation(value)
        if key == "catalog":  # the region whose published 急需紧缺职业目录 applies (ADR 0022)
            name = Region.objects.filter(code=value).values_list("name", flat=True).first() or gettext("其他")
            return gettext("%(region)s发布的目录（以班级开班日有效的版本为准）") % {"region": name}
        if key == "groups":
            return gettext(GROUP_LABELS[value]) if value in GROUP_LABELS else gettext("其他")
        if key == "setting":
            return gettext(SPECS[value].label) if value in SPECS else gettext("其他")
        if key == "unit":
            return _label(UNIT_LABELS, value)
        if key == "scope":
            return _label(SCOPE_LABELS, value)
        if key == "counter":
            return _label(COUNTER_LABELS, value)
        return str(value)

    def params(self, params: dict[str, Any]) -> str:
        parts = []
        for key, value in params.items():
            if value in (None, "", []) or (key == "setting" and not value):
                continue
            if key == "by_level":
                value = "；".join(f"{self.level(r.get('level', ''))} {r.get('hours', '')}" for r in value)
                parts.append(f"{_label(PARAM_LABELS, key)}：{value}")
                continue
            parts.append(f"{_label(PARAM_LABELS, key)}：{self.value(key, value)}")
        return "；".join(parts)
