"""Subsidy policies as data: a closed catalogue of typed rule kinds (补贴政策规则).

A policy is a ``PolicyRules`` value — eligibility predicates, an amount table, adjustments (the shortage float),
limits over the person's history, mutual-exclusion groups, the employment-linked share, the payee and the fund
source. Officials edit it as JSON and publish it as a version; ``policy_from_data`` accepts only the kinds below,
with their exact fields and types. Nothing in a policy is ever evaluated as an expression.

Every rule kind names itself in the JSON with ``"kind"``. The catalogue:

eligibility (资格条件)
    ``eligible_group``    the person belongs to one of the groups on the qualifying date
    ``age``               age on the qualifying date within the range for the person's sex
    ``insured_months``    unemployment insurance paid for at least N months (参保月数)
    ``certificate``       a certificate of the given kinds, at least a level, really issued and valid
    ``training_completed`` the training was completed and passed (结业合格)
    ``attendance``        attendance rate at least the minimum (a per-region setting)
    ``hours``             credited 学时 at least the minimum for the level
    ``concentrated_hours`` concentrated (集中) hours at least the minimum (apprenticeships)
    ``employed_by_applicant`` the person is employed by the applying enterprise on the qualifying date
    ``deadline``          applied within N days or months of the qualifying date (a per-region setting)
amount (补贴标准)
    ``AmountTable``       rows by certificate kind × level × occupation × minimum hours; per claim, month or year
adjustments (上浮)
    ``shortage_float``    +N % for occupations on the shortage list at or above a level (a per-region setting)
limits (限制)
    ``annual_count``      at most N per calendar year, counting this type or a named counter, across ALL regions
    ``once_per_occupation_level`` the same occupation at the same level is paid once
    ``higher_level_blocks`` a higher level held or subsidised blocks a lower one
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields, is_dataclass
from typing import Any, ClassVar, Literal, Union

PAYEES = ("person", "enterprise", "provider")
PAYEE_LABELS = {"person": "个人", "enterprise": "企业", "provider": "培训机构"}
CHANNELS = ("bank_account", "social_security_card")
CHANNEL_LABELS = {"bank_account": "银行账户", "social_security_card": "社会保障卡"}
FUND_SOURCES = ("unemployment_insurance", "employment_fund", "special_account")
FUND_SOURCE_LABELS = {
    "unemployment_insurance": "失业保险基金",
    "employment_fund": "就业补助资金",
    "special_account": "职业技能提升行动专账",
}


class PolicyError(ValueError):
    """A policy document that is not a valid member of the catalogue: ``path`` says where."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


# ---- eligibility ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EligibleGroup:
    KIND: ClassVar[str] = "eligible_group"
    groups: tuple[str, ...]


@dataclass(frozen=True)
class AgeRange:
    KIND: ClassVar[str] = "age"
    male_min: int = 16
    male_max: int = 60
    female_min: int = 16
    female_max: int = 55


@dataclass(frozen=True)
class InsuredMonths:
    KIND: ClassVar[str] = "insured_months"
    min_months: int = 12


@dataclass(frozen=True)
class CertificateObtained:
    KIND: ClassVar[str] = "certificate"
    kinds: tuple[str, ...]
    min_level_rank: int = 0


@dataclass(frozen=True)
class TrainingCompleted:
    KIND: ClassVar[str] = "training_completed"


@dataclass(frozen=True)
class AttendanceMin:
    KIND: ClassVar[str] = "attendance"
    setting: str = "attendance.min_rate_percent"
    default_percent: int = 80


@dataclass(frozen=True)
class LevelHours:
    level: str
    hours: int


@dataclass(frozen=True)
class HoursMin:
    KIND: ClassVar[str] = "hours"
    by_level: tuple[LevelHours, ...] = ()
    default_hours: int = 0
    setting: str = ""  # a per-region setting that overrides default_hours (apprenticeship hours a year)


@dataclass(frozen=True)
class ConcentratedHoursMin:
    KIND: ClassVar[str] = "concentrated_hours"
    default_hours: int = 160
    setting: str = "apprenticeship.min_concentrated_hours_per_year"


@dataclass(frozen=True)
class EmployedByApplicant:
    KIND: ClassVar[str] = "employed_by_applicant"


@dataclass(frozen=True)
class ApplyWithin:
    KIND: ClassVar[str] = "deadline"
    unit: Literal["days", "months"] = "days"
    default: int = 30
    setting: str = ""


EligibilityRule = Union[  # noqa: UP007 - the codec reads the members of this union
    EligibleGroup,
    AgeRange,
    InsuredMonths,
    CertificateObtained,
    TrainingCompleted,
    AttendanceMin,
    HoursMin,
    ConcentratedHoursMin,
    EmployedByApplicant,
    ApplyWithin,
]

