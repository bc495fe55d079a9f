"""Supervision rules — pure: the anomaly rules' definitions, and the logic a scan applies to the rows it reads.

No Django, no database (``jineng.supervision`` runs the set-based queries and hands rows to these functions):

- ``RULES`` — each anomaly rule once: code, Chinese and English name, what it reads, why it matters, severity and
  the per-region settings (thresholds) it uses (docs/supervision.md);
- ``clusters`` — keys (a phone, a bank account, a device, a check-in minute) behind at least N distinct members;
- ``overlapping_pairs`` — one person's enrollments whose classes overlap in time;
- ``great_circle_km`` — the haversine distance between two points on the earth (mean radius 6,371.0088 km);
- ``binomial_z`` / ``rate_outliers`` — a unit's rate against its region's pooled rate: a one-sample binomial
  z-test, flagged when |z| ≥ the stated critical value (3.29: two-sided p < 0.001);
- ``completion_too_fast`` — 学时 credited beyond what the class's days allow at the daily cap;
- ``case_fingerprint`` — one case per rule and what it is about (a scan re-run finds the same case);
- ``CASE_TRANSITIONS`` — the case workflow 新线索 → 核查中 → 属实 / 不属实 → 已处理;
- ``risk_score`` — the explained composite of a provider's cases and statistical signals.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


SEVERITY_WEIGHT = {Severity.HIGH: 3, Severity.MEDIUM: 2, Severity.LOW: 1}


@dataclass(frozen=True)
class Threshold:
    """A per-region, versioned setting a rule reads: key, label, default and its sensible range (inclusive)."""

    key: str
    label: str
    default: int
    minimum: int
    maximum: int
    unit: str = ""


@dataclass(frozen=True)
class RuleDef:
    code: str
    name: str  # Chinese
    name_en: str
    reads: str
    why: str
    severity: Severity
    thresholds: tuple[Threshold, ...] = ()
    false_positives: str = ""


MIN_PERSONS = Threshold("supervision.shared_contact_min_persons", "同一手机号或银行账户关联人数下限", 5, 2, 100, "人")
FAR_KM = Threshold("supervision.far_attendance_km", "打卡位置距培训场地距离上限", 5, 1, 500, "公里")
BATCH_MIN = Threshold("supervision.batch_checkin_min_trainees", "同一时刻集中打卡人数下限", 10, 3, 500, "人")
DEVICE_MIN = Threshold("supervision.device_min_trainees", "同一设备代打卡人数下限", 5, 2, 500, "人")
Z_CRIT = Threshold("supervision.outlier_z_x100", "通过率/结业率离群检验临界值（z×100）", 329, 196, 1000, "")
MIN_TRIALS = Threshold("supervision.outlier_min_trainees", "离群检验最少样本人数", 30, 5, 10_000, "人")

COMPLAINT = "complaint"  # the rule of a case opened from a complaint (jineng.complaints), not by a scan

RULES: dict[str, RuleDef] = {
    r.code: r
    for r in [
        RuleDef(
            "shared_phone",
            "多人共用同一手机号",
            "One phone behind many persons",
            "人员登记的手机号（哈希）",
            "冒名参训：中介用自己的手机号替多人报名、收取验证码。",
            Severity.HIGH,
            (MIN_PERSONS,),
            "家庭成员共用一个号码；单位统一登记联系人电话。",
        ),
        RuleDef(
            "shared_bank_account",
            "多人共用同一银行账户",
            "One bank account behind many persons",
            "人员的补贴收款银行账户（哈希）",
            "补贴流向同一账户：虚假学员的补贴被中介或机构截留。",
            Severity.HIGH,
            (MIN_PERSONS,),
            "家庭成员共用账户；集体户口由单位代收。",
        ),
        RuleDef(
            "ghost_trainee",
            "不应参训的人员参训",
            "Ghost trainee",
            "报名记录与人员的就业状态（退休、全日制在校生、已死亡、已就业却按失业人员报名）",
            "虚增学员：用退休、在校或已死亡人员的身份凑班、套取补贴。",
            Severity.HIGH,
            (),
            "就业状态登记滞后（已再就业、已毕业）；退休返聘人员参加企业职工培训。",
        ),
        RuleDef(
            "double_booking",
            "同一人同时参加两个班",
            "One person in two overlapping classes",
            "报名记录与班级起止日期（跨机构、跨地市）",
            "一人不可能同时在两处上课：至少一个班的学员是虚报的。",
            Severity.HIGH,
            (),
            "线上班与线下班时间段不同但日期重叠；转班后原班未退出。",
        ),
        RuleDef(
            "far_attendance",
            "远离培训场地打卡",
            "Check-in far from the venue",
            "考勤打卡坐标与班级场地坐标（大圆距离）",
            "人不在场：代打卡、远程伪造定位。",
            Severity.MEDIUM,
            (FAR_KM,),
            "场地坐标登记错误；设备定位漂移；临时换场地未备案。",
        ),
        RuleDef(
            "completion_too_fast",
            "学时完成过快",
            "Completion faster than the hours allow",
            "认定学时与班级天数、每日学时上限",
            "学时超过天数所能容纳的上限：学时记录是编造的。",
            Severity.MEDIUM,
            (),
            "班级日期改动后未重算；补录学时。",
        ),
        RuleDef(
            "batch_signing",
            "多人同一时刻集中签到",
            "Identical check-in times (batch signing)",
            "同一班级同一秒内的签到记录",
            "代签：一人在同一时刻替多名学员签到。",
            Severity.MEDIUM,
            (BATCH_MIN,),
            "闸机排队集中入场（同一分钟内多人刷卡）；离线设备批量补传时间被统一。",
        ),
        RuleDef(
            "device_many_trainees",
            "同一设备为多名学员打卡",
            "One device checking in many trainees",
            "考勤记录的设备编号，跨两家以上机构",
            "一部手机被中介带到多家机构替多名学员打卡。",
            Severity.MEDIUM,
            (DEVICE_MIN,),
            "多家机构共用同一培训场地的考勤机。",
        ),
        RuleDef(
            "teacher_two_places",
            "教师同时在两处授课",
            "A teacher in two places at once",
            "课次的授课教师与上课时间",
            "挂名教师：同一教师同一时间在两个班授课。",
            Severity.MEDIUM,
            (),
            "合班授课被录为两个课次；课次时间登记错误。",
        ),
        RuleDef(
            "pass_rate_outlier",
            "机构通过率或结业率异常",
            "Pass or completion rate far outside the region",
            "机构的结业人数/学员人数，与本地区合并比率比较（单样本二项 z 检验）",
            "结业率异常偏高：考核走过场或结业记录造假。",
            Severity.LOW,
            (Z_CRIT, MIN_TRIALS),
            "机构生源集中于高技能人群；样本较小时波动大（已设最少样本人数）。",
        ),
        RuleDef(
            "claim_low_attendance",
            "出勤率不达标却申领补贴",
            "Claim for a class below the attendance rate",
            "补贴申请与其报名记录的出勤率",
            "出勤不达标不应结业、不应领取补贴。",
            Severity.HIGH,
            (),
            "考勤补传未完成（离线设备）；出勤率计算规则调整前的旧记录。",
        ),
        RuleDef(
            "double_subsidy",
            "同一职业同一等级重复补贴",
            "Subsidized twice for the same occupation and level",
            "补贴申请的人员、职业、等级（跨补贴项目）",
            "同一人同一职业等级只能享受一次补贴。",
            Severity.HIGH,
            (),
            "等级晋升被误登记为同一等级；前一申请已追回。",
        ),
        # Not found by a scan: the complaints desk opens it from a complaint (投诉举报立案; its detector finds nothing).
        RuleDef(
            COMPLAINT,
            "投诉举报线索",
            "Opened from a complaint",
            "公众投诉举报（投诉举报的对象、问题类别和内容），由投诉举报经办人员立案",
            "群众投诉举报是发现虚假培训、冒领补贴的重要来源：需要现场核查的，立为线索交监管核查。",
            Severity.MEDIUM,
            (),
            "投诉举报人误解政策或所述不实；同一事项被多次投诉举报。",
        ),
    ]
}

INJECTED = ("shared_phone", "shared_bank_account", "ghost_trainee", "double_booking", "far_attendance")


def thresholds() -> dict[str, Threshold]:
    """Every threshold any rule reads, by setting key."""
    return {t.key: t for rule in RULES.values() for t in rule.thresholds}


def threshold_check(key: str, value: int) -> str | None:
    """Why ``value`` is outside the threshold's sensible range (a message), or None when it is within."""
    t = thresholds().get(key)
    if t is None:
        return None
    if not t.minimum <= value <= t.maximum:
        return f"{t.label}须在 {t.minimum}–{t.maximum}{t.unit} 之间。"
    return None


