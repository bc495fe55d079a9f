"""检查清单 — the items an inspection of each kind of object checks. A finding names one of its task's items."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jineng.inspections.models import ObjectKind

CALLBACK = "callback"
_RECORDS = ("records", _("台账与实际一致（花名册、考勤、课时与现场）"))
_VENUE = ("venue", _("场地与备案一致（地址、面积、设备）"))

CHECKLISTS: dict[str, list[tuple[str, object]]] = {
    ObjectKind.PROVIDER: [
        _VENUE, ("teachers", _("师资与备案一致（资格、在岗）")), _RECORDS,
        ("licence", _("办学许可与目录信息有效")), ("fees", _("收费公示与实际一致")),
    ],
    ObjectKind.CLASS: [
        (CALLBACK, _("电话回访学员（按回访比例抽取）")), ("attendance", _("现场点名与考勤记录一致")), _VENUE,
        ("teachers", _("授课教师与排课一致")), _RECORDS,
    ],
    ObjectKind.EVALUATOR: [
        ("site", _("考场与备案一致")), ("examiners", _("考评人员资格与回避")), _RECORDS,
        ("archives", _("考务档案完整")),
    ],
    ObjectKind.ENTERPRISE: [
        ("apprentices", _("学徒在岗在训")), ("mentors", _("企业导师、院校导师到位")), _RECORDS,
        ("contracts", _("劳动合同与培养协议")),
    ],
}  # fmt: skip

RESULTS = {"ok": _("符合"), "problem": _("发现问题"), "na": _("不适用")}


def items_of(kind: str) -> list[tuple[str, object]]:
    return CHECKLISTS.get(kind, [])


def item_label(kind: str, code: str) -> str:
    return str(dict(items_of(kind)).get(code, code))