# ---- amounts -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AmountRow:
    """One row of the standard: blank criteria match anything; the most specific matching row applies."""

    amount_fen: int = 0
    certificate_kind: str = ""
    level: str = ""
    occupation: str = ""  # an occupation code or a code prefix ("6-18" covers 6-18-02-04)
    min_hours: int = 0
    per_hour_fen: int = 0  # when set, the amount is per credited 学时 (amount_fen is then ignored)

    def specificity(self) -> tuple[int, int, int]:
        filled = sum(1 for v in (self.certificate_kind, self.level, self.occupation) if v)
        return (filled, len(self.occupation), self.min_hours)


@dataclass(frozen=True)
class AmountTable:
    rows: tuple[AmountRow, ...]
    unit: Literal["claim", "month", "year"] = "claim"
    max_units: int = 1
    max_fen: int = 0  # the claim cap (封顶); 0 = none


@dataclass(frozen=True)
class ShortageFloat:
    """+N % for an occupation on the shortage list. The list is either the published 急需紧缺职业目录 of a region
    (``catalog``: the catalog's region code; the version in force on the class's start date applies, ADR 0022) or,
    in older versions, the policy's own ``occupations`` (codes or prefixes). One of the two is required."""

    KIND: ClassVar[str] = "shortage_float"
    occupations: tuple[str, ...] = ()
    catalog: str = ""  # the region whose published shortage catalog applies (e.g. "440000")
    min_level_rank: int = 4  # 高级工 and above
    setting: str = "subsidy.shortage_float_percent"
    default_percent: int = 30


AdjustmentRule = Union[ShortageFloat]  # noqa: UP007

# ---- limits --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnnualCount:
    KIND: ClassVar[str] = "annual_count"
    max_count: int = 1
    scope: Literal["type", "counter"] = "type"
    counter: str = ""
    setting: str = ""  # e.g. subsidy.max_per_person_year


@dataclass(frozen=True)
class OncePerOccupationLevel:
    KIND: ClassVar[str] = "once_per_occupation_level"
    scope: Literal["type", "counter"] = "type"
    counter: str = ""


@dataclass(frozen=True)
class HigherLevelBlocks:
    KIND: ClassVar[str] = "higher_level_blocks"
    scope: Literal["type", "counter"] = "type"
    counter: str = ""
    certificates_held: bool = True


LimitRule = Union[AnnualCount, OncePerOccupationLevel, HigherLevelBlocks]  # noqa: UP007

# ---- the policy ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EmploymentShare:
    """就业挂钩 — ``share_percent`` of the amount is payable only after employment proven within N months."""

    share_percent: int
    within_months: int = 6


@dataclass(frozen=True)
class PolicyRules:
    subsidy_type: str
    amount: AmountTable
    payee: Literal["person", "enterprise", "provider"] = "person"
    channel: Literal["bank_account", "social_security_card"] = "bank_account"
    fund_source: Literal["unemployment_insurance", "employment_fund", "special_account"] = "employment_fund"
    counters: tuple[str, ...] = ()  # the annual counters this subsidy counts toward (e.g. "annual_total")
    exclusion_groups: tuple[str, ...] = ()  # not combinable with another subsidy of a group for the same event
    eligibility: tuple[EligibilityRule, ...] = ()
    adjustments: tuple[AdjustmentRule, ...] = ()
    limits: tuple[LimitRule, ...] = ()
    employment_share: EmploymentShare | None = None


RULE_KINDS: dict[str, type[Any]] = {
    cls.KIND: cls
    for cls in (*typing.get_args(EligibilityRule), *typing.get_args(AdjustmentRule), *typing.get_args(LimitRule))
}

# ---- the codec -----------------------------------------------------------------------------------------------------


def policy_to_data(policy: PolicyRules) -> dict[str, Any]:
    """The JSON-able document of a policy (what is stored on a version and shown to officials)."""
    data = _to_data(policy)
    assert isinstance(data, dict)
    return data


