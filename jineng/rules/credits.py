"""技能学分规则 — what a record earns in a region's skill credit bank (学分银行), and the plan of ledger entries that
brings a person's account up to date with their records.

Pure Python (no Django, no database). A region's rule set (``CreditRules``, read by ``rules_from_data``) says:

- **培训 training**: a completed, passed class earns one credit per ``training_hours_per_credit`` 学时 actually
  credited by attendance (offline hours: the class's credited hours less the online hours credited in it);
- **线上学习 online**: the online 学时 credited in a completed class earn one credit per ``online_hours_per_credit``;
- **证书 certificate**: a valid certificate earns the credits of its level (``certificate_levels``), or
  ``certificate_other`` when its level is not listed (专项能力证书, a certificate without a level);
- **竞赛 competition**: an active competition award earns the credits of its event level (``competition_levels``);
- **caps**: at most ``annual_caps[category]`` credits of a category are earned per calendar year (the year of the
  source's date); a source beyond the cap earns what is left (possibly nothing, recorded as nothing);
- **expiry**: credits of a category with ``expiry_years[category]`` > 0 lapse that many years after the source's date.

Credits are decimals with one place, rounded down (a 学时 short of a tenth earns nothing of it).

``plan`` is the derivation: given the person's sources (their records as they stand) and the ledger (what was earned
and reversed per source), it returns only the entries still missing — an earn for a standing source never earned,
a reversal of the net credits of a source that no longer stands (a revoked certificate, a restated award). Applying
its output and planning again returns nothing (idempotent); more hours never earn fewer credits (monotone); a year's
category total never exceeds its cap and a source never earns more than its rule gives (bounded).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import Any

TRAINING = "training"
ONLINE = "online"
CERTIFICATE = "certificate"
COMPETITION = "competition"
CATEGORIES = (TRAINING, ONLINE, CERTIFICATE, COMPETITION)
EVENT_LEVELS = ("enterprise", "industry", "city", "province", "national", "world_selection")
TENTH = Decimal("0.1")
CREDITS_MAX = Decimal("100")  # what one source or one rule line may give at most
HOURS_PER_CREDIT_MAX = 200
CAP_MAX = Decimal("1000")
EXPIRY_MAX = 50


class RuleError(ValueError):
    """A rule set that cannot be applied: names the field and the reason."""

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.code = code
        self.message = message


@dataclass(frozen=True)
class CreditRules:
    training_hours_per_credit: int = 16
    online_hours_per_credit: int = 16
    certificate_levels: Mapping[str, Decimal] = field(default_factory=dict)
    certificate_other: Decimal = Decimal("0")
    competition_levels: Mapping[str, Decimal] = field(default_factory=dict)
    annual_caps: Mapping[str, Decimal] = field(default_factory=dict)  # category → cap; absent = no cap
    expiry_years: Mapping[str, int] = field(default_factory=dict)  # category → years; absent/0 = never
    conversion_hours_per_credit: int = 16  # 1 credit waives this many 学时 of a training module
    theory_waiver_credits: Decimal = Decimal("0")  # credits that waive an evaluation's theory part (0 = not offered)

    def as_dict(self) -> dict[str, Any]:
        return {
            "training_hours_per_credit": self.training_hours_per_credit,
            "online_hours_per_credit": self.online_hours_per_credit,
            "certificate_levels": {k: str(v) for k, v in self.certificate_levels.items()},
            "certificate_other": str(self.certificate_other),
            "competition_levels": {k: str(v) for k, v in self.competition_levels.items()},
            "annual_caps": {k: str(v) for k, v in self.annual_caps.items()},
            "expiry_years": dict(self.expiry_years),
            "conversion_hours_per_credit": self.conversion_hours_per_credit,
            "theory_waiver_credits": str(self.theory_waiver_credits),
        }


def _credits(value: Any, field_name: str, limit: Decimal = CREDITS_MAX) -> Decimal:
    try:
        d = Decimal(str(value))
    except (ArithmeticError, ValueError):
        raise RuleError(field_name, "bad_credits", "学分须为数字。") from None
    if not d.is_finite() or d < 0 or d > limit:
        raise RuleError(field_name, "bad_credits", f"学分须在 0–{limit} 之间。")
    if d != d.quantize(TENTH):
        raise RuleError(field_name, "bad_credits", "学分至多一位小数。")
    return d.quantize(TENTH)


def _hours(value: Any, field_name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise RuleError(field_name, "bad_hours", "学时须为整数。")
    try:
        n = int(value)
    except ValueError:
        raise RuleError(field_name, "bad_hours", "学时须为整数。") from None
    if not 1 <= n <= HOURS_PER_CREDIT_MAX:
        raise RuleError(field_name, "bad_hours", f"每学分学时须在 1–{HOURS_PER_CREDIT_MAX} 之间。")
    return n


def _mapping(value: Any, field_name: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping) or len(value) > 40:
        raise RuleError(field_name, "bad_rules", "须为不超过 40 项的对照表。")
    return value


def rules_from_data(data: Mapping[str, Any], level_codes: Iterable[str]) -> CreditRules:
    """A rule set from its stored or submitted form; a bad field is refused and named (``field``, ``code``)."""
    if not isinstance(data, Mapping):
        raise RuleError("rules", "bad_rules", "规则须为对照表。")
    levels = set(level_codes)
    cert_levels = {}
    for code, value in _mapping(data.get("certificate_levels"), "certificate_levels").items():
        if code not in levels:
            raise RuleError(f"certificate_levels.{code}", "unknown_level", "不是技能等级代码。")
        cert_levels[code] = _credits(value, f"certificate_levels.{code}")
    comp = {}
    for code, value in _mapping(data.get("competition_levels"), "competition_levels").items():
        if code not in EVENT_LEVELS:
            raise RuleError(f"competition_levels.{code}", "unknown_event_level", "不是竞赛级别。")
        comp[code] = _credits(value, f"competition_levels.{code}")
    caps = {}
    for code, value in _mapping(data.get("annual_caps"), "annual_caps").items():
        if code not in CATEGORIES:
            raise RuleError(f"annual_caps.{code}", "unknown_category", "不是学分类别。")
        caps[code] = _credits(value, f"annual_caps.{code}", CAP_MAX)
    expiry = {}
    for code, value in _mapping(data.get("expiry_years"), "expiry_years").items():
        if code not in CATEGORIES:
            raise RuleError(f"expiry_years.{code}", "unknown_category", "不是学分类别。")
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= EXPIRY_MAX:
            raise RuleError(f"expiry_years.{code}", "bad_expiry", f"有效年限须为 0–{EXPIRY_MAX} 的整数。")
        expiry[code] = value
    return CreditRules(
        training_hours_per_credit=_hours(data.get("training_hours_per_credit", 16), "training_hours_per_credit"),
        online_hours_per_credit=_hours(data.get("online_hours_per_credit", 16), "online_hours_per_credit"),
        certificate_levels=cert_levels,
        certificate_other=_credits(data.get("certificate_other", 0), "certificate_other"),
        competition_levels=comp,
        annual_caps=caps,
        expiry_years=expiry,
        conversion_hours_per_credit=_hours(data.get("conversion_hours_per_credit", 16), "conversion_hours_per_credit"),
        theory_waiver_credits=_credits(data.get("theory_waiver_credits", 0), "theory_waiver_credits"),
    )


@dataclass(frozen=True)
class Source:
    """A record that may earn credits, as it stands today. ``key`` is unique across sources (``type:id``)."""

    key: str
    category: str
    on: dt.date
    standing: bool  # False: revoked, restated, withdrawn — its credits are reversed
    hours: int = 0  # training / online: hours credited
    level: str = ""  # certificate: the level code; competition: the event level
    label: str = ""
    level_label: str = ""  # the level in words, for the explanation


@dataclass(frozen=True)
class Ledger:
    """What the ledger holds per source: net credits (earned less reversed) and whether it was earned at all."""

    net: Mapping[str, Decimal] = field(default_factory=dict)
    earned: frozenset[str] = frozenset()
    year_totals: Mapping[tuple[str, int], Decimal] = field(default_factory=dict)  # (category, year) → net


@dataclass(frozen=True)
class PlannedEntry:
    key: str
    category: str
    on: dt.date
    credits: Decimal  # positive: earned; negative: reversed
    reverses: bool
    expires_on: dt.date | None
    explanation: str


def _floor(value: Decimal) -> Decimal:
    return value.quantize(TENTH, rounding=ROUND_DOWN)


def base_credits(rules: CreditRules, source: Source) -> tuple[Decimal, str]:
    """The credits the rule gives the source before the annual cap, and how (in Chinese)."""
    if source.category == TRAINING:
        hours = max(source.hours, 0)
        return _floor(Decimal(hours) / rules.training_hours_per_credit), (
            f"{hours} 学时 ÷ {rules.training_hours_per_credit} 学时/学分"
        )
    if source.category == ONLINE:
        hours = max(source.hours, 0)
        return _floor(Decimal(hours) / rules.online_hours_per_credit), (
            f"线上 {hours} 学时 ÷ {rules.online_hours_per_credit} 学时/学分"
        )
    if source.category == CERTIFICATE:
        if source.level in rules.certificate_levels:
            return rules.certificate_levels[source.level], f"证书等级 {source.level_label or source.level}"
        return rules.certificate_other, "其他证书"
    if source.category == COMPETITION:
        return rules.competition_levels.get(
            source.level, Decimal("0")
        ), f"竞赛级别 {source.level_label or source.level}"
    return Decimal("0"), "未知类别"


def expiry_of(rules: CreditRules, category: str, on: dt.date) -> dt.date | None:
    years = rules.expiry_years.get(category, 0)
    if not years:
        return None
    try:
        return on.replace(year=on.year + years)
    except ValueError:  # 29 February
        return on.replace(year=on.year + years, day=28)


def plan(sources: Sequence[Source], ledger: Ledger, rules_for: Any) -> list[PlannedEntry]:
    """The entries that bring the ledger up to date with the sources (oldest source first). ``rules_for(source)``
    gives the ``CreditRules`` in force for it, or None (no rule set: the source earns nothing, and is not marked
    earned, so a rule set published later still counts it)."""
    out: list[PlannedEntry] = []
    totals: dict[tuple[str, int], Decimal] = dict(ledger.year_totals)
    for source in sorted(sources, key=lambda s: (s.on, s.key)):
        net = ledger.net.get(source.key, Decimal("0"))
        if not source.standing:
            if net > 0:
                out.append(PlannedEntry(source.key, source.category, source.on, -net, True, None,
                                        "来源记录已撤销或更正，冲销其学分"))  # fmt: skip
                bucket = (source.category, source.on.year)
                totals[bucket] = totals.get(bucket, Decimal("0")) - net
            continue
        if source.key in ledger.earned:
            continue
        rules = rules_for(source)
        if rules is None:
            continue
        credits, how = base_credits(rules, source)
        bucket = (source.category, source.on.year)
        cap = rules.annual_caps.get(source.category)
        if cap is not None:
            room = max(cap - totals.get(bucket, Decimal("0")), Decimal("0"))
            if credits > room:
                credits, how = room, how + f"；年度上限 {cap} 学分，本年余 {room}"
        totals[bucket] = totals.get(bucket, Decimal("0")) + credits
        out.append(PlannedEntry(source.key, source.category, source.on, credits, False,
                                expiry_of(rules, source.category, source.on), how))  # fmt: skip
    return out
