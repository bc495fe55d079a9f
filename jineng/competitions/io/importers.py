"""Import kinds of competitions:

- ``competition_registration`` (竞赛报名) — ``jineng import competition_registration FILE --event CODE``;
- ``competition_results`` (竞赛成绩) — ``jineng import competition_results FILE --event CODE``, below.

Registration:

Each row goes through ``services.contestant_register``, the one-record service, so the checks are the same: the
real-name match by document number and name, age on the first day, region, one registration per person and event.
The organizer of the event registers for it (推荐单位: the organizer); an enterprise's or a provider's staff register
their own workers for an event open to them (the 竞赛报名 page's events). The check pass runs every row in a
transaction it rolls back; the same person twice in the file is an error on the second row. A person already
registered is an error (``duplicate_registration``): a re-import creates nothing twice.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from jineng.accounts.api import Organization
from jineng.common.errors import DomainError, invalid
from jineng.competitions import selectors, services
from jineng.competitions.errors import Code
from jineng.competitions.models import Contestant, ContestantStatus, Event
from jineng.imports.api import (
    Column,
    Context,
    FileRefused,
    Importer,
    Issue,
    Outcome,
    Row,
    mask_value,
    register_importer,
)
from jineng.registry.api import person_resolve


class _Rollback(Exception):
    pass


def resolve_event(ctx: Context) -> tuple[Event, Organization | None]:
    """The event named by ``--event`` and the organization registering: None for the organizer (its own event), the
    user's enterprise or provider for an event open to it; the file is refused otherwise."""
    cached = ctx.state.get("event")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    code = str(ctx.options.get("event") or "").strip()[:40]
    if not code:
        raise FileRefused(Code.EVENT_REQUIRED, "请指定赛事（--event 赛事编号）。")
    event = Event.objects.filter(code=code).select_related("region", "organizer").first()
    found: tuple[Event, Organization | None] | None = None
    if event is not None and services.can_organize(ctx.actor, event):
        found = (event, None)
    elif event is not None:
        org = selectors.registering_organization(ctx.actor)
        if org is not None and selectors.events_open_to(org, today=ctx.today).filter(pk=event.pk).exists():
            found = (event, org)
    if found is None:
        raise FileRefused(Code.UNKNOWN_EVENT, f"赛事不存在、不在报名期或不在您的权限范围内：{code}")
    ctx.state["event"] = found
    return found


class _PerPersonImporter(Importer):
    """The loop both kinds share: each row through a one-record service in a savepoint, a person once per file (an
    error on the later row), every ``DomainError`` an issue naming row, column and reason (ID numbers masked), and
    nothing kept in the check pass."""

    def start(self, ctx: Context) -> Any:
        """The file's context (the event …), or ``FileRefused``."""
        raise NotImplementedError

    def write_row(self, values: dict[str, Any], number: str, ctx: Context, started: Any) -> None:
        raise NotImplementedError

    def _issue(self, row: Row, key: str, code: str, message: str) -> Issue:
        key = key if key in {c.key for c in self.columns} else ""
        sensitive = self.column(key).sensitive if key else ""
        return Issue(row.number, key, mask_value(row.values.get(key, ""), sensitive) if key else "", code, message)

    def process(self, rows: list[Row], ctx: Context) -> Outcome:
        started = self.start(ctx)
        seen: set[str] = ctx.state.setdefault("seen", set())
        out = Outcome()
        try:
            with transaction.atomic():
                for row in rows:
                    number = str(row.values.get("id_number", "")).strip().upper()
                    if number in seen:
                        out.issues.append(self._issue(row, "id_number", Code.DUPLICATE_REGISTRATION,
                                                      "该选手在本文件中重复出现。"))  # fmt: skip
                        continue
                    try:
                        with transaction.atomic():
                            self.write_row(row.values, number, ctx, started)
                    except DomainError as exc:
                        key = exc.fields[0].field if exc.fields else ""
                        out.issues.append(self._issue(row, key, exc.code, exc.message))
                        continue
                    seen.add(number)
                    out.created += 1
                if not ctx.write:
                    raise _Rollback
        except _Rollback:
            pass
        return out


