"""Import kind ``competition_registration`` (竞赛报名) — ``jineng import competition_registration FILE --event CODE``.

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
from jineng.common.errors import DomainError
from jineng.competitions import selectors, services
from jineng.competitions.errors import Code
from jineng.competitions.models import Event
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


class RegistrationImporter(Importer):
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

    def _issue(self, row: Row, key: str, code: str, message: str) -> Issue:
        key = key if key in {c.key for c in self.columns} else ""
        sensitive = self.column(key).sensitive if key else ""
        return Issue(row.number, key, mask_value(row.values.get(key, ""), sensitive) if key else "", code, message)

    def process(self, rows: list[Row], ctx: Context) -> Outcome:
        event, org = resolve_event(ctx)
        seen: set[str] = ctx.state.setdefault("seen", set())
        out = Outcome()
        try:
            with transaction.atomic():
                for row in rows:
                    v: dict[str, Any] = row.values
                    number = str(v.get("id_number", "")).strip().upper()
                    if number in seen:
                        out.issues.append(self._issue(row, "id_number", Code.DUPLICATE_REGISTRATION,
                                                      "该选手在本文件中重复出现。"))  # fmt: skip
                        continue
                    try:
                        with transaction.atomic():
                            services.contestant_register(actor=ctx.actor, event=event, id_number=number,
                                                         name=v.get("name", ""), team_name=v.get("team_name", ""),
                                                         organization=org)  # fmt: skip
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


def register() -> None:
    register_importer(RegistrationImporter())
