"""What the supervision pages say in the reader's language (issue 15: under English the case texts stayed Chinese and
the evidence rows showed raw ids).

- The rules core (``jineng.rules.supervision``) is pure and holds its explanations in Chinese only: each is marked
  here for the message catalogue (``gettext_noop``), so a page translates it by its text (``rule_text``); a text the
  catalogue does not know is shown as it is.
- A case's stored summary is the scan's Chinese sentence; under another language the sentence is made again from the
  case's facts (``case_summary``), falling back to the rule's English name when a fact is missing.
- Evidence rows name their records (``evidence_rows``): a person by masked name, a class by its code and name, an
  enrollment by trainee and class, a claim by number, a check-in by its time, a session by class and time, an
  organization by name. Never a raw id; a record the reader may not open is named, not linked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from jineng.rules import supervision as R

# The rules' explanations (RULES: reads, why, false_positives) and the ghost-trainee reasons, for the catalogue.
RULE_TEXTS = (
    gettext_noop("人员登记的手机号（哈希）"),
    gettext_noop("冒名参训：中介用自己的手机号替多人报名、收取验证码。"),
    gettext_noop("家庭成员共用一个号码；单位统一登记联系人电话。"),
    gettext_noop("人员的补贴收款银行账户（哈希）"),
    gettext_noop("补贴流向同一账户：虚假学员的补贴被中介或机构截留。"),
    gettext_noop("家庭成员共用账户；集体户口由单位代收。"),
    gettext_noop("报名记录与人员的就业状态（退休、全日制在校生、已死亡、已就业却按失业人员报名）"),
    gettext_noop("虚增学员：用退休、在校或已死亡人员的身份凑班、套取补贴。"),
    gettext_noop("就业状态登记滞后（已再就业、已毕业）；退休返聘人员参加企业职工培训。"),
    gettext_noop("报名记录与班级起止日期（跨机构、跨地市）"),
    gettext_noop("一人不可能同时在两处上课：至少一个班的学员是虚报的。"),
    gettext_noop("线上班与线下班时间段不同但日期重叠；转班后原班未退出。"),
    gettext_noop("考勤打卡坐标与班级场地坐标（大圆距离）"),
    gettext_noop("人不在场：代打卡、远程伪造定位。"),
    gettext_noop("场地坐标登记错误；设备定位漂移；临时换场地未备案。"),
    gettext_noop("认定学时与班级天数、每日学时上限"),
    gettext_noop("学时超过天数所能容纳的上限：学时记录是编造的。"),
    gettext_noop("班级日期改动后未重算；补录学时。"),
    gettext_noop("同一班级同一秒内的签到记录"),
    gettext_noop("代签：一人在同一时刻替多名学员签到。"),
    gettext_noop("闸机排队集中入场（同一分钟内多人刷卡）；离线设备批量补传时间被统一。"),
    gettext_noop("考勤记录的设备编号，跨两家以上机构"),
    gettext_noop("一部手机被中介带到多家机构替多名学员打卡。"),
    gettext_noop("多家机构共用同一培训场地的考勤机。"),
    gettext_noop("课次的授课教师与上课时间"),
    gettext_noop("挂名教师：同一教师同一时间在两个班授课。"),
    gettext_noop("合班授课被录为两个课次；课次时间登记错误。"),
    gettext_noop("机构的结业人数/学员人数，与本地区合并比率比较（单样本二项 z 检验）"),
    gettext_noop("结业率异常偏高：考核走过场或结业记录造假。"),
    gettext_noop("机构生源集中于高技能人群；样本较小时波动大（已设最少样本人数）。"),
    gettext_noop("补贴申请与其报名记录的出勤率"),
    gettext_noop("出勤不达标不应结业、不应领取补贴。"),
    gettext_noop("考勤补传未完成（离线设备）；出勤率计算规则调整前的旧记录。"),
    gettext_noop("补贴申请的人员、职业、等级（跨补贴项目）"),
    gettext_noop("同一人同一职业等级只能享受一次补贴。"),
    gettext_noop("等级晋升被误登记为同一等级；前一申请已追回。"),
    gettext_noop("公众投诉举报（投诉举报的对象、问题类别和内容），由投诉举报经办人员立案"),
    gettext_noop("群众投诉举报是发现虚假培训、冒领补贴的重要来源：需要现场核查的，立为线索交监管核查。"),
    gettext_noop("投诉举报人误解政策或所述不实；同一事项被多次投诉举报。"),
    gettext_noop("已死亡人员"),
    gettext_noop("退休人员"),
    gettext_noop("全日制在校学生"),
    gettext_noop("已就业人员按失业人员报名"),
    # The thresholds' labels and units (Threshold.label / unit: the rules page and the per-region settings page).
    gettext_noop("同一手机号或银行账户关联人数下限"),
    gettext_noop("打卡位置距培训场地距离上限"),
    gettext_noop("同一时刻集中打卡人数下限"),
    gettext_noop("同一设备代打卡人数下限"),
    gettext_noop("通过率/结业率离群检验临界值（z×100）"),
    gettext_noop("离群检验最少样本人数"),
    gettext_noop("黄红牌规则（1=启用：出勤率<90%黄牌、<80%红牌；一年2红或3黄当年停补贴）"),
    gettext_noop("人"),
    gettext_noop("公里"),
)


def rule_text(text: str) -> str:
    """A rule's explanation in the page's language (the catalogue's translation of its Chinese text)."""
    return gettext(text) if text else ""


def threshold_text(t: R.Threshold) -> str:
    """A threshold in the page's language: its label, default with unit, and sensible range."""
    return gettext("%(label)s：%(value)s%(unit)s（%(minimum)s–%(maximum)s）") % {
        "label": rule_text(t.label), "value": t.default, "unit": rule_text(t.unit), "minimum": t.minimum,
        "maximum": t.maximum,
    }  # fmt: skip


def _chinese() -> bool:
    return (get_language() or "zh-hans").lower().startswith("zh")


# Each rule's summary, made from the case's facts (the keys the scan stores; docs/supervision.md).
SUMMARIES = {
    "shared_phone": _("%(persons)s 人共用同一手机号"),
    "shared_bank_account": _("%(persons)s 人共用同一银行账户"),
    "ghost_trainee": _("%(reason)s参加培训"),
    "double_booking": _("同一人同时在两个班参训（%(overlap_from)s–%(overlap_to)s 重叠）"),
    "far_attendance": _("%(events)s 次打卡距培训场地超过 %(threshold_km)s 公里（最远 %(max_km)s 公里）"),
    "completion_too_fast": _("认定 %(credited_hours)s 学时，超过 %(days)s 天最多可计的学时（每天 %(per_day_max)s 学时）"),
    "batch_signing": _("%(persons)s 名学员在同一时刻签到"),
    "device_many_trainees": _("同一设备为 %(persons)s 名学员打卡"),
    "teacher_two_places": _("同一教师在两个班的 %(sessions)s 个课次时间重叠"),
    "pass_rate_outlier": _("结业合格率 %(rate)s，本市其他机构合计 %(pooled)s（z = %(z)s）"),
    "claim_low_attendance": _("出勤率 %(attendance_percent)s%% 低于 %(minimum_percent)s%% 却申领补贴"),
    "double_subsidy": _("同一职业等级补贴 %(claims)s 次"),
    "complaint": _("由投诉举报立案"),
}  # fmt: skip


EVALUATOR_OUTLIER = _("考核合格率 %(rate)s，本市其他评价机构合计 %(pooled)s（z = %(z)s）")

# The risk score's components (``jineng.rules.supervision.risk_score``), in the page's language.
RISK_COMPONENTS = {
    "confirmed": _("属实线索"),
    "open": _("待核查线索（按严重程度加权）"),
    "complaints": _("投诉举报立案线索（未核实为不属实）"),
    "outlier": _("通过率/结业率离群程度（|z|）"),
    "dismissed_share": _("已核结线索中属实的比例"),
}


def risk_components(risk: Any) -> list[dict[str, Any]]:
    """A risk score's components as a page lists them: label, the raw figure, points of weight."""
    return [{"code": c.code, "label": RISK_COMPONENTS.get(c.code, c.label), "value": c.value, "points": c.points,
             "weight": c.weight} for c in risk.components]  # fmt: skip


def case_summary(case: Any) -> str:
    """The case's summary in the page's language: the stored sentence in Chinese, else made from its facts."""
    if _chinese():
        return str(case.summary)
    facts = dict(case.facts or {})
    if "reason" in facts:
        facts["reason"] = gettext(str(facts["reason"]))
    for key in ("rate", "pooled"):
        if isinstance(facts.get(key), int | float):
            facts[key] = f"{facts[key]:.1%}"
    template = SUMMARIES.get(case.rule)
    if case.rule == "pass_rate_outlier" and facts.get("kind") == "evaluator":
        template = EVALUATOR_OUTLIER
    rule = R.RULES.get(case.rule)
    try:
        return str(template) % facts if template is not None else (rule.name_en if rule else str(case.summary))
    except (KeyError, TypeError, ValueError):
        return rule.name_en if rule else str(case.summary)


def status_label(code: str) -> str:
    from jineng.supervision.models import CaseStatus

    return str(CaseStatus(code).label) if code in CaseStatus.values else (code or "—")


# ---- evidence rows -------------------------------------------------------------------------------------------------


def _mask(name: str) -> str:
    from jineng.common.masking import mask_name

    return mask_name(name) if name else ""


def _names(kind: str, ids: list[str]) -> dict[str, str]:
    """id → what the reader sees of that record (one query per kind)."""
    from jineng.accounts.api import Organization
    from jineng.registry.api import Person
    from jineng.subsidies.api import Claim
    from jineng.training.api import AttendanceEvent, ClassSession, Enrollment, TrainingClass

    def local(at: Any) -> str:
        return f"{timezone.localtime(at):%Y-%m-%d %H:%M}" if at else ""

    if kind == "person":
        return {str(pk): _mask(name) for pk, name in Person.objects.filter(pk__in=ids).values_list("pk", "name")}
    if kind == "class":
        rows = TrainingClass.objects.filter(pk__in=ids).values_list("pk", "code", "name")
        return {str(pk): f"{code} {name}" for pk, code, name in rows}
    if kind == "enrollment":
        rows = Enrollment.objects.filter(pk__in=ids).values_list("pk", "person_name", "training_class__code")
        return {str(pk): f"{_mask(name)} · {code}" for pk, name, code in rows}
    if kind == "claim":
        return {str(pk): number for pk, number in Claim.objects.filter(pk__in=ids).values_list("pk", "number")}
    if kind == "attendance":
        rows = AttendanceEvent.objects.filter(pk__in=ids).values_list("pk", "occurred_at", "enrollment__person_name",
                                                                      "training_class__code")  # fmt: skip
        return {str(pk): f"{local(at)} · {_mask(name)} · {code}" for pk, at, name, code in rows}
    if kind == "session":
        rows = ClassSession.objects.filter(pk__in=ids).values_list("pk", "training_class__code", "starts_at")
        return {str(pk): f"{code} · {local(at)}" for pk, code, at in rows}
    if kind == "organization":
        return {str(pk): name for pk, name in Organization.objects.filter(pk__in=ids).values_list("pk", "name")}
    return {}


EVIDENCE_KINDS = {
    "person": _("人员"), "enrollment": pgettext_lazy("证据类别", "报名"), "class": _("班级"), "claim": _("补贴申请"), "attendance": _("考勤"),
    "bank_account": _("银行账户"), "session": _("课次"), "organization": _("机构"),
}  # fmt: skip


def _link(kind: str, pk: str) -> str:
    urls = {"person": "registry:person_detail", "class": "training:class_detail", "claim": "subsidies:claim"}
    return reverse(urls[kind], args=[pk]) if kind in urls else ""


def evidence_rows(evidence: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The case's evidence as rows a reader understands: kind, the record named (and linked where it has a page),
    and the scan's note (a distance, a masked name) when it adds something."""
    items = list(evidence)
    ids: dict[str, list[str]] = defaultdict(list)
    for e in items:
        ids[str(e.get("kind", ""))].append(str(e.get("id", "")))
    names = {kind: _names(kind, pks) for kind, pks in ids.items()}
    rows = []
    for e in items:
        kind, pk, note = str(e.get("kind", "")), str(e.get("id", "")), str(e.get("label") or "")
        named = names.get(kind, {}).get(pk) or note or str(_("（记录不可查看）"))
        rows.append({"kind_label": EVIDENCE_KINDS.get(kind, kind), "record": named,
                     "link": _link(kind, pk) if pk in names.get(kind, {}) else "",
                     "note": note if note and note not in named else ""})  # fmt: skip
    return rows