# ---- clusters ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cluster:
    key: Hashable
    members: tuple[Hashable, ...]  # sorted, distinct


def clusters(pairs: Iterable[tuple[Hashable, Hashable]], min_size: int) -> list[Cluster]:
    """Keys with at least ``min_size`` distinct members, members sorted; an empty key is no key."""
    groups: dict[Hashable, set[Hashable]] = {}
    for key, member in pairs:
        if key in (None, ""):
            continue
        groups.setdefault(key, set()).add(member)
    return sorted(
        (Cluster(key, tuple(sorted(members, key=str))) for key, members in groups.items() if len(members) >= min_size),
        key=lambda c: str(c.key),
    )


# ---- overlapping enrollments ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Booking:
    enrollment: Hashable
    klass: Hashable
    start: dt.date
    end: dt.date


def overlapping_pairs(bookings: Sequence[Booking]) -> list[tuple[Booking, Booking]]:
    """Pairs of one person's bookings in different classes whose date ranges (inclusive) overlap."""
    ordered = sorted(bookings, key=lambda b: (b.start, b.end, str(b.enrollment)))
    out: list[tuple[Booking, Booking]] = []
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b.start > a.end:
                break
            if a.klass != b.klass:
                out.append((a, b))
    return out


def intervals_overlap(a_start: dt.datetime, a_end: dt.datetime, b_start: dt.datetime, b_end: dt.datetime) -> bool:
    """Half-open intervals [start, end) overlap."""
    return a_start < b_end and b_start < a_end


