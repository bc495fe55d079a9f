"""The demo's complaints: four complaints about objects in 天河 (440106), filed through the service as the public
would, then dated back so that their deadlines tell a story (docs/demo.md, docs/complaints.md):

- 1 — 已收到 yesterday, anonymous, about a class of the 天河 school (to acknowledge);
- 2 — 办理中, received five weeks ago, named: its answer is overdue (the list's red flag); demo-county opened a
  supervision case (线索, rule ``complaint``) from it, which lists the complaint back;
- 3 — 已答复 a few days ago: check it on /public/complaints/status/ and reopen it once;
- 4 — 已办结, about a provider not in the catalog (free text + region).

The handler is the county official (demo-county, 天河区人社局 经办): a complaint goes to the region owning its object,
and a bureau's 投诉 desk is its 经办 office. The tracking codes are drawn at random by the service like any other
(a fixed demo code would let anyone read the demo's answers): the seed prints them and keeps them, for walking the
demo, in ``var/demo-complaint-codes.txt`` (``CODES_FILE``, beside the demo database). Idempotent: a complaint
already seeded (same object and content) is left as it is, and the file then kept as it is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

CODES_FILE = "demo-complaint-codes.txt"  # in the data directory: beside the stored files' MEDIA_ROOT (var/)
SCHOOL = "广州市天河区职业培训学校"


def _back(complaint: Any, workdays_ago: int) -> None:
    from django.utils import timezone

    from jineng.complaints.models import Complaint, ComplaintStep
    from jineng.complaints.services import deadline
    from jineng.complaints.settings_specs import ACK_WORKDAYS, ANSWER_WORKDAYS

    today = timezone.localdate()
    day = today
    while workdays_ago > 0:  # calendar days back until as many working days have passed
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            workdays_ago -= 1
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))
    Complaint.objects.filter(pk=complaint.pk).update(
        received_on=day, created_at=at, ack_due=deadline(ACK_WORKDAYS, complaint.region_id, day),
        answer_due=deadline(ANSWER_WORKDAYS, complaint.region_id, day),
    )  # fmt: skip
    ComplaintStep.objects.filter(complaint=complaint, kind="receive").update(at=at)
    complaint.refresh_from_db()


def _answered_days_later(complaint: Any, days: int) -> None:
    """The answer (and closing) dated ``days`` after the complaint arrived, as it happened in the story."""
    from jineng.complaints.models import Complaint, ComplaintStep

    c = Complaint.objects.get(pk=complaint.pk)
    later = c.created_at + dt.timedelta(days=days)
    Complaint.objects.filter(pk=c.pk).update(acknowledged_at=later - dt.timedelta(days=2), answered_at=later,
                                             closed_at=later + dt.timedelta(days=1) if c.closed_at else None)  # fmt: skip
    steps = ComplaintStep.objects.filter(complaint=c)
    steps.filter(kind__in=["acknowledge", "note"]).update(at=later - dt.timedelta(days=2))
    steps.filter(kind="reply").update(at=later)
    steps.filter(kind="close").update(at=later + dt.timedelta(days=1))


def seed_demo(stdout: Any) -> int:
    from jineng.accounts.api import User
    from jineng.complaints import services as s
    from jineng.complaints.models import Complaint

    county = User.objects.filter(username="demo-county").first()
    made = 0
    plans: list[tuple[str, s.ComplaintIn, int, str]] = [
        (
            "已收到",
            s.ComplaintIn(
                object_kind="class",
                object_name=SCHOOL,
                class_ref="电工（四级）周末班",
                category="quality",
                content="周末班原定每天 6 学时，实际只上 3 小时，其余时间让学员自习，签到表却按全天签。",
            ),
            1,
            "received",
        ),
        (
            "办理中（答复逾期）",
            s.ComplaintIn(
                object_kind="provider",
                object_name=SCHOOL,
                category="fake_training",
                anonymous=False,
                name="周建华",
                phone="13760001234",
                content="培训学校工作人员收走我们的身份证复印件和银行卡号，说“不用来上课也能领补贴”，"
                "补贴到账后要我们转回 800 元。同村还有五六个人也是这样。",
            ),
            25,
            "acknowledged",
        ),
        (
            "已答复（可重新办理一次）",
            s.ComplaintIn(
                object_kind="provider",
                object_name=SCHOOL,
                category="fees",
                anonymous=False,
                name="陈丽",
                phone="13560005678",
                content="报名时说培训免费（有补贴），结业时又要求交 1200 元“考证费”，不交不给发结业证。",
            ),
            12,
            "answered",
        ),
        (
            "已办结",
            s.ComplaintIn(
                object_kind="provider",
                object_name="天河某技能培训咨询工作室",
                region="440106",
                category="other",
                content="在地铁口发传单，声称“包过证书、政府补贴全额返现”，不是目录里的机构。",
            ),
            30,
            "closed",
        ),
    ]
    drawn: list[str] = []
    for label, data, ago, target in plans:
        if Complaint.objects.filter(object_name=data.object_name, content=data.content).exists():
            continue
        complaint, code = s.complaint_submit(data=data)
        drawn.append(f"{code}  {complaint.number}  {label}")
        _back(complaint, ago)
        if county is not None and target != "received":
            s.complaint_acknowledge(actor=county, complaint=complaint, text="已登记，转劳动保障监察员核实。")
            if target == "acknowledged":
                s.complaint_note(actor=county, complaint=complaint,
                                 text="电话联系投诉人，已约定下周到校调取签到表和补贴发放记录。")  # fmt: skip
                s.complaint_open_case(actor=county, complaint=complaint,
                                      text="学员反映补贴到账后被要求转回 800 元，同村五六人情况相同")  # fmt: skip
        if county is not None and target in ("answered", "closed"):
            reply = {
                "answered": "经核查，该校向结业学员收取“考证费”无收费依据，已责令退还并限期整改；"
                "您的 1200 元将在 10 个工作日内退回。",
                "closed": "经核查，该工作室未取得办学许可，也不在培训机构目录内，已移交市场监管部门查处，"
                "并在信息公开页面提示公众。",
            }[target]
            s.complaint_reply(actor=county, complaint=complaint, text=reply)
            if target == "closed":
                s.complaint_close(actor=county, complaint=complaint, text="已移交，办结。")
            _answered_days_later(complaint, 8)
        made += 1
    path = _keep_codes(drawn)
    stdout.write(f"Demo complaints: {made} new (handler demo-county); tracking codes (查询码, kept in {path}):\n")
    for line in drawn:
        stdout.write(f"  {line}\n")
    return made


def _keep_codes(lines: list[str]) -> str:
    """Write the codes just drawn to the demo's codes file (shown once; only their hashes are stored). A re-run that
    drew none leaves the file as it is."""
    from django.conf import settings

    path = Path(settings.MEDIA_ROOT).parent / CODES_FILE
    if lines:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as out:
            out.write("".join(f"{line}\n" for line in lines))
    return str(path)
