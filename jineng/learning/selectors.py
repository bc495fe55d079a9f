"""Every read of the learning record store: the credential behind a Basic-auth header, one statement, the statement
queries of the Statement resource (filters, ``since``/``until``, order, ``more`` paging), documents, activities."""

from __future__ import annotations

import datetime as dt
import hmac
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from jineng.learning import services
from jineng.learning.models import (
    Activity,
    CredentialStatus,
    Document,
    IndexKind,
    LrsCredential,
    Statement,
    StatementIndex,
)
from jineng.learning.services import DocumentKey, secret_digest
from jineng.rules.online_hours import LearningEvent, OnlineCredit, credit_online
from jineng.rules.online_signals import Signal, signals
from jineng.rules.training import HoursRules


def credential_for(key: str, secret: str) -> LrsCredential | None:
    """The active credential with this key and secret, or None."""
    credential: LrsCredential | None = (
        LrsCredential.objects.select_related("organization").filter(key=key, status=CredentialStatus.ACTIVE).first()
    )
    if credential is None or not hmac.compare_digest(credential.secret_sha256, secret_digest(secret)):
        return None
    return credential


def statement_get(organization: Any, statement_id: str, *, voided: bool) -> Statement | None:
    return Statement.objects.filter(organization=organization, statement_id=statement_id, voided=voided).first()


@dataclass(frozen=True)
class StatementQuery:
    agent: str | None = None
    verb: str | None = None
    activity: str | None = None
    registration: str | None = None
    related_activities: bool = False
    related_agents: bool = False
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    ascending: bool = False


def _indexed(kind: str, value: str, related: bool) -> Exists:
    rows = StatementIndex.objects.filter(statement=OuterRef("pk"), kind=kind, value=value)
    if not related:
        rows = rows.filter(direct=True)
    return Exists(rows)


def statements_query(organization: Any, query: StatementQuery, *, after_seq: int | None = None) -> QuerySet[Statement]:
    """The platform's statements matching the filters, voided ones left out; a statement targeting (StatementRef)
    a matching statement matches too. Ordered by store order, newest first unless ``ascending``."""
    base = Statement.objects.filter(organization=organization)
    matched = base
    filtered = False
    if query.agent is not None:
        matched = matched.filter(_indexed(IndexKind.AGENT, query.agent, query.related_agents))
        filtered = True
    if query.activity is not None:
        matched = matched.filter(_indexed(IndexKind.ACTIVITY, query.activity, query.related_activities))
        filtered = True
    if query.verb is not None:
        matched = matched.filter(verb_id=query.verb)
        filtered = True
    if query.registration is not None:
        matched = matched.filter(registration=query.registration)
        filtered = True
    rows = base.filter(voided=False)
    if filtered:
        rows = rows.filter(Q(pk__in=matched.values("pk")) | Q(ref_id__in=matched.values("statement_id")))
    if query.since is not None:
        rows = rows.filter(stored__gt=query.since)
    if query.until is not None:
        rows = rows.filter(stored__lte=query.until)
    if after_seq is not None:
        rows = rows.filter(seq__gt=after_seq) if query.ascending else rows.filter(seq__lt=after_seq)
    return rows.order_by("seq" if query.ascending else "-seq")


def document_get(organization: Any, key: DocumentKey, doc_id: str) -> Document | None:
    return Document.objects.filter(organization=organization, doc_id=doc_id, **key.__dict__).first()


def document_ids(organization: Any, key: DocumentKey, since: dt.datetime | None) -> list[str]:
    rows = Document.objects.filter(organization=organization, **key.__dict__)
    if since is not None:
        rows = rows.filter(updated__gt=since)
    return list(rows.order_by("doc_id").values_list("doc_id", flat=True))


def activity_get(organization: Any, activity_id: str) -> Activity | None:
    return Activity.objects.filter(organization=organization, activity_id=activity_id).first()


def _seconds(duration: Any) -> float:
    """Seconds of a PT…H…M…S duration (the part platforms send); 0 for anything else."""
    match = re.match(r"^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$", str(duration or ""))
    if not match:
        return 0.0
    hours, minutes, seconds = (float(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def learner_accounts(organization: Any) -> list[tuple[str, str]]:
    """(homePage, name) of every learner account the platform sent statements about, in name order."""
    values = (
        StatementIndex.objects.filter(
            statement__organization=organization, kind=IndexKind.AGENT, direct=True, value__startswith="account:"
        )
        .values_list("value", flat=True)
        .distinct()
    )
    accounts = {tuple(value.removeprefix("account:").rsplit("|", 1)) for value in values}
    return sorted((str(a[0]), str(a[1])) for a in accounts if len(a) == 2)


def learner_signals(organization: Any, home_page: str, account_name: str, *, tz: dt.tzinfo) -> list[Signal]:
    """Cheating signals of one learner account (rules.online_signals), with the durations the platform reported."""
    events, claimed = _learner_stream(organization, home_page, account_name)
    return signals(events, claimed, tz=tz)


def learner_events(organization: Any, home_page: str, account_name: str) -> list[LearningEvent]:
    return _learner_stream(organization, home_page, account_name)[0]


def _learner_stream(
    organization: Any, home_page: str, account_name: str
) -> tuple[list[LearningEvent], dict[str, float]]:
    """The platform's statements about one learner account (voided ones left out), as the online-hours rule reads
    them: time (the statement's ``timestamp``), the verb's last path segment, and the session (the registration,
    else the course's activity IRI)."""
    key = services.agent_key({"account": {"homePage": home_page, "name": account_name}})
    rows = Statement.objects.filter(
        organization=organization,
        voided=False,
        index_rows__kind=IndexKind.AGENT,
        index_rows__value=key,
        index_rows__direct=True,
    ).order_by("seq")
    events: list[LearningEvent] = []
    claimed: dict[str, float] = {}
    for row in rows:
        data = row.data
        try:
            at = dt.datetime.fromisoformat(str(data.get("timestamp") or data["stored"]).replace("Z", "+00:00"))
        except ValueError:
            continue
        if at.tzinfo is None:
            at = at.replace(tzinfo=dt.UTC)
        session = str(row.registration or data["object"].get("id", ""))
        events.append(LearningEvent(at=at, verb=row.verb_id.rstrip("/").rsplit("/", 1)[-1], session=session))
        if seconds := _seconds((data.get("result") or {}).get("duration")):
            claimed[session] = claimed.get(session, 0.0) + seconds
    return events, claimed


def online_credit(
    organization: Any,
    home_page: str,
    account_name: str,
    *,
    rules: HoursRules,
    tz: dt.tzinfo,
    online_max: int | None = None,
) -> OnlineCredit:
    """Online 学时 of one learner account on the platform, day by day (rules.online_hours)."""
    return credit_online(learner_events(organization, home_page, account_name), rules, tz=tz, online_max=online_max)
