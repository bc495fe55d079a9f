"""Demo data of competitions (``jineng seed --scale demo``), after the certificates demo (its passed candidates hold
计算机程序设计员 四级/中级工, the prerequisite of a promotion):

- 广东's award rules (version 1);
- a province 一类 event run by the demo provider, results final: titles, and promotions to 三级/高级工 issued as
  certificates; the demo worker 李明 among the contestants (their archive shows it);
- a Guangzhou city event with results in 公示 (the objection period open) — reviewed by demo-province, published by
  demo-reviewer (双人复核) — and an objection the demo worker raised, waiting for demo-province's decision; a
  province event filed (admitting 四级/中级工 and above), waiting for demo-province's approval;
- version 2 of 广东's award rules drafted by demo-province, waiting for demo-reviewer to publish it;
- a province 一类 welding event approved and open for registration, two of its contestants put forward by the demo
  enterprise from its 竞赛报名 page (demo-enterprise sees it there and on its home card), and a third it withdrew;
- a Guangzhou event that ended three days ago with contestants and no results yet: demo-provider's to-do
  (竞赛成绩待录入);
- two events with stages (初赛 → 决赛, 初赛 → 复赛 → 决赛): one whose 初赛 advancement is confirmed and 决赛 results are
  in 公示, one whose 初赛 advancement waits for demo-province's confirmation;
- Shandong's “技能兴鲁”省级重点赛事 of 2023–2026 (approved province 一类/二类 events), so its indicator has figures.

Idempotent: a second run finds the events by name and changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from jineng.accounts.api import Operator, Organization, User
from jineng.competitions import services
from jineng.competitions.models import (
    AwardRuleSet,
    Event,
    EventClass,
    EventLevel,
    EventStatus,
    RuleSetStatus,
)
from jineng.registry.api import person_resolve

PROGRAMMER = "4-04-05-01"
WELDER = "6-18-02-04"
GD_RULES = [
    {"event_level": "province", "event_class": "class1", "rank_max": 1, "title": "广东省技术能手",
     "prerequisite": "grade3", "grants": "grade2"},
    {"event_level": "province", "event_class": "class1", "rank_max": 3, "title": "广东省技术能手",
     "prerequisite": "grade4", "grants": "next"},
    {"event_level": "province", "event_class": "class2", "rank_max": 3, "title": "广东省技术能手"},
    {"event_level": "national", "rank_max": 5, "title": "全国技术能手", "prerequisite": "grade3", "grants": "next"},
]  # fmt: skip
# The passed candidates of the certificates demo (四级/中级工 计算机程序设计员), by ID body, and their ranks.
FINALISTS = [("陈晓峰", "44010619920415231", "95.50"), ("黄丽娟", "44010619960823142", "91.00"),
             ("刘建国", "44010619880109051", "86.25")]  # fmt: skip
# Shandong's key events per year (the plan asks for at least 60 a year).
SHANDONG_PER_YEAR = {2023: 61, 2024: 63, 2025: 58, 2026: 64}
SHANDONG_CITIES = ["370000", "370100", "370200", "370300", "370600", "370700", "370800", "371300"]


def _number(body: str) -> str:
    from jineng.rules.idcard import check_character

    return body + check_character(body)


def _event(actor: Any, organizer: Organization, name: str, level: str, klass: str, region: str, occupation: str,
           starts_on: dt.date, department: str, min_level: str = "") -> Event:  # fmt: skip
    found: Event | None = Event.objects.filter(name=name).first()
    if found is not None:
        return found
    return services.event_create(actor=actor, organizer=organizer, data=services.EventData(
        name=name, level=level, event_class=klass, occupation=occupation, approving_department=department,
        region=region, starts_on=starts_on, ends_on=starts_on + dt.timedelta(days=2), min_level=min_level,
    ))  # fmt: skip


def _user(username: str, fallback: Any) -> Any:
    """A demo account acting in the story (its name in the audit trail), or the seed when it is absent."""
    return User.objects.filter(username=username).first() or fallback


def _approve(actor: Any, event: Event, document: str) -> Event:
    event = services.event_file(actor=actor, event=event)
    return services.event_decide(actor=actor, event=event, approve=True, document_number=document)


def _register(actor: Any, event: Event, entrants: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    recorded = []
    for name, number, score in entrants:
        person = person_resolve(number)
        if person is None or person.name != name:
            continue
        services.contestant_register(actor=actor, event=event, id_number=number, name=name)
        recorded.append((number, score))
    return recorded


def seed_demo(*, organizer: Organization, worker_id_number: str, enterprise: Organization | None = None,
              stdout: Any = None) -> None:  # fmt: skip
    actor = Operator("seed")
    today = timezone.localdate()
    with transaction.atomic():
        if not AwardRuleSet.objects.filter(region_id="440000").exists():
            services.award_rules_set(actor=actor, approver=actor, region_code="440000", valid_from=dt.date(2024, 1, 1),
                                     basis="广东省职业技能竞赛奖励办法（演示）", lines=GD_RULES)  # fmt: skip
        dept = "广东省人力资源和社会保障厅"
        final = _event(actor, organizer, "2026年广东省计算机程序设计员职业技能大赛", EventLevel.PROVINCE,
                       EventClass.CLASS1, "440000", PROGRAMMER, today - dt.timedelta(days=40), dept)  # fmt: skip
        if final.status == EventStatus.DRAFT:
            final = _approve(actor, final, "粤人社函〔2026〕101号")
            entrants = [(n, _number(b), s) for n, b, s in FINALISTS]
            worker = person_resolve(worker_id_number)
            if worker is not None:
                entrants.insert(1, (worker.name, worker_id_number, "93.00"))
            recorded = _register(actor, final, entrants)
            recorded.sort(key=lambda r: Decimal(r[1]), reverse=True)
            for rank, (number, score) in enumerate(recorded, start=1):
                services.result_record(actor=actor, event=final, id_number=number, score=score, rank=rank)
            if recorded:
                services.results_review(actor=actor, event=final)
                services.results_publish(actor=actor, event=final)
                # the demo's history: the objection period ran out last month
                Event.objects.filter(pk=final.pk).update(objection_until=today - dt.timedelta(days=25))
                final.refresh_from_db()
                awards = services.results_finalize(actor=actor, event=final)
                if stdout is not None:
                    stdout.write(f"Demo competition: {len(awards)} awards, "
                                 f"{sum(1 for a in awards if a.certificate_id)} promotion certificates.")  # fmt: skip
        city = _event(actor, organizer, "2026年广州市焊工职业技能竞赛", EventLevel.CITY, EventClass.NONE, "440100",
                      WELDER, today - dt.timedelta(days=6), "广州市人力资源和社会保障局")  # fmt: skip
        if city.status == EventStatus.DRAFT:
            city = _approve(actor, city, "穗人社函〔2026〕55号")
            recorded = _register(actor, city, [(n, _number(b), s) for n, b, s in reversed(FINALISTS)])
            recorded.sort(key=lambda r: Decimal(r[1]), reverse=True)  # the rank follows the score
            for rank, (number, score) in enumerate(recorded, start=1):
                services.result_record(actor=actor, event=city, id_number=number, score=score, rank=rank)
            if recorded:  # two people: demo-province reviews, demo-reviewer publishes (双人复核)
                services.results_review(actor=_user("demo-province", actor), event=city)
                city = services.results_publish(actor=_user("demo-reviewer", actor), event=city)
                worker = _user("demo-worker", None)
                if worker is not None:
                    services.objection_raise(actor=worker, event=city, name="李明",
                                             reason="第三名的实操用时记录与现场计时不一致，请复核名次。")  # fmt: skip
        filed = _event(actor, organizer, "2027年广东省电工职业技能大赛", EventLevel.PROVINCE, EventClass.CLASS2,
                       "440000", "6-31-01-03", today + dt.timedelta(days=120), dept, min_level="grade4")  # fmt: skip
        if filed.status == EventStatus.DRAFT:
            services.event_file(actor=actor, event=filed)
        _seed_open_and_ended(actor, organizer, enterprise, today)
        _seed_staged(actor, organizer, worker_id_number, today)
        _seed_rules_draft(actor)
        _seed_shandong(actor)


def _seed_staged(actor: Any, organizer: Organization, worker_id_number: str, today: dt.date) -> None:
    """Two events with stages (赛段): a province event whose 初赛 (top 3 advance) was proposed by demo-provider and
    confirmed by demo-province, its 决赛 results in 公示 (the public page shows both); and a welding event with
    初赛 → 复赛 → 决赛 whose 初赛 advancement (score line 88) demo-provider proposed and demo-province has to confirm
    (the to-do 竞赛晋级名单待确认)."""
    staff, province = _user("demo-provider", actor), _user("demo-province", actor)
    worker = person_resolve(worker_id_number)
    entrants = [(n, _number(b), s) for n, b, s in FINALISTS]
    dept = "广东省人力资源和社会保障厅"
    two = _event(actor, organizer, "2026年广东省计算机程序设计员职业技能竞赛（初赛·决赛）", EventLevel.PROVINCE,
                 EventClass.CLASS2, "440000", PROGRAMMER, today - dt.timedelta(days=12), dept)  # fmt: skip
    if two.status == EventStatus.DRAFT:
        late = [(worker.name, worker_id_number, "78.50")] if worker is not None else []  # 李明 does not advance
        first, recorded = _first_stage(actor, staff, two, "粤人社函〔2026〕188号", entrants + late, [
            services.StageData("preliminary", "top_n", 3), services.StageData("final")])  # fmt: skip
        if recorded:
            services.stage_advance_decide(actor=province, stage=first, approve=True)
            final_scores = ["88.00", "94.50", "90.25"]
            finalists = [(n, s) for (n, _s0), s in zip(recorded[:3], final_scores, strict=False)]
            finalists.sort(key=lambda r: Decimal(r[1]), reverse=True)
            for rank, (number, score) in enumerate(finalists, start=1):
                services.result_record(actor=staff, event=two, id_number=number, score=score, rank=rank)
            services.results_review(actor=province, event=two)
            services.results_publish(actor=_user("demo-reviewer", actor), event=two)
    three = _event(actor, organizer, "2026年广东省焊工职业技能竞赛（初赛·复赛·决赛）", EventLevel.PROVINCE,
                   EventClass.CLASS1, "440000", WELDER, today - dt.timedelta(days=3), dept)  # fmt: skip
    if three.status == EventStatus.DRAFT:
        ahead = [(worker.name, worker_id_number, "88.00")] if worker is not None else []  # 李明 above the line
        _first_stage(actor, staff, three, "粤人社函〔2026〕192号", entrants[::-1] + ahead, [
            services.StageData("preliminary", "score_line", "88"), services.StageData("semifinal", "top_n", 2),
            services.StageData("final")])  # fmt: skip


def _first_stage(actor: Any, staff: Any, event: Event, document: str, entrants: list[tuple[str, str, str]],
                 stages: list[services.StageData]) -> tuple[Any, list[tuple[str, str]]]:  # fmt: skip
    """Stages set, the event approved, the entrants registered, the 初赛's results entered (ranks follow scores) and
    its advancement proposed by ``staff``."""
    services.event_stages_set(actor=actor, event=event, stages=stages)
    event = _approve(actor, event, document)
    recorded = sorted(_register(actor, event, entrants), key=lambda r: Decimal(r[1]), reverse=True)
    first = services.stages_of(event)[0]
    for rank, (number, score) in enumerate(recorded, start=1):
        services.stage_result_record(actor=staff, stage=first, id_number=number, score=score, rank=rank)
    if recorded:
        services.stage_advance_propose(actor=staff, stage=first)
    return first, recorded


def _seed_rules_draft(actor: Any) -> None:
    """Version 2 of 广东's rules, drafted by demo-province: 二类 events also promote their first three; it waits for
    demo-reviewer (the second person) on /competitions/rules/."""
    if AwardRuleSet.objects.filter(region_id="440000", status=RuleSetStatus.DRAFT).exists():
        return
    lines = [*GD_RULES]
    lines[2] = {**GD_RULES[2], "prerequisite": "grade4", "grants": "next"}
    services.award_rules_propose(actor=_user("demo-province", actor), region_code="440000",
                                 valid_from=dt.date(2027, 1, 1), basis="广东省职业技能竞赛奖励办法（2027 年修订稿，演示）",
                                 lines=lines)  # fmt: skip


def _seed_open_and_ended(actor: Any, organizer: Organization, enterprise: Organization | None,
                         today: dt.date) -> None:  # fmt: skip
    """An event open for registration (the enterprise has put two workers forward) and one ended with its results
    still to enter."""
    opened = _event(actor, organizer, "2027年广东省焊工职业技能大赛", EventLevel.PROVINCE, EventClass.CLASS1, "440000",
                    WELDER, today + dt.timedelta(days=45), "广东省人力资源和社会保障厅")  # fmt: skip
    if opened.status == EventStatus.DRAFT:
        opened = _approve(actor, opened, "粤人社函〔2026〕166号")
        if enterprise is not None:
            for name, body, _score in FINALISTS[1:]:
                number = _number(body)
                person = person_resolve(number)
                if person is not None and person.name == name:
                    services.contestant_register(actor=actor, event=opened, id_number=number, name=name,
                                                 organization=enterprise)  # fmt: skip
            name, body, _score = FINALISTS[0]  # put forward, then withdrawn by the enterprise (退赛)
            number = _number(body)
            person = person_resolve(number)
            if person is not None and person.name == name:
                c = services.contestant_register(actor=actor, event=opened, id_number=number, name=name,
                                                 organization=enterprise)  # fmt: skip
                services.contestant_withdraw(actor=actor, contestant=c, reason="工作安排冲突，主动退赛")
    ended = _event(actor, organizer, "2026年广州市计算机程序设计员职业技能竞赛", EventLevel.CITY, EventClass.NONE,
                   "440100", PROGRAMMER, today - dt.timedelta(days=5), "广州市人力资源和社会保障局")  # fmt: skip
    if ended.status == EventStatus.DRAFT:
        ended = _approve(actor, ended, "穗人社函〔2026〕71号")
        _register(actor, ended, [(n, _number(b), s) for n, b, s in FINALISTS])


def _seed_shandong(actor: Any) -> None:
    """Approved province 一类/二类 events of Shandong, written in bulk (the figures of its indicator), with a few
    city events that do not count."""
    from jineng.refdata.api import occupation_get

    if Event.objects.filter(code__startswith="JSSD").exists():
        return
    organizer = Organization.objects.filter(name="山东省职业技能鉴定指导中心").first()
    if organizer is None:
        from jineng.common.codes import credit_code_check_char

        first17 = "52370000MJL000099"
        organizer = Organization.objects.create(kind="provider", name="山东省职业技能鉴定指导中心", region_id="370000",
                                                credit_code=first17 + credit_code_check_char(first17))  # fmt: skip
    occupations = [occupation_get(c) for c in (PROGRAMMER, WELDER, "6-31-01-03")]
    rows = []
    for year, count in SHANDONG_PER_YEAR.items():
        for n in range(count + 3):
            key = n < count
            region = SHANDONG_CITIES[n % len(SHANDONG_CITIES)]
            starts = dt.date(year, 3 + n % 9, 1 + n % 27)
            rows.append(Event(
                code=f"JSSD{year}{n + 1:04d}",
                name=f"{year}年“技能兴鲁”职业技能大赛第{n + 1}项" if key else f"{year}年市级职业技能竞赛第{n + 1}项",
                level=EventLevel.PROVINCE if key else EventLevel.CITY,
                event_class=(EventClass.CLASS1 if n % 3 == 0 else EventClass.CLASS2) if key else EventClass.NONE,
                occupation=occupations[n % len(occupations)], organizer=organizer,
                approving_department="山东省人力资源和社会保障厅", region_id=region if key else "370100",
                starts_on=starts, ends_on=starts + dt.timedelta(days=2), status=EventStatus.APPROVED,
                document_number=f"鲁人社字〔{year}〕{n + 1}号",
            ))  # fmt: skip
    Event.objects.bulk_create(rows)