class RegistrationImporter(_PerPersonImporter):
    kind = "competition_registration"
    label = "竞赛报名"
    permission = "org.edit"
    options = (("event", "赛事编号"),)
    columns = (
        Column("name", "姓名", ("选手姓名", "人员姓名"), required=True),
        Column("id_number", "身份证号码", ("身份证号", "公民身份号码", "证件号码"), required=True,
               sensitive="id_number"),
        Column("team_name", "团队", ("团队名称", "参赛队")),
    )  # fmt: skip

    def start(self, ctx: Context) -> tuple[Event, Organization | None]:
        return resolve_event(ctx)

    def write_row(self, values: dict[str, Any], number: str, ctx: Context, started: Any) -> None:
        event, org = started
        services.contestant_register(actor=ctx.actor, event=event, id_number=number, name=values.get("name", ""),
                                     team_name=values.get("team_name", ""), organization=org)  # fmt: skip


class ResultsImporter(_PerPersonImporter):
    """竞赛成绩导入 — the organizer's results of its event, all or nothing (strict mode only: a file with one bad row
    writes no row). Each row goes through ``services.result_record``, the one-record service: the same permission
    (the event's organizer), state (results not yet submitted) and checks (a registered contestant, score 0–1000 with
    at most two decimals, rank 1–10000); the name must be the registered contestant's; the same person twice in the
    file is an error on the later row. Re-importing replaces the scores and ranks (as entering again does)."""

    kind = "competition_results"
    label = "竞赛成绩"
    permission = "org.edit"
    options = (("event", "赛事编号"),)
    columns = (
        Column("name", "姓名", ("选手姓名", "人员姓名"), required=True),
        Column("id_number", "身份证号码", ("身份证号", "公民身份号码", "证件号码"), required=True,
               sensitive="id_number"),
        Column("score", "成绩", ("分数", "总成绩"), required=True),
        Column("rank", "名次", ("排名",), required=True),
    )  # fmt: skip
    example = {"name": "陈晓峰", "id_number": "440106199204152318", "score": "95.50", "rank": "1"}  # noqa: RUF012

    def start(self, ctx: Context) -> tuple[Event, dict[Any, str]]:
        if ctx.mode != "strict":
            raise FileRefused(Code.STRICT_ONLY, "成绩导入只能整批写入：请选“严格”模式（有一行错误则全部不写入）。")
        code = str(ctx.options.get("event") or "").strip()[:40]
        if not code:
            raise FileRefused(Code.EVENT_REQUIRED, "请指定赛事（--event 赛事编号）。")
        event = Event.objects.filter(code=code).select_related("region", "organizer").first()
        if event is None or not services.can_organize(ctx.actor, event):
            raise FileRefused(Code.UNKNOWN_EVENT, f"赛事不存在或不是您单位主办的赛事：{code}")
        registered = Contestant.objects.filter(event=event, status=ContestantStatus.REGISTERED)
        return event, dict(registered.values_list("person_id", "name"))

    def write_row(self, values: dict[str, Any], number: str, ctx: Context, started: Any) -> None:
        event, names = started
        name = " ".join(str(values.get("name", "")).split())
        person = person_resolve(number)
        registered = names.get(person.pk) if person is not None else None
        if registered is not None and registered != name:
            raise invalid(field="name", code=Code.NAME_MISMATCH,
                          message=f"姓名与报名登记的不一致（报名姓名：{registered}）。")  # fmt: skip
        services.result_record(actor=ctx.actor, event=event, id_number=number, score=values.get("score", ""),
                               rank=values.get("rank", ""))  # fmt: skip


def register() -> None:
    register_importer(RegistrationImporter())
    register_importer(ResultsImporter())