# ---- distance ------------------------------------------------------------------------------------------------------

EARTH_RADIUS_KM = 6371.0088


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


# ---- ghosts --------------------------------------------------------------------------------------------------------

GHOST_STATUSES = {"retired": "退休人员", "student": "全日制在校学生"}


def ghost_reason(*, status: str, deceased: bool, claimed_unemployed: bool) -> str | None:
    """Why a trainee should not be one (from the registry's facts on the enrollment date), or None."""
    if deceased:
        return "已死亡人员"
    if status in GHOST_STATUSES:
        return GHOST_STATUSES[status]
    if claimed_unemployed and status == "employed":
        return "已就业人员按失业人员报名"
    return None


# ---- hours ---------------------------------------------------------------------------------------------------------


def completion_too_fast(*, credited_hours: int, start: dt.date, end: dt.date, per_day_max: int) -> bool:
    """More 学时 credited than the class's calendar days (inclusive) can hold at ``per_day_max`` a day."""
    days = (end - start).days + 1
    return days >= 1 and credited_hours > days * per_day_max


# ---- rates ---------------------------------------------------------------------------------------------------------


def binomial_z(successes: int, trials: int, p0: float) -> float:
    """One-sample binomial z statistic of ``successes`` in ``trials`` against the rate ``p0`` (0 when undefined)."""
    if trials <= 0 or not 0.0 < p0 < 1.0:
        return 0.0
    return (successes - trials * p0) / math.sqrt(trials * p0 * (1.0 - p0))


@dataclass(frozen=True)
class RateUnit:
    unit: Hashable  # a provider (or an evaluation organization)
    group: Hashable  # its region
    successes: int
    trials: int


@dataclass(frozen=True)
class RateOutlier:
    unit: Hashable
    group: Hashable
    rate: float
    pooled: float
    z: float


def rate_outliers(units: Sequence[RateUnit], *, z_crit: float, min_trials: int) -> list[RateOutlier]:
    """Units whose rate differs from the pooled rate of the OTHER units of their group by |z| ≥ ``z_crit`` (the unit
    is left out of its own reference, so one large unit cannot hide itself); units under ``min_trials`` are skipped."""
    totals: dict[Hashable, tuple[int, int]] = {}
    for u in units:
        s, n = totals.get(u.group, (0, 0))
        totals[u.group] = (s + u.successes, n + u.trials)
    out = []
    for u in units:
        if u.trials < min_trials:
            continue
        s, n = totals[u.group]
        rest_s, rest_n = s - u.successes, n - u.trials
        if rest_n < min_trials:
            continue
        pooled = rest_s / rest_n
        z = binomial_z(u.successes, u.trials, pooled)
        if abs(z) >= z_crit:
            out.append(RateOutlier(u.unit, u.group, u.successes / u.trials, pooled, z))
    return out


# ---- cases ---------------------------------------------------------------------------------------------------------


def case_fingerprint(rule: str, keys: Iterable[Hashable]) -> str:
    """The identity of a case: its rule and what it is about (sorted), hashed — a re-run finds the same case."""
    text = rule + "|" + "|".join(sorted(str(k) for k in keys))
    return hashlib.sha256(text.encode()).hexdigest()


class CaseStatus(StrEnum):
    NEW = "new"  # 新线索
    INVESTIGATING = "investigating"  # 核查中
    CONFIRMED = "confirmed"  # 属实
    DISMISSED = "dismissed"  # 不属实
    CLOSED = "closed"  # 已处理


