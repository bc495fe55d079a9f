"""The subsidy decision (补贴审核判定): a policy, a claim's facts and the person's history in; a decision out.

``evaluate`` is pure and deterministic. It returns one explained line per check — a stable code, an outcome, a
Chinese message with the figures, and the figures themselves — and the decision:

- ``reject`` when any check fails (the amount is then 0);
- ``needs_evidence`` when no check fails but one lacks evidence (insured months not yet confirmed, …);
- ``approve`` otherwise.

The amount is integer fen (``money.py`` states the rounding rule): the most specific row of the amount table,
times the units (months, years) up to their maximum, floated for shortage occupations, capped, then split into the
part payable now and the employment-linked part payable once employment is proven.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from jineng.rules.certificates import display_number
from jineng.rules.subsidy.facts import ClaimFacts, PersonHistory, PriorClaim
from jineng.rules.subsidy.money import ROUNDING_RULE, apply_bp, format_bp, format_fen, percent_bp, raise_by_bp
from jineng.rules.subsidy.policy import (
    AgeRange,
    AmountRow,
    AnnualCount,
    ApplyWithin,
    AttendanceMin,
    CertificateObtained,
    ConcentratedHoursMin,
    EligibilityRule,
    EligibleGroup,
    EmployedByApplicant,
    HigherLevelBlocks,
    HoursMin,
    InsuredMonths,
    LimitRule,
    OncePerOccupationLevel,
    PolicyRules,
    ShortageFloat,
    TrainingCompleted,
)

PASS = "pass"  # noqa: S105 - an outcome, not a password
FAIL = "fail"
NEEDS_EVIDENCE = "needs_evidence"
INFO = "info"

APPROVE = "approve"
REJECT = "reject"
NEEDS = "needs_evidence"
DECISION_LABELS = {APPROVE: "符合条件", REJECT: "不符合条件", NEEDS: "需补充材料"}
OUTCOME_LABELS = {PASS: "通过", FAIL: "不通过", NEEDS_EVIDENCE: "待补充", INFO: "说明"}

Figure = int | str


@dataclass(frozen=True)
class CheckLine:
    code: str
    outcome: str
    message: str
    figures: dict[str, Figure] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "outcome": self.outcome, "message": self.message, "figures": dict(self.figures)}


@dataclass(frozen=True)
class Decision:
    outcome: str
    amount_fen: int  # the whole entitlement (payable now + employment-linked)
    payable_fen: int  # payable now
    deferred_fen: int  # payable after employment is proven (就业挂钩部分)
    lines: tuple[CheckLine, ...]
    rounding: str = ROUNDING_RULE

    @property
    def failed(self) -> list[CheckLine]:
        return [line for line in self.lines if line.outcome == FAIL]

    def as_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "amount_fen": self.amount_fen,
            "payable_fen": self.payable_fen,
            "deferred_fen": self.deferred_fen,
            "rounding": self.rounding,
            "lines": [line.as_dict() for line in self.lines],
        }


def _units_cut(facts: ClaimFacts, units: int, max_units: int, unit_name: str) -> str:
    """Why fewer months are paid than were applied for: only the months worked since the hire count (以工代训 pays
    months already worked), and never more than the policy's maximum."""
    declared = facts.units_declared
    if not declared or declared <= units:
        return ""
    if facts.units < declared and facts.units <= max_units:
        return (
            f"；申请 {declared} {unit_name}，自 {facts.event_date:%Y-%m-%d} 录用至今已满 {facts.units} {unit_name}，"
            f"以工代训只补贴已满的{unit_name}数"
        )
    return f"；申请 {declared} {unit_name}，超过政策上限 {max_units} {unit_name}，按上限计"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end (1-31 + 1 month → 2-28/29)."""
    month0 = day.month - 1 + months
    year = day.year + month0 // 12
    month = month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _names(facts: ClaimFacts, codes: Iterable[str]) -> str:
    return "、".join(facts.label(c) for c in codes) or "无"


# ---- eligibility ---------------------------------------------------------------------------------------------------


def _kind(facts: ClaimFacts, code: str) -> str:
    """A certificate kind's name: ``kind:<code>`` first — a kind's code may also be a subsidy type's ("training": 培训
    合格证书, not 职业培训补贴)."""
    return facts.labels.get(f"kind:{code}") or facts.label(code)


def _kinds(facts: ClaimFacts, codes: Iterable[str]) -> str:
    return "、".join(_kind(facts, c) for c in codes) or "无"


def _eligibility(rule: EligibilityRule, facts: ClaimFacts) -> CheckLine:  # noqa: C901 - one branch per rule kind
    if isinstance(rule, EligibleGroup):
        held = [g for g in rule.groups if g in facts.person.groups]
        figures: dict[str, Figure] = {
            "required": ",".join(rule.groups),
            "held": ",".join(facts.person.groups),
            "on": facts.event_date.isoformat(),
        }
        if held:
            return CheckLine("eligible_group", PASS, f"人员类别符合：{_names(facts, held)}", figures)
        return CheckLine(
            "eligible_group",
            FAIL,
            f"人员类别不符合：须为{_names(facts, rule.groups)}之一，{facts.event_date:%Y-%m-%d}时本人为{_names(facts, facts.person.groups)}",
            figures,
        )
    if isinstance(rule, AgeRange):
        person = facts.person
        if person.birth_date is None or person.sex not in ("male", "female"):
            return CheckLine("age", NEEDS_EVIDENCE, "缺少出生日期或性别，无法核对年龄条件", {})
        age = age_on(person.birth_date, facts.event_date)
        low, high = (rule.male_min, rule.male_max) if person.sex == "male" else (rule.female_min, rule.female_max)
        sex = "男" if person.sex == "male" else "女"
        figures = {"age": age, "min": low, "max": high, "sex": person.sex, "on": facts.event_date.isoformat()}
        if low <= age <= high:
            return CheckLine("age", PASS, f"年龄 {age} 周岁，符合 {low}–{high} 周岁（{sex}）", figures)
        return CheckLine("age", FAIL, f"年龄 {age} 周岁，不在 {low}–{high} 周岁（{sex}）范围内", figures)
    if isinstance(rule, InsuredMonths):
        if facts.insured_months is None:
            return CheckLine(
                "insured_months",
                NEEDS_EVIDENCE,
                f"待核实失业保险参保缴费月数（须满 {rule.min_months} 个月）",
                {"min": rule.min_months},
            )
        figures = {"months": facts.insured_months, "min": rule.min_months}
        if facts.insured_months >= rule.min_months:
            return CheckLine(
                "insured_months", PASS, f"参保缴费 {facts.insured_months} 个月，满 {rule.min_months} 个月", figures
            )
        return CheckLine(
            "insured_months", FAIL, f"参保缴费 {facts.insured_months} 个月，不满 {rule.min_months} 个月", figures
        )
    if isinstance(rule, CertificateObtained):
        cert = facts.certificate
        if cert is None:
            return CheckLine("certificate", FAIL, "未查询到本人对应的证书（须为已核发的证书）", {})
        figures = {
            "number": cert.number,
            "kind": cert.kind,
            "level": cert.level,
            "issued_on": cert.issued_on.isoformat(),
            "min_level_rank": rule.min_level_rank,
        }
        if not cert.valid:
            return CheckLine("certificate", FAIL, f"证书 {display_number(cert.number)} 已撤销，不能申领补贴", figures)
        if rule.kinds and cert.kind not in rule.kinds:
            return CheckLine(
                "certificate",
                FAIL,
                f"证书 {display_number(cert.number)} 为{_kind(facts, cert.kind)}，本补贴须为{_kinds(facts, rule.kinds)}",
                figures,
            )
        if cert.level_rank < rule.min_level_rank:
            return CheckLine(
                "certificate",
                FAIL,
                f"证书 {display_number(cert.number)} 等级为{facts.label(cert.level) or '无等级'}，未达到要求",
                figures,
            )
        level = f"（{facts.label(cert.level)}）" if cert.level else ""
        return CheckLine(
            "certificate",
            PASS,
            f"证书 {display_number(cert.number)}：{_kind(facts, cert.kind)}{level}，{cert.issued_on:%Y-%m-%d} 核发，有效",
            figures,
        )
    if isinstance(rule, TrainingCompleted):
        t = facts.training
        if t is None:
            return CheckLine("training_completed", FAIL, "未查询到本人的培训记录", {})
        figures = {"class": t.class_code, "completed_on": t.completed_on.isoformat() if t.completed_on else ""}
        if not t.completed:
            return CheckLine("training_completed", FAIL, f"班级 {t.class_code} 的培训尚未结业", figures)
        if not t.passed:
            return CheckLine("training_completed", FAIL, f"班级 {t.class_code} 结业考核不合格", figures)
        return CheckLine("training_completed", PASS, f"班级 {t.class_code} 已结业，考核合格", figures)
    if isinstance(rule, AttendanceMin):
        t = facts.training
        minimum = percent_bp(facts.setting(rule.setting, rule.default_percent))
        if t is None:
            return CheckLine("attendance", FAIL, "未查询到考勤记录", {"min_bp": minimum})
        figures = {"rate_bp": t.attendance_bp, "min_bp": minimum, "class": t.class_code}
        if t.attendance_bp >= minimum:
            return CheckLine(
                "attendance", PASS, f"出勤率 {format_bp(t.attendance_bp)}，达到 {format_bp(minimum)} 的要求", figures
            )
        return CheckLine(
            "attendance",
            FAIL,
            f"班级 {t.class_code} 出勤率 {format_bp(t.attendance_bp)}，低于 {format_bp(minimum)} 的最低要求",
            figures,
        )
    if isinstance(rule, HoursMin):
        minimum = facts.setting(rule.setting, rule.default_hours)
        for row in rule.by_level:
            if row.level == facts.level:
                minimum = row.hours
        hours = facts.training.hours if facts.training is not None else facts.hours
        figures = {"hours": hours, "min": minimum, "level": facts.level}
        if hours >= minimum:
            return CheckLine("hours", PASS, f"学时 {hours}，达到 {minimum} 学时的要求", figures)
        return CheckLine("hours", FAIL, f"学时 {hours}，不足 {minimum} 学时（{facts.label(facts.level)}）", figures)
    if isinstance(rule, ConcentratedHoursMin):
        minimum = facts.setting(rule.setting, rule.default_hours)
        figures = {"hours": facts.concentrated_hours, "min": minimum}
        if facts.concentrated_hours >= minimum:
            return CheckLine(
                "concentrated_hours", PASS, f"集中培训 {facts.concentrated_hours} 课时，达到 {minimum} 课时", figures
            )
        return CheckLine(
            "concentrated_hours", FAIL, f"集中培训 {facts.concentrated_hours} 课时，不足 {minimum} 课时", figures
        )
    if isinstance(rule, EmployedByApplicant):
        if facts.employed_by_applicant is None:
            return CheckLine(
                "employed_by_applicant", NEEDS_EVIDENCE, "待核实与申请单位的劳动关系（劳动合同或参保记录）", {}
            )
        if facts.employed_by_applicant:
            return CheckLine(
                "employed_by_applicant",
                PASS,
                f"{facts.event_date:%Y-%m-%d} 在申请单位就业",
                {"on": facts.event_date.isoformat()},
            )
        return CheckLine(
            "employed_by_applicant",
            FAIL,
            f"{facts.event_date:%Y-%m-%d} 未在申请单位就业",
            {"on": facts.event_date.isoformat()},
        )
    if isinstance(rule, ApplyWithin):
        limit = facts.setting(rule.setting, rule.default)
        if rule.unit == "days":
            last = facts.event_date + dt.timedelta(days=limit)
            span = f"{limit} 日"
        else:
            last = add_months(facts.event_date, limit)
            span = f"{limit} 个月"
        figures = {
            "event_date": facts.event_date.isoformat(),
            "applied_on": facts.applied_on.isoformat(),
            "last_day": last.isoformat(),
            "limit": limit,
            "unit": rule.unit,
        }
        if facts.applied_on <= last:
            return CheckLine("deadline", PASS, f"在 {span}申领时限内（截至 {last:%Y-%m-%d}）", figures)
        return CheckLine(
            "deadline",
            FAIL,
            f"超过申领时限：应在 {facts.event_date:%Y-%m-%d} 后 {span}内（{last:%Y-%m-%d} 前）申领，申请日为 {facts.applied_on:%Y-%m-%d}",
            figures,
        )
    raise TypeError(f"unknown eligibility rule {rule!r}")


# ---- history -------------------------------------------------------------------------------------------------------


def _in_scope(prior: PriorClaim, facts: ClaimFacts, scope: str, counter: str) -> bool:
    return prior.subsidy_type == facts.subsidy_type if scope == "type" else counter in prior.counters


def _numbers(claims: Iterable[PriorClaim]) -> str:
    return "、".join(c.number or c.id for c in claims)


def _regions(claims: Iterable[PriorClaim]) -> str:
    return ",".join(sorted({c.region for c in claims if c.region}))


def _duplicate(facts: ClaimFacts, history: PersonHistory) -> CheckLine:
    own = facts.event_keys[0] if facts.event_keys else ""
    dup = [c for c in history.claims if c.subsidy_type == facts.subsidy_type and own and own in c.event_keys]
    if dup:
        return CheckLine(
            "duplicate",
            FAIL,
            f"同一培训（证书）已申领过本补贴：申请 {_numbers(dup)}",
            {"event": own, "claims": _numbers(dup), "regions": _regions(dup)},
        )
    return CheckLine("duplicate", PASS, "未重复申领", {"event": own})


def _exclusion(policy: PolicyRules, facts: ClaimFacts, history: PersonHistory) -> CheckLine | None:
    if not policy.exclusion_groups:
        return None
    keys = set(facts.event_keys)
    clash = [
        c
        for c in history.claims
        if c.subsidy_type != facts.subsidy_type
        and set(c.exclusion_groups) & set(policy.exclusion_groups)
        and keys & set(c.event_keys)
    ]
    figures: dict[str, Figure] = {"groups": ",".join(policy.exclusion_groups)}
    if clash:
        kinds = _names(facts, sorted({c.subsidy_type for c in clash}))
        figures |= {"claims": _numbers(clash), "types": ",".join(sorted({c.subsidy_type for c in clash}))}
        return CheckLine(
            "mutual_exclusion",
            FAIL,
            f"同一培训（证书）已申领{kinds}（申请 {_numbers(clash)}），两者不可同时享受",
            figures,
        )
    return CheckLine("mutual_exclusion", PASS, "未与互斥补贴重复享受", figures)


def _limit(rule: LimitRule, facts: ClaimFacts, history: PersonHistory) -> CheckLine:
    if isinstance(rule, AnnualCount):
        year = facts.event_date.year
        maximum = facts.setting(rule.setting, rule.max_count)
        used = [c for c in history.claims if c.event_year == year and _in_scope(c, facts, rule.scope, rule.counter)]
        what = f"{facts.label(facts.subsidy_type)}" if rule.scope == "type" else facts.label(rule.counter)
        figures: dict[str, Figure] = {
            "year": year,
            "used": len(used),
            "max": maximum,
            "scope": rule.scope,
            "counter": rule.counter,
            "regions": _regions(used),
        }
        if len(used) + 1 > maximum:
            where = f"（含 {_regions(used)} 地区，申请 {_numbers(used)}）" if used else ""
            return CheckLine(
                "annual_cap",
                FAIL,
                f"{year} 年已享受{what} {len(used)} 次{where}，已达每人每年 {maximum} 次上限",
                figures,
            )
        return CheckLine("annual_cap", PASS, f"{year} 年已享受{what} {len(used)} 次，上限 {maximum} 次", figures)
    if isinstance(rule, OncePerOccupationLevel):
        same = [
            c
            for c in history.claims
            if c.occupation == facts.occupation
            and c.level == facts.level
            and _in_scope(c, facts, rule.scope, rule.counter)
        ]
        figures = {"occupation": facts.occupation, "level": facts.level}
        if same:
            return CheckLine(
                "once_per_occupation_level",
                FAIL,
                f"同一职业（{facts.label(facts.occupation)}）同一等级（{facts.label(facts.level)}）已享受过补贴（申请 {_numbers(same)}）",
                figures | {"claims": _numbers(same)},
            )
        return CheckLine("once_per_occupation_level", PASS, "同一职业同一等级未享受过补贴", figures)
    if isinstance(rule, HigherLevelBlocks):
        claimed = [
            c
            for c in history.claims
            if c.occupation == facts.occupation
            and c.level_rank > facts.level_rank
            and _in_scope(c, facts, rule.scope, rule.counter)
        ]
        held = (
            [
                cert
                for cert in history.certificates
                if cert.valid
                and cert.occupation == facts.occupation
                and cert.level_rank > facts.level_rank
                and cert.issued_on <= facts.event_date
                and (facts.certificate is None or cert.id != facts.certificate.id)
            ]
            if rule.certificates_held
            else []
        )
        figures = {"occupation": facts.occupation, "level_rank": facts.level_rank}
        if claimed or held:
            what = (
                f"已持有更高等级证书 {'、'.join(display_number(c.number) for c in held)}"
                if held
                else f"已享受更高等级补贴（申请 {_numbers(claimed)}）"
            )
            return CheckLine(
                "higher_level_blocks",
                FAIL,
                f"同一职业{what}，不再享受较低等级（{facts.label(facts.level)}）补贴",
                figures,
            )
        return CheckLine("higher_level_blocks", PASS, "未持有同一职业更高等级证书或补贴", figures)
    raise TypeError(f"unknown limit rule {rule!r}")


# ---- amounts -------------------------------------------------------------------------------------------------------


def _occupation_matches(pattern: str, code: str) -> bool:
    return not pattern or code == pattern or code.startswith(pattern + "-")


def _row_matches(row: AmountRow, facts: ClaimFacts, kind: str, hours: int) -> bool:
    return (
        (not row.certificate_kind or row.certificate_kind == kind)
        and (not row.level or row.level == facts.level)
        and _occupation_matches(row.occupation, facts.occupation)
        and hours >= row.min_hours
    )


def _amount(policy: PolicyRules, facts: ClaimFacts, lines: list[CheckLine]) -> int | None:
    table = policy.amount
    kind = facts.certificate.kind if facts.certificate is not None else ""
    hours = facts.training.hours if facts.training is not None else facts.hours
    rows = [row for row in table.rows if _row_matches(row, facts, kind, hours)]
    if not rows:
        lines.append(
            CheckLine(
                "amount_standard",
                FAIL,
                f"补贴标准目录中没有适用的标准（{facts.label(kind) or '—'}、{facts.label(facts.level) or '—'}、"
                f"{facts.label(facts.occupation) or '—'}、{hours} 学时）",
                {"certificate_kind": kind, "level": facts.level, "occupation": facts.occupation, "hours": hours},
            )
        )
        return None
    row = max(rows, key=lambda r: r.specificity())
    if row.per_hour_fen:
        base = row.per_hour_fen * hours
        lines.append(
            CheckLine(
                "amount_standard",
                INFO,
                f"按学时补贴：{format_fen(row.per_hour_fen)}/学时 × {hours} 学时 = {format_fen(base)}",
                {"per_hour_fen": row.per_hour_fen, "hours": hours, "amount_fen": base},
            )
        )
    else:
        base = row.amount_fen
        units = 1
        if table.unit != "claim":
            units = min(max(facts.units, 0), table.max_units)
            unit_name = "个月" if table.unit == "month" else "年"
            base = row.amount_fen * units
            figures: dict[str, Any] = {
                "rate_fen": row.amount_fen, "units": units, "max_units": table.max_units, "amount_fen": base,
            }  # fmt: skip
            why = _units_cut(facts, units, table.max_units, unit_name)
            if why:
                figures |= {"units_declared": facts.units_declared, "units_worked": facts.units}
            lines.append(
                CheckLine(
                    "amount_standard",
                    INFO,
                    f"补贴标准 {format_fen(row.amount_fen)}/{unit_name[-1]} × {units} {unit_name}"
                    f"（最多 {table.max_units} {unit_name}）= {format_fen(base)}{why}",
                    figures,
                )
            )
        else:
            lines.append(
                CheckLine(
                    "amount_standard",
                    INFO,
                    f"补贴标准 {format_fen(base)}",
                    {"amount_fen": base, "level": row.level, "certificate_kind": row.certificate_kind},
                )
            )
    amount = base
    for adj in policy.adjustments:
        amount = _float(adj, facts, amount, lines)
    if table.max_fen and amount > table.max_fen:
        lines.append(
            CheckLine(
                "claim_cap",
                INFO,
                f"{format_fen(amount)} 超过封顶标准，按 {format_fen(table.max_fen)} 计",
                {"before_fen": amount, "max_fen": table.max_fen},
            )
        )
        amount = table.max_fen
    return amount


def _float(rule: ShortageFloat, facts: ClaimFacts, amount: int, lines: list[CheckLine]) -> int:
    if rule.catalog:
        # The published 急需紧缺职业目录 in force on the class's start date (ADR 0022): exact occupation codes.
        catalog = facts.shortage
        on_list = catalog is not None and bool(facts.occupation) and facts.occupation in catalog.occupations
        source = f"《{catalog.version}》" if catalog is not None else ""
    else:
        on_list = any(_occupation_matches(code, facts.occupation) for code in rule.occupations) and bool(
            facts.occupation
        )
        catalog, source = None, ""
    if not on_list or facts.level_rank < rule.min_level_rank:
        return amount
    percent = facts.setting(rule.setting, rule.default_percent)
    floated = raise_by_bp(amount, percent_bp(percent))
    figures: dict[str, Any] = {"percent": percent, "before_fen": amount, "after_fen": floated}
    if catalog is not None:
        figures["catalog_version"] = catalog.version
    lines.append(
        CheckLine(
            "shortage_float",
            INFO,
            f"急需紧缺职业{source}（{facts.label(facts.occupation)}）高级工以上上浮 {percent}%："
            f"{format_fen(amount)} → {format_fen(floated)}",
            figures,
        )
    )
    return floated


def _employment(policy: PolicyRules, facts: ClaimFacts, amount: int, lines: list[CheckLine]) -> tuple[int, int]:
    """(payable now, deferred)."""
    share = policy.employment_share
    if share is None or amount == 0 or share.share_percent == 0:
        return amount, 0
    linked = apply_bp(amount, percent_bp(share.share_percent))
    window_end = add_months(facts.event_date, share.within_months)
    proven = [d for d in facts.employment_dates if facts.event_date <= d <= window_end]
    figures: dict[str, Figure] = {
        "share_percent": share.share_percent,
        "share_fen": linked,
        "within_months": share.within_months,
        "window_end": window_end.isoformat(),
    }
    if proven:
        lines.append(
            CheckLine(
                "employment_share",
                PASS,
                f"已于 {min(proven):%Y-%m-%d} 实现就业，就业挂钩部分 {format_fen(linked)} 一并拨付",
                figures | {"employed_on": min(proven).isoformat()},
            )
        )
        return amount, 0
    if facts.today > window_end:
        lines.append(
            CheckLine(
                "employment_share",
                INFO,
                f"{window_end:%Y-%m-%d} 前未实现就业，就业挂钩部分 {format_fen(linked)}（{share.share_percent}%）不予拨付",
                figures,
            )
        )
        return amount - linked, 0
    lines.append(
        CheckLine(
            "employment_share",
            INFO,
            f"就业挂钩部分 {format_fen(linked)}（{share.share_percent}%）待 {window_end:%Y-%m-%d} 前实现就业后拨付",
            figures,
        )
    )
    return amount - linked, linked


# ---- the decision --------------------------------------------------------------------------------------------------


def evaluate(policy: PolicyRules, facts: ClaimFacts, history: PersonHistory) -> Decision:
    """Every check of the policy, in a fixed order, and the decision with its amount."""
    lines: list[CheckLine] = [_eligibility(rule, facts) for rule in policy.eligibility]
    lines.append(_duplicate(facts, history))
    exclusion = _exclusion(policy, facts, history)
    if exclusion is not None:
        lines.append(exclusion)
    lines.extend(_limit(rule, facts, history) for rule in policy.limits)
    amount = _amount(policy, facts, lines)
    payable, deferred = (0, 0)
    if amount is not None:
        payable, deferred = _employment(policy, facts, amount, lines)
    outcomes = {line.outcome for line in lines}
    if FAIL in outcomes or amount is None:
        return Decision(REJECT, 0, 0, 0, tuple(lines))
    total = payable + deferred
    lines.append(
        CheckLine(
            "amount",
            INFO,
            f"核定补贴 {format_fen(total)}，本次拨付 {format_fen(payable)}"
            + (f"，就业后拨付 {format_fen(deferred)}" if deferred else ""),
            {"amount_fen": total, "payable_fen": payable, "deferred_fen": deferred},
        )
    )
    outcome = NEEDS if NEEDS_EVIDENCE in outcomes else APPROVE
    return Decision(outcome, total, payable, deferred, tuple(lines))