def _to_data(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        kind = getattr(type(value), "KIND", None)
        if kind:
            out["kind"] = kind
        for f in fields(value):
            out[f.name] = _to_data(getattr(value, f.name))
        return out
    if isinstance(value, tuple | list):
        return [_to_data(v) for v in value]
    return value


def policy_from_data(data: Any) -> PolicyRules:
    """Parse and validate a policy document; raises ``PolicyError`` naming the first bad path."""
    policy = _parse(PolicyRules, data, "policy")
    assert isinstance(policy, PolicyRules)
    _check_values(policy)
    return policy


def _parse(tp: Any, value: Any, path: str) -> Any:
    origin = typing.get_origin(tp)
    if tp is Any:
        return value
    if origin is Literal:
        if value not in typing.get_args(tp):
            allowed = "、".join(str(a) for a in typing.get_args(tp))
            raise PolicyError(path, f"取值应为 {allowed} 之一")
        return value
    if origin in (Union, types.UnionType):
        members = [a for a in typing.get_args(tp) if a is not type(None)]
        if value is None and len(members) < len(typing.get_args(tp)):
            return None
        if len(members) == 1:
            return _parse(members[0], value, path)
        if not isinstance(value, Mapping) or "kind" not in value:
            raise PolicyError(path, "规则须写明 kind")
        by_kind = {m.KIND: m for m in members}
        cls = by_kind.get(value["kind"])
        if cls is None:
            raise PolicyError(path, f"不支持的规则类型 {value['kind']!r}（可用：{'、'.join(sorted(by_kind))}）")
        return _parse(cls, value, path)
    if origin is tuple:
        item_type = typing.get_args(tp)[0]
        if not isinstance(value, list | tuple):
            raise PolicyError(path, "应为列表")
        return tuple(_parse(item_type, v, f"{path}[{i}]") for i, v in enumerate(value))
    if isinstance(tp, type) and is_dataclass(tp):
        if not isinstance(value, Mapping):
            raise PolicyError(path, "应为对象")
        hints = typing.get_type_hints(tp)
        kind = getattr(tp, "KIND", None)
        known = {f.name for f in fields(tp)} | ({"kind"} if kind else set())
        unknown = sorted(set(value) - known)
        if unknown:
            raise PolicyError(f"{path}.{unknown[0]}", "未知的字段")
        if kind and value.get("kind", kind) != kind:
            raise PolicyError(f"{path}.kind", f"应为 {kind}")
        kwargs: dict[str, Any] = {}
        for f in fields(tp):
            if f.name in value:
                kwargs[f.name] = _parse(hints[f.name], value[f.name], f"{path}.{f.name}")
            elif f.default is MISSING and f.default_factory is MISSING:
                raise PolicyError(f"{path}.{f.name}", "缺少必填字段")
        return tp(**kwargs)
    if tp is bool:
        if not isinstance(value, bool):
            raise PolicyError(path, "应为 true 或 false")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise PolicyError(path, "应为整数")
        if value < 0:
            raise PolicyError(path, "不能为负数")
        return value
    if tp is str:
        if not isinstance(value, str):
            raise PolicyError(path, "应为文本")
        return value
    raise PolicyError(path, f"unsupported type {tp!r}")  # a programming error in the catalogue


def _check_values(policy: PolicyRules) -> None:
    if not policy.amount.rows:
        raise PolicyError("policy.amount.rows", "补贴标准至少需要一行")
    if policy.amount.max_units < 1:
        raise PolicyError("policy.amount.max_units", "应至少为 1")
    for i, adj in enumerate(policy.adjustments):
        if adj.default_percent > 100:
            raise PolicyError(f"policy.adjustments[{i}].default_percent", "上浮比例不能超过 100%")
        if not adj.catalog and not adj.occupations:
            raise PolicyError(f"policy.adjustments[{i}].catalog", "须引用急需紧缺职业目录（catalog：目录所属地区代码）")
        if adj.catalog and not (len(adj.catalog) == 6 and adj.catalog.isdigit()):
            raise PolicyError(f"policy.adjustments[{i}].catalog", "目录所属地区代码应为6位数字")
    for i, rule in enumerate(policy.limits):
        if isinstance(rule, AnnualCount | OncePerOccupationLevel | HigherLevelBlocks) and (
            rule.scope == "counter" and not rule.counter
        ):
            raise PolicyError(f"policy.limits[{i}].counter", "按计数器限制时须写明计数器名称")
    for i, check in enumerate(policy.eligibility):
        if isinstance(check, AttendanceMin) and check.default_percent > 100:
            raise PolicyError(f"policy.eligibility[{i}].default_percent", "出勤率不能超过 100%")
    share = policy.employment_share
    if share is not None and share.share_percent > 100:
        raise PolicyError("policy.employment_share.share_percent", "比例不能超过 100%")


def rule_kinds() -> list[str]:
    return sorted(RULE_KINDS)


__all__ = [
    "CHANNELS",
    "CHANNEL_LABELS",
    "FUND_SOURCES",
    "FUND_SOURCE_LABELS",
    "PAYEES",
    "PAYEE_LABELS",
    "AgeRange",
    "AmountRow",
    "AmountTable",
    "AnnualCount",
    "ApplyWithin",
    "AttendanceMin",
    "CertificateObtained",
    "ConcentratedHoursMin",
    "EligibleGroup",
    "EmployedByApplicant",
    "EmploymentShare",
    "HigherLevelBlocks",
    "HoursMin",
    "InsuredMonths",
    "LevelHours",
    "OncePerOccupationLevel",
    "PolicyError",
    "PolicyRules",
    "ShortageFloat",
    "TrainingCompleted",
    "policy_from_data",
    "policy_to_data",
    "rule_kinds",
]