CASE_TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.NEW: frozenset({CaseStatus.INVESTIGATING}),
    CaseStatus.INVESTIGATING: frozenset({CaseStatus.CONFIRMED, CaseStatus.DISMISSED}),
    CaseStatus.CONFIRMED: frozenset({CaseStatus.CLOSED}),
    CaseStatus.DISMISSED: frozenset({CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset(),
}


def transition_allowed(source: str, target: str) -> bool:
    try:
        return CaseStatus(target) in CASE_TRANSITIONS[CaseStatus(source)]
    except ValueError:
        return False


# ---- risk ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RiskComponent:
    code: str
    label: str
    value: float  # the raw figure (cases, a z score …)
    points: float  # its contribution to the score, 0–weight
    weight: float


@dataclass(frozen=True)
class RiskScore:
    score: float  # 0–100
    components: tuple[RiskComponent, ...] = field(default_factory=tuple)


# Weights of the components (sum 100): confirmed cases weigh most, open cases by severity, the complaints taken up
# against the organization, the statistical test, and the share of its decided cases found true.
RISK_WEIGHTS = {"confirmed": 40.0, "open": 25.0, "complaints": 10.0, "outlier": 15.0, "dismissed_share": 10.0}


def risk_score(*, confirmed: int, open_weighted: int, decided: int, outlier_z: float, z_crit: float,
               complaints: int = 0) -> RiskScore:  # fmt: skip
    """机构风险分 — 0–100, each component saturating: 3 confirmed cases reach its full weight, open cases by severity
    weight (high 3, medium 2, low 1) saturate at 9, the complaints taken up as cases and not found untrue at 3, the
    largest |z| of its rates at twice the critical value, and the share of its decided cases found true (so an
    organization whose cases were all found untrue gets none of it)."""
    comps = [
        RiskComponent(
            "confirmed",
            "属实线索",
            confirmed,
            RISK_WEIGHTS["confirmed"] * min(confirmed, 3) / 3,
            RISK_WEIGHTS["confirmed"],
        ),  # fmt: skip
        RiskComponent(
            "open",
            "待核查线索（按严重程度加权）",
            open_weighted,
            RISK_WEIGHTS["open"] * min(open_weighted, 9) / 9,
            RISK_WEIGHTS["open"],
        ),  # fmt: skip
        RiskComponent(
            "complaints",
            "投诉举报立案线索（未核实为不属实）",
            complaints,
            RISK_WEIGHTS["complaints"] * min(complaints, 3) / 3,
            RISK_WEIGHTS["complaints"],
        ),  # fmt: skip
        RiskComponent(
            "outlier",
            "通过率/结业率离群程度（|z|）",
            round(abs(outlier_z), 2),
            RISK_WEIGHTS["outlier"] * min(abs(outlier_z) / (2 * z_crit), 1.0) if z_crit > 0 else 0.0,
            RISK_WEIGHTS["outlier"],
        ),  # fmt: skip
        RiskComponent(
            "dismissed_share",
            "已核结线索中属实的比例",
            round(confirmed / decided, 2) if decided else 0.0,
            RISK_WEIGHTS["dismissed_share"] * (confirmed / decided if decided else 0.0),
            RISK_WEIGHTS["dismissed_share"],
        ),  # fmt: skip
    ]
    total = round(min(100.0, sum(c.points for c in comps)), 1)
    return RiskScore(total, tuple(comps))


# ---- the card rule (黄牌/红牌, one city's rule — shared/DOMAIN.md, Supervision) ------------------------------------

CARD_RULE = Threshold("supervision.card_rule", "黄红牌规则（1=启用：出勤率<90%黄牌、<80%红牌；一年2红或3黄当年停补贴）",
                      0, 0, 1)  # fmt: skip
# The period the cards are counted over, per region: 0 the calendar year of the claim's date (default), 1 the rolling
# 12 months ending on it (a class counts when it started in the period).
CARD_PERIOD = Threshold("supervision.card_period", "黄红牌统计期（0=自然年，1=滚动12个月）", 0, 0, 1)
YELLOW_BELOW_BP = 9000
RED_BELOW_BP = 8000


def card_period(on: dt.date, rolling: bool) -> tuple[dt.date, dt.date]:
    """The first and last day of the card period that holds ``on``: its calendar year, or the 12 months ending on
    ``on`` (from the day after the same date a year earlier; 29 February's year earlier is 28 February)."""
    if not rolling:
        return dt.date(on.year, 1, 1), dt.date(on.year, 12, 31)
    try:
        back = on.replace(year=on.year - 1)
    except ValueError:
        back = on.replace(year=on.year - 1, day=28)
    return back + dt.timedelta(days=1), on


def card_for(attendance_bp: int) -> str | None:
    """A class's card by its attendance rate (basis points): red below 80 %, yellow below 90 %, none otherwise."""
    if attendance_bp < RED_BELOW_BP:
        return "red"
    if attendance_bp < YELLOW_BELOW_BP:
        return "yellow"
    return None


def cards_block_subsidies(cards: Iterable[str | None]) -> bool:
    """2 red or 3 yellow cards in a year: no subsidies that year (a red card is not also counted as a yellow)."""
    got = list(cards)
    return got.count("red") >= 2 or got.count("yellow") >= 3
