"""Retired persons past their retention period (个人信息删除, PIPL 第四十七条): their personal data is crypto-shredded.

A person retired (已注销) longer than ``retention.retired_person_years`` (per region, default 10 years; the region is
the person's residence, else 户籍地, else the national default) is due. Deletion is owed, but the facts that count
(enrollments, certificates, paid subsidies, statistics) must stay: so the person's personal fields are made
unrecoverable by the crypto-shred service, not the rows deleted.

The service is ``registry.api.person_crypto_shred(person_id=…, actor=…, reason=…)`` (idempotent; its result is
reported as done when truthy), and ``registry.api.person_is_shredded(person)`` tells the persons already shredded,
which are not due again. Both are written separately (issue 14, h2); until ``registry.api`` has the shredder, the
rule counts the persons due as *pending* and changes nothing — the report says so. Tests inject a shredder with
``use_person_shredder``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from django.utils import timezone

from jineng.accounts.api import Actor
from jineng.common.retention import RuleOutcome, register_retention_rule
from jineng.refdata.api import COUNTRY_CODE, setting_value
from jineng.registry.models import Person, PersonStatus

log = logging.getLogger(__name__)

SETTING = "retention.retired_person_years"
RULE = "retired_persons"
LABEL = "已注销人员的个人信息（加密粉碎）"


class PersonShredder(Protocol):
    def __call__(self, *, person_id: Any, actor: Actor, reason: str) -> Any: ...


_override: list[PersonShredder] = []


@contextmanager
def use_person_shredder(shredder: PersonShredder) -> Iterator[None]:
    """Run the rule with this shredder (tests; or an operator's migration tool)."""
    _override.append(shredder)
    try:
        yield
    finally:
        _override.pop()


def person_shredder() -> PersonShredder | None:
    if _override:
        return _override[-1]
    from jineng.registry import api

    found: PersonShredder | None = getattr(api, "person_crypto_shred", None)
    return found


def _already_shredded() -> Callable[[Person], bool]:
    from jineng.registry import api

    check: Callable[[Person], bool] | None = getattr(api, "person_is_shredded", None)
    return check or (lambda person: False)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def retired_persons_due(today: dt.date) -> list[Any]:
    """Ids of retired persons whose retention period has ended on ``today`` (the region's setting decides)."""
    cutoffs: dict[str, dt.date] = {}

    def cutoff(region: str) -> dt.date:
        if region not in cutoffs:
            cutoffs[region] = _years_before(today, int(setting_value(SETTING, region, today)))
        return cutoffs[region]

    shredded = _already_shredded()
    due: list[Any] = []
    candidates = Person.objects.filter(status=PersonStatus.RETIRED).order_by("updated_at", "id")
    for person in candidates.iterator(chunk_size=2000):
        retired_on = timezone.localdate(person.updated_at)
        region = person.residence_region_id or person.hukou_region_id or COUNTRY_CODE
        if retired_on < cutoff(region) and not shredded(person):
            due.append(person.pk)
    return due


@register_retention_rule(RULE, LABEL)
def retired_persons_past_retention(*, today: dt.date, actor: Actor, dry_run: bool) -> RuleOutcome:
    outcome = RuleOutcome(RULE, LABEL, "anonymize")
    due = retired_persons_due(today)
    outcome.due = len(due)
    if dry_run or not due:
        return outcome
    shred: PersonShredder | None = person_shredder()
    if shred is None:
        outcome.pending = len(due)
        outcome.notes.append("加密粉碎服务（registry.api.person_crypto_shred）尚未提供，本次未处理")
        return outcome
    for pid in due:
        try:
            if shred(person_id=pid, actor=actor, reason=f"已注销人员保存期限届满（{SETTING}）"):
                outcome.done += 1
        except Exception as exc:  # that person stays due; the next run retries
            log.exception("person %s could not be shredded", pid)
            outcome.failed += 1
            outcome.notes.append(f"人员 {pid}：{type(exc).__name__}")
    return outcome
